"""Build-speed benchmark: ours against Hugo, Eleventy and plain Pelican, each with Pagefind.

Usage (from the project root, with the project's venv)::

    .venv/bin/python benchmarks/bench.py                      # N = 1000 and 4000 pairs, 3 runs
    .venv/bin/python benchmarks/bench.py --pairs 1000 --runs 5
    .venv/bin/python benchmarks/bench.py --quick              # N = 50, 1 run (smoke test)
    .venv/bin/python benchmarks/bench.py --no-peers           # without Hugo and Eleventy
    .venv/bin/python benchmarks/bench.py --generate-only /tmp/site --pairs 1000

For each N it writes a temporary copy of the site (pelicanconf.py, tasks.py,
theme/, plugins/ and a generated content/ with N bilingual news pairs plus
projects and events in proportion), the same documents converted for Hugo
and Eleventy, then builds them, each build in fresh subprocesses, with

- ``ours``: the project's own build path, ``tasks.build_site("pelicanconf.py", ...)``
  imported from the copy of tasks.py in the temporary site (all plugins, our
  theme, our Pagefind index); ``ours-noindex``: the same without the index;
- ``pelican``: ``python -m pelican`` with no plugins and Pelican's default
  theme, then Pagefind over its output;
- ``hugo`` and ``eleventy`` (installed on demand into the work folder; skipped
  with ``--no-peers``), each then Pagefind over its output (peers.py).

Scenarios: a cold full build of every configuration (fresh output, no cache),
alternating within each run; a warm rebuild with Pelican's content cache
(after a priming build) and a rebuild after editing one article's body (cache
warm), ours and plain Pelican + Pagefind. Wall time is ``time.perf_counter``
around the build's processes; CPU and peak memory come from ``os.wait4`` and
``/proc``. See benchmarks/README.md.

Nothing is ever written into the project's own content/ or output/.
``main(argv=None)`` runs the benchmark (for a task) and returns 0.

The parts: ``corpus.py`` (with ``corpus_text.py``) writes the generated
sites and ``peer_sites.py`` their Hugo and Eleventy copies, ``peers.py``
finds or installs the peers, ``runner.py`` builds and measures them,
``report.py`` writes the report; this module is the command line.
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path

from common import BUILD_EPOCH, ROOT, say, show
from corpus import generate_site, snapshot_project
from peer_sites import write_peer_sites
from peers import PEERS, prepare_peers
from report import machine_info, raw_results, report
from runner import bench_size, remove

DEFAULT_PAIRS = (1000, 4000)
QUICK_PAIRS = (50,)


def default_python():
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, nargs="+", default=None,
                        help="article pairs per size (default: 1000 4000)")
    parser.add_argument("--runs", type=int, default=None, help="runs per size (default: 3)")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results.md"),
                        help="where to write the Markdown report (default: benchmarks/results.md)")
    parser.add_argument("--quick", action="store_true", help="smoke test: N = 50, 1 run")
    parser.add_argument("--python", default=default_python(),
                        help="interpreter for the builds (default: the project's .venv)")
    parser.add_argument("--workdir", default=None,
                        help="where to put the temporary sites (default: a new temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary sites")
    parser.add_argument("--json", default=None, help="also write every sample as JSON here")
    parser.add_argument("--no-peers", action="store_true",
                        help="do not install and build Hugo and Eleventy (plain Pelican + "
                             "Pagefind and ours still run); their targets are then not checked")
    parser.add_argument("--peer-pagefind", choices=("extended", "plain"), default="extended",
                        help="the Pagefind binary the peers run (default: extended, which "
                             "segments Japanese; plain if it cannot be had)")
    parser.add_argument("--no-diagnostics", action="store_true",
                        help="skip indexing each peer's output again with the other Pagefind "
                             "binary")
    parser.add_argument("--generate-only", metavar="DIR", default=None,
                        help="only write the generated site (first --pairs value) into DIR, "
                             "e.g. for profiling with DIR/build_ours.py, and its Hugo and "
                             "Eleventy copies into DIR/peer-sites")
    args = parser.parse_args(argv)
    if args.quick:
        args.pairs = args.pairs or list(QUICK_PAIRS)
        args.runs = args.runs or 1
    args.pairs = sorted(set(args.pairs or DEFAULT_PAIRS))
    args.runs = args.runs or 3
    if min(args.pairs) < 1 or args.runs < 1:
        parser.error("--pairs and --runs must be positive")
    return args


def generate_only(target, pairs, python):
    """Write one generated site into ``target`` and say how to build it; returns 0."""
    if target.exists() and any(target.iterdir()):
        raise SystemExit(f"{target} is not empty")
    with tempfile.TemporaryDirectory(prefix="pelican-bench-project-") as project:
        snapshot_project(project)
        info = generate_site(target, pairs, project)
    write_peer_sites(target, target / "peer-sites", PEERS)
    info.pop("articles")
    show(json.dumps(info, indent=2, ensure_ascii=False))
    show(f"cd {target} && SOURCE_DATE_EPOCH={BUILD_EPOCH} {python} build_ours.py out")
    show(f"cd {target} && SOURCE_DATE_EPOCH={BUILD_EPOCH} {python} -m pelican "
         "-s plainconf.py -o out-plain")
    show(f"hugo --source {target}/peer-sites/hugo --destination out-hugo; "
         f"cd {target}/peer-sites/eleventy && npx @11ty/eleventy --output=out")
    return 0


def main(argv=None):
    args = parse_args(argv)
    command = "benchmarks/bench.py " + " ".join(
        sys.argv[1:] if argv is None else [str(arg) for arg in argv])
    if args.generate_only:
        return generate_only(Path(args.generate_only).resolve(), args.pairs[0], args.python)
    work = Path(args.workdir).resolve() if args.workdir else Path(
        tempfile.mkdtemp(prefix="pelican-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    say(f"[bench] work folder {work}; python {args.python}")
    machine = machine_info(args.python)
    results = {}
    try:
        project = snapshot_project(work / "project")
        say(f"[bench] our configuration: PLUGINS = {project['plugins']} "
            f"(snapshot {project['digest']})")
        if "search" not in project["plugins"]:
            say("[bench] warning: our configuration has no search plugin: 'ours' and "
                "'ours-noindex' are the same build")
        peers = prepare_peers(args.python, work, not args.no_peers, args.peer_pagefind, say)
        for pairs in args.pairs:
            samples, info = bench_size(args.python, work, work / "project", pairs, args.runs,
                                       peers, not args.no_diagnostics)
            results[pairs] = {"samples": samples, "info": info}
    finally:
        if not args.keep:
            remove(work)
        else:
            say(f"[bench] kept {work}")
    text = report(results, machine, project, peers, args.runs, args.python, command.strip())
    show(text)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    say(f"[bench] wrote {output}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(raw_results(results, machine, project, peers), indent=2),
            encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
