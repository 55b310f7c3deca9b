"""URLs of list pages and the language switch between counterpart pages.

Every page the plugin writes has a key ``(kind, ident, number)``: the same key
in two languages means "the same page". The language switch looks the key up
in the other language and, when that page does not exist, falls back to the
nearest list page, which is said on the switch.
"""

from dataclasses import dataclass

from .i18n import N_

# How the last resort of the language switch is named in its note. Every
# other page kind's fallbacks and name come from its kind's record (kinds.py)
# or from the plugin that adds it (Site.register_page_kind).
FALLBACK_NAMES = {"home": N_("home page")}


def numbered_url(base_url, number, pattern):
    """URL of page ``number`` of a list whose first page is ``base_url``."""
    return base_url if number == 1 else base_url + pattern.format(number=number)


def save_as_for(url):
    """The file a URL is served from: folders get their index.html."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def paginate(items, per_page):
    """Split ``items`` into pages; an empty list still has one (empty) page."""
    if not items:
        return [[]]
    return [items[start : start + per_page] for start in range(0, len(items), per_page)]


def page_window(current, count, around=2):
    """Page numbers a pagination bar shows: first, last, and ``around`` either
    side of ``current``; ``None`` stands for a gap ("…").

    Linking every page from every page would make a long archive quadratic.
    """
    shown = {1, count, *range(current - around, current + around + 1)}
    numbers = sorted(n for n in shown if 1 <= n <= count)
    window = []
    for n in numbers:
        if window and n - window[-1] > 1:
            window.append(None)
        window.append(n)
    return window


@dataclass(frozen=True)
class LanguageSwitch:
    """The language switch of one page: where it leads and whether it is a translation."""

    lang: str
    name: str
    href: str
    translated: bool
    note: str = ""


class Routes:
    """The URL of every written page, by page key and language."""

    def __init__(self, languages):
        self.languages = languages
        self._urls = {}
        # Filled per build: a plugin adding a page kind changes this build only.
        self.fallback_kinds = {}
        self.fallback_names = dict(FALLBACK_NAMES)

    def add(self, key, lang, url):
        self._urls.setdefault(key, {})[lang] = url

    def url(self, key, lang):
        return self._urls.get(key, {}).get(lang)

    def table(self):
        """Every (key, language, URL), and the fallbacks, in a fixed order (for digests)."""
        rows = sorted(
            (repr(key), lang, url) for key, urls in self._urls.items() for lang, url in urls.items()
        )
        return {"rows": rows, "fallback_kinds": sorted(self.fallback_kinds.items()),
                "fallback_names": sorted(self.fallback_names.items())}

    def versions(self, key):
        """{lang: url} for every language the page exists in, in language order."""
        found = self._urls.get(key, {})
        return {lang: found[lang] for lang in self.languages if lang in found}

    def nearest(self, key, lang):
        """The page to show for ``key`` in ``lang``: itself, or its nearest list page.

        Returns ``(url, fallback_kind)``; ``fallback_kind`` is None when the
        page itself exists in ``lang``.
        """
        url = self.url(key, lang)
        if url is not None:
            return url, None
        kind, ident, number = key
        if number != 1:
            url = self.url((kind, ident, 1), lang)
            if url is not None:
                return url, None
        for fallback in self.fallback_kinds.get(kind, ()) + ("home",):
            url = self.url((fallback, None, 1), lang)
            if url is not None:
                return url, fallback
        raise KeyError(f"no page for {key!r} in {lang!r}, not even a home page")
