"""Checks on one file's metadata, from its kind's fields: required and unknown fields,
and each value by its field's type (dates, Lang, Slug, Status, years, addresses,
vocabularies), then the kind's own rules."""

import difflib
import re

from bilingual.rules import (
    DATE_EXAMPLE,
    SLUG_FIX,
    STATUSES,
    is_date,
    is_slug,
    lang_fix,
    missing_fix,
    missing_required,
)

from .report import ERROR, WARNING, Problem


def after_metadata(source):
    """Where a missing field should be added: just after the last metadata line."""
    return max((f.line for f in source.fields.values()), default=0) + 1


def check_required(source, kind):
    missing = missing_required(kind, source.value)
    if missing and source.metadata_end is not None:
        # A mistyped line ("Slug item") ends the metadata: everything after it
        # is body text. Point at that line rather than at every field lost.
        number, text = source.metadata_end
        return [Problem(
            source.path, number, "Metadata",
            f"'{text}' is not a 'Field: value' line, so the metadata ends here and "
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not read",
            "write every metadata line as “Field: value” and leave one blank line before the text",
        )]
    return [
        Problem(source.path,
                source.line(name) if name.lower() in source.fields else after_metadata(source),
                name, "missing", missing_fix(name))
        for name in missing
    ]


def check_unknown(source, kind):
    known = {name.lower(): name for name in kind.field_names}
    problems = []
    for key, found in source.fields.items():
        if key in known:
            continue
        close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
        fix = (f"did you mean “{known[close[0]]}”?" if close
               else f"fields of this type are {', '.join(known.values())}")
        problems.append(Problem(source.path, found.line, found.name,
                                "unknown field, it is ignored", fix, WARNING))
    return problems


def check_values(source, kind, settings, languages):
    """Each value by its field's type; an unknown key of a vocabulary is a warning."""
    problems = []

    def add(name, message, fix, level=ERROR):
        problems.append(Problem(source.path, source.line(name), name, message, fix, level))

    for field in kind.fields:
        value = source.value(field.name)
        if value is None or not value.strip():
            continue
        for message, fix, level in TYPE_CHECKS.get(field.type, no_check)(
            value.strip(), field, settings, languages
        ):
            add(field.name, message, fix, level)
    return problems


def no_check(value, field, settings, languages):
    return []


def check_date(value, field, settings, languages):
    return [] if is_date(value) else [(f"'{value}' is not a date", DATE_EXAMPLE, ERROR)]


def check_lang(value, field, settings, languages):
    if value in languages:
        return []
    return [(f"'{value}' is not a site language", lang_fix(languages), ERROR)]


def check_slug(value, field, settings, languages):
    return [] if is_slug(value) else [(f"'{value}' is not a valid slug", SLUG_FIX, ERROR)]


def check_status(value, field, settings, languages):
    if value.lower() in STATUSES:
        return []
    return [(f"'{value}' is not a status",
             f"write one of {', '.join(STATUSES)} (or remove the line to publish)", ERROR)]


def check_year(value, field, settings, languages):
    if re.fullmatch(r"\d{4}", value):
        return []
    return [(f"'{value}' is not a year", "write the fiscal year as 4 digits, e.g. 2022", ERROR)]


def check_url(value, field, settings, languages):
    if re.match(r"https?://[^/\s]+", value):
        return []
    return [(f"'{value}' is not a web address",
             "write the full address, starting with https://", ERROR)]


def vocabulary(field, settings):
    """The keys a choice field accepts, and where they are listed (None: anywhere)."""
    if isinstance(field.vocabulary, str):
        return settings.get(field.vocabulary) or {}, field.vocabulary
    return field.vocabulary, None


def check_choice(value, field, settings, languages):
    names, setting = vocabulary(field, settings)
    if not setting or not names or value in names:
        return []  # (a fixed list, such as Event-Status, is the kind's own rule)
    return [(f"'{value}' is not a known {field.name.lower()}",
             f"use one of {', '.join(names)} (or add it to {setting} in pelicanconf.py)",
             WARNING)]


def check_choices(value, field, settings, languages):
    names, setting = vocabulary(field, settings)
    if not setting or not names:
        return []
    return [(f"'{tag}' is not a known tag",
             f"use the tags listed under {setting} in pelicanconf.py (or add '{tag}' there)",
             WARNING)
            for tag in (part.strip() for part in value.split(",")) if tag and tag not in names]


TYPE_CHECKS = {
    "date": check_date, "lang": check_lang, "slug": check_slug, "status": check_status,
    "year": check_year, "url": check_url, "choice": check_choice, "choices": check_choices,
}


def check_kind_rules(source, kind, settings, reported=()):
    """The kind's own rules (an event's Starts, Ends, Event-Status, ...).

    A field already ``reported`` by its type (a web address) is not reported twice.
    """
    if kind.validate is None:
        return []
    metadata = {key: f.value for key, f in source.fields.items()}
    problems = []
    for name, message, fix in kind.validate(metadata, settings):
        field = kind.field(name)
        if field is not None and field.required and not source.value(name):
            continue  # reported once, as a missing required field
        if name in reported:
            continue
        problems.append(Problem(source.path, source.line(name), name, message, fix))
    return problems
