"""Settings of the bilingual plugin, with their defaults, in one place.

Every key here can be overridden in ``pelicanconf.py``; the README lists them
with these defaults. ``apply_defaults`` fills in what the user left out,
without touching what they set.
"""

import copy

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
    # How each language names itself in the language switch.
    "BILINGUAL_LANGUAGE_NAMES": {"ja": "日本語", "en": "English"},
    # Babel (CLDR) date patterns per language: 2022年3月1日 / 1 March 2022.
    "BILINGUAL_DATE_FORMATS": {"ja": "y年M月d日", "en": "d MMMM y"},
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
    # The previous build's output folder (``invoke build`` sets it to output/;
    # None: render every page).
    "BILINGUAL_PREVIOUS_OUTPUT": None,
    # Items per list page (news, category, tag pages).
    "BILINGUAL_PAGINATION": 10,
    # How many news items and reports the home page shows.
    "BILINGUAL_HOME_NEWS": 5,
    "BILINGUAL_HOME_REPORTS": 3,
    # Content folders (relative to PATH) of each content type.
    "BILINGUAL_CONTENT_PATHS": {
        "news": "news",
        "reports": "reports",
        "projects": "projects",
        "pages": "pages",
    },
    # List pages, relative to the language root ("" for ja, "en/" for en).
    "BILINGUAL_URLS": {
        "home": "",
        "news": "news/",
        "news_archives": "news/archives/",
        "news_tags": "news/tag/",
        "news_category": "news/category/{slug}/",
        "news_tag": "news/tag/{slug}/",
        "projects": "projects/",
        "reports": "reports/",
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
    # URLs of the content types the plugin adds; Pelican's Content builds an
    # item's URL from "<CLASS>_URL" and, outside the default language,
    # "<CLASS>_LANG_URL".
    "PROJECT_URL": "projects/{slug}/",
    "PROJECT_SAVE_AS": "projects/{slug}/index.html",
    "PROJECT_LANG_URL": "{lang}/projects/{slug}/",
    "PROJECT_LANG_SAVE_AS": "{lang}/projects/{slug}/index.html",
    "REPORT_URL": "reports/{slug}/",
    "REPORT_SAVE_AS": "reports/{slug}/index.html",
    "REPORT_LANG_URL": "{lang}/reports/{slug}/",
    "REPORT_LANG_SAVE_AS": "{lang}/reports/{slug}/index.html",
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
    for name in ("BILINGUAL_LANGUAGE_NAMES", "BILINGUAL_DATE_FORMATS"):
        missing = [lang for lang in languages if lang not in settings[name]]
        if missing:
            problems.append(f"{name} has no entry for {', '.join(missing)}")
    siteurl = settings.get("SITEURL") or ""
    absolute = siteurl.startswith(("https://", "http://"))
    if settings["BILINGUAL_REQUIRE_ABSOLUTE_SITEURL"] and not absolute:
        problems.append(
            "publishing needs the site's absolute address: set SITEURL, e.g. "
            "`SITEURL=https://wellness.example.jp invoke publish` "
            f"(got {siteurl!r})"
        )
    return problems
