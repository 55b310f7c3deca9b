"""Settings of the bilingual plugin, with their defaults, in one place.

Every key here can be overridden in ``pelicanconf.py``; the README lists them
with these defaults. ``apply_defaults`` fills in what the user left out,
without touching what they set.
"""

import copy

# What the site's languages say of themselves beyond CLDR's defaults (see
# languages.Language). A language not listed takes CLDR's patterns for its
# locale; BILINGUAL_LANGUAGE_SETTINGS overrides any field.
LANGUAGE_DEFAULTS = {
    "ja": {
        "og_locale": "ja_JP",
        "name": "日本語",
        "date_format": "y年M月d日",  # 2022年3月1日
        "month_format": "y年M月",
        "day_format": "y年M月d日（E）",  # 2026年12月10日（木）
        "short_day_format": "M月d日（E）",
        "short_end_day": True,
        "range_separator": "～",
        "time_separator": "～",
        "date_time_separator": " ",
        "list_separator": "、",
        "summary_length": 120,
        # Readers in Japan read Japan time without a zone name.
        "names_home_zone": False,
    },
    "en": {
        "og_locale": "en_US",
        "name": "English",
        "date_format": "d MMMM y",  # 1 March 2022
        "month_format": "MMMM y",
        "day_format": "EEEE d MMMM y",
        "short_day_format": "EEEE d MMMM",
        "range_separator": " – ",
        "time_separator": "–",
        "date_time_separator": ", ",
        "list_separator": ", ",
        "summary_length": 240,
    },
}

DEFAULTS = {
    # Absolute address of the local preview server. Feeds and calendars need
    # absolute links; while SITEURL is empty (preview) they use this one.
    "BILINGUAL_PREVIEW_SITEURL": None,
    # Stop the build unless SITEURL is absolute (publishconf.py sets it:
    # published feeds, calendars, canonical and hreflang links need it).
    "BILINGUAL_REQUIRE_ABSOLUTE_SITEURL": False,
    # Languages of the site, the first one is served at the site root and is
    # the x-default; every other language lives under "<lang>/".
    "BILINGUAL_LANGUAGES": ("ja", "en"),
    # The site's name and one-line description per language; SITENAME is
    # used for a language missing here.
    "BILINGUAL_SITENAMES": {},
    "BILINGUAL_SITE_DESCRIPTIONS": {},
    # Per-language fields laid over LANGUAGE_DEFAULTS below and CLDR's data
    # ({code: {field: value}}; the fields are those of languages.Language):
    # e.g. {"ko": {"summary_length": 150}}.
    "BILINGUAL_LANGUAGE_SETTINGS": {},
    # The language of the UI strings in the templates (the catalogs' msgids);
    # it needs no catalog.
    "BILINGUAL_SOURCE_LANGUAGE": "en",
    # The language of the messages staff read (the checks, `invoke new`, the
    # preview's problem page); None means the site's first language. Any
    # language with a catalog, or the source language; `--lang` overrides it.
    "BILINGUAL_STAFF_LANGUAGE": None,
    # Folder holding <lang>/LC_MESSAGES/messages.po; None means
    # "<THEME>/translations".
    "BILINGUAL_TRANSLATIONS_PATH": None,
    # Build drafts, hidden and embargoed items too, each marked as a draft
    # (``invoke serve --drafts``; never for output/ or publishing).
    "BILINGUAL_SHOW_DRAFTS": False,
    # Processes that render pages (and convert Markdown) side by side; None
    # means one per usable core. The output is the same with any number.
    "BILINGUAL_PROCESSES": None,
    # Reuse a page of the previous build (hard-linked, not rendered) when
    # everything it is made from is unchanged: see incremental.py.
    "BILINGUAL_REUSE_PAGES": True,
    # Keep each item as it was read for the next build of the same process,
    # which makes again only the items whose file changed (the preview's
    # builds: ``tasks.preview_overrides``; a build that runs once would only
    # pay for pickling them).
    "BILINGUAL_KEEP_ITEMS": False,
    # The previous build's output folder (``invoke build`` sets it to output/;
    # None: render every page).
    "BILINGUAL_PREVIOUS_OUTPUT": None,
    # Theme partials that show nothing of the page they are on but its
    # language and its main-menu section: each is rendered once per language
    # and section, and pages get the HTML as a template variable
    # ({variable: template}). The theme's menu and footer.
    "BILINGUAL_SHARED_PARTIALS": {
        "menu_html": "_partials/nav.html",
        "footer_html": "_partials/footer.html",
    },
    # Items per list page (news, category, tag pages).
    "BILINGUAL_PAGINATION": 10,
    # What the home page lists: {template variable: (kind, how many; None: all)}.
    "BILINGUAL_HOME_LISTS": {
        "latest_news": ("news", 5),
        "latest_reports": ("reports", 3),
        "projects": ("projects", None),
    },
    # Content folders (relative to PATH) of kinds that move from their
    # registry folder ({kind: folder}; see kinds.py).
    "BILINGUAL_CONTENT_PATHS": {},
    # Kinds the site adds or changes: {name: {field: value}} (see kinds.py and
    # the README, "Adding a kind").
    "BILINGUAL_KINDS": {},
    # Pages other than the kinds' own lists, relative to the language root
    # ("" for the first language, "en/" for en). Each kind's list page is its
    # registry's list_url.
    "BILINGUAL_URLS": {
        "home": "",
        "news_archives": "news/archives/",
        "news_tags": "news/tag/",
        "news_category": "news/category/{slug}/",
        "news_tag": "news/tag/{slug}/",
    },
    # Page 2, 3, ... of a paginated list, relative to the list's own URL.
    "BILINGUAL_PAGINATION_URL": "page/{number}/",
    # The not-found page, relative to the language root.
    "BILINGUAL_NOT_FOUND_SAVE_AS": "404.html",
    # Display names of news categories, tags and project tracks, by key then
    # language. A key missing here is shown as written in the content.
    "NEWS_CATEGORIES": {},
    "NEWS_TAGS": {},
    "PROJECT_TRACKS": {},
}


def merge_defaults(settings, defaults):
    """Add every setting of ``defaults`` missing from ``settings`` (in place).

    Values are deep-copied so that no two builds share a mutable default; a
    value the user set is never touched. Every plugin's settings use this.
    """
    for key, value in defaults.items():
        if key not in settings:
            settings[key] = copy.deepcopy(value)
    return settings


def apply_defaults(settings):
    """Add every missing bilingual setting to ``settings`` (in place)."""
    return merge_defaults(settings, DEFAULTS)


def check_settings(settings):
    """Return a list of problems with the plugin settings (empty when fine)."""
    problems = []
    languages = settings["BILINGUAL_LANGUAGES"]
    if not languages:
        problems.append("BILINGUAL_LANGUAGES is empty: list at least one language")
    elif settings.get("DEFAULT_LANG") != languages[0]:
        problems.append(
            f"DEFAULT_LANG is {settings.get('DEFAULT_LANG')!r} but "
            f"BILINGUAL_LANGUAGES starts with {languages[0]!r}: make them the same"
        )
    unknown = set(settings["BILINGUAL_LANGUAGE_SETTINGS"]) - set(languages)
    if unknown:
        problems.append(
            f"BILINGUAL_LANGUAGE_SETTINGS names {', '.join(sorted(unknown))}, which "
            "BILINGUAL_LANGUAGES does not list: add it there or remove its settings"
        )
    for old, new in RENAMED.items():
        if old in settings:
            problems.append(f"{old} is no longer read: {new}")
    siteurl = settings.get("SITEURL") or ""
    absolute = siteurl.startswith(("https://", "http://"))
    if settings["BILINGUAL_REQUIRE_ABSOLUTE_SITEURL"] and not absolute:
        problems.append(
            "publishing needs the site's absolute address: set SITEURL, e.g. "
            "`SITEURL=https://wellness.example.jp invoke publish` "
            f"(got {siteurl!r})"
        )
    return problems


# Settings replaced by the language records, with what to write instead.
RENAMED = {
    "BILINGUAL_LANGUAGE_NAMES": "give each language's 'name' in BILINGUAL_LANGUAGE_SETTINGS",
    "BILINGUAL_DATE_FORMATS": "give each language's 'date_format' in BILINGUAL_LANGUAGE_SETTINGS",
    "SEO_LOCALES": "give each language's 'og_locale' in BILINGUAL_LANGUAGE_SETTINGS",
}
