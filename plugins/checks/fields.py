"""Checks on one file's metadata, from its kind's fields: required and unknown fields,
and each value by its field's type (dates, Lang, Slug, Status, years, addresses,
vocabularies), then the kind's own rules."""

import difflib
import re
import unicodedata

from bilingual.i18n import N_, Listing, Message
from bilingual.images import is_photo, lead_photo_file, photo_problem
from bilingual.rules import (
    DATE_EXAMPLE,
    SLUG_FIX,
    STATUSES,
    half_width,
    is_date,
    is_slug,
    lang_fix,
    missing_fix,
    missing_required,
    split_list,
    translated_from,
)
from bilingual.site import vocabulary_names
from photos.settings import DEFAULTS as PHOTOS
from photos.settings import photo_limits

from .report import ERROR, WARNING, Problem


def after_metadata(source):
    """Where a missing field should be added: just after the last metadata line."""
    return max((f.line for f in source.fields.values()), default=0) + 1


# Characters a Japanese keyboard puts where metadata wants ASCII, and what to call them.
SLIP_CHARACTERS = (
    ("：", Message(N_("a full-width colon “%(character)s”"), character="：")),
    ("﹕", Message(N_("a full-width colon “%(character)s”"), character="﹕")),
    ("\u3000", Message(N_("a full-width space"))), ("\t", Message(N_("a tab"))),
    ("\ufeff", Message(N_("an invisible character (BOM)"))),
    ("\u200b", Message(N_("an invisible character (zero-width space)"))),
)
INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"))


def metadata_slip(text, kind):
    """(field, message, fix) when the line that ended the metadata is a field typed
    with a Japanese keyboard's characters (``Summary：…``); None for body text."""
    normal = unicodedata.normalize("NFKC", text.translate(INVISIBLE)).strip()
    match = re.match(r"([A-Za-z0-9_-]+)\s*:\s*(.*)$", normal)
    if not match:
        return None
    causes = [name for character, name in SLIP_CHARACTERS if character in text]
    written_name = text.translate(INVISIBLE).strip().split(":")[0].split("：")[0].strip()
    if written_name != match[1] and not causes:
        causes.append(Message(N_("full-width letters in the field name")))
    if re.search(r"[A-Za-z0-9_-][ \u3000]+[:：]", text):
        causes.append(Message(N_("a space before the colon")))
    known = {name.lower(): name for name in kind.field_names}
    if not causes and match[1].lower() not in known:
        return None
    name = known.get(match[1].lower(), match[1])
    why = Listing(causes) if causes else Message(N_("it is not at the start of the line"))
    return (name,
            Message(N_("“%(line)s” is not read as metadata (%(why)s): it and every line after "
                       "it are published as body text"),
                    line=text.translate(INVISIBLE).strip(), why=why),
            Message(N_("write it as “%(field)s: %(value)s” at the start of the line, with a "
                       "half-width colon"), field=name, value=match[2]))


def check_metadata_end(source, kind):
    """A field line the metadata ended on, typed with a Japanese keyboard's characters."""
    if source.metadata_end is None:
        return []
    number, text = source.metadata_end
    slip = metadata_slip(source.lines[number - 1], kind)
    if slip is None:
        return []
    name, message, fix = slip
    return [Problem(source.path, number, name, message, fix)]


def check_repeated(source):
    return [Problem(source.path, again.line, again.name,
                    Message(N_("written a second time (first on line %(line)d): only one is "
                               "read"), line=first_line),
                    Message(N_("keep one line (put all the values on it)")))
            for again, first_line in source.repeated]


def check_required(source, kind):
    missing = missing_required(kind, source.value)
    if missing and source.metadata_end is not None and metadata_slip(
            source.lines[source.metadata_end[0] - 1], kind) is None:
        # A mistyped line ("Slug item") ends the metadata: everything after it
        # is body text. Point at that line rather than at every field lost.
        number, text = source.metadata_end
        return [Problem(
            source.path, number, "Metadata",
            Message(N_("'%(line)s' is not a 'Field: value' line, so the metadata ends here and "
                       "%(fields)s is not read") if len(missing) == 1 else
                    N_("'%(line)s' is not a 'Field: value' line, so the metadata ends here and "
                       "%(fields)s are not read"), line=text, fields=", ".join(missing)),
            Message(N_("write every metadata line as “Field: value” and leave one blank line "
                       "before the text")),
        )]
    if missing and source.metadata_end is not None:
        return []  # the line that ended the metadata is reported (check_metadata_end)
    return [
        Problem(source.path,
                source.line(name) if name.lower() in source.fields else after_metadata(source),
                name, Message(N_("missing")), missing_fix(name))
        for name in missing
    ]


def check_unknown(source, kind):
    known = {name.lower(): name for name in kind.field_names}
    problems = []
    for key, found in source.fields.items():
        if key in known:
            continue
        close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
        fix = (Message(N_("did you mean “%(field)s”?"), field=known[close[0]]) if close
               else Message(N_("fields of this type are %(fields)s"),
                            fields=", ".join(known.values())))
        problems.append(Problem(source.path, found.line, found.name,
                                Message(N_("unknown field, it is ignored")), fix, WARNING))
    return problems


def check_values(source, kind, settings, languages):
    """Each value by its field's type; a key a vocabulary does not hold is an error
    (a typo must never make a public tag page or feed)."""
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


def typed_in_full_width(value, valid):
    """The fix for a value that is right once typed in half-width, else None."""
    meant = half_width(value)
    if meant != value and valid(meant):
        return Message(N_("it is typed in full-width characters: write %(value)s"), value=meant)
    return None


def check_date(value, field, settings, languages):
    if is_date(value):
        return []
    return [(Message(N_("'%(value)s' is not a date"), value=value),
             typed_in_full_width(value, is_date) or DATE_EXAMPLE, ERROR)]


def check_lang(value, field, settings, languages):
    if value in languages:
        return []
    return [(Message(N_("'%(value)s' is not a site language"), value=value), lang_fix(languages),
             ERROR)]


def check_slug(value, field, settings, languages):
    if is_slug(value):
        return []
    return [(Message(N_("'%(value)s' is not a valid slug"), value=value),
             typed_in_full_width(value, is_slug) or SLUG_FIX, ERROR)]


def check_status(value, field, settings, languages):
    if value.lower() in STATUSES:
        return []
    return [(Message(N_("'%(value)s' is not a status"), value=value),
             Message(N_("write one of %(choices)s (or remove the line to publish)"),
                     choices=", ".join(STATUSES)), ERROR)]


def check_flag(value, field, settings, languages):
    if value.lower() in (field.default, "no"):
        return []
    return [(Message(N_("'%(value)s' is not %(yes)s or no"), value=value, yes=field.default),
             Message(N_("write “%(field)s: %(yes)s” (or remove the line)"), field=field.name,
                     yes=field.default), ERROR)]


def check_translation(value, field, settings, languages):
    found = translated_from(value)
    if found is not None and found[0] in languages:
        return []
    return [(Message(N_("'%(value)s' is not a language and a fingerprint"), value=value),
             Message(N_("write what the check's warning says, e.g. “Translated-From: ja "
                        "3f9a2c1d” (or remove the line)")), ERROR)]


def check_year(value, field, settings, languages):
    if re.fullmatch(r"[0-9]{4}", value):
        return []
    return [(Message(N_("'%(value)s' is not a year"), value=value),
             typed_in_full_width(value, lambda meant: re.fullmatch(r"[0-9]{4}", meant))
             or Message(N_("write the fiscal year as 4 digits, e.g. 2022")), ERROR)]


URL_FIX = Message(N_("write the full address, starting with https://"))


def check_url(value, field, settings, languages):
    if re.match(r"https?://[^/\s]+", value):
        return []
    return [(Message(N_("'%(value)s' is not a web address"), value=value), URL_FIX, ERROR)]


def vocabulary(field, settings):
    """The keys a choice field accepts, and where they are listed (None: anywhere)."""
    if isinstance(field.vocabulary, str):
        return settings.get(field.vocabulary) or {}, field.vocabulary
    return field.vocabulary, None


def choices_text(names):
    """The keys of a vocabulary with their names in every language, for a fix."""
    return ", ".join(f"{key} ({' / '.join(dict.fromkeys((labels or {}).values())) or key})"
                     for key, labels in names.items())


def suggestion(value, names):
    """The key ``value`` stands for: a display name typed instead of the key
    (ネットワーキング, Networking), in full- or half-width, or a near miss."""
    typed = unicodedata.normalize("NFKC", value).casefold()
    for key, labels in names.items():
        if typed in {unicodedata.normalize("NFKC", label).casefold()
                     for label in (labels or {}).values()} | {key.casefold()}:
            return key
    close = difflib.get_close_matches(typed, list(names), n=1, cutoff=0.6)
    return close[0] if close else None


def unknown_choice(value, field, names):
    """(message, fix, ERROR) for a key a closed vocabulary does not hold."""
    meant = suggestion(value, names)
    keys = Message(N_("the keys are %(choices)s"), choices=choices_text(names))
    return (Message(N_("'%(value)s' is not on the list of this field"), value=value),
            Message(N_("write the key “%(key)s”, meaning %(meaning)s; %(keys)s"), key=meant,
                    meaning=choices_text({meant: names[meant]}), keys=keys) if meant else keys,
            ERROR)


def check_choice(value, field, settings, languages):
    keys, setting = vocabulary(field, settings)
    if not keys or (value if setting else value.lower()) in keys:
        return []  # (a fixed list, such as Event-Status, is written in any case)
    return [unknown_choice(value, field, vocabulary_names(field, settings))]


def check_choices(value, field, settings, languages):
    keys, _setting = vocabulary(field, settings)
    unknown = [key for key in split_list(value, ",") if key not in keys] if keys else []
    if not unknown:
        return []
    names = vocabulary_names(field, settings)
    return [unknown_choice(key, field, names) for key in unknown]


def check_image(value, field, settings, languages):
    """A lead photo: a readable photo of the photos folder, not too large."""
    folder = settings.get("PHOTOS_FOLDER", PHOTOS["PHOTOS_FOLDER"])
    path = lead_photo_file(value, settings["PATH"], folder)
    if not is_photo(path):
        return [(Message(N_("'%(value)s' is not a JPEG, PNG or WebP photo"), value=value),
                 Message(N_("save the photo as JPEG (or PNG) in content/%(folder)s/ and write "
                            "its file name"), folder=folder.strip("/")), ERROR)]
    problem = photo_problem(path, *photo_limits(settings))
    if problem is None:
        return []
    return [(problem, Message(N_("put the photo in content/%(folder)s/ as a JPEG of at most "
                                 "about 4000 px a side, and write its file name"),
                              folder=folder.strip("/")), ERROR)]


def check_companions(source, kind):
    """A field filled in without the one it needs (a lead photo without its description)."""
    problems = []
    for field in kind.fields:
        if field.companion and (source.value(field.name) or "").strip() \
                and not (source.value(field.companion) or "").strip():
            line = source.line(field.companion) if field.companion.lower() in source.fields \
                else after_metadata(source)
            problems.append(Problem(
                source.path, line, field.companion,
                Message(N_("missing: %(field)s needs it"), field=field.name),
                Message(N_("add a line “%(field)s: …” that says what the photo shows, for "
                           "people who cannot see it"), field=field.companion)))
    return problems


TYPE_CHECKS = {
    "date": check_date, "lang": check_lang, "slug": check_slug, "status": check_status,
    "year": check_year, "url": check_url, "choice": check_choice, "choices": check_choices,
    "flag": check_flag, "translation": check_translation, "image": check_image,
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
