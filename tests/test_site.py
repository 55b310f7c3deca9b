"""The real site, built once: what a reader of either language meets."""

import datetime
import re

import pytest
from support import SITEURL

# The three FY2022 business-promotion projects and their organisations as the
# source article names them (shared/reference/seed-article-ja.txt), and their
# English names as the English profiles give them.
PROJECT_ORGANISATIONS = {
    ("boshimo", "ja"): (["母子モ株式会社"], []),
    ("boshimo", "en"): (["Boshimo Inc."], []),
    ("mysos", "ja"): (
        ["株式会社西武ホールディングス", "株式会社アルム"],
        ["西武鉄道株式会社", "医療法人社団天太会(チームメディカルクリニック)", "東京医科歯科大学"],
    ),
    ("mysos", "en"): (
        ["Seibu Holdings Inc.", "Allm Inc."],
        [
            "Seibu Railway Co., Ltd.",
            "Tentakai Medical Corporation (Team Medical Clinic)",
            "Tokyo Medical and Dental University",
        ],
    ),
    ("kids-public", "ja"): (["株式会社Kids Public"], ["府中市"]),
    ("kids-public", "en"): (["Kids Public Inc."], ["Fuchu City"]),
}

# One page of each type, by its path in Japanese; English is under /en/.
PAGE_TYPES = {
    "home": "",
    "news list": "news/",
    "news list page 2": "news/page/2/",
    "archives": "news/archives/",
    "category": "news/category/column/",
    "tags index": "news/tag/",
    "tag": "news/tag/wellness/",
    "article": "news/column-105-business-promotion-projects/",
    "projects index": "projects/",
    "profile": "projects/boshimo/",
    "reports index": "reports/",
    "report": "reports/tokyo-wellness-networking-2022-report/",
    "page": "about/",
    "accessibility": "accessibility/",
    "privacy": "privacy/",
    "contact": "contact/",
    "404": "404.html",
}

UNTRANSLATED_NEWS = "news/fuchu-online-consultation-briefing/"


def lang_of_path(site, path):
    return "en" if site.relative(path).startswith("en/") else "ja"


@pytest.mark.parametrize("lang_prefix", ["", "en/"])
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_every_page_type_exists_in_both_languages(site, page_type, lang_prefix):
    path = lang_prefix + PAGE_TYPES[page_type]
    page = site.page(path)
    assert page.html["lang"] == ("en" if lang_prefix else "ja")
    assert page.find("h1").get_text(strip=True)


def test_every_page_declares_its_language(site):
    for path in site.html_files():
        page = site.page(site.relative(path))
        assert page.html.get("lang") == lang_of_path(site, path), site.relative(path)


def test_language_switch_leads_to_the_same_page_in_the_other_language(site):
    checked = 0
    for path in site.html_files():
        page = site.page(site.relative(path))
        switch = page.select_one("nav.language-switch a[hreflang]")
        assert switch is not None, f"{site.relative(path)} has no language switch"
        target = site.file_for(switch["href"])
        assert target.exists(), f"{site.relative(path)}: switch to missing {switch['href']}"
        other = site.page(site.relative(target))
        assert other.html["lang"] == switch["hreflang"] != page.html["lang"]
        if switch.select_one(".language-switch__note") is None:
            back = other.select_one("nav.language-switch a[hreflang]")
            assert site.file_for(back["href"]) == path, (
                f"{site.relative(path)} -> {site.relative(target)} does not lead back"
            )
            checked += 1
    assert checked > 50


@pytest.mark.parametrize("lang_prefix", ["", "en/"])
def test_the_menu_marks_the_section_each_page_is_in_and_stays_in_its_language(
    site, lang_prefix
):
    # (The menu and the footer are rendered once per language and section.)
    expected = {
        "": "", "news/": "news/", "news/archives/": "news/", "projects/": "projects/",
        "events/": "events/", "reports/": "reports/", "search/": "search/",
        "about/": "about/", "contact/": None,
    }
    for path, section in expected.items():
        page = site.page(lang_prefix + path)
        current = [link["href"] for link in page.select("nav.site-nav a[aria-current]")]
        if section is None:
            assert current == [], path
        else:
            assert [site.file_for(href) for href in current] == [
                site.output / (lang_prefix + section) / "index.html"], path
        for link in page.select("nav.site-nav a, footer.site-footer a"):
            target = site.relative(site.file_for(link["href"]))
            assert target.startswith("en/") == (lang_prefix == "en/"), (path, link["href"])


def test_hreflang_alternates_point_both_ways_with_x_default(site):
    for path in site.html_files():
        page = site.page(site.relative(path))
        alternates = {
            link["hreflang"]: link["href"]
            for link in page.select('link[rel="alternate"][hreflang]')
        }
        own_lang = page.html["lang"]
        assert site.file_for(alternates[own_lang]) == path
        assert "x-default" in alternates
        for href in alternates.values():
            other = site.page(site.relative(site.file_for(href)))
            back = {
                link["hreflang"]: link["href"]
                for link in other.select('link[rel="alternate"][hreflang]')
            }
            assert site.file_for(back[own_lang]) == path


def test_no_broken_internal_link(site):
    broken = []
    for path in site.html_files():
        page = site.page(site.relative(path))
        for element in page.select("a[href], link[href]"):
            if element["href"].startswith("#"):
                if page.find(id=element["href"][1:]) is None:
                    broken.append(f"{site.relative(path)}: {element['href']}")
                continue
            target = site.file_for(element["href"])
            if target is not None and not target.exists():
                broken.append(f"{site.relative(path)}: {element['href']}")
    assert broken == []


def test_no_resource_is_loaded_from_another_host(site):
    resources = []
    for path in site.html_files():
        page = site.page(site.relative(path))
        for element in page.select("[src], link[rel=stylesheet], link[rel=icon], [srcset]"):
            for url in [element.get("src"), element.get("href")] + (
                [part.split()[0] for part in element.get("srcset", "").split(",") if part]
            ):
                if url:
                    resources.append(url)
        inline = page.select('script:not([src]):not([type="application/ld+json"])')
        assert inline == [], "no inline script (structured data is not script)"
    assert resources, "pages load their stylesheet"
    for url in resources:
        assert url.startswith(SITEURL + "/"), url
        assert site.file_for(url).exists(), url


@pytest.mark.parametrize(("slug", "lang"), PROJECT_ORGANISATIONS)
def test_project_profile_names_its_organisations(site, slug, lang):
    prefix = "en/" if lang == "en" else ""
    page = site.page(f"{prefix}projects/{slug}/")
    facts = {}
    for row in page.select("dl.facts > div"):
        facts[row.dt.get_text(strip=True)] = [li.get_text(strip=True) for li in row.select("dd li")]
    lead_label, participants_label = (
        ("Lead organisation", "Participating organisations")
        if lang == "en"
        else ("代表団体", "参加団体")
    )
    lead, participants = PROJECT_ORGANISATIONS[(slug, lang)]
    assert facts[lead_label] == lead
    assert facts.get(participants_label, []) == participants


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_projects_index_groups_the_three_projects_by_year_and_track(site, prefix):
    page = site.page(prefix + "projects/")
    year = page.select_one("section.project-year")
    assert year.h2.get_text(strip=True) == ("FY2022" if prefix else "2022年度")
    track = year.select_one("section")
    assert track.h3.get_text(strip=True) == (
        "Business promotion projects" if prefix else "事業化促進プロジェクト"
    )
    links = {site.relative(site.file_for(a["href"]))
             for a in track.select(".project-card__title a")}
    assert links == {f"{prefix}projects/{slug}/index.html"
                     for slug in ("boshimo", "mysos", "kids-public")}


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_project_lists_the_news_and_reports_that_mention_it(site, prefix):
    page = site.page(prefix + "projects/mysos/")
    mentions = {
        site.relative(site.file_for(a["href"]))
        for a in page.select("section.entry-related .item-list__title a")
    }
    assert f"{prefix}news/column-105-business-promotion-projects/index.html" in mentions
    assert f"{prefix}reports/tokyo-wellness-networking-2022-report/index.html" in mentions


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_a_project_lists_its_news_and_reports_as_one_list_newest_first(site, prefix):
    mixed = 0
    for slug in ("boshimo", "mysos", "kids-public"):
        section = site.page(f"{prefix}projects/{slug}/").select_one(
            "section[aria-labelledby=project-mentions]")
        entries = [(item.select_one("time")["datetime"],
                    site.relative(site.file_for(item.select_one("a")["href"])))
                   for item in section.select(".item-list__item")]
        dates = [datetime.datetime.fromisoformat(date) for date, _page in entries]
        assert dates == sorted(dates, reverse=True), (slug, entries)
        kinds = [page.removeprefix(prefix).split("/")[0] for _date, page in entries]
        # (a report between two news items: not one kind's block, then the other's)
        mixed += kinds != sorted(kinds, key=kinds.index)
    assert mixed


def news_list_targets(site, path):
    page = site.page(path)
    return [site.relative(site.file_for(a["href"])) for a in page.select(".item-list__title a")]


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_news_lists_hold_only_news_in_their_language(site, prefix):
    lists = [prefix + "news/", prefix + "news/page/2/", prefix + "news/category/column/",
             prefix + "news/tag/wellness/"]
    seen = set()
    for path in lists:
        for target in news_list_targets(site, path):
            assert target.startswith(prefix + "news/"), f"{path} lists {target}"
            assert not target.startswith(("projects/", "en/projects/", "events/", "en/events/"))
            seen.add(target)
    assert len(seen) > 10


def listed_on_every_page_of(site, first_page):
    """The items listed on a list page and the pages after it, following "next"."""
    listed, page = [], site.page(first_page)
    while True:
        listed += [a["href"] for a in page.select(".item-list__title a")]
        following = page.select_one('.pagination a[rel="next"]')
        if following is None:
            return listed
        page = site.page(site.relative(site.file_for(following["href"])))


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_each_category_and_tag_count_is_the_number_of_news_its_pages_list(site, prefix):
    news = site.page(prefix + "news/")
    categories = news.select_one("#news-categories").find_next("ul").select("li")
    tags = site.page(prefix + "news/tag/").select("main li a")
    assert len(categories) >= 2 and len(tags) >= 5
    shown = [(li.a["href"], li.get_text(" ", strip=True)) for li in categories]
    shown += [(a["href"], a.get_text(" ", strip=True)) for a in tags]
    for href, text in shown:  # "Columns (3)"
        count = int(re.search(r"\((\d+)\)$", text).group(1))
        listed = listed_on_every_page_of(site, site.relative(site.file_for(href)))
        assert count == len(set(listed)) > 0, href


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_news_list_is_paginated_newest_first(site, prefix):
    first = site.page(prefix + "news/")
    dates = [t["datetime"] for t in first.select(".item-list__meta time")]
    assert len(dates) == 10
    assert dates == sorted(dates, reverse=True)
    next_link = first.select_one('.pagination a[rel="next"]')
    assert site.file_for(next_link["href"]) == site.output / prefix / "news/page/2/index.html"
    second = site.page(prefix + "news/page/2/")
    assert max(t["datetime"] for t in second.select(".item-list__meta time")) <= dates[-1]


def test_untranslated_page_switches_to_the_nearest_list_and_says_so(site):
    page = site.page(UNTRANSLATED_NEWS)
    switch = page.select_one("nav.language-switch a[hreflang]")
    assert site.file_for(switch["href"]) == site.output / "en/news/index.html"
    note = switch.select_one(".language-switch__note")
    assert note is not None and "news list" in note.get_text()
    hreflangs = {link["hreflang"] for link in page.select('link[rel="alternate"][hreflang]')}
    assert hreflangs == {"ja", "x-default"}
    assert not (site.output / "en" / UNTRANSLATED_NEWS).exists()
    english_items = news_list_targets(site, "en/news/") + news_list_targets(site, "en/news/page/2/")
    assert all("fuchu-online-consultation-briefing" not in target for target in english_items)


def test_dates_read_as_each_language_writes_them(site):
    ja = site.page("news/column-105-business-promotion-projects/")
    en = site.page("en/news/column-105-business-promotion-projects/")
    assert ja.select_one(".entry-meta time").get_text() == "2022年12月20日"
    assert en.select_one(".entry-meta time").get_text() == "20 December 2022"


def test_ui_labels_come_from_the_language_catalog(site):
    ja_nav = [a.get_text(strip=True) for a in site.page("").select("nav.site-nav a")]
    en_nav = [a.get_text(strip=True) for a in site.page("en/").select("nav.site-nav a")]
    assert ja_nav[:5] == ["ホーム", "お知らせ", "プロジェクト", "イベント", "イベントレポート"]
    assert en_nav[:5] == ["Home", "News", "Projects", "Events", "Event reports"]
    assert site.page("").select_one(".skip-link").get_text() == "本文へ移動"


def test_report_names_its_projects(site):
    page = site.page("reports/tokyo-wellness-networking-2022-report/")
    linked = {site.relative(site.file_for(a["href"]))
              for a in page.select("section.entry-related a")}
    assert linked == {f"projects/{slug}/index.html"
                      for slug in ("boshimo", "mysos", "kids-public")}


def test_pages_have_one_h1_and_a_main_landmark_after_a_skip_link(site):
    for path in site.html_files():
        page = site.page(site.relative(path))
        assert len(page.find_all("h1")) == 1, site.relative(path)
        assert page.select_one("main#main") is not None
        first_link = page.body.find("a")
        assert first_link["href"] == "#main" and "skip-link" in first_link["class"]
