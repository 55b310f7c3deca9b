"""The site as the other plugins see it: the one interface they use.

``site_of(context)`` returns the :class:`Site` of the build under way (the
bilingual generator makes it in ``generate_context``; plugins whose
generators come after it in PLUGINS use it from theirs). Through it a plugin

- looks things up: the languages (:mod:`languages` records) and kinds
  (:mod:`kinds` records), the published items of a kind and language (each
  with ``translation_of``: {lang: item}), the projects, the build clock
  (``now``), the route of any page key (``url_of``, ``versions``,
  ``parent_of``), hrefs and absolute URLs (``href``, ``absolute``; ``join_url``
  is the one way to join the site's address and a path), the site's name and
  description, UI strings (``translate``);
- registers what it adds: its items' kind (``add_items``), its page kinds
  (``register_page_kind``), its pages (``add_page``, ``update_page``) and
  hooks on pages (``add_page_hook``, ``add_written_hook``), and what its
  pages announce (``announce``);
- reads what was planned: ``pages()`` (every page to be written).

A plugin that owns a kind (events) also reads and links its items through it
(``read_kind``, ``pair``, ``link_projects``, ``decorate``) and registers the
kind with :func:`register_kind` (the :class:`Kind`, :class:`Field` records
and :class:`SiteContent`, the base of its Content class, come from here too);
a plugin that writes whole files reuses unchanged ones with ``file_reuse``.

Nothing else of the bilingual plugin is for other plugins but its shared
helpers: ``files`` (writing bytes, display paths), ``i18n.N_``, ``rules``,
``settings.merge_defaults``, ``build`` and ``parallel``. Pelican's signals
stay the seams between plugins.
"""

import json
import logging
import os
from dataclasses import dataclass, field

from babel import Locale
from markupsafe import Markup

from . import collect, incremental, plan, routes
from .build import BuildState, current_build
from .contents import SiteContent
from .digest import Digester
from .i18n import N_, format_day, load_catalogs, translate
from .kinds import COMMON, LEAD_IMAGE, MODIFIED, Field, Kind, item_urls, site_kinds
from .kinds import register as register_kind
from .languages import site_languages
from .settings import apply_defaults

logger = logging.getLogger(__name__)

CONTEXT_KEY = "bilingual_site"
# A page kind's parent list, unless said otherwise: its first fallback.
FIRST_FALLBACK = object()


class ContentError(Exception):
    """Content that would make a wrong site; the message lists every problem."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(
            f"{len(self.problems)} content problem(s):\n" + "\n".join(self.problems)
        )


def join_url(base, path):
    """``base`` (a site address, or "" for root-relative links) joined to a site path."""
    return f"{base}/{path}"


def script_json(data):
    """JSON for a ``<script>`` data block (structured data), as Markup.

    "<" is escaped so that "</script>" in a title cannot end the block. Not
    indented: Python's JSON encoder works in C only without indentation (a
    third of the time, on every page), and the pages are smaller.
    """
    return Markup(json.dumps(data, ensure_ascii=False).replace("<", "\\u003c"))


@dataclass
class PageSpec:
    """One output file: what to render, where, and with which variables."""

    key: tuple
    lang: str
    url: str
    template: str
    variables: dict

    @property
    def save_as(self):
        return routes.save_as_for(self.url)


@dataclass(eq=False)
class Site(BuildState):
    """What one build knows of the site, and what plugins add to it.

    It is state of the run: page fingerprints digest what each page shows,
    never the whole site.
    """

    settings: dict
    catalogs: dict
    context: dict
    items: dict = field(default_factory=dict)  # {kind name: [items]}, newest first
    planned: list = field(default_factory=list)  # [PageSpec]
    page_hooks: list = field(default_factory=list)
    written_hooks: list = field(default_factory=list)
    extra_links: dict = field(default_factory=dict)
    announced: dict = field(default_factory=dict)  # {(kind, ident): {lang: [link]}}
    site_feeds: dict = field(default_factory=dict)  # {lang: [link]}
    terms: dict = field(default_factory=dict)  # {lang: {"categories": [...], "tags": [...]}}
    # {lang: {("category" or "tag", key): [items]}}: the items of each term
    term_items: dict = field(default_factory=dict)

    def __post_init__(self):
        self.languages = site_languages(self.settings)
        self.kinds = site_kinds(self.settings)
        self.build = current_build(self.settings)
        self.now = self.build.now
        self.routes = routes.Routes(self.languages.codes)
        # One digester for every fingerprint of the build (pages, feeds,
        # calendars, sitemap): an item digested for its page is not encoded
        # again for the calendars that show it.
        self.digester = Digester()
        self.sections = {}
        self.parents = {}
        for kind in self.kinds:
            self.register_page_kind(kind.page_kind, kind.fallback, section=kind.section,
                                    parent=kind.list_kind)
            if kind.list_kind:
                self.register_page_kind(kind.list_kind, (), fallback_name=kind.list_name,
                                        section=kind.section)
        self.extra_links = {lang: {} for lang in self.languages.codes}
        self.context[CONTEXT_KEY] = self

    # -- look-ups ---------------------------------------------------------

    def root(self, lang):
        """The folder of a language's pages: "" or "en/"."""
        return self.languages[lang].url_prefix

    def published_urls(self):
        """[(source path, URL)] of every item, in a fixed order (for fingerprints): any
        item's text may link to another by its {filename}, which becomes its URL."""
        return sorted((item.source_path, item.url)
                      for items in self.items.values() for item in items)

    def items_of(self, kind, lang=None):
        """Published items of ``kind`` (in ``lang``): newest first, events by start."""
        items = self.items.get(kind, [])
        return items if lang is None else [item for item in items if item.lang == lang]

    def projects(self, lang=None):
        return self.items_of("projects", lang)

    def href(self, url):
        """A page's href: absolute when SITEURL is, root-relative in previews."""
        return join_url(self.settings["SITEURL"], url)

    def absolute_siteurl(self):
        """SITEURL when absolute, else the preview address, else None."""
        for setting in ("SITEURL", "BILINGUAL_PREVIEW_SITEURL"):
            candidate = (self.settings[setting] or "").rstrip("/")
            if candidate.startswith(("https://", "http://")):
                return candidate
        return None

    def absolute(self, url):
        """An absolute URL for feeds and calendars (None when no address is known)."""
        base = self.absolute_siteurl()
        return None if base is None else join_url(base, url)

    def list_url(self, lang, name, **values):
        return self.root(lang) + self.settings["BILINGUAL_URLS"][name].format(**values)

    def translate(self, lang, message, **values):
        """``message`` (an English msgid) in ``lang``, placeholders filled."""
        return translate(self.catalogs, lang, message, **values)

    def sitename(self, lang):
        return self.settings["BILINGUAL_SITENAMES"].get(lang, self.settings["SITENAME"])

    def site_description(self, lang):
        return self.settings["BILINGUAL_SITE_DESCRIPTIONS"].get(lang, "")

    def url_of(self, key, lang):
        """The URL of the page ``key`` ((kind, ident, number)) in ``lang``, or None."""
        return self.routes.url(key, lang)

    def versions(self, key):
        """{lang: url} of every language the page ``key`` exists in."""
        return self.routes.versions(key)

    def parent_of(self, page_kind):
        """The page kind of the list a page of ``page_kind`` sits under (breadcrumbs), or None."""
        return self.parents.get(page_kind)

    def pages(self):
        """Every page planned so far (:class:`PageSpec`), in planning order."""
        return list(self.planned)

    @staticmethod
    def preview_only(spec):
        """Whether the page shows an item that is built only in a drafts preview."""
        item = spec.variables.get("item")
        return bool(getattr(item, "is_preview_only", False))

    def translation_notice(self, spec):
        """What the page of a translation says when its original changed since it was
        made: {"text", "link", "url", "hreflang", "lang"} in the page's language, or None."""
        item = spec.variables.get("item")
        original = getattr(item, "stale_from", None)
        if original is None:
            return None
        page, source = self.languages[spec.lang], self.languages[original.lang]
        name = Locale.parse(page.locale).languages.get(source.locale, source.name)
        when = getattr(original, "modified", None) or getattr(original, "date", None)
        text = (self.translate(spec.lang, N_("The %(language)s version of this page was "
                                             "updated on %(date)s; this translation may not "
                                             "include the change yet."),
                               language=name, date=format_day(when, page))
                if when else
                self.translate(spec.lang, N_("The %(language)s version of this page has been "
                                             "updated; this translation may not include the "
                                             "change yet."), language=name))
        return {"text": text, "url": self.href(original.url), "hreflang": source.hreflang,
                "link": self.translate(spec.lang, N_("Read the %(language)s version"),
                                       language=name)}

    def content_error(self, problems):
        return ContentError(problems)

    # -- for a plugin that reads a kind of its own ----------------------------

    def read_kind(self, generator, kind, extra_check=None):
        """Read ``kind``'s published items with ``generator`` (a Pelican generator of
        the plugin): ``(items, problems)``, by the same rules as every kind."""
        return collect.read_kind(generator, self, kind, extra_check)

    @staticmethod
    def pair(items):
        """Pair one kind's items by slug (``translation_of``); duplicate-slug problems."""
        return collect.pair(items)

    def link_projects(self, items, backlink):
        """``project_links`` of ``items`` (from ``Projects:``) and each project's ``backlink``."""
        return collect.link_projects(items, self.projects(), backlink)

    def decorate(self, item):
        """An item's display values (dates in its language), as the plugin's own get them."""
        plan.decorate_item(self, item)

    def file_reuse(self, name, output_path, packages=(), extra=()):
        """Reuse of the previous build's files made from the same inputs (None: never).

        See ``incremental.FileReuse``: ``reuse(names, fingerprint(*inputs))``
        links them from the previous output, ``save()`` keeps the fingerprints.
        """
        if not self.settings["BILINGUAL_REUSE_PAGES"]:
            return None
        return incremental.FileReuse(name, self.settings, output_path, packages, extra,
                                     digester=self.digester)

    # -- registration -------------------------------------------------------

    def register_page_kind(self, kind, fallbacks, fallback_name=None, section=None,
                           parent=FIRST_FALLBACK):
        """Teach the language switch, menu and breadcrumbs a page kind.

        ``fallbacks``: kinds to try when a page of this kind has no
        translation; ``fallback_name``: how the note names this kind's page
        when it is itself the fallback; ``section``: its main-menu entry;
        ``parent``: the list page it sits under (default: its first fallback).
        """
        if parent is FIRST_FALLBACK:
            parent = fallbacks[0] if fallbacks else None
        if parent:
            self.parents[kind] = parent
        if fallbacks:
            self.routes.fallback_kinds[kind] = tuple(fallbacks)
        if fallback_name:
            self.routes.fallback_names[kind] = fallback_name
        if section:
            self.sections[kind] = section

    def add_items(self, kind, items):
        """Publish the items a plugin read (newest first) under their kind's name."""
        self.items[kind] = list(items)

    def add_page(self, key, lang, url, template, link_name=None, **variables):
        """Plan one page; ``key`` is ``(kind, ident, number)``, the same in every language.

        ``link_name`` also makes the page's href available to templates as
        ``links[link_name]`` (for menus and footers). A list page passes the
        items it shows as ``listed``: its sitemap ``lastmod`` is their newest.
        """
        self.routes.add(key, lang, url)
        if link_name:
            self.extra_links[lang][link_name] = self.href(url)
        self.planned.append(PageSpec(key, lang, url, template, variables))

    def add_item_page(self, kind, item, **variables):
        """Plan the page of one item of ``kind`` (a :class:`kinds.Kind`)."""
        self.add_page((kind.page_kind, item.slug, 1), item.lang, item.url, item.template,
                      item=item, **{kind.variable: item}, **variables)

    def update_page(self, key, lang, **variables):
        """Add template variables to a planned page (e.g. events on the home page)."""
        for spec in self.planned:
            if spec.key == key and spec.lang == lang:
                spec.variables.update(variables)
                return
        raise KeyError(f"no planned page {key!r} in {lang!r}")

    def announce(self, key, lang, links, first=False):
        """Links (feeds, calendars) that the page ``key`` ((kind, ident)) announces."""
        announced = self.announced.setdefault(key, {})
        announced[lang] = list(links) + announced.get(lang, []) if first else (
            announced.get(lang, []) + list(links))

    def announce_on_every_page(self, lang, links):
        """Links (the main feeds) that every page of ``lang`` announces."""
        self.site_feeds[lang] = list(links)

    def add_page_hook(self, hook):
        """Call ``hook(spec, variables)`` before each page is rendered; it returns
        extra template variables (e.g. link-preview metadata).

        A hook may read only the page (``spec``, ``variables``), the settings
        and the routes of the site: a page whose fingerprint is unchanged is
        reused without being rendered, and its hooks are not called.
        """
        self.page_hooks.append(hook)

    def add_written_hook(self, hook, kinds):
        """Call ``hook(fingerprints)`` as soon as every page of ``kinds`` (page kinds
        such as "article") is written, e.g. to start indexing them. It returns
        None when it started nothing, else how many pages the work it started
        in the background handles (the build waits for that work last). The
        pages written after it yield to that work; when it handles more than
        ``generator.LIGHT_WORK_PAGES`` pages, the build also waits for them
        before it goes on to the feeds and calendars.

        Those pages are written first, so that work on them overlaps writing
        the others (and the feeds and calendars). ``fingerprints`` maps each
        of them (its file, relative to the output) to its fingerprint (same
        fingerprint, same bytes), or is None when pages are not fingerprinted
        (``BILINGUAL_REUSE_PAGES = False``).
        """
        self.written_hooks.append((hook, frozenset(kinds)))


def translations_path(settings):
    return settings["BILINGUAL_TRANSLATIONS_PATH"] or os.path.join(
        settings["THEME"], "translations"
    )


def ui_catalogs(settings):
    """{lang: gettext catalog} of the site's UI strings (compiled in memory)."""
    settings = apply_defaults(settings)
    return load_catalogs(translations_path(settings), settings["BILINGUAL_LANGUAGES"],
                         settings["BILINGUAL_SOURCE_LANGUAGE"])


def staff_language(settings):
    """The language staff read messages in: BILINGUAL_STAFF_LANGUAGE, else the site's first."""
    settings = apply_defaults(settings)
    return settings["BILINGUAL_STAFF_LANGUAGE"] or settings["BILINGUAL_LANGUAGES"][0]


def staff_gettext(settings):
    """The gettext of the staff's language, for :func:`i18n.said`."""
    settings = apply_defaults(settings)
    lang = staff_language(settings)
    return load_catalogs(translations_path(settings), (lang,),
                         settings["BILINGUAL_SOURCE_LANGUAGE"])[lang].gettext


def vocabulary_names(field, settings, catalogs=None):
    """{key: {lang: name}} of a choice field's keys: from its setting
    (NEWS_CATEGORIES), or, for a fixed list of keys (Event-Status), each key's
    English name ("moved-online" -> "Moved online") through the UI catalogs."""
    if isinstance(field.vocabulary, str):
        return {key: dict(labels or {}) for key, labels in
                (settings.get(field.vocabulary) or {}).items()}
    catalogs = catalogs if catalogs is not None else ui_catalogs(settings)
    codes = site_languages(apply_defaults(settings)).codes
    return {key: {lang: translate(catalogs, lang, key.replace("-", " ").capitalize())
                  for lang in codes}
            for key in field.vocabulary or ()}


# For tools that read the registries without building (invoke new, invoke check).
__all__ = ["COMMON", "LEAD_IMAGE", "MODIFIED", "ContentError", "Field", "Kind", "PageSpec", "Site",
           "SiteContent", "item_urls", "join_url", "register_kind", "site_kinds", "site_languages",
           "site_of", "staff_gettext", "staff_language", "ui_catalogs", "vocabulary_names"]


def site_of(context):
    """The :class:`Site` of the build under way; an error naming the fix before it exists."""
    site = context.get(CONTEXT_KEY)
    if site is None:
        raise RuntimeError("the bilingual plugin must come first in PLUGINS")
    return site
