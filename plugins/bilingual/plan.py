"""Planning the pages of the kinds the bilingual plugin reads, in every language.

For each language: the home page, each kind's list pages (by the kind's
``list_style``: ``news`` paginated with categories, tags and archives;
``simple`` one list; ``projects`` grouped by fiscal year and track), each
item's page, and the not-found page. Display values are computed here, never
in templates: ``date_display`` (Pelican's ``locale_date`` too),
``modified_display``, ``date_iso``, ``modified_iso``, ``category_term``
(``page_category_term`` on the item's own page), ``tag_terms``,
``track_name``, ``fiscal_year_label``.
"""

from dataclasses import dataclass
from operator import attrgetter

from . import routes
from .i18n import N_, format_day


@dataclass
class Term:
    """A category, tag or track in one language, with its list page: what pages show of it.

    Its items are not among its fields but in ``Site.term_items``: every page of
    a language is given the terms (the list pages show them with their counts),
    and a page is made again whenever anything it is given changes, so items
    here made every page of a language depend on every item's title (editing
    one title rendered 1,400 pages again at 1,000 pairs).
    """

    key: str
    name: str
    url: str = ""
    href: str = ""
    count: int = 0


def term_name(table, key, lang):
    """Display name of a category/tag/track key in ``lang``; the key itself if unnamed."""
    return table.get(key, {}).get(lang, key)


def decorate_item(site, item):
    """Display values of an item, computed once here rather than in templates."""
    language = site.languages[item.lang]
    if getattr(item, "date", None):
        # (Pelican's own name for it too, for templates written for Pelican.)
        item.date_display = item.locale_date = format_day(item.date, language)
        item.date_iso = item.date.isoformat()
    modified = getattr(item, "modified", None)
    if modified:
        item.locale_modified = format_day(modified, language)
    if modified and (not getattr(item, "date", None) or modified > item.date):
        item.modified_display = item.locale_modified
        item.modified_iso = modified.isoformat()
    else:
        item.modified_display = item.modified_iso = None
    item.freeze_urls()


def plan_site(site):
    """Plan every page of the plugin's kinds in every language."""
    kinds = site.kinds.read_by("bilingual")
    for kind in kinds:
        if kind.list_style == "news":
            register_news_page_kinds(site, kind)
        for item in site.items_of(kind.name):
            decorate_item(site, item)
    for lang in site.languages.codes:
        plan_language(site, kinds, lang)


def plan_language(site, kinds, lang):
    settings = site.settings
    categories, tags = [], []
    term_items = site.term_items[lang] = {}
    for kind in kinds:
        if kind.list_style == "news":
            news = site.items_of(kind.name, lang)
            categories += terms(site, news, lang, "category", settings["NEWS_CATEGORIES"],
                                term_items)
            tags += terms(site, news, lang, "tag", settings["NEWS_TAGS"], term_items)
    site.terms[lang] = {"categories": categories, "tags": tags}
    common = {"news_categories": categories, "news_tags": tags}
    for kind in kinds:
        # An item's page names its kind's list above the title ("お知らせ");
        # a category of the same name (お知らせ, announcements) is not said
        # again beside the date there (``page_category_term`` is None).
        list_title = site.translate(lang, kind.list_title) if kind.list_title else None
        for item in site.items_of(kind.name, lang):
            category = getattr(item, "category", None)
            item.category_term = (
                next((t for t in categories if t.key == category.slug), None)
                if category and kind.field("Category") else None
            )
            repeated = item.category_term is not None and item.category_term.name == list_title
            item.page_category_term = None if repeated else item.category_term
            slugs = {tag.slug for tag in getattr(item, "tags", [])}
            item.tag_terms = [t for t in tags if t.key in slugs]

    home = {variable: site.items_of(kind, lang)[:count]
            for variable, (kind, count) in settings["BILINGUAL_HOME_LISTS"].items()}
    site.add_page(("home", None, 1), lang, site.list_url(lang, "home"), "index",
                  listed=[item for items in home.values() for item in items], **home, **common)
    for kind in kinds:
        LIST_PLANNERS.get(kind.list_style, plan_no_list)(site, kind, lang, common)
    for kind in kinds:
        for item in site.items_of(kind.name, lang):
            site.add_item_page(kind, item, **common)
    site.add_page(("404", None, 1), lang,
                  site.root(lang) + settings["BILINGUAL_NOT_FOUND_SAVE_AS"], "404", **common)


def plan_no_list(site, kind, lang, common):
    """A kind without a list page (pages)."""


def plan_simple_list(site, kind, lang, common):
    items = site.items_of(kind.name, lang)
    site.add_page((kind.list_kind, None, 1), lang, site.root(lang) + kind.list_url,
                  kind.list_template, items=items, listed=items, **common)


def register_news_page_kinds(site, kind):
    """The page kinds of a news-style list besides the list itself, with their fallbacks."""
    site.register_page_kind("category", (kind.list_kind,), section=kind.section)
    site.register_page_kind("tag", ("tags", kind.list_kind), section=kind.section)
    site.register_page_kind("tags", (), fallback_name=N_("list of tags"), section=kind.section,
                            parent=kind.list_kind)
    site.register_page_kind("archives", (), section=kind.section, parent=kind.list_kind)


def plan_news_lists(site, kind, lang, common):
    """The paginated list, each category's and tag's, the tag index and the archives."""
    news = site.items_of(kind.name, lang)
    root = site.root(lang)
    template = kind.list_template
    plan_paginated(site, (kind.list_kind, None), lang, root + kind.list_url, news, template,
                   list_title=site.translate(lang, kind.list_title), term=None, **common)
    term_items = site.term_items[lang]
    for term in common["news_categories"]:
        plan_paginated(site, ("category", term.key), lang, term.url,
                       term_items[("category", term.key)], template,
                       list_title=term.name, term=term, **common)
    for term in common["news_tags"]:
        title = site.translate(lang, N_("Tag: %(tag)s"), tag=term.name)
        plan_paginated(site, ("tag", term.key), lang, term.url, term_items[("tag", term.key)],
                       template, list_title=title, term=term, **common)
    site.add_page(("tags", None, 1), lang, site.list_url(lang, "news_tags"), "tags",
                  listed=news, **common)
    site.add_page(("archives", None, 1), lang, site.list_url(lang, "news_archives"),
                  "archives", years=by_year(site, news, lang), listed=news, **common)


def plan_projects_list(site, kind, lang, common):
    projects = site.items_of(kind.name, lang)
    site.add_page((kind.list_kind, None, 1), lang, site.root(lang) + kind.list_url,
                  kind.list_template, groups=project_groups(site, projects, lang),
                  listed=projects, **common)


LIST_PLANNERS = {
    "news": plan_news_lists,
    "simple": plan_simple_list,
    "projects": plan_projects_list,
}


def plan_paginated(site, key, lang, base_url, items, template, **variables):
    settings = site.settings
    chunks = routes.paginate(items, settings["BILINGUAL_PAGINATION"])
    pattern = settings["BILINGUAL_PAGINATION_URL"]
    urls = [routes.numbered_url(base_url, n, pattern) for n in range(1, len(chunks) + 1)]
    for number, (chunk, url) in enumerate(zip(chunks, urls, strict=True), start=1):
        pagination = {
            "number": number,
            "count": len(chunks),
            "previous": site.href(urls[number - 2]) if number > 1 else None,
            "next": site.href(urls[number]) if number < len(chunks) else None,
            "pages": [
                {"number": n, "href": site.href(urls[n - 1]), "current": n == number}
                if n is not None else None
                for n in routes.page_window(number, len(chunks))
            ],
        }
        site.add_page((*key, number), lang, url, template, items=chunk, listed=chunk,
                      pagination=pagination, **variables)


def terms(site, items, lang, kind, names, term_items):
    """Categories or tags of ``items``, each with its list page, in key order; the items
    of each go into ``term_items`` under ``(kind, key)``."""
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
                url = site.list_url(lang, f"news_{kind}", slug=key)
                term = found[key] = Term(key, term_name(names, key, lang), url, site.href(url))
            term.count += 1
            term_items.setdefault((kind, key), []).append(item)
    order = list(names)
    return sorted(
        found.values(),
        key=lambda t: (order.index(t.key) if t.key in order else len(order), t.name),
    )


def by_year(site, items, lang):
    """[(year, year label, [items])], newest year first, for the archives page."""
    years = {}
    for item in items:
        years.setdefault(item.date.year, []).append(item)
    return [
        (year, site.translate(lang, N_("Year %(year)s"), year=year), found)
        for year, found in sorted(years.items(), reverse=True)
    ]


def project_groups(site, projects, lang):
    """[(fiscal-year label, [(track Term, [projects])])], newest year first."""
    tracks = site.settings["PROJECT_TRACKS"]
    order = list(tracks)
    years = {}
    for project in projects:
        project.track_name = term_name(tracks, project.track, lang)
        project.fiscal_year_label = site.translate(lang, N_("FY%(year)s"),
                                                   year=project.fiscal_year)
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
                site.translate(lang, N_("FY%(year)s"), year=year),
                [
                    (Term(k, term_name(tracks, k, lang)),
                     sorted(by_track[k], key=attrgetter("title")))
                    for k in track_keys
                ],
            )
        )
    return groups
