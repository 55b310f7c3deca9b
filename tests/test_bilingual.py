"""The bilingual plugin on tiny sites: pairing, fallbacks, errors, escaping, leaks."""

import datetime
import re
import shutil
import types
import zoneinfo

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from bilingual import routes
from bilingual.build import build_time
from bilingual.contents import Article, shorten
from bilingual.digest import Digester
from bilingual.files import display_path
from bilingual.generator import BilingualGenerator
from bilingual.i18n import format_day
from bilingual.kinds import KINDS
from bilingual.languages import site_languages
from checks.checks import check_content
from markupsafe import Markup
from pelican import signals
from pelican.contents import Article as PelicanArticle
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import SafeDatetime
from support import ROOT, build, write_content

import tasks

NEWS_JA = """\
    Title: 記事 {n}
    Slug: item-{n}
    Lang: ja
    Date: 2022-0{n}-01 10:00
    Category: announcements
    Summary: 要約 {n}

    本文 {n}
    """

NEWS_EN = """\
    Title: Item {n}
    Slug: item-{n}
    Lang: en
    Date: 2022-0{n}-01 10:00
    Category: announcements
    Summary: Summary {n}

    Body {n}
    """


def pair(n):
    return {
        f"news/item-{n}.ja.md": NEWS_JA.format(n=n),
        f"news/item-{n}.en.md": NEWS_EN.format(n=n),
    }


def test_translations_pair_on_slug_and_paths_mirror(tiny_site):
    site = tiny_site(pair(1))
    ja = site.page("news/item-1/")
    en = site.page("en/news/item-1/")
    assert ja.h1.get_text() == "記事 1" and en.h1.get_text() == "Item 1"
    assert ja.select_one("nav.language-switch a")["href"].endswith("/en/news/item-1/")
    assert en.select_one("nav.language-switch a")["href"].endswith("/news/item-1/")


def test_pelicans_item_dates_are_written_as_each_language_writes_them(tiny_site, monkeypatch):
    # Templates written for Pelican show ``locale_date``: the date in the
    # item's language, as our pages show it, not Pelican's English pattern.
    items = []
    generate_output = BilingualGenerator.generate_output

    def kept(self, writer):
        items.extend(item for kind in self.site.items.values() for item in kind)
        return generate_output(self, writer)

    monkeypatch.setattr(BilingualGenerator, "generate_output", kept)
    files = pair(3)
    files["news/item-3.en.md"] = files["news/item-3.en.md"].replace(
        "Category:", "Modified: 2022-04-02 09:00\n    Category:")
    tiny_site(files)
    dates = {item.lang: (item.locale_date, getattr(item, "locale_modified", None))
             for item in items}
    assert dates == {"ja": ("2022年3月1日", None), "en": ("1 March 2022", "2 April 2022")}


def test_a_day_is_written_as_the_time_zone_of_its_moment_has_it():
    # (The formatted days are remembered by day: the day is the moment's own.)
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    ja, en = site_languages(DEFAULT_CONFIG)  # (the plugin's defaults: ja, en)
    just_after_midnight = datetime.datetime(2022, 3, 1, 0, 30, tzinfo=tokyo)
    assert format_day(just_after_midnight, ja) == "2022年3月1日"
    assert format_day(just_after_midnight.astimezone(datetime.UTC), en) == "28 February 2022"
    assert format_day(datetime.date(2022, 3, 1), en) == "1 March 2022"


def test_english_only_item_falls_back_to_the_japanese_list(tiny_site):
    site = tiny_site({"news/only.en.md": NEWS_EN.format(n=2)})
    switch = site.page("en/news/item-2/").select_one("nav.language-switch a")
    assert site.file_for(switch["href"]) == site.output / "news/index.html"
    assert "お知らせ一覧" in switch.select_one(".language-switch__note").get_text()
    assert not (site.output / "news/item-2").exists()


def test_paginated_list_pages_switch_to_the_same_list(tiny_site):
    files = {}
    for n in range(1, 4):
        files.update(pair(n))
    site = tiny_site(files, BILINGUAL_PAGINATION=1)
    page = site.page("news/page/3/")
    switch = page.select_one("nav.language-switch a")
    assert site.file_for(switch["href"]) == site.output / "en/news/page/3/index.html"


def test_metadata_markup_is_escaped_and_body_markdown_renders(tiny_site):
    site = tiny_site({
        "news/x.ja.md": """\
            Title: <script>alert(1)</script> & 記事
            Slug: x
            Lang: ja
            Date: 2022-01-01 10:00
            Category: announcements
            Summary: <b>太字</b>ではない

            **本文**は強調されます。
            """,
    })
    page = site.page("news/x/")
    assert page.h1.get_text() == "<script>alert(1)</script> & 記事"
    assert [s["type"] for s in page.find_all("script")] == ["application/ld+json"] * 2
    assert all("<script>" not in s.string for s in page.find_all("script"))
    assert page.select_one(".entry-body strong").get_text() == "本文"
    assert page.find("meta", attrs={"name": "description"})["content"] == "<b>太字</b>ではない"


def test_drafts_and_embargoed_items_leave_no_trace(tiny_site):
    future = (build_time() + datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    site = tiny_site({
        **pair(1),
        "news/draft.ja.md": """\
            Title: 下書きの記事
            Slug: secret-draft
            Lang: ja
            Date: 2022-01-01 10:00
            Category: announcements
            Status: draft
            Tags: drafttag

            下書き
            """,
        "news/embargo.en.md": f"""\
            Title: Embargoed press item
            Slug: secret-embargo
            Lang: en
            Date: {future}
            Category: announcements
            Tags: embargotag

            Not yet.
            """,
    })
    for path in site.output.rglob("*"):
        relative = site.relative(path)
        assert "secret" not in relative and "drafts" not in relative
        if path.is_file() and path.suffix in {".html", ".xml", ".ics", ".csv", ".json", ".txt"}:
            text = path.read_text(encoding="utf-8")
            for word in ("下書きの記事", "Embargoed press item", "secret-", "drafttag",
                         "embargotag"):
                assert word not in text, f"{word} leaks into {site.relative(path)}"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"news/a.ja.md": NEWS_JA.format(n=1).replace("Lang: ja", "Lang: jp")},
            "news/a.ja.md: Lang: 'jp' is not a site language — write one of ja, en",
        ),
        (
            {"news/a.ja.md": NEWS_JA.format(n=1).replace("Slug: item-1", "Slug: 記事")},
            "news/a.ja.md: Slug: '記事' is not a valid slug — use lowercase ASCII letters",
        ),
        (
            {"news/a.ja.md": NEWS_JA.format(n=1), "news/b.ja.md": NEWS_JA.format(n=1)},
            "news/b.ja.md: Slug: 'item-1' is already used by ",
        ),
        (
            {"news/a.ja.md": NEWS_JA.format(n=1).replace(
                "Summary", "Projects: nosuch\n    Summary")},
            "news/a.ja.md: Projects: no published project has the slug 'nosuch'",
        ),
        (
            {"projects/p.ja.md": """\
                Title: プロジェクト
                Slug: p
                Lang: ja
                Track: business-promotion
                Fiscal-Year: 2022

                本文
                """},
            "projects/p.ja.md: Lead: missing — add a line “Lead: …” to the metadata at the top",
        ),
    ],
)
def test_generator_refuses_bad_content_even_without_the_checks_plugin(
    tmp_path, monkeypatch, files, message
):
    # The checks plugin reports these first, with line numbers (test_checks.py);
    # the generator still refuses to build a wrong site without it. Signals are
    # process-wide, so the plugin's handler is disconnected for this build.
    signals.initialized.disconnect(check_content)
    try:
        content = write_content(tmp_path / "content", files)
        with pytest.raises(tasks.BuildFailed) as failure:
            build(tmp_path / "output", content, PLUGINS=["bilingual", "events", "feeds"])
    finally:
        signals.initialized.connect(check_content)
    assert message in str(failure.value)
    assert not (tmp_path / "output").exists()


def test_a_shared_partial_that_reads_the_page_stops_the_build_by_name(tmp_path):
    # Shared partials are rendered once per language and section: the language
    # switch (it links the page's own translation) must not be one.
    content = write_content(tmp_path / "content", pair(1))
    with pytest.raises(tasks.BuildFailed) as failure:
        build(tmp_path / "output", content, BILINGUAL_SHARED_PARTIALS={
            "menu_html": "_partials/nav.html",
            "footer_html": "_partials/language_switch.html",
        })
    assert "_partials/language_switch.html reads language_switch" in str(failure.value)
    assert not (tmp_path / "output").exists()


def test_failed_build_leaves_the_previous_output_untouched(tmp_path):
    content = write_content(tmp_path / "content", pair(1))
    output = build(tmp_path / "output", content)
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    write_content(content, {"news/bad.ja.md": NEWS_JA.format(n=2).replace("Lang: ja", "Lang: xx")})
    with pytest.raises(tasks.BuildFailed):
        build(output, content)
    after = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".output")] == []


def test_every_ui_string_and_staff_message_has_a_japanese_translation():
    """The theme's labels and every message staff read (checks, `invoke new`, the
    preview) are in the Japanese catalog, with the same placeholders."""
    with open(ROOT / "theme/translations/ja/LC_MESSAGES/messages.po", "rb") as po:
        catalog = read_po(po, locale="ja")
    method_map = [("plugins/**.py", "python"), ("tasks.py", "python"),
                  ("theme/templates/**.html", "jinja2")]
    options = {"theme/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    used = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT, method_map, options, directory_filter=lambda d: ".venv" not in d
        )
    }
    assert len(used) > 200
    assert "'%(value)s' is not a date" in used and "Created %(file)s" in used
    untranslated = sorted(m for m in used if not (catalog.get(m) and catalog.get(m).string))
    assert untranslated == []
    placeholder = re.compile(r"%\((\w+)\)")
    mismatched = [m for m in used if isinstance(m, str) and set(placeholder.findall(m))
                  != set(placeholder.findall(catalog.get(m).string))]
    assert mismatched == []


def test_fallback_goes_to_the_nearest_list_then_home():
    table = routes.Routes(("ja", "en"))
    # (As a build's Site teaches it, from each kind's record.)
    for kind in KINDS:
        table.fallback_kinds[kind.page_kind] = kind.fallback
    table.add(("home", None, 1), "en", "en/")
    table.add(("news", None, 1), "en", "en/news/")
    table.add(("article", "a", 1), "ja", "news/a/")
    assert table.nearest(("article", "a", 1), "en") == ("en/news/", "news")
    assert table.nearest(("project", "p", 1), "en") == ("en/", "home")
    assert table.nearest(("news", None, 4), "en") == ("en/news/", None)


def test_pagination_urls_and_chunks():
    assert routes.paginate([], 10) == [[]]
    assert routes.paginate(list(range(5)), 2) == [[0, 1], [2, 3], [4]]
    assert routes.numbered_url("en/news/", 1, "page/{number}/") == "en/news/"
    assert routes.numbered_url("en/news/", 3, "page/{number}/") == "en/news/page/3/"
    assert routes.save_as_for("") == "index.html"
    assert routes.save_as_for("en/404.html") == "en/404.html"


def test_pagination_shows_a_window_of_pages_not_all_of_them():
    assert routes.page_window(1, 3) == [1, 2, 3]
    assert routes.page_window(1, 50) == [1, 2, 3, None, 50]
    assert routes.page_window(25, 50) == [1, None, 23, 24, 25, 26, 27, None, 50]
    assert routes.page_window(50, 50) == [1, None, 48, 49, 50]
    assert routes.page_window(4, 7) == [1, 2, 3, 4, 5, 6, 7]


def test_summaries_are_cut_at_words_in_english_and_characters_in_japanese():
    assert shorten("one two three four", 9) == "one two…"
    assert shorten("あいうえおかきくけこ", 5) == "あいうえお…"
    assert shorten("short", 9) == "short"


def test_build_time_comes_from_source_date_epoch():
    assert build_time({"SOURCE_DATE_EPOCH": "0"}) == datetime.datetime(
        1970, 1, 1, tzinfo=datetime.UTC)


def test_file_names_in_messages_are_relative_to_the_working_folder_when_inside_it(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    inside = tmp_path / "content" / "news" / "a.ja.md"
    assert display_path(str(inside)) == "content/news/a.ja.md"
    assert display_path(str(tmp_path / "content" / ".." / "b.md")) == "b.md"
    assert display_path(str(tmp_path) + "x/c.md") == str(tmp_path) + "x/c.md"  # a sibling
    assert display_path("/elsewhere/d.md") == "/elsewhere/d.md"
    assert display_path("content/e.md") == "content/e.md"


@pytest.mark.parametrize("body", [
    '<p>No link here.</p>',
    '<p><a href="{static}/files/guide.pdf">Guide</a> and <img src="|static|/img/a.png"></p>',
    '<p><a href="{filename}/news/other.md">Other</a>, a brace { and a bar |.</p>',
    '<p><a href="https://example.test/?a={x}">Outside</a></p>',
])
def test_static_links_are_pelicans(body):
    # Items skip Pelican's scan for intrasite links when the text cannot hold
    # one: what they find must be what Pelican finds.
    settings = {**DEFAULT_CONFIG, "PATH": str(ROOT / "content")}
    metadata = {"title": "T", "date": datetime.datetime(2026, 1, 1)}
    ours = Article(body, metadata=dict(metadata), settings=settings,
                   source_path=str(ROOT / "content/news/t.en.md"), context={})
    pelicans = PelicanArticle(body, metadata=dict(metadata), settings=settings,
                              source_path=str(ROOT / "content/news/t.en.md"), context={})
    assert ours.get_static_links() == pelicans.get_static_links()


def test_a_digester_takes_the_item_tokens_a_forked_process_found(monkeypatch):
    # The processes that fingerprint the list pages take the item tokens the
    # processes before them found (item_tokens / adopt_item_tokens): the
    # digests are the same, and no item is encoded again.
    settings = {**DEFAULT_CONFIG, "PATH": str(ROOT / "content")}
    items = [Article(f"<p>Body {n}</p>", metadata={"title": f"T{n}", "date":
                     datetime.datetime(2026, 1, n + 1)}, settings=settings,
                     source_path=str(ROOT / f"content/news/t{n}.en.md"), context={})
             for n in range(5)]
    first = Digester()
    expected = first.digest({"articles": items})
    second = Digester()
    second.adopt_item_tokens(first.item_tokens(), items)
    encoded = []
    fields = Digester.fields
    monkeypatch.setattr(Digester, "fields",
                        lambda self, value: encoded.append(value) or fields(self, value))
    assert second.digest({"articles": items}) == expected
    assert [value for value in encoded if isinstance(value, Article)] == []
    # Tokens of objects it does not know are left.
    third = Digester()
    third.adopt_item_tokens(first.item_tokens(), items[:2])
    assert third.digest({"articles": items}) == expected
    assert len([value for value in encoded if isinstance(value, Article)]) == 3


def test_a_page_counts_the_data_of_the_items_it_links_not_their_objects():
    # A page's fingerprint walks the items it links by their data only: text
    # (Markup and Pelican's dates are text and dates too) and lists of it
    # count, whatever order their types are met in; objects do not.
    settings = {**DEFAULT_CONFIG, "PATH": str(ROOT / "content")}
    page_item, linked = (Article(f"<p>Body {n}</p>", metadata={"title": f"T{n}"},
                                 settings=settings, context={},
                                 source_path=str(ROOT / f"content/news/t{n}.en.md"))
                         for n in range(2))
    page_item.translations = [linked]
    linked.owner = types.SimpleNamespace(name="a")
    linked.label, linked.names = Markup("<b>A</b>"), ["a", "b"]
    linked.day = SafeDatetime(2026, 1, 1)

    def digest():
        return Digester().digest({"article": page_item})

    before = digest()
    for name, other in (("label", Markup("<b>B</b>")), ("names", ["a", "c"]),
                        ("day", SafeDatetime(2026, 1, 2))):
        kept = getattr(linked, name)
        setattr(linked, name, other)
        assert digest() != before, name
        setattr(linked, name, kept)
    assert digest() == before
    linked.owner = types.SimpleNamespace(name="b")
    assert digest() == before


def test_an_editors_files_in_the_theme_do_not_stop_a_build(tmp_path):
    # A build from scratch compiles the theme's templates ahead of time; a
    # swap or backup file an editor leaves beside them is no template.
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "templates" / ".article.html.swp").write_bytes(b"b0VIM 9.0\x00\xff\xfe{% if")
    (theme / "templates" / "article.html~").write_text("{% if %}", encoding="utf-8")
    (theme / "templates" / "unused.html").write_text("{% if %}", encoding="utf-8")
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    output = build(tmp_path / "out", content, THEME=str(theme))
    assert (output / "news/index.html").is_file()
    assert (output / "en/news/index.html").is_file()


def test_a_broken_template_is_named_with_its_line_and_the_last_site_stays(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    output = build(tmp_path / "out", content, THEME=str(theme))
    before = (output / "news/tag/index.html").read_bytes()
    tags = theme / "templates" / "tags.html"
    tags.write_text(tags.read_text(encoding="utf-8") + "\n{% if %}\n", encoding="utf-8")
    with pytest.raises(tasks.BuildFailed) as failed:
        build(tmp_path / "out", content, THEME=str(theme))
    lines = tags.read_text(encoding="utf-8").count("\n")
    assert str(failed.value).startswith(f"{tags}, line {lines}: ")
    assert (output / "news/tag/index.html").read_bytes() == before
