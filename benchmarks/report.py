"""The report of a run: its Markdown (machine, builds, tables, ratios, targets, every build)
and JSON.

``report`` turns the run's results into the text of ``results.md``;
``targets`` checks them against the targets of the issue; ``raw_results``
gives the run's samples as the ``--json`` file holds them.
"""

import datetime
import os
import platform
import statistics
import subprocess
from pathlib import Path

from common import BUILD_EPOCH, MIB
from peers import ALONE_LABELS, LABELS, PEERS

# -- targets (issue 20, "a cold build that beats Hugo + Pagefind on the same documents") --
TARGET_HUGO_RATIO = 1.0  # ours, with the index <= 1.0 x Hugo + Pagefind ...
TARGET_HUGO_PAIRS = (1000, 4000)  # ... at 1,000 and at 4,000 pairs
TARGET_ELEVENTY_RATIO = 1.0  # ours without the index <= 1.0 x Eleventy alone
TARGET_EDIT_SECONDS = 1.0  # edit-one rebuild <= 1.0 s ...
TARGET_EDIT_PAIRS = 1000  # ... at 1,000 pairs, English or Japanese article
TARGET_PEAK_MIB = 1024  # peak RSS <= 1 GiB ...
TARGET_PEAK_DOCUMENTS = 8000  # ... at 8000 news documents (4000 pairs)
# Targets of the build-speed issue that still stand.
TARGET_EDIT_SHARE = 0.25  # edit-one rebuild <= 25 % of a cold build
TARGET_SCALING_SLACK = 1.1  # 4x the pairs may cost at most 4 x 1.1 = 4.4x the time

# The rebuilds with Pelican's content cache (ours, and plain Pelican + Pagefind).
REBUILDS = (
    ("warm", "warm rebuild (content cache)"),
    ("edit", "edit one English article (cache warm)"),
    ("edit-ja", "edit one Japanese article (cache warm)"),
    ("edit-preview", "edit one English article, in the preview's process"),
    ("edit-ja-preview", "edit one Japanese article, in the preview's process"),
    ("edit-title-preview", "edit one English article's title, in the preview's process"),
)
COLD_ORDER = ("ours", "ours-noindex", "pelican", "hugo", "eleventy")


def machine_info(python):
    info = {"nproc": os.cpu_count()}
    try:
        info["nproc"] = len(os.sched_getaffinity(0))
    except AttributeError:
        pass
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info.setdefault("cpu", platform.processor() or platform.machine())
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["ram_gib"] = int(line.split()[1]) / MIB
                break
    except OSError:
        pass
    names = ("pelican", "markdown", "jinja2", "feedgen", "icalendar", "lxml", "babel", "pagefind")
    probe = (
        "import sys, importlib.metadata as m\n"
        "print(sys.version.split()[0])\n"
        f"for name in {names!r}:\n"
        "    try:\n"
        "        print(m.version(name))\n"
        "    except m.PackageNotFoundError:\n"
        "        print('-')\n"
    )
    out = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=True)
    lines = out.stdout.split()
    info["python"] = lines[0]
    labels = ("Pelican", "Markdown", "Jinja2", "feedgen", "icalendar", "lxml", "Babel", "Pagefind")
    info["packages"] = {label: version for label, version in zip(labels, lines[1:], strict=False)
                        if version != "-"}
    info["os"] = platform.platform()
    return info


def median_of(samples, key):
    return statistics.median(sample[key] for sample in samples) if samples else None


def phase_median(samples, phase, key="seconds"):
    found = [s["phases"][phase][key] for s in samples if phase in s.get("phases", {})]
    return statistics.median(found) if found else None


def peak_of(samples, key="rss"):
    return max(sample[key] for sample in samples) if samples else None


def mib(value):
    return "–" if value is None else f"{value / MIB:.0f}"


def secs(value):
    return "–" if value is None else f"{value:.2f}"


def ratio_text(a, b):
    return f"{a / b:.2f}×" if a and b else "–"


def verdict(ok):
    return "met" if ok else "**NOT met**"


def cold(results, pairs, config):
    return results[pairs]["samples"].get(("cold", config), [])


def alone(results, pairs, config):
    """(wall, CPU) medians of the generator alone: the first phase of a peer's build,
    or ours without the index."""
    samples = cold(results, pairs, config)
    if config == "ours-noindex":
        return median_of(samples, "seconds"), median_of(samples, "cpu")
    return phase_median(samples, config), phase_median(samples, config, "cpu")


def describe_builds(machine, peers, diagnosed=True):
    pelican = machine["packages"].get("Pelican", "?")
    ours_pagefind = machine["packages"].get("Pagefind", "?")
    lines = [
        f"- **ours, with the index**: our full build (`tasks.build_site`, every plugin, our "
        f"theme), its Pagefind index made by Pagefind's plain binary {ours_pagefind} over "
        "pages our plugin has cut into words with ICU; **ours, without the index**: the "
        "same with `SEARCH_INDEX = False`.",
    ]
    tool = peers.pagefind
    if tool is not None:
        which = (f"Pagefind's **{tool.kind}** binary {tool.version} ({tool.source}), "
                 "`pagefind --site <output>`")
        lines.append(f"- Pagefind after each peer: {which}. "
                     + ("The extended binary segments Japanese with its own dictionary, as "
                        "Pagefind's documentation recommends for Japanese sites."
                        if tool.kind == "extended" else
                        "The plain binary does not segment Japanese (a Japanese site's search "
                        "would find little): the extended one could not be had: "
                        f"{peers.missing.get('pagefind-extended', '?')}."))
        if peers.pagefind_other is not None and diagnosed:
            other = peers.pagefind_other
            lines.append(f"  - Diagnostic: each peer's cold output indexed again with the "
                         f"{other.kind} binary {other.version} ({other.source}) into another "
                         "folder; the row \"… + Pagefind ({other.kind} binary)\" adds that to "
                         "the generator alone.".replace("{other.kind}", other.kind))
    else:
        lines.append(f"- Pagefind for the peers: none ({peers.missing.get('pagefind')}).")
    lines.append(f"- **plain Pelican + Pagefind**: Pelican {pelican} with no plugins and its "
                 "default theme (`plainconf.py`), then Pagefind over its output (every page)."
                 if tool is not None else "- plain Pelican + Pagefind: not run (no Pagefind).")
    names = {"hugo": "Hugo", "eleventy": "Eleventy"}
    for peer in PEERS:
        found = peers.installed.get(peer)
        if found is not None:
            lines.append(f"- **{names[peer]} + Pagefind**: {names[peer]} {found.version} "
                         f"({found.source}; installed into the work folder, not timed), "
                         "minimal templates (peer_sites.py), then Pagefind over its output.")
        if peer in peers.missing:
            lines.append(f"- {names[peer]}: {peers.missing[peer]}.")
    return lines


def cold_rows(results, pairs, peers):
    """(label, wall, CPU, peak, generator alone wall, Pagefind wall) of every cold build."""
    rows = []
    for config in COLD_ORDER:
        samples = cold(results, pairs, config)
        if not samples:
            continue
        first = None if config.startswith("ours") else phase_median(samples, config)
        rows.append((LABELS[config], median_of(samples, "seconds"), median_of(samples, "cpu"),
                     peak_of(samples), first, phase_median(samples, "pagefind")))
        other = results[pairs]["samples"].get(("pagefind-other", config), [])
        if other and peers.pagefind_other is not None:
            wall = first + median_of(other, "seconds")
            cpu = phase_median(samples, config, "cpu") + median_of(other, "cpu")
            peak = max(peak_of(other), *(s["phases"][config]["rss"] for s in samples))
            rows.append((f"{LABELS[config]} ({peers.pagefind_other.kind} binary)", wall, cpu,
                         peak, first, median_of(other, "seconds")))
    return rows


def ratio_rows(results, pairs, peers):
    """(label, wall ratio, CPU ratio) of ours against each peer."""
    rows = []

    def both(config):
        samples = cold(results, pairs, config)
        return median_of(samples, "seconds"), median_of(samples, "cpu")

    ours, noindex = both("ours"), both("ours-noindex")
    for config in ("hugo", "eleventy", "pelican"):
        peer = both(config)
        if ours[0] and peer[0]:
            rows.append((f"ours, with the index / {LABELS[config]}",
                         ratio_text(ours[0], peer[0]), ratio_text(ours[1], peer[1])))
        other = results[pairs]["samples"].get(("pagefind-other", config), [])
        if ours[0] and peer[0] and other and peers.pagefind_other is not None:
            generator = alone(results, pairs, config)
            wall = generator[0] + median_of(other, "seconds")
            cpu = generator[1] + median_of(other, "cpu")
            rows.append((f"ours, with the index / {LABELS[config]} "
                         f"({peers.pagefind_other.kind} binary)",
                         ratio_text(ours[0], wall), ratio_text(ours[1], cpu)))
    for config in ("hugo", "eleventy", "pelican"):
        peer = alone(results, pairs, config)
        if noindex[0] and peer[0]:
            rows.append((f"ours, without the index / {ALONE_LABELS[config]}",
                         ratio_text(noindex[0], peer[0]), ratio_text(noindex[1], peer[1])))
    return rows


def report(results, machine, project, peers, runs, python, command):
    """The Markdown report: machine, builds, tables, ratios, targets, every sample."""
    sizes = sorted(results)
    lines = ["# Build benchmark: ours vs Hugo, Eleventy and plain Pelican, each with Pagefind",
             ""]
    lines.append(
        f"Run on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC with "
        f"`{command}`; SOURCE_DATE_EPOCH={BUILD_EPOCH}."
    )
    lines += ["", "## Machine", ""]
    packages = ", ".join(f"{name} {version}" for name, version in machine["packages"].items())
    lines += [
        f"- CPU: {machine['cpu']} — nproc {machine['nproc']}",
        f"- RAM: {machine.get('ram_gib', 0):.1f} GiB",
        f"- OS: {machine['os']}",
        f"- Python {machine['python']} ({python}); {packages}",
        f"- Our configuration: pelicanconf.py with PLUGINS = {project['plugins']} "
        f"(snapshot of pelicanconf.py, tasks.py, theme/, plugins/: sha256 {project['digest']})",
    ]
    lines += ["", "## Builds compared", ""]
    # (The diagnostic is described only when it ran: not with --no-diagnostics.)
    diagnosed = any(scenario == "pagefind-other" for data in results.values()
                    for scenario, _config in data["samples"])
    lines += describe_builds(machine, peers, diagnosed)
    lines += ["", "## Documents", ""]
    for pairs in sizes:
        info = results[pairs]["info"]
        files = info["files"]
        converted = info.get("converted")
        lines.append(
            f"- N = {pairs}: {files['news']} news files ({pairs} pairs), "
            f"{files['projects']} project, {files['events']} event, {files['reports']} report, "
            f"{files['pages']} page files = {info['documents']} documents "
            f"({info['generated_projects']} generated project pairs, "
            f"{info['generated_events']} generated event pairs); "
            f"bodies ~{info['en_words']:.0f} words (en), ~{info['ja_chars']:.0f} characters (ja)"
            + (f"; all {converted['documents']} converted to front matter for the peers in "
               f"{converted['seconds']:.1f} s (not timed)" if converted else "")
        )
    lines += [
        "",
        "## Cold builds",
        "",
        f"Fresh output, no cache; every configuration in turn, the order reversed in every "
        f"other run. Medians of {runs} run(s); peak memory: the highest of the runs, of the "
        "whole build (every process of it, summed while they run together), MiB. A peer's "
        "build is its generator, then Pagefind; \"alone\" is the generator's part.",
        "",
        "| N pairs (docs) | build | wall (s) | CPU (s) | peak RSS (MiB) | generator alone (s) "
        "| Pagefind (s) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for pairs in sizes:
        documents = results[pairs]["info"]["documents"]
        for label, wall, cpu, peak, first, pagefind in cold_rows(results, pairs, peers):
            lines.append(f"| {pairs} ({documents}) | {label} | {secs(wall)} | {secs(cpu)} | "
                         f"{mib(peak)} | {secs(first)} | {secs(pagefind)} |")
    lines += ["", "Ratios (medians of wall and of CPU time):", "",
              "| N pairs | ratio | wall | CPU |", "| --- | --- | ---: | ---: |"]
    for pairs in sizes:
        for label, wall, cpu in ratio_rows(results, pairs, peers):
            lines.append(f"| {pairs} | {label} | {wall} | {cpu} |")
    lines += [
        "",
        "## Rebuilds with Pelican's content cache",
        "",
        "After a priming build fills a fresh cache (listed under \"Every build\"); the edit "
        "adds a paragraph to one article. Plain Pelican runs Pagefind again over its whole "
        "output (Pagefind has no incremental mode); Hugo's and Eleventy's command lines keep "
        "no cache between builds, so their rebuild is their cold build. \"In the preview's "
        "process\": the same edits, each built in one process that stays up as `invoke serve`'s "
        "does (its settings, its cache of its own), timed inside it from the start of the "
        "build (the preview waits 0.5 s after a save first); its peak is the whole session's.",
        "",
        "| N pairs | scenario | ours (s) | plain Pelican + Pagefind (s) | ours CPU (s) "
        "| plain CPU (s) | ours peak (MiB) | plain peak (MiB) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for pairs in sizes:
        samples = results[pairs]["samples"]
        for scenario, label in REBUILDS:
            ours = samples.get((scenario, "ours"), [])
            plain = samples.get((scenario, "pelican"), [])
            if ours or plain:
                lines.append(
                    f"| {pairs} | {label} | {secs(median_of(ours, 'seconds'))} | "
                    f"{secs(median_of(plain, 'seconds'))} | {secs(median_of(ours, 'cpu'))} | "
                    f"{secs(median_of(plain, 'cpu'))} | {mib(peak_of(ours))} | "
                    f"{mib(peak_of(plain))} |")
    lines += ["", "## Targets", ""]
    lines += targets(results, peers)
    lines += ["", "## Every build", "",
              "wall s / CPU s / whole-build peak MiB, then each phase's wall s, in run order.",
              "", "| N | scenario | config | builds |", "| --- | --- | --- | --- |"]
    order = ["cold", "pagefind-other"] + [name for name, _label in REBUILDS] + [
        "warm-up", "priming"]
    for pairs in sizes:
        samples = results[pairs]["samples"]
        for (scenario, config), found in sorted(
            samples.items(), key=lambda kv: (order.index(kv[0][0]) if kv[0][0] in order
                                             else len(order),
                                             COLD_ORDER.index(kv[0][1])
                                             if kv[0][1] in COLD_ORDER else 9)
        ):
            text = ", ".join(
                f"{s['seconds']:.2f} / {s['cpu']:.2f} / {s['rss'] / MIB:.0f}"
                + ("" if len(s.get("phases", {})) < 2 else " (" + " + ".join(
                    f"{name} {m['seconds']:.2f}" for name, m in s["phases"].items()) + ")")
                for s in found)
            lines.append(f"| {pairs} | {scenario} | {config} | {text} |")
    return "\n".join(lines) + "\n"


def targets(results, peers):
    """The targets, each met / NOT met / not measured (and why)."""

    def med(pairs, scenario, config, key="seconds"):
        return median_of(results[pairs]["samples"].get((scenario, config), []), key)

    lines = target_hugo(results, peers, med)
    lines += target_eleventy(results, peers, med)
    lines += target_edit(results, med)
    lines += target_peak(results)
    lines += ["", "Targets of the build-speed issue that still stand (its cold-build target, "
              "ours with the index against plain Pelican without one, was replaced by the "
              "comparisons above):", ""]
    lines += targets_standing(results, med)
    return lines


def target_hugo(results, peers, med):
    lines = []
    for pairs in TARGET_HUGO_PAIRS:
        name = (f"Cold build with the index ≤ {TARGET_HUGO_RATIO:.1f}× Hugo + Pagefind "
                f"(N = {pairs})")
        if pairs not in results:
            lines.append(f"- {name}: not measured (this run did not build {pairs} pairs)")
            continue
        ours, hugo = med(pairs, "cold", "ours"), med(pairs, "cold", "hugo")
        if not hugo:
            lines.append(f"- {name}: not measured (Hugo: {peers.missing.get('hugo', '?')})")
            continue
        cpu = med(pairs, "cold", "ours", "cpu") / med(pairs, "cold", "hugo", "cpu")
        lines.append(f"- {name}: {ours / hugo:.2f}× ({ours:.2f} s vs {hugo:.2f} s; CPU "
                     f"{cpu:.2f}×) — {verdict(ours / hugo <= TARGET_HUGO_RATIO)}")
    return lines


def target_eleventy(results, peers, med):
    lines = []
    for pairs in sorted(results):
        name = (f"Cold build without the index ≤ {TARGET_ELEVENTY_RATIO:.1f}× Eleventy alone "
                f"(N = {pairs})")
        noindex = med(pairs, "cold", "ours-noindex")
        eleventy = alone(results, pairs, "eleventy")[0]
        if not eleventy:
            lines.append(f"- {name}: not measured (Eleventy: "
                         f"{peers.missing.get('eleventy', '?')})")
        elif not noindex:
            lines.append(f"- {name}: not measured (no build of ours without the index)")
        else:
            lines.append(f"- {name}: {noindex / eleventy:.2f}× ({noindex:.2f} s vs "
                         f"{eleventy:.2f} s) — "
                         f"{verdict(noindex / eleventy <= TARGET_ELEVENTY_RATIO)}")
    return lines


def target_edit(results, med):
    name = f"Edit-one rebuild ≤ {TARGET_EDIT_SECONDS:.1f} s (N = {TARGET_EDIT_PAIRS})"
    if TARGET_EDIT_PAIRS not in results:
        return [f"- {name}: not measured (this run did not build {TARGET_EDIT_PAIRS} pairs)"]
    lines = []
    for scenario, article in (("edit", "English article, a fresh process"),
                              ("edit-ja", "Japanese article, a fresh process"),
                              ("edit-preview", "English article, in the preview's process"),
                              ("edit-ja-preview", "Japanese article, in the preview's process"),
                              ("edit-title-preview",
                               "English article's title, in the preview's process")):
        edit = med(TARGET_EDIT_PAIRS, scenario, "ours")
        lines.append(f"- {name}, {article}: " + (
            f"{edit:.2f} s — {verdict(edit <= TARGET_EDIT_SECONDS)}" if edit
            else "not measured"))
    return lines


def target_peak(results):
    def ours_peak(samples, key):
        return max(s[key] for (_scenario, config), found in samples.items()
                   if config.startswith("ours") for s in found)

    pairs_at_target = TARGET_PEAK_DOCUMENTS // 2
    name = f"Peak RSS ≤ {TARGET_PEAK_MIB} MiB at {TARGET_PEAK_DOCUMENTS} documents, ours"
    if pairs_at_target in results:
        samples = results[pairs_at_target]["samples"]
        peak, own = ours_peak(samples, "rss"), ours_peak(samples, "rss_self")
        return [f"- {name} (whole build, highest of all its builds): {peak / MIB:.0f} MiB "
                f"(Pelican process alone: {own / MIB:.0f} MiB) — "
                f"{verdict(peak <= TARGET_PEAK_MIB * MIB)}"]
    size = max(results)
    peak = ours_peak(results[size]["samples"], "rss")
    return [f"- {name}: not measured (not run at {pairs_at_target} pairs; ours peaked "
            f"at {peak / MIB:.0f} MiB at {size} pairs)"]


def targets_standing(results, med):
    sizes = sorted(results)
    lines = []
    for pairs in sizes:
        cold_ours, edit = med(pairs, "cold", "ours"), med(pairs, "edit", "ours")
        share = edit / cold_ours
        lines.append(
            f"- Edit-one rebuild ≤ {TARGET_EDIT_SHARE:.0%} of cold, ours (N = {pairs}): "
            f"{share:.0%} ({edit:.2f} s vs {cold_ours:.2f} s) — "
            f"{verdict(share <= TARGET_EDIT_SHARE)}"
        )
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        limit = large / small * TARGET_SCALING_SLACK
        ours = med(large, "cold", "ours") / med(small, "cold", "ours")
        cpu = med(large, "cold", "ours", "cpu") / med(small, "cold", "ours", "cpu")
        lines.append(
            f"- {large}-pair cold ≤ {limit:.1f}× {small}-pair cold, ours: {ours:.2f}× "
            f"(CPU {cpu:.2f}×) — {verdict(ours <= limit)}"
        )
    else:
        lines.append("- Scaling (4000-pair cold ≤ 4.4× 1000-pair cold): not measured (one size)")
    return lines


def raw_results(results, machine, project, peers):
    """Every sample of the run, for ``--json``: JSON keys are strings, so "scenario/config"."""
    raw = {str(pairs): {"info": data["info"],
                        "samples": {f"{s}/{c}": v for (s, c), v in data["samples"].items()}}
           for pairs, data in results.items()}
    return {"machine": machine, "project": project, "peers": peers.summary(), "results": raw}
