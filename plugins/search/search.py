"""Site search without a server: Pagefind indexes the built pages of each language.

Only content pages (news, reports, projects, events, pages) are indexed, and
only their main content: their ``<main>`` carries ``data-pagefind-body`` and
``data-pagefind-meta`` marks for the content type and year, by which the
search page filters results. (Not Pagefind's own filters: Pagefind 1.5
writes its filter files in a different order on every run, and the build
must stay byte-for-byte reproducible.) Drafts and embargoed items are not
built, so they are never indexed.

Each language's pages are split into *shards* of at most
``SEARCH_SHARD_PAGES`` pages (by a hash of the page's file name, so a page
stays in its shard as the archive grows), each a Pagefind bundle of its own
under ``<SEARCH_BUNDLE_DIR>/<lang>-<n>/``; the search page loads the first
and merges the others (``mergeIndex``). Two reasons:

- memory: Pagefind holds a whole index in memory (about 0.2 MB a Japanese
  page); a shard at a time keeps a large archive's build under 1 GB;
- rebuilds: a shard whose pages are those of the previous build (the same
  fingerprints, or the same bytes when pages are not fingerprinted) is
  hard-linked from the previous output instead of indexed again
  (``.build-manifest-search.json`` keeps each shard's digest), so an edit
  re-indexes one shard, not the site. The text of a Japanese shard's pages,
  cut into words, is kept in the output too
  (``.build-manifest-search-words-<lang>-<n>.json``, by page fingerprint):
  cutting is half the cost of indexing a Japanese shard, and an edit cuts
  only the pages that changed.

One Pagefind process per core indexes shards one after the other, each
taking the dearest shard left when it is free (Japanese first), each page as
this plugin reads it from the output (cut into words first for Japanese) and
sends it without waiting for the previous one's answer; all in the
background, as soon as the pages they index are written.

Pagefind's script is loaded under a name carrying its content hash,
``pagefind.<hash>.js`` (a copy beside ``pagefind.js`` in every bundle), so that
it can be cached for a year like the stylesheet; the search page gives
Pagefind the bundle's folder (``basePath``), which Pagefind would otherwise
read from the name ``pagefind.js``. Its index files are named by their
content already. The files ``pagefind.js`` loads by fixed names (its worker,
its WebAssembly, ``pagefind-entry.json``) cannot be renamed without patching
Pagefind: the server has browsers revalidate those (deploy/locations.conf).

Pages of a language written without spaces (Japanese) are cut into words
with ICU before Pagefind reads them, the way the browser cuts a query
(segment.py); Pagefind's plain binary indexes them, so the "extended" one and
its Japanese dictionary are not used.

Template variables: ``search_filters`` ({"type": ..., "year": ..., "date": the
date a result shows}) on content pages; the search page gets ``pagefind_js`` (the first bundle's
fingerprinted script), ``pagefind_base`` (that bundle's folder),
``pagefind_merge`` (the other bundles' folders, space-separated),
``search_years`` (the years that have content, newest first) and
``search_joins_words`` (results show words cut for the index joined again).
Signals: ``get_generators`` (plans the shards and the search pages; the
index starts once the bilingual generator has written the pages it reads,
and ``generate_output`` waits for it).
"""

import functools
import hashlib
import json
import logging
import math
import os
import re
import threading
import time
import zlib
from dataclasses import dataclass

from bilingual.files import link_or_copy
from bilingual.incremental import installed_version
from bilingual.parallel import process_count, usable_cores
from bilingual.site import site_of
from pelican import signals
from pelican.generators import Generator

from .segment import segmenter_version, spaced_html
from .service import PagefindService
from .settings import apply_defaults

logger = logging.getLogger(__name__)

# Each shard's digest, in the output, for the next build.
MANIFEST_NAME = ".build-manifest-search.json"
# The words of a shard's pages (a language cut into words), for the next build.
CUT_TEXT_PREFIX = ".build-manifest-search-words-"

def search_types(kinds):
    """{page kind: the search filter's name of its type} of the indexed kinds."""
    return {kind.page_kind: kind.search_type for kind in kinds if kind.search_type}


def search_filters(spec, variables, types):
    """Filters of a content page (type, year) and the date its result shows;
    None for pages that are not indexed."""
    kind = spec.key[0]
    if kind not in types:
        return None
    filters = {"type": types[kind]}
    item = variables.get("item")
    schedule = getattr(item, "schedule", None)
    date = schedule.starts_at() if schedule is not None else getattr(item, "date", None)
    if date is not None:
        filters["year"] = str(date.year)
    # The date a result shows, as the page says it (an event: when it is held).
    shown = getattr(item, "when_display", None) or getattr(item, "date_display", None)
    if shown:
        filters["date"] = shown
    return filters


class SearchGenerator(Generator):
    """Plans the search page of each language and the index shards; builds the index."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_defaults(self.settings)
        self.shards = {}
        self.indexing = None

    def generate_context(self):
        site = self.site = site_of(self.context)
        types = search_types(site.kinds)
        site.add_page_hook(
            lambda spec, variables: {"search_filters": search_filters(spec, variables, types)}
        )
        site.register_page_kind("search", (), section="search")
        if self.settings["SEARCH_INDEX"]:
            site.add_written_hook(self.start_index, types)
        bundle = self.settings["SEARCH_BUNDLE_DIR"]
        indexed = {lang: [] for lang in site.languages.codes}
        for spec in site.pages():
            if spec.key[0] in types:
                indexed[spec.lang].append(spec.save_as)
        self.shards = {
            lang: plan_shards(names, self.settings["SEARCH_SHARD_PAGES"])
            for lang, names in indexed.items()
        }
        years = {}
        for items in site.items.values():
            for item in items:
                date = getattr(item, "date", None)
                if date is not None:
                    years.setdefault(item.lang, set()).add(str(date.year))
        for lang in site.languages.codes:
            folders = [shard_folder(bundle, lang, number)
                       for number in range(len(self.shards[lang]))]
            site.add_page(
                ("search", None, 1), lang,
                site.root(lang) + self.settings["SEARCH_URL"], "search",
                link_name="search",
                pagefind_js=(site.href(f"{folders[0]}/{self.script_name()}")
                             if folders else ""),
                pagefind_base=site.href(f"{folders[0]}/") if folders else "",
                pagefind_merge=" ".join(site.href(f"{folder}/") for folder in folders[1:]),
                search_years=sorted(years.get(lang, ()), reverse=True),
                search_types=self.type_choices(site, lang),
                search_joins_words=segmented_locale(lang, self.settings) is not None,
            )

    def script_name(self):
        """The fingerprinted name of Pagefind's script (plain ``pagefind.js`` without an index)."""
        if not self.settings["SEARCH_INDEX"]:
            return SCRIPT
        return fingerprinted_script_name(pagefind_version())

    def type_choices(self, site, lang):
        """[(search type, its name in ``lang``)] for the search page's type filter."""
        kinds = [kind for kind in site.kinds if kind.search_type]
        order = list(self.settings["SEARCH_TYPE_ORDER"])
        kinds.sort(key=lambda kind: (order.index(kind.search_type)
                                     if kind.search_type in order else len(order)))
        return [(kind.search_type, site.translate(lang, kind.type_name or kind.name))
                for kind in kinds]

    def start_index(self, fingerprints):
        """Index the pages in the background as soon as they are all written.

        Pagefind runs in processes of its own, so it indexes while this one
        writes the list pages, feeds, calendars and sitemap;
        ``generate_output`` waits for it. Returns how many pages it indexes
        (the written hook's answer), or None when the index is off.
        """
        if not self.settings["SEARCH_INDEX"]:
            return None
        plan = None
        if fingerprints is not None:
            # Which shards changed, known now from the fingerprints (without
            # them, from the pages' bytes, read in the background).
            plan = plan_index(self.output_path, self.settings, self.shards, fingerprints)
        self.indexing = self.site.build.start(build_index, self.output_path, self.settings,
                                              self.shards, fingerprints, plan)
        if plan is None:
            return sum(len(names) for shards in self.shards.values() for names in shards)
        return plan.pages()

    def generate_output(self, writer):
        if not self.settings["SEARCH_INDEX"]:
            return
        if self.indexing is None:
            raise RuntimeError("[search] the pages were not written: is the bilingual plugin on?")
        self.indexing.result()


def plan_shards(names, size):
    """``names`` (a language's indexed files) dealt into shards of about ``size`` pages.

    By a hash of the name, not by position: adding or removing a page moves
    no other page to another shard (until the number of shards changes).
    """
    if not names:
        return []
    count = max(1, math.ceil(len(names) / max(1, size)))
    shards = [[] for _ in range(count)]
    for name in sorted(names):
        shards[zlib.crc32(name.encode()) % count].append(name)
    return [shard for shard in shards if shard]


def shard_folder(bundle, lang, number):
    return f"{bundle}/{lang}-{number}"


SCRIPT = "pagefind.js"


def script_name_of(data):
    """``pagefind.<first 8 hex digits of its SHA-256>.js``, as plugins/assets names theme files."""
    return f"pagefind.{hashlib.sha256(data).hexdigest()[:8]}.js"


@functools.cache
def fingerprinted_script_name(version):
    """The name of the script a Pagefind ``version`` writes into every bundle.

    Asked of Pagefind once per build process (an index without pages, a
    fraction of a second): the search page is planned before the index is
    built, and the script depends on nothing but the version.
    """
    with PagefindService() as service:
        return script_name_of(service.empty_bundle()[SCRIPT])


def write_fingerprinted_script(bundle):
    """Write the copy of ``bundle``/pagefind.js under its fingerprinted name; return the name."""
    with open(os.path.join(bundle, SCRIPT), "rb") as source:
        data = source.read()
    name = script_name_of(data)
    with open(os.path.join(bundle, name), "wb") as copy:
        copy.write(data)
    return name


def pagefind_version():
    return installed_version("pagefind") or "unknown"


def shard_digest(output_path, names, fingerprints=None):
    """Digest of a shard's pages and of the Pagefind that indexes them.

    A page counts by its fingerprint when the bilingual generator gives one
    (the same fingerprint renders the same bytes, and reading every page
    back took longer than indexing an edited shard), else by its bytes.
    """
    # (ICU's version too: a new dictionary may cut the same pages differently.)
    hasher = hashlib.blake2b(f"{pagefind_version()} {segmenter_version()}".encode(),
                             digest_size=16)
    if fingerprints is not None and all(name in fingerprints for name in names):
        hasher.update(b"fingerprints\0")
        for name in names:
            hasher.update(f"{name}\0{fingerprints[name]}\0".encode())
        return hasher.hexdigest()
    for name in names:
        with open(os.path.join(output_path, name), "rb") as page:
            hasher.update(name.encode() + b"\0" + hashlib.blake2b(page.read()).digest())
    return hasher.hexdigest()


def read_search_manifest(output):
    try:
        with open(os.path.join(output, MANIFEST_NAME), encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError, TypeError):
        return {}


@dataclass
class IndexPlan:
    """What an index build does: the shards it indexes and those it reuses."""

    previous_output: str | None
    manifest: dict  # {shard folder: digest of its pages}
    work: dict  # {lang: [(shard folder, its page files)]}: the shards to index
    reused: list  # [(previous shard folder, new shard folder)]: the shards to link

    def pages(self):
        """How many pages the shards to index hold."""
        return sum(len(names) for shards in self.work.values() for _folder, names in shards)


def plan_index(output_path, settings, shards, fingerprints=None):
    """Which shards to index and which to reuse from the previous output.

    ``fingerprints``: {page file: fingerprint} of the pages, when known.
    """
    bundle = settings["SEARCH_BUNDLE_DIR"]
    previous_output = settings.get("BILINGUAL_PREVIOUS_OUTPUT")
    if previous_output and os.path.abspath(previous_output) == os.path.abspath(output_path):
        previous_output = None
    previous = read_search_manifest(previous_output) if previous_output else {}
    plan = IndexPlan(previous_output, {}, {}, [])
    for lang, lang_shards in shards.items():
        for number, names in enumerate(lang_shards):
            folder = shard_folder(bundle, lang, number)
            digest = plan.manifest[folder] = shard_digest(output_path, names, fingerprints)
            old = os.path.join(previous_output or "", folder)
            if previous.get(folder) == digest and os.path.isfile(
                os.path.join(old, "pagefind-entry.json")
            ):
                plan.reused.append((old, os.path.join(output_path, folder)))
            else:
                plan.work.setdefault(lang, []).append((folder, names))
    return plan


def build_index(output_path, settings, shards, fingerprints=None, plan=None):
    """Index (or reuse from the previous output) every shard of every language.

    ``fingerprints``: {page file: fingerprint} of the pages, when known;
    ``plan``: what ``plan_index`` found, when it was asked already.
    """
    started = time.perf_counter()
    if plan is None:
        plan = plan_index(output_path, settings, shards, fingerprints)
    previous_output, manifest, work, reused = (plan.previous_output, plan.manifest,
                                               plan.work, plan.reused)

    def link_reused():
        for old, new in reused:
            link_tree(old, new)
            words = cut_text_path(previous_output, os.path.basename(old))
            if os.path.isfile(words):
                link_or_copy(words, cut_text_path(output_path, os.path.basename(new)))

    # The shards to index first; the reused ones are linked while Pagefind works.
    locales = {lang: segmented_locale(lang, settings) for lang in work}
    cut_texts = CutTexts(previous_output, output_path, fingerprints)
    index_shards(output_path, work, then=link_reused, locales=locales,
                 processes=process_count(settings.get("BILINGUAL_PROCESSES")),
                 cut_texts=cut_texts)
    planned = fingerprinted_script_name(pagefind_version())
    for lang_shards in work.values():
        for folder, _names in lang_shards:
            canonicalize_entry(os.path.join(output_path, folder))
            written = write_fingerprinted_script(os.path.join(output_path, folder))
            if written != planned:
                raise RuntimeError(f"[search] {folder}: Pagefind wrote {written}, "
                                   f"but the search page links to {planned}")
    with open(os.path.join(output_path, MANIFEST_NAME), "w", encoding="utf-8") as handle:
        json.dump(dict(sorted(manifest.items())), handle, separators=(",", ":"))
    indexed = sum(map(len, work.values()))
    logger.info("[search] indexed %d shard(s), reused %d, in %.2f s",
                indexed, len(manifest) - indexed, time.perf_counter() - started)


def segmented_locale(lang, settings):
    """The locale to cut ``lang``'s pages into words with, or None (a language with spaces)."""
    primary = lang.split("-")[0].lower()
    return lang if primary in settings["SEARCH_SEGMENTED_LANGUAGES"] else None


def index_shards(output_path, work, then=None, locales=None, processes=None, cut_texts=None):
    """Index the shards of ``work`` ({lang: [(folder, names)]}) in ``processes``
    Pagefind processes side by side (one per core by default); a failure fails
    the build. ``cut_texts``: the :class:`CutTexts` of the pages cut into words.

    The shards are shared out as the processes get free, the dearest first
    (a Japanese page costs about twice an English one: it is cut into words
    first), so that the processes end together rather than one language's
    shards being left to one process at the end. ``then()`` is called while
    they work; ``locales``: {lang: locale to cut its pages into words with,
    or None}.
    """
    locales = locales or {}
    queue = sorted(
        ((folder, names, locales.get(lang)) for lang, shards in work.items()
         for folder, names in shards),
        key=lambda shard: (-len(shard[1]) * (2 if shard[2] else 1), shard[0]),
    )
    failures = []
    lock = threading.Lock()

    def next_shard():
        with lock:
            return queue.pop(0) if queue and not failures else None

    def index_in_turn():
        try:
            with PagefindService() as service:
                while (shard := next_shard()) is not None:
                    index_shard(service, output_path, *shard, cut_texts=cut_texts)
        except Exception as error:  # noqa: BLE001 - raised below, in the build's thread
            failures.append(error)

    count = min(len(queue), processes or usable_cores())
    threads = [threading.Thread(target=index_in_turn) for _ in range(count)]
    for thread in threads:
        thread.start()
    try:
        if then is not None:
            then()
    finally:
        for thread in threads:
            thread.join()
    if failures:
        raise RuntimeError(f"[search] Pagefind failed: {failures[0]}") from failures[0]


def index_shard(service, output_path, folder, names, locale=None, cut_texts=None):
    """Index the pages ``names`` into the bundle ``folder`` of the output.

    ``locale``: the language to cut into words first (segment.py), for a
    language written without spaces; None gives Pagefind the pages as they are.
    ``cut_texts``: where the pages cut in the previous build are (cut again
    only when they changed) and this build's are kept.
    """
    if locale is None or cut_texts is None:
        pages = ((page_url(name), indexed_html(output_path, name, locale)) for name in names)
        count = service.index_pages(pages, os.path.join(output_path, folder))
    else:
        shard = os.path.basename(folder)
        before, now = cut_texts.previous(shard, locale), {}

        def cut_pages():
            for name in names:
                text = cut_texts.reuse(before, name)
                if text is None:
                    text = indexed_html(output_path, name, locale)
                now[name] = text
                yield page_url(name), text

        count = service.index_pages(cut_pages(), os.path.join(output_path, folder))
        cut_texts.keep(shard, locale, now)
    if count != len(names):
        raise RuntimeError(f"{folder}: Pagefind indexed {count} of {len(names)} pages")


class CutTexts:
    """The pages of a shard as sent to Pagefind, cut into words, by fingerprint.

    Kept in the output beside the manifests (never deployed or served) as
    {"cut": locale and ICU version, "pages": {page: [its fingerprint, its
    text]}}; a page whose fingerprint is unchanged is not read and cut again.
    The same fingerprint renders the same page, so the text is the same as
    cutting it again would give (a rebuild's output is byte-identical to a
    build from scratch, tested). Pages without a fingerprint
    (``BILINGUAL_REUSE_PAGES`` off) are always cut.
    """

    def __init__(self, previous_output, output_path, fingerprints):
        self.previous_output = previous_output
        self.output_path = output_path
        self.fingerprints = fingerprints or {}

    @staticmethod
    def cut_by(locale):
        return f"{locale} ICU {segmenter_version()}"

    def previous(self, shard, locale):
        """{page: [fingerprint, text]} of the previous build's shard, or {}."""
        if not self.previous_output or not self.fingerprints:
            return {}
        try:
            with open(cut_text_path(self.previous_output, shard), encoding="utf-8") as handle:
                kept = json.load(handle)
        except (OSError, ValueError):
            return {}
        if not isinstance(kept, dict) or kept.get("cut") != self.cut_by(locale):
            return {}
        pages = kept.get("pages")
        return pages if isinstance(pages, dict) else {}

    def reuse(self, before, name):
        """The page's text cut in the previous build if it is unchanged, else None."""
        fingerprint = self.fingerprints.get(name)
        kept = before.get(name)
        if fingerprint is None or not isinstance(kept, list) or len(kept) != 2:
            return None
        return kept[1] if kept[0] == fingerprint and isinstance(kept[1], str) else None

    def keep(self, shard, locale, texts):
        """Write the shard's texts (of the pages that have a fingerprint) for the next build."""
        pages = {name: [self.fingerprints[name], text] for name, text in sorted(texts.items())
                 if name in self.fingerprints}
        if not pages:
            return
        data = json.dumps({"cut": self.cut_by(locale), "pages": pages},
                          ensure_ascii=False, separators=(",", ":"))
        with open(cut_text_path(self.output_path, shard), "w", encoding="utf-8") as handle:
            handle.write(data)


def cut_text_path(output, shard):
    """Where the output ``output`` keeps the cut texts of the shard ``shard`` (``ja-0``)."""
    return os.path.join(output, f"{CUT_TEXT_PREFIX}{shard}.json")


def page_url(name):
    """The address of the page ``name`` in results: ``/news/x/`` for news/x/index.html."""
    return "/" + name.removesuffix("index.html")


def indexed_html(output_path, name, locale=None):
    """The page as Pagefind reads it: its indexed part, cut into words when ``locale`` is given.

    Pagefind reads nothing outside the element marked ``data-pagefind-body``
    but the page's language, so only those are sent: the head, header and
    footer are 40 % of a page's bytes, which Pagefind would parse for nothing.
    """
    with open(os.path.join(output_path, name), encoding="utf-8") as page:
        text = page.read()
    start, end = indexed_part(text)
    if start == 0:
        return spaced_html(text, locale) if locale is not None else text
    body = text[start:end]
    if locale is not None:
        body = spaced_html(body, locale)
    return (f"{html_start_tag(text)}<body>{element_start_tag(text, start)}"
            f"{body}</main></body></html>")


def indexed_part(text):
    """(start, end) of what Pagefind indexes: the content of the element marked
    ``data-pagefind-body`` (through the page's last ``</main>``), else (0, len)."""
    marker = text.find("data-pagefind-body")
    if marker < 0:
        return 0, len(text)
    start = text.index(">", marker) + 1
    end = text.rfind("</main>")
    return (start, end) if end > start else (0, len(text))


def element_start_tag(text, content_start):
    """The start tag that ends right before ``content_start``."""
    return text[text.rindex("<", 0, content_start):content_start]


def html_start_tag(text):
    """The page's ``<html …>`` tag (its language), or a bare one."""
    match = HTML_START_TAG.search(text)
    return match.group(0) if match else "<html>"


HTML_START_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)


def link_tree(source, target):
    """Hard-link every file of ``source`` into ``target`` (copy across disks)."""
    for parent, _dirs, files in os.walk(source):
        into = os.path.join(target, os.path.relpath(parent, source))
        for name in files:
            link_or_copy(os.path.join(parent, name), os.path.join(into, name))


def canonicalize_entry(bundle):
    """Rewrite pagefind-entry.json with its languages in a fixed order.

    Pagefind lists them in whatever order its threads finished; the content is
    the same, so sorting keeps two builds of the same site byte-identical.
    """
    path = os.path.join(bundle, "pagefind-entry.json")
    with open(path, encoding="utf-8") as handle:
        entry = json.load(handle)
    entry["languages"] = dict(sorted(entry["languages"].items()))
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(entry, handle, ensure_ascii=False, separators=(",", ":"))


def add_generator(pelican):
    return SearchGenerator


def register():
    signals.get_generators.connect(add_generator)
