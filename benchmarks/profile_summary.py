"""Summarise a cProfile of a build: where the time goes, with percentages.

Usage::

    .venv/bin/python benchmarks/bench.py --generate-only /tmp/site --pairs 1000
    cd /tmp/site && SOURCE_DATE_EPOCH=1795564800 /work/main/.venv/bin/python \\
        -m cProfile -o /tmp/ours.prof build_ours.py out
    .venv/bin/python benchmarks/profile_summary.py /tmp/ours.prof [--top 25]

Prints (Markdown):
- the time of the build's main phases (inclusive time of their entry points);
- exclusive time by component (Markdown, Jinja, each plugin, Pelican, file
  system calls, ...); time spent in C built-ins (str.join, regular
  expressions, ...) is charged to the Python code that called them, except
  file-system calls (open, mkdir, stat, ...), which get their own line;
- the top N functions by cumulative and by internal (total) time.

cProfile slows pure-Python code (Markdown, Jinja) much more than system
calls, so read the percentages as "share of the profiled run".
"""

import argparse
import os
import pstats
import sys

WAITING_CALLS = {"poll", "select", "waitpid", "wait4", "read"}
FILESYSTEM_CALLS = {
    "open", "mkdir", "stat", "lstat", "rename", "rmdir", "unlink", "scandir", "listdir",
    "write", "close", "utime", "chmod", "replace", "makedirs", "fspath", "access",
}

# (label, predicate on (filename, funcname)), first match wins.
COMPONENTS = [
    ("plugin bilingual", lambda f, n: "/plugins/bilingual/" in f),
    ("plugin events (calendar pages, .ics, CSV)", lambda f, n: "/plugins/events/" in f),
    ("plugin feeds", lambda f, n: "/plugins/feeds/" in f),
    ("plugin checks", lambda f, n: "/plugins/checks/" in f),
    ("plugin seo", lambda f, n: "/plugins/seo/" in f),
    ("plugin search (waiting for the Pagefind subprocess)",
     lambda f, n: "/plugins/search/" in f or f.endswith(("subprocess.py", "selectors.py"))),
    ("plugin assets", lambda f, n: "/plugins/assets/" in f),
    ("Markdown (python-markdown)", lambda f, n: "/markdown/" in f),
    ("Jinja2 rendering (jinja2, markupsafe, templates)",
     lambda f, n: "/jinja2/" in f or "/markupsafe/" in f or f.endswith((".html", ".xml"))
     or f == "<template>"),
    ("icalendar", lambda f, n: "/icalendar/" in f),
    ("feedgen + lxml", lambda f, n: "/feedgen/" in f or "/lxml/" in f),
    ("Babel (dates, catalogs)", lambda f, n: "/babel/" in f),
    ("Pelican core", lambda f, n: "/pelican/" in f),
    ("tasks.py (atomic build)", lambda f, n: f.endswith("tasks.py")),
    ("imports (importlib)", lambda f, n: "importlib" in f or f.startswith("<frozen importlib")),
    ("pickle / gzip (content cache)", lambda f, n: f.endswith(("gzip.py", "pickle.py"))),
]

# Entry points for the phase table: (label, file suffix, function name).
PHASES = [
    ("whole build (tasks.build_site / pelican main)", [("tasks.py", "build_site"),
                                                       ("pelican/__init__.py", "main")]),
    ("checks plugin (initialized signal)", [("checks/checks.py", "check_content")]),
    ("reading content (readers.read_file)", [("pelican/readers.py", "read_file")]),
    ("  Markdown conversion (Markdown.convert)", [("markdown/core.py", "convert")]),
    ("  new Markdown instance per file (Markdown.__init__)", [("markdown/core.py", "__init__")]),
    ("  metadata parsing (MarkdownReader._parse_metadata)",
     [("pelican/readers.py", "_parse_metadata")]),
    ("bilingual: planning pages (plan_pages)", [("bilingual/generator.py", "plan_pages")]),
    ("events: generate_context", [("events/events.py", "generate_context")]),
    ("iCalendar files (events/ical.py build_calendar)", [("events/ical.py", "build_calendar")]),
    ("  VTIMEZONE from tzinfo (icalendar add_missing_timezones)",
     [("icalendar/cal/calendar.py", "add_missing_timezones")]),
    ("feeds: generate_context", [("feeds/feeds.py", "generate_context")]),
    ("writing pages (Writer.write_file)", [("pelican/writers.py", "write_file")]),
    ("  Jinja template rendering (Template.render)", [("jinja2/environment.py", "render")]),
    ("    UI strings (jinja2.ext _gettext_alias)", [("jinja2/ext.py", "_gettext_alias")]),
    ("    item.url / save_as (Content.get_url_setting)",
     [("pelican/contents.py", "get_url_setting")]),
    ("  open() for writing (Writer._open_w)", [("pelican/writers.py", "_open_w")]),
    ("bilingual: generate_output (all HTML pages)",
     [("bilingual/generator.py", "generate_output")]),
    ("  seo: per-page metadata and JSON-LD (page_metadata)", [("seo/seo.py", "page_metadata")]),
    ("seo: generate_output (sitemap, robots.txt)", [("seo/seo.py", "generate_output")]),
    ("search: Pagefind index (finalized, subprocess)", [("search/search.py", "build_index")]),
    ("assets: fingerprinted copies (finalized)", [("assets/assets.py", "write_assets"),
                                                  ("assets/assets.py", "finalize")]),
    ("tasks: swap in the new output (_swap_in)", [("tasks.py", "_swap_in")]),
    ("feeds: generate_output (Atom + RSS)", [("feeds/feeds.py", "generate_output")]),
    ("events: generate_output (.ics, CSV bytes)", [("events/events.py", "generate_output")]),
    ("Pelican articles generator (plain)", [("pelican/generators.py", "generate_context")]),
    ("content cache save (FileDataCacher.save_cache)", [("pelican/cache.py", "save_cache")]),
]


def component_of(filename, funcname):
    for label, matches in COMPONENTS:
        if matches(filename, funcname):
            return label
    return "other (stdlib, ...)"


def builtin_name(funcname):
    # "<built-in method posix.mkdir>" -> "mkdir", "<method 'join' of 'str' objects>" -> "join"
    name = funcname.strip("<>")
    if name.startswith("built-in method "):
        name = name[len("built-in method "):]
    elif name.startswith("method '"):
        name = name.split("'")[1]
    return name.rsplit(".", 1)[-1]


def is_builtin(filename):
    return filename == "~"


def by_component(stats):
    totals = {}
    for (filename, _line, funcname), (_cc, _nc, tt, _ct, callers) in stats.stats.items():
        if is_builtin(filename):
            name = builtin_name(funcname)
            if name in WAITING_CALLS and any(
                cfile.endswith(("selectors.py", "subprocess.py")) for cfile, _l, _f in callers
            ):
                label = "plugin search (waiting for the Pagefind subprocess)"
                totals[label] = totals.get(label, 0) + tt
                continue
            if name in FILESYSTEM_CALLS:
                totals["file system calls (open, mkdir, stat, ...)"] = (
                    totals.get("file system calls (open, mkdir, stat, ...)", 0) + tt)
                continue
            # Charge the C function to its callers, in proportion to the time
            # each caller spent in it.
            shares = {key: value[2] for key, value in callers.items()}
            total = sum(shares.values()) or 1
            for (cfile, _cl, cfunc), share in shares.items():
                label = (component_of(cfile, cfunc) if not is_builtin(cfile)
                         else "other (stdlib, ...)")
                totals[label] = totals.get(label, 0) + tt * share / total
            continue
        label = component_of(filename, funcname)
        totals[label] = totals.get(label, 0) + tt
    return totals


def find(stats, suffix, funcname):
    best = None
    for (filename, _line, name), value in stats.stats.items():
        if name == funcname and filename.replace(os.sep, "/").endswith(suffix):
            if best is None or value[3] > best[3]:
                best = value
    return best


def phases(stats):
    rows = []
    for label, candidates in PHASES:
        for suffix, funcname in candidates:
            found = find(stats, suffix, funcname)
            if found is not None:
                rows.append((label, found[1], found[3]))
                break
    return rows


def top(stats, key, count):
    stats.sort_stats(key)
    rows = []
    for func in stats.fcn_list[:count]:
        cc, nc, tt, ct, _callers = stats.stats[func]
        filename, line, name = func
        where = "built-in" if is_builtin(filename) else f"{short_path(filename)}:{line}"
        rows.append((name, where, nc, cc, tt, ct))
    return rows


def short_path(filename):
    for marker, prefix in (("site-packages/", ""), ("/plugins/", "plugins/"),
                           ("/theme/templates/", "templates/")):
        if marker in filename:
            return prefix + filename.split(marker, 1)[1]
    return os.path.basename(filename)  # the standard library, the build script


def summarise(path, count):
    stats = pstats.Stats(path)
    total = stats.total_tt
    out = [f"### {path}", "", f"Profiled run: {total:.2f} s of CPU in "
           f"{stats.total_calls:,} calls.", ""]
    out += ["Main phases (inclusive time of the entry point):", "",
            "| phase | calls | seconds | share |", "| --- | ---: | ---: | ---: |"]
    for label, calls, seconds in phases(stats):
        out.append(f"| {label} | {calls} | {seconds:.2f} | {seconds / total:.1%} |")
    out += ["", "Exclusive time by component (C built-ins charged to their callers):", "",
            "| component | seconds | share |", "| --- | ---: | ---: |"]
    for label, seconds in sorted(by_component(stats).items(), key=lambda kv: -kv[1]):
        out.append(f"| {label} | {seconds:.2f} | {seconds / total:.1%} |")
    for key, title in (("cumulative", "cumulative"), ("tottime", "internal (total) time")):
        out += ["", f"Top {count} functions by {title}:", "",
                "| function | where | calls | cumulative s | internal s | cum. share |",
                "| --- | --- | ---: | ---: | ---: | ---: |"]
        for name, where, nc, cc, tt, ct in top(stats, key, count):
            calls = f"{nc}" if nc == cc else f"{nc}/{cc}"
            out.append(f"| `{name}` | {where} | {calls} | {ct:.2f} | {tt:.2f} | {ct / total:.1%} |")
    return "\n".join(out) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description="Summarise cProfile output of a build.")
    parser.add_argument("profiles", nargs="+")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    for path in args.profiles:
        print(summarise(path, args.top))  # noqa: T201 - the command's output
    return 0


if __name__ == "__main__":
    sys.exit(main())
