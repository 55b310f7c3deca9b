"""UI translations (gettext catalogs) and localised dates.

One Jinja environment renders both languages, so the gettext callables read
the language of the page being rendered from the template context (``lang``)
instead of being bound to one catalog.
"""

import logging
import os
from gettext import NullTranslations
from io import BytesIO

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import pass_context

logger = logging.getLogger(__name__)

DOMAIN = "messages"


def N_(message):
    """Mark a message for extraction; it is translated where it is used."""
    return message


def load_catalogs(translations_path, languages, source_language):
    """Return {lang: translations} compiled in memory from the ``.po`` files.

    ``.mo`` files are never committed: the catalog is compiled on each build
    so a fresh clone cannot run with a stale binary catalog. The source
    language (the msgids' language) needs no catalog.
    """
    catalogs = {}
    for lang in languages:
        po_path = os.path.join(translations_path, lang, "LC_MESSAGES", DOMAIN + ".po")
        if lang == source_language:
            catalogs[lang] = NullTranslations()
            continue
        if not os.path.exists(po_path):
            logger.error(
                "[bilingual] %s: no UI catalog for %r; its pages show English labels",
                po_path,
                lang,
            )
            catalogs[lang] = NullTranslations()
            continue
        with open(po_path, "rb") as po_file:
            catalog = read_po(po_file, locale=lang)
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


def format_day(value, language):
    """A date as readers of ``language`` (a record) write it: 2022年3月1日 / 1 March 2022."""
    return format_date(value, language.date_format, locale=language.locale)
