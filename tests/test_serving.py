"""Published and served right: publish/rollback, fingerprinted and precompressed assets,
and the real site served by Debian's nginx with deploy/site.conf.

The nginx tests build the real content with publishconf.py for
http://127.0.0.1:<port>, deploy it with deploy/releases.py into a temporary target
and run nginx (a child process, temporary prefix) on <target>/current.
Without nginx they skip and say so; under CI (CI=true) that is a failure.
"""

import filecmp
import gzip
import hashlib
import http.client
import os
import re
import shutil
import ssl
import subprocess
import sys
from dataclasses import dataclass

import brotli
import pytest
from assets.assets import fingerprint
from bs4 import BeautifulSoup
from invoke import Context
from lxml import html as lxml_html
from pelican.settings import get_settings_from_file
from support import ROOT, SITEURL, Site, write_content

import tasks
from deploy import releases
from deploy.local_nginx import NginxServer, find_brotli_module, find_nginx, free_port

CSS_SOURCE = ROOT / "theme/static/css/site.css"
FINGERPRINTED_CSS = re.compile(r"/theme/css/site\.([0-9a-f]{8})\.css$")
TEXT_SUFFIXES = (".html", ".css", ".xml", ".ics", ".csv", ".json", ".js", ".txt", ".svg")
# What nginx must answer for each kind of file (the longest matching suffix wins).
MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".atom.xml": "application/atom+xml; charset=utf-8",
    ".rss.xml": "application/rss+xml; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".wasm": "application/wasm",
}
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
DENIED_FEATURES = ("camera", "microphone", "geolocation", "interest-cohort", "payment", "usb")
ONE_YEAR_IMMUTABLE = "public, max-age=31536000, immutable"


def media_type(name):
    suffixes = [s for s in MEDIA_TYPES if name.endswith(s)]
    return MEDIA_TYPES[max(suffixes, key=len)] if suffixes else None


# --- nginx and the published site, started once per session ---------------------------


def require_nginx():
    if find_nginx() is None:
        message = ("nginx is not installed (apt-get install nginx libnginx-mod-http-brotli-static):"
                   " the serving tests cannot run")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def require_brotli_module():
    if find_brotli_module() is None:
        message = ("nginx's brotli_static module is not installed "
                   "(apt-get install libnginx-mod-http-brotli-static)")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


_SHARED = {}


def published_build(tmp_path_factory):
    """The real content built with publishconf.py for http://127.0.0.1:<port> (once)."""
    if "build" not in _SHARED:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        root = tmp_path_factory.mktemp("published")
        output = tasks.build_site("publishconf.py", root / "output", {"SITEURL": base})
        _SHARED["build"] = (output, port, base, root)
    return _SHARED["build"]


def published_site_on_nginx(tmp_path_factory):
    """That build deployed to a target folder and served by nginx from <target>/current.

    Shared with tests/browser/test_csp.py; :func:`stop_nginx` ends it.
    """
    if "site" not in _SHARED:
        require_nginx()
        output, port, base, root = published_build(tmp_path_factory)
        release = releases.deploy_release(output, root / "target")
        server = NginxServer(root / "target" / releases.CURRENT, port=port).start()
        site = Site(root / "target" / releases.CURRENT)
        site.base, site.server, site.release, site.built = base, server, release, output
        _SHARED["site"] = site
    return _SHARED["site"]


def stop_nginx():
    site = _SHARED.pop("site", None)
    if site is not None:
        site.server.stop()


@pytest.fixture(scope="session")
def publish_output(tmp_path_factory, fixed_build_time):
    return published_build(tmp_path_factory)[0]


@pytest.fixture(scope="session")
def nginx_site(tmp_path_factory, fixed_build_time):
    yield published_site_on_nginx(tmp_path_factory)
    stop_nginx()


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name):
        return self.headers.get(name)


def fetch(port, path, method="GET", scheme="http", **headers):
    """One request; no redirect followed, no decoding. Without an Accept-Encoding
    header, http.client asks for identity."""
    headers = {name.replace("_", "-"): value for name, value in headers.items()}
    if scheme == "https":
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        connection.close()


def get(site, path, **headers):
    return fetch(site.server.port, path, **headers)


def stylesheet_path(site, page=""):
    href = site.page(page).select_one("link[rel=stylesheet]")["href"]
    assert href.startswith(site.base + "/"), href
    return href[len(site.base):]


def sample_paths(site):
    """One file of each kind, in both languages where there are two."""
    return {
        "home (ja)": "/",
        "home (en)": "/en/",
        "article (en)": "/en/news/column-105-business-promotion-projects/",
        "stylesheet": stylesheet_path(site),
        "atom feed": "/feeds/news.atom.xml",
        "rss feed (en)": "/en/feeds/news.rss.xml",
        "calendar": "/events/calendar.ics",
        "calendar (en)": "/en/events/calendar.ics",
        "event calendar file": "/events/wellness-data-seminar-2026/event.ics",
        "open data csv": "/events/events.csv",
    }


def file_of(site, path):
    target = site.output / path.lstrip("/")
    return target / "index.html" if path.endswith("/") else target


# --- Fingerprinted and precompressed assets --------------------------------------------


def test_stylesheet_is_fingerprinted_by_its_content(site):
    source = CSS_SOURCE.read_bytes()
    digest = hashlib.sha256(source).hexdigest()[:8]
    for page in ("", "en/", "news/column-105-business-promotion-projects/", "404.html"):
        hrefs = [link["href"] for link in site.page(page).select("link[rel=stylesheet]")]
        assert hrefs == [f"{SITEURL}/theme/css/site.{digest}.css"], page
    assert (site.output / f"theme/css/site.{digest}.css").read_bytes() == source
    # The original stays for anything that still links to it.
    assert (site.output / "theme/css/site.css").read_bytes() == source


def search_page_scripts(site, page):
    """The scripts the search page loads: its <script src>s and the Pagefind script it
    imports (data-pagefind), as paths, with the bundle folder it gives Pagefind."""
    tree = lxml_html.fromstring((site.output / page / "index.html").read_bytes())
    sources = tree.xpath("//script/@src")
    (form,) = tree.xpath('//form[@id="site-search"]')
    return [*sources, form.get("data-pagefind")], form.get("data-pagefind-base")


def test_the_search_page_loads_only_fingerprinted_scripts(site):
    for page in ("search", "en/search"):
        scripts, base = search_page_scripts(site, page)
        assert len(scripts) == 2, page  # search.js and Pagefind's script
        for src in scripts:
            target = site.file_for(src)
            name = target.name.split(".")
            assert len(name) == 3 and name[2] == "js", src
            assert name[1] == hashlib.sha256(target.read_bytes()).hexdigest()[:8], src
        # Pagefind is told its bundle's folder, which holds the script's original.
        pagefind_script = site.file_for(scripts[1])
        assert site.file_for(base) == pagefind_script.parent / "index.html"
        assert (pagefind_script.parent / "pagefind.js").read_bytes() == pagefind_script.read_bytes()


def test_asset_url_fingerprint_follows_the_content(tmp_path):
    theme = tmp_path / "theme"
    (theme / "static/css").mkdir(parents=True)
    (theme / "static/css/site.css").write_text("body { color: black }\n")
    settings = {"THEME": str(theme), "THEME_STATIC_PATHS": ["static"], "ASSETS_HASH_LENGTH": 8}
    first = fingerprint(dict(settings), "css/site.css").name
    (theme / "static/css/site.css").write_text("body { color: navy }\n")
    second = fingerprint(dict(settings), "css/site.css").name
    assert re.fullmatch(r"css/site\.[0-9a-f]{8}\.css", first) and first != second
    with pytest.raises(ValueError, match="no such file"):
        fingerprint(dict(settings), "css/missing.css")
    with pytest.raises(ValueError, match="inside the theme"):
        fingerprint(dict(settings), "../secret.css")


def test_local_builds_are_not_precompressed(site):
    # The preview server does not use them, and every text file stays readable as text.
    assert not [p for p in site.output.rglob("*") if p.suffix in (".gz", ".br")]


def test_publish_build_has_gz_and_br_beside_every_text_file(publish_output):
    # (Hidden files are the build's manifests for the next build: never served or deployed.)
    texts = [p for p in publish_output.rglob("*")
             if p.is_file() and p.name.endswith(TEXT_SUFFIXES) and not p.name.startswith(".")]
    kinds = {p.name.split(".", 1)[1] for p in texts}
    assert {"html", "css", "atom.xml", "rss.xml", "ics", "csv"} <= kinds
    for path in texts:
        data = path.read_bytes()
        packed = path.with_name(path.name + ".gz").read_bytes()
        # gzip -9 without a time stamp or a file name: the same input, the same bytes.
        assert packed[3] == 0 and packed[4:8] == b"\0\0\0\0", path
        assert gzip.decompress(packed) == data, path
        assert brotli.decompress(path.with_name(path.name + ".br").read_bytes()) == data, path


def test_two_publish_builds_are_byte_identical(tmp_path, publish_output):
    _, _, base, _ = _SHARED["build"]
    second = tasks.build_site("publishconf.py", tmp_path / "again", {"SITEURL": base})
    names = sorted(str(p.relative_to(publish_output)) for p in publish_output.rglob("*"))
    assert names == sorted(str(p.relative_to(second)) for p in second.rglob("*"))
    files = [name for name in names if (publish_output / name).is_file()]
    match, mismatch, errors = filecmp.cmpfiles(publish_output, second, files, shallow=False)
    assert mismatch == [] and errors == [] and len(match) == len(files)


# --- Publishing: releases, the atomic switch, rollback ---------------------------------


def fake_site(folder, text, pages=6):
    """A built site in miniature: index.html saying ``text`` and a few more files."""
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(f"<!DOCTYPE html><title>{text}</title><p>{text}</p>\n")
    for n in range(pages):
        (folder / f"page{n}").mkdir()
        (folder / f"page{n}/index.html").write_text(f"<p>{text} {n}</p>\n")
    return folder


def live_state(target):
    """What readers see: where current points and every byte behind it."""
    current = target / releases.CURRENT
    files = {str(p.relative_to(current)): p.read_bytes() for p in current.rglob("*") if p.is_file()}
    return os.readlink(current), files


def deploy(tmp_path, target, text, **kwargs):
    site = fake_site(tmp_path / "sites" / text, text)
    return releases.deploy_release(site, target, **kwargs)


def test_publish_creates_a_release_and_switches_current_to_it(tmp_path):
    target = tmp_path / "www"
    first = deploy(tmp_path, target, "one")
    current = target / releases.CURRENT
    assert current.is_symlink() and os.readlink(current) == f"releases/{first.name}"
    assert re.fullmatch(r"\d{8}T\d{6}Z(-\d+)?", first.name)
    assert (current / "index.html").read_text().count("one") == 2
    second = deploy(tmp_path, target, "two")
    assert os.readlink(current) == f"releases/{second.name}"
    assert (current / "page5/index.html").read_text() == "<p>two 5</p>\n"
    assert releases.list_releases(target) == [first.name, second.name]  # oldest first
    # Nothing half-made is left: no partial copy, no temporary symlink.
    assert sorted(p.name for p in (target / "releases").iterdir()) == [first.name, second.name]
    assert sorted(p.name for p in target.iterdir()) == [".deploy.lock", "current", "releases"]


def test_old_releases_beyond_the_limit_are_removed(tmp_path):
    target = tmp_path / "www"
    made = [deploy(tmp_path, target, f"r{n}", keep=3).name for n in range(6)]
    assert releases.list_releases(target) == made[-3:]
    assert sorted(p.name for p in (target / "releases").iterdir()) == sorted(made[-3:])
    assert os.readlink(target / releases.CURRENT) == f"releases/{made[-1]}"
    # The default keeps five.
    more = [deploy(tmp_path, target, f"s{n}").name for n in range(4)]
    assert releases.list_releases(target) == (made[-3:] + more)[-5:]
    assert releases.DEPLOY_KEEP_RELEASES == 5


def test_rollback_goes_back_one_release_at_a_time(tmp_path):
    target = tmp_path / "www"
    a, b, c = (deploy(tmp_path, target, text).name for text in ("A", "B", "C"))
    assert releases.rollback_release(target) == (b, c)
    assert os.readlink(target / releases.CURRENT) == f"releases/{b}"
    assert (target / releases.CURRENT / "index.html").read_text().endswith("<p>B</p>\n")
    # The release rolled back from is gone, so the next rollback goes further back ...
    assert releases.list_releases(target) == [a, b]
    assert releases.rollback_release(target) == (a, b)
    # ... and a later publish rolls back to what was live before it, not to B or C.
    d = deploy(tmp_path, target, "D").name
    assert releases.rollback_release(target) == (a, d)
    with pytest.raises(releases.PublishFailed, match="nothing to roll back to"):
        releases.rollback_release(target)
    assert os.readlink(target / releases.CURRENT) == f"releases/{a}"


def invoke(*args, env=None):
    environment = {k: v for k, v in os.environ.items() if k not in ("SITEURL", "DEPLOY_TARGET")}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=300, check=False)


def test_rollback_task(tmp_path):
    target = tmp_path / "www"
    first = deploy(tmp_path, target, "A").name
    deploy(tmp_path, target, "B")
    run = invoke("rollback", "--target", str(target))
    assert run.returncode == 0, run.stderr
    assert os.readlink(target / releases.CURRENT) == f"releases/{first}"
    run = invoke("rollback", env={"DEPLOY_TARGET": str(target)})
    assert run.returncode == 1 and "Nothing rolled back" in run.stderr
    assert os.readlink(target / releases.CURRENT) == f"releases/{first}"


def test_publish_refuses_without_an_address_or_a_target(tmp_path):
    run = invoke("publish", "--target", str(tmp_path / "www"))
    assert run.returncode == 1 and "SITEURL" in run.stderr
    run = invoke("publish", env={"SITEURL": SITEURL})
    assert run.returncode == 1 and "--target" in run.stderr
    assert not (tmp_path / "www").exists()


TINY_CONTENT = {
    "news/item.ja.md": """\
        Title: 記事
        Slug: item
        Lang: ja
        Date: 2023-04-01 10:00
        Category: announcements

        本文
        """,
    "news/item.en.md": """\
        Title: Item
        Slug: item
        Lang: en
        Date: 2023-04-01 10:00
        Category: announcements

        Body
        """,
}


def tiny_settings(content):
    """Build ``content`` instead of the real content (without the search index, for speed)."""
    return {"PATH": str(content), "SEARCH_INDEX": False}


def tiny_publish_build(content, output, **overrides):
    return tasks.build_site("publishconf.py", output, {**tiny_settings(content), **overrides})


def test_a_second_publish_build_compresses_only_what_changed(tmp_path):
    """Brotli at its best is most of a publish build: an unchanged file keeps the
    previous build's .gz and .br (the same files), a changed one gets new ones."""
    content = write_content(tmp_path / "content", TINY_CONTENT)
    output = tiny_publish_build(content, tmp_path / "output", SITEURL=SITEURL)
    kept, edited = output / "en/news/item/index.html", output / "news/item/index.html"
    before = {path: (path.with_name(path.name + ".br").stat().st_ino,
                     path.with_name(path.name + ".gz").stat().st_ino) for path in (kept, edited)}
    source = content / "news/item.ja.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n追記した段落。\n", encoding="utf-8")
    tiny_publish_build(content, output, SITEURL=SITEURL)
    for path in (kept, edited):
        data = path.read_bytes()
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == data
        assert brotli.decompress(path.with_name(path.name + ".br").read_bytes()) == data
    after = {path: (path.with_name(path.name + ".br").stat().st_ino,
                    path.with_name(path.name + ".gz").stat().st_ino) for path in (kept, edited)}
    assert "追記した段落" in edited.read_text(encoding="utf-8")
    assert after[kept] == before[kept]
    assert after[edited][0] != before[edited][0] and after[edited][1] != before[edited][1]


def test_publish_gives_the_address_to_the_build_not_to_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("SITEURL", raising=False)
    content = write_content(tmp_path / "content", TINY_CONTENT)
    # The task as the command runs it, but on tiny content and into tmp_path, not output/.
    build_site = tasks.build_site
    monkeypatch.setattr(tasks, "build_site", lambda settings_file, output, overrides: build_site(
        settings_file, tmp_path / "output", {**overrides, **tiny_settings(content)}))
    # (it would set the level of the root logger for the rest of the session)
    monkeypatch.setattr(tasks, "_setup_logging", lambda verbose: None)
    environment = dict(os.environ)
    tasks.publish(Context(), target=str(tmp_path / "www"), siteurl=f" {SITEURL}/ ")
    assert dict(os.environ) == environment
    site = Site(tmp_path / "www" / releases.CURRENT)
    for path in ("news/item/", "en/news/item/"):
        canonical = site.page(path).select_one('link[rel="canonical"]')["href"]
        assert canonical == f"{SITEURL}/{path}"


def test_a_build_without_an_absolute_address_stops_and_keeps_the_previous_output(
        tmp_path, monkeypatch):
    monkeypatch.delenv("SITEURL", raising=False)
    content = write_content(tmp_path / "content", TINY_CONTENT)
    output = tiny_publish_build(content, tmp_path / "output", SITEURL=SITEURL)
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    for address in (None, "", "wellness.example.jp", "//wellness.example.jp"):
        overrides = {} if address is None else {"SITEURL": address}
        with pytest.raises(tasks.BuildFailed) as failure:
            tiny_publish_build(content, output, **overrides)
        assert str(failure.value) == (
            "[bilingual] publishing needs the site's absolute address: set SITEURL, e.g. "
            "`SITEURL=https://wellness.example.jp invoke publish` "
            f"(got {address or ''!r})"
        )
        assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]  # no staging left


def test_publishconf_loads_without_an_address(monkeypatch):
    # (so that `pelican -s publishconf.py` works, with SITEURL in the environment)
    monkeypatch.delenv("SITEURL", raising=False)
    settings = get_settings_from_file(str(ROOT / "publishconf.py"))
    assert settings["SITEURL"] == "" and settings["BILINGUAL_REQUIRE_ABSOLUTE_SITEURL"] is True
    monkeypatch.setenv("SITEURL", f" {SITEURL}/")
    assert get_settings_from_file(str(ROOT / "publishconf.py"))["SITEURL"] == SITEURL


BROKEN_CONTENT = {
    "news/broken.ja.md": """\
        Title: 壊れた日付
        Slug: broken
        Lang: ja
        Date: 2023-13-45
        Category: announcements

        本文
        """,
}


def test_a_failed_build_leaves_the_live_release_untouched(tmp_path, monkeypatch):
    target = tmp_path / "www"
    deploy(tmp_path, target, "live")
    before, kept = live_state(target), releases.list_releases(target)
    content = write_content(tmp_path / "content", BROKEN_CONTENT)
    with pytest.raises(tasks.BuildFailed):
        tasks.publish_site(target, output=tmp_path / "output",
                           overrides={"SITEURL": SITEURL, "PATH": str(content)})
    assert live_state(target) == before
    assert releases.list_releases(target) == kept
    # And without an address, nothing is built or deployed either.
    monkeypatch.delenv("SITEURL", raising=False)
    with pytest.raises(tasks.BuildFailed, match="SITEURL"):
        tasks.publish_site(target, output=tmp_path / "output")
    assert live_state(target) == before and releases.list_releases(target) == kept


def test_a_copy_failing_half_way_leaves_the_live_release_untouched(tmp_path, monkeypatch):
    target = tmp_path / "www"
    deploy(tmp_path, target, "live")
    before, kept = live_state(target), releases.list_releases(target)
    copied = []

    def failing_copy(source, destination):
        if len(copied) == 3:
            raise OSError(28, "No space left on device")
        copied.append(source)
        return shutil.copy2(source, destination)

    monkeypatch.setattr(releases, "_copy_file", failing_copy)
    with pytest.raises(releases.PublishFailed, match="No space left"):
        deploy(tmp_path, target, "new")
    assert len(copied) == 3  # it did fail half-way
    assert live_state(target) == before
    assert releases.list_releases(target) == kept
    assert sorted(p.name for p in (target / "releases").iterdir()) == kept  # no partial copy


def test_current_must_be_a_symlink(tmp_path):
    target = tmp_path / "www"
    (target / releases.CURRENT).mkdir(parents=True)
    (target / releases.CURRENT / "index.html").write_text("hand-copied site")
    with pytest.raises(releases.PublishFailed, match="not a symlink"):
        deploy(tmp_path, target, "new")
    assert (target / releases.CURRENT / "index.html").read_text() == "hand-copied site"
    assert releases.list_releases(target) == []


def test_nginx_follows_publish_and_rollback_without_a_reload(tmp_path):
    require_nginx()
    target = tmp_path / "www"
    deploy(tmp_path, target, "first")
    with NginxServer(target / releases.CURRENT, prefix=tmp_path / "nginx") as server:
        pid = server.process.pid
        assert b"<p>first</p>" in fetch(server.port, "/").body
        deploy(tmp_path, target, "second")
        assert b"<p>second</p>" in fetch(server.port, "/").body
        releases.rollback_release(target)
        assert b"<p>first</p>" in fetch(server.port, "/").body
        assert server.process.pid == pid and server.process.poll() is None


# --- Served by nginx: types, 404s, compression, caching, security headers --------------


def test_every_published_file_is_served_with_its_media_type(nginx_site):
    checked = 0
    for path in sorted(nginx_site.output.rglob("*")):
        relative = "/" + str(path.relative_to(nginx_site.output))
        expected = media_type(path.name)
        if not path.is_file() or path.suffix in (".gz", ".br") or expected is None:
            continue
        response = get(nginx_site, relative)
        assert response.status == 200, relative
        assert response.header("Content-Type") == expected, relative
        assert response.body == path.read_bytes(), relative
        checked += 1
    assert checked > 150


@pytest.mark.parametrize("kind", [
    "home (ja)", "home (en)", "stylesheet", "atom feed", "rss feed (en)", "calendar",
    "calendar (en)", "open data csv",
])
def test_each_kind_of_file_has_its_type_and_charset(nginx_site, kind):
    path = sample_paths(nginx_site)[kind]
    response = get(nginx_site, path)
    assert response.status == 200
    assert response.header("Content-Type") == media_type(file_of(nginx_site, path).name)
    assert "charset=utf-8" in response.header("Content-Type")
    assert response.body == file_of(nginx_site, path).read_bytes()


@pytest.mark.parametrize(("path", "lang"), [
    ("/no-such-page/", "ja"),
    ("/news/no-such-item/", "ja"),
    ("/feeds/no-such-feed.atom.xml", "ja"),
    ("/theme/", "ja"),  # a folder without index.html is not found either
    ("/.git/config", "ja"),
    ("/en/no-such-page/", "en"),
    ("/en/news/no-such-item/", "en"),
    ("/en/missing.html", "en"),
    ("/en/feeds/no-such-feed.rss.xml", "en"),
])
def test_missing_addresses_get_the_404_page_of_their_language(nginx_site, path, lang):
    response = get(nginx_site, path)
    assert response.status == 404
    assert response.header("Content-Type") == "text/html; charset=utf-8"
    page = BeautifulSoup(response.body.decode("utf-8"), "html.parser")
    assert page.html["lang"] == lang
    not_found = "404.html" if lang == "ja" else "en/404.html"
    assert response.body == (nginx_site.output / not_found).read_bytes()
    assert response.header("Cache-Control") == "no-cache"


def test_folders_without_a_slash_redirect_to_it(nginx_site):
    response = get(nginx_site, "/en/news")
    assert response.status == 301 and response.header("Location") == "/en/news/"


@pytest.mark.parametrize("kind", [
    "home (ja)", "article (en)", "stylesheet", "atom feed", "rss feed (en)", "calendar",
    "open data csv",
])
def test_precompressed_files_are_served_to_clients_that_accept_them(nginx_site, kind):
    path = sample_paths(nginx_site)[kind]
    original = file_of(nginx_site, path).read_bytes()
    plain = get(nginx_site, path)
    assert plain.header("Content-Encoding") is None and plain.body == original
    packed = get(nginx_site, path, Accept_Encoding="gzip")
    assert packed.status == 200 and packed.header("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in packed.header("Vary")
    assert packed.header("Content-Type") == plain.header("Content-Type")
    assert len(packed.body) < len(original)
    assert gzip.decompress(packed.body) == original
    if find_brotli_module() is not None:
        packed = get(nginx_site, path, Accept_Encoding="gzip, deflate, br")
        assert packed.header("Content-Encoding") == "br"
        assert brotli.decompress(packed.body) == original


def test_brotli_is_served_when_nginx_has_the_module(nginx_site):
    require_brotli_module()
    response = get(nginx_site, "/en/", Accept_Encoding="br")
    assert response.header("Content-Encoding") == "br"
    assert brotli.decompress(response.body) == (nginx_site.output / "en/index.html").read_bytes()


def test_cache_policy(nginx_site):
    paths = sample_paths(nginx_site)
    css = get(nginx_site, paths["stylesheet"])
    assert FINGERPRINTED_CSS.search(paths["stylesheet"])
    assert css.header("Cache-Control") == ONE_YEAR_IMMUTABLE
    # The unfingerprinted original keeps its name across changes: short.
    assert get(nginx_site, "/theme/css/site.css").header("Cache-Control") == "public, max-age=300"
    for kind in ("home (ja)", "home (en)", "article (en)"):
        response = get(nginx_site, paths[kind])
        assert response.header("Cache-Control") == "no-cache", kind
        assert response.header("ETag"), kind  # so that revalidation is a cheap 304
    for kind in ("atom feed", "rss feed (en)", "calendar", "open data csv"):
        assert get(nginx_site, paths[kind]).header("Cache-Control") == "public, max-age=300", kind
    etag = get(nginx_site, "/").header("ETag")
    assert get(nginx_site, "/", If_None_Match=etag).status == 304


def test_search_scripts_and_index_are_cached_long_only_under_content_names(nginx_site):
    scripts, base = search_page_scripts(nginx_site, "search")
    for src in scripts:  # search.<hash>.js, pagefind.<hash>.js
        path = "/" + nginx_site.relative(nginx_site.file_for(src, base=nginx_site.base))
        assert get(nginx_site, path).header("Cache-Control") == ONE_YEAR_IMMUTABLE, path
    bundle = nginx_site.file_for(base, base=nginx_site.base).parent
    named_by_content = [next(bundle.glob("fragment/*.pf_fragment")),
                        next(bundle.glob("index/*.pf_index")), next(bundle.glob("*.pf_meta"))]
    for file in named_by_content:
        path = "/" + nginx_site.relative(file)
        assert get(nginx_site, path).header("Cache-Control") == ONE_YEAR_IMMUTABLE, path
    # Loaded by fixed names (Pagefind's worker and WebAssembly, the originals): revalidated,
    # so that they always match the script.
    for file in [bundle / "pagefind.js", bundle / "pagefind-worker.js",
                 bundle / "pagefind-entry.json", next(bundle.glob("wasm.*.pagefind"))]:
        path = "/" + nginx_site.relative(file)
        assert get(nginx_site, path).header("Cache-Control") == "no-cache", path
    assert get(nginx_site, "/theme/js/search.js").header("Cache-Control") == "public, max-age=300"


def csp_directives(value):
    directives = {}
    for part in value.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_security_headers(response, what):
    for name, value in SECURITY_HEADERS.items():
        assert response.header(name) == value, f"{what}: {name}"
    csp = csp_directives(response.header("Content-Security-Policy") or "")
    assert csp.get("default-src") == ["'self'"], what
    assert "'self'" in csp["script-src"] and not {"'unsafe-inline'", "'unsafe-eval'"} & set(
        csp["script-src"]), what
    assert not [s for s in csp["script-src"] if ":" in s or "*" in s], what  # no other host
    assert csp["style-src"] == ["'self'"], what
    assert csp["img-src"] == ["'self'", "data:"], what
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"], what
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"], what
    policy = response.header("Permissions-Policy") or ""
    for feature in DENIED_FEATURES:
        assert f"{feature}=()" in policy, f"{what}: {feature}"


def test_security_headers_are_on_every_response(nginx_site):
    responses = {kind: get(nginx_site, path) for kind, path in sample_paths(nginx_site).items()}
    responses["404 (ja)"] = get(nginx_site, "/no-such-page/")
    responses["404 (en)"] = get(nginx_site, "/en/no-such-page/")
    responses["404 of a fingerprinted name"] = get(nginx_site, "/theme/css/site.00000000.css")
    responses["redirect"] = get(nginx_site, "/news")
    responses["gzip"] = get(nginx_site, "/", Accept_Encoding="gzip")
    etag = responses["home (ja)"].header("ETag")
    responses["not modified"] = get(nginx_site, "/", If_None_Match=etag)
    responses["original css"] = get(nginx_site, "/theme/css/site.css")
    assert responses["404 of a fingerprinted name"].status == 404
    assert responses["404 of a fingerprinted name"].header("Cache-Control") == "no-cache"
    for what, response in responses.items():
        assert_security_headers(response, what)
        # HSTS only over HTTPS (nginx.production.conf), never on this HTTP server.
        assert response.header("Strict-Transport-Security") is None, what
        assert response.header("Server") == "nginx", what  # no version number


def test_production_config_sends_hsts_on_every_https_response(nginx_site, tmp_path):
    """deploy/nginx.production.conf, with a throwaway certificate and local ports."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: cannot make a test certificate")
    certs = tmp_path / "certs"
    certs.mkdir()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=wellness.example.jp", "-keyout", str(certs / "privkey.pem"),
                    "-out", str(certs / "fullchain.pem")], check=True, capture_output=True)
    http_port, https_port = free_port(), free_port()
    block = (ROOT / "deploy/nginx.production.conf").read_text(encoding="utf-8")
    for old, new in {
        "/etc/letsencrypt/live/wellness.example.jp": str(certs),
        "/srv/wellness/current": str(nginx_site.output),
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
    }.items():
        assert old in block, old
        block = block.replace(old, new)
    block = "\n".join(line for line in block.splitlines() if "listen [::]" not in line) + "\n"
    with NginxServer(nginx_site.output, port=https_port, prefix=tmp_path / "nginx",
                     server_block=block):
        redirect = fetch(http_port, "/en/", Host="wellness.example.jp")
        assert redirect.status == 301
        assert redirect.header("Location") == "https://wellness.example.jp/en/"
        for path in ("/", "/en/feeds/news.atom.xml", stylesheet_path(nginx_site), "/en/nope/"):
            response = fetch(https_port, path, scheme="https")
            assert response.status == (404 if "nope" in path else 200), path
            hsts = response.header("Strict-Transport-Security") or ""
            assert re.fullmatch(r"max-age=(\d+); includeSubDomains", hsts), path
            assert int(hsts.split("=")[1].split(";")[0]) >= 31536000
            assert_security_headers(response, path)


def test_the_http_server_block_is_valid_nginx(tmp_path):
    require_nginx()
    block = (ROOT / "deploy/nginx.conf").read_text(encoding="utf-8")
    block = block.replace("listen 80;", f"listen 127.0.0.1:{free_port()};")
    block = "\n".join(line for line in block.splitlines() if "listen [::]" not in line) + "\n"
    server = NginxServer(tmp_path, prefix=tmp_path / "nginx", server_block=block)
    run = subprocess.run(server.command()[:-2] + ["-t"], capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stdout + run.stderr + server.error_log()


def test_a_release_leaves_out_the_build_manifests(tmp_path):
    site = fake_site(tmp_path / "sites" / "one", "one")
    (site / ".build-manifest.json").write_text("{}")
    (site / ".build-manifest-search.json").write_text("{}")
    release = releases.deploy_release(site, tmp_path / "www")
    assert (release / "index.html").exists()
    assert not list(release.glob(".build-manifest*"))
