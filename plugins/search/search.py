"""Site search without a server: Pagefind indexes the built pages of each language.

Only content pages (news, reports, projects, events, pages) are indexed, and
only their main content: their ``<main>`` carries ``data-pagefind-body`` and
``data-pagefind-meta`` marks for the content type and year, by which the
search page filters results. (Not Pagefind's own filters: Pagefind 1.5
writes its filter files in a different order on every run, and the build
must stay byte-for-byte reproducible.) Pagefind makes a separate index per
``<html lang>``; its "extended" build segments Japanese. Drafts and embargoed
items are not built, so they are never indexed.

Template variables: ``search_filters`` ({"type": ..., "year": ...}) on
content pages; the search page gets ``pagefind_js`` (the script's href) and
``search_years`` (the years that have content, newest first).
Signals: ``get_generators`` (plans the search pages), ``finalized`` (runs
Pagefind over the finished output, before the build is swapped in).
"""

import json
import logging
import os
import subprocess
import sys

from pelican import signals
from pelican.generators import Generator

from .settings import apply_defaults

logger = logging.getLogger(__name__)

# Content type of each page kind, as the search filter names it.
SEARCH_TYPES = {
    "article": "news", "report": "report", "project": "project",
    "event": "event", "page": "page",
}
ITEM_VARIABLES = ("article", "project", "page", "event")


def search_filters(spec, variables):
    """Filters of a content page; None for pages that are not indexed."""
    kind = spec.key[0]
    if kind not in SEARCH_TYPES:
        return None
    filters = {"type": SEARCH_TYPES[kind]}
    item = next((variables[name] for name in ITEM_VARIABLES if variables.get(name)), None)
    schedule = getattr(item, "schedule", None)
    date = schedule.starts_at() if schedule is not None else getattr(item, "date", None)
    if date is not None:
        filters["year"] = str(date.year)
    return filters


class SearchGenerator(Generator):
    """Plans the search page of each language and marks the pages to index."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_defaults(self.settings)

    def generate_context(self):
        site = self.context.get("bilingual_site")
        if site is None:
            raise RuntimeError("[search] the bilingual plugin must come before search in PLUGINS")
        site.add_page_hook(lambda spec, variables: {"search_filters": search_filters(spec, variables)})
        site.register_kind("search", (), section="search")
        bundle = self.settings["SEARCH_BUNDLE_DIR"]
        years = {}
        for items in list(self.context["bilingual_items"].values()) + list(
            self.context.get("bilingual_events", {}).values()
        ):
            for item in items:
                date = getattr(item, "date", None)
                if date is not None:
                    years.setdefault(item.lang, set()).add(str(date.year))
        for lang in site.languages:
            site.add_page(
                ("search", None, 1), lang,
                site.language_root(lang) + self.settings["SEARCH_URL"], "search",
                link_name="search",
                pagefind_js=site.href(f"{bundle}/pagefind.js"),
                search_years=sorted(years.get(lang, ()), reverse=True),
            )

    def generate_output(self, writer):
        """Nothing to write here: the index is built once every file exists."""


def build_index(pelican):
    """``finalized``: index the finished output with Pagefind (a build error if it fails)."""
    settings = pelican.settings
    if not settings.get("SEARCH_INDEX", True):
        return
    command = [
        sys.executable, "-m", "pagefind",
        "--site", pelican.output_path,
        "--output-subdir", settings.get("SEARCH_BUNDLE_DIR", "pagefind"),
        # Only the HTML pages: Pagefind need not open feeds, calendars, assets.
        "--glob", "**/*.html",
        "--quiet",
    ]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise RuntimeError(f"[search] Pagefind failed:\n{run.stdout}{run.stderr}")
    canonicalize_entry(os.path.join(pelican.output_path, settings.get("SEARCH_BUNDLE_DIR", "pagefind")))


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
    signals.finalized.connect(build_index)
