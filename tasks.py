"""Tasks for staff and engineers: ``invoke --list`` shows them.

- ``invoke build``: build the site into ``output/`` (atomically).
- ``invoke serve``: build, serve on http://127.0.0.1:8000 and rebuild and
  reload the browser on every change.
- ``invoke publish``: build with ``publishconf.py`` (absolute URLs).
- ``invoke clean``: remove ``output/`` and the content cache.
- ``invoke i18n``: extract the theme's UI strings and update the catalogs.
"""

import logging
import shutil
import sys
import tempfile
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
OUTPUT = ROOT / "output"
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
    from pelican.settings import read_settings

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
    for path in (OUTPUT, ROOT / "cache"):
        shutil.rmtree(path, ignore_errors=True)


@task(help={"port": f"port on 127.0.0.1 (default {DEFAULT_PORT})"})
def serve(c, port=DEFAULT_PORT):
    """Preview with live reload: rebuild and refresh the browser on every change."""
    from livereload import Server

    _setup_logging()

    def rebuild():
        try:
            build_site("pelicanconf.py")
        except BuildFailed as error:
            # Keep serving the last good site; the message says what to fix.
            print(f"Build failed; still showing the last good site.\n{error}",
                  file=sys.stderr)

    rebuild()
    server = Server()
    for pattern in ("content/**/*", "theme/**/*", "plugins/**/*.py", "pelicanconf.py"):
        server.watch(str(ROOT / pattern), rebuild, delay=0.5)
    print(f"Serving on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    server.serve(host="127.0.0.1", port=int(port), root=str(OUTPUT), open_url_delay=None)


@task
def i18n(c):
    """Extract UI strings into messages.pot and merge them into each catalog."""
    pot = TRANSLATIONS / "messages.pot"
    c.run(
        f"{PYBABEL} extract -F {TRANSLATIONS / 'babel.cfg'} -o {pot} --no-location "
        f"--sort-output --omit-header --ignore-dirs='.* .venv output' {ROOT}"
    )
    c.run(f"{PYBABEL} update -i {pot} -d {TRANSLATIONS} --omit-header --no-fuzzy-matching")


@task(help={"drafts": "also check references from drafts as if they were published"})
def check(c, drafts=False):
    """Check all content without building: every problem, with file, line and fix."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from bilingual.settings import apply_defaults
    from checks.checks import run_checks
    from pelican.settings import read_settings

    settings = apply_defaults(read_settings(str(ROOT / "pelicanconf.py")))
    report = run_checks(settings, show_drafts=drafts)
    for line in report.lines(with_untranslated=True):
        print(line)
    if report.errors:
        sys.exit(1)
