"""Fingerprinted theme assets and precompressed text files, for long caching and fast serving.

Signals:
- ``generator_init``: give every generator's Jinja environment ``asset_url(path)``,
  the href of a theme static file under a name that carries its content hash:
  ``asset_url('css/site.css')`` is ``<SITEURL>/theme/css/site.<hash8>.css``. A
  changed file gets a new name, so the file can be cached for a year
  (``deploy/nginx.conf`` says ``immutable``) while pages still get the new one.
- ``finalized``: write each fingerprinted copy next to its original in the
  output (the original stays, for anything that still links to it); then, when
  ``ASSETS_PRECOMPRESS`` is on (publishconf.py), a ``.gz`` (gzip -9) and a
  ``.br`` (brotli) beside every text file, for ``gzip_static``/``brotli_static``
  and CDNs.

Everything written is reproducible: the hash comes from the file's bytes, gzip
is written with mtime 0 and no file name, brotli has no timestamp; two builds
of the same sources give the same bytes.

Settings (defaults in ``settings.py``): ``ASSETS_HASH_LENGTH``,
``ASSETS_PRECOMPRESS``, ``ASSETS_PRECOMPRESS_EXTENSIONS``, ``ASSETS_GZIP_LEVEL``,
``ASSETS_BROTLI_QUALITY``. The build's fingerprints are kept in the setting
``ASSETS_MANIFEST`` ({static path: Fingerprint}), filled as templates ask.
"""

import gzip
import hashlib
import json
import logging
import os
import posixpath
from dataclasses import dataclass

from bilingual.build import BuildState, current_build
from bilingual.files import link_or_copy
from bilingual.incremental import previous_build
from bilingual.parallel import in_parts, process_count
from bilingual.site import join_url
from jinja2 import pass_context
from pelican import signals
from pelican.utils import sanitised_join

from .settings import apply_defaults

logger = logging.getLogger(__name__)

MANIFEST = "ASSETS_MANIFEST"


class Manifest(BuildState, dict):
    """{static path: Fingerprint} of one build: state, not configuration (never fingerprinted)."""


@dataclass(frozen=True)
class Fingerprint:
    path: str  # as asked for, relative to the theme's static folder: css/site.css
    name: str  # the fingerprinted name, relative to the same folder: css/site.1a2b3c4d.css
    data: bytes  # the bytes that were hashed, written under ``name``


def find_static(settings, path):
    """The theme file that Pelican copies to ``<THEME_STATIC_DIR>/<path>``."""
    parts = posixpath.normpath(path).split("/")
    if path.startswith("/") or ".." in parts:
        raise ValueError(f"asset_url({path!r}): give a path inside the theme's static folder")
    # Pelican copies THEME_STATIC_PATHS in order: a later folder wins.
    for folder in reversed(settings.get("THEME_STATIC_PATHS") or ["static"]):
        candidate = os.path.join(settings["THEME"], folder, *parts)
        if os.path.isfile(candidate):
            return candidate
    raise ValueError(f"asset_url({path!r}): no such file in the theme's static folders")


def fingerprint(settings, path):
    """The :class:`Fingerprint` of a theme static file, computed once per build."""
    manifest = settings.get(MANIFEST)
    if manifest is None:
        manifest = settings[MANIFEST] = Manifest()
    if path not in manifest:
        with open(find_static(settings, path), "rb") as source:
            data = source.read()
        digest = hashlib.sha256(data).hexdigest()[: settings["ASSETS_HASH_LENGTH"]]
        stem, extension = posixpath.splitext(posixpath.normpath(path))
        manifest[path] = Fingerprint(path, f"{stem}.{digest}{extension}", data)
    return manifest[path]


def make_asset_url(settings):
    @pass_context
    def asset_url(context, path):
        siteurl = context.get("SITEURL", settings["SITEURL"])
        static_dir = context.get("THEME_STATIC_DIR", settings["THEME_STATIC_DIR"])
        return join_url(siteurl, f"{static_dir}/{fingerprint(settings, path).name}")

    return asset_url


def install_asset_url(generator):
    settings = apply_defaults(generator.settings)
    generator.env.globals["asset_url"] = make_asset_url(settings)


def _write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as output:
        output.write(data)


def theme_static_files(settings):
    """Every theme static file, as ``asset_url`` names it (css/site.css)."""
    found = set()
    for folder in settings.get("THEME_STATIC_PATHS") or ["static"]:
        top = os.path.join(settings["THEME"], folder)
        for parent, _dirs, files in os.walk(top):
            for name in files:
                found.add(os.path.relpath(os.path.join(parent, name), top).replace(os.sep, "/"))
    return sorted(found)


def write_fingerprinted(output_path, settings):
    """Write a fingerprinted copy of every theme static file; return their paths.

    Every file, not only those the templates asked for in this build: a page
    reused from the previous build (see bilingual/incremental.py) asks for
    nothing, and pages rendered in other processes ask in those processes.
    """
    for path in theme_static_files(settings):
        fingerprint(settings, path)
    written = []
    for item in (settings.get(MANIFEST) or {}).values():
        name = posixpath.join(settings["THEME_STATIC_DIR"], item.name)
        path = sanitised_join(output_path, name)
        _write(path, item.data)
        written.append(path)
    return written


def gzip_bytes(data, level=9):
    """gzip with mtime 0 and no file name in the header: the same input, the same bytes."""
    return gzip.compress(data, compresslevel=level, mtime=0)


def brotli_module():
    try:
        import brotli  # noqa: PLC0415 - only publishing compresses
    except ImportError as error:  # pragma: no cover - requirements.txt pins it
        raise RuntimeError(
            "[assets] ASSETS_PRECOMPRESS needs the brotli package: "
            "pip install -r requirements.txt"
        ) from error
    return brotli


def brotli_bytes(data, quality=11):
    brotli = brotli_module()
    return brotli.compress(data, mode=brotli.MODE_TEXT, quality=quality)


def precompress(output_path, settings):
    """Write ``<file>.gz`` and ``<file>.br`` beside every text file; return the count.

    Brotli at its best quality takes ~1 MB/s: it was most of a publish build
    (48 s of CPU for a 1,000-pair site against 8 s for the rest). So a file
    that is the previous build's own (reused by a hard link: the same inode)
    gets the previous build's compressed copies, linked too, when they were
    made with the same settings; the others are compressed on every core.
    """
    extensions = tuple(ext.lower() for ext in settings["ASSETS_PRECOMPRESS_EXTENSIONS"])
    recipe = compression_recipe(settings)
    previous = previous_build(settings, output_path)
    reusable = previous is not None and read_recipe(previous) == recipe
    to_compress, count = [], 0
    for folder, subfolders, files in os.walk(output_path):
        subfolders.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            # Hidden files (the build's manifests) are never served.
            if (not name.lower().endswith(extensions) or name.startswith(".")
                    or os.path.islink(path)):
                continue
            count += 1
            if not (reusable and link_compressed(path, output_path, previous)):
                to_compress.append(path)
    in_parts(lambda part: compress_files(part, settings), to_compress,
             process_count(settings.get("BILINGUAL_PROCESSES")), minimum=20)
    with open(os.path.join(output_path, RECIPE_FILE), "w", encoding="utf-8") as handle:
        json.dump(recipe, handle)
    logger.info("[assets] compressed %d text files, reused %d from the previous build",
                len(to_compress), count - len(to_compress))
    return count


# Which compression made the .gz and .br files of a build (beside them, hidden).
RECIPE_FILE = ".build-manifest-assets.json"


def compression_recipe(settings):
    return {"gzip": settings["ASSETS_GZIP_LEVEL"], "brotli": settings["ASSETS_BROTLI_QUALITY"],
            "brotli_version": getattr(brotli_module(), "__version__", "")}


def read_recipe(output):
    try:
        with open(os.path.join(output, RECIPE_FILE), encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def link_compressed(path, output_path, previous):
    """Link the previous build's .gz and .br of ``path`` when ``path`` is its file; True if done."""
    old = os.path.join(previous, os.path.relpath(path, output_path))
    copies = [old + ".gz", old + ".br"]
    try:
        if not os.path.samefile(path, old) or not all(map(os.path.isfile, copies)):
            return False
    except OSError:
        return False
    for copy in copies:
        link_or_copy(copy, path + copy[-3:])
    return True


def compress_files(paths, settings):
    for path in paths:
        with open(path, "rb") as source:
            data = source.read()
        _write(path + ".gz", gzip_bytes(data, settings["ASSETS_GZIP_LEVEL"]))
        _write(path + ".br", brotli_bytes(data, settings["ASSETS_BROTLI_QUALITY"]))


def finalize(pelican):
    # Every page written first (whichever plugin's ``finalized`` runs first).
    current_build(pelican.settings).complete()
    settings = apply_defaults(pelican.settings)
    output_path = pelican.output_path
    write_fingerprinted(output_path, settings)
    if settings["ASSETS_PRECOMPRESS"]:
        precompress(output_path, settings)


SIGNAL_HANDLERS = (
    (signals.generator_init, install_asset_url),
    (signals.finalized, finalize),
)


def register():
    for signal, handler in SIGNAL_HANDLERS:
        signal.connect(handler)
