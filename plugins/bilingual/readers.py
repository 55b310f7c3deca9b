"""Markdown reading: an empty metadata field means "not set"; conversion on every core.

Scaffolded files list every field of their type, most of them empty; staff
fill in what applies. Pelican would otherwise try to parse an empty
``Modified:`` as a date and fail.

Converting Markdown is most of a cold build. ``prefetch`` starts converting
all files in parallel processes (one Markdown instance per process, reset
between files); the reader takes each file's prefetched HTML and metadata
instead of converting it again, waiting for it if it is not converted yet.
The files are converted in the order they are read, so this process reads
(makes the items) while the others convert the files after. The result is
the same as converting in the reader: a test builds both ways and compares
every byte.
"""

import functools
import multiprocessing
import os
import re
import signal
import time

from markdown import Markdown
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader
from pelican.utils import SafeDatetime, pelican_open

from .rules import split_list

# Metadata Pelican itself splits into lists at commas.
PELICAN_LISTS = ("tags", "authors")

# Dates as staff write them (2026-12-06, 2026-12-06 10:00): read directly.
# Pelican's parser (dateutil) took a quarter of reading 8,000 files, for the
# same result; any other form (a time zone, "_" for the space) goes to it.
PLAIN_DATE_FIELDS = ("date", "modified")
PLAIN_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?")

# Our Markdown extension that leaves out, for each document, the inline
# patterns it cannot match (the same HTML, a third less time converting).
INLINE_PATTERNS = "bilingual.inline_patterns"

# Converted files waiting for the reader: {absolute path: (html, raw metadata)}.
# Filled from the conversion under way as the reader asks for its files,
# emptied by the reader and by ``forget_prefetched`` when the build ends
# (autoreload runs many builds).
_PREFETCHED = {}
# The conversion under way: "pool", "results" (an iterator of converted
# parts, in order) and "paths" (the set of files it converts).
_PENDING = {}
# Files a converting process takes at a time: small enough that the first
# files are read soon after the start.
PREFETCH_PART = 25
# The Markdown settings in the worker processes (inherited through fork).
_WORKER = {}


def share_file_stamps(*cachers):
    """Make Pelican's content caches (``FileStampDataCacher``) take each file's stamp
    once a build, between them.

    Pelican takes a file's stamp four or five times a build (each cache layer,
    before and after reading it); with the preview's stamps, the file's md5,
    each time reads and hashes the file again. A file saved during the build
    keeps its first stamp, which is older than its content, so the next build
    reads it again. A stamp of the file's content is also kept for the
    process's next builds (``content_stamp``).
    """
    stamps = {}
    for cacher in cachers:
        take = cacher._filestamp_func
        if take is None:
            continue
        method = cacher.settings.get("CHECK_MODIFIED_METHOD", "mtime")
        if method != "mtime" and os.name == "posix":
            take = functools.partial(content_stamp, take=take, method=method)

        def once(filename, take=take):
            found = stamps.get(filename)
            if found is None:
                found = stamps[filename] = take(filename)
            return found

        cacher._filestamp_func = once


# Content stamps (the preview's md5 of each file) this process took, by file
# and method: (what stat said of the file, the stamp, whether stat can vouch
# for it).
_CONTENT_STAMPS = {}
# How long a file must have been left alone before its stamp was taken for
# stat to vouch for the stamp later (see ``content_stamp``).
SETTLED_SECONDS = 2


def content_stamp(filename, take, method):
    """``take(filename)`` (a hash of the file's content), or the one this process took
    before when the file has not been written since.

    Every preview build hashed all 2,086 files of a 1,000-pair site again to
    find the one staff saved. On a POSIX system any write moves a file's
    change time (``st_ctime``, which programs cannot set back, unlike the
    modification time), but only to the clock's tick: a file written again
    within the tick of its stamp would look unchanged. So stat vouches for a
    stamp only when the file had last changed (both times) well before the
    stamp was taken, as git does for its index. (A disk without change
    times, such as a FAT memory stick, reports another time for it: there a
    file saved again to the same size with its modification time set back
    would be missed, as with Pelican's own ``mtime`` comparison.)
    """
    try:
        status = os.stat(filename)
    except OSError:
        return take(filename)  # (Pelican reports a file it cannot read)
    seen = (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns,
            status.st_ctime_ns)
    key = (filename, method)
    found = _CONTENT_STAMPS.get(key)
    if found is not None and found[0] == seen and found[2]:
        return found[1]
    stamp = take(filename)
    changed = max(status.st_mtime_ns, status.st_ctime_ns)
    settled = changed < time.time_ns() - SETTLED_SECONDS * 1_000_000_000
    _CONTENT_STAMPS[key] = (seen, stamp, settled)
    return stamp


def filled(meta):
    return {name: values for name, values in meta.items() if any(v.strip() for v in values)}


class SiteMarkdownReader(MarkdownReader):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Pelican has added its own extensions to this same dict, which the
        # prefetching processes are given too.
        extensions = self.settings["MARKDOWN"]["extensions"]
        if INLINE_PATTERNS not in extensions:
            extensions.append(INLINE_PATTERNS)

    def read(self, source_path):
        found = take_prefetched(source_path)
        if found is None:
            return super().read(source_path)
        self._source_path = source_path
        content, meta = found
        return content, self.process_meta(meta)

    def process_meta(self, meta):
        """Pelican's metadata processing (no formatted fields: see ``prefetch``)."""
        output = {}
        for written, values in filled(meta).items():
            name = written.lower()
            if not DUPLICATES_DEFINITIONS_ALLOWED.get(name, True) or len(values) == 1:
                output[name] = self.process_metadata(name, values[0])
            else:
                output[name] = self.process_metadata(name, values)
        return output

    def _parse_metadata(self, meta):
        return super()._parse_metadata(filled(meta))

    def process_metadata(self, name, value):
        # Pelican splits these lists at "," itself: a "、" typed on a Japanese
        # keyboard is read as the comma it stands for.
        if name in PELICAN_LISTS and isinstance(value, str):
            value = ",".join(split_list(value, ","))
        if name in PLAIN_DATE_FIELDS and isinstance(value, str):
            date = plain_date(value)
            if date is not None:
                return date
        return super().process_metadata(name, value)


def plain_date(text):
    """``text`` as Pelican reads a date (a naive SafeDatetime) when it is a plain
    ISO date or date and time; None for anything else, or a day that does not exist."""
    text = text.strip()
    if not PLAIN_DATE.fullmatch(text):
        return None
    try:
        return SafeDatetime.fromisoformat(text)
    except ValueError:
        return None


def use_site_reader(readers):
    """``readers_init``: read Markdown with :class:`SiteMarkdownReader`."""
    # Sent before the reader instances are made from reader_classes.
    for extension in SiteMarkdownReader.file_extensions:
        if extension in readers.reader_classes:
            readers.reader_classes[extension] = SiteMarkdownReader


def _convert_part(paths):
    markdown = _WORKER.get("markdown")
    if markdown is None:
        markdown = _WORKER["markdown"] = Markdown(**_WORKER["settings"])
    results = []
    for path in paths:
        markdown.reset()
        try:
            with pelican_open(path) as text:
                content = markdown.convert(text)
        except Exception:  # noqa: BLE001 - the reader converts it again, and says why
            results.append((path, None, None))
            continue
        results.append((path, content, dict(getattr(markdown, "Meta", {}))))
    return results


def prefetch(paths, settings, processes):
    """Start converting ``paths`` (absolute, in the order they will be read) in
    ``processes`` parallel processes; returns at once (see ``take_prefetched``).

    Skipped when it cannot help or could differ: one process, few files, or
    formatted metadata fields (which need the reader's own Markdown
    instance). With a content cache, pass only the files it does not hold.
    """
    forget_prefetched()
    if processes <= 1 or len(paths) < 100 or settings.get("FORMATTED_FIELDS"):
        return
    _WORKER["settings"] = settings["MARKDOWN"]
    _WORKER.pop("markdown", None)
    pool = multiprocessing.get_context("fork").Pool(processes, initializer=_leave_interrupts)
    parts = [paths[start:start + PREFETCH_PART] for start in range(0, len(paths), PREFETCH_PART)]
    _PENDING.update(pool=pool, results=pool.imap(_convert_part, parts), paths=set(paths))


def _leave_interrupts():
    # Ctrl+C reaches the whole process group: a converting process that died of
    # it while taking its next files would leave the pool's queue locked, and
    # stopping the pool would wait for ever. The build's own process stops them.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def take_prefetched(path):
    """The converted ``(html, raw metadata)`` of ``path``, waiting for it if it is
    being converted; None when it is not (the reader converts it)."""
    if path not in _PREFETCHED and path in _PENDING.get("paths", ()):
        for results in _PENDING["results"]:
            _keep(results)
            if path in _PREFETCHED:
                break
    return _PREFETCHED.pop(path, None)


def finish_prefetch():
    """Wait for the files still being converted, then stop the converting processes
    (before the build forks others: they are not to inherit them)."""
    pool = _PENDING.get("pool")
    if pool is None:
        return
    for results in _PENDING["results"]:
        _keep(results)
    _PENDING.clear()
    pool.close()
    pool.join()


def _keep(results):
    for path, content, meta in results:
        _PREFETCHED[path] = None if content is None else (content, meta)


def forget_prefetched(*_args):
    """``finalized``: drop what the build did not use (never carried to the next
    build), and stop a conversion still under way (a build that failed reading)."""
    pool = _PENDING.get("pool")
    _PENDING.clear()
    if pool is not None:
        pool.terminate()
        pool.join()
    _PREFETCHED.clear()
