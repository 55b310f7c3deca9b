"""Bilingual site: every content type in Japanese and English in one Pelican pass.

Signals:
- ``initialized``: fill in the plugin's default settings (with every kind's URL
  settings) and check them; start the run's :class:`~build.Build` (its clock);
- ``generator_init``: give every generator's Jinja environment the UI
  catalogs (gettext reading the page's ``lang``) and the templates compiled
  by earlier builds of the process (``compiled``: the preview's rebuilds);
- ``get_generators``: add :class:`BilingualGenerator`, which reads and writes
  news, event reports, project profiles and pages;
- ``readers_init``: read Markdown so that an empty metadata field is "not set";
- ``finalized``: wait until every page is written (pages may still be written in
  child processes while the other generators run).

Template globals: ``_``/``gettext``/``ngettext`` and ``ui_catalogs``.
"""

import logging

from pelican import signals

from .build import current_build, end_of_run
from .compiled import share_compiled_templates
from .generator import BilingualGenerator
from .i18n import make_gettext_callables, make_template_gettext
from .kinds import site_kinds
from .languages import site_languages
from .readers import forget_prefetched, use_site_reader
from .settings import apply_defaults, check_settings, merge_defaults
from .site import ui_catalogs

logger = logging.getLogger(__name__)


def configure(pelican):
    """Fill in the defaults (the kinds' URL settings among them), check them, start the build."""
    settings = apply_defaults(pelican.settings)
    problems = check_settings(settings)
    if problems:
        raise ValueError("[bilingual] " + "; ".join(problems))
    for kind in site_kinds(settings):
        merge_defaults(settings, kind.url_settings())
    site_languages(settings)  # (a language Babel does not know stops here, named)
    current_build(settings)  # the clock is read once, before the checks start


def install_ui_translations(generator):
    catalogs = ui_catalogs(generator.settings)
    env = generator.env
    env.add_extension("jinja2.ext.i18n")
    gettext, ngettext = make_gettext_callables(catalogs)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    # (In place of Jinja's gettext and the "_" that looks it up on each call.)
    template_gettext = make_template_gettext(catalogs)
    env.globals.update(gettext=template_gettext, _=template_gettext)
    env.globals["ui_catalogs"] = catalogs


def complete_output(pelican):
    """``finalized``: the output is complete before the plugins that read all of it run."""
    current_build(pelican.settings).complete()


def end_run(pelican):
    """``finalized``: a build object the plugin made lasts one run (``pelican -r`` runs again)."""
    end_of_run(pelican.settings)


def add_generator(pelican):
    return BilingualGenerator


SIGNAL_HANDLERS = (
    (signals.initialized, configure),
    (signals.generator_init, install_ui_translations),
    (signals.generator_init, share_compiled_templates),
    (signals.get_generators, add_generator),
    (signals.readers_init, use_site_reader),
    (signals.finalized, complete_output),
    (signals.finalized, forget_prefetched),
    (signals.finalized, end_run),
)


def register():
    for signal, handler in SIGNAL_HANDLERS:
        signal.connect(handler)
