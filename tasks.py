"""Tasks for staff and engineers: ``invoke --list`` shows them.

- ``invoke build``: build the site into ``output/`` (atomically).
- ``invoke serve [--drafts]``: build, serve on http://127.0.0.1:8000 and
  rebuild and reload the browser on every change.
- ``invoke new article|report|project|event|page --slug … --title …``:
  scaffold a new draft in both languages.
- ``invoke check``: check all content without building.
- ``invoke publish``: build with ``publishconf.py`` (absolute URLs).
- ``invoke clean``: remove ``output/`` and the content cache.
- ``invoke i18n``: extract the theme's UI strings and update the catalogs.
"""

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
OUTPUT = ROOT / "output"
DRAFTS_OUTPUT = ROOT / "output-drafts"
TRANSLATIONS = ROOT / "theme" / "translations"
DEFAULT_PORT = 8000
PYBABEL = f"{sys.executable} -m babel.messages.frontend"

logger = logging.getLogger("tasks")


class BuildFailed(Exception):
    """The build stopped; the previous output is untouched."""


def _setup_logging(verbose=False):
    from pelican import log

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    # Any logged error (a broken {filename} link, a template error) stops
    # the build: staff must never publish a half-built site.
    log.init(level=logging.INFO if verbose else logging.WARNING, fatal="errors",
             handler=handler)


def build_site(settings_file="pelicanconf.py", output=OUTPUT, overrides=None):
    """Build the site into a fresh folder beside ``output`` and swap it in.

    The previous ``output`` is replaced only when the whole build succeeded;
    a failed or interrupted build leaves it as it was.
    """
    from pelican import Pelican
    from pelican.log import FatalLogger
    from pelican.settings import read_settings

    # Any error Pelican logs (a broken link, a template error) stops the build.
    FatalLogger.fatal_lvl = logging.ERROR
    output = Path(output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        settings = read_settings(
            str(ROOT / settings_file),
            override={"OUTPUT_PATH": str(staging), **(overrides or {})},
        )
        Pelican(settings).run()
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        if not isinstance(error, Exception):
            raise  # Ctrl+C: stop, with output/ untouched
        raise BuildFailed(str(error)) from error
    _swap_in(staging, output)
    return output


def _swap_in(staging, output):
    """Replace ``output`` by ``staging`` with two renames on the same disk."""
    staging.chmod(0o755)
    previous = None
    if output.exists():
        previous = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
        previous.rmdir()
        output.rename(previous)
    staging.rename(output)
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)


def _run_build(settings_file, verbose=False, overrides=None):
    _setup_logging(verbose)
    try:
        output = build_site(settings_file, overrides=overrides)
    except BuildFailed as error:
        print(f"Build failed; output/ was left as it was.\n{error}", file=sys.stderr)
        sys.exit(1)
    print(f"Built the site into {output.relative_to(ROOT)}/")


@task(help={"verbose": "list every file written"})
def build(c, verbose=False):
    """Build the site into output/ with pelicanconf.py."""
    _run_build("pelicanconf.py", verbose)


@task(help={"verbose": "list every file written"})
def publish(c, verbose=False):
    """Build the site for publication with publishconf.py (absolute SITEURL)."""
    _run_build("publishconf.py", verbose)


@task
def clean(c):
    """Remove output/ and the content cache."""
    for path in (OUTPUT, DRAFTS_OUTPUT, ROOT / "cache"):
        shutil.rmtree(path, ignore_errors=True)


@task(
    help={
        "port": f"port on 127.0.0.1 (default {DEFAULT_PORT})",
        "drafts": "also show drafts and embargoed items (built into output-drafts/, never published)",
    }
)
def serve(c, port=DEFAULT_PORT, drafts=False):
    """Preview with live reload: rebuild and refresh the browser on every change."""
    from livereload import Server

    _setup_logging()
    # Drafts go to their own folder so that output/ never holds one.
    output = DRAFTS_OUTPUT if drafts else OUTPUT
    overrides = {"BILINGUAL_SHOW_DRAFTS": True} if drafts else None

    def rebuild():
        try:
            build_site("pelicanconf.py", output, overrides)
        except BuildFailed as error:
            # Keep serving the last good site; the message says what to fix.
            print(f"Build failed; still showing the last good site.\n{error}",
                  file=sys.stderr)

    rebuild()
    server = Server()
    for pattern in ("content/**/*", "theme/**/*", "plugins/**/*.py", "pelicanconf.py"):
        server.watch(str(ROOT / pattern), rebuild, delay=0.5)
    print(f"Serving on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    server.serve(host="127.0.0.1", port=int(port), root=str(output), open_url_delay=None)


@task
def i18n(c):
    """Extract UI strings into messages.pot and merge them into each catalog."""
    pot = TRANSLATIONS / "messages.pot"
    c.run(
        f"{PYBABEL} extract -F {TRANSLATIONS / 'babel.cfg'} -o {pot} --no-location "
        f"--sort-output --omit-header --ignore-dirs='.* .venv output' {ROOT}"
    )
    c.run(f"{PYBABEL} update -i {pot} -d {TRANSLATIONS} --omit-header --no-fuzzy-matching")


@task(
    help={
        "drafts": "check drafts as if they were published",
        "path": "content folder to check (default: PATH of pelicanconf.py)",
    }
)
def check(c, drafts=False, path=None):
    """Check all content without building: every problem, with file, line and fix."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from bilingual.settings import apply_defaults
    from checks.checks import run_checks
    from pelican.settings import read_settings

    override = {"PATH": str(Path(path).resolve())} if path else None
    settings = apply_defaults(read_settings(str(ROOT / "pelicanconf.py"), override=override))
    report = run_checks(settings, show_drafts=drafts)
    for line in report.lines(with_untranslated=True):
        print(line)
    if report.errors:
        sys.exit(1)


@task(
    help={
        "kind": "article, report, project, event or page",
        "slug": "the address part, e.g. fy2023-open-call (lowercase ASCII, hyphens)",
        "title": "the Japanese title",
        "title_en": "the English title (default: the Japanese one, to translate)",
    }
)
def new(c, kind, slug, title, title_en=None):
    """Create the ja and en files of a new draft with every field of its type."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from checks.scaffold import scaffold
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    folders = dict(settings.get("BILINGUAL_CONTENT_PATHS") or {})
    try:
        paths = scaffold(settings["PATH"], kind, slug, title, title_en,
                         timezone=settings["TIMEZONE"], folders=folders)
    except ValueError as error:
        print(f"Nothing created: {error}", file=sys.stderr)
        sys.exit(1)
    for path in paths:
        print(f"Created {os.path.relpath(path, ROOT)}")
    print("Edit both files, preview with `invoke serve --drafts`, then delete `Status: draft`.")
