"""Kinds and languages are records: a third language and a new kind need no code.

The three-language site adds Korean (``ko``) with a settings entry, a UI
catalog and content files; the new-kind site adds "interviews" with a
``BILINGUAL_KINDS`` entry and two templates. Every feature is checked for the
addition by parsing what the build emits.
"""

import csv
import datetime
import io
import shutil
import subprocess
import sys
import textwrap

import feedparser
import pytest
from bilingual.build import SETTING, Build, current_build, end_of_run
from bilingual.kinds import LIST_STYLES
from bilingual.plan import LIST_PLANNERS
from bilingual.site import site_kinds, site_languages
from checks.checks import run_checks
from checks.scaffold import scaffold
from icalendar import Calendar
from lxml import etree
from pelican.settings import read_settings
from support import ROOT, SITEURL, Site, build, write_content

import tasks

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"

# A Korean UI catalog with a few of the site's strings (the others show in English).
KO_CATALOG = """\
msgid "News"
msgstr "소식"

msgid "Not translated: opens the %(page)s"
msgstr "번역되지 않음: %(page)s(으)로 이동합니다"

msgid "news list"
msgstr "소식 목록"

#, python-format
msgid "%(site)s: All news"
msgstr "%(site)s: 모든 소식"
"""


def item(fields, body):
    head = "\n".join(f"{name}: {value}" for name, value in fields.items())
    return f"{head}\n\n{body}\n"


def news(lang, title, summary):
    return item({"Title": title, "Slug": "data-seminar", "Lang": lang,
                 "Date": "2026-11-02 10:00", "Category": "announcements",
                 "Tags": "wellness", "Projects": "boshimo", "Summary": summary}, summary)


def event(lang, title, slug="meetup"):
    return item({"Title": title, "Slug": slug, "Lang": lang, "Date": "2026-11-01 09:00",
                 "Starts": "2026-12-10 14:00", "Ends": "2026-12-10 16:30",
                 "Venue": "都民ホール", "Summary": title}, title)


THREE_LANGUAGES = {
    "news/data-seminar.ja.md": news("ja", "データ活用セミナーを開きます",
                                    "ウェルネスデータの活用を学ぶセミナーです。"),
    "news/data-seminar.en.md": news("en", "A seminar on using data",
                                    "A seminar on putting wellness data to use."),
    "news/data-seminar.ko.md": news("ko", "데이터 활용 세미나를 엽니다",
                                    "웰니스 데이터 활용을 배우는 세미나입니다."),
    "news/briefing.ja.md": item({"Title": "説明会のお知らせ", "Slug": "briefing", "Lang": "ja",
                                 "Date": "2026-10-01 10:00", "Category": "announcements"},
                                "日本語と英語だけの記事です。"),
    "news/briefing.en.md": item({"Title": "Briefing", "Slug": "briefing", "Lang": "en",
                                 "Date": "2026-10-01 10:00", "Category": "announcements"},
                                "In Japanese and English only."),
    "projects/boshimo.ja.md": item({"Title": "母子手帳アプリの事業", "Slug": "boshimo",
                                    "Lang": "ja", "Lead": "母子モ株式会社",
                                    "Track": "business-promotion", "Fiscal-Year": "2022"},
                                   "予防接種の記録を活用します。"),
    "projects/boshimo.ko.md": item({"Title": "모자수첩 앱 사업", "Slug": "boshimo", "Lang": "ko",
                                    "Lead": "母子モ株式会社", "Track": "business-promotion",
                                    "Fiscal-Year": "2022"}, "예방접종 기록을 활용합니다."),
    "events/meetup.ja.md": event("ja", "交流会"),
    "events/meetup.en.md": event("en", "Networking meetup"),
    "events/meetup.ko.md": event("ko", "교류회"),
    "events/seoul-day.ko.md": event("ko", "서울 교류의 날", slug="seoul-day"),
    "pages/about.ja.md": item({"Title": "事業について", "Slug": "about", "Lang": "ja"}, "概要"),
    "pages/about.en.md": item({"Title": "About", "Slug": "about", "Lang": "en"}, "Outline"),
    "pages/about.ko.md": item({"Title": "사업 소개", "Slug": "about", "Lang": "ko"}, "개요"),
}


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    """A site in Japanese, English and Korean, search index included."""
    root = tmp_path_factory.mktemp("three")
    translations = root / "translations"
    shutil.copytree(ROOT / "theme/translations", translations)
    (translations / "ko/LC_MESSAGES").mkdir(parents=True)
    (translations / "ko/LC_MESSAGES/messages.po").write_text(KO_CATALOG, encoding="utf-8")
    content = root / "content"
    for name, text in THREE_LANGUAGES.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(text, encoding="utf-8")
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    return Site(build(
        root / "output", content, BILINGUAL_LANGUAGES=("ja", "en", "ko"),
        BILINGUAL_TRANSLATIONS_PATH=str(translations), SEARCH_INDEX=True,
        BILINGUAL_SITENAMES={**settings["BILINGUAL_SITENAMES"],
                             "ko": "도쿄도 차세대 웰니스 솔루션 구축 지원 사업"},
    ))


def test_a_third_language_gets_its_own_pages_in_its_own_folder(three):
    page = three.page("ko/news/data-seminar/")
    assert page.html["lang"] == "ko"
    assert page.h1.get_text() == "데이터 활용 세미나를 엽니다"
    assert three.page("ko/about/").h1.get_text() == "사업 소개"
    assert three.page("ko/projects/boshimo/").h1.get_text() == "모자수첩 앱 사업"
    # Korean dates as CLDR writes them.
    assert three.page("ko/news/data-seminar/").select_one("time").get_text() == "2026년 11월 2일"


def test_the_switch_leads_to_every_other_language_and_falls_back_to_its_list(three):
    switch = three.page("news/data-seminar/").select("nav.language-switch a")
    targets = {a["hreflang"]: three.relative(three.file_for(a["href"])) for a in switch}
    assert targets == {"en": "en/news/data-seminar/index.html",
                       "ko": "ko/news/data-seminar/index.html"}
    korean = next(a for a in three.page("news/briefing/").select("nav.language-switch a")
                  if a["hreflang"] == "ko")
    assert three.relative(three.file_for(korean["href"])) == "ko/news/index.html"
    assert korean.select_one(".language-switch__note").get_text() == (
        "번역되지 않음: 소식 목록(으)로 이동합니다")


def test_hreflang_and_link_previews_name_the_third_language(three):
    page = three.page("ko/news/data-seminar/")
    alternates = {link["hreflang"]: link["href"]
                  for link in page.select('link[rel=alternate][hreflang]')}
    assert alternates == {"ja": f"{SITEURL}/news/data-seminar/",
                          "en": f"{SITEURL}/en/news/data-seminar/",
                          "ko": f"{SITEURL}/ko/news/data-seminar/",
                          "x-default": f"{SITEURL}/news/data-seminar/"}
    assert page.select_one('meta[property="og:locale"]')["content"] == "ko_KR"
    assert {m["content"] for m in page.select('meta[property="og:locale:alternate"]')} == {
        "ja_JP", "en_US"}


def test_sitemap_lists_the_third_language_as_an_alternate(three):
    tree = etree.parse(str(three.output / "sitemap.xml"))
    for url in tree.getroot().iter(f"{SITEMAP}url"):
        if url.findtext(f"{SITEMAP}loc") == f"{SITEURL}/ko/news/data-seminar/":
            links = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
            assert set(links) == {"ja", "en", "ko", "x-default"}
            break
    else:
        raise AssertionError("the Korean page is not in the sitemap")


def test_the_third_language_has_its_feeds_and_calendars(three):
    feed = feedparser.parse((three.output / "ko/feeds/news.atom.xml").read_bytes())
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["데이터 활용 세미나를 엽니다"]
    project = feedparser.parse((three.output / "ko/feeds/projects/boshimo.rss.xml").read_bytes())
    assert [entry.link for entry in project.entries] == [f"{SITEURL}/ko/news/data-seminar/"]
    calendar = Calendar.from_ical((three.output / "ko/events/calendar.ics").read_bytes())
    titles = sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))
    assert titles == ["교류회", "서울 교류의 날"]
    month = three.page("ko/events/2026/12/")
    # (The heading's words are a UI string the catalog lacks; the month is Korean.)
    assert month.h1.get_text(strip=True) == "Events in 2026년 12월"


def test_the_third_language_has_its_search_shard(three):
    search = three.page("ko/search/").select_one("[data-pagefind]")
    bundle = three.file_for(search["data-pagefind"])
    assert bundle.is_file() and bundle.read_bytes() == (
        three.output / "pagefind/ko-0/pagefind.js").read_bytes()  # (fingerprinted copy)
    assert three.file_for(search["data-pagefind-base"]) == (
        three.output / "pagefind/ko-0/index.html")
    meta = three.page("ko/news/data-seminar/").select_one("[data-pagefind-meta^=type]")
    assert meta["data-pagefind-meta"] == "type:news"


def test_open_data_takes_an_event_missing_in_japanese_from_the_other_languages(three):
    text = (three.output / "events/events.csv").read_bytes().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    by_url = {row["URL"]: row for row in rows}
    meetup = by_url[f"{SITEURL}/events/meetup/"]
    assert (meetup["イベント名"], meetup["イベント名_英語"]) == ("交流会", "Networking meetup")
    korean = by_url[f"{SITEURL}/ko/events/seoul-day/"]
    assert (korean["イベント名"], korean["説明"]) == ("", "서울 교류의 날")


def test_a_language_babel_does_not_know_is_named_before_anything_is_built():
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    settings["BILINGUAL_LANGUAGES"] = ("ja", "xx")
    with pytest.raises(ValueError, match="'xx' is not a language Babel knows"):
        site_languages(settings)


# -- a new kind -----------------------------------------------------------------

INTERVIEWS = {
    "interviews": {
        "like": "news",
        "list_name": "list of interviews",
        "list_title": "Interviews",
        "feed": True,
    }
}
TEMPLATES = {
    "interviews.html": """\
        {% extends "base.html" %}
        {% import "_macros/lists.html" as lists with context %}
        {% block title %}Interviews | {{ sitename }}{% endblock title %}
        {% block content %}
        <div class="page-header"><h1>Interviews</h1></div>
        {{ lists.item_list(items) }}
        {% endblock content %}
        """,
    "interview.html": """\
        {% extends "article.html" %}
        {% block kind %}Interview{% endblock kind %}
        """,
}


def interview(lang, title, status=""):
    fields = {"Title": title, "Slug": "tanaka", "Lang": lang, "Date": "2026-11-10 10:00",
              "Tags": "wellness", "Projects": "boshimo", "Summary": title}
    if status:
        fields["Status"] = status
    return item(fields, title)


def with_interviews(tmp_path):
    templates = tmp_path / "templates"
    for name, text in TEMPLATES.items():
        (templates / name).parent.mkdir(parents=True, exist_ok=True)
        (templates / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return {"BILINGUAL_KINDS": INTERVIEWS, "THEME_TEMPLATES_OVERRIDES": [str(templates)]}


@pytest.fixture
def interviews(tmp_path):
    files = {name: text for name, text in THREE_LANGUAGES.items()
             if name.startswith("projects/boshimo.ja")}
    files["interviews/tanaka.ja.md"] = interview("ja", "田中さんに聞く")
    files["interviews/tanaka.en.md"] = interview("en", "An interview with Ms Tanaka")
    files["interviews/draft.ja.md"] = interview("ja", "下書きのインタビュー", "draft").replace(
        "Slug: tanaka", "Slug: draft")
    content = tmp_path / "content"
    for name, text in files.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(text, encoding="utf-8")
    return Site(build(tmp_path / "output", content, SEARCH_INDEX=True,
                      **with_interviews(tmp_path)))


def test_a_new_kind_gets_its_pages_list_and_switch(interviews):
    page = interviews.page("interviews/tanaka/")
    assert page.h1.get_text() == "田中さんに聞く"
    switch = page.select_one("nav.language-switch a")
    assert interviews.relative(interviews.file_for(switch["href"])) == (
        "en/interviews/tanaka/index.html")
    listed = [interviews.relative(interviews.file_for(a["href"]))
              for a in interviews.page("interviews/").select(".item-list a")]
    assert "interviews/tanaka/index.html" in listed
    assert not (interviews.output / "interviews/draft").exists()
    project = interviews.page("projects/boshimo/")
    assert any(interviews.relative(interviews.file_for(a["href"])) ==
               "interviews/tanaka/index.html" for a in project.select("main a"))


def test_a_new_kind_gets_its_feed_sitemap_entries_and_search_type(interviews):
    feed = feedparser.parse((interviews.output / "feeds/interviews.atom.xml").read_bytes())
    assert not feed.bozo and [e.title for e in feed.entries] == ["田中さんに聞く"]
    subscribe = interviews.page("subscribe/")
    assert any(a["href"] == f"{SITEURL}/feeds/interviews.atom.xml"
               for a in subscribe.select("a[href]"))
    tree = etree.parse(str(interviews.output / "sitemap.xml"))
    locations = {loc.text for loc in tree.getroot().iter(f"{SITEMAP}loc")}
    assert {f"{SITEURL}/interviews/", f"{SITEURL}/interviews/tanaka/",
            f"{SITEURL}/en/interviews/tanaka/"} <= locations
    meta = interviews.page("interviews/tanaka/").select_one("[data-pagefind-meta^=type]")
    assert meta["data-pagefind-meta"] == "type:interview"


def settings_with(tmp_path, content):
    settings = read_settings(str(ROOT / "pelicanconf.py"),
                             override={"PATH": str(content), **with_interviews(tmp_path)})
    return settings


def test_a_new_kind_is_checked_and_scaffolded(tmp_path):
    content = write_content(tmp_path / "content", {
        "interviews/no-date.ja.md": """\
            Title: 日付のないインタビュー
            Slug: no-date
            Lang: ja
            Catgory: column

            本文
            """,
    })
    settings = settings_with(tmp_path, content)
    assert site_kinds(settings)["interviews"].folder == "interviews"
    report = run_checks(settings)
    path = "interviews/no-date.ja.md"
    assert [(p.field, p.message) for p in report.errors if p.path.endswith(path)] == [
        ("Date", "missing")]
    warnings = {(p.field, p.message) for p in report.warnings if p.path.endswith(path)}
    assert ("Catgory", "unknown field, it is ignored") in warnings  # (interviews have none)
    paths = scaffold(settings, "interview", "new-voice", {"ja": "新しい声", "en": "A new voice"})
    assert [p.rsplit("/", 2)[-2:] for p in paths] == [["interviews", "new-voice.ja.md"],
                                                      ["interviews", "new-voice.en.md"]]
    head = open(paths[1], encoding="utf-8").read().split("\n\n", 1)[0]
    assert [line.split(":")[0] for line in head.splitlines()] == [
        "Title", "Slug", "Lang", "Translated-From", "Date", "Status", "Modified", "Summary",
        "Tags", "Projects"]
    assert "Status: draft" in head.splitlines()


# -- edges: a kind on its defaults, a site without events, settings mistakes ----------


def test_a_new_kind_on_its_defaults_builds_with_an_untranslated_item(tmp_path):
    templates = with_interviews(tmp_path)
    content = write_content(tmp_path / "content", {
        "interviews/tanaka.ja.md": interview("ja", "田中さんに聞く").replace(
            "Projects: boshimo\n", ""),
    })
    site = Site(build(tmp_path / "output", content,
                      BILINGUAL_KINDS={"interviews": {"like": "news"}},
                      THEME_TEMPLATES_OVERRIDES=templates["THEME_TEMPLATES_OVERRIDES"]))
    switch = site.page("interviews/tanaka/").select_one("nav.language-switch a")
    assert site.relative(site.file_for(switch["href"])) == "en/interviews/index.html"
    assert "Interviews" in switch.select_one(".language-switch__note").get_text()


def test_a_kind_is_made_again_when_its_record_changes_in_the_same_process(tmp_path):
    content = write_content(tmp_path / "content", {
        "interviews/tanaka.ja.md": interview("ja", "田中さんに聞く").replace(
            "Projects: boshimo\n", ""),
    })
    overrides = with_interviews(tmp_path)
    build(tmp_path / "output", content, **overrides)
    broken = {"interviews": {**INTERVIEWS["interviews"], "template": "no-such-template"}}
    with pytest.raises(tasks.BuildFailed, match="no-such-template"):
        build(tmp_path / "output", content, **{**overrides, "BILINGUAL_KINDS": broken})


def test_a_kind_may_not_take_the_class_of_another():
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    settings["BILINGUAL_KINDS"] = {"articles": {"like": "news"}}
    with pytest.raises(ValueError, match="the class name 'Article' is taken"):
        site_kinds(settings)


def test_without_the_events_plugin_reports_build_and_their_event_field_is_unknown(tmp_path):
    plugins = [name for name in read_settings(str(ROOT / "pelicanconf.py"))["PLUGINS"]
               if name != "events"]
    files = {
        "reports/day.ja.md": item({"Title": "報告", "Slug": "day", "Lang": "ja",
                                   "Date": "2026-11-10 10:00", "Event": "meetup"}, "本文"),
    }
    content = write_content(tmp_path / "content", files)
    # In a process of its own: Pelican's signals are process-wide, and the
    # events plugin is connected in this one.
    script = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); import tasks; "
              f"tasks.build_site('pelicanconf.py', {str(tmp_path / 'output')!r}, "
              f"{{'PATH': {str(content)!r}, 'PLUGINS': {plugins!r}, 'SEARCH_INDEX': False, "
              f"'SITEURL': {SITEURL!r}}})")
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                         text=True, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    site = Site(tmp_path / "output")
    assert site.page("reports/day/").h1.get_text() == "報告"
    assert not (site.output / "events").exists()
    settings = read_settings(str(ROOT / "pelicanconf.py"),
                             override={"PATH": str(content), "PLUGINS": plugins})
    assert "events" not in site_kinds(settings).kinds
    report = run_checks(settings)
    assert report.errors == []
    assert [(p.field, p.message) for p in report.warnings if p.field == "Event"] == [
        ("Event", "unknown field, it is ignored")]


def test_language_records_take_cldr_and_refuse_what_cannot_be_set():
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    settings["BILINGUAL_LANGUAGES"] = ("ja", "en", "zh-Hant")
    languages = site_languages(settings)
    assert (languages["zh-Hant"].og_locale, languages["zh-Hant"].url_prefix) == (
        "zh_TW", "zh-Hant/")
    assert languages["ja"].fallback == ("en", "zh-Hant")
    settings["BILINGUAL_LANGUAGE_SETTINGS"] = {"en": {"url_prefix": "english/"}}
    with pytest.raises(ValueError, match="url_prefix cannot be set"):
        site_languages(settings)


def test_a_run_of_pelicans_own_reads_the_clock_again(monkeypatch):
    settings = {}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    first = current_build(settings)
    end_of_run(settings)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert current_build(settings).now - first.now == datetime.timedelta(days=1)
    passed_in = {SETTING: Build()}
    end_of_run(passed_in)  # (a build made by tasks.build_site is the caller's)
    assert SETTING in passed_in


@pytest.mark.parametrize(("record", "message"), [
    ({"like": "news", "page_kind": "report"}, "'reports' and 'stories' have the same page_kind"),
    ({"like": "news", "folder": "news"}, "'news' and 'stories' have the same folder"),
    ({"like": "news", "list_style": "grid"}, "'stories' has list_style 'grid'"),
])
def test_kinds_that_would_collide_or_get_no_list_are_refused(record, message):
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    settings["BILINGUAL_KINDS"] = {"stories": {"class_name": "Story", **record}}
    with pytest.raises(ValueError, match=message):
        site_kinds(settings)


def test_every_list_style_has_a_planner():
    assert set(LIST_PLANNERS) == set(LIST_STYLES)
