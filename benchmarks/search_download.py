"""What a citizen's first search downloads: bytes and requests, in Chromium, both languages.

Usage (from the project root, with the project's venv)::

    .venv/bin/python benchmarks/search_download.py output
    .venv/bin/python benchmarks/search_download.py /tmp/site/out --json /tmp/search.json
    .venv/bin/python benchmarks/search_download.py output --query-ja "予防接種 報告" \\
        --query-en "vaccination report"

It serves the built site on 127.0.0.1 (a free port, Python's threaded
http.server, as the browser tests do) and, for each language, opens the
search page (``/search/``, ``/en/search/``) in a fresh Chromium context (an
empty cache, as on a citizen's first visit), waits until the form shows
(Pagefind is loaded and every shard merged), types the query into it as a
user would, presses Enter, and waits until the results are shown and no
request has been under way for half a second.

Every download is counted, by its **body as sent**: Resource Timing's
``encodedBodySize`` (response headers left out: they depend on the server, not
on the site), read from the page's timeline and from its workers' (Pagefind
fetches its files in a Web Worker, whose fetches the page's timeline does not
list; Playwright's ``request.sizes()`` says 0 bytes for the worker's script).
A resource the browser took from its cache (``transferSize`` 0) is no
download. The downloads come in two parts:

- **the page**: the search page's HTML, stylesheet, our script and anything
  else outside the Pagefind bundles;
- **the search**: everything under ``/pagefind/``: Pagefind's script, its
  worker and WebAssembly, each shard's ``pagefind-entry.json`` and metadata
  (``.pf_meta``, loaded when the page starts), then, once the query is sent,
  the index chunks (``.pf_index``) holding its words and the fragments
  (``.pf_fragment``) of the results shown.

Why per shard: a large archive's index is split into shards of at most
``SEARCH_SHARD_PAGES`` pages (plugins/search/search.py), and the search page
merges them all (Pagefind's script, worker and WebAssembly come once). Each
shard adds its entry and metadata files at start and, at search time, the
chunk of its index holding each query word (as Pagefind cuts the query:
予防接種 is two words; words that share a chunk share the download), so a
first search downloads more as the number of shards grows; the fragments
depend only on how many results are read (at most 30, search.js).

http.server does not compress: the HTML, CSS and scripts count uncompressed
(nginx would send the publish build's .br/.gz copies); Pagefind's own index,
metadata, fragments and WebAssembly are compressed by Pagefind itself, so
those bytes are what any server sends.

A query that finds nothing downloads no fragments and so flatters the number:
the defaults are words of the generated benchmark content (corpus_text.py)
and of the real content, and the script says so (exit status 1) when a query
found nothing. It prints a Markdown table; ``--json FILE`` also writes every
request. Exit status 2: no Chromium, no Playwright, or no built site.
"""

import argparse
import functools
import importlib.util
import json
import re
import sys
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

from common import ROOT, say, show

# (language, its search page, default query: words of the generated articles,
# e.g. 予防接種の記録 / "vaccination records" and 報告書 / "will report on".)
LANGUAGES = (
    ("ja", "search/", "予防接種 報告"),
    ("en", "en/search/", "vaccination report"),
)
QUIET_SECONDS = 0.5
TIMEOUT_SECONDS = 60


def browser_helpers():
    """The browser tests' helpers (tests/browser/conftest.py): find_chromium,
    CHROMIUM_ARGS (no traffic of Chromium's own), QuietHandler and Playwright's
    sync_playwright (ImportError without the test requirements)."""
    for folder in (ROOT, ROOT / "tests"):
        if str(folder) not in sys.path:
            sys.path.append(str(folder))
    spec = importlib.util.spec_from_file_location(
        "browser_conftest", ROOT / "tests" / "browser" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def kind_of(path):
    """What a file under /pagefind/ is, by its name."""
    name = path.rsplit("/", 1)[-1]
    if name == "pagefind-worker.js":
        return "worker"
    if name.startswith("pagefind") and name.endswith(".js"):
        return "script"
    if name.startswith("wasm.") or name.endswith(".wasm"):
        return "wasm"
    if name == "pagefind-entry.json":
        return "entry"
    for suffix, kind in ((".pf_meta", "metadata"), (".pf_index", "index chunk"),
                         (".pf_fragment", "fragment"), (".pf_filter", "filter")):
        if name.endswith(suffix):
            return kind
    return "other"


# Every resource the page and its workers fetched (Resource Timing: the page's
# navigation and resources, and a worker's own fetches, which are in the
# worker's timeline only), at absolute times.
RESOURCES = """() => performance.getEntriesByType('navigation')
  .concat(performance.getEntriesByType('resource'))
  .map((entry) => ({url: entry.name, at: performance.timeOrigin + entry.startTime,
                    transfer: entry.transferSize, body: entry.encodedBodySize,
                    status: entry.responseStatus, initiator: entry.initiatorType}))"""
# Chromium keeps 250 resource entries per timeline unless told otherwise.
TIMELINE_LIMIT = 250


class Traffic:
    """Whether a request of a browser context is still under way, and which failed."""

    def __init__(self, context):
        self.pending = set()
        self.failed = []
        self.last = time.monotonic()
        context.on("request", self.started)
        context.on("requestfinished", self.ended)
        context.on("requestfailed", self.ended)

    def started(self, request):
        self.pending.add(request)
        self.last = time.monotonic()

    def ended(self, request):
        self.pending.discard(request)
        if request.failure:
            self.failed.append(f"{request.url} ({request.failure})")
        self.last = time.monotonic()

    def wait_until_quiet(self, page):
        """Until no request has been under way for QUIET_SECONDS (Playwright's
        "networkidle" is reached once per page load, not after a search)."""
        give_up = time.monotonic() + TIMEOUT_SECONDS
        while self.pending or time.monotonic() - self.last < QUIET_SECONDS:
            if time.monotonic() > give_up:
                raise TimeoutError(f"requests still under way: {self.pending}")
            page.wait_for_timeout(100)


def downloads(page, base, typed_at):
    """What the page and its workers downloaded, as rows: address, part (page or
    search), kind, phase (page load or search), bytes, status. A resource the
    browser took from its cache (transferSize 0, e.g. the icon asked again when
    the address changes) is no download."""
    rows = []
    for timeline in (page, *page.workers):
        entries = timeline.evaluate(RESOURCES)
        if len(entries) >= TIMELINE_LIMIT:
            raise RuntimeError(f"{timeline.url}: the resource timeline is full: some "
                               "downloads would not be counted")
        for entry in entries:
            if not entry["transfer"]:
                continue
            path = entry["url"].removeprefix(base).split("?")[0]
            search = path.startswith("/pagefind/")
            rows.append({
                "url": path, "part": "search" if search else "page",
                "kind": kind_of(path) if search else entry["initiator"],
                "phase": "search" if entry["at"] >= typed_at else "page load",
                "bytes": entry["body"], "status": entry["status"],
            })
    return sorted(rows, key=lambda row: (row["phase"] != "page load", row["url"]))


def first_search(browser, base, lang, page_path, query):
    """Open the search page in a fresh context, search ``query``; what it downloaded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        traffic = Traffic(context)
        page = context.new_page()
        page.goto(f"{base}/{page_path}")
        form = page.locator("form#site-search")
        status = page.locator("#search-status")
        # The form shows once Pagefind is loaded and the shards merged (search.js).
        page.wait_for_function(
            "!document.getElementById('site-search').hidden"
            " || document.getElementById('search-status').textContent.length > 0",
            timeout=TIMEOUT_SECONDS * 1000)
        if form.is_hidden():
            raise RuntimeError(f"{lang}: the search did not start: {status.text_content()!r}")
        traffic.wait_until_quiet(page)
        shards = 1 + len(form.get_attribute("data-pagefind-merge").split())
        typed_at = page.evaluate("performance.timeOrigin + performance.now()")
        field = page.locator("#search-query")
        field.click()
        field.press_sequentially(query)
        field.press("Enter")
        page.wait_for_function("document.getElementById('search-status').textContent.length > 0",
                               timeout=TIMEOUT_SECONDS * 1000)
        traffic.wait_until_quiet(page)
        shown = page.locator("#search-results > li").count()
        said = status.text_content()
        if said == form.get_attribute("data-error"):
            raise RuntimeError(f"{lang}: the search failed: {said!r}")
        found = re.search(r"\d+", said.replace(",", ""))
        results = int(found.group()) if found and shown else 0
        return {"lang": lang, "query": query, "page": f"/{page_path}", "shards": shards,
                "results": results, "shown": shown, "status": said,
                "failed": traffic.failed, "requests": downloads(page, base, typed_at)}
    finally:
        context.close()


def totals(measure):
    rows = measure["requests"]
    search = [row for row in rows if row["part"] == "search"]
    return {
        "requests": len(rows), "search_requests": len(search),
        "bytes": sum(row["bytes"] for row in rows),
        "search_bytes": sum(row["bytes"] for row in search),
        "after_typing_bytes": sum(row["bytes"] for row in rows if row["phase"] == "search"),
        "failed": measure["failed"] + [row["url"] for row in rows
                                       if (row["status"] or 0) >= 400],
    }


def kilobytes(count):
    return f"{count / 1000:,.1f}"


# The kinds of the search's files, as kind_of names them.
KINDS = ("script", "worker", "wasm", "entry", "metadata", "index chunk", "fragment", "filter",
         "other")


def table(measures):
    lines = [
        "| language | query | results | shards | requests (search) | KB of the search "
        "| KB after typing | KB in all |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for measure in measures:
        total = measure["totals"]
        lines.append(
            f"| {measure['lang']} | {measure['query']} | {measure['results']} "
            f"| {measure['shards']} | {total['requests']} ({total['search_requests']}) "
            f"| {kilobytes(total['search_bytes'])} | {kilobytes(total['after_typing_bytes'])} "
            f"| {kilobytes(total['bytes'])} |")
    lines += ["", "The search, by kind of file (requests / KB):", "",
              "| language | " + " | ".join(KINDS) + " |",
              "| --- |" + " ---: |" * len(KINDS)]
    for measure in measures:
        cells = []
        for kind in KINDS:
            rows = [row for row in measure["requests"]
                    if row["part"] == "search" and row["kind"] == kind]
            bytes_ = sum(row["bytes"] for row in rows)
            cells.append(f"{len(rows)} / {kilobytes(bytes_)}" if rows else "–")
        lines.append(f"| {measure['lang']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def serve(folder, handler_class):
    """An HTTP server of ``folder`` on 127.0.0.1 (a free port), in a thread; (server, base)."""
    handler = functools.partial(handler_class, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", help="the built site (e.g. output, or <generated site>/out)")
    for lang, _page, query in LANGUAGES:
        parser.add_argument(f"--query-{lang}", default=query,
                            help=f"the words searched on the {lang} page (default: {query})")
    parser.add_argument("--json", default=None, help="also write every request as JSON here")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    output = Path(args.output).resolve()
    if not output.is_dir():
        say(f"[search-download] no folder {output}: build the site first "
            "(.venv/bin/invoke build, or build_ours.py in a generated site)")
        return 2
    missing = [page for _lang, page, _query in LANGUAGES
               if not (output / page / "index.html").is_file()]
    if missing:
        say(f"[search-download] {output} is not a built site with search pages "
            f"(no {', '.join(page + 'index.html' for page in missing)}): build it first "
            "(.venv/bin/invoke build, or build_ours.py in a generated site)")
        return 2
    try:
        helpers = browser_helpers()
    except ImportError as error:
        say(f"[search-download] {error}: install the test requirements "
            "(.venv/bin/pip install -r requirements-test.txt)")
        return 2
    chromium = helpers.find_chromium()
    if chromium is None:
        say("[search-download] no Chromium found (install Debian's chromium, or set CHROMIUM)")
        return 2

    server, base = serve(output, helpers.QuietHandler)
    measures = []
    try:
        with helpers.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium,
                                                 args=helpers.CHROMIUM_ARGS)
            version = browser.version
            for lang, page, _query in LANGUAGES:
                query = getattr(args, f"query_{lang}")
                say(f"[search-download] {lang}: searching {query!r} on /{page}")
                try:
                    measure = first_search(browser, base, lang, page, query)
                except (RuntimeError, TimeoutError) as error:
                    say(f"[search-download] {error}")
                    return 2
                measure["totals"] = totals(measure)
                measures.append(measure)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()

    show(table(measures))
    show("")
    show(f"KB: 1,000 bytes of response bodies as sent (Resource Timing's encodedBodySize of "
         f"every download of the page and its workers; headers left out); {output} served "
         f"by Python's http.server (no compression), Chromium {version}, a fresh context "
         "(empty cache) per language. \"After typing\": the index chunks and fragments of "
         "the query; the rest of the search loads with the page.")
    problems = 0
    for measure in measures:
        if measure["totals"]["failed"]:
            say(f"[search-download] {measure['lang']}: failed requests: "
                f"{measure['totals']['failed']}")
            problems += 1
        if not measure["results"]:
            say(f"[search-download] {measure['lang']}: {measure['query']!r} found nothing "
                f"({measure['status']!r}): a search without results downloads no fragments, "
                "so this number is too low; pick words the site contains")
            problems += 1
    if args.json:
        Path(args.json).write_text(json.dumps(
            {"site": str(output), "chromium": version, "bytes": "encodedBodySize",
             "languages": measures}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
