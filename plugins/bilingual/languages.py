"""Languages of the site as records: everything that varies by language, looked up.

A language is one :class:`Language` (Hugo's ``langs.Language`` is the model):
its code as written in ``Lang:`` and used for the UI catalog, the Babel
locale for dates and names, its ``hreflang`` and ``og:locale``, the folder its
pages live in, how it names itself, its date and month patterns, separators,
summary length and the languages to fall back to. Code never branches on a
language code; it asks the record.

Settings: ``BILINGUAL_LANGUAGES`` (the codes, the first served at the site
root) and ``BILINGUAL_LANGUAGE_SETTINGS`` ({code: {field: value}}), laid over
the defaults in ``settings.LANGUAGE_DEFAULTS``; a field given nowhere comes
from the Unicode CLDR (through Babel) for that locale, so a new language needs
only its code, a UI catalog and content files.
"""

import dataclasses
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.core import get_global


@dataclass(frozen=True)
class Language:
    """One language of the site."""

    code: str  # as written in ``Lang:`` and the catalog's folder name
    locale: str  # Babel (CLDR) locale for dates and names: ja, en, ko, zh_Hans
    hreflang: str  # BCP 47 tag for hreflang and <html lang>
    og_locale: str  # Open Graph locale: ja_JP
    url_prefix: str  # the folder of its pages: "" for the first language, else "<code>/"
    name: str  # how the language names itself in the switch: 日本語
    date_format: str  # a day in lists and bylines: y年M月d日
    month_format: str  # a month heading: y年M月
    day_format: str  # an event's day, with the weekday: y年M月d日（E）
    short_day_format: str  # the same without the year, for an end in the same year
    short_end_day: bool  # whether a range's end day drops a year it shares with the start
    range_separator: str  # between two days: ～ / " – "
    time_separator: str  # between two times of a day: ～ / –
    date_time_separator: str  # between a day and its time: " " / ", "
    list_separator: str  # between names in a list: 、 / ", "
    summary_length: int  # characters of a summary made from the body
    names_home_zone: bool  # whether times in the site's own zone carry its name
    fallback: tuple  # other languages to show, in order, when an item lacks this one
    is_default: bool = False  # served at the site root, the x-default

    def __str__(self):
        return self.code


def cldr_defaults(code):
    """Fields of a language taken from CLDR: what a site need not write down."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as error:
        raise ValueError(
            f"BILINGUAL_LANGUAGES: {code!r} is not a language Babel knows: give its "
            "'locale' in BILINGUAL_LANGUAGE_SETTINGS"
        ) from error
    territory = locale.territory or _likely_territory(locale)
    return {
        "locale": str(locale),
        "hreflang": code,
        "og_locale": f"{locale.language}_{territory}" if territory else locale.language,
        "name": locale.get_display_name(locale) or code,
        "date_format": locale.date_formats["long"].pattern,
        "month_format": locale.datetime_skeletons.get("yMMMM", locale.date_formats["long"]).pattern,
        "day_format": locale.date_formats["full"].pattern,
        "short_day_format": locale.date_formats["full"].pattern,
        "short_end_day": False,
        "range_separator": " – ",
        "time_separator": "–",
        "date_time_separator": ", ",
        "list_separator": ", ",
        "summary_length": 200,
        "names_home_zone": True,
    }


def _likely_territory(locale):
    """The territory CLDR thinks most likely for a language: KR for ko, CN for zh_Hans."""
    subtags = get_global("likely_subtags")
    # (zh_Hant is TW, zh_Hans CN: the script decides before the language.)
    likely = subtags.get(f"{locale.language}_{locale.script}") or subtags.get(locale.language, "")
    parts = likely.split("_")
    return next((part for part in parts[1:] if part.isupper() and len(part) == 2), "")


def make_languages(codes, overrides, defaults):
    """The site's :class:`Language` records, in the order of ``codes``.

    ``defaults`` and ``overrides`` map a code to fields; CLDR fills the rest.
    Each language falls back to the others in site order unless it says
    otherwise.
    """
    records = []
    for position, code in enumerate(codes):
        if "url_prefix" in overrides.get(code, {}):
            raise ValueError(
                f"BILINGUAL_LANGUAGE_SETTINGS[{code!r}]: url_prefix cannot be set: a "
                "language's pages are under '<code>/' (the first language's at the root)")
        fields = {
            **cldr_defaults(_locale_of(code, overrides, defaults)),
            "hreflang": code,
            **defaults.get(code, {}),
            **overrides.get(code, {}),
        }
        unknown = set(fields) - {f.name for f in dataclasses.fields(Language)}
        if unknown:
            raise ValueError(
                f"BILINGUAL_LANGUAGE_SETTINGS[{code!r}]: unknown field(s) "
                f"{', '.join(sorted(unknown))}"
            )
        fields.setdefault("fallback", tuple(other for other in codes if other != code))
        fields["fallback"] = tuple(fields["fallback"])
        # (Not a setting: items' URLs come from Pelican's "{lang}/…" patterns.)
        fields["url_prefix"] = "" if position == 0 else f"{code}/"
        records.append(Language(code=code, is_default=position == 0, **fields))
    return tuple(records)


def _locale_of(code, overrides, defaults):
    return overrides.get(code, {}).get("locale") or defaults.get(code, {}).get("locale") or code


class Languages(tuple):
    """The site's languages in order, with look-up by code."""

    def __new__(cls, records):
        instance = super().__new__(cls, records)
        instance.by_code = {record.code: record for record in records}
        return instance

    @property
    def codes(self):
        return tuple(record.code for record in self)

    @property
    def default(self):
        return self[0]

    def __getitem__(self, key):
        if isinstance(key, str):
            return self.by_code[key]
        return super().__getitem__(key)


def site_languages(settings):
    """The :class:`Languages` of a site's (defaults-filled) settings."""
    # (settings.py imports nothing of this module; imported here, the records
    # stay free of the plugin's settings machinery.)
    from .settings import LANGUAGE_DEFAULTS, apply_defaults  # noqa: PLC0415

    settings = apply_defaults(settings)
    return Languages(make_languages(
        tuple(settings["BILINGUAL_LANGUAGES"]),
        settings.get("BILINGUAL_LANGUAGE_SETTINGS") or {},
        LANGUAGE_DEFAULTS,
    ))
