"""Running the benchmark: every build of every scenario at one size, timed and measured.

``bench_size`` generates the site of one size and runs the scenarios (cold,
warm, edit one article, and the diagnostics) with both configurations;
``run_build`` runs one build in a fresh subprocess and measures its wall
time, CPU time and peak memory.
"""

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from common import BUILD_EPOCH, MIB, say
from corpus import generate_site
from peers import COMMANDS, CONFIGS


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


def run_build(python, config, site, output, log, cache=None, extra=None):
    """Run one build in a fresh subprocess; returns a sample dict.

    ``seconds``: wall time around the subprocess; ``cpu``: user + sys of the
    build and every helper it waited for; ``rss``: peak memory of the whole
    build, the larger of the process tree's summed RSS sampled every 0.1 s
    (PSS when the build forks workers) and the largest single process (wait4);
    ``rss_self``: the Pelican process alone; ``rss_largest``: the largest
    single process.
    """
    rss_file = Path(log).with_suffix(".rss")
    command = COMMANDS[config](python, Path(site), Path(output), rss_file, cache, extra)
    with open(log, "ab") as log_file:
        log_file.write(f"\n$ {config} {output} cache={cache} extra={extra}\n".encode())
        log_file.flush()
        # Flush the previous build's (and deletions') dirty pages first, so
        # that their write-back is not charged to this build.
        if hasattr(os, "sync"):
            os.sync()
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=site, env=child_env(),
                                   stdout=log_file, stderr=subprocess.STDOUT)
        sampler = TreeSampler(process.pid)
        sampler.start()
        # wait4 gives this child's own rusage, including the helpers it waited
        # for (RUSAGE_CHILDREN would only keep the largest child so far).
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        tree_peak = sampler.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = Path(log).read_text(encoding="utf-8", errors="replace")[-3000:]
        raise BuildFailed(f"{config} build failed (exit {process.returncode}); log {log}:\n{tail}")
    unit = 1 if sys.platform == "darwin" else 1024
    largest = usage.ru_maxrss * unit
    try:
        own = int(rss_file.read_text()) * unit
    except (OSError, ValueError):
        own = largest
    return {"seconds": elapsed, "cpu": usage.ru_utime + usage.ru_stime,
            "rss": max(tree_peak, largest), "rss_self": own, "rss_largest": largest}


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

    def __init__(self, python, work, site, pairs):
        self.python, self.site, self.pairs = python, site, pairs
        self.work, self.builds, self.logs = work, work / f"builds-{pairs}", work / "logs"
        self.builds.mkdir(exist_ok=True)
        self.logs.mkdir(exist_ok=True)
        self.trash = work / "trash"
        self.samples = {}

    def discard(self, path):
        set_aside(path, self.trash)

    def build(self, config, output, cache=None, extra=None):
        """One build, not recorded; returns its sample."""
        return run_build(self.python, config, self.site, output,
                         self.logs / f"{self.pairs}-{config}.log", cache, extra)

    def measure(self, scenario, config, label, output, cache=None, extra=None):
        sample = self.build(config, output, cache, extra)
        say(f"[bench] N={self.pairs} {label:9} {config:5} {scenario:17} "
            f"{sample['seconds']:7.2f} s cpu {sample['cpu']:6.2f} s  "
            f"peak {sample['rss'] / MIB:6.0f} MiB (pelican {sample['rss_self'] / MIB:.0f} MiB)")
        self.samples.setdefault((scenario, config), []).append(sample)


def generate(site, pairs, project):
    """``generate_site``, saying what it generated and how long it took."""
    say(f"[bench] generating {pairs} pairs in {site}")
    started = time.perf_counter()
    info = generate_site(site, pairs, project)
    say(f"[bench] generated {info['documents']} documents in "
        f"{time.perf_counter() - started:.1f} s ({info['files']}); "
        f"en body ~{info['en_words']:.0f} words, ja body ~{info['ja_chars']:.0f} characters")
    return info


def warm_up(size):
    # One unmeasured build of each configuration first, so that the first
    # measured build does not also pay for a cold OS file cache.
    for config in CONFIGS:
        output = size.builds / f"{config}-warmup"
        size.measure("warm-up", config, "warm-up", output)
        size.discard(output)


def measure_cold(size, run, label, order, no_search):
    """Cold: fresh output, no cache; and ours without the search index if asked."""
    for config in order:
        output = size.builds / f"{config}-cold-{run}"
        size.discard(output)
        size.measure("cold", config, label, output)
        size.discard(output)
    if no_search:
        # Diagnostic: our cold build without the Pagefind index.
        output = size.builds / f"ours-nosearch-{run}"
        size.measure("cold-nosearch", "ours", label, output, extra={"SEARCH_INDEX": False})
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
        edited.write_text(original, encoding="utf-8")
        bump_mtime(edited)
    # Diagnostic: the same with the Japanese version (ours only).
    # (a build of the restored site first, not measured: only the Japanese edit is new)
    size.build("ours", outputs["ours"], caches["ours"])
    edited_ja = edited.with_name(edited.name.replace(".en.md", ".ja.md"))
    original = edit_article(edited_ja, run)
    try:
        size.measure("edit-ja", "ours", label, outputs["ours"], caches["ours"])
    finally:
        edited_ja.write_text(original, encoding="utf-8")
        bump_mtime(edited_ja)


def bench_size(python, work, project, pairs, runs, no_search):
    """All scenarios at one size; returns {(scenario, config): [samples]} and info."""
    site = work / f"site-{pairs}"
    info = generate(site, pairs, project)
    size = Size(python, work, site, pairs)
    edited = site / "content" / "news" / f"{info['articles'][pairs // 2]['slug']}.en.md"
    warm_up(size)
    for run in range(runs):
        label = f"run {run + 1}/{runs}"
        order = CONFIGS if run % 2 == 0 else tuple(reversed(CONFIGS))
        measure_cold(size, run, label, order, no_search)
        outputs, caches = measure_warm(size, run, label, order)
        measure_edits(size, run, label, order, outputs, caches, edited)
        for config in order:
            size.discard(outputs[config])
            size.discard(caches[config])
    info.pop("articles")
    return size.samples, info
