"""Feeds as feed readers meet them: parsed with feedparser and lxml, never grepped."""

import datetime
import email.utils
import json
from pathlib import Path

import feedparser
import lxml.html
import pytest
from lxml import etree
from pelican.settings import read_settings
from support import ROOT, SITEURL, build, write_content

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED_TYPES = {"application/atom+xml": "atom", "application/rss+xml": "rss"}
EXPECTED_IDS = json.loads((Path(__file__).parent / "fixtures/feed_ids.json").read_text("utf-8"))


def feed_files(site):
    return sorted(site.output.rglob("*.atom.xml")) + sorted(site.output.rglob("*.rss.xml"))


def url_of(site, path):
    return f"{SITEURL}/{site.relative(path)}"


def parse_xml(path):
    return etree.fromstring(path.read_bytes())


def atom_entries(path):
    return parse_xml(path).findall(f"{ATOM}entry")


def rss_items(path):
    return parse_xml(path).find("channel").findall("item")


def twin(path):
    """The RSS file of an Atom file and the other way round."""
    name = path.name
    if name.endswith(".atom.xml"):
        return path.with_name(name.replace(".atom.xml", ".rss.xml"))
    return path.with_name(name.replace(".rss.xml", ".atom.xml"))


def test_every_feed_is_well_formed_and_parses(site):
    files = feed_files(site)
    assert len(files) >= 2 * 2 * (1 + 2 + 3)  # langs x formats x (news, categories, projects)
    for path in files:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (site.relative(path), parsed.get("bozo_exception"))
        assert parsed.version == ("atom10" if path.name.endswith(".atom.xml") else "rss20")
        assert parsed.entries, site.relative(path)


def test_every_feed_a_page_announces_exists(site):
    announced = set()
    for page_path in site.html_files():
        page = site.page(site.relative(page_path))
        for link in page.select('link[rel="alternate"][type]'):
            if link["type"] in FEED_TYPES:
                assert link.get("title"), site.relative(page_path)
                announced.add(link["href"])
        main = page.select('link[rel="alternate"][type="application/atom+xml"]')
        prefix = "en/" if page.html["lang"] == "en" else ""
        assert main[0]["href"] == f"{SITEURL}/{prefix}feeds/news.atom.xml", site.relative(page_path)
    for href in announced:
        assert site.file_for(href).exists(), href
    assert announced == {url_of(site, path) for path in feed_files(site)}


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("news/category/column/", "feeds/category/column.atom.xml"),
        ("en/news/category/column/page/1/", None),
        ("en/news/category/column/", "en/feeds/category/column.atom.xml"),
        ("projects/mysos/", "feeds/projects/mysos.atom.xml"),
    ],
)
def test_list_pages_announce_their_own_feed(site, page, feed):
    if feed is None:
        assert not (site.output / page).exists()
        return
    hrefs = [
        link["href"]
        for link in site.page(page).select('link[rel="alternate"][type="application/atom+xml"]')
    ]
    assert f"{SITEURL}/{feed}" in hrefs


def test_feeds_carry_their_language_and_titles_in_it(site):
    for path in feed_files(site):
        lang = "en" if site.relative(path).startswith("en/") else "ja"
        root = parse_xml(path)
        if root.tag == f"{ATOM}feed":
            assert root.get(XML_LANG) == lang
            title = root.findtext(f"{ATOM}title")
        else:
            assert root.findtext("channel/language") == lang
            title = root.findtext("channel/title")
        japanese = any("\u3040" <= ch <= "\u9fff" for ch in title)
        assert japanese == (lang == "ja"), (site.relative(path), title)
    ja = feedparser.parse((site.output / "feeds/news.atom.xml").read_bytes())
    assert ja.feed.title.endswith("：お知らせ（すべて）")
    assert ja.feed.subtitle


def test_no_two_feeds_of_a_language_share_a_title(site):
    # A reader subscribed to both must tell them apart (the all-news feed and
    # the "announcements" category feed were both "…：お知らせ").
    for prefix in ("", "en/"):
        titles = {}
        for path in (site.output / prefix / "feeds").rglob("*.atom.xml"):
            title = feedparser.parse(path.read_bytes()).feed.title
            assert title not in titles, (site.relative(path), titles.get(title))
            titles[title] = site.relative(path)
        assert len(titles) > 5
    english = feedparser.parse((site.output / "en/feeds/news.rss.xml").read_bytes())
    assert english.feed.title.endswith(": All news")


def test_self_link_is_the_feed_and_page_link_is_the_html_page(site):
    for path in feed_files(site):
        root = parse_xml(path)
        own_url = url_of(site, path)
        if root.tag == f"{ATOM}feed":
            links = root.findall(f"{ATOM}link")
            self_links = [link.get("href") for link in links if link.get("rel") == "self"]
            pages = [link.get("href") for link in links if link.get("rel") == "alternate"]
        else:
            channel = root.find("channel")
            self_links = [
                link.get("href") for link in channel.findall(f"{ATOM}link")
                if link.get("rel") == "self"
            ]
            pages = [channel.findtext("link")]
        assert self_links == [own_url]
        assert len(pages) == 1 and pages[0] != own_url
        assert site.file_for(pages[0]).name == "index.html" and site.file_for(pages[0]).exists()


def test_entry_ids_are_tag_uris_unique_per_feed(site):
    for path in site.output.rglob("*.atom.xml"):
        ids = [entry.findtext(f"{ATOM}id") for entry in atom_entries(path)]
        assert len(ids) == len(set(ids)), site.relative(path)
        assert all(entry_id.startswith("tag:") for entry_id in ids)


@pytest.mark.parametrize("feed", [key for key in EXPECTED_IDS if not key.startswith("_")])
def test_entry_ids_match_the_committed_fixture(site, feed):
    ids = [entry.findtext(f"{ATOM}id") for entry in atom_entries(site.output / feed)]
    assert ids == EXPECTED_IDS[feed]


def test_one_article_has_one_id_in_every_feed_and_languages_differ(site):
    ids_by_link = {}
    for path in site.output.rglob("*.atom.xml"):
        for entry in atom_entries(path):
            link = entry.find(f"{ATOM}link").get("href")
            ids_by_link.setdefault(link, set()).add(entry.findtext(f"{ATOM}id"))
    assert all(len(ids) == 1 for ids in ids_by_link.values())
    ja = ids_by_link[f"{SITEURL}/news/column-105-business-promotion-projects/"]
    en = ids_by_link[f"{SITEURL}/en/news/column-105-business-promotion-projects/"]
    assert ja != en


def test_entries_newest_first_and_feed_updated_is_the_newest_entry(site):
    for path in site.output.rglob("*.atom.xml"):
        root = parse_xml(path)
        entries = root.findall(f"{ATOM}entry")
        published = [datetime.datetime.fromisoformat(e.findtext(f"{ATOM}published"))
                     for e in entries]
        assert published == sorted(published, reverse=True), site.relative(path)
        updated = [datetime.datetime.fromisoformat(e.findtext(f"{ATOM}updated")) for e in entries]
        assert datetime.datetime.fromisoformat(root.findtext(f"{ATOM}updated")) == max(updated)


def test_dates_are_rfc3339_in_atom_and_rfc822_in_rss_with_offsets(site):
    for path in site.output.rglob("*.atom.xml"):
        root = parse_xml(path)
        for element in root.iter(f"{ATOM}updated", f"{ATOM}published"):
            text = element.text
            assert "T" in text
            assert datetime.datetime.fromisoformat(text).utcoffset() is not None, text
    for path in site.output.rglob("*.rss.xml"):
        channel = parse_xml(path).find("channel")
        dates = [channel.findtext("lastBuildDate")] + [
            i.findtext("pubDate") for i in channel.findall("item")]
        for text in dates:
            parsed = email.utils.parsedate_to_datetime(text)
            assert parsed.utcoffset() == datetime.timedelta(hours=9), text
            assert text[:3] in {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
            assert text[:3] == parsed.strftime("%a")


def test_atom_and_rss_of_one_list_carry_the_same_entries(site):
    for path in site.output.rglob("*.atom.xml"):
        atom = [(e.findtext(f"{ATOM}id"), e.find(f"{ATOM}link").get("href"))
                for e in atom_entries(path)]
        rss = [(i.findtext("guid"), i.findtext("link")) for i in rss_items(twin(path))]
        assert atom == rss, site.relative(path)


def test_entries_have_full_html_content_summary_categories_and_one_link(site):
    for path in site.output.rglob("*.atom.xml"):
        root = parse_xml(path)
        assert root.find(f"{ATOM}author/{ATOM}name").text
        for entry in root.findall(f"{ATOM}entry"):
            content = entry.find(f"{ATOM}content")
            assert content.get("type") == "html"
            assert entry.findtext(f"{ATOM}summary")
            assert len(entry.findall(f"{ATOM}link")) == 1
    item = rss_items(site.output / "feeds/news.rss.xml")[0]
    assert item.findtext("description")
    assert item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded").startswith("<")
    assert [c.text for c in item.findall("category")]


def test_no_relative_url_is_left_in_entry_content(site):
    for path in site.output.rglob("*.atom.xml"):
        for entry in atom_entries(path):
            html = entry.findtext(f"{ATOM}content")
            fragment = lxml.html.fragment_fromstring(html, create_parent="div")
            for element in fragment.iter():
                for attribute in ("href", "src"):
                    value = element.get(attribute)
                    if value is not None:
                        assert value.startswith(("https://", "http://", "mailto:")), value
                for candidate in (element.get("srcset") or "").split(","):
                    if candidate.strip():
                        assert candidate.split()[0].startswith("https://"), candidate


def test_links_and_images_in_content_become_absolute(tiny_site):
    # (Drawings: photos become <picture>s, tested with the photos; these stay as written.)
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>'
    site = tiny_site({
        "images/x.svg": svg,
        "images/x2.svg": svg,
        "news/a.ja.md": """\
            Title: 記事
            Slug: a
            Lang: ja
            Date: 2022-01-01 10:00
            Category: announcements

            [一覧](/news/) と [同じ記事の節](#part) と [相対](../b/)。

            <img src="/images/x.svg" alt="図" srcset="/images/x.svg 1x, /images/x2.svg 2x">
            """,
    })
    entry = atom_entries(site.output / "feeds/news.atom.xml")[0]
    fragment = lxml.html.fragment_fromstring(entry.findtext(f"{ATOM}content"), create_parent="div")
    hrefs = [a.get("href") for a in fragment.iter("a")]
    assert hrefs == [f"{SITEURL}/news/", f"{SITEURL}/news/a/#part", f"{SITEURL}/news/b/"]
    image = next(fragment.iter("img"))
    assert image.get("src") == f"{SITEURL}/images/x.svg"
    assert image.get("srcset") == f"{SITEURL}/images/x.svg 1x, {SITEURL}/images/x2.svg 2x"


def test_title_with_markup_characters_and_japanese_round_trips(tiny_site):
    title = "R&D <速報> 「健康」& データ"
    site = tiny_site({
        "news/a.ja.md": f"""\
            Title: {title}
            Slug: a
            Lang: ja
            Date: 2022-01-01 10:00
            Category: announcements

            本文
            """,
    })
    for name in ("feeds/news.atom.xml", "feeds/news.rss.xml"):
        parsed = feedparser.parse((site.output / name).read_bytes())
        assert parsed.bozo == 0
        assert parsed.entries[0].title == title


def test_feed_max_items_and_identical_bytes_on_rebuild(tmp_path):
    files = {}
    for n in range(1, 5):
        files[f"news/{n}.en.md"] = f"""\
            Title: Item {n}
            Slug: item-{n}
            Lang: en
            Date: 2022-0{n}-01 10:00
            Category: announcements

            Body {n}
            """
    content = write_content(tmp_path / "content", files)
    first = build(tmp_path / "one", content, FEED_MAX_ITEMS=2)
    second = build(tmp_path / "two", content, FEED_MAX_ITEMS=2)
    for path in first.rglob("*.xml"):
        assert path.read_bytes() == (second / path.relative_to(first)).read_bytes()
    parsed = feedparser.parse((first / "en/feeds/news.rss.xml").read_bytes())
    titles = [e.title for e in parsed.entries]
    assert titles == ["Item 4", "Item 3"]


def test_project_feeds_hold_only_items_that_mention_the_project(site):
    for lang_prefix in ("", "en/"):
        path = site.output / lang_prefix / "feeds/projects/mysos.atom.xml"
        for entry in atom_entries(path):
            page = site.page(site.relative(site.file_for(entry.find(f"{ATOM}link").get("href"))))
            related = [
                site.relative(site.file_for(a["href"]))
                for a in page.select("section.entry-related a")
            ]
            assert f"{lang_prefix}projects/mysos/index.html" in related


def test_news_feeds_hold_no_project_profile_or_report(site):
    for lang_prefix in ("", "en/"):
        for entry in atom_entries(site.output / lang_prefix / "feeds/news.atom.xml"):
            link = entry.find(f"{ATOM}link").get("href")
            assert link.startswith(f"{SITEURL}/{lang_prefix}news/"), link


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_subscribe_page_lists_every_feed_of_its_language(site, prefix):
    page = site.page(prefix + "subscribe/")
    listed = {a["href"] for a in page.select(".feed-list a")}
    own = {
        url_of(site, path) for path in feed_files(site)
        if site.relative(path).startswith("en/") == bool(prefix)
    }
    assert listed == own


def test_every_entry_names_its_author_in_its_language(site):
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    for path in feed_files(site):
        lang = "en" if site.relative(path).startswith("en/") else "ja"
        for entry in feedparser.parse(path.read_bytes()).entries:
            assert entry.get("author") == settings["FEEDS_AUTHORS"][lang], (
                site.relative(path), entry.title)


def test_an_items_own_author_is_its_entries_author(tiny_site):
    site = tiny_site({
        "news/a.ja.md": """\
            Title: 寄稿
            Slug: a
            Lang: ja
            Date: 2022-01-01 10:00
            Category: column
            Author: 山田 花子

            本文
            """,
    })
    for name in ("feeds/news.atom.xml", "feeds/news.rss.xml", "feeds/category/column.rss.xml"):
        (entry,) = feedparser.parse((site.output / name).read_bytes()).entries
        assert entry.author == "山田 花子", name
