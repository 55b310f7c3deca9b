"""Helpers shared by the tests: building sites and reading what they emit."""

import contextlib
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

import tasks
from deploy.local_nginx import free_port

ROOT = Path(__file__).resolve().parent.parent
SITEURL = "https://wellness.example.test"
# 2026-11-25 00:00 UTC: a fixed "now" so that embargoes and lists do not
# depend on the day the tests run.
BUILD_EPOCH = "1795564800"


def build(output, content=None, **overrides):
    """Build with pelicanconf.py (real theme and plugins) into ``output``.

    Tiny test sites skip the search index (Pagefind takes most of a second);
    the real site, the browser tests and the leak and reproducibility tests
    build it.
    """
    settings = {"SITEURL": SITEURL, **overrides}
    if content is not None:
        settings.setdefault("SEARCH_INDEX", False)
    if content is not None:
        settings["PATH"] = str(content)
    return tasks.build_site("pelicanconf.py", output, settings)


def photo_bytes(fmt="JPEG", size=(64, 48)):
    """A small real photo file (the checks read every photo a page shows)."""
    from PIL import Image  # noqa: PLC0415 - only the tests that write photos need it

    output = io.BytesIO()
    Image.new("RGB", size, (120, 160, 200)).save(output, fmt)
    return output.getvalue()


def write_content(root, files):
    """Write {relative path: text} into ``root`` (dedented), return ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root

class Site:
    """A built site: its files, parsed pages and URL resolution."""

    def __init__(self, output):
        self.output = Path(output)

    def html_files(self):
        return sorted(self.output.rglob("*.html"))

    def page(self, relative):
        path = self.output / relative
        if path.is_dir() or relative.endswith("/") or relative == "":
            path = path / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def file_for(self, href, base=SITEURL):
        """The output file an internal href points to, or None if external."""
        parts = urlsplit(href)
        if parts.scheme in ("mailto", "tel") or href.startswith("#"):
            return None
        if parts.scheme or parts.netloc:
            if not href.startswith(base + "/"):
                return None
            path = href[len(base) :]
        else:
            path = parts.path
        path = urlsplit(path).path
        if not path.startswith("/"):
            raise AssertionError(f"relative link {href!r}: links must be absolute")
        target = self.output / path.lstrip("/")
        if path.endswith("/"):
            target = target / "index.html"
        return target

    def relative(self, path):
        return str(Path(path).relative_to(self.output))


# One page of each type, by its path in Japanese; English is under /en/.
PAGE_TYPES = {
    "home": "",
    "news list": "news/",
    "news page 2": "news/page/2/",
    "archives": "news/archives/",
    "category": "news/category/column/",
    "tags": "news/tag/",
    "tag": "news/tag/wellness/",
    "article": "news/column-105-business-promotion-projects/",
    "projects": "projects/",
    "project": "projects/mysos/",
    "reports": "reports/",
    "report": "reports/tokyo-wellness-networking-2022-report/",
    "events": "events/",
    "month": "events/2026/12/",
    "event": "events/wellness-data-seminar-2026/",
    "cancelled event": "events/childcare-dx-meetup-2026/",
    "page": "about/",
    "accessibility": "accessibility/",
    "subscribe": "subscribe/",
    "search": "search/",
    "404": "404.html",
}


def all_page_paths():
    return [prefix + path for path in PAGE_TYPES.values() for prefix in ("", "en/")]


# The project's files a preview copy needs (the tests' saves never touch the real ones).
COPIED = ("content", "theme", "plugins", "deploy", "pelicanconf.py", "publishconf.py", "tasks.py")


def copy_project(target):
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy2(source, target / name)
    (target / "node_modules").symlink_to(ROOT / "node_modules")
    return target


class Preview:
    """`invoke serve` running in ``root``: its address, output and build status."""

    def __init__(self, root, port, process, output):
        self.root, self.port, self.process = root, port, process
        self.base = f"http://127.0.0.1:{port}"
        self.output = root / output
        self.printed = ""

    def status(self):
        with urllib.request.urlopen(f"{self.base}/admin/api/build", timeout=30) as answer:
            return json.load(answer)

    def wait_for_build(self, after, timeout=90, state=None):
        """The status once a build newer than ``after`` (a count of builds) has finished, and,
        given a ``state``, ended in it (the watcher may build twice for one save)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                status = self.status()
            except (urllib.error.URLError, TimeoutError):
                status = {"builds": after, "state": "building"}
            if status["builds"] > after and status["state"] != "building" \
                    and state in (None, status["state"]):
                return status
            time.sleep(0.3)
        raise AssertionError(f"no build finished {state or ''} within {timeout} s after a save")

    def read(self, relative):
        return (self.root / relative).read_bytes()

    def get(self, path):
        """(status, text) of a preview address."""
        try:
            with urllib.request.urlopen(f"{self.base}/{path}", timeout=30) as answer:
                return answer.status, answer.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")


@contextlib.contextmanager
def running_preview(root, *options):
    """`invoke serve [options]` in the project copy ``root``, stopped with Ctrl+C at the end
    (which must stop it, and close its port)."""
    port = free_port()
    environment = {key: value for key, value in os.environ.items()
                   if key != "SOURCE_DATE_EPOCH"}  # staff's clock, not the tests' fixed one
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("invoke")), "serve", *options, "--port", str(port)],
        cwd=root, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,  # its own process group, as in the staff's terminal
    )
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("(Ctrl+C"):
            break
    drafts = {"--edit", "--drafts"} & set(options)
    running = Preview(root, port, process, "output-drafts" if drafts else "output")
    running.printed = "".join(lines)
    try:
        deadline = time.monotonic() + 30
        while not _answers(running) or running.status()["state"] == "building":
            if time.monotonic() > deadline:
                raise AssertionError(f"the preview did not start:\n{running.printed}")
            time.sleep(0.2)
        yield running
    finally:
        # Ctrl+C, as staff stop it: the terminal signals the whole process group (the
        # preview and a build's child processes, which share its listening socket).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=20)
        finally:
            if process.poll() is None:
                process.kill()
    # A build's child process still finishing its part holds the socket a moment longer.
    deadline = time.monotonic() + 10
    while listening(port) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not listening(port), "the server still listens 10 s after Ctrl+C"


def listening(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _answers(running):
    try:
        running.status()
        return True
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False
