"""``invoke new``: the files of a new item in every language, with every field of its kind.

The fields, their order and their default values come from the kind's
record (the registry the checks and the editor read); optional fields are
left empty (an empty field means "not set"); the body holds a short guide in
the file's language, from the UI catalog. The new item is a draft.
"""

import datetime
import os
from zoneinfo import ZoneInfo

from bilingual.i18n import N_, Message
from bilingual.rules import SLUG_FIX, file_fingerprint, fiscal_year, is_slug
from bilingual.site import site_kinds, site_languages, ui_catalogs

GUIDE = N_("""(Write the body here and delete this guide.)

## How to fill in this file

- Start headings with "##"; the title is the page's heading.
- Empty fields are not used: fill in only those that apply.
- Write dates as 2023-04-01 10:00 (Japan time).
- Photos go in content/images/ (README, "Where content goes", shows how to write one).
- The other language versions (%(others)s) have the same Slug.
- Check: `invoke serve --drafts` previews drafts; `invoke check` lists mistakes.
- To publish, delete the line "Status: draft".
""")
# Written first, in this order, as in every sample file.
FIRST_FIELDS = ("Title", "Slug", "Lang", "Date", "Status")


def field_values(kind, lang, title, slug, now):
    """The values a new file starts with: the kind's defaults, the publication Date
    now, and this fiscal year in a year field."""
    values = {field.name: field.default for field in kind.fields if field.default}
    values.update({"Title": title, "Slug": slug, "Lang": lang, "Status": "draft"})
    if kind.field("Date"):
        values["Date"] = now.strftime("%Y-%m-%d %H:%M")
    for field in kind.fields:
        if field.type == "year":
            values[field.name] = str(fiscal_year(now.date()))
    return values


def render(kind, lang, title, slug, now, others, catalog):
    """The text of one new file."""
    values = field_values(kind, lang, title, slug, now)
    names = [field.name for field in kind.fields if field.scaffold]
    ordered = [n for n in FIRST_FIELDS if n in names] + [n for n in names if n not in FIRST_FIELDS]
    lines = [f"{name}: {values.get(name, '')}".rstrip() for name in ordered]
    guide = catalog.gettext(GUIDE) % {"others": ", ".join(others)}
    if kind.guide:
        guide += catalog.gettext(kind.guide) + "\n"
    return "\n".join(lines) + "\n\n" + guide


def existing_slugs(folder):
    slugs = set()
    if not os.path.isdir(folder):
        return slugs
    for name in os.listdir(folder):
        if not name.endswith(".md"):
            continue
        slugs.add(name.split(".")[0])
        with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if not line.strip():
                    break
                if line.lower().startswith("slug:"):
                    slugs.add(line.split(":", 1)[1].strip())
    return slugs


def scaffold(settings, kind_name, slug, titles, now=None):
    """Write ``<slug>.<lang>.md`` for every site language; returns their paths.

    ``titles`` maps a language to its title; a language without one gets the
    first language's, to translate. Raises ValueError with a message for
    staff when the kind or slug is wrong or the slug is taken.
    """
    kinds = site_kinds(settings)
    kind = kinds.by_scaffold_name(kind_name)
    if kind is None:
        names = ", ".join(k.scaffold_name for k in kinds)
        raise ValueError(Message(N_("unknown type '%(kind)s': use one of %(kinds)s"),
                                 kind=kind_name, kinds=names))
    if not is_slug(slug):
        raise ValueError(Message(N_("'%(slug)s' is not a valid slug: %(fix)s"), slug=slug,
                                 fix=SLUG_FIX))
    languages = site_languages(settings)
    catalogs = ui_catalogs(settings)
    folder = os.path.join(settings["PATH"], kind.folder)
    if slug in existing_slugs(folder):
        raise ValueError(Message(N_("the slug '%(slug)s' is already used in %(folder)s: "
                                    "choose another"), slug=slug, folder=folder))
    now = (now or datetime.datetime.now(datetime.UTC)).astimezone(ZoneInfo(settings["TIMEZONE"]))
    os.makedirs(folder, exist_ok=True)
    paths = {lang: os.path.join(folder, f"{slug}.{lang}.md") for lang in languages.codes}
    first = titles.get(languages.default.code) or next(iter(titles.values()))
    original = None
    for lang, path in paths.items():
        others = [os.path.basename(other) for code, other in paths.items() if code != lang]
        text = render(kind, lang, titles.get(lang) or first, slug, now, others, catalogs[lang])
        if original is None:
            original = (lang, file_fingerprint(text))
        else:
            # The other languages translate the first: once it is written, they
            # are listed as translations to update until their translators say so.
            text = text.replace(f"\nLang: {lang}\n",
                                f"\nLang: {lang}\nTranslated-From: {original[0]} {original[1]}\n",
                                1)
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    return list(paths.values())
