"""Atom and RSS feeds per language, built with feedgen; one feed system for the site.

For each language: all news, each news category, each project (the news and
event reports that mention it); each in Atom and RSS 2.0. Pelican's own feeds
are switched off in the settings.

Which items go into which feed comes from the kind registry: a kind with
``feed`` has its own feed (the first is the language's main feed, which every
page announces), ``in_feeds`` puts its items into the events feed or the
feeds of the projects they name. A list page announces its own feeds
(``site.announce``).

Context key it adds: ``feeds``: {lang: [FeedGroup]}, every feed of a language
(the Subscribe page).

Rules kept in ``writing.py``, each guarding against a feedgen default (see
shared/reference/research/feeds_ical.md, section 2.2): entries are appended
newest first (``add_entry`` prepends by default); the self link is set per
format and the page link last (RSS ``<link>`` takes the last link); feed and
entry ``updated`` come from the content, never the clock; content is
``type="html"`` (``CDATA`` makes invalid Atom); one link per entry.
"""

import dataclasses
import logging
from dataclasses import dataclass, field

from bilingual.files import write_bytes
from bilingual.i18n import N_
from bilingual.site import join_url, site_of
from pelican import signals
from pelican.generators import Generator

from .settings import apply_defaults
from .writing import FORMATS, absolute_href, build_feed, entry_of, serialize

logger = logging.getLogger(__name__)

# What writes the feeds besides our code (their versions are in the fingerprints).
FEED_PACKAGES = ("feedgen", "lxml", "python-dateutil")


@dataclass(frozen=True)
class FeedLink:
    """A feed as pages announce it."""

    title: str
    href: str
    fmt: str

    @property
    def media_type(self):
        return FORMATS[self.fmt]


@dataclass
class FeedSpec:
    """One feed (in both formats): its identity, texts, page and entries."""

    kind: str
    ident: str | None
    lang: str
    title: str
    subtitle: str
    page_href: str
    urls: dict
    items: list = field(default_factory=list)

    def links(self, domain):
        return [FeedLink(self.title, join_url(domain, self.urls[fmt]), fmt) for fmt in FORMATS]


@dataclass
class FeedGroup:
    """Feeds shown together on the Subscribe page."""

    title: str
    feeds: list


class FeedsGenerator(Generator):
    """Plans feeds after the bilingual generator has read the content; writes them last."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_defaults(self.settings)
        self.specs = []
        self.domain = None

    def generate_context(self):
        site = site_of(self.context)
        # Feeds need absolute links: SITEURL, or the preview address.
        self.domain = site.absolute_siteurl()
        if self.domain is None:
            logger.warning(
                "[feeds] no feeds: SITEURL or BILINGUAL_PREVIEW_SITEURL must be an absolute URL"
            )
            return
        self.build_time = site.now
        site_feeds, page_feeds, groups = {}, {}, {}
        for lang in site.languages.codes:
            specs = self.plan_language(site, lang)
            self.specs.extend(specs)
            main = specs[0]
            site_feeds[lang] = main.links(self.domain)
            for spec in specs:
                page_feeds.setdefault((spec.kind, spec.ident), {})[lang] = spec.links(self.domain)
            groups[lang] = self.group(site, lang, specs)
            site.add_page(
                ("subscribe", None, 1),
                lang,
                site.root(lang) + self.settings["FEEDS_SUBSCRIBE_URL"],
                "subscribe",
                link_name="subscribe",
                feed_groups=groups[lang],
                calendars=self.context.get("calendars", {}).get(lang, []),
                # (The page names a feed per project: it changes when they do.)
                listed=site.items_of("projects", lang),
            )
        for lang, links in site_feeds.items():
            site.announce_on_every_page(lang, links)
        # First: the events plugin has already announced its calendars there.
        for key, by_lang in page_feeds.items():
            for lang, links in by_lang.items():
                site.announce(key, lang, links, first=True)
        self.context["feeds"] = groups

    def plan_language(self, site, lang):
        """The feeds of one language; the first is its main (all news) feed."""
        sitename = site.sitename(lang)
        root = site.root(lang)
        urls = self.settings["FEEDS_URLS"]

        def feed_urls(kind, **values):
            # (A kind a site adds has its feed at feeds/<kind>.<fmt>.xml.)
            pattern = urls.get(kind) or f"feeds/{kind}.{{fmt}}.xml"
            return {fmt: root + pattern.format(fmt=fmt, **values) for fmt in FORMATS}

        def text(message, **values):
            return site.translate(lang, message, **values)

        def members(feed):
            return [item for kind in site.kinds if feed in kind.in_feeds
                    for item in site.items_of(kind.name, lang)]

        specs = []
        for kind in site.kinds:
            if not kind.feed:
                continue
            specs.append(FeedSpec(
                kind.name, None, lang,
                text(kind.feed_title, site=sitename) if kind.feed_title else
                text(N_("%(site)s: %(category)s"), site=sitename,
                     category=text(kind.list_title or kind.name)),
                site.site_description(lang),
                absolute_href(self.domain, site.href(root + kind.list_url)),
                feed_urls(kind.name),
                site.items_of(kind.name, lang),
            ))
            if kind.list_style != "news":
                continue
            for term in site.terms[lang]["categories"]:
                specs.append(FeedSpec(
                    "category", term.key, lang,
                    text(N_("%(site)s: %(category)s"), site=sitename, category=term.name),
                    text(N_("News in the category %(category)s"), category=term.name),
                    absolute_href(self.domain, term.href),
                    feed_urls("category", slug=term.key),
                    site.term_items[lang][("category", term.key)],
                ))
        if "events" in site.items:
            # Announcements (events with a publication Date, still upcoming)
            # and the items of kinds in the events feed (event reports),
            # newest publication first.
            announced = [e for e in site.items_of("events", lang)
                         if e.is_upcoming and getattr(e, "date", None)]
            specs.append(FeedSpec(
                "events", None, lang,
                text(N_("%(site)s: events"), site=sitename),
                text(N_("Upcoming networking events and event reports")),
                absolute_href(self.domain, site.href(site.url_of(("events", None, 1), lang))),
                feed_urls("events"),
                sorted(announced + [item for item in members("events")
                                    if item.content_type != "events"],
                       key=lambda item: item.date, reverse=True),
            ))
        mentioning = members("project")
        for project in site.projects(lang):
            mentions = sorted(
                (item for item in mentioning if project in item.project_links),
                key=lambda item: item.date,
                reverse=True,
            )
            specs.append(FeedSpec(
                "project", project.slug, lang,
                text(N_("%(site)s: %(project)s"), site=sitename, project=project.title),
                text(N_("News and event reports about %(project)s"), project=project.title),
                join_url(self.domain, project.url),
                feed_urls("project", slug=project.slug),
                mentions,
            ))
        return specs

    def group(self, site, lang, specs):
        """The Subscribe page's groups: all news, categories, projects."""
        titles = {
            "news": N_("All news"),
            "category": N_("News by category"),
            "project": N_("News and reports by project"),
            "events": N_("Events"),
        }
        groups = []
        kinds = list(titles) + [spec.kind for spec in specs if spec.kind not in titles]
        for kind in dict.fromkeys(kinds):
            feeds = [spec for spec in specs if spec.kind == kind]
            if feeds:
                title = site.translate(lang, titles[kind]) if kind in titles else feeds[0].title
                groups.append(FeedGroup(title, feeds))
        for group in groups:
            group.feeds = [(spec.title, spec.links(self.domain)) for spec in group.feeds]
        return groups

    def generate_output(self, writer):
        # A feed is made again only when its items changed: each item counts
        # by its digest (every field, its text; the same the pages'
        # fingerprints found, so not digested again), and its text's links
        # by where every item is published. Entries are made only for the
        # feeds made again: an edit usually changes none.
        site = site_of(self.context)
        reuse = site.file_reuse("feeds", self.output_path, packages=FEED_PACKAGES,
                                extra=[self.domain, site.published_urls()])
        # An item is in several feeds (all news, its category, its projects).
        entries, contents = {}, {}
        limit = self.settings["FEED_MAX_ITEMS"] or None
        for spec in self.specs:
            items = spec.items[:limit]
            names = [spec.urls[fmt] for fmt in FORMATS]
            # The clock counts only for a feed without entries, whose date it is.
            inputs = (dataclasses.replace(spec, items=[]), items,
                      None if items else self.build_time)
            if reuse is not None and reuse.reuse_if_same(names, *inputs):
                continue
            for item in items:
                if id(item) not in entries:
                    entries[id(item)] = entry_of(item, self.domain, self.settings)
            own = [entries[id(item)] for item in items]
            generator = build_feed(spec, own, self.settings, self.build_time, contents)
            for fmt in FORMATS:
                self_href = join_url(self.domain, spec.urls[fmt])
                data = serialize(generator, fmt, self_href, spec.page_href)
                write_bytes(self.output_path, spec.urls[fmt], data)
        if reuse is not None:
            reuse.save_when_written(site.build)


def add_generator(pelican):
    return FeedsGenerator


def register():
    signals.get_generators.connect(add_generator)
