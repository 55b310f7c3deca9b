"""Shared fixtures: the real site built once, and tiny sites built per test."""

import textwrap
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

import tasks

ROOT = Path(__file__).resolve().parent.parent

SITEURL = "https://wellness.example.test"
# 2026-11-25 00:00 UTC: a fixed "now" so that embargoes and lists do not
# depend on the day the tests run.
BUILD_EPOCH = "1795564800"


@pytest.fixture(scope="session", autouse=True)
def fixed_build_time():
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    yield
    mp.undo()


def build(output, content=None, **overrides):
    """Build with pelicanconf.py (real theme and plugins) into ``output``."""
    settings = {"SITEURL": SITEURL, **overrides}
    if content is not None:
        settings["PATH"] = str(content)
    return tasks.build_site("pelicanconf.py", output, settings)


@pytest.fixture(scope="session")
def site(tmp_path_factory, fixed_build_time):
    """The real content, built once for the whole session."""
    return Site(build(tmp_path_factory.mktemp("site") / "output"))


def write_content(root, files):
    """Write {relative path: text} into ``root`` (dedented), return ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


@pytest.fixture
def tiny_site(tmp_path):
    """Build a site from a few content files: tiny_site({path: text}) -> Site."""

    def make(files, **overrides):
        content = write_content(tmp_path / "content", files)
        return Site(build(tmp_path / "output", content, **overrides))

    return make


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
