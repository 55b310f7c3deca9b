"""One run of the build as an object: its clock, its background work, why it failed.

A :class:`Build` lives in the settings of the run (``BILINGUAL_BUILD``):
``tasks.build_site`` makes one and passes it in; a plain ``pelican`` run gets
one when the bilingual plugin starts. Everything that used to be
process-wide state hangs off it:

- ``now``: the moment of the build, read once (``SOURCE_DATE_EPOCH`` when
  set), so that the content checks and the generators judge embargoes and
  "upcoming" against the same time;
- ``start(function, ...)``: work in the background (the checks' child
  process, the search index) that the build waits for before it cleans up;
  ``explains=True`` marks work whose error explains a failed build better
  than the error that stopped it (the checks name file, line and field);
- ``wait()``: after a failure, let that work stop and return the explaining
  error, if any.

The object is build state, not configuration: page fingerprints leave it out
(:class:`BuildState`), and it pickles and deep-copies as itself without its
threads.
"""

import datetime
import os

from .parallel import Background

SETTING = "BILINGUAL_BUILD"


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

    def __init__(self, now=None):
        self.now = now or build_time()
        self.work = []
        self.explaining = []
        self.checks = None  # the content checks' work, which the checks plugin starts

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

    def wait(self):
        """Wait for all background work; the error of work that explains failures, if any."""
        for work in self.work:
            work.join()
        return next((work.error for work in self.explaining if work.error is not None), None)


def current_build(settings):
    """The :class:`Build` of the run these settings belong to (made on first use)."""
    build = settings.get(SETTING)
    if build is None:
        build = settings[SETTING] = Build()
    return build
