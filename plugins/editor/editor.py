"""The browser editor's page, written into the site when ``EDITOR_BACKEND`` is set.

``invoke serve --edit`` sets it to "local" (our preview server's backend);
a site edited through a git host sets Decap's record of that host in
``publishconf.py`` (deploy/README.md). The page is Decap CMS, served from our
own host like everything else: its files come from the pinned npm package
(``EDITOR_DECAP_DIST``), ours from ``static/``, and ``editor.json`` is the
configuration made from the kind registry (config.py).
"""

import html
import json
import logging
import os
import shutil
from pathlib import Path

from bilingual.i18n import N_, translate
from bilingual.site import site_of, ui_catalogs
from pelican import signals

from .config import editor_data, editor_language, item_choices
from .settings import apply_defaults

logger = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("static")
# Decap's files the page loads: the app, the chunks it loads on demand, its WebAssembly.
DECAP_FILES = ("decap-cms.js", "*.decap-cms.js", "*.wasm")
PAGE_TITLE = N_("Edit the site")


class EditorMissing(RuntimeError):
    """Decap CMS is not installed where ``EDITOR_DECAP_DIST`` says."""


def decap_dist(settings):
    """The folder of Decap's built files (relative paths: to pelicanconf.py's folder)."""
    dist = Path(settings["EDITOR_DECAP_DIST"])
    if not dist.is_absolute():
        dist = Path(settings["PATH"]).parent / dist
    if not (dist / "decap-cms.js").is_file():
        raise EditorMissing(
            f"the browser editor is not installed ({dist / 'decap-cms.js'} is missing): "
            "run `make html` (it installs it with npm; on Debian: apt-get install npm)")
    return dist


def _place(source, target):
    """A hard link where the file system allows one (the editor is 6 MB), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def page(settings):
    """The editor's HTML page: our scripts around Decap's, nothing from elsewhere."""
    lang = settings["EDITOR_LANGUAGE"] or next(iter(settings["BILINGUAL_LANGUAGES"]))
    title = f"{translate(ui_catalogs(settings), lang, PAGE_TITLE)} — {settings['SITENAME']}"
    return (
        "<!doctype html>\n"
        f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex, nofollow">\n'
        f"<title>{html.escape(title)}</title>\n"
        '<link rel="stylesheet" href="editor.css">\n'
        '<script src="manual-init.js"></script>\n'
        '<script src="decap-cms.js"></script>\n'
        '<script src="editor.js"></script>\n'
        "</head>\n<body></body>\n</html>\n"
    )


def write_editor(output, settings, backend=None, choices=None):
    """Write the editor page and its files into ``output``; returns its folder.

    ``choices``: the items references may name (config.item_choices).
    """
    settings = apply_defaults(settings)
    dist = decap_dist(settings)
    folder = Path(output) / settings["EDITOR_URL"]
    folder.mkdir(parents=True, exist_ok=True)
    for pattern in DECAP_FILES:
        for source in dist.glob(pattern):
            _place(source, folder / source.name)
    for source in STATIC.iterdir():
        if source.is_file():
            shutil.copyfile(source, folder / source.name)
    (folder / "index.html").write_text(page(settings), encoding="utf-8")
    data = editor_data(settings, backend, choices)
    (folder / "editor.json").write_text(json.dumps(data, ensure_ascii=False, indent=1),
                                        encoding="utf-8")
    return folder


def add_editor(generators):
    """``all_generators_finalized``: the editor page, when the site has an editor
    backend, its reference fields offering the items the build read."""
    settings = apply_defaults(generators[0].settings)
    if not settings["EDITOR_BACKEND"]:
        return
    site = site_of(generators[0].context)
    choices = item_choices(site, site.kinds, editor_language(settings))
    try:
        write_editor(generators[0].output_path, settings, choices=choices)
    except EditorMissing as error:
        logger.error("Editor: %s", error)


def register():
    signals.all_generators_finalized.connect(add_editor)
