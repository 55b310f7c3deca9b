"""Found and findable: sitemap, robots.txt, canonical links, link previews, JSON-LD, search index.

The sitemap is parsed with lxml, pages with an HTML parser, JSON-LD with json.
"""

import datetime
import gzip
import json
import re
import shutil

import pytest
from lxml import etree
from search.search import index_shard, index_shards, indexed_html
from search.service import PagefindError, PagefindService
from support import SITEURL

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# W3C datetime (the sitemap protocol's lastmod): a date, or a time with its offset.
W3C_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?")
XHTML = "{http://www.w3.org/1999/xhtml}"
CONTENT_PAGES = {
    "news/column-105-business-promotion-projects/": "news",
    "reports/tokyo-wellness-networking-2022-report/": "report",
    "projects/boshimo/": "project",
    "events/wellness-data-seminar-2026/": "event",
    "about/": "page",
}
LIST_PAGES = ["", "news/", "projects/", "events/", "events/2026/12/", "subscribe/", "search/"]


def sitemap_entries(site):
    root = etree.fromstring((site.output / "sitemap.xml").read_bytes())
    entries = {}
    for url in root.findall(f"{SITEMAP}url"):
        alternates = {link.get("hreflang"): link.get("href")
                      for link in url.findall(f"{XHTML}link")}
        entries[url.findtext(f"{SITEMAP}loc")] = (url.findtext(f"{SITEMAP}lastmod"), alternates)
    return entries


def test_sitemap_lists_every_page_once_with_alternates_both_ways(site):
    entries = sitemap_entries(site)
    pages = {f"{SITEURL}/{site.relative(p)}".removesuffix("index.html") for p in site.html_files()}
    pages = {p for p in pages if not p.endswith("404.html")}
    assert set(entries) == pages
    for loc, (_lastmod, alternates) in entries.items():
        assert site.file_for(loc).exists()
        for lang, href in alternates.items():
            if lang == "x-default":
                assert href == alternates["ja"]
                continue
            assert entries[href][1].get(lang) == href
            own = "en" if loc.startswith(f"{SITEURL}/en/") else "ja"
            assert entries[href][1][own] == loc, f"{href} does not point back to {loc}"
    translated = entries[f"{SITEURL}/projects/boshimo/"][1]
    assert translated == {"ja": f"{SITEURL}/projects/boshimo/",
                          "en": f"{SITEURL}/en/projects/boshimo/",
                          "x-default": f"{SITEURL}/projects/boshimo/"}
    assert entries[f"{SITEURL}/news/fuchu-online-consultation-briefing/"][1] == {}


def test_sitemap_lastmod_comes_from_the_content(site):
    entries = sitemap_entries(site)
    lastmod = entries[f"{SITEURL}/news/column-105-business-promotion-projects/"][0]
    assert datetime.datetime.fromisoformat(lastmod) == datetime.datetime(
        2022, 12, 20, 1, 0, tzinfo=datetime.UTC)
    cancelled = entries[f"{SITEURL}/events/childcare-dx-meetup-2026/"][0]
    assert cancelled.startswith("2026-11-20T15:00:00+09:00")


def newest_of(site, entries, page, links):
    """The newest lastmod of the pages ``page`` links to with the CSS selector ``links``."""
    hrefs = {a["href"] for a in site.page(page).select(links)}
    return max(datetime.datetime.fromisoformat(entries[href][0]) for href in hrefs)


def test_a_list_page_was_last_modified_when_the_newest_item_it_shows_was(site):
    entries = sitemap_entries(site)
    # Only the search pages have none: a form, whose content no date describes.
    undated = {loc for loc, (lastmod, _alternates) in entries.items() if lastmod is None}
    assert undated == {f"{SITEURL}/search/", f"{SITEURL}/en/search/"}
    for loc, (lastmod, _alternates) in entries.items():
        if lastmod is not None:  # W3C datetime, with its offset
            assert W3C_DATETIME.fullmatch(lastmod), loc
            assert datetime.datetime.fromisoformat(lastmod).utcoffset() is not None, loc
    # A page's own Modified:, and the Subscribe page's feeds change with the projects they name.
    assert datetime.datetime.fromisoformat(entries[f"{SITEURL}/en/about/"][0]) == (
        datetime.datetime(2026, 11, 25, 10, 54, tzinfo=datetime.timezone(
            datetime.timedelta(hours=9))))
    assert datetime.datetime.fromisoformat(entries[f"{SITEURL}/subscribe/"][0]) == max(
        datetime.datetime.fromisoformat(entries[f"{SITEURL}/projects/{slug}/"][0])
        for slug in ("boshimo", "kids-public", "mysos"))
    for page, links in (("projects/", ".project-card__title a"),
                        ("events/2026/12/", "td a[href]"),
                        ("events/", ".event-list__title a")):
        lastmod = datetime.datetime.fromisoformat(entries[f"{SITEURL}/{page}"][0])
        assert lastmod == newest_of(site, entries, page, links), page


def test_robots_txt_points_to_the_sitemap(site):
    lines = (site.output / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {SITEURL}/sitemap.xml" in lines


def meta(page, name):
    element = page.find("meta", attrs={"property": name}) or page.find("meta", attrs={"name": name})
    return element["content"] if element else None


def test_every_page_has_a_canonical_link_and_a_preview_card(site):
    for path in site.html_files():
        relative = site.relative(path)
        page = site.page(relative)
        canonical = page.select_one('link[rel="canonical"]')["href"]
        assert site.file_for(canonical) == path
        assert meta(page, "og:url") == canonical
        for name in ("og:title", "og:description", "og:image:alt", "twitter:title",
                     "twitter:image:alt"):
            assert meta(page, name), f"{relative}: {name}"
        assert meta(page, "twitter:card") == "summary_large_image"
        image = meta(page, "og:image")
        assert image.startswith(SITEURL + "/") and site.file_for(image).exists()
        lang = page.html["lang"]
        assert meta(page, "og:locale") == {"ja": "ja_JP", "en": "en_US"}[lang]


def test_link_preview_of_an_article_names_it_and_its_other_language(site):
    page = site.page("en/news/column-105-business-promotion-projects/")
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:title") == page.h1.get_text()
    description = page.find("meta", attrs={"name": "description"})["content"]
    assert meta(page, "og:description") == description
    alternates = [m["content"]
                  for m in page.find_all("meta", attrs={"property": "og:locale:alternate"})]
    assert alternates == ["ja_JP"]
    untranslated = site.page("news/fuchu-online-consultation-briefing/")
    assert untranslated.find_all("meta", attrs={"property": "og:locale:alternate"}) == []


def structured(page):
    return [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]


def test_articles_and_reports_carry_news_article_data(site):
    for path in ("news/column-105-business-promotion-projects/",
                 "en/reports/tokyo-wellness-networking-2022-report/"):
        page = site.page(path)
        (article,) = [b for b in structured(page) if b["@type"] == "NewsArticle"]
        assert article["headline"] == page.h1.get_text()
        for field in ("datePublished", "dateModified"):
            assert datetime.datetime.fromisoformat(article[field]).utcoffset() is not None
        assert article["inLanguage"] == page.html["lang"]
        assert article["publisher"]["name"]
        assert all(site.file_for(url).exists() for url in article["image"])
        home = f"{SITEURL}/{'en/' if path.startswith('en/') else ''}"
        assert article["author"]["name"] and article["author"]["url"] == home
        assert article["publisher"]["url"] == home


def test_the_publisher_logo_is_a_logo_not_the_article_image(site):
    from PIL import Image  # noqa: PLC0415 - pinned in requirements.txt

    for path in ("news/column-105-business-promotion-projects/", ""):
        blocks = structured(site.page(path))
        (owner,) = [b for b in blocks if b["@type"] in ("NewsArticle", "Organization")]
        logo = (owner.get("publisher") or owner)["logo"]
        assert logo["url"] not in owner.get("image", [])
        with Image.open(site.file_for(logo["url"])) as image:
            assert image.format == "PNG"  # Google wants a raster logo, at least 112 px
            assert image.size == (logo["width"], logo["height"]) and min(image.size) >= 112
        og_image = meta(site.page(path), "og:image")
        assert logo["url"] != og_image


def test_every_page_below_home_has_breadcrumbs_and_home_names_the_program(site):
    for path in site.html_files():
        relative = site.relative(path)
        blocks = structured(site.page(relative))
        if relative in ("index.html", "en/index.html"):
            (organization,) = [b for b in blocks if b["@type"] == "Organization"]
            assert organization["name"] and organization["url"] in (f"{SITEURL}/", f"{SITEURL}/en/")
            continue
        (crumbs,) = [b for b in blocks if b["@type"] == "BreadcrumbList"]
        items = crumbs["itemListElement"]
        assert [i["position"] for i in items] == list(range(1, len(items) + 1))
        assert items[0]["item"] in (f"{SITEURL}/", f"{SITEURL}/en/")
        assert all(site.file_for(i["item"]).exists() for i in items), relative
    article = structured(site.page("news/column-105-business-promotion-projects/"))
    (crumbs,) = [b for b in article if b["@type"] == "BreadcrumbList"]
    assert [i["name"] for i in crumbs["itemListElement"]][:2] == ["ホーム", "お知らせ"]


def test_only_content_pages_are_indexed_with_type_and_year(site):
    for path, kind in CONTENT_PAGES.items():
        for prefix in ("", "en/"):
            page = site.page(prefix + path)
            main = page.select_one("main")
            assert main.has_attr("data-pagefind-body")
            marks = dict(f["data-pagefind-meta"].split(":", 1)
                         for f in main.select("[data-pagefind-meta]"))
            assert marks["type"] == kind
            assert marks.get("year", "").isdigit() == (kind != "page")
    for path in LIST_PAGES:
        assert not site.page(path).select_one("main").has_attr("data-pagefind-body"), path


def indexed_urls(output, bundle):
    urls = []
    for fragment in (output / "pagefind" / bundle / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        urls.append(json.loads(data)["url"])
    return urls


def test_search_index_holds_both_languages_and_no_list_page(site):
    ja, en = indexed_urls(site.output, "ja-0"), indexed_urls(site.output, "en-0")
    assert "/projects/boshimo/" in ja and "/en/projects/boshimo/" in en
    assert all(not url.startswith("/en/") for url in ja)
    assert all(url.startswith("/en/") for url in en)
    assert "/news/" not in ja and "/en/" not in en
    for lang in ("ja", "en"):
        entry = json.loads((site.output / f"pagefind/{lang}-0/pagefind-entry.json").read_text())
        assert set(entry["languages"]) == {lang}


def test_search_page_works_without_javascript_by_pointing_to_the_lists(site):
    page = site.page("search/")
    note = page.select_one(".search-needs-js")
    assert note is not None and not note.has_attr("hidden")
    assert {site.relative(site.file_for(a["href"])) for a in note.select("a")} == {
        "news/archives/index.html", "projects/index.html", "events/index.html"}
    assert page.select_one("form#site-search").has_attr("hidden")
    scripts = [s["src"] for s in page.select("script[src]")]
    (script,) = scripts  # ours (fingerprinted: tests/test_serving.py), which loads Pagefind
    assert re.fullmatch(rf"{SITEURL}/theme/js/search\.[0-9a-f]{{8}}\.js", script)
    assert all(site.page(p).select("script[src]") == []
               for p in ("", "news/", "en/projects/mysos/"))


def test_a_shard_indexes_exactly_its_pages_whatever_their_names(tmp_path):
    """Pagefind reads a shard's pages through a glob: names with glob characters
    (or not ASCII) are literal, and pages outside the shard are left out."""
    names = ["a(1),b/index.html", "c[d]{e}/index.html", "ページ/index.html"]
    for name in [*names, "a/index.html", "c/index.html"]:
        page = tmp_path / name
        page.parent.mkdir(parents=True)
        page.write_text(f'<html lang="en"><body><main data-pagefind-body><p>Text of {name}'
                        "</p></main></body></html>", encoding="utf-8")
    with PagefindService() as service:
        index_shard(service, str(tmp_path), "pagefind/en-0", names)
    assert sorted(indexed_urls(tmp_path, "en-0")) == sorted(
        "/" + name.removesuffix("index.html") for name in names)


def fragments(bundle):
    """{URL: the page as Pagefind stored it (text, title, meta, word count, anchors)}."""
    found = {}
    for fragment in (bundle / "fragment").iterdir():
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        found[data.pop("url")] = data
    return found


def test_pagefind_is_sent_only_what_it_reads_and_stores_the_same(site, tmp_path):
    """Only a page's language and its indexed part go to Pagefind (not the head,
    header and footer); what it stores of each page is what it stored from the
    whole page, in both languages."""
    names = [f"{root}{path}index.html" for root in ("", "en/") for path in CONTENT_PAGES]
    whole = tmp_path / "whole"
    with PagefindService() as service:
        service.index_pages(
            (("/" + name.removesuffix("index.html"),
              (site.output / name).read_text(encoding="utf-8")) for name in names),
            str(whole))
        index_shard(service, str(site.output), "../sent", names)  # (beside the output)
    sent = site.output.parent / "sent"
    try:
        assert fragments(sent) == fragments(whole)
        assert len(fragments(sent)) == len(names)
    finally:
        shutil.rmtree(sent)
    page = indexed_html(str(site.output), "en/projects/boshimo/index.html")
    root = etree.fromstring(page, etree.HTMLParser())
    assert root.get("lang") == "en"
    assert [child.tag for child in root] == ["body"]
    assert [child.tag for child in root.find("body")] == ["main"]
    assert root.find("body/main").get("data-pagefind-body") is not None


def test_a_page_pagefind_refuses_fails_its_shard_with_pagefind_s_reason(tmp_path):
    """Pages are sent without waiting for each answer: an error is still caught."""
    with PagefindService() as service:
        service.post({"type": "AddFile", "index_id": 99, "url": "/x/", "file_contents": ""})
        service.flush()
        with pytest.raises(PagefindError, match="AddFile: Invalid index"):
            service.answer(service.message_id, "AddFile")
        # The service goes on answering after the error.
        assert service.index_pages([("/a/", '<html lang="en"><body><p>Words here</p>'
                                     "</body></html>")], str(tmp_path)) == 1


def test_a_shard_that_cannot_be_indexed_fails_the_index_by_its_page(tmp_path):
    """Shards are indexed by processes side by side: one's failure reaches the
    build, naming the page, and does not stop the others."""
    page = tmp_path / "news" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text('<html lang="en"><body><main data-pagefind-body><p>Words here</p>'
                    "</main></body></html>", encoding="utf-8")
    work = {"en": [("pagefind/en-0", ["news/a/index.html"]),
                   ("pagefind/en-1", ["news/gone/index.html"])]}
    with pytest.raises(RuntimeError, match="Pagefind failed") as failure:
        index_shards(str(tmp_path), work, processes=2)
    assert "news/gone/index.html" in str(failure.value)
    assert (tmp_path / "pagefind" / "en-0" / "pagefind-entry.json").is_file()


def test_no_file_of_the_search_index_is_empty(site):
    # Pagefind's own writing answered before it had finished: on a busy
    # machine some files of a bundle were left empty.
    files = [p for p in (site.output / "pagefind").rglob("*") if p.is_file()]
    assert files and [str(p) for p in files if p.stat().st_size == 0] == []


def test_the_bundles_hold_no_ready_made_search_interface(site):
    # The search page has its own script over Pagefind's API (search.js): Pagefind's
    # own interfaces would be deployed and precompressed in every shard for nothing.
    bundles = [p for p in (site.output / "pagefind").iterdir() if p.is_dir()]
    assert bundles
    for bundle in bundles:
        names = {p.name for p in bundle.iterdir()}
        assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json"} <= names, bundle
        assert not {name for name in names if "-ui." in name or "highlight" in name}, bundle


def test_only_the_not_found_pages_ask_not_to_be_indexed(site):
    for path in site.html_files():
        robots = site.page(site.relative(path)).select_one('meta[name="robots"]')
        if path.name == "404.html":
            assert robots["content"] == "noindex", site.relative(path)
        else:
            assert robots is None, site.relative(path)
