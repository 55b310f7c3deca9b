"""Rebuilds reuse the pages that would come out the same, and only those.

Every test here changes something, rebuilds into the previous output, and
compares the result, file by file and byte by byte, with a build of the
changed site from scratch. A reused page keeps its file (the same inode: it
is hard-linked, not written again); a page that changed is written anew.
"""

import filecmp
import gc
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import assets.assets as assets_plugin
import bilingual.generator as generator_module
import bilingual.kept as kept_module
import bilingual.parallel as parallel_module
import bilingual.readers as readers_module
import feedparser
import jinja2
import pytest
import search.search as search_plugin
from bilingual.build import NextStaging
from bilingual.compiled import CompiledTemplates
from bilingual.generator import BilingualGenerator
from bs4 import BeautifulSoup
from feeds.feeds import FeedsGenerator
from pelican import readers as pelican_readers
from pelican import signals
from pelican.contents import Content
from support import ROOT, SITEURL, Site, build
from test_seo import indexed_urls

import tasks

NEWS = "news/column-program-aims"
PROJECT = "projects/mysos"


@pytest.fixture
def content(tmp_path):
    copy = tmp_path / "content"
    shutil.copytree(ROOT / "content", copy)
    return copy


def files_of(output):
    return sorted(str(p.relative_to(output)) for p in output.rglob("*") if p.is_file())


def assert_same_as_fresh_build(rebuilt, content, tmp_path, **overrides):
    fresh = build(tmp_path / "fresh", content, **overrides)
    names = files_of(fresh)
    assert files_of(rebuilt) == names
    match, mismatch, errors = filecmp.cmpfiles(fresh, rebuilt, names, shallow=False)
    assert mismatch == [] and errors == []
    assert len(match) == len(names)


def inodes(output, suffixes=(".html",)):
    return {name: (output / name).stat().st_ino for name in files_of(output)
            if name.endswith(suffixes)}


def rewritten_files(before, after):
    return sorted(name for name in after if after[name] != before.get(name))


SENTENCE = "A sentence added in review."


def add_a_sentence(content):
    """Edit the body of one English article (the edit every rebuild test makes)."""
    edit(content / f"{NEWS}.en.md", "\n\n", f"\n\n{SENTENCE}\n\n")


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_rebuild_without_changes_writes_no_page_again(content, tmp_path):
    output = build(tmp_path / "out", content)
    before = inodes(output)
    build(tmp_path / "out", content)
    assert inodes(output) == before
    assert_same_as_fresh_build(output, content, tmp_path)


def test_plugins_hear_of_every_page_written_or_reused(content, tmp_path):
    # (One process: Pelican's signals reach the receivers of this one.)
    heard = []

    def written(path, context):
        # (Pages are written into the build's staging folder beside out/.)
        staging, page = os.path.relpath(path, tmp_path).split(os.sep, 1)
        assert staging.startswith(".out.new-")
        heard.append((page, context["lang"]))

    signals.content_written.connect(written)
    try:
        output = build(tmp_path / "out", content, BILINGUAL_PROCESSES=1)
        first = sorted(heard)
        heard.clear()
        before = inodes(output)
        build(tmp_path / "out", content, BILINGUAL_PROCESSES=1)
    finally:
        signals.content_written.disconnect(written)
    assert inodes(output) == before  # every page reused, none rendered
    pages = sorted(name for name in files_of(output) if name.endswith(".html"))
    assert sorted(path for path, _lang in heard) == pages
    assert sorted(heard) == first
    assert ("en/news/index.html", "en") in heard


def test_editing_one_article_rewrites_only_the_pages_that_show_it(content, tmp_path):
    output = build(tmp_path / "out", content)
    before = inodes(output)
    add_a_sentence(content)
    build(tmp_path / "out", content)
    after = inodes(output)
    rewritten = rewritten_files(before, after)
    assert f"en/{NEWS}/index.html" in rewritten
    assert SENTENCE in (output / f"en/{NEWS}/index.html").read_text()
    # The Japanese version and the pages of other items are reused.
    assert f"{NEWS}/index.html" not in rewritten
    assert f"en/{PROJECT}/index.html" not in rewritten
    assert all(name.startswith("en/") for name in rewritten)
    assert len(rewritten) < len(after) // 4
    assert_same_as_fresh_build(output, content, tmp_path)


def test_a_new_title_reaches_every_page_that_links_the_item(content, tmp_path):
    output = build(tmp_path / "out", content)
    edit(content / "projects/mysos.en.md", "Title: ", "Title: Renamed ")
    build(tmp_path / "out", content)
    assert_same_as_fresh_build(output, content, tmp_path)


def test_a_new_title_rewrites_the_lists_that_show_it_not_every_article(content, tmp_path):
    # Every page of a language shows the categories and tags with their
    # counts; a title is not part of them, so the other articles' pages stay.
    output = build(tmp_path / "out", content)
    before = inodes(output)
    edit(content / f"{NEWS}.en.md", "Title: ", "Title: Renamed ")
    build(tmp_path / "out", content)
    rewritten = rewritten_files(before, inodes(output))
    for page in (f"en/{NEWS}/index.html", "en/news/category/column/index.html"):
        assert page in rewritten
        assert "Renamed Why data-driven wellness" in Site(output).page(page).get_text(" ")
    others = [f"en/news/{slug}/index.html" for path in (content / "news").glob("*.en.md")
              if (slug := path.name.removesuffix(".en.md")) != NEWS.split("/")[1]]
    assert len(others) >= 5
    assert not set(others) & set(rewritten)
    assert_same_as_fresh_build(output, content, tmp_path)


@pytest.mark.parametrize("change", ["tags", "remove", "add", "date"])
def test_changes_to_lists_and_links_give_the_same_site_as_a_fresh_build(
    content, tmp_path, change
):
    output = build(tmp_path / "out", content)
    article = content / "news/column-program-aims.en.md"
    # (Tags and Date are shared by the languages: both versions change together.)
    versions = (article, content / "news/column-program-aims.ja.md")
    if change == "tags":
        for version in versions:
            replace_line(version, "Tags:", "Tags: smart-city")
    elif change == "remove":
        article.unlink()
        (content / "news/column-program-aims.ja.md").unlink()
    elif change == "add":
        (content / "news/an-added-note.en.md").write_text(
            "Title: An added note\nSlug: an-added-note\nLang: en\nDate: 2026-01-05 10:00\n"
            "Category: announcements\nSummary: A note added later.\n\nThe text of the note.\n",
            encoding="utf-8",
        )
    else:
        for version in versions:
            replace_line(version, "Date:", "Date: 2026-11-01 09:00")
    build(tmp_path / "out", content)
    assert_same_as_fresh_build(output, content, tmp_path)


def test_a_link_to_an_item_that_moves_follows_it_in_pages_and_feeds(content, tmp_path):
    # An article links to an event by its file ({filename}); when the event
    # moves to another address, the article's page and every news feed that
    # carries the article link to the new one, though the article's own file,
    # and every item of those feeds, did not change.
    edit(content / f"{NEWS}.en.md", "\n\n",
         "\n\nSee [the briefing]({filename}../events/phr-online-briefing-2027.en.md).\n\n")
    output = build(tmp_path / "out", content)
    for lang in ("ja", "en"):
        edit(content / f"events/phr-online-briefing-2027.{lang}.md",
             "Slug: phr-online-briefing-2027", "Slug: phr-online-briefing-2027-moved")
    build(tmp_path / "out", content)
    moved = "/en/events/phr-online-briefing-2027-moved/"
    page = BeautifulSoup((output / f"en/{NEWS}/index.html").read_text(), "html.parser")
    assert [a["href"] for a in page.select(".entry-body a") if "briefing" in a.text] == [
        f"{SITEURL}{moved}"]
    carried = [entry for feed in sorted((output / "en/feeds").glob("*.atom.xml"))
               for entry in feedparser.parse(str(feed)).entries
               if entry.link.endswith(f"/{NEWS}/")]
    assert carried, "the article is in no feed"
    for entry in carried:
        assert f"{SITEURL}{moved}" in entry.content[0].value
    assert_same_as_fresh_build(output, content, tmp_path)


def replace_line(path, start, line):
    """Replace the line of ``path`` starting with ``start`` by ``line``."""
    text = path.read_text(encoding="utf-8")
    lines = [line if old.startswith(start) else old for old in text.splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_changed_setting_renders_every_page_again(content, tmp_path):
    output = build(tmp_path / "out", content)
    before = inodes(output)
    build(tmp_path / "out", content, BILINGUAL_PAGINATION=3)
    after = inodes(output)
    assert all(after[name] != before.get(name) for name in after)
    assert_same_as_fresh_build(output, content, tmp_path, BILINGUAL_PAGINATION=3)


def test_a_changed_template_renders_its_pages_again(content, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    output = build(tmp_path / "out", content, THEME=str(theme))
    edit(theme / "templates/article.html", "{{ article.content | phrase_headings }}",
         "{{ article.content | phrase_headings }}<!-- edited -->")
    build(tmp_path / "out", content, THEME=str(theme))
    assert "<!-- edited -->" in (output / f"{NEWS}/index.html").read_text()
    assert_same_as_fresh_build(output, content, tmp_path, THEME=str(theme))


def test_builds_in_one_process_compile_a_template_again_only_when_it_changed(content, tmp_path,
                                                                             monkeypatch):
    # invoke serve builds again in the same process on every save: the
    # templates compiled by one build serve the next, until they change.
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    output = build(tmp_path / "out", content, THEME=str(theme))
    compiled, compile_template = [], jinja2.Environment.compile

    def counted(environment, source, name=None, filename=None, *args, **kwargs):
        compiled.append(name)
        return compile_template(environment, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    add_a_sentence(content)
    build(tmp_path / "out", content, THEME=str(theme), BILINGUAL_PROCESSES=1)
    assert compiled == []
    edit(theme / "templates/article.html", "{{ article.content | phrase_headings }}",
         "{{ article.content | phrase_headings }}<!-- edited -->")
    build(tmp_path / "out", content, THEME=str(theme), BILINGUAL_PROCESSES=1)
    assert compiled == ["article.html"]
    assert "<!-- edited -->" in (output / f"{NEWS}/index.html").read_text()


def test_environments_made_differently_never_share_a_compiled_template():
    shared = CompiledTemplates()
    source = {"page.html": "{% if true %}\n  <p>{{ _('Hello') }}</p>\n{% endif %}\n"}

    def render(**options):
        environment = jinja2.Environment(loader=jinja2.DictLoader(source), bytecode_cache=shared,
                                         extensions=["jinja2.ext.i18n"], **options)
        environment.install_null_translations(newstyle=True)
        return environment.get_template("page.html").render()

    assert render() == "\n  <p>Hello</p>\n"
    assert render(trim_blocks=True) == "  <p>Hello</p>\n"
    assert render() == "\n  <p>Hello</p>\n"
    assert len(shared.compiled) == 2


def test_pages_are_never_reused_when_reuse_is_off(content, tmp_path):
    output = build(tmp_path / "out", content)
    before = inodes(output)
    build(tmp_path / "out", content, BILINGUAL_REUSE_PAGES=False)
    after = inodes(output)
    assert all(after[name] != before.get(name) for name in after)


def bundles(output, lang):
    return sorted(p.name for p in (output / "pagefind").iterdir() if p.name.startswith(f"{lang}-"))


def test_the_search_index_comes_in_shards_that_hold_each_page_once(content, tmp_path):
    site = Site(build(tmp_path / "out", content, SEARCH_INDEX=True, SEARCH_SHARD_PAGES=10))
    for lang, root in (("ja", ""), ("en", "en/")):
        names = bundles(site.output, lang)
        assert len(names) >= 2
        urls = [url for name in names for url in indexed_urls(site.output, name)]
        assert len(urls) == len(set(urls))
        pages = {"/" + site.relative(path).removesuffix("index.html")
                 for path in site.output.rglob("*.html")
                 if BeautifulSoup(path.read_bytes(), "html.parser").select_one(
                     "main[data-pagefind-body]")}
        assert set(urls) == {url for url in pages if url.startswith("/en/") == (lang == "en")}
        form = site.page(f"{root}search/").select_one("form#site-search")
        loaded = [form["data-pagefind-base"]] + form["data-pagefind-merge"].split()
        assert sorted(href.removeprefix(f"{SITEURL}/pagefind/").strip("/") for href in loaded) \
            == names


@pytest.mark.parametrize("light_pages", [500, 0], ids=["light", "heavy"])
@pytest.mark.parametrize("reuse", [True, False], ids=["by fingerprint", "by bytes"])
def test_an_edit_indexes_again_only_the_shard_that_holds_the_page(content, tmp_path, reuse,
                                                                   light_pages, monkeypatch):
    # Shards are compared by their pages' fingerprints, or bytes when pages
    # are not fingerprinted. The index tells the build how many pages it
    # indexes: beside light work the build goes on to the other pages, the
    # feeds and calendars; beside heavy work it waits for the other pages.
    monkeypatch.setattr(generator_module, "LIGHT_WORK_PAGES", light_pages)
    answers, start_index = [], search_plugin.SearchGenerator.start_index

    def told(self, fingerprints):
        answers.append(start_index(self, fingerprints))
        return answers[-1]

    monkeypatch.setattr(search_plugin.SearchGenerator, "start_index", told)
    settings = {"SEARCH_INDEX": True, "SEARCH_SHARD_PAGES": 10, "BILINGUAL_REUSE_PAGES": reuse}
    output = build(tmp_path / "out", content, **settings)
    names = bundles(output, "ja") + bundles(output, "en")
    entries = {name: (output / "pagefind" / name / "pagefind-entry.json").stat().st_ino
               for name in names}
    every_page = sum(len(indexed_urls(output, name)) for name in names)
    add_a_sentence(content)
    build(tmp_path / "out", content, **settings)
    changed = [name for name, inode in entries.items()
               if (output / "pagefind" / name / "pagefind-entry.json").stat().st_ino != inode]
    assert len(changed) == 1 and changed[0].startswith("en-")
    # (Without fingerprints, which shards changed is known only once the
    # pages are read: all of them count.)
    edited = len(indexed_urls(output, changed[0])) if reuse else every_page
    assert answers == [every_page, edited]
    assert 0 < edited < every_page or not reuse
    assert_same_as_fresh_build(output, content, tmp_path, **settings)


def test_a_japanese_edit_cuts_into_words_only_the_pages_that_changed(content, tmp_path,
                                                                     monkeypatch):
    # Cutting Japanese into words is half the cost of indexing a shard: the
    # previous build's words are reused for every page that is unchanged.
    settings = {"SEARCH_INDEX": True, "SEARCH_SHARD_PAGES": 10}
    output = build(tmp_path / "out", content, **settings)
    before = inodes(output)
    edit(content / f"{NEWS}.ja.md", "歩調を合わせながら、",
         "歩調を合わせながら、予防接種の情報も届け、")
    cut, indexed_html = [], search_plugin.indexed_html

    def counted(output_path, name, locale=None):
        if locale is not None:
            cut.append(name)
        return indexed_html(output_path, name, locale)

    monkeypatch.setattr(search_plugin, "indexed_html", counted)
    build(tmp_path / "out", content, **settings)
    rewritten = rewritten_files(before, inodes(output))
    assert f"{NEWS}/index.html" in rewritten
    # Only Japanese pages (at the root) that Pagefind indexes are cut: of those
    # rewritten, the ones in the search index.
    indexed = {url.strip("/") + "/index.html" for name in bundles(output, "ja")
               for url in indexed_urls(output, name)}
    assert sorted(cut) == sorted(name for name in rewritten if name in indexed)
    # and the index finds the new words, as a build from scratch does.
    monkeypatch.setattr(search_plugin, "indexed_html", indexed_html)
    assert_same_as_fresh_build(output, content, tmp_path, **settings)


def test_the_previous_output_is_deleted_after_the_new_one_is_in_place(content, tmp_path):
    output = build(tmp_path / "out", content)
    add_a_sentence(content)
    build(tmp_path / "out", content)
    # The new output is complete as soon as the build returns ...
    assert SENTENCE in (output / f"en/{NEWS}/index.html").read_text()
    assert_same_as_fresh_build(output, content, tmp_path)
    # ... and the previous one is gone soon after (deleted in the background).
    deadline = time.monotonic() + 30
    while list(tmp_path.glob(".out.old-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(tmp_path.glob(".out.old-*")) == []
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_previous_output_left_behind_is_deleted_by_the_next_build(content, tmp_path):
    build(tmp_path / "out", content)
    left = tmp_path / ".out.old-interrupted"
    shutil.copytree(tmp_path / "out", left)
    build(tmp_path / "out", content)
    deadline = time.monotonic() + 30
    while left.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left.exists()


def test_clean_removes_the_outputs_and_what_interrupted_builds_left(tmp_path, monkeypatch):
    for name in ("output", "output-drafts", "cache", ".output.new-a1", ".output.old-b2",
                 ".output-drafts.new-c3", "content", ".cache.keep"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text("x")
    monkeypatch.setattr(tasks, "ROOT", tmp_path)
    monkeypatch.setattr(tasks, "OUTPUT", tmp_path / "output")
    monkeypatch.setattr(tasks, "DRAFTS_OUTPUT", tmp_path / "output-drafts")
    tasks.clean.body(None)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache.keep", "content"]


DELETION_THAT_HANGS = """
import os, shutil, sys, time
sys.path.insert(0, {root!r} + "/plugins")
from bilingual.build import remove_in_background

def rmtree(path, **options):
    with open({pid_file!r}, "w") as handle:
        handle.write(str(os.getpid()))
    time.sleep(60)

shutil.rmtree = rmtree
remove_in_background([{path!r}])
print("built")
"""


def test_a_piped_build_ends_without_waiting_for_the_deletion(tmp_path):
    # `invoke build | tee build.log` and CI steps read the build's output
    # through a pipe, until every process holding it has closed it.
    pid_file = tmp_path / "deleting.pid"
    script = DELETION_THAT_HANGS.format(root=str(ROOT), pid_file=str(pid_file),
                                        path=str(tmp_path / "old"))
    try:
        finished = subprocess.run([sys.executable, "-c", script], capture_output=True,
                                  text=True, timeout=30, check=True)
        assert finished.stdout == "built\n"
        deadline = time.monotonic() + 10
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert pid_file.exists()  # the deletion started, and is still going on
    finally:
        if pid_file.exists() and pid_file.read_text():
            os.kill(int(pid_file.read_text()), signal.SIGKILL)


def cache_state(cache):
    """Our generators' cache files (Pelican's own, switched off, save an empty one)."""
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in cache.iterdir()
            if p.name.startswith(("BilingualGenerator", "EventsGenerator"))}


def test_the_content_cache_is_saved_only_when_a_file_was_parsed_again(content, tmp_path):
    cache = tmp_path / "cache"
    settings = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(cache)}
    output = build(tmp_path / "out", content, **settings)
    saved = cache_state(cache)
    assert {"BilingualGenerator-Readers", "EventsGenerator-Readers"} <= saved.keys()
    build(tmp_path / "out", content, **settings)
    assert cache_state(cache) == saved  # nothing parsed: nothing written
    add_a_sentence(content)
    build(tmp_path / "out", content, **settings)
    again = cache_state(cache)
    assert again.keys() == saved.keys()
    assert again["BilingualGenerator-Readers"] != saved["BilingualGenerator-Readers"]
    assert SENTENCE in (output / f"en/{NEWS}/index.html").read_text()
    # Built through the cache, the site is the one a build without it makes.
    assert_same_as_fresh_build(output, content, tmp_path)


def test_an_edit_writes_again_only_the_feeds_that_carry_the_item(content, tmp_path):
    output = build(tmp_path / "out", content)
    before = inodes(output, (".atom.xml", ".rss.xml"))
    add_a_sentence(content)
    build(tmp_path / "out", content)
    after = inodes(output, (".atom.xml", ".rss.xml"))
    assert after.keys() == before.keys()
    rewritten = rewritten_files(before, after)
    assert "en/feeds/news.atom.xml" in rewritten and "en/feeds/news.rss.xml" in rewritten
    assert SENTENCE in (output / "en/feeds/news.atom.xml").read_text()
    # The Japanese feeds and the feeds without the article are reused.
    assert all(name.startswith("en/") for name in rewritten)
    assert len(rewritten) < len(after) // 2
    assert_same_as_fresh_build(output, content, tmp_path)


def test_the_feeds_of_a_build_from_scratch_on_every_core_are_reused_by_the_next(
        content, tmp_path, monkeypatch):
    """A build from scratch finds its feeds' fingerprints only once the pages are
    written (from the digests the page processes found): the next build, which
    finds them before writing any feed, must find the same and reuse every feed."""
    forked = []
    fork_parts = parallel_module._fork_parts
    monkeypatch.setattr(parallel_module, "_fork_parts",
                        lambda *args: forked.append(args) or fork_parts(*args))
    output = build(tmp_path / "out", content, BILINGUAL_PROCESSES=2)
    assert forked  # (the pages were written by other processes)
    feeds = inodes(output, (".atom.xml", ".rss.xml"))
    manifest = json.loads((output / ".build-manifest-feeds.json").read_text())
    assert sorted(manifest["files"]) == sorted(feeds) and len(feeds) > 10
    build(tmp_path / "out", content, BILINGUAL_PROCESSES=2)
    assert inodes(output, (".atom.xml", ".rss.xml")) == feeds


def test_an_edit_makes_again_only_the_calendars_that_show_it(content, tmp_path):
    calendars = (".ics", ".csv")
    output = build(tmp_path / "out", content)
    before = inodes(output, calendars)
    add_a_sentence(content)  # (a news article: no calendar shows it)
    build(tmp_path / "out", content)
    assert inodes(output, calendars) == before
    event = sorted((content / "events").glob("*.en.md"))[0]
    edit(event, "\n\n", "\n\nA sentence added to the event.\n\n")
    replace_line(event, "Title:", "Title: A renamed event")
    build(tmp_path / "out", content)
    after = inodes(output, calendars)
    rewritten = rewritten_files(before, after)
    # The event's own files and the subscriptions and open data that list it;
    # the other events' files are reused.
    slug = event.name.split(".")[0]
    made = {f"en/events/{slug}/event.ics", "en/events/calendar.ics", "events/events.csv"}
    assert made <= set(rewritten)
    assert all("A renamed event" in (output / name).read_text() for name in made)
    assert all(slug in name or "calendar" in name or name.endswith(".csv")
               for name in rewritten)
    assert len(rewritten) < len(after) // 2
    assert_same_as_fresh_build(output, content, tmp_path)


def test_the_preview_cache_belongs_to_the_code_and_settings_it_was_made_with(tmp_path):
    shutil.copy(ROOT / "pelicanconf.py", tmp_path / "pelicanconf.py")
    shutil.copytree(ROOT / "plugins", tmp_path / "plugins",
                    ignore=shutil.ignore_patterns("__pycache__"))
    first = tasks._preview_cache(tmp_path, "output")
    assert tasks._preview_cache(tmp_path, "output") == first
    first.mkdir(parents=True)
    drafts = tasks._preview_cache(tmp_path, "output-drafts")
    assert drafts != first and first.exists()  # two previews at once keep their own
    drafts.mkdir()
    edit(tmp_path / "plugins/bilingual/readers.py", '"""', '"""A changed reader. ')
    second = tasks._preview_cache(tmp_path, "output")
    assert second != first and second.parent == first.parent
    assert not first.exists()  # a cache of other code is never used again
    assert drafts.exists()
    edit(tmp_path / "pelicanconf.py", "\n", "\nMARKDOWN_CHANGED = True\n")
    assert tasks._preview_cache(tmp_path, "output") != second


def edit_keeping_size_and_time(article):
    """Replace a word of ``article``'s body with as many X's, and set its modification
    time back: its size and modification time are as they were. Returns the word."""
    stat = article.stat()
    head, body = article.read_text(encoding="utf-8").split("\n\n", 1)
    word = next(w for w in body.split() if w.isalpha() and len(w) >= 5)
    article.write_text(head + "\n\n" + body.replace(word, "X" * len(word), 1), encoding="utf-8")
    os.utime(article, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return word


def test_a_preview_rebuild_sees_an_edit_that_keeps_size_and_modification_time(content, tmp_path):
    # What invoke serve builds with: the content cache, files compared by content.
    settings = tasks.preview_overrides(tmp_path / "cache")
    assert settings["CHECK_MODIFIED_METHOD"] == "md5"
    output = build(tmp_path / "out", content, **settings)
    article = content / "news/column-program-aims.en.md"
    word = edit_keeping_size_and_time(article)
    build(tmp_path / "out", content, **settings)
    assert "X" * len(word) in (output / f"en/{NEWS}/index.html").read_text()
    # (A build from scratch without the cache, with the preview's index shards.)
    assert_same_as_fresh_build(output, content, tmp_path,
                               SEARCH_SHARD_PAGES=settings["SEARCH_SHARD_PAGES"])


def test_a_preview_build_reads_each_file_once_to_see_whether_it_changed(content, tmp_path,
                                                                        monkeypatch):
    # The preview compares files by their md5: Pelican asked for it four or
    # five times a file, each time reading and hashing the file again.
    article = (content / f"{NEWS}.ja.md").read_bytes()
    settings = tasks.preview_overrides(tmp_path / "cache")
    build(tmp_path / "out", content, **settings)
    hashed, md5 = [], hashlib.md5

    def counted(data=b"", **options):
        hashed.append(data)
        return md5(data, **options)

    monkeypatch.setattr(hashlib, "md5", counted)
    edit(content / f"{NEWS}.en.md", "\n\n", f"\n\n{SENTENCE}\n\n")
    output = build(tmp_path / "out", content, **settings)
    assert SENTENCE in (output / f"en/{NEWS}/index.html").read_text()
    assert hashed.count(article) == 1


def test_the_preview_hashes_again_only_the_files_written_since_its_last_build(
        content, tmp_path, monkeypatch):
    """The preview's builds run in one process, which keeps each file's md5 by what
    stat says of the file: a file written since (even to the same size, its
    modification time set back) has a new change time, and only it is read."""
    settings = tasks.preview_overrides(tmp_path / "cache")
    sources = {path.read_bytes(): path.name for path in content.rglob("*.md")}
    hashed, md5 = [], hashlib.md5

    def counted(data=b"", **options):
        hashed.append(data)
        return md5(data, **options)

    monkeypatch.setattr(hashlib, "md5", counted)
    build(tmp_path / "out", content, **settings)
    # Files written a moment ago (the copy of the content) are hashed again:
    # written again within the same tick, stat would not show it.
    hashed.clear()
    build(tmp_path / "out", content, **settings)
    assert sorted(sources[data] for data in hashed if data in sources) == sorted(
        sources.values())
    monkeypatch.setattr(readers_module, "SETTLED_SECONDS", -3600)  # (as if long ago)
    build(tmp_path / "out", content, **settings)
    time.sleep(0.05)  # (the write below in a later tick of the file system's clock)
    article = content / "news/column-program-aims.en.md"
    word = edit_keeping_size_and_time(article)
    sources[article.read_bytes()] = article.name
    hashed.clear()
    output = build(tmp_path / "out", content, **settings)
    assert "X" * len(word) in (output / f"en/{NEWS}/index.html").read_text()
    assert [sources[data] for data in hashed if data in sources] == [article.name]


def count_made_items(monkeypatch):
    """The Markdown files Pelican makes an item of (``read_file``), as they are made."""
    made, read_file = [], pelican_readers.Readers.read_file

    def counted(self, base_path, path, *args, **options):
        if path.endswith(".md"):
            made.append(os.path.basename(path))
        return read_file(self, base_path, path, *args, **options)

    monkeypatch.setattr(pelican_readers.Readers, "read_file", counted)
    return made


def test_the_preview_makes_again_only_the_items_whose_file_changed(content, tmp_path,
                                                                   monkeypatch):
    settings = tasks.preview_overrides(tmp_path / "cache")
    sources = sorted(path.name for path in content.rglob("*.md"))
    made = count_made_items(monkeypatch)
    restored, restore = [], kept_module.restore

    def seen(*args):
        item = restore(*args)
        if item is not None:
            # As the file made it: nothing planning set in an earlier build.
            assert not hasattr(item, "date_display")
            assert not hasattr(item, "language")
            restored.append(item)
        return item

    monkeypatch.setattr(kept_module, "restore", seen)
    build(tmp_path / "out", content, **settings)
    assert sorted(made) == sources
    made.clear()
    build(tmp_path / "out", content, **settings)
    assert made == []
    first = {id(item) for item in restored}
    restored.clear()
    add_a_sentence(content)
    output = build(tmp_path / "out", content, **settings)
    assert made == [f"{NEWS.split('/')[1]}.en.md"]
    assert len(restored) == len(sources) - 1
    assert not first & {id(item) for item in restored}  # (new objects every build)
    assert SENTENCE in (output / f"en/{NEWS}/index.html").read_text()
    assert_same_as_fresh_build(output, content, tmp_path,
                               SEARCH_SHARD_PAGES=settings["SEARCH_SHARD_PAGES"])


def test_a_plugin_that_changes_items_as_they_are_made_sees_every_item_made(content, tmp_path,
                                                                            monkeypatch):
    # Kept items are not made again: with a receiver of Pelican's
    # content_object_init the preview makes every item, every build.
    settings = tasks.preview_overrides(tmp_path / "cache")
    made = count_made_items(monkeypatch)
    heard = []

    def receiver(item):
        heard.append(item)

    signals.content_object_init.connect(receiver)
    try:
        build(tmp_path / "out", content, **settings)
        made.clear()
        heard.clear()
        build(tmp_path / "out", content, **settings)
    finally:
        signals.content_object_init.disconnect(receiver)
    assert sorted(made) == sorted(path.name for path in content.rglob("*.md"))
    assert len(heard) >= len(made)


def test_kept_items_are_made_again_when_the_settings_change(content, tmp_path, monkeypatch):
    settings = tasks.preview_overrides(tmp_path / "cache")
    made = count_made_items(monkeypatch)
    build(tmp_path / "out", content, **settings)
    made.clear()
    # Pelican's items keep their time zone from the settings they are made with.
    output = build(tmp_path / "out", content, **settings, TIMEZONE="UTC")
    assert sorted(made) == sorted(path.name for path in content.rglob("*.md"))
    assert_same_as_fresh_build(output, content, tmp_path, TIMEZONE="UTC",
                               SEARCH_SHARD_PAGES=settings["SEARCH_SHARD_PAGES"])


def test_builds_in_one_process_do_not_keep_the_items_of_earlier_builds(content, tmp_path):
    # invoke serve builds again in the same process on every save.
    def live_items():
        gc.collect()
        return sum(isinstance(thing, Content) for thing in gc.get_objects())

    build(tmp_path / "out", content)
    after_one = live_items()
    for _ in range(3):
        build(tmp_path / "out", content)
    assert live_items() <= after_one


def test_the_preview_collects_garbage_after_its_builds_not_during_them(content, tmp_path):
    # A full collection scans the whole site: the preview's builds run with
    # the collector off, and their garbage is collected after them.
    def live_items():
        gc.collect()
        return sum(isinstance(thing, Content) for thing in gc.get_objects())

    settings = {**tasks.preview_overrides(tmp_path / "cache"), "PATH": str(content),
                "SITEURL": SITEURL, "SEARCH_INDEX": False}
    collector_on = []

    def finalized(pelican):
        collector_on.append(gc.isenabled())

    signals.finalized.connect(finalized)
    try:
        tasks.preview_build(tmp_path / "out", settings)
        tasks.preview_idle()
        assert gc.isenabled()
        after_one = live_items()
        for _ in range(3):
            add_a_sentence(content)
            tasks.preview_build(tmp_path / "out", settings)
            tasks.preview_idle()
            assert gc.isenabled()
    finally:
        signals.finalized.disconnect(finalized)
        gc.enable()
    assert collector_on == [False] * 4
    assert live_items() <= after_one


def test_the_preview_saves_its_cache_and_deletes_the_old_output_after_the_build(
        content, tmp_path, monkeypatch):
    # Staff see the edited page as soon as it is built; the content cache is
    # saved, and the previous output deleted, a moment later, or before the
    # next build when they save again sooner.
    cache = tmp_path / "cache"
    settings = {**tasks.preview_overrides(cache), "PATH": str(content), "SITEURL": SITEURL,
                "SEARCH_INDEX": False}
    tasks.preview_build(tmp_path / "out", settings)
    tasks.preview_idle()
    saved = cache_state(cache)
    monkeypatch.setattr(tasks, "PREVIEW_COLLECT_AFTER", 600)  # (a long moment)
    try:
        add_a_sentence(content)
        output = tasks.preview_build(tmp_path / "out", settings)
        assert SENTENCE in (output / f"en/{NEWS}/index.html").read_text()
        assert cache_state(cache) == saved
        assert list(tmp_path.glob(".out.old-*")) != []
        edit(content / f"{NEWS}.en.md", SENTENCE, SENTENCE + " Once more.")
        tasks.preview_build(tmp_path / "out", settings)
        # (The second build's cache, saved before the third read it.)
        assert cache_state(cache) != saved
        assert "Once more." in (output / f"en/{NEWS}/index.html").read_text()
    finally:
        monkeypatch.setattr(tasks, "PREVIEW_COLLECT_AFTER", 0)
        tasks._PREVIEW_COLLECTOR.pause()
        tasks._PREVIEW_COLLECTOR.collect_later()
        tasks.preview_idle()
    deadline = time.monotonic() + 30
    while list(tmp_path.glob(".out.old-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(tmp_path.glob(".out.old-*")) == []
    assert gc.isenabled()
    # Built through the cache, the site is the one a build without it makes.
    assert_same_as_fresh_build(output, content, tmp_path,
                               SEARCH_SHARD_PAGES=settings["SEARCH_SHARD_PAGES"])


def folders_of(output):
    return sorted(str(p.relative_to(output)) for p in output.rglob("*") if p.is_dir())


def test_a_build_into_folders_made_ahead_is_the_build_from_scratch(content, tmp_path):
    # The preview makes the next build's folders (the output's, one per page)
    # while staff read; the build removes those no page used.
    settings = {"SITEURL": SITEURL, "PATH": str(content), "SEARCH_INDEX": False}
    staging = NextStaging()
    output = tasks.build_site("pelicanconf.py", tmp_path / "out", settings,
                              next_staging=staging)
    staging.wait()
    (prepared,) = tmp_path.glob(".out.new-*")
    assert folders_of(prepared) == folders_of(output)
    assert files_of(prepared) == []  # (the previous output's files stay its own)
    # The article moves to another address: its old folders are left unused.
    for lang in ("ja", "en"):
        edit(content / f"{NEWS}.{lang}.md", "Slug: column-program-aims",
             "Slug: column-program-aims-moved")
    tasks.build_site("pelicanconf.py", tmp_path / "out", settings, next_staging=staging)
    assert not prepared.exists()  # (it is the output now)
    assert not (output / NEWS).exists() and (output / f"{NEWS}-moved").is_dir()
    assert_same_as_fresh_build(output, content, tmp_path)
    assert folders_of(output) == folders_of(tmp_path / "fresh")
    staging.wait()
    staging.discard()
    assert list(tmp_path.glob(".out.new-*")) == []


def test_folders_still_being_made_are_not_waited_for_and_are_deleted(content, tmp_path,
                                                                     monkeypatch):
    # Staff who save right after a build do not wait for the next one's
    # folders: the build makes its own, and the half-made folder goes.
    settings = {"SITEURL": SITEURL, "PATH": str(content), "SEARCH_INDEX": False}
    staging = NextStaging()
    tasks.build_site("pelicanconf.py", tmp_path / "out", settings)
    release = threading.Event()
    make = staging.make
    monkeypatch.setattr(staging, "make", lambda *args: release.wait(30) and make(*args))
    staging.prepare(tmp_path / "out")
    (prepared,) = tmp_path.glob(".out.new-*")
    add_a_sentence(content)
    output = tasks.build_site("pelicanconf.py", tmp_path / "out", settings,
                              next_staging=staging)
    assert SENTENCE in (output / f"en/{NEWS}/index.html").read_text()
    release.set()
    staging.wait()
    assert not prepared.exists()
    assert_same_as_fresh_build(output, content, tmp_path)


def test_preview_housekeeping_that_fails_is_reported_and_the_rest_still_done():
    # (A cache that cannot be saved loses nothing; staff are told, and the
    # old output is still deleted.) What is left when the process ends is
    # done then.
    collector, done, reported = tasks.PreviewCollector(), [], []
    collector.report = reported.append

    def full_disk():
        raise OSError("No space left on device")

    collector.housekeeping += [(full_disk, ()), (done.append, ("deleted",))]
    collector.pause()
    gc.enable()
    assert done == ["deleted"] and [str(error) for error in reported] == [
        "No space left on device"]
    collector.housekeeping.append((done.append, ("saved",)))
    collector.keep_house_at_exit()
    assert done == ["deleted", "saved"] and collector.housekeeping == []


@pytest.mark.parametrize("index", [True, False], ids=["index", "no-index"])
def test_a_build_failing_while_the_index_is_built_leaves_the_output_as_it_was(
    content, tmp_path, monkeypatch, index
):
    # The search index is built in the background from the moment the
    # content pages are written (without it, the pages themselves are
    # written by child processes while the feeds are made); a later failure
    # must still leave nothing.
    settings = {"SEARCH_INDEX": index, "SEARCH_SHARD_PAGES": 10}
    output = build(tmp_path / "out", content, **settings)
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    add_a_sentence(content)

    def broken(self, writer):
        raise RuntimeError("feeds broke")

    monkeypatch.setattr(FeedsGenerator, "generate_output", broken)
    with pytest.raises(tasks.BuildFailed, match="feeds broke"):
        build(tmp_path / "out", content, **settings)
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.new-")] == []


def test_plugins_that_read_the_whole_output_find_every_page(content, tmp_path, monkeypatch):
    # Without the index, the pages are written by child processes while this
    # one makes the feeds, calendars and sitemap. Every page must be there
    # by the time the assets plugin compresses the output: here the children
    # wait until it starts compressing (or 2 s, when it waits for them).
    compressing = tmp_path / "compressing"
    write_pages = BilingualGenerator.write_pages

    def late(self, *args, **kwargs):
        deadline = time.monotonic() + 2
        while not compressing.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return write_pages(self, *args, **kwargs)

    precompress = assets_plugin.precompress

    def marking(*args, **kwargs):
        compressing.touch()
        return precompress(*args, **kwargs)

    monkeypatch.setattr(BilingualGenerator, "write_pages", late)
    monkeypatch.setattr(assets_plugin, "precompress", marking)
    output = build(tmp_path / "out", content, ASSETS_PRECOMPRESS=True)
    pages = [path for path in output.rglob("*.html") if not path.name.startswith(".")]
    assert len(pages) > 50
    missing = [path for path in pages if not path.with_name(path.name + ".gz").is_file()]
    assert missing == []
    manifest = json.loads((output / ".build-manifest.json").read_text())
    assert set(manifest["pages"]) == {str(path.relative_to(output)) for path in pages}


def test_a_page_failing_in_the_background_fails_the_build(content, tmp_path, monkeypatch):
    # A list page that cannot be rendered while the feeds are made stops the
    # build as any other error does, and the last good output stays.
    output = build(tmp_path / "out", content)
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    add_a_sentence(content)
    write_pages = BilingualGenerator.write_pages

    def failing(self, writer, specs, *args, **kwargs):
        if any(spec.key[0] == "tag" for spec in specs):
            raise RuntimeError("a tag page broke")
        return write_pages(self, writer, specs, *args, **kwargs)

    monkeypatch.setattr(BilingualGenerator, "write_pages", failing)
    # (The message is the child process's error, not only that one failed.)
    with pytest.raises(tasks.BuildFailed, match="a tag page broke"):
        build(tmp_path / "out", content)
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.new-")] == []
