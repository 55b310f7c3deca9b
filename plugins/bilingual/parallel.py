"""Doing independent work on every core, with results identical to doing it in one.

Builds render thousands of pages and convert thousands of Markdown files,
each independent of the others. ``in_parts`` forks one child per extra core
(the children share the parent's memory copy-on-write, so nothing is
pickled on the way in) and waits for them; a failure in any part fails the
whole call. Where ``fork`` is not available, or with one process, the work
runs in this process. ``start_parts`` forks the same children and returns at
once, for work this process need not wait for yet.

The items are not split in advance: each process takes small pieces of them
in turn from a pipe, as it finishes the last, so that a process given
heavier pages (or less of a core, on a busy machine) does not keep the
others waiting at the end.

``in_child`` runs one function in a child process while this one goes on,
and ``Background`` one in a thread (for work that waits on other processes).
"""

import gc
import os
import pickle
import sys
import threading
import traceback

from .files import describe_error


def usable_cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def process_count(setting):
    """Processes to use: the setting when given, else one per usable core."""
    return max(1, int(setting)) if setting else usable_cores()


# How many pieces the items are cut into for each process that takes them:
# the most one process can finish after the others is one piece's work.
PIECES_PER_PROCESS = 64
PIECE_START_BYTES = 4
# At most this many pieces in all: their starts are written into the pipe
# before any process reads it, and must fit in the smallest pipe Linux makes
# (one 4 KiB page, for a user over the system's pipe allowance).
MOST_PIECES = 512


def deal(items, processes):
    """A pipe holding the starts of ``items``' pieces, for ``processes`` to take in
    turn (``taken``); returns (its read end, the piece size).

    The pipe is written whole before any process reads it (at most
    ``MOST_PIECES`` starts: 2 KiB), and its write end closed: a process finds
    it empty when every piece is taken. (A process forked meanwhile by
    another thread of this one would hold the write end open until it ends;
    the build forks from one thread at a time.)
    """
    pieces = min(processes * PIECES_PER_PROCESS, MOST_PIECES)
    size = max(1, -(-len(items) // pieces))
    read_end, write_end = os.pipe()
    with os.fdopen(write_end, "wb") as writing:
        writing.write(b"".join(start.to_bytes(PIECE_START_BYTES, "little")
                               for start in range(0, len(items), size)))
    return read_end, size


def taken(items, pipe, size):
    """The items of each piece this process takes from ``pipe`` (``deal``), one piece
    at a time, until none is left."""
    while True:
        # (Linux gives each reader of a pipe whole records of this size, one a
        # read; anything else would deal an item twice or never: stop.)
        start = os.read(pipe, PIECE_START_BYTES)
        if not start:
            return
        if len(start) != PIECE_START_BYTES:
            raise RuntimeError("the pieces of work came apart in their pipe")
        start = int.from_bytes(start, "little")
        yield from items[start:start + size]


# How much lower (``nice``) the parts run that yield to other work.
YIELDING_NICENESS = 5


def in_parts(work, items, processes, minimum=50, yielding=False):
    """Share ``items`` out to parallel processes, each calling ``work(part)`` once.

    ``items`` is a list (its pieces are slices of it); ``part`` is an iterable
    of the items that process takes (see ``taken``), to be gone through once.
    ``work`` writes its results itself (files); nothing is returned. Below
    ``minimum`` items the fork is not worth it.

    ``yielding``: other work is under way that the caller waits for last (the
    search index: Pagefind's processes, and a thread of this one that talks
    to them). The parts then run in ``processes - 1`` children at a lower CPU
    priority, and this process only waits: the other work ends sooner, and
    the build holds no more memory than without it.
    """
    processes = min(processes, max(1, len(items) // max(1, minimum)))
    if processes <= 1 or not hasattr(os, "fork"):
        work(items)
        return
    # (Yielding: this process takes no piece; it only waits.)
    pipe, size = deal(items, processes - 1 if yielding else processes)
    error = None
    try:
        children = _fork_parts(work, items, pipe, size, processes - 1,
                               YIELDING_NICENESS if yielding else 0)
        try:
            if not yielding:
                work(taken(items, pipe, size))
        except BaseException as raised:  # wait for the children before raising
            error = raised
        _reap(children)
    finally:
        os.close(pipe)
        if error is not None:
            raise error


def start_parts(work, items, processes, minimum=50, yielding=False):
    """``in_parts`` in children only, while this process goes on; returns a
    :class:`Background` whose ``result()`` waits for them (and raises when a
    part failed).

    ``yielding``: other work is under way (see ``in_parts``); the parts then
    run in ``processes - 1`` children at a lower CPU priority. Where there is
    one process or no ``fork``, the work is done before this returns.
    """
    processes = min(processes, max(1, len(items) // max(1, minimum)))
    if processes <= 1 or not hasattr(os, "fork"):
        work(items)
        return Background(_reap, [])
    count, niceness = (processes - 1, YIELDING_NICENESS) if yielding else (processes, 0)
    pipe, size = deal(items, count)
    try:
        return Background(_reap, _fork_parts(work, items, pipe, size, count, niceness))
    finally:
        os.close(pipe)  # (the children have their own)


def _fork_parts(work, items, pipe, size, count, niceness):
    """Fork ``count`` children that each call ``work`` with the pieces of ``items``
    they take from ``pipe`` (``deal``); [(process id, the pipe its error comes
    through)]."""
    children = []
    # Keep the garbage collector off the objects the children inherit (until
    # they are reaped): a collection touches every object it tracks, which
    # makes the kernel copy every page of the parent's memory into each child.
    gc.freeze()
    for _child in range(count):
        sys.stdout.flush()
        sys.stderr.flush()
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: do its part, then leave without running any cleanup
            status = 0
            try:
                os.close(read_end)
                if niceness:
                    os.nice(niceness)
                work(taken(items, pipe, size))
            except BaseException as error:  # noqa: BLE001 - reported, and the parent fails
                traceback.print_exc()
                status = 1
                # (What stopped it, for the build's message; within what a
                # pipe takes at once, so that the child never waits to exit.)
                os.write(write_end, describe_error(error).encode("utf-8")[:ERROR_BYTES])
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(status)
        os.close(write_end)
        children.append((pid, read_end))
    return children


# The most of a child's error sent to the parent (less than a pipe's buffer).
ERROR_BYTES = 4000


def _reap(children):
    """Wait for ``children`` (from ``_fork_parts``); raise what stopped any of them."""
    errors = []
    for pid, pipe in children:
        failed = os.waitpid(pid, 0)[1] != 0
        with os.fdopen(pipe, "rb") as reading:
            said = reading.read().decode("utf-8", "replace")
        if failed:
            errors.append(said or f"a part of the pages stopped (process {pid}; see above)")
    if children:
        gc.unfreeze()
    if errors:
        raise RuntimeError("\n".join(dict.fromkeys(errors)))


class Background(threading.Thread):
    """``function(*args)`` in a thread of this process; ``result()`` waits and raises
    what it raised.

    For work that waits on other processes (Pagefind) while this one goes
    on. Start a build's work through its :class:`~build.Build` (``start``),
    which waits for it before it cleans up after a failure.
    """

    def __init__(self, function, *args, **kwargs):
        super().__init__(name=f"background {function.__name__}")
        self.function, self.args, self.kwargs = function, args, kwargs
        self.value, self.error = None, None
        self.start()

    def run(self):
        try:
            self.value = self.function(*self.args, **self.kwargs)
        except BaseException as error:  # noqa: BLE001 - raised again by result()
            self.error = error

    def result(self):
        """What ``function`` returned, once it has (or what it raised)."""
        self.join()
        if self.error is not None:
            raise self.error
        return self.value


def in_child(function, *args, niceness=0, **kwargs):
    """Start ``function(*args, **kwargs)`` in a child process at once; returns a
    ``Background`` whose ``result()`` is what it returned (sent back pickled).

    ``niceness``: how much lower the child's CPU priority is (``nice``), for
    work that should take only the time no other process of the build wants.

    The child shares this process's memory as it was at the fork, so nothing is
    pickled on the way in. An exception in the child is raised by ``result()``
    as a RuntimeError with the child's traceback. Where ``fork`` is not
    available, the function runs in the thread.
    """
    if not hasattr(os, "fork"):
        return Background(function, *args, **kwargs)
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: answer through the pipe, then leave without any cleanup
        status = 0
        try:
            os.close(read_end)
            if niceness:
                os.nice(niceness)
            try:
                answer = (True, function(*args, **kwargs))
            except BaseException:  # noqa: BLE001 - sent to the parent, which raises
                answer, status = (False, traceback.format_exc()), 1
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(pickle.dumps(answer))
        finally:
            os._exit(status)
    os.close(write_end)
    return Background(_answer_of, pid, read_end)


def _answer_of(pid, read_end):
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    if not data:
        raise RuntimeError("the child process stopped without an answer (see above)")
    done, value = pickle.loads(data)
    if not done:
        raise RuntimeError(f"in a child process:\n{value}")
    return value
