"""The report of a run: its Markdown (machine, documents, tables, targets, every build) and JSON.

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

SCENARIOS = (
    ("cold", "cold full build"),
    ("warm", "warm rebuild (content cache)"),
    ("edit", "edit one article (cache warm)"),
)
# Diagnostic rows (ours only), when the configuration has them.
EXTRA_SCENARIOS = (
    ("cold-nosearch", "cold, without the Pagefind index (SEARCH_INDEX=False)"),
    # The scenario "edit" changes an English article; Japanese costs more to
    # index again (Pagefind loads its Japanese dictionary, ~0.9 s).
    ("edit-ja", "edit one Japanese article (cache warm)"),
)

# -- targets (issue "Build speed that stays fast as the archive grows") -------
TARGET_COLD_RATIO = 1.0  # ours cold <= 1.0 x plain cold
TARGET_EDIT_SHARE = 0.25  # edit-one rebuild <= 25 % of a cold build
TARGET_SCALING_SLACK = 1.1  # 4x the pairs may cost at most 4 x 1.1 = 4.4x the time
TARGET_PEAK_MIB = 1024  # peak RSS <= 1 GiB ...
TARGET_PEAK_DOCUMENTS = 8000  # ... at 8000 news documents (4000 pairs)


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


def peak_of(samples, key="rss"):
    return max(sample[key] for sample in samples) if samples else None


def mib(value):
    return "–" if value is None else f"{value / MIB:.0f}"


def secs(value):
    return "–" if value is None else f"{value:.2f}"


def verdict(ok):
    return "met" if ok else "**NOT met**"


def compared(ours, plain, key):
    """Three cells of a table row: the medians of ``key`` for ours and plain, and their ratio."""
    o, p = median_of(ours, key), median_of(plain, key)
    ratio = f"{o / p:.2f}×" if o and p else "–"
    return f"{secs(o)} | {secs(p)} | {ratio}"


def measured_rows(results, sizes):
    """(pairs, scenario label, ours samples, plain samples) of every scenario measured."""
    for pairs in sizes:
        samples = results[pairs]["samples"]
        for scenario, label in SCENARIOS + EXTRA_SCENARIOS:
            ours = samples.get((scenario, "ours"), [])
            plain = samples.get((scenario, "plain"), [])
            if ours or plain:
                yield pairs, label, ours, plain


def report(results, machine, project, runs, python, command):
    """The Markdown report: machine, configuration, table, targets, every sample."""
    sizes = sorted(results)
    lines = ["# Build benchmark: ours vs plain Pelican", ""]
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
    lines += ["", "## Documents", ""]
    for pairs in sizes:
        info = results[pairs]["info"]
        files = info["files"]
        lines.append(
            f"- N = {pairs}: {files['news']} news files ({pairs} pairs), "
            f"{files['projects']} project, {files['events']} event, {files['reports']} report, "
            f"{files['pages']} page files = {info['documents']} documents "
            f"({info['generated_projects']} generated project pairs, "
            f"{info['generated_events']} generated event pairs); "
            f"bodies ~{info['en_words']:.0f} words (en), ~{info['ja_chars']:.0f} characters (ja)"
        )
    lines += [
        "",
        "## Results",
        "",
        f"Wall time: medians of {runs} run(s). Peak RSS: the highest of the runs, of the whole "
        "build (the build process plus any helper it runs, e.g. Pagefind, summed while they "
        "run together), MiB.",
        "",
        "| N pairs (news docs) | scenario | ours (s) | plain (s) | ours/plain | ours peak RSS (MB) "
        "| plain peak RSS (MB) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for pairs, label, ours, plain in measured_rows(results, sizes):
        lines.append(
            f"| {pairs} ({2 * pairs}) | {label} | {compared(ours, plain, 'seconds')} | "
            f"{mib(peak_of(ours))} | {mib(peak_of(plain))} |"
        )
    lines += [
        "",
        "CPU time (user + sys of the build and its helpers, medians; less sensitive than wall "
        "time to other load on the machine; Pagefind is multi-threaded, so CPU can exceed wall "
        "time) and the peak RSS of the Pelican process alone:",
        "",
        "| N pairs | scenario | ours CPU (s) | plain CPU (s) | ours/plain | ours Pelican process "
        "peak (MB) | plain Pelican process peak (MB) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for pairs, label, ours, plain in measured_rows(results, sizes):
        lines.append(f"| {pairs} | {label} | {compared(ours, plain, 'cpu')} | "
                     f"{mib(peak_of(ours, 'rss_self'))} | {mib(peak_of(plain, 'rss_self'))} |")
    lines += ["", "## Targets", ""]
    lines += targets(results)
    lines += ["", "## Every build", "",
              "wall s / CPU s / whole-build peak MiB / Pelican-process peak MiB, in run order.", "",
              "| N | scenario | config | builds |", "| --- | --- | --- | --- |"]
    order = [name for name, _label in SCENARIOS + EXTRA_SCENARIOS] + ["warm-up", "priming"]
    for pairs in sizes:
        samples = results[pairs]["samples"]
        for (scenario, config), found in sorted(
            samples.items(), key=lambda kv: (order.index(kv[0][0]) if kv[0][0] in order
                                             else len(order), kv[0][1])
        ):
            text = ", ".join(f"{s['seconds']:.2f} / {s['cpu']:.2f} / {s['rss'] / MIB:.0f} / "
                             f"{s['rss_self'] / MIB:.0f}" for s in found)
            lines.append(f"| {pairs} | {scenario} | {config} | {text} |")
    return "\n".join(lines) + "\n"


def targets(results):
    sizes = sorted(results)
    lines = []

    def med(pairs, scenario, config, key="seconds"):
        return median_of(results[pairs]["samples"].get((scenario, config), []), key)

    for pairs in sizes:
        ours, plain = med(pairs, "cold", "ours"), med(pairs, "cold", "plain")
        ratio = ours / plain
        cpu = med(pairs, "cold", "ours", "cpu") / med(pairs, "cold", "plain", "cpu")
        lines.append(
            f"- Cold build, ours ≤ {TARGET_COLD_RATIO:.1f}× plain (N = {pairs}): "
            f"{ratio:.2f}× ({ours:.2f} s vs {plain:.2f} s; CPU {cpu:.2f}×) — "
            f"{verdict(ratio <= TARGET_COLD_RATIO)}"
        )
        nosearch = med(pairs, "cold-nosearch", "ours")
        if nosearch:
            lines.append(
                f"  - for information, without the Pagefind index: {nosearch / plain:.2f}× "
                f"({nosearch:.2f} s); Pagefind ≈ {ours - nosearch:.2f} s of the cold build"
            )
    for pairs in sizes:
        cold, edit = med(pairs, "cold", "ours"), med(pairs, "edit", "ours")
        share = edit / cold
        lines.append(
            f"- Edit-one rebuild ≤ {TARGET_EDIT_SHARE:.0%} of cold, ours (N = {pairs}): "
            f"{share:.0%} ({edit:.2f} s vs {cold:.2f} s) — {verdict(share <= TARGET_EDIT_SHARE)}"
        )
        edit_ja = med(pairs, "edit-ja", "ours")
        if edit_ja:
            share = edit_ja / cold
            lines.append(
                f"  - editing a Japanese article instead: {share:.0%} ({edit_ja:.2f} s) — "
                f"{verdict(share <= TARGET_EDIT_SHARE)}"
            )
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        limit = large / small * TARGET_SCALING_SLACK
        ours = med(large, "cold", "ours") / med(small, "cold", "ours")
        plain = med(large, "cold", "plain") / med(small, "cold", "plain")
        cpu = med(large, "cold", "ours", "cpu") / med(small, "cold", "ours", "cpu")
        lines.append(
            f"- {large}-pair cold ≤ {limit:.1f}× {small}-pair cold, ours: {ours:.2f}× "
            f"(CPU {cpu:.2f}×; plain: {plain:.2f}×) — {verdict(ours <= limit)}"
        )
    else:
        lines.append("- Scaling (4000-pair cold ≤ 4.4× 1000-pair cold): n/a (one size only)")

    def ours_peak(samples, key):
        return max(s[key] for (_scenario, config), found in samples.items()
                   if config == "ours" for s in found)

    pairs_at_target = TARGET_PEAK_DOCUMENTS // 2
    if pairs_at_target in results:
        samples = results[pairs_at_target]["samples"]
        peak, own = ours_peak(samples, "rss"), ours_peak(samples, "rss_self")
        lines.append(
            f"- Peak RSS ≤ {TARGET_PEAK_MIB} MiB at {TARGET_PEAK_DOCUMENTS} documents, ours "
            f"(whole build, highest of all its builds): {peak / MIB:.0f} MiB "
            f"(Pelican process alone: {own / MIB:.0f} MiB) — "
            f"{verdict(peak <= TARGET_PEAK_MIB * MIB)}"
        )
    else:
        size = sizes[-1]
        peak = ours_peak(results[size]["samples"], "rss")
        lines.append(
            f"- Peak RSS ≤ {TARGET_PEAK_MIB} MiB at {TARGET_PEAK_DOCUMENTS} documents: n/a "
            f"(not run at {pairs_at_target} pairs; ours peaked at {peak / MIB:.0f} MiB "
            f"at {size} pairs)"
        )
    return lines




def raw_results(results, machine, project):
    """Every sample of the run, for ``--json``: JSON keys are strings, so "scenario/config"."""
    raw = {str(pairs): {"info": data["info"],
                        "samples": {f"{s}/{c}": v for (s, c), v in data["samples"].items()}}
           for pairs, data in results.items()}
    return {"machine": machine, "project": project, "results": raw}
