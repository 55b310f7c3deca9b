"""The content rules, in one place: the checks plugin and the generators both apply them.

Each rule is a small pure function on plain values, with the message and
the fix staff read (``path:line: Field: message — fix``). The checks report
them with line numbers before a build; the generators apply the same ones as
a safety net when the checks plugin is off.
"""

import datetime
import re

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Dates as staff are asked to write them; anything looser is ambiguous (05/04?).
DATE_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?)?"
)
DATE_EXAMPLE = "write it as 2023-04-01 10:00"
STATUSES = ("published", "draft", "hidden")
SLUG_FIX = ("use lowercase ASCII letters, digits and hyphens (e.g. fy2023-open-call), "
            "the same in every language")


def is_slug(value):
    return bool(SLUG_RE.fullmatch(value or ""))


def is_date(value):
    """Whether ``value`` is a date as staff write it (2023-04-01 or 2023-04-01 10:00)."""
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


def fiscal_year(day):
    """The Japanese fiscal year of ``day`` (a date or datetime): years start in April."""
    return day.year if day.month >= 4 else day.year - 1


def is_public(status, date, now):
    """Published, and not dated after the build time (an embargo)."""
    return status == "published" and (date is None or date <= now)


def lang_fix(languages):
    return f"write one of {', '.join(languages)}"


def missing_fix(name):
    return f"add a line “{name}: …” to the metadata at the top"


def missing_required(kind, value_of):
    """Names of ``kind``'s required fields that ``value_of(name)`` finds empty."""
    return [name for name in kind.required if not str(value_of(name) or "").strip()]


def unknown_reference(kind_name, slug, known):
    """(message, fix) for a ``Projects:``/``Event:`` slug that names no published item."""
    return (f"no published {kind_name} has the slug '{slug}'",
            f"use one of {', '.join(sorted(known)) or '(none yet)'}")
