"""Checks on one file's metadata: required and unknown fields, dates, Lang, Slug, Status."""

import difflib
import re

from .report import ERROR, WARNING, Problem
from .schema import DATE_FIELDS, FIELDS, STATUSES, known_fields

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Dates as staff are asked to write them; anything looser is ambiguous (05/04?).
DATE_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?)?"
)
DATE_EXAMPLE = "write it as 2023-04-01 10:00"


def is_date(value):
    import datetime

    if not DATE_RE.fullmatch(value):
        return False
    try:
        datetime.date.fromisoformat(value[:10])
        if len(value) > 10:
            hour, minute = int(value[11:13]), int(value[14:16])
            return hour < 24 and minute < 60
    except ValueError:
        return False
    return True


def after_metadata(source):
    """Where a missing field should be added: just after the last metadata line."""
    return max((f.line for f in source.fields.values()), default=0) + 1


def check_required(source):
    missing = [
        name for name in FIELDS[source.content_type]["required"]
        if not (source.value(name) or "").strip()
    ]
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
                name, "missing",
                f"add a line “{name}: …” to the metadata at the top")
        for name in missing
    ]


def check_unknown(source):
    known = {name.lower(): name for name in known_fields(source.content_type)}
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


def check_values(source, settings, languages):
    problems = []

    def add(name, message, fix, level=ERROR):
        problems.append(Problem(source.path, source.line(name), name, message, fix, level))

    for name in DATE_FIELDS:
        value = source.value(name)
        if value and not is_date(value.strip()):
            add(name, f"'{value}' is not a date", DATE_EXAMPLE)
    lang = source.value("Lang")
    if lang is not None and lang.strip() not in languages:
        add("Lang", f"'{lang}' is not a site language", f"write one of {', '.join(languages)}")
    slug = source.value("Slug")
    if slug is not None and slug.strip() and not SLUG_RE.fullmatch(slug.strip()):
        add("Slug", f"'{slug}' is not a valid slug",
            "use lowercase ASCII letters, digits and hyphens (e.g. fy2023-open-call), "
            "the same in both languages")
    status = source.value("Status")
    if status is not None and status.strip().lower() not in STATUSES:
        add("Status", f"'{status}' is not a status",
            f"write one of {', '.join(STATUSES)} (or remove the line to publish)")
    year = source.value("Fiscal-Year")
    if year is not None and year.strip() and not re.fullmatch(r"\d{4}", year.strip()):
        add("Fiscal-Year", f"'{year}' is not a year", "write the fiscal year as 4 digits, e.g. 2022")
    website = source.value("Website")
    if website and not re.match(r"https?://[^/\s]+", website.strip()):
        add("Website", f"'{website}' is not a web address", "write the full address, starting with https://")
    for name, setting in (("Category", "NEWS_CATEGORIES"), ("Track", "PROJECT_TRACKS")):
        if name.lower() not in {f.lower() for f in known_fields(source.content_type)}:
            continue  # reported as an unknown field
        value = (source.value(name) or "").strip()
        names = settings.get(setting) or {}
        if value and names and value not in names:
            add(name, f"'{value}' is not a known {name.lower()}",
                f"use one of {', '.join(names)} (or add it to {setting} in pelicanconf.py)", WARNING)
    tags = settings.get("NEWS_TAGS") or {}
    if tags and source.value("Tags"):
        for tag in (t.strip() for t in source.value("Tags").split(",")):
            if tag and tag not in tags:
                add("Tags", f"'{tag}' is not a known tag",
                    f"use the tags listed under NEWS_TAGS in pelicanconf.py (or add '{tag}' there)",
                    WARNING)
    return problems


def check_event_fields(source, timezone):
    """Starts, Ends, Event-Status, Registration, ... with the events plugin's own rules."""
    from events.schedule import check_event

    metadata = {key: f.value for key, f in source.fields.items()}
    _schedule, found = check_event(metadata, timezone)
    problems = []
    for problem in found:
        message, _, fix = str(problem).partition(": ")[2].partition(" — ")
        if problem.field == "Starts" and not source.value("Starts"):
            continue  # reported once, as a missing required field
        problems.append(Problem(source.path, source.line(problem.field), problem.field,
                                message, fix or "see the README"))
    return problems
