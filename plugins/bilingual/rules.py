"""The content rules, in one place: the checks plugin and the generators both apply them.

Each rule is a small pure function on plain values, with the message and
the fix staff read (``path:line: Field: message — fix``). The checks report
them with line numbers before a build; the generators apply the same ones as
a safety net when the checks plugin is off.
"""

import datetime
import difflib
import hashlib
import re
import unicodedata

from .i18n import N_, Message

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Dates as staff are asked to write them; anything looser is ambiguous (05/04?).
DATE_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?)?"
)
DATE_EXAMPLE = Message(N_("write it as 2023-04-01 10:00"))
STATUSES = ("published", "draft", "hidden")
SLUG_FIX = Message(N_("use lowercase ASCII letters, digits and hyphens (e.g. fy2023-open-call), "
                      "the same in every language"))


# What Japanese keyboards type between the items of a list: read as the
# separator meant (a "、" between two tags must not make one tag of both).
SEPARATOR_LOOKALIKES = {",": "、，﹐､", ";": "；"}


# Dashes a Japanese keyboard or IME gives for "-" (NFKC leaves them as they are).
DASH_LOOKALIKES = dict.fromkeys(map(ord, "ー−‐‑–—―"), "-")


def half_width(value):
    """``value`` as typed in half-width: full-width digits, letters, colon and space
    (NFKC) and dash look-alikes made ASCII: ２０２３－０４－０１ -> 2023-04-01."""
    return unicodedata.normalize("NFKC", value).translate(DASH_LOOKALIKES)


def split_list(value, separator):
    """A list field's value as its stripped, non-empty parts."""
    if isinstance(value, (list, tuple)):
        return [str(part).strip() for part in value if str(part).strip()]
    text = str(value)
    for lookalike in SEPARATOR_LOOKALIKES.get(separator, ""):
        text = text.replace(lookalike, separator)
    return [part.strip() for part in text.split(separator) if part.strip()]


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
    return Message(N_("write one of %(choices)s"), choices=", ".join(languages))


def missing_fix(name):
    return Message(N_("add a line “%(field)s: …” to the metadata at the top"), field=name)


def missing_required(kind, value_of):
    """Names of ``kind``'s required fields that ``value_of(name)`` finds empty."""
    return [name for name in kind.required if not str(value_of(name) or "").strip()]


def unknown_reference(kind_name, slug, known):
    """(message, fix) for a ``Projects:``/``Event:`` slug that names no published item.

    ``known``: the slugs, or {slug: [its titles]} to show staff which is which.
    """
    titles = known if isinstance(known, dict) else dict.fromkeys(known, ())
    listed = ", ".join(f"{key} ({' / '.join(names)})" if names else key
                       for key, names in sorted(titles.items()))
    close = difflib.get_close_matches(slug, list(titles), n=1, cutoff=0.6)
    choices = (Message(N_("use one of %(choices)s"), choices=listed) if listed
               else Message(N_("none is published yet")))
    return (Message(N_("no published %(kind)s has the slug '%(slug)s'"),
                    kind=Message(kind_name), slug=slug),
            Message(N_("did you mean '%(slug)s'? %(choices)s"), slug=close[0], choices=choices)
            if close else choices)


# -- translations that may be out of date ---------------------------------------------

# "Translated-From: ja 3f9a2c1d": this file translates the ja version as it was
# when its title, summary and text had that fingerprint.
TRANSLATED_FROM_RE = re.compile(r"(?P<lang>[A-Za-z][A-Za-z_-]*)\s+(?P<fingerprint>[0-9a-f]{8})")
_META = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)$")


def content_fingerprint(title, summary, body):
    """What a translation is made from, as 8 hex digits: it changes with the title,
    the summary or the text, not with spaces at line ends or blank lines around the
    text (the browser editor computes the same, in editor.js)."""
    lines = [line.rstrip() for line in
             (body or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = "\n".join((" ".join((title or "").split()), " ".join((summary or "").split()),
                      "\n".join(lines).strip("\n")))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def file_fingerprint(text):
    """:func:`content_fingerprint` of a content file's text (metadata read as the
    Markdown reader reads it: ``Key: value`` lines up to the first other line)."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    fields, index, last = {}, 0, None
    if lines and lines[0].strip() == "---":
        index = 1
    while index < len(lines):
        match, more = _META.match(lines[index]), _MORE.match(lines[index])
        if match:
            last = match["key"].lower()
            fields.setdefault(last, match["value"].strip())
        elif more and last is not None:
            fields[last] = f"{fields[last]} {more['value'].strip()}".strip()
        else:
            if lines[index].strip() in ("---", "..."):
                index += 1  # (the end of a YAML-style block is not text)
            break
        index += 1
    return content_fingerprint(fields.get("title"), fields.get("summary"),
                               "\n".join(lines[index:]))


def translated_from(value):
    """(language, fingerprint) of a ``Translated-From`` value, or None."""
    match = TRANSLATED_FROM_RE.fullmatch((value or "").strip())
    return (match["lang"], match["fingerprint"]) if match else None
