"""Tasks for staff and engineers: ``invoke --list`` shows them.

- ``invoke build``: build the site into ``output/`` (atomically).
- ``invoke serve [--drafts] [--edit]``: build, serve on http://127.0.0.1:8000 and
  rebuild and reload the browser on every change; ``--edit`` adds the browser
  editor at http://127.0.0.1:8000/admin/.
- ``invoke new article|report|project|event|page --slug … --title …``:
  scaffold a new draft in both languages.
- ``invoke check``: check all content without building.
- ``invoke publish --target DIR --siteurl URL``: build with ``publishconf.py``
  for the absolute address URL and deploy a new release to ``DIR/current`` by
  an atomic switch (``deploy/releases.py``).
- ``invoke rollback --target DIR``: switch ``DIR/current`` back to the previous release.
- ``invoke clean``: remove ``output/`` and the content cache.
- ``invoke i18n``: extract the theme's UI strings and update the catalogs.

Messages for staff are in Japanese (the site's first language, or
BILINGUAL_STAFF_LANGUAGE); ``--lang en`` on check, new, build, serve and
publish shows them in English.
"""

import atexit
import functools
import gc
import glob
import logging
import os
import shutil
import sys
import threading
from pathlib import Path

from invoke import task

from deploy.releases import (
    CURRENT,
    DEPLOY_KEEP_RELEASES,
    PublishFailed,
    deploy_release,
    list_releases,
    rollback_release,
)

ROOT = Path(__file__).resolve().parent
OUTPUT = ROOT / "output"
DRAFTS_OUTPUT = ROOT / "output-drafts"
TRANSLATIONS = ROOT / "theme" / "translations"
DEFAULT_PORT = 8000
# The preview's search index comes in shards of this many pages (the site's
# are SEARCH_SHARD_PAGES, 500): a save re-indexes the edited page's shard,
# ~0.85 ms a page, while the one person searching the preview loads its
# shards from this machine, where more of them cost nothing that matters.
PREVIEW_SHARD_PAGES = 100
# After a preview build, the garbage collector waits this long (seconds),
# while the browser reloads the page, before it collects the build's garbage.
PREVIEW_COLLECT_AFTER = 1.0
PYBABEL = f"{sys.executable} -m babel.messages.frontend"

logger = logging.getLogger("tasks")


def _setup_logging(verbose=False):
    from pelican import log

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    # Any logged error (a broken {filename} link, a template error) stops
    # the build: staff must never publish a half-built site.
    log.init(level=logging.INFO if verbose else logging.WARNING, fatal="errors",
             handler=handler)


def build_site(settings_file="pelicanconf.py", output=OUTPUT, overrides=None, later=None,
               next_staging=None):
    """Build the site into a fresh folder beside ``output`` and swap it in.

    The previous ``output`` is replaced only when the whole build succeeded;
    a failed or interrupted build leaves it as it was (:class:`BuildFailed`).
    The build object (plugins/bilingual/build.py) does the work and owns its
    clock, background work and clean-up; this only names the settings.
    ``later``: a list to leave the build's housekeeping in (``Build.after``),
    for the caller to do when it has a moment; ``next_staging``: a
    ``NextStaging`` that makes the next build's folders after this one.
    """
    _use_plugins()
    from bilingual.build import Build

    return Build(later=later, next_staging=next_staging).run(ROOT / settings_file, output,
                                                               overrides)


def _use_plugins():
    """Put plugins/ on sys.path, as Pelican does for a build (PLUGIN_PATHS)."""
    plugins = str(ROOT / "plugins")
    if plugins not in sys.path:
        sys.path.insert(0, plugins)


def __getattr__(name):
    # tasks.BuildFailed is the build object's, imported on first use so that
    # `invoke --list` does not load Pelican and the plugins.
    if name == "BuildFailed":
        _use_plugins()
        from bilingual.build import BuildFailed

        return BuildFailed
    raise AttributeError(name)


LANG_HELP = ("language of the messages, e.g. ja or en "
             "(default: BILINGUAL_STAFF_LANGUAGE of pelicanconf.py, else the site's first)")


def _with_lang(lang, overrides=None):
    """Settings overrides that make messages speak ``lang`` (``--lang``)."""
    return {**(overrides or {}), **({"BILINGUAL_STAFF_LANGUAGE": lang} if lang else {})}


def _say(settings, message, file=sys.stdout):
    """Print a message (a ``bilingual.i18n.Message``) in the staff's language."""
    from bilingual.i18n import said
    from bilingual.site import staff_gettext

    print(said(message, staff_gettext(settings)), file=file, flush=True)


def _run_build(settings_file, verbose=False, overrides=None):
    _setup_logging(verbose)
    _use_plugins()
    from bilingual.build import BuildFailed
    from bilingual.i18n import N_, Message

    settings = _site_settings(overrides)
    try:
        output = build_site(settings_file, overrides=overrides)
    except BuildFailed as error:
        _say(settings, Message(N_("Build failed; output/ was left as it was.\n%(problems)s"),
                               problems=str(error)), sys.stderr)
        sys.exit(1)
    _say(settings, Message(N_("Built the site into %(folder)s/: %(written)s"),
                           folder=str(output.relative_to(ROOT)),
                           written=_summary(output, settings)))


def _summary(output, settings):
    """What a build wrote, in words staff can check at a glance.

    (Pelican's own "Processed 0 articles" line counts only its article and
    page generators, which this project switches off.)
    """
    from babel import Locale
    from bilingual.i18n import N_, Listing, Message
    from bilingual.site import site_languages, staff_language

    languages = site_languages(settings)
    folders = {language.url_prefix.rstrip("/"): language for language in languages}
    pages, feeds, calendars = dict.fromkeys(languages.codes, 0), 0, 0
    for folder, _dirs, names in os.walk(output):  # (one walk: a large site has 40,000 files)
        top = Path(folder).relative_to(output).parts[:1]
        language = folders.get(top[0] if top else "") or languages.default
        for name in names:
            if name.endswith(".html"):
                pages[language.code] += 1
            elif name.endswith((".atom.xml", ".rss.xml")):
                feeds += 1
            elif name.endswith(".ics"):
                calendars += 1
    # Languages named in the language of these messages: "55 Japanese, 54 English pages".
    said_in = Locale.parse(staff_language(settings))
    return Listing([
        *(Message(N_("%(count)d %(language)s pages"), count=pages[language.code],
                  language=Locale.parse(language.locale).get_display_name(said_in))
          for language in languages),
        Message(N_("%(count)d feeds"), count=feeds),
        Message(N_("%(count)d calendar files"), count=calendars)])


@task(help={"verbose": "list every file written", "lang": LANG_HELP})
def build(c, verbose=False, lang=None):
    """Build the site into output/ with pelicanconf.py."""
    _run_build("pelicanconf.py", verbose, _with_lang(lang))


# Publishing: this build, then a release of it (deploy/releases.py).


def publish_site(target, keep=DEPLOY_KEEP_RELEASES, output=OUTPUT,
                 settings_file="publishconf.py", overrides=None):
    """Build with ``publishconf.py`` into ``output``, then deploy it as a new release.

    A failed build (:class:`BuildFailed`) stops before ``target`` is touched.
    """
    built = build_site(settings_file, output, overrides)
    return deploy_release(built, target, keep)


def _deploy_target(target):
    target = target or os.environ.get("DEPLOY_TARGET")
    if not target:
        print("Nothing published: give the web server's folder with --target DIR "
              "(or set DEPLOY_TARGET).", file=sys.stderr)
        sys.exit(1)
    return Path(target)


@task(
    help={
        "target": "folder the web server serves from, as <target>/current "
                  "(default: $DEPLOY_TARGET)",
        "keep": "releases kept for rollback "
                f"(default: $DEPLOY_KEEP_RELEASES or {DEPLOY_KEEP_RELEASES})",
        "siteurl": "the site's absolute address (default: $SITEURL); required",
        "output_only": "only build output/ with publishconf.py (e.g. to upload it to a CDN)",
        "verbose": "list every file written",
        "lang": LANG_HELP,
    }
)
def publish(c, target=None, keep=None, siteurl=None, output_only=False, verbose=False,
            lang=None):
    """Build with publishconf.py, then deploy a new release to TARGET by an atomic switch."""
    # Given to the build as a setting: put in os.environ, it would outlive
    # this build and leak into any later one in the same process.
    siteurl = (siteurl or os.environ.get("SITEURL", "")).strip().rstrip("/")
    if not siteurl:
        print("Nothing published: give the site's absolute address with --siteurl "
              "or SITEURL=https://… (feeds and calendars link to it).", file=sys.stderr)
        sys.exit(1)
    overrides = _with_lang(lang, {"SITEURL": siteurl})
    if output_only:
        _run_build("publishconf.py", verbose, overrides)
        return
    target = _deploy_target(target)
    keep = int(keep or os.environ.get("DEPLOY_KEEP_RELEASES") or DEPLOY_KEEP_RELEASES)
    _setup_logging(verbose)
    _use_plugins()
    from bilingual.build import BuildFailed
    from bilingual.i18n import N_, Message

    try:
        release = publish_site(target, keep, overrides=overrides)
    except BuildFailed as error:
        _say(_site_settings(overrides),
             Message(N_("Build failed; nothing was published (%(current)s is unchanged).\n"
                        "%(problems)s"), current=f"{target}/{CURRENT}", problems=str(error)),
             sys.stderr)
        sys.exit(1)
    except PublishFailed as error:
        print(f"Publish failed; {target}/{CURRENT} is unchanged.\n{error}", file=sys.stderr)
        sys.exit(1)
    kept = len(list_releases(target))
    back = "; `invoke rollback` goes back to the previous one" if kept > 1 else ""
    print(f"Published {release}\n"
          f"{target / CURRENT} now points to it ({kept} release(s) kept{back}).")


@task(help={"target": "the folder given to publish (default: $DEPLOY_TARGET)"})
def rollback(c, target=None):
    """Point TARGET/current back to the previous release and delete the one it leaves."""
    target = _deploy_target(target)
    try:
        previous, removed = rollback_release(target)
    except PublishFailed as error:
        print(f"Nothing rolled back: {error}", file=sys.stderr)
        sys.exit(1)
    print(f"{target / CURRENT} now points to {previous} (removed {removed}).")


@task
def clean(c):
    """Remove output/ and the content cache."""
    for path in (OUTPUT, DRAFTS_OUTPUT, ROOT / "cache"):
        shutil.rmtree(path, ignore_errors=True)
    # (and what an interrupted build left beside an output: a staging folder,
    # or a previous output whose deletion was cut short)
    for output in (OUTPUT, DRAFTS_OUTPUT):
        for left in output.parent.glob(glob.escape(f".{output.name}.") + "*"):
            shutil.rmtree(left, ignore_errors=True)


@task(
    help={
        "port": f"port on 127.0.0.1 (default {DEFAULT_PORT})",
        "drafts": "also show drafts and embargoed items "
                  "(built into output-drafts/, never published)",
        "edit": "also open the browser editor at /admin/ (shows drafts too)",
        "lang": LANG_HELP,
    }
)
def serve(c, port=DEFAULT_PORT, drafts=False, edit=False, lang=None):
    """Preview with live reload: rebuild and refresh the browser on every change.

    With --edit, the browser editor runs on the same address, its saves
    written into content/ by the preview itself (loopback only, and only for
    the preview's own pages).
    """
    _setup_logging()
    _use_plugins()
    from bilingual.build import BuildFailed
    from bilingual.i18n import N_, Message
    from bilingual.site import staff_gettext, staff_language
    from editor.editor import EditorMissing, decap_dist
    from editor.server import BuildStatus, PreviewServer, local_backend, own_origins
    from editor.settings import apply_defaults as editor_defaults

    # Drafts go to their own folder so that output/ never holds one; staff
    # editing see the draft they are writing.
    drafts = drafts or edit
    output = DRAFTS_OUTPUT if drafts else OUTPUT
    overrides = _with_lang(lang, {"BILINGUAL_SHOW_DRAFTS": True} if drafts else {})
    settings = editor_defaults(_site_settings(overrides))
    if edit:
        overrides["EDITOR_BACKEND"] = "local"
        try:
            decap_dist(settings)
        except EditorMissing as error:
            print(f"Cannot start the editor: {error}", file=sys.stderr)
            sys.exit(1)
    status = BuildStatus()
    _PREVIEW_COLLECTOR.report = lambda error: _say(settings, Message(N_(
        "The preview could not tidy up after its last build (%(error)s). The site shown is "
        "complete; the next build tries again."), error=error), sys.stderr)

    def rebuild():
        # (The cache's folder is chosen again: a plugin may have changed.)
        overrides.update(preview_overrides(_preview_cache(ROOT, output.name)))
        status.started()
        try:
            preview_build(output, overrides)
        except BuildFailed as error:
            # Keep serving the last good site; the message says what to fix,
            # here and at the top of every preview page.
            status.finished(str(error))
            _say(settings, Message(N_("Build failed; still showing the last good site.\n"
                                      "%(problems)s"), problems=str(error)), sys.stderr)
        else:
            status.finished()

    rebuild()
    server = PreviewServer(status, local_backend(ROOT, settings) if edit else None,
                           settings["EDITOR_URL"], own_origins(port),
                           staff_gettext(settings), staff_language(settings))
    for pattern in ("content/**/*", "theme/**/*", "plugins/**/*.py", "pelicanconf.py"):
        server.watch(str(ROOT / pattern), rebuild, delay=0.5)
    _say(settings, Message(N_("Preview: %(address)s"), address=f"http://127.0.0.1:{port}/"))
    if edit:
        _say(settings, Message(N_("Editor: %(address)s"),
                               address=f"http://127.0.0.1:{port}/{settings['EDITOR_URL']}"))
    _say(settings, Message(N_("(Ctrl+C stops both)") if edit else N_("(Ctrl+C to stop)")))
    server.serve(host="127.0.0.1", port=int(port), root=str(output), open_url_delay=None)


class PreviewCollector:
    """The garbage collector of a process that builds again and again: the preview's.

    A full collection scans every object of the site, and at 1,000 pairs one
    ran in the middle of every preview build (0.11-0.13 s of the ~1.3 s staff
    wait for). So the collector is off while the preview builds, and until a
    moment after the build (``PREVIEW_COLLECT_AFTER``), when a thread
    collects the build's garbage and turns it on again. A build that starts
    before then waits for a collection under way, or cancels the one to come.

    The build's housekeeping (``Build.after``: saving the content cache,
    deleting the previous output; 0.05 s at 1,000 pairs) is done then too,
    before the collection; a build that starts before then does it first, and
    so does the process when it ends (Ctrl+C). Housekeeping that fails loses
    nothing (the next build converts a file again, or deletes the old output
    itself); ``report`` is told why, to say it to staff.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.timer = None
        self.housekeeping = []
        self.report = None  # report(error), when housekeeping fails
        atexit.register(self.keep_house_at_exit)

    def pause(self):
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
                self.timer = None
            gc.disable()
            self.keep_house()

    def collect_later(self, housekeeping=()):
        with self.lock:
            self.housekeeping += housekeeping
            timer = self.timer = threading.Timer(PREVIEW_COLLECT_AFTER, self.collect)
            timer.daemon = True
            timer.start()

    def collect(self):
        with self.lock:
            if self.timer is not threading.current_thread():
                return  # (cancelled by a build that started meanwhile)
            self.keep_house()
            gc.collect()
            gc.enable()
            self.timer = None

    def keep_house(self):
        while self.housekeeping:
            function, args = self.housekeeping.pop(0)
            try:
                function(*args)
            except Exception as error:  # noqa: BLE001 - the next build does without
                logger.debug("preview housekeeping failed", exc_info=True)
                if self.report is not None:
                    self.report(error)

    def keep_house_at_exit(self):
        with self.lock:
            self.keep_house()

    def idle(self):
        """Wait until the collection after the last build is done (if one is to come)."""
        timer = self.timer
        if timer is not None:
            timer.join()


_PREVIEW_COLLECTOR = PreviewCollector()


def preview_build(output, overrides):
    """One build of the preview (``invoke serve``; the benchmark times it), with its
    garbage collected and its housekeeping done after it (``PreviewCollector``)."""
    _PREVIEW_COLLECTOR.pause()
    housekeeping = []
    try:
        return build_site("pelicanconf.py", output, overrides, later=housekeeping,
                          next_staging=_preview_staging())
    finally:
        _PREVIEW_COLLECTOR.collect_later(housekeeping)


def preview_idle():
    """Wait until the preview has done the housekeeping and collected the garbage of
    its last build, and made the folders of the next, as it has when staff save
    again after a moment (the benchmark waits so between edits)."""
    _PREVIEW_COLLECTOR.idle()
    _preview_staging().wait()


@functools.cache
def _preview_staging():
    """The preview's ``NextStaging``: after each build, while staff read, it makes
    the next build's folders (one per page: slow to make on some disks)."""
    _use_plugins()
    from bilingual.build import NextStaging

    return NextStaging()


def preview_overrides(cache_path):
    """Settings of every build the preview runs (the benchmark times them too).

    Each rebuild converts only the Markdown files that changed, by the content
    cache in ``cache_path``; files are compared by content (md5), not by
    modification time, which some disks keep to the second. The search index
    comes in smaller shards (``PREVIEW_SHARD_PAGES``).
    """
    return {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(cache_path),
            "CHECK_MODIFIED_METHOD": "md5", "SEARCH_SHARD_PAGES": PREVIEW_SHARD_PAGES,
            "BILINGUAL_KEEP_ITEMS": True}


def _preview_cache(root, name):
    """The content cache of a preview into ``name`` (``output``, ``output-drafts``):
    a folder named after it and the code and settings it is made with.

    Pelican's content cache keeps each file's converted Markdown until the
    file changes, and does not notice a change of settings, plugins or
    packages; a cache made with others is never used again (and removed).
    """
    import hashlib
    from importlib import metadata

    hasher = hashlib.blake2b(digest_size=8)
    for path in sorted([root / "pelicanconf.py", *(root / "plugins").rglob("*.py")]):
        hasher.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    for package in ("pelican", "markdown", "pygments"):
        try:
            hasher.update(f"{package}=={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            hasher.update(f"{package} missing".encode())
    # (One per preview: two previews at once must not write the same files.)
    folder = root / "cache" / f"preview-{name}-{hasher.hexdigest()}"
    for old in (root / "cache").glob("preview-*"):
        if old.name.rsplit("-", 1)[0] == f"preview-{name}" and old != folder:
            shutil.rmtree(old, ignore_errors=True)
    return folder


@task
def i18n(c):
    """Extract UI strings into messages.pot and merge them into each catalog."""
    pot = TRANSLATIONS / "messages.pot"
    c.run(
        f"{PYBABEL} extract -F {TRANSLATIONS / 'babel.cfg'} -o {pot} --no-location "
        f"--sort-output --omit-header --ignore-dirs='.* .venv output' {ROOT}"
    )
    c.run(f"{PYBABEL} update -i {pot} -d {TRANSLATIONS} --omit-header --no-fuzzy-matching")


def _site_settings(override=None):
    """The site's settings with the plugins' defaults, for tasks that do not build."""
    _use_plugins()
    from bilingual.settings import apply_defaults
    from pelican.settings import read_settings

    return apply_defaults(read_settings(str(ROOT / "pelicanconf.py"), override=override))


@task(
    help={
        "drafts": "check drafts as if they were published",
        "path": "content folder to check (default: PATH of pelicanconf.py)",
        "lang": LANG_HELP,
    }
)
def check(c, drafts=False, path=None, lang=None):
    """Check all content without building: every problem, with file, line and fix."""
    _use_plugins()
    from bilingual.site import staff_gettext
    from checks.checks import run_checks

    settings = _site_settings(_with_lang(lang, {"PATH": str(Path(path).resolve())}
                                         if path else None))
    report = run_checks(settings, show_drafts=drafts)
    for line in report.lines(with_untranslated=True, gettext=staff_gettext(settings)):
        print(line)
    if report.errors:
        sys.exit(1)


@task(
    help={
        "kind": "article, report, project, event or page (or a kind the site adds)",
        "slug": "the address part, e.g. fy2023-open-call (lowercase ASCII, hyphens)",
        "title": "the Japanese title",
        "title_en": "the title in the other languages (default: the Japanese one, to translate)",
        "path": "content folder to write into (default: PATH of pelicanconf.py)",
        "lang": LANG_HELP,
    }
)
def new(c, kind, slug, title, title_en=None, path=None, lang=None):
    """Create the files of a new draft, one per site language, with every field of its kind."""
    _use_plugins()
    from bilingual.i18n import N_, Message
    from checks.scaffold import scaffold

    settings = _site_settings(_with_lang(lang, {"PATH": str(Path(path).resolve())}
                                         if path else None))
    first, *others = settings["BILINGUAL_LANGUAGES"]
    # The title in the first language; the others get --title-en, or that one
    # to translate.
    titles = {first: title, **{other: title_en or title for other in others}}
    try:
        paths = scaffold(settings, kind, slug, titles)
    except ValueError as error:
        _say(settings, Message(N_("Nothing created: %(problem)s"), problem=error.args[0]),
             sys.stderr)
        sys.exit(1)
    for created in paths:
        _say(settings, Message(N_("Created %(file)s"), file=os.path.relpath(created, ROOT)))
    _say(settings, Message(N_("Edit the files, preview with `invoke serve --drafts`, then "
                              "delete `Status: draft`.")))


@task(
    help={
        "pairs": "article pairs per size, comma separated (default: 1000,4000)",
        "runs": "runs per size (default: 3)",
        "quick": "smoke test: 50 pairs, 1 run",
        "peers": "also build with Hugo and Eleventy, installed on demand into the benchmark's "
                 "work folder (default; --no-peers to skip them)",
    }
)
def bench(c, pairs=None, runs=None, quick=False, peers=True):
    """Benchmark our build against Hugo, Eleventy and plain Pelican + Pagefind (benchmarks/)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench as benchmark

    argv = []
    if pairs:
        argv += ["--pairs", *pairs.split(",")]
    if runs:
        argv += ["--runs", str(runs)]
    if quick:
        argv.append("--quick")
    if not peers:
        argv.append("--no-peers")
    sys.exit(benchmark.main(argv))
