"""Running the benchmark: every build of every scenario at one size, timed and measured.

``bench_size`` generates the site of one size (and its copies for the
peers) and runs the scenarios: cold builds of every configuration, warm and
edit-one rebuilds of those with a content cache (and ours in one process,
as the preview builds them), and the diagnostics;
``run_build`` runs one build, each of its phases in a fresh subprocess, and
measures its wall time, CPU time and peak memory.
"""

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from common import BUILD_EPOCH, MIB, say
from corpus import generate_site
from peer_sites import write_peer_sites
from peers import OURS_CONFIGS, PEERS, Phase, ours_command, preview_command


class BuildFailed(RuntimeError):
    pass


def child_env():
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = BUILD_EPOCH
    env.pop("PYTHONPATH", None)
    return env


PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def tree_rss(root_pid):
    """Memory (bytes) of ``root_pid`` and all its descendants, from /proc.

    The sum of their RSS; when the tree holds forked copies of the build
    process (parallel workers share its pages copy-on-write, which RSS would
    count once per process), the sum of their PSS instead.
    """
    children, names = {}, {}
    try:
        entries = [entry.name for entry in os.scandir("/proc") if entry.name.isdigit()]
    except OSError:
        return 0
    for name in entries:
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        close = stat.rindex(b")")
        ppid = int(stat[close + 2:].split()[1])
        children.setdefault(ppid, []).append(int(name))
        names[int(name)] = stat[stat.index(b"(") + 1:close]
    tree, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, ()))
    forked = sum(names.get(pid) == names.get(root_pid) for pid in tree) > 1
    total = 0
    for pid in tree:
        try:
            if forked:
                with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
                    for line in handle:
                        if line.startswith(b"Pss:"):
                            total += int(line.split()[1]) * 1024
                            break
            else:
                with open(f"/proc/{pid}/statm", "rb") as handle:
                    total += int(handle.read().split()[1]) * PAGE_SIZE
        except OSError:
            continue
    return total


class TreeSampler(threading.Thread):
    """Samples the memory of a process tree (the build and its helpers) every 0.1 s."""

    def __init__(self, pid, interval=0.1):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self.done = threading.Event()

    def run(self):
        if not os.path.isdir("/proc"):
            return
        while not self.done.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self.done.wait(self.interval)

    def stop(self):
        self.done.set()
        self.join()
        return self.peak


def run_phase(phase, log_file):
    """One process of a build; returns (wall s, CPU s, peak of its tree, largest process)."""
    env = child_env()
    env.update(phase.env)
    log_file.write(f"\n$ [{phase.name}] {' '.join(map(str, phase.argv))[:500]}\n".encode())
    log_file.flush()
    start = time.perf_counter()
    try:
        process = subprocess.Popen(phase.argv, cwd=phase.cwd, env=env,
                                   stdout=log_file, stderr=subprocess.STDOUT)
    except OSError as error:
        raise BuildFailed(f"{phase.name} could not start: {error}") from None
    sampler = TreeSampler(process.pid)
    sampler.start()
    # wait4 gives this child's own rusage, including the helpers it waited
    # for (RUSAGE_CHILDREN would only keep the largest child so far).
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    tree_peak = sampler.stop()
    returncode = os.waitstatus_to_exitcode(status)
    if returncode != 0:
        raise BuildFailed(f"{phase.name} exited with {returncode}")
    unit = 1 if sys.platform == "darwin" else 1024
    return elapsed, usage.ru_utime + usage.ru_stime, tree_peak, usage.ru_maxrss * unit


def run_build(phases, config, output, log, rss_file):
    """Run one build, its phases one after the other, each in a fresh process; returns a
    sample dict.

    ``seconds``: wall time around the phases; ``cpu``: user + sys of every
    phase and every helper it waited for; ``rss``: peak memory of the whole
    build, the largest over its phases of the larger of the process tree's
    summed RSS sampled every 0.1 s (PSS when the build forks workers) and
    the largest single process (wait4); ``rss_self``: the first phase's own
    process (Pelican, Hugo, Eleventy); ``rss_largest``: the largest single
    process; ``phases``: {name: {"seconds", "cpu", "rss"}} of each phase.
    """
    with open(log, "ab") as log_file:
        log_file.write(f"\n# {config} {output}\n".encode())
        log_file.flush()
        # Flush the previous build's (and deletions') dirty pages first, so
        # that their write-back is not charged to this build.
        if hasattr(os, "sync"):
            os.sync()
        measured = {}
        start = time.perf_counter()
        try:
            for phase in phases:
                measured[phase.name] = run_phase(phase, log_file)
        except BuildFailed as error:
            tail = Path(log).read_text(encoding="utf-8", errors="replace")[-3000:]
            raise BuildFailed(f"{config} build failed ({error}); log {log}:\n{tail}") from None
        elapsed = time.perf_counter() - start
    first = measured[phases[0].name]
    largest = max(m[3] for m in measured.values())
    unit = 1 if sys.platform == "darwin" else 1024
    own = first[3]
    if rss_file is not None:
        try:
            own = int(Path(rss_file).read_text()) * unit
        except (OSError, ValueError):
            pass
    return {"seconds": elapsed, "cpu": sum(m[1] for m in measured.values()),
            "rss": max(max(m[2], m[3]) for m in measured.values()), "rss_self": own,
            "rss_largest": largest,
            "phases": {name: {"seconds": m[0], "cpu": m[1], "rss": max(m[2], m[3])}
                       for name, m in measured.items()}}


def run_ours(python, site, output, log, cache=None, extra=None):
    """One build of ours alone (for photo_cost.py); returns its sample."""
    rss_file = Path(log).with_suffix(".rss")
    command = ours_command(python, Path(site), Path(output), rss_file, cache, extra)
    return run_build([Phase("ours", command, Path(site))], "ours", output, log, rss_file)


def edit_article(path, run):
    """Change one article's body text; returns the original text (to restore)."""
    original = path.read_text(encoding="utf-8")
    head, body = original.split("\n\n", 1)
    edited = body.replace(
        "\n\n", f"\n\nThis paragraph was corrected in benchmark run {run + 1}.\n\n", 1
    )
    path.write_text(head + "\n\n" + edited, encoding="utf-8")
    bump_mtime(path)
    return original


def edit_title(path, run):
    """Change one article's title (every list that shows it changes); returns the
    original text."""
    original = path.read_text(encoding="utf-8")
    assert original.startswith("Title: ")
    path.write_text(original.replace("Title: ", f"Title: (corrected {run + 1}) ", 1),
                    encoding="utf-8")
    bump_mtime(path)
    return original


# The edits the preview's scenarios make, by name.
EDITS = {"body": edit_article, "title": edit_title}


def restore_article(path, original):
    path.write_text(original, encoding="utf-8")
    bump_mtime(path)


def bump_mtime(path):
    # Pelican's cache compares mtimes: make sure the change is seen even on
    # file systems with a coarse clock.
    stamp = max(time.time(), path.stat().st_mtime + 2)
    os.utime(path, (stamp, stamp))


def remove(path):
    shutil.rmtree(path, ignore_errors=True)


def set_aside(path, trash):
    """Move ``path`` into ``trash`` (deleted when the benchmark ends), not delete it now.

    Deleting thousands of files slows down the builds that follow: ext4
    without a journal (as on the machine of the published table) does not
    reuse an inode deleted less than a minute or five ago, and scans past
    each of them when creating a file, which added up to 5 s of system time
    to a 5-second build. Builds then measured how many files the previous
    scenario had deleted. (Our builds' own deletion of their previous output
    is part of what they cost, and stays measured.)
    """
    if os.path.lexists(path):
        trash.mkdir(exist_ok=True)
        os.rename(path, trash / f"{len(list(trash.iterdir()))}-{Path(path).name}")


class Size:
    """The builds of one size: where they go, and the samples measured so far."""

    def __init__(self, python, work, site, pairs, peers):
        self.python, self.site, self.pairs, self.peers = python, site, pairs, peers
        self.work, self.builds, self.logs = work, work / f"builds-{pairs}", work / "logs"
        self.builds.mkdir(exist_ok=True)
        self.logs.mkdir(exist_ok=True)
        self.trash = work / "trash"
        self.samples = {}

    def discard(self, path):
        set_aside(path, self.trash)

    def build(self, config, output, cache=None, extra=None, phases=None):
        """One build, not recorded; returns its sample."""
        log = self.logs / f"{self.pairs}-{config}.log"
        rss_file = log.with_suffix(".rss")
        if rss_file.exists():
            rss_file.unlink()
        if phases is None:
            phases = self.peers.phases(config, self.python, self.site, self.pairs, output,
                                       rss_file, cache, extra)
        return run_build(phases, config, output, log, rss_file)

    def measure(self, scenario, config, label, output, cache=None, extra=None, phases=None):
        sample = self.build(config, output, cache, extra, phases)
        parts = "; ".join(f"{name} {m['seconds']:.2f} s" for name, m in sample["phases"].items())
        say(f"[bench] N={self.pairs} {label:9} {config:12} {scenario:13} "
            f"{sample['seconds']:7.2f} s cpu {sample['cpu']:6.2f} s  "
            f"peak {sample['rss'] / MIB:6.0f} MiB ({parts})")
        self.samples.setdefault((scenario, config), []).append(sample)
        return sample


def generate(site, pairs, project):
    """``generate_site``, saying what it generated and how long it took."""
    say(f"[bench] generating {pairs} pairs in {site}")
    started = time.perf_counter()
    info = generate_site(site, pairs, project)
    say(f"[bench] generated {info['documents']} documents in "
        f"{time.perf_counter() - started:.1f} s ({info['files']}); "
        f"en body ~{info['en_words']:.0f} words, ja body ~{info['ja_chars']:.0f} characters")
    return info


def convert_for_peers(site, work, pairs, peers):
    """Write the Hugo and Eleventy sites of this size (not timed as a build)."""
    wanted = [peer for peer in PEERS if peer in peers.tools]
    if not wanted:
        return None
    started = time.perf_counter()
    folders, count = write_peer_sites(site, work / f"peer-sites-{pairs}", wanted)
    peers.sites[pairs] = folders
    seconds = time.perf_counter() - started
    say(f"[bench] converted {count} documents for {', '.join(wanted)} in {seconds:.1f} s")
    return {"documents": count, "seconds": seconds}


def warm_up(size, configs):
    # One unmeasured build of each configuration first, so that the first
    # measured build does not also pay for a cold OS file cache.
    for config in configs:
        output = size.builds / f"{config}-warmup"
        measured_or_left_out(size, "warm-up", config, "warm-up", output)
        size.discard(output)


def measured_or_left_out(size, scenario, config, label, output):
    """Measure one build; a peer's failed build is reported and the peer left out
    from then on (False), ours fails the benchmark."""
    try:
        size.measure(scenario, config, label, output)
    except BuildFailed as error:
        if config not in PEERS:
            raise
        say(f"[bench] {config} failed; it is left out from now on: {error}")
        size.peers.fail(config, f"build failed at N = {size.pairs} (log {size.logs})")
        return False
    return True


def measure_cold(size, run, label, order, diagnostics):
    """Cold: fresh output, no cache, every configuration.

    With ``diagnostics``, after each build with Pagefind by a peer, the same
    output is indexed again with the other Pagefind binary (into another
    folder), to show what the choice of binary costs.
    """
    other = size.peers.pagefind_other
    for config in order:
        output = size.builds / f"{config}-cold-{run}"
        size.discard(output)
        if not measured_or_left_out(size, "cold", config, label, output):
            size.discard(output)
            continue
        if diagnostics and other is not None and config not in OURS_CONFIGS:
            phase = size.peers.pagefind_phase(other, size.site, output, "pagefind-other")
            size.measure("pagefind-other", config, label, output, phases=[phase])
        size.discard(output)


def measure_warm(size, run, label, order):
    """Warm: a priming build fills a fresh cache, the next one uses it.

    Returns the outputs and caches of each configuration, warm for the edits.
    """
    outputs, caches = {}, {}
    for config in order:
        outputs[config] = size.builds / f"{config}-warm-{run}"
        caches[config] = size.work / f"cache-{size.pairs}-{config}-{run}"
        size.discard(outputs[config])
        size.discard(caches[config])
        size.measure("priming", config, label, outputs[config], caches[config])
        size.measure("warm", config, label, outputs[config], caches[config])
    return outputs, caches


def measure_edits(size, run, label, order, outputs, caches, edited):
    """Edit one article's body, rebuild with the warm cache; then its Japanese version."""
    original = edit_article(edited, run)
    try:
        for config in order:
            size.measure("edit", config, label, outputs[config], caches[config])
    finally:
        restore_article(edited, original)
    # The same with the Japanese version (ours only).
    # (a build of the restored site first, not measured: only the Japanese edit is new)
    size.build("ours", outputs["ours"], caches["ours"])
    edited_ja = japanese_version(edited)
    original = edit_article(edited_ja, run)
    try:
        size.measure("edit-ja", "ours", label, outputs["ours"], caches["ours"])
    finally:
        restore_article(edited_ja, original)


def japanese_version(article):
    return article.with_name(article.name.replace(".en.md", ".ja.md"))


def measure_preview_edits(size, run, label, output, edited):
    """The same two edits, each built in one process that stays up, as the preview builds it.

    A process of its own, with a cache of its own (the preview compares files
    by content, not by time): a first build, then each edit, its build timed
    inside the process (what staff wait for after saving, from the change
    being noticed), then the restored file built. Recorded as the scenarios
    ``edit-preview`` and ``edit-ja-preview`` (a paragraph added to the body) and
    ``edit-title-preview`` (the English title changed); their memory is the
    process's whole session.
    """
    cache = size.work / f"cache-{size.pairs}-preview-{run}"
    timings_file = size.logs / f"{size.pairs}-preview-{run}.json"
    size.discard(cache)
    log = size.logs / f"{size.pairs}-preview.log"
    rss_file = log.with_suffix(".rss")
    edits = [("edit-preview", edited, "body"),
             ("edit-ja-preview", japanese_version(edited), "body"),
             ("edit-title-preview", edited, "title")]
    command = preview_command(size.python, size.site, output, rss_file, cache, edits, run,
                              timings_file)
    session = run_build([Phase("ours", command, size.site)], "ours", output, log, rss_file)
    timings = json.loads(timings_file.read_text(encoding="utf-8"))
    for scenario, _path, _how in edits:
        sample = {**session, **timings[scenario], "phases": {}}
        say(f"[bench] N={size.pairs} {label:9} {'ours':12} {scenario:15} "
            f"{sample['seconds']:5.2f} s cpu {sample['cpu']:6.2f} s  (in one process)")
        size.samples.setdefault((scenario, "ours"), []).append(sample)
    size.discard(cache)


def bench_size(python, work, project, pairs, runs, peers, diagnostics):
    """All scenarios at one size; returns {(scenario, config): [samples]} and info."""
    site = work / f"site-{pairs}"
    info = generate(site, pairs, project)
    info["converted"] = convert_for_peers(site, work, pairs, peers)
    size = Size(python, work, site, pairs, peers)
    edited = site / "content" / "news" / f"{info['articles'][pairs // 2]['slug']}.en.md"
    cached = peers.cached_configs()
    warm_up(size, peers.configs())
    for run in range(runs):
        label = f"run {run + 1}/{runs}"
        forward = run % 2 == 0
        configs = peers.configs()
        order = configs if forward else tuple(reversed(configs))
        measure_cold(size, run, label, order, diagnostics)
        order = cached if forward else tuple(reversed(cached))
        outputs, caches = measure_warm(size, run, label, order)
        measure_edits(size, run, label, order, outputs, caches, edited)
        measure_preview_edits(size, run, label, outputs["ours"], edited)
        for config in order:
            size.discard(outputs[config])
            size.discard(caches[config])
    info.pop("articles")
    return size.samples, info
