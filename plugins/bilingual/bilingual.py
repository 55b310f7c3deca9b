"""Bilingual site: every content type in Japanese and English in one Pelican pass.

Signals:
- ``initialized``: fill in the plugin's default settings and check them;
- ``generator_init``: give every generator's Jinja environment the UI
  catalogs (gettext reading the page's ``lang``);
- ``get_generators``: add :class:`BilingualGenerator`, which reads and writes
  news, event reports, project profiles and pages;
- ``readers_init``: read Markdown so that an empty metadata field is "not set".

Template globals: ``_``/``gettext``/``ngettext`` and ``ui_catalogs``.
"""

import logging
import os

from pelican import signals

from .generator import BilingualGenerator
from .i18n import load_catalogs, make_gettext_callables
from .readers import forget_prefetched, use_site_reader
from .settings import apply_defaults, check_settings

logger = logging.getLogger(__name__)


def configure(pelican):
    apply_defaults(pelican.settings)
    problems = check_settings(pelican.settings)
    if problems:
        raise ValueError("[bilingual] " + "; ".join(problems))


def translations_path(settings):
    return settings["BILINGUAL_TRANSLATIONS_PATH"] or os.path.join(
        settings["THEME"], "translations"
    )


def install_ui_translations(generator):
    settings = apply_defaults(generator.settings)
    catalogs = load_catalogs(translations_path(settings), settings["BILINGUAL_LANGUAGES"])
    env = generator.env
    env.add_extension("jinja2.ext.i18n")
    gettext, ngettext = make_gettext_callables(catalogs)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals["ui_catalogs"] = catalogs


def add_generator(pelican):
    return BilingualGenerator


SIGNAL_HANDLERS = (
    (signals.initialized, configure),
    (signals.generator_init, install_ui_translations),
    (signals.get_generators, add_generator),
    (signals.readers_init, use_site_reader),
    (signals.finalized, forget_prefetched),
)


def register():
    for signal, handler in SIGNAL_HANDLERS:
        signal.connect(handler)
