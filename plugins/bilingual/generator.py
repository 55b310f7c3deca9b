"""One pass over all content, written once per language.

``BilingualGenerator`` reads news, event reports, project profiles and pages
of every language, pairs translations by content type and slug, and writes
each item and each list page in its language, with a language switch that
leads to the same page in the other language.

Context keys it adds (shared by all templates of a language through the
per-page variables):
- ``lang``: language of the page being rendered (gettext reads it);
- ``sitename``, ``site_description``: the site's name and tagline in ``lang``;
- ``links``: hrefs of the main pages in ``lang`` (home, news, projects, ...);
- ``language_switch``: a :class:`~routes.LanguageSwitch` for the page;
- ``alternates``: ``[(hreflang, href)]`` for every language version plus x-default;
- ``page_key``, ``canonical``: the page's identity and its own href;
- ``feed_links``: feeds the page announces, from the context keys
  ``site_feeds`` ({lang: [link]}) and ``page_feeds`` ({(kind, ident): {lang: [link]}})
  that a feeds plugin fills;
- ``news_categories``: the news categories of ``lang`` as ``Term`` objects.

Item attributes it adds: ``date_display``, ``modified_display``, ``date_iso``,
``modified_iso``, ``summary_text``, ``category_term``, ``tag_terms``,
``project_links`` (news and reports), ``mentions`` (projects), ``track_name``,
``fiscal_year_label`` (projects), ``translation_of`` ({lang: item}).
"""

import datetime
import logging
import os
import re
from dataclasses import dataclass, field
from operator import attrgetter

from jinja2 import TemplateNotFound
from pelican.generators import CachingGenerator

from . import incremental, routes
from .contents import CONTENT_CLASSES, prime_slugs
from .i18n import N_, format_day, translate
from .images import size_images
from .parallel import in_parts, process_count
from .readers import prefetch

logger = logging.getLogger(__name__)



class ContentError(Exception):
    """Content that would make a wrong site; the message lists every problem."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(
            f"{len(self.problems)} content problem(s):\n" + "\n".join(self.problems)
        )


@dataclass
class Term:
    """A category, tag or track in one language, with its list page."""

    key: str
    name: str
    url: str = ""
    href: str = ""
    items: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.items)


@dataclass(frozen=True)
class Link:
    name: str
    href: str


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


def build_time(environ=os.environ):
    """The moment the site is built: SOURCE_DATE_EPOCH when set, else now (UTC).

    Reproducible builds and tests set SOURCE_DATE_EPOCH so that "published",
    "upcoming" and "embargoed" do not depend on the clock.
    """
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
    return datetime.datetime.now(tz=datetime.UTC)


def read_content(generator, folder, content_class):
    """Read every file of ``folder`` with ``content_class``, through the content cache.

    Returns ``(items, problems)``: a file that cannot be read is a problem,
    never a silently skipped page. Images get their size here, once, before
    the item is cached.
    """
    items, problems = [], []
    fresh = False
    slugs = {}
    for path in sorted(generator.get_files([folder])):
        item = generator.get_cached_data(path, None)
        if item is None:
            # Pelican's reader-level cache (the default layer) keeps the parsed
            # file; only a file it has to parse anew makes a cache worth saving.
            full_path = os.path.abspath(os.path.join(generator.path, path))
            fresh = fresh or generator.readers.get_cached_data(full_path, None) is None
            try:
                item = generator.readers.read_file(
                    base_path=generator.path,
                    path=path,
                    content_class=content_class,
                    context=generator.context,
                )
            except Exception as error:  # noqa: BLE001 - reported, build stops
                where = display_path(os.path.join(generator.path, path))
                problems.append(f"{where}: cannot be read: {error}")
                generator._add_failed_source_path(path)
                continue
            item._content = size_images(
                item._content, generator.path, os.path.dirname(item.source_path)
            )
            prime_slugs(item, slugs)
            generator.cache_data(path, item)
        items.append(item)
    if fresh:  # (every file came from the cache: nothing new to save)
        generator.save_cache()
        generator.readers.save_cache()
    return items, problems


def display_path(path):
    """A path as staff see it: relative to the working folder when inside it."""
    # (A prefix test first: os.path.relpath costs more than all the other
    # checks of a file, and every build checks every file.)
    here = os.path.join(os.getcwd(), "")
    if os.path.isabs(path) and path.startswith(here) and os.path.normpath(path) == path:
        return path[len(here):]
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def is_public(item, now):
    """Published, and not dated after the build time (an embargo)."""
    if item.status != "published":
        return False
    date = getattr(item, "date", None)
    return date is None or date <= now


# Which main-menu entry a page belongs to, by page kind.
SECTIONS = {
    "article": "news",
    "category": "news",
    "tag": "news",
    "tags": "news",
    "archives": "news",
    "report": "reports",
    "project": "projects",
}


def section_of(spec, sections):
    """The main-menu section of a page: its kind's section, or a page's slug."""
    kind, ident, _number = spec.key
    if kind == "page":
        return ident
    return sections.get(kind, kind)


def term_name(table, key, lang):
    """Display name of a category/tag/track key in ``lang``; the key itself if unnamed."""
    return table.get(key, {}).get(lang, key)


class BilingualGenerator(CachingGenerator):
    """Reads every content type in every language and writes the whole site."""

    def __init__(self, *args, **kwargs):
        self.items = {content_type: [] for content_type in CONTENT_CLASSES}
        self.pages_to_write = []
        super().__init__(*args, **kwargs)
        self.languages = tuple(self.settings["BILINGUAL_LANGUAGES"])
        self.catalogs = self.env.globals["ui_catalogs"]
        self.routes = routes.Routes(self.languages)
        self.terms_by_lang = {}
        self.sections = dict(SECTIONS)
        self.page_hooks = []
        self.written_hooks = []
        self.template_files = {}
        self.extra_links = {lang: {} for lang in self.languages}

    # -- reading ---------------------------------------------------------

    def read_items(self, content_type):
        """Read one content type; returns ([(item, its problems)], unreadable-file problems)."""
        folder = self.settings["BILINGUAL_CONTENT_PATHS"][content_type]
        items, problems = read_content(self, folder, CONTENT_CLASSES[content_type])
        return [(item, self.check_item(item, item.source_path)) for item in items], problems

    def check_item(self, item, path):
        """Problems that make an item unusable for the bilingual site."""
        problems = []
        path = display_path(item.source_path)
        lang = getattr(item, "lang", None)
        if "lang" not in item.metadata or lang not in self.languages:
            problems.append(
                f"{path}: Lang: {item.metadata.get('lang', 'missing')!r} — "
                f"write one of {', '.join(self.languages)}"
            )
        slug = item.metadata.get("slug")
        if not slug or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
            problems.append(
                f"{path}: Slug: {slug or 'missing'!r} — write lowercase ASCII "
                "letters, digits and hyphens, the same in both languages"
            )
        for name in item.mandatory_properties:
            if not getattr(item, name, None):
                field_name = name.replace("_", "-").title()
                problems.append(f"{path}: {field_name}: missing — add a {field_name}: line")
        return problems

    def prefetch_markdown(self):
        """Convert every Markdown file of the site on every core before reading.

        With a content cache to load, only the files it does not hold (fresh)
        are converted, and events are left to their own generator's cache.
        """
        folders = list(self.settings["BILINGUAL_CONTENT_PATHS"].values())
        cached = self.settings.get("LOAD_CONTENT_CACHE")
        if self.settings.get("EVENTS_PATH") and not cached:
            folders.append(self.settings["EVENTS_PATH"])
        paths = [
            os.path.abspath(os.path.join(self.path, path))
            for path in self.get_files(folders, extensions=("md",))
        ]
        if cached:
            paths = [path for path in paths if self.readers.get_cached_data(path, None) is None]
        prefetch(paths, self.settings, process_count(self.settings["BILINGUAL_PROCESSES"]))

    def generate_context(self):
        now = self.now = build_time()
        self.prefetch_markdown()
        problems = []
        for content_type in CONTENT_CLASSES:
            items, found = self.read_items(content_type)
            problems.extend(found)
            for item, item_problems in items:
                # A draft is not built, so its problems cannot break the site.
                if self.is_public(item):
                    problems.extend(item_problems)
                    self.items[content_type].append(item)
                    self.add_source_path(item)
                    self.add_static_links(item)
        problems.extend(self.pair_translations())
        problems.extend(self.resolve_project_references())
        if problems:
            # Raised, not logged one by one: with fatal errors on, the first
            # logged error would stop the build before the others are listed.
            raise ContentError(problems)
        for content_type, items in self.items.items():
            self.items[content_type] = sorted(
                items, key=lambda item: getattr(item, "date", None) or now, reverse=True
            )
        # Other plugins (feeds, events) read the items and add their own
        # pages through this generator, so that every page shares one table
        # of routes and gets a language switch.
        self.context["bilingual_items"] = self.items
        self.context["bilingual_terms"] = self.terms_by_lang
        self.context["bilingual_site"] = self
        self.plan_pages()

    def pair_translations(self):
        """Link the ja and en versions of each item; report duplicate slugs."""
        problems = []
        for items in self.items.values():
            problems.extend(self.pair_group(items))
        return problems

    def pair_group(self, items):
        """Pair the items of one content type by slug; returns duplicate-slug problems."""
        problems = []
        groups = {}
        for item in items:
            group = groups.setdefault(item.slug, {})
            if item.lang in group:
                problems.append(
                    f"{display_path(item.source_path)}: Slug: {item.slug!r} is already "
                    f"used by {display_path(group[item.lang].source_path)} in the same "
                    "language — give one of them another slug"
                )
                continue
            group[item.lang] = item
        for group in groups.values():
            for item in group.values():
                item.translation_of = group
                item.translations = [other for lang, other in group.items() if lang != item.lang]
        return problems

    def resolve_project_references(self):
        """Turn ``Projects: slug, ...`` of news and reports into links (``project.mentions``)."""
        return self.link_projects(self.items["news"] + self.items["reports"], "mentions")

    def link_projects(self, items, backlink):
        """Give each item ``project_links`` (projects of its language named in ``Projects:``)
        and each project the list ``backlink`` of those items; an unknown slug is a problem."""
        problems = []
        projects = {(p.slug, p.lang): p for p in self.items["projects"]}
        known = {p.slug for p in self.items["projects"]}
        for project in self.items["projects"]:
            setattr(project, backlink, [])
        for item in items:
            item.project_links = []
            for slug in item.projects:
                if slug not in known:
                    problems.append(
                        f"{display_path(item.source_path)}: Projects: no project with slug "
                        f"{slug!r} — use one of {', '.join(sorted(known)) or '(none yet)'}"
                    )
                    continue
                project = projects.get((slug, item.lang))
                if project is not None:
                    getattr(project, backlink).append(item)
                    item.project_links.append(project)
        return problems

    # -- planning the pages ----------------------------------------------

    def href(self, url):
        return routes.absolute(self.settings["SITEURL"], url)

    def list_url(self, lang, name, **values):
        root = routes.language_root(lang, self.languages)
        return root + self.settings["BILINGUAL_URLS"][name].format(**values)

    def language_root(self, lang):
        return routes.language_root(lang, self.languages)

    def register_kind(self, kind, fallbacks, fallback_name=None, section=None):
        """Teach the language switch and menu a page kind another plugin adds.

        ``fallbacks``: kinds to try when a page of this kind has no
        translation; ``fallback_name``: how the note names this kind's page
        when it is itself the fallback; ``section``: its main-menu entry.
        """
        self.routes.fallback_kinds[kind] = tuple(fallbacks)
        if fallback_name:
            self.routes.fallback_names[kind] = fallback_name
        if section:
            self.sections[kind] = section

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
        True when it started work in the background that the build waits for
        last: the pages written after it then yield to that work.

        Those pages are written first, so that work on them overlaps writing
        the others (and the feeds and calendars). ``fingerprints`` maps each
        of them (its file, relative to the output) to its fingerprint (same
        fingerprint, same bytes), or is None when pages are not fingerprinted
        (``BILINGUAL_REUSE_PAGES = False``).
        """
        self.written_hooks.append((hook, frozenset(kinds)))

    def update_page(self, key, lang, **variables):
        """Add template variables to a planned page (e.g. events on the home page)."""
        for spec in self.pages_to_write:
            if spec.key == key and spec.lang == lang:
                spec.variables.update(variables)
                return
        raise KeyError(f"no planned page {key!r} in {lang!r}")

    def absolute_siteurl(self):
        """SITEURL when absolute, else the preview address, else None."""
        for candidate in (self.settings["SITEURL"], self.settings["BILINGUAL_PREVIEW_SITEURL"]):
            candidate = (candidate or "").rstrip("/")
            if candidate.startswith(("https://", "http://")):
                return candidate
        return None

    def is_public(self, item):
        """Whether ``item`` is built: published and due, or any item in a drafts preview."""
        public = is_public(item, self.now)
        item.is_preview_only = not public
        return public or self.settings["BILINGUAL_SHOW_DRAFTS"]

    def translate(self, lang, message, **values):
        """``message`` (an English msgid) in ``lang``, placeholders filled."""
        return translate(self.catalogs, lang, message, **values)

    def add_page(self, key, lang, url, template, link_name=None, **variables):
        """Plan one page; ``key`` is ``(kind, ident, number)``, the same in every language.

        ``link_name`` also makes the page's href available to templates as
        ``links[link_name]`` (for menus and footers).
        """
        self.routes.add(key, lang, url)
        if link_name:
            self.extra_links[lang][link_name] = self.href(url)
        self.pages_to_write.append(PageSpec(key, lang, url, template, variables))

    def decorate_item(self, item):
        """Display values of an item, computed once here rather than in templates."""
        formats = self.settings["BILINGUAL_DATE_FORMATS"]
        if getattr(item, "date", None):
            item.date_display = format_day(item.date, item.lang, formats)
            item.date_iso = item.date.isoformat()
        modified = getattr(item, "modified", None)
        if modified and (not getattr(item, "date", None) or modified > item.date):
            item.modified_display = format_day(modified, item.lang, formats)
            item.modified_iso = modified.isoformat()
        else:
            item.modified_display = item.modified_iso = None
        item.freeze_urls()

    @staticmethod
    def display_path(path):
        return display_path(path)

    @staticmethod
    def content_error(problems):
        return ContentError(problems)

    def plan_pages(self):
        for items in self.items.values():
            for item in items:
                self.decorate_item(item)
        for lang in self.languages:
            self.plan_language(lang)

    def plan_language(self, lang):
        settings = self.settings
        per_page = settings["BILINGUAL_PAGINATION"]
        pattern = settings["BILINGUAL_PAGINATION_URL"]

        def mine(content_type):
            return [item for item in self.items[content_type] if item.lang == lang]

        news, reports, projects, pages = (
            mine("news"),
            mine("reports"),
            mine("projects"),
            mine("pages"),
        )

        categories = self.terms(news, lang, "category", settings["NEWS_CATEGORIES"])
        tags = self.terms(news, lang, "tag", settings["NEWS_TAGS"])
        self.terms_by_lang[lang] = {"categories": categories, "tags": tags}
        common = {
            "news_categories": categories,
            "news_tags": tags,
        }

        for item in news + reports:
            category = getattr(item, "category", None)
            item.category_term = (
                next(t for t in categories if t.key == category.slug)
                if category and item.content_type == "news"
                else None
            )
            slugs = {tag.slug for tag in getattr(item, "tags", [])}
            item.tag_terms = [t for t in tags if t.key in slugs]

        self.add_page(
            ("home", None, 1),
            lang,
            self.list_url(lang, "home"),
            "index",
            latest_news=news[: settings["BILINGUAL_HOME_NEWS"]],
            latest_reports=reports[: settings["BILINGUAL_HOME_REPORTS"]],
            projects=projects,
            **common,
        )

        self.plan_list(("news", None), lang, self.list_url(lang, "news"), news, per_page,
                       pattern, list_title=translate(self.catalogs, lang, N_("News")),
                       term=None, **common)
        for term in categories:
            self.plan_list(("category", term.key), lang, term.url, term.items, per_page,
                           pattern, list_title=term.name, term=term, **common)
        for term in tags:
            title = translate(self.catalogs, lang, N_("Tag: %(tag)s"), tag=term.name)
            self.plan_list(("tag", term.key), lang, term.url, term.items, per_page,
                           pattern, list_title=title, term=term, **common)
        self.add_page(("tags", None, 1), lang, self.list_url(lang, "news_tags"), "tags",
                      **common)
        self.add_page(("archives", None, 1), lang, self.list_url(lang, "news_archives"),
                      "archives", years=self.by_year(news, lang), **common)
        self.add_page(("reports", None, 1), lang, self.list_url(lang, "reports"), "reports",
                      items=reports, **common)
        self.add_page(("projects", None, 1), lang, self.list_url(lang, "projects"),
                      "projects", groups=self.project_groups(projects, lang), **common)

        for item in news:
            self.add_page(("article", item.slug, 1), lang, item.url, item.template,
                          article=item, **common)
        for item in reports:
            self.add_page(("report", item.slug, 1), lang, item.url, item.template,
                          article=item, **common)
        for item in projects:
            self.add_page(("project", item.slug, 1), lang, item.url, item.template,
                          project=item, **common)
        for item in pages:
            self.add_page(("page", item.slug, 1), lang, item.url, item.template,
                          page=item, **common)
        root = routes.language_root(lang, self.languages)
        self.add_page(("404", None, 1), lang,
                      root + settings["BILINGUAL_NOT_FOUND_SAVE_AS"], "404", **common)

    def plan_list(self, key, lang, base_url, items, per_page, pattern, **variables):
        chunks = routes.paginate(items, per_page)
        urls = [routes.numbered_url(base_url, n, pattern) for n in range(1, len(chunks) + 1)]
        for number, (chunk, url) in enumerate(zip(chunks, urls, strict=True), start=1):
            pagination = {
                "number": number,
                "count": len(chunks),
                "previous": self.href(urls[number - 2]) if number > 1 else None,
                "next": self.href(urls[number]) if number < len(chunks) else None,
                "pages": [
                    {"number": n, "href": self.href(urls[n - 1]), "current": n == number}
                    if n is not None else None
                    for n in routes.page_window(number, len(chunks))
                ],
            }
            self.add_page((*key, number), lang, url, "news", items=chunk,
                          pagination=pagination, **variables)

    def terms(self, items, lang, kind, names):
        """Categories or tags of ``items``, each with its list page, in key order."""
        found = {}
        for item in items:
            if kind == "category":
                values = [item.category] if getattr(item, "category", None) else []
            else:
                values = getattr(item, "tags", [])
            for value in values:
                key = value.slug
                term = found.get(key)
                if term is None:
                    url = self.list_url(lang, f"news_{kind}", slug=key)
                    term = found[key] = Term(
                        key, term_name(names, key, lang), url, self.href(url)
                    )
                term.items.append(item)
        order = list(names)
        return sorted(
            found.values(),
            key=lambda t: (order.index(t.key) if t.key in order else len(order), t.name),
        )

    def by_year(self, items, lang):
        """[(year, year label, [items])], newest year first, for the archives page."""
        years = {}
        for item in items:
            years.setdefault(item.date.year, []).append(item)
        return [
            (year, translate(self.catalogs, lang, N_("Year %(year)s"), year=year), found)
            for year, found in sorted(years.items(), reverse=True)
        ]

    def project_groups(self, projects, lang):
        """[(fiscal-year label, [(track Term, [projects])])], newest year first."""
        tracks = self.settings["PROJECT_TRACKS"]
        order = list(tracks)
        years = {}
        for project in projects:
            project.track_name = term_name(tracks, project.track, lang)
            project.fiscal_year_label = translate(
                self.catalogs, lang, N_("FY%(year)s"), year=project.fiscal_year
            )
            years.setdefault(str(project.fiscal_year), {}).setdefault(
                project.track, []
            ).append(project)
        groups = []
        for year in sorted(years, reverse=True):
            by_track = years[year]
            track_keys = sorted(
                by_track, key=lambda k: (order.index(k) if k in order else len(order), k)
            )
            groups.append(
                (
                    translate(self.catalogs, lang, N_("FY%(year)s"), year=year),
                    [
                        (Term(k, term_name(tracks, k, lang)),
                         sorted(by_track[k], key=attrgetter("title")))
                        for k in track_keys
                    ],
                )
            )
        return groups

    # -- writing ---------------------------------------------------------

    def language_variables(self, lang):
        """Variables every page of ``lang`` gets."""
        settings = self.settings
        links = {
            name: self.href(self.list_url(lang, name))
            for name in settings["BILINGUAL_URLS"]
            if "{" not in settings["BILINGUAL_URLS"][name]
        }
        for page in self.items["pages"]:
            if page.lang == lang:
                links[page.slug] = self.href(page.url)
        links.update(self.extra_links[lang])
        return {
            "lang": lang,
            "language_names": settings["BILINGUAL_LANGUAGE_NAMES"],
            "sitename": settings["BILINGUAL_SITENAMES"].get(lang, settings["SITENAME"]),
            "site_description": settings["BILINGUAL_SITE_DESCRIPTIONS"].get(lang, ""),
            "links": links,
        }

    def language_switch(self, key, lang):
        """The switch to the other language(s) for the page ``key`` in ``lang``."""
        switches = []
        names = self.settings["BILINGUAL_LANGUAGE_NAMES"]
        for other in self.languages:
            if other == lang:
                continue
            url, fallback = self.routes.nearest(key, other)
            note = ""
            if fallback is not None:
                note = translate(
                    self.catalogs,
                    other,
                    N_("Not translated: opens the %(page)s"),
                    page=translate(self.catalogs, other, self.routes.fallback_names[fallback]),
                )
            switches.append(
                routes.LanguageSwitch(other, names[other], self.href(url),
                                      fallback is None, note)
            )
        return switches

    def alternates(self, key):
        versions = self.routes.versions(key)
        alternates = [(lang, self.href(url)) for lang, url in versions.items()]
        if versions:
            default = versions.get(self.languages[0], next(iter(versions.values())))
            alternates.append(("x-default", self.href(default)))
        return alternates

    @staticmethod
    def preview_only(spec):
        """Whether the page shows an item that is built only in a drafts preview."""
        return any(
            getattr(spec.variables.get(name), "is_preview_only", False)
            for name in ("article", "project", "page", "event")
        )

    def feed_links(self, key, lang):
        """Feeds a page announces: its language's main feeds, then its list's own."""
        site_feeds = self.context.get("site_feeds", {}).get(lang, [])
        page_feeds = self.context.get("page_feeds", {}).get(key[:2], {}).get(lang, [])
        return list(site_feeds) + [link for link in page_feeds if link not in site_feeds]

    def generate_output(self, writer):
        per_language = {lang: self.language_variables(lang) for lang in self.languages}
        names = [spec.save_as for spec in self.pages_to_write]
        if len(names) != len(set(names)):
            twice = sorted({name for name in names if names.count(name) > 1})
            raise RuntimeError(f"[bilingual] two pages would be written to {', '.join(twice)}")
        fingerprints = self.page_fingerprints()
        early = frozenset().union(*(kinds for _hook, kinds in self.written_hooks))
        groups = [
            ([spec for spec in self.pages_to_write if spec.key[0] in early],
             [hook for hook, _kinds in self.written_hooks]),
            ([spec for spec in self.pages_to_write if spec.key[0] not in early], []),
        ]
        made = {"pages": {}, "rendered": 0, "reused": 0}
        started_work = False  # (by a written hook, in the background)
        for specs, hooks in groups:
            # Pages are independent of each other: render them on every core.
            # (Each process's Writer checks its own part for overwrites; the
            # check above covers the whole site.) Each part reports its pages'
            # fingerprints in a file, read back into the build's manifest.
            # The pages written while work started by a hook goes on yield to it.
            if specs:
                in_parts(
                    lambda part: self.write_pages(writer, part, per_language, fingerprints),
                    specs,
                    process_count(self.settings["BILINGUAL_PROCESSES"]),
                    yielding=started_work,
                )
            if specs and fingerprints is not None:
                part = incremental.collect_parts(self.output_path)
                made["pages"].update(part["pages"])
                made["rendered"] += part["rendered"]
                made["reused"] += part["reused"]
            for hook in hooks:
                if hook(dict(made["pages"]) if fingerprints is not None else None):
                    started_work = True
        if fingerprints is not None:
            incremental.write_manifest(self.output_path, made["pages"], fingerprints)
            logger.info("Rendered %d pages, reused %d unchanged from the previous build",
                        made["rendered"], made["reused"])

    def page_fingerprints(self):
        """What decides whether a page can be reused from the previous build (None: never)."""
        if not self.settings["BILINGUAL_REUSE_PAGES"]:
            return None
        previous = incremental.previous_build(self.settings, self.output_path)
        # Where every item is published goes into every fingerprint: a page's
        # text may link to any item by its {filename}. And every page's URL:
        # page hooks and language switches read them.
        fingerprints = incremental.PageFingerprints(
            self.settings, self.env, self.context, previous,
            extra={"items": self.item_urls(), "routes": self.routes.table()},
        )
        fingerprints.prepare(sorted({
            self.template_file(spec.template) for spec in self.pages_to_write
        }))
        return fingerprints

    def item_urls(self):
        """[(source path, URL)] of every item, in a fixed order (for fingerprints)."""
        return sorted((item.source_path, item.url)
                      for items in self.items.values() for item in items)

    def template_file(self, name):
        """The file of template ``name``, as ``get_template`` finds it, without compiling it.

        (A rebuild compiles only the templates of the pages it renders.)
        """
        if name not in self.template_files:
            for extension in self.settings["TEMPLATE_EXTENSIONS"]:
                try:
                    self.env.loader.get_source(self.env, name + extension)
                except TemplateNotFound:
                    continue
                self.template_files[name] = name + extension
                break
            else:
                self.template_files[name] = self.get_template(name).name  # (Pelican's error)
        return self.template_files[name]

    def write_pages(self, writer, specs, per_language, fingerprints=None):
        made = {"pages": {}, "rendered": 0, "reused": 0}
        for spec in specs:
            variables = {
                "page_key": spec.key,
                "preview_only": self.preview_only(spec),
                "section": section_of(spec, self.sections),
                "canonical": self.href(spec.url),
                "language_switch": self.language_switch(spec.key, spec.lang),
                "alternates": self.alternates(spec.key),
                "feed_links": self.feed_links(spec.key, spec.lang),
                **per_language[spec.lang],
                **spec.variables,
            }
            if fingerprints is not None:
                fingerprint = fingerprints.fingerprint(
                    spec.save_as, spec.url, self.template_file(spec.template), variables
                )
                made["pages"][spec.save_as] = fingerprint
                previous = fingerprints.reusable(spec.save_as, fingerprint)
                if previous is not None:
                    incremental.link_previous(previous, self.output_path, spec.save_as)
                    made["reused"] += 1
                    continue
            made["rendered"] += 1
            for hook in self.page_hooks:
                variables.update(hook(spec, variables))
            writer.write_file(
                spec.save_as,
                self.get_template(spec.template),
                self.context,
                relative_urls=False,
                url=spec.url,
                **variables,
            )
        if fingerprints is not None:
            incremental.write_part(self.output_path, made)


__all__ = ["BilingualGenerator", "ContentError", "build_time"]
