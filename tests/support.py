"""Helpers shared by the tests: building sites and reading what they emit."""

import textwrap
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

import tasks

ROOT = Path(__file__).resolve().parent.parent
SITEURL = "https://wellness.example.test"
# 2026-11-25 00:00 UTC: a fixed "now" so that embargoes and lists do not
# depend on the day the tests run.
BUILD_EPOCH = "1795564800"


def build(output, content=None, **overrides):
    """Build with pelicanconf.py (real theme and plugins) into ``output``.

    Tiny test sites skip the search index (Pagefind takes most of a second);
    the real site, the browser tests and the leak and reproducibility tests
    build it.
    """
    settings = {"SITEURL": SITEURL, **overrides}
    if content is not None:
        settings.setdefault("SEARCH_INDEX", False)
    if content is not None:
        settings["PATH"] = str(content)
    return tasks.build_site("pelicanconf.py", output, settings)


def write_content(root, files):
    """Write {relative path: text} into ``root`` (dedented), return ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root

class Site:
    """A built site: its files, parsed pages and URL resolution."""

    def __init__(self, output):
        self.output = Path(output)

    def html_files(self):
        return sorted(self.output.rglob("*.html"))

    def page(self, relative):
        path = self.output / relative
        if path.is_dir() or relative.endswith("/") or relative == "":
            path = path / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def file_for(self, href, base=SITEURL):
        """The output file an internal href points to, or None if external."""
        parts = urlsplit(href)
        if parts.scheme in ("mailto", "tel") or href.startswith("#"):
            return None
        if parts.scheme or parts.netloc:
            if not href.startswith(base + "/"):
                return None
            path = href[len(base) :]
        else:
            path = parts.path
        path = urlsplit(path).path
        if not path.startswith("/"):
            raise AssertionError(f"relative link {href!r}: links must be absolute")
        target = self.output / path.lstrip("/")
        if path.endswith("/"):
            target = target / "index.html"
        return target

    def relative(self, path):
        return str(Path(path).relative_to(self.output))


# One page of each type, by its path in Japanese; English is under /en/.
PAGE_TYPES = {
    "home": "",
    "news list": "news/",
    "news page 2": "news/page/2/",
    "archives": "news/archives/",
    "category": "news/category/column/",
    "tags": "news/tag/",
    "tag": "news/tag/wellness/",
    "article": "news/column-105-business-promotion-projects/",
    "projects": "projects/",
    "project": "projects/mysos/",
    "reports": "reports/",
    "report": "reports/tokyo-wellness-networking-2022-report/",
    "events": "events/",
    "month": "events/2026/12/",
    "event": "events/wellness-data-seminar-2026/",
    "cancelled event": "events/childcare-dx-meetup-2026/",
    "page": "about/",
    "accessibility": "accessibility/",
    "subscribe": "subscribe/",
    "search": "search/",
    "404": "404.html",
}


def all_page_paths():
    return [prefix + path for path in PAGE_TYPES.values() for prefix in ("", "en/")]
