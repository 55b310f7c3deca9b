"""A small synchronous client of Pagefind's service mode (``pagefind --service``).

Pagefind's own Python API is asynchronous and polls for each answer with a
0.1 s sleep: four requests per index shard cost 0.4 s of waiting. The
protocol is simple: each request is base64-encoded JSON followed by a comma
on the service's stdin, each answer the same on its stdout.
"""

import base64
import json
import subprocess
import tempfile

from bilingual.files import write_bytes


class PagefindError(RuntimeError):
    pass


# Pagefind's ready-made search interfaces, written into every bundle: the
# search page uses its own script (theme/static/js/search.js) with Pagefind's
# API, so these ~470 KB a shard would only be deployed and compressed.
UNUSED_FILES = frozenset((
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js",
    "pagefind-component-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-highlight.js",
))


def write_bundle(output_path, files):
    """Write the bundle's files (from a ``GetFiles`` answer) but the unused interfaces."""
    for found in sorted(files, key=lambda found: found["path"]):
        if found["path"] not in UNUSED_FILES:
            write_bytes(output_path, found["path"], base64.b64decode(found["content"]))


class PagefindService:
    """One Pagefind process; indexes made one after the other share its dictionaries."""

    def __init__(self):
        # (Imported when a build indexes: a build without the index needs no Pagefind.)
        # The plain binary, even where the "extended" one is still installed:
        # the pages come cut into words (segment.py), and the extended binary
        # would cut Japanese again with its own dictionary.
        try:
            from pagefind_bin import get_executable  # noqa: PLC0415
        except ImportError:
            get_executable = lambda: None  # noqa: E731

        executable = get_executable()
        if executable is None:
            raise PagefindError("Pagefind is not installed: pip install -r requirements.txt")
        self.errors = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [str(executable), "--service"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors,
        )
        self.message_id = 0
        self.pending = bytearray()
        self.scanned = 0  # (bytes of ``pending`` known to hold no separator)

    def send(self, payload):
        """Send one request and return its answer's payload (PagefindError on an error)."""
        self.post(payload)
        self.flush()
        return self.answer(self.message_id, payload["type"])

    def post(self, payload):
        """Send one request without waiting for its answer; returns its message id."""
        self.message_id += 1
        message = {"message_id": self.message_id, "payload": payload}
        # UTF-8, not \uXXXX escapes: a Japanese page is half the bytes to encode and decode.
        encoded = base64.b64encode(json.dumps(message, ensure_ascii=False).encode()) + b","
        try:
            self.process.stdin.write(encoded)
        except BrokenPipeError as error:
            raise PagefindError(f"Pagefind stopped: {self.stderr()}") from error
        return self.message_id

    def flush(self):
        try:
            self.process.stdin.flush()
        except BrokenPipeError as error:
            raise PagefindError(f"Pagefind stopped: {self.stderr()}") from error

    def answer(self, message_id, request_type):
        """The payload of the answer to request ``message_id``, a ``request_type``
        (answers to earlier requests are skipped)."""
        while True:
            answer = self.read_answer()
            if answer.get("message_id") in (message_id, None):
                break
        result = answer.get("payload") or {}
        if result.get("type") == "Error" or answer.get("message_id") is None:
            raise PagefindError(f"{request_type}: {result.get('message', result)}")
        return result

    def read_answer(self):
        # A bundle's files come as one answer of several MB: look for the
        # separator only in what was not searched yet.
        while (end := self.pending.find(b",", self.scanned)) < 0:
            self.scanned = len(self.pending)
            chunk = self.process.stdout.read1(1 << 20)
            if not chunk:
                raise PagefindError(f"Pagefind stopped: {self.stderr()}")
            self.pending += chunk
        message = bytes(self.pending[:end])
        del self.pending[:end + 1]
        self.scanned = 0
        return json.loads(base64.b64decode(message)) or {}

    def index_folder(self, folder, output_path, glob=None):
        """Index the HTML files in ``folder`` (all, or those ``glob`` matches) into a
        bundle at ``output_path``; returns the page count.

        The bundle's files are asked for (``GetFiles``) and written here:
        Pagefind's own ``WriteFiles`` answers before it has written them all,
        and a busy machine caught files still empty when Pagefind exited.
        """
        index_id = self.send({"type": "NewIndex", "config": None})["index_id"]
        try:
            added = self.send({"type": "AddDir", "index_id": index_id, "path": folder,
                               "glob": glob})
            files = self.send({"type": "GetFiles", "index_id": index_id})["files"]
        finally:
            self.send({"type": "DeleteIndex", "index_id": index_id})
        write_bundle(output_path, files)
        return added.get("page_count")

    def index_pages(self, pages, output_path):
        """Index ``pages``, (URL, HTML text) pairs, into a bundle at ``output_path``;
        returns the page count.

        The HTML is given, not read by Pagefind: it may differ from the page
        on disk (its Japanese cut into words). The pages are sent without
        waiting for each answer, so that Pagefind indexes one while the next
        is prepared; their answers are read once all are sent (Pagefind
        queues them). Files are written as in ``index_folder``.
        """
        index_id = self.send({"type": "NewIndex", "config": None})["index_id"]
        try:
            sent = [self.post({"type": "AddFile", "index_id": index_id, "url": url,
                               "file_contents": text})
                    for url, text in pages]
            self.flush()
            for message_id in sent:
                self.answer(message_id, "AddFile")
            count = len(sent)
            files = self.send({"type": "GetFiles", "index_id": index_id})["files"]
        finally:
            self.send({"type": "DeleteIndex", "index_id": index_id})
        write_bundle(output_path, files)
        return count

    def empty_bundle(self):
        """{path: bytes} of the bundle of an index without pages: Pagefind's own scripts."""
        index_id = self.send({"type": "NewIndex", "config": None})["index_id"]
        try:
            files = self.send({"type": "GetFiles", "index_id": index_id})["files"]
        finally:
            self.send({"type": "DeleteIndex", "index_id": index_id})
        return {found["path"]: base64.b64decode(found["content"]) for found in files}

    def stderr(self):
        self.errors.seek(0)
        return self.errors.read().decode("utf-8", "replace")

    def close(self):
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.errors.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
