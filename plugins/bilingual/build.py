"""One run of the build as an object: its clock, its background work, why it failed.

A :class:`Build` lives in the settings of the run (``BILINGUAL_BUILD``):
``tasks.build_site`` makes one and passes it in; a run of Pelican's own
(``pelican``, ``pelican -r``) gets one from the plugin, forgotten when the run
ends (``finalized``). Everything that used to be
process-wide state hangs off it:

- ``now``: the moment of the build, read once (``SOURCE_DATE_EPOCH`` when
  set), so that the content checks and the generators judge embargoes and
  "upcoming" against the same time;
- ``start(function, ...)``: work in the background (the checks' child
  process, the search index) that the build waits for before it cleans up;
  ``explains=True`` marks work whose error explains a failed build better
  than the error that stopped it (the checks name file, line and field);
- ``wait()``: after a failure, let that work stop and return the explaining
  error, if any;
- ``writes_output(work)``: background work that writes part of the output
  (pages rendered in child processes while the other generators go on);
  ``complete()`` waits for it, and raises its error, before the plugins
  that read the whole output run (``finalized``);
- ``once_written(function, ...)``: work that needs the output written first
  (a manifest of fingerprints made from the digests the page processes
  found): ``complete()`` does it after the writing work;
- ``after(function, ...)``: housekeeping that may wait until the output is
  in place (saving the content cache, deleting the previous output): done at
  once, unless the caller collects it (``later``, a list: the preview does
  it a moment after the build);
- ``run(settings_path, output)``: the whole atomic build. Pelican writes into
  a new folder beside ``output``, which replaces it only when everything
  succeeded (a failed or interrupted build leaves it as it was); the
  replaced output is deleted by a detached process; any error Pelican logs
  stops the build (and only this one: the logger's level is restored).
  With ``next_staging`` (:class:`NextStaging`, the preview's) the new folder
  comes with the previous output's folders made ahead of the build.

The object is build state, not configuration: page fingerprints leave it out
(:class:`BuildState`), and it pickles and deep-copies as itself without its
threads.
"""

import atexit
import contextlib
import datetime
import gc
import glob
import logging
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from .files import describe_error
from .parallel import Background

SETTING = "BILINGUAL_BUILD"

# When a process that built ends, its objects are left to the operating
# system: Python's last garbage collection would free a build's reference
# cycles one by one (0.2 s after a 1,000-pair build, more after a larger one)
# in a process that is ending anyway. (Files are closed by then: every
# writer uses "with".)
atexit.register(gc.freeze)


class BuildFailed(Exception):
    """The build stopped; the previous output is untouched."""


class BuildState:
    """A settings value that is state of the run, not configuration (never fingerprinted)."""

    def __deepcopy__(self, memo):
        return self


def build_time(environ=os.environ):
    """The moment the site is built: SOURCE_DATE_EPOCH when set, else now (UTC).

    Reproducible builds and tests set SOURCE_DATE_EPOCH so that "published",
    "upcoming" and "embargoed" do not depend on the clock.
    """
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
    return datetime.datetime.now(tz=datetime.UTC)


class Build(BuildState):
    """The clock, background work and failure explanation of one build."""

    def __init__(self, now=None, one_run=False, later=None, next_staging=None):
        self.now = now or build_time()
        # Made by the plugin for a run of Pelican's own (``pelican -r`` runs
        # again with the same settings): forgotten when the run ends.
        self.one_run = one_run
        self.later = later  # [(function, args)] left to the caller, or None
        self.next_staging = next_staging  # a NextStaging, or None
        self.work = []
        self.explaining = []
        self.writing = []
        self.finishing = []  # [(function, args)] for complete()
        self.checks = None  # the content checks' work, which the checks plugin starts
        # Values the same for the whole build, found once (the code's digest).
        self.memo = {}

    def __getstate__(self):
        # Pickled with the items that hold the settings (the content cache):
        # the clock goes along, the threads do not.
        return {"now": self.now}

    def __setstate__(self, state):
        self.__init__(state["now"])

    def start(self, function, *args, explains=False, **kwargs):
        """Run ``function(*args, **kwargs)`` in the background; returns its :class:`Background`."""
        return self.adopt(Background(function, *args, **kwargs), explains)

    def adopt(self, work, explains=False):
        """Count ``work`` (a :class:`Background` already started) as this build's."""
        self.work.append(work)
        if explains:
            self.explaining.append(work)
        return work

    def after(self, function, *args):
        """Housekeeping that may wait until the build is over: at once, unless the
        caller collects it (``later``) to do when it has a moment."""
        if self.later is None:
            function(*args)
        else:
            self.later.append((function, args))

    def writes_output(self, work):
        """Count ``work`` (a :class:`Background`) as writing part of the output:
        ``complete()`` waits for it."""
        self.writing.append(self.adopt(work))
        return work

    def once_written(self, function, *args):
        """Call ``function(*args)`` when the output is written (in ``complete``)."""
        self.finishing.append((function, args))

    def complete(self):
        """Wait until the output is all written, then do the work that waited for it;
        raises what the writing work, or the work that waited, raised."""
        while self.writing:
            self.writing.pop(0).result()
        while self.finishing:
            function, args = self.finishing.pop(0)
            function(*args)

    def wait(self):
        """Wait for all background work; the error of work that explains failures, if any."""
        for work in self.work:
            work.join()
        return next((work.error for work in self.explaining if work.error is not None), None)


    def run(self, settings_path, output, overrides=None):
        """Build with the settings file into a fresh folder beside ``output``, swap it in.

        Returns the output folder; raises :class:`BuildFailed` (with the
        content checks' report when they explain the failure) and leaves
        ``output`` as it was when anything goes wrong.
        """
        from pelican import Pelican  # noqa: PLC0415 - Pelican loads this plugin first
        from pelican.settings import read_settings  # noqa: PLC0415 - likewise

        output = Path(output).resolve()
        output.parent.mkdir(parents=True, exist_ok=True)
        prepared = self.next_staging.take(output) if self.next_staging else None
        staging = Path(prepared.folder if prepared else new_staging_folder(output))
        try:
            with errors_are_fatal():
                settings = read_settings(
                    str(settings_path),
                    # The previous output: unchanged pages are reused from it.
                    override={"OUTPUT_PATH": str(staging),
                              "BILINGUAL_PREVIOUS_OUTPUT": str(output),
                              SETTING: self, **(overrides or {})},
                )
                Pelican(settings).run()
            if prepared:
                remove_unused_folders(staging, prepared.folders)
        except BaseException as error:
            # Let work left running (the search index) stop writing into the
            # staging folder before it is deleted; the content checks' report,
            # when they found what broke the build, explains it best.
            explanation = self.wait()
            shutil.rmtree(staging, ignore_errors=True)
            if not isinstance(error, Exception):
                raise  # Ctrl+C: stop, with output/ untouched
            raise BuildFailed(describe_error(explanation or error)) from (explanation or error)
        finally:
            forget_memoized_content()
        self.after(remove_in_background, swap_in(staging, output))
        if self.next_staging:
            self.after(self.next_staging.prepare, output)
        return output


def new_staging_folder(output):
    """A new, empty folder beside ``output`` for a build to write into."""
    return tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent)


def remove_unused_folders(staging, folders):
    """Remove those of ``folders`` (relative to ``staging``, made before the build)
    that the build left empty: a build from scratch has no empty folder."""
    for relative in sorted(folders, key=lambda folder: folder.count(os.sep), reverse=True):
        with contextlib.suppress(OSError):  # (not empty: the build wrote into it)
            os.rmdir(os.path.join(staging, relative))


class PreparedStaging:
    """A staging folder being made ahead of a build: ``folders`` (relative) made in it."""

    def __init__(self, folder):
        self.folder = folder
        self.folders = []
        self.done = False
        self.abandoned = False


class NextStaging:
    """Staging folders made ahead of the next build, for a process that builds
    again and again (the preview).

    A build writes into a new folder, and every page has a folder of its own
    (``news/<slug>/index.html``). On a disk where making a folder takes
    ~0.6 ms, making the ~3,000 of 1,000 article pairs again was a third of
    a preview edit. ``prepare(output)`` (after a build, while staff read)
    makes a new staging folder with every folder of ``output``, in a thread;
    ``take(output)`` gives it to the next build when it is complete, which
    removes the folders no page used before the output is swapped in. One
    still being made is not waited for: the build makes its own folder, and
    the thread deletes what it made. Only folders are made ahead, never a
    file: the previous output's files stay its own.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.pending = {}  # output -> PreparedStaging
        self.threads = []  # those making folders (or deleting them) since the last wait()
        atexit.register(self.discard)

    def prepare(self, output):
        output = Path(output)
        prepared = PreparedStaging(new_staging_folder(output))
        with self.lock:
            previous = self.pending.pop(output, None)
            self.pending[output] = prepared
        if previous is not None:
            self.abandon(previous)
        thread = threading.Thread(target=self.make, args=(output, prepared), daemon=True)
        with self.lock:
            self.threads.append(thread)
        thread.start()

    def wait(self):
        """Wait until the folders being made are made (or deleted, those no build took)."""
        with self.lock:
            threads, self.threads = self.threads, []
        for thread in threads:
            thread.join()

    def make(self, output, prepared):
        try:
            for parent, names, _files in os.walk(output):
                for name in names:
                    relative = os.path.relpath(os.path.join(parent, name), output)
                    os.makedirs(os.path.join(prepared.folder, relative), exist_ok=True)
                    prepared.folders.append(relative)
        except OSError:
            prepared.abandoned = True
        with self.lock:
            prepared.done = True
            delete = prepared.abandoned
        if delete:
            shutil.rmtree(prepared.folder, ignore_errors=True)

    def take(self, output):
        """The complete :class:`PreparedStaging` for ``output``, or None."""
        with self.lock:
            prepared = self.pending.pop(Path(output), None)
            if prepared is None or prepared.done and not prepared.abandoned:
                return prepared
        self.abandon(prepared)
        return None

    def abandon(self, prepared):
        with self.lock:
            prepared.abandoned = True
            delete = prepared.done
        if delete:
            shutil.rmtree(prepared.folder, ignore_errors=True)

    def discard(self):
        """Delete the folders no build took (the process is ending)."""
        with self.lock:
            left, self.pending = list(self.pending.values()), {}
        for prepared in left:
            self.abandon(prepared)


@contextlib.contextmanager
def errors_are_fatal():
    """Any error Pelican logs (a broken link, a template error) stops the build."""
    from pelican.log import FatalLogger  # noqa: PLC0415 - Pelican loads this plugin first

    before = FatalLogger.fatal_lvl
    FatalLogger.fatal_lvl = logging.ERROR
    try:
        yield
    finally:
        FatalLogger.fatal_lvl = before


def forget_memoized_content():
    """Empty Pelican's memo of every item's rendered text.

    It is a dict shared by all items of the class, so it keeps every item of
    every build alive: a preview (``invoke serve``, which builds in one
    process) grew by the whole site on every save.
    """
    from pelican.contents import Content  # noqa: PLC0415 - Pelican loads this plugin first

    for name in ("get_content", "get_summary"):
        memo = getattr(Content.__dict__.get(name), "cache", None)
        if isinstance(memo, dict):
            memo.clear()


def swap_in(staging, output):
    """Replace ``output`` by ``staging`` with two renames on the same disk.

    Returns the previous outputs to delete (``remove_in_background``): the new
    one is in place already, and deleting thousands of folders takes a while.
    """
    staging.chmod(0o755)
    if output.exists():
        previous = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
        previous.rmdir()
        output.rename(previous)
    staging.rename(output)
    # (with any previous output whose deletion was cut short)
    return sorted(output.parent.glob(glob.escape(f".{output.name}.old-") + "*"))


def remove_in_background(paths):
    """Delete ``paths`` in a detached process, so that the caller does not wait."""
    if not paths:
        return
    if not hasattr(os, "fork"):
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)
        return
    sys.stdout.flush()
    sys.stderr.flush()
    child = os.fork()
    if child == 0:
        # The child forks the deleting process and leaves at once, so that
        # nobody has to wait for the deletion (or reap it).
        try:
            if os.fork() == 0:
                detach()
                for path in paths:
                    shutil.rmtree(path, ignore_errors=True)
        finally:
            os._exit(0)
    os.waitpid(child, 0)


def detach():
    """Let go of the caller's session, terminal and pipes.

    A command whose output is piped (``invoke build | tee build.log``, a CI
    step, ``subprocess.run(..., capture_output=True)``) waits until every
    process holding the pipe has closed it: it would wait for the deletion.
    """
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDWR)
    for descriptor in (0, 1, 2):
        os.dup2(devnull, descriptor)


def current_build(settings):
    """The :class:`Build` of the run these settings belong to (made on first use)."""
    build = settings.get(SETTING)
    if build is None:
        build = settings[SETTING] = Build(one_run=True)
    return build


def end_of_run(settings):
    """Forget a build object the plugin made, so that the next run reads the clock again."""
    build = settings.get(SETTING)
    if build is not None and build.one_run:
        del settings[SETTING]
