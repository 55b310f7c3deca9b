"""The browser editor's configuration, made from the kind registry and the site's settings.

Decap CMS reads it (``CMS.init({config})``); nothing here is written by hand
beside the registry, so a kind, a field or a language the site adds is in the
editor as soon as it is in ``kinds.py`` or ``BILINGUAL_KINDS``. Each kind is a
collection; each field gets the widget of its type (``WIDGETS``), its label
and hint in the staff's language (and the other language's hint after it), and
says whether every language shares its value (entered once, copied to the
other languages: ``i18n: duplicate``) or each language writes its own.

``format_schema`` is what our custom file format (``static/editor.js``) needs
to read and write Pelican's ``Key: value`` metadata: which fields are lists and
how they are separated, and which are a draft flag.
"""

import datetime
from zoneinfo import ZoneInfo

from bilingual.i18n import N_, translate
from bilingual.rules import SLUG_RE, fiscal_year
from bilingual.site import site_kinds, site_languages, ui_catalogs, vocabulary_names

from .settings import apply_defaults

FORMAT = "pelican"  # the name our custom format is registered under
BODY = "body"  # the data key of the Markdown body (Decap's convention)
# The local backend's routes under the editor page (``invoke serve --edit``).
LOCAL_API = "api/v1"
LOCAL_BUILD_STATUS = "api/build"
URL_PATTERN = r"^https?://\S+$"
NUMBER_TYPES = ("year", "integer")

# Each field type's widget, with its options. Dates are our own widget: a date
# and an optional time, kept as staff write them (Japan time, no conversion).
WIDGETS = {
    "text": {"widget": "string"},
    "slug": {"widget": "string"},
    "lang": {"widget": "pelican-lang"},
    "date": {"widget": "pelican-datetime"},
    "moment": {"widget": "pelican-datetime"},
    "status": {"widget": "boolean"},
    "flag": {"widget": "boolean"},
    "year": {"widget": "number", "value_type": "int", "min": 2000, "max": 2100},
    "integer": {"widget": "number", "value_type": "int", "min": 0},
    "url": {"widget": "string"},
    "choice": {"widget": "select"},
    "choices": {"widget": "select", "multiple": True},
    # The items a reference may name are listed by the build (``item_choices``):
    # Decap's relation widget would search them at run time, and mark every
    # item it opens as changed.
    "reference": {"widget": "select"},
    "references": {"widget": "select", "multiple": True},
    "names": {"widget": "list"},
    "timezone": {"widget": "string"},
    # Shows whether the translation follows its original, and marks it so.
    "translation": {"widget": "pelican-translated-from"},
    # A lead photo: uploaded into the photos folder, written as {static}/images/<file>.
    "image": {"widget": "image", "choose_url": False},
}
# What the editor checks as staff type (the checks say the same after a save):
# {field type: (pattern, what to write)}.
PATTERNS = {
    "slug": (f"^{SLUG_RE.pattern}$", N_("Use lower-case letters, digits and hyphens, e.g. "
                                        "fy2023-open-call.")),
    "url": (URL_PATTERN, N_("Write an address starting with https://")),
}
# The name of the one event status no page shows (the others are the pages' own words).
N_("Scheduled")
BODY_LABEL = N_("Body")
BODY_HINT = N_("Markdown: start headings with ##, lists with -. Photos: the image button "
               "of the rich text mode.")


def vocabulary_options(field, settings, catalogs, lang):
    """The options of a choice field: its keys, shown by their names in ``lang``."""
    return [{"label": labels.get(lang) or key, "value": key}
            for key, labels in vocabulary_names(field, settings, catalogs).items()]


def item_choices(site, kinds, lang):
    """{kind: [{"label": title, "value": slug}]} of the items references may name,
    newest first, titled in ``lang`` (else in their other language)."""
    choices = {}
    for kind in kinds:
        titles = {}
        for item in site.items_of(kind.name):
            if item.lang == lang or item.slug not in titles:
                titles[item.slug] = item.title
        choices[kind.name] = [{"label": title, "value": slug} for slug, title in titles.items()]
    return choices


def field_config(field, settings, say, say_other, lang, choices=None, catalogs=None):
    """The Decap field of one registry :class:`Field`."""
    config = {"name": field.name, "label": f"{say(field.title)}（{field.name}）",
              "required": field.required,
              # (true: each language its own; Decap's list widget takes no "translate")
              "i18n": True if field.translated or field.type == "lang" else "duplicate",
              **WIDGETS.get(field.type, WIDGETS["text"])}
    if field.help:
        config["hint"] = " / ".join(dict.fromkeys((say(field.help), say_other(field.help))))
    if field.type in PATTERNS:
        pattern, message = PATTERNS[field.type]
        config["pattern"] = [pattern, " / ".join(dict.fromkeys((say(message),
                                                                say_other(message))))]
    if field.type in ("choice", "choices"):
        config["options"] = vocabulary_options(field, settings, catalogs, lang)
    if field.type in ("reference", "references"):
        config["options"] = list((choices or {}).get(field.reference, []))
    if field.type == "names":
        config["field"] = {"name": "name", "label": say(field.title), "widget": "string"}
    # A new item starts as ``invoke new`` makes it: a draft, published now
    # (Japan time), in this fiscal year.
    if field.type == "status":
        config["default"] = field.default == "draft"
    elif field.type == "flag":
        config["default"] = False
    elif field.type == "year":
        config["default"] = fiscal_year(datetime.datetime.now(ZoneInfo(settings["TIMEZONE"])))
    elif field.default and field.type not in NUMBER_TYPES:
        config["default"] = field.default
    if field.type == "translation":
        config["original"] = settings["BILINGUAL_LANGUAGES"][0]
    if field.name == "Date" and field.type == "date":
        config["default_now"] = settings["TIMEZONE"]
    return config


def collection_config(kind, settings, say, say_other, lang, choices=None, catalogs=None):
    content_path = settings.get("PATH_IN_REPOSITORY", "content")
    has_date = kind.field("Date") is not None
    fields = [field_config(f, settings, say, say_other, lang, choices, catalogs)
              for f in kind.fields]
    fields.append({"name": BODY, "label": f"{say(BODY_LABEL)}（Body）", "widget": "markdown",
                   "modes": ["raw", "rich_text"], "required": False, "i18n": True,
                   "hint": " / ".join(dict.fromkeys((say(BODY_HINT), say_other(BODY_HINT))))})
    label = say(kind.list_title or kind.type_name or kind.name.title())
    return {
        "name": kind.name, "label": label, "label_singular": label,
        "folder": f"{content_path}/{kind.folder}", "extension": "md", "format": FORMAT,
        "create": True, "delete": False,
        # The file is <Slug>.<lang>.md: the slug staff type, not one made from a Japanese title.
        "slug": "{{Slug}}", "identifier_field": "Title", "summary": "{{Title}}",
        "sortable_fields": ["Date", "Title"] if has_date else ["Title"],
        "i18n": True, "fields": fields,
    }


def local_backend(settings):
    """Decap's record of our preview server's backend (same origin as the editor)."""
    return {"name": "proxy", "proxy_url": f"/{settings['EDITOR_URL']}{LOCAL_API}"}


def chosen_backend(settings, backend=None):
    """``backend``, else EDITOR_BACKEND; "local" (or none) is the preview server's."""
    chosen = backend or settings["EDITOR_BACKEND"]
    return local_backend(settings) if chosen in (None, "local") else chosen


def editor_config(settings, backend=None, choices=None):
    """The whole Decap configuration: one collection per kind, both languages in one entry.

    ``backend`` is Decap's backend record; None: the local backend of
    ``invoke serve --edit`` (our preview server, same origin). ``choices``:
    the items references may name (``item_choices``).
    """
    settings = apply_defaults(settings)
    languages = site_languages(settings)
    catalogs = ui_catalogs(settings)
    lang = editor_language(settings)
    other = next((language.code for language in languages if language.code != lang), lang)

    def say(message):
        return translate(catalogs, lang, message)

    def say_other(message):
        return translate(catalogs, other, message)

    kinds = site_kinds(settings)
    content_path = settings["PATH_IN_REPOSITORY"]
    local = local_backend(settings)
    config = {
        "backend": dict(chosen_backend(settings, backend)),
        "load_config_file": False,
        "locale": lang,
        "media_folder": f"{content_path}/{settings['EDITOR_MEDIA_FOLDER']}",
        "public_folder": f"{{static}}/{settings['EDITOR_MEDIA_FOLDER']}",
        "slug": {"encoding": "ascii", "clean_accents": True},
        "i18n": {"structure": "multiple_files",
                 "locales": [language.code for language in languages],
                 "default_locale": languages[0].code},
        "collections": [collection_config(kind, {**settings, "PATH_IN_REPOSITORY": content_path},
                                          say, say_other, lang, choices, catalogs)
                        for kind in kinds],
    }
    if settings["EDITOR_EDITORIAL_WORKFLOW"] and config["backend"] != local:
        config["publish_mode"] = "editorial_workflow"
    if settings.get("SITEURL"):
        config["site_url"] = config["display_url"] = settings["SITEURL"]
    return config


def written_as(field):
    """What the format must know of a field: its list separator, its "on" value."""
    return field.separator, field.default if field.type in ("status", "flag") else None


def format_schema(settings):
    """What the custom format must know of the fields, for every kind at once.

    {"names": [field names], "lists": {name: separator}, "flags": {name: value
    when on}, "translated": [names]}. A name means the same in every kind (the
    format reads a file without knowing its kind); a site kind giving a name
    another type is refused here.
    """
    types = {}
    for kind in site_kinds(apply_defaults(settings)):
        for field in kind.fields:
            known = types.setdefault(field.name, field)
            if written_as(known) != written_as(field):
                raise ValueError(f"BILINGUAL_KINDS: the field {field.name!r} is a "
                                 f"{known.type} in one kind and a {field.type} in "
                                 f"{kind.name!r}: give one of them another name")
    return {
        "names": list(types),
        "lists": {name: f.separator for name, f in types.items() if f.separator},
        "flags": {name: written_as(f)[1] for name, f in types.items() if written_as(f)[1]},
        "translated": [name for name, f in types.items() if f.translated],
        "body": BODY,
    }


def editor_language(settings):
    return settings["EDITOR_LANGUAGE"] or site_languages(settings)[0].code


def editor_data(settings, backend=None, choices=None):
    """Everything ``editor.js`` loads: the configuration, the format's schema, the
    languages' names (shown by the language field) and, on the local backend,
    where the preview's build status is (shown after each save)."""
    settings = apply_defaults(settings)
    languages = site_languages(settings)
    config = editor_config(settings, backend, choices)
    data = {"config": config, "format": format_schema(settings),
            "languages": {language.code: language.name for language in languages}}
    if config["backend"] == local_backend(settings):
        data.update(build_status=LOCAL_BUILD_STATUS, preview="/")
    return data
