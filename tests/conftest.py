"""Shared fixtures: the real site built once, and tiny sites built per test."""

import pytest
from support import BUILD_EPOCH, Site, build, write_content


@pytest.fixture(scope="session", autouse=True)
def fixed_build_time():
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    yield
    mp.undo()


@pytest.fixture(scope="session")
def site(tmp_path_factory, fixed_build_time):
    """The real content, built once for the whole session."""
    return Site(build(tmp_path_factory.mktemp("site") / "output"))


@pytest.fixture
def tiny_site(tmp_path):
    """Build a site from a few content files: tiny_site({path: text}) -> Site."""

    def make(files, **overrides):
        content = write_content(tmp_path / "content", files)
        return Site(build(tmp_path / "output", content, **overrides))

    return make
