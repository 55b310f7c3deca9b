"""UI translations (gettext catalogs) and localised dates.

One Jinja environment renders both languages, so the gettext callables read
the language of the page being rendered from the template context (``lang``)
instead of being bound to one catalog.
"""

import datetime
import functools
import logging
import os
from gettext import NullTranslations
from io import BytesIO

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import pass_context
from markupsafe import Markup

logger = logging.getLogger(__name__)

DOMAIN = "messages"


def N_(message):
    """Mark a message for extraction; it is translated where it is used."""
    return message


class Message(str):
    """A message for staff that can be said in their language.

    As a ``str`` it is the English text (logs, tests, Pelican's own errors);
    it keeps its msgid and values, so :func:`said` puts it into any catalog's
    language. Values may be messages themselves (a fix inside a message).
    The msgid is marked for extraction where the message is made:
    ``Message(N_("'%(value)s' is not a date"), value=value)``.
    """

    def __new__(cls, msgid, **values):
        text = msgid % values if values else msgid
        message = super().__new__(cls, text)
        message.msgid, message.values = msgid, values
        return message

    def __reduce__(self):
        # (Problems are made in the checks' child process and sent back pickled.)
        return (_remade, (type(self), self.msgid, self.values))

    def said(self, gettext):
        text = gettext(self.msgid)
        if not self.values:
            return text
        return text % {name: value.said(gettext) if isinstance(value, Message) else value
                       for name, value in self.values.items()}


# Between the items of a list in a message: "、" in Japanese.
LIST_SEPARATOR = N_(", ")


class Listing(Message):
    """Messages (or plain values) joined as a list in the language they are said in."""

    def __new__(cls, items):
        items = list(items)
        message = str.__new__(cls, ", ".join(map(str, items)))
        message.msgid, message.values, message.items = LIST_SEPARATOR, {}, items
        return message

    def __reduce__(self):
        return (Listing, (self.items,))

    def said(self, gettext):
        return gettext(LIST_SEPARATOR).join(said(item, gettext) for item in self.items)


def _remade(cls, msgid, values):
    return cls(msgid, **values)


def said(text, gettext=None):
    """``text`` in the language of ``gettext`` (a catalog's gettext): a :class:`Message`
    translated, anything else as it is; English without ``gettext``."""
    if gettext is None or not isinstance(text, Message):
        return str(text)
    return text.said(gettext)


def load_catalogs(translations_path, languages, source_language):
    """Return {lang: translations} compiled in memory from the ``.po`` files.

    ``.mo`` files are never committed: the catalog is compiled on each build
    so a fresh clone cannot run with a stale binary catalog. The source
    language (the msgids' language) needs no catalog. Compiled once per
    process while the files are unchanged (every generator of a build, and
    every rebuild of a preview, asks for them).
    """
    stamps = []
    for lang in languages:
        try:
            stamps.append(os.stat(po_file(translations_path, lang)).st_mtime_ns)
        except OSError:
            stamps.append(None)
    for lang, stamp in zip(languages, stamps, strict=True):
        if stamp is None and lang != source_language:
            logger.error("[bilingual] %s: no UI catalog for %r; its pages show English labels",
                         po_file(translations_path, lang), lang)
    return dict(_compiled_catalogs(translations_path, tuple(languages), source_language,
                                   tuple(stamps)))


def po_file(translations_path, lang):
    return os.path.join(translations_path, lang, "LC_MESSAGES", DOMAIN + ".po")


@functools.lru_cache(maxsize=16)
def _compiled_catalogs(translations_path, languages, source_language, _stamps):
    catalogs = {}
    for lang in languages:
        po_path = po_file(translations_path, lang)
        if lang == source_language:
            catalogs[lang] = NullTranslations()
            continue
        if not os.path.exists(po_path):
            catalogs[lang] = NullTranslations()  # (load_catalogs says so, every time)
            continue
        with open(po_path, "rb") as handle:
            catalog = read_po(handle, locale=lang)
        compiled = BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        catalogs[lang] = Translations(compiled, domain=DOMAIN)
    return catalogs


def translate(catalogs, lang, message, **variables):
    """Translate ``message`` into ``lang`` and fill its named placeholders."""
    text = catalogs[lang].gettext(message)
    return text % variables if variables else text


def make_gettext_callables(catalogs):
    """Context-aware gettext/ngettext for ``Environment.install_gettext_callables``."""

    @pass_context
    def gettext(context, message):
        return catalogs[context["lang"]].gettext(message)

    @pass_context
    def ngettext(context, singular, plural, number):
        return catalogs[context["lang"]].ngettext(singular, plural, number)

    return gettext, ngettext


def make_template_gettext(catalogs):
    """``_``/``gettext`` for templates: what Jinja's newstyle gettext returns
    (the translation, escaped, its named placeholders filled), remembered for
    each language and message.

    A page asks for some 25 interface strings (the menu, the footer, labels),
    each through five calls of Jinja's i18n extension: a quarter of the time
    spent rendering pages.
    """
    templates, filled = {}, {}

    @pass_context
    def gettext(context, message, **variables):
        key = (context["lang"], message, context.eval_ctx.autoescape)
        if not variables and key in filled:
            return filled[key]
        template = templates.get(key)
        if template is None:
            text = catalogs[key[0]].gettext(message)
            template = templates[key] = Markup(text) if key[2] else text
        # (Always a format string, as in Jinja: "%%" is "%" even without values.)
        if variables:
            return template % variables
        filled[key] = template % {}
        return filled[key]

    return gettext


def format_day(value, language):
    """A date as readers of ``language`` (a record) write it: 2022年3月1日 / 1 March 2022."""
    return formatted_day(value, language.date_format, language.locale)


def formatted_day(value, pattern, locale):
    """Babel's ``format_date``, remembered for the process by day, pattern and locale.

    Every item's dates are formatted in every build (2,470 of them in a
    1,000-pair preview edit, a third of planning), and the preview builds the
    same days again after each save. Babel formats a datetime by its day.
    """
    if isinstance(value, datetime.datetime):
        value = value.date()
    return _formatted_day(value, pattern, locale)


@functools.lru_cache(maxsize=16384)
def _formatted_day(day, pattern, locale):
    return format_date(day, pattern, locale=locale)
