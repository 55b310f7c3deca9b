"""The event calendar: event pages, month grids, iCalendar files and open data.

Calendars are parsed with icalendar and checked on the raw bytes as well
(line length in octets, CRLF, folding); pages with an HTML parser; JSON-LD
with json; the CSV with csv.
"""

import codecs
import csv
import datetime
import io
import json
from zoneinfo import ZoneInfo

import feedparser
import pytest
from bilingual.site import site_languages
from events import schedule
from events.address import postal_address
from icalendar import Calendar
from lxml import html
from pelican.settings import read_settings
from support import ROOT, SITEURL, build, write_content

import tasks

TOKYO = ZoneInfo("Asia/Tokyo")
# The site's language records (ja and en, as pelicanconf.py has them).
LANGUAGES = site_languages(read_settings(str(ROOT / "pelicanconf.py")))
UID_DOMAIN = "wellness-sol-pj.metro.tokyo.lg.jp"

# The field list of イベント一覧 (自治体標準オープンデータセット), as in
# shared/reference/research/peers.md, section B.7.
OPEN_DATA_HEADER = [
    "都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名", "イベント名",
    "イベント名_カナ", "イベント名_英語", "開始日", "終了日", "開始時間", "終了時間",
    "開始日時特記事項", "説明", "料金(基本)", "料金(詳細)", "連絡先名称", "連絡先電話番号",
    "連絡先内線番号", "主催者", "場所名称", "住所", "方書", "緯度", "経度", "アクセス方法",
    "駐車場情報", "定員", "参加申込終了日", "参加申込終了時間", "参加申込方法", "URL", "備考",
]

EVENT = """\
    Title: {title}
    Slug: {slug}
    Lang: {lang}
    Date: 2026-11-01 10:00
    Starts: {starts}
    Ends: {ends}
    Venue: 都民ホール
    Address: 東京都新宿区西新宿二丁目8番1号
    Event-Status: {status}
    Summary: 説明です。

    本文
    """


def event_file(slug="ev", lang="ja", title="イベント", starts="2026-12-10 14:00",
               ends="2026-12-10 16:30", status="scheduled", extra=""):
    text = EVENT.format(title=title, slug=slug, lang=lang, starts=starts, ends=ends, status=status)
    if extra:
        text = text.replace("    Summary:", f"    {extra}\n    Summary:")
    return {f"events/{slug}.{lang}.md": text}


def ics_files(site):
    return sorted(site.output.rglob("*.ics"))


def physical_lines(data):
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


def vevents(path):
    return [c for c in Calendar.from_ical(path.read_bytes()).walk("VEVENT")]


def event_by_uid(path, slug, lang):
    uid = f"event-{slug}-{lang}@{UID_DOMAIN}"
    return next(e for e in vevents(path) if str(e["UID"]) == uid)


def source_date_epoch(*when):
    """SOURCE_DATE_EPOCH for a build at ``when`` (year, month, day, … in UTC)."""
    return str(int(datetime.datetime(*when, tzinfo=datetime.UTC).timestamp()))


# -- schedule rules, without a build ----------------------------------------


def test_times_without_offset_are_tokyo_time_and_offsets_are_kept():
    moment = schedule.parse_moment("2026-12-10 14:00", TOKYO)
    assert moment == datetime.datetime(2026, 12, 10, 5, 0, tzinfo=datetime.UTC)
    assert moment.tzinfo is TOKYO
    elsewhere = schedule.parse_moment("2026-12-10T14:00+01:00", TOKYO)
    assert elsewhere.utcoffset() == datetime.timedelta(hours=1)
    assert schedule.parse_moment("2027-02-18", TOKYO) == datetime.date(2027, 2, 18)
    with pytest.raises(ValueError):
        schedule.parse_moment("2026-13-45 10:00x", TOKYO)


@pytest.mark.parametrize(
    ("metadata", "field", "words"),
    [
        ({}, "Starts", "missing"),
        ({"starts": "12/10 2pm"}, "Starts", "is not a date and time"),
        ({"starts": "2026-12-10 14:00", "ends": "2026-12-10 13:00"}, "Ends", "is before Starts"),
        ({"starts": "2026-12-10", "ends": "2026-12-10 13:00"}, "Ends", "mix a date and a time"),
        ({"starts": "2026-12-10", "event-status": "maybe"}, "Event-Status", "is not a status"),
        ({"starts": "2026-12-10", "registration": "example.jp/form"}, "Registration",
         "not a web address"),
        ({"starts": "2026-12-10", "online": "Zoom"}, "Online", "not a web address"),
        ({"starts": "2026-12-10", "timezone": "Tokyo"}, "Timezone", "not a time zone"),
        ({"starts": "2026-12-10", "capacity": "about 50"}, "Capacity", "not a whole number"),
    ],
)
def test_each_invalid_event_field_is_named(metadata, field, words):
    _schedule, problems = schedule.check_event(metadata, "Asia/Tokyo")
    assert [p.field for p in problems] == [field]
    assert words in str(problems[0])


def test_dates_read_as_each_language_writes_them():
    timed = schedule.Schedule(
        schedule.parse_moment("2026-12-10 14:00", TOKYO),
        schedule.parse_moment("2026-12-10 16:30", TOKYO), TOKYO)
    ja, en = LANGUAGES["ja"], LANGUAGES["en"]
    assert schedule.format_schedule(timed, ja, TOKYO) == "2026年12月10日（木） 14:00～16:30"
    assert (schedule.format_schedule(timed, en, TOKYO)
            == "Thursday 10 December 2026, 14:00–16:30 (JST)")
    two_days = schedule.Schedule(datetime.date(2027, 2, 18), datetime.date(2027, 2, 19), TOKYO)
    assert schedule.format_schedule(two_days, ja, TOKYO) == "2027年2月18日（木）～2月19日（金）"
    # Outside the site's own zone, Japanese readers are told the zone too.
    london = ZoneInfo("Europe/London")
    abroad = schedule.Schedule(schedule.parse_moment("2026-12-10 14:00", london), None, london)
    assert schedule.format_schedule(abroad, ja, TOKYO) == "2026年12月10日（木） 14:00 (GMT)"
    assert two_days.end_exclusive_date == datetime.date(2027, 2, 20)
    assert two_days.days() == [datetime.date(2027, 2, 18), datetime.date(2027, 2, 19)]


def test_month_grid_starts_on_sunday_and_marks_today():
    day = datetime.date(2026, 12, 10)
    weeks = schedule.month_grid(2026, 12, {day: ["event"]}, today=datetime.date(2026, 12, 3))
    assert all(len(week) == 7 for week in weeks)
    assert weeks[0][0].day.weekday() == 6  # Sunday
    cells = [cell for week in weeks for cell in week if cell.in_month]
    assert len(cells) == 31
    assert [c.day.day for c in cells if c.today] == [3]
    assert [c.day.day for c in cells if c.events] == [10]


# -- the built site ----------------------------------------------------------


def test_calendar_files_are_crlf_folded_at_75_octets_and_round_trip(site):
    files = ics_files(site)
    assert len(files) == 2 + 2 * 5  # one subscription and five events per language
    for path in files:
        data = path.read_bytes()
        assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
        for line in physical_lines(data):
            assert b"\r" not in line and b"\n" not in line
            assert len(line) <= 75, (site.relative(path), line)
            line.decode("utf-8")  # no multi-byte character split by a fold
            trailing = len(line) - len(line.rstrip(b"\\"))
            assert trailing % 2 == 0, "a fold must not split an escape"
        calendar = Calendar.from_ical(data)
        assert calendar.to_ical() == data
        assert all(component.errors == [] for component in calendar.walk())


def test_calendar_properties_clients_need(site):
    for path in ics_files(site):
        calendar = Calendar.from_ical(path.read_bytes())
        lang = "en" if site.relative(path).startswith("en/") else "ja"
        assert str(calendar["VERSION"]) == "2.0" and str(calendar["PRODID"])
        assert str(calendar["METHOD"]) == "PUBLISH"
        assert str(calendar["X-WR-CALNAME"]) == str(calendar["NAME"]) != ""
        assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
        assert calendar["REFRESH-INTERVAL"].dt == datetime.timedelta(hours=12)
        assert str(calendar["X-PUBLISHED-TTL"]) == "PT12H"
        assert calendar.get_missing_tzids() == set()
        tzids = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
        assert tzids <= {"Asia/Tokyo"}
        for event in calendar.walk("VEVENT"):
            assert str(event["UID"]).endswith(f"-{lang}@{UID_DOMAIN}")
            assert event["DTSTAMP"].dt.utcoffset() == datetime.timedelta(0)
            start, end = event["DTSTART"].dt, event["DTEND"].dt
            assert type(start) is type(end) and end > start
            if isinstance(start, datetime.datetime):
                assert start.tzinfo is not None, "no floating times"
            assert str(event["STATUS"]) in {"CONFIRMED", "TENTATIVE", "CANCELLED"}
            url = str(event["URL"])
            assert url.startswith(SITEURL + "/") and site.file_for(url).exists()
            assert site.file_for(url).is_relative_to(site.output / ("en" if lang == "en" else ""))
            japanese = any("\u3040" <= ch <= "\u9fff" for ch in str(event["SUMMARY"]))
            assert japanese == (lang == "ja")


def test_event_times_keep_tokyo_time(site):
    event = event_by_uid(site.output / "events/calendar.ics", "wellness-data-seminar-2026", "ja")
    start = event["DTSTART"]
    assert start.params["TZID"] == "Asia/Tokyo"
    assert start.dt.astimezone(datetime.UTC) == datetime.datetime(
        2026, 12, 10, 5, 0, tzinfo=datetime.UTC)


def test_all_day_events_end_the_day_after_their_last_day(site):
    event = event_by_uid(site.output / "en/events/calendar.ics",
                         "tokyo-wellness-networking-2027", "en")
    assert event["DTSTART"].dt == datetime.date(2027, 2, 18)
    assert event["DTEND"].dt == datetime.date(2027, 2, 20)
    assert event["DTSTART"].params["VALUE"] == "DATE"


def test_uid_is_the_same_in_the_subscription_and_the_event_file(site):
    for prefix, lang in (("", "ja"), ("en/", "en")):
        subscription = {str(e["UID"])
                        for e in vevents(site.output / prefix / "events/calendar.ics")}
        for path in (site.output / prefix / "events").glob("*/event.ics"):
            (single,) = vevents(path)
            assert str(single["UID"]) == f"event-{path.parent.name}-{lang}@{UID_DOMAIN}"
            if path.parent.name != "tokyo-wellness-networking-2022":
                assert str(single["UID"]) in subscription


def test_cancelled_event_is_cancelled_with_a_higher_sequence(site):
    event = event_by_uid(site.output / "events/calendar.ics", "childcare-dx-meetup-2026", "ja")
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) > 0
    assert event["LAST-MODIFIED"].dt == datetime.datetime(2026, 11, 20, 6, 0, tzinfo=datetime.UTC)
    assert str(event["SUMMARY"]).startswith("【中止】")


@pytest.mark.parametrize(("prefix", "lang"), [("", "ja"), ("en/", "en")])
def test_subscription_keeps_past_events_so_calendars_do_not_lose_them(site, prefix, lang):
    # (A calendar app deletes what a subscription no longer holds.)
    slugs = {str(e["UID"]).split("@")[0]
             for e in vevents(site.output / f"{prefix}events/calendar.ics")}
    assert f"event-wellness-data-seminar-2026-{lang}" in slugs
    assert f"event-tokyo-wellness-networking-2022-{lang}" in slugs  # ended 4 years before


def test_a_site_may_keep_only_recent_past_events_in_the_subscription(tiny_site):
    site = tiny_site({**event_file(slug="old", starts="2025-01-10 14:00",
                                   ends="2025-01-10 16:00"),
                      **event_file(slug="recent", starts="2026-09-10 14:00",
                                   ends="2026-09-10 16:00")},
                     EVENTS_CALENDAR_PAST_MONTHS=6)
    slugs = {str(e["UID"]).split("@")[0] for e in vevents(site.output / "events/calendar.ics")}
    assert slugs == {"event-recent-ja"}
    assert (site.output / "events/old/event.ics").is_file()  # (its own file stays)


def test_long_japanese_title_folds_and_unfolds_exactly(tiny_site):
    title = ("東京都次世代ウェルネスソリューション構築支援事業 "
             "連携プロジェクト・事業化促進プロジェクト合同成果報告会、および交流会")
    site = tiny_site(event_file(title=title))
    data = (site.output / "events/ev/event.ics").read_bytes()
    summary_lines = [line for line in physical_lines(data) if line.startswith(b"SUMMARY")]
    index = physical_lines(data).index(summary_lines[0])
    continued = [line for line in physical_lines(data)[index + 1:index + 6]
                 if line.startswith(b" ")]
    assert continued, "a long title is folded"
    (event,) = vevents(site.output / "events/ev/event.ics")
    assert str(event["SUMMARY"]) == title.replace("、", "、")


def test_text_is_escaped_in_the_calendar(tiny_site):
    site = tiny_site(event_file(title="会議; 準備, 相談 \\ 交流"))
    data = (site.output / "events/ev/event.ics").read_bytes().decode("utf-8")
    unfolded = data.replace("\r\n ", "")
    assert "SUMMARY:会議\\; 準備\\, 相談 \\\\ 交流" in unfolded.split("\r\n")
    (event,) = vevents(site.output / "events/ev/event.ics")
    assert str(event["SUMMARY"]) == "会議; 準備, 相談 \\ 交流"


def test_calendar_bytes_do_not_depend_on_the_build_time(tmp_path, monkeypatch):
    content = write_content(tmp_path / "content", event_file())
    first = build(tmp_path / "one", content)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", source_date_epoch(2026, 11, 28))
    second = build(tmp_path / "two", content)
    assert ((first / "events/ev/event.ics").read_bytes()
            == (second / "events/ev/event.ics").read_bytes())


def test_modifying_an_event_raises_sequence_and_last_modified(tmp_path):
    content = write_content(tmp_path / "content", event_file())
    before = vevents(build(tmp_path / "one", content) / "events/ev/event.ics")[0]
    write_content(content, event_file(status="postponed", extra="Modified: 2026-11-20 09:00"))
    after = vevents(build(tmp_path / "two", content) / "events/ev/event.ics")[0]
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after["LAST-MODIFIED"].dt > before["LAST-MODIFIED"].dt
    assert after["DTSTAMP"].dt > before["DTSTAMP"].dt
    assert str(after["STATUS"]) == "TENTATIVE"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ends": "2026-12-10 13:00"},
         "events/ev.ja.md:6: Ends: '2026-12-10 13:00' is before Starts '2026-12-10 14:00' — "
         "check both dates"),
        ({"starts": ""}, "events/ev.ja.md:10: Starts: missing — add a line “Starts: …”"),
        ({"status": "tentative"},
         "events/ev.ja.md:9: Event-Status: 'tentative' is not on the list of this field — the "
         "keys are scheduled (開催予定 / Scheduled), cancelled (中止 / Cancelled), postponed "
         "(延期 / Postponed), rescheduled (日程変更 / Rescheduled), moved-online "
         "(オンライン開催に変更 / Moved online)"),
        ({"extra": "Registration: form"},
         "events/ev.ja.md:10: Registration: 'form' is not a web address — write the full address, "
         "starting with https://"),
        ({"extra": "Online: zoom"}, "events/ev.ja.md:10: Online: 'zoom' is not a web address"),
    ],
)
def test_invalid_event_stops_the_build_naming_file_and_field(tmp_path, change, message):
    files = event_file(**change)
    if change.get("starts") == "":
        files = {k: v.replace("    Starts: \n", "") for k, v in files.items()}
    content = write_content(tmp_path / "content", files)
    with pytest.raises(tasks.BuildFailed) as failure:
        build(tmp_path / "output", content, BILINGUAL_STAFF_LANGUAGE="en")
    assert message in str(failure.value)
    assert not (tmp_path / "output").exists()


def test_calendar_page_lists_upcoming_soonest_first_and_past_newest_first(site):
    page = site.page("events/")
    upcoming = page.select_one("section[aria-labelledby=upcoming]")
    starts = [
        site.relative(site.file_for(a["href"])) for a in upcoming.select(".event-list__title a")
    ]
    assert starts == [
        f"events/{slug}/index.html" for slug in (
            "wellness-data-seminar-2026", "childcare-dx-meetup-2026",
            "phr-online-briefing-2027", "tokyo-wellness-networking-2027")
    ]
    past = page.select_one("section[aria-labelledby=past]")
    ended = [site.relative(site.file_for(a["href"])) for a in past.select(".event-list__title a")]
    assert ended == ["events/tokyo-wellness-networking-2022/index.html"]
    report = past.select_one(".event-list__reports a")
    assert site.file_for(report["href"]) == (
        site.output / "reports/tokyo-wellness-networking-2022-report/index.html")
    calendar = page.select_one('link[rel="alternate"][type="text/calendar"]')
    assert site.file_for(calendar["href"]) == site.output / "events/calendar.ics"


@pytest.mark.parametrize(("prefix", "caption"), [("", "2026年12月"), ("en/", "December 2026")])
def test_month_page_has_an_accessible_grid_and_month_navigation(site, prefix, caption):
    page = site.page(prefix + "events/2026/12/")
    table = page.select_one("table.month-grid")
    assert table.caption.get_text(strip=True) == caption
    headers = table.select("thead th")
    assert len(headers) == 7 and all(th["scope"] == "col" for th in headers)
    days = [td for td in table.select("tbody td") if td.select_one(".month-grid__day")]
    assert len(days) == 31
    linked = {site.relative(site.file_for(a["href"])) for a in table.select("a")}
    assert linked == {f"{prefix}events/wellness-data-seminar-2026/index.html",
                      f"{prefix}events/childcare-dx-meetup-2026/index.html"}
    previous = page.select_one('.month-nav a[rel="prev"]')
    following = page.select_one('.month-nav a[rel="next"]')
    assert site.file_for(previous["href"]) == site.output / prefix / "events/2022/11/index.html"
    assert site.file_for(following["href"]) == site.output / prefix / "events/2027/01/index.html"


def test_today_is_marked_in_the_month_of_the_build(tiny_site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", source_date_epoch(2026, 12, 3, 3, 0))
    site = tiny_site(event_file())
    today = site.page("events/2026/12/").select('td[aria-current="date"]')
    assert [td.select_one(".month-grid__day").contents[0].strip() for td in today] == ["3"]


def structured_data(site, path, kind="Event"):
    blocks = [json.loads(s.string)
              for s in site.page(path).select('script[type="application/ld+json"]')]
    (found,) = [block for block in blocks if block["@type"] == kind]
    return found


def fact_names(page):
    """The names in an event page's list of facts (date, venue, registration …)."""
    return [dt.get_text(strip=True) for dt in page.select("dl.facts dt")]


def test_event_pages_carry_schema_org_event_data(site):
    data = structured_data(site, "events/wellness-data-seminar-2026/")
    assert data["@type"] == "Event" and data["name"] == "ウェルネスデータ活用セミナー2026"
    assert data["startDate"] == "2026-12-10T14:00:00+09:00"
    assert data["location"]["@type"] == "Place" and data["location"]["address"]
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["organizer"]["name"]
    online = structured_data(site, "en/events/phr-online-briefing-2027/")
    assert online["location"]["@type"] == "VirtualLocation"
    assert online["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    cancelled = structured_data(site, "events/childcare-dx-meetup-2026/")
    assert cancelled["eventStatus"] == "https://schema.org/EventCancelled"


def test_registration_button_only_while_registration_is_open(site):
    assert site.page("events/wellness-data-seminar-2026/").select_one("a.button")["href"].startswith("https://")
    assert site.page("events/tokyo-wellness-networking-2022/").select_one("a.button") is None
    cancelled = site.page("en/events/childcare-dx-meetup-2026/")
    assert cancelled.select_one("a.button") is None
    assert "cancelled" in cancelled.select_one(".banner").get_text()
    facts = fact_names(cancelled)
    assert "Registration deadline" not in facts and "Date and time" in facts
    open_event = site.page("en/events/wellness-data-seminar-2026/")
    assert "Registration deadline" in fact_names(open_event)


def test_event_and_report_link_to_each_other(site):
    for prefix in ("", "en/"):
        report = site.page(prefix + "reports/tokyo-wellness-networking-2022-report/")
        to_event = report.select_one(".entry-event a")
        assert site.file_for(to_event["href"]) == (
            site.output / prefix / "events/tokyo-wellness-networking-2022/index.html")
        event = site.page(prefix + "events/tokyo-wellness-networking-2022/")
        back = [site.file_for(a["href"])
                for a in event.select("section[aria-labelledby=event-reports] a")]
        assert back == [
            site.output / prefix / "reports/tokyo-wellness-networking-2022-report/index.html"
        ]


def test_add_to_calendar_link_points_to_the_event_file(site):
    page = site.page("en/events/phr-online-briefing-2027/")
    link = page.select_one('a[type="text/calendar"][download]')
    assert site.file_for(link["href"]) == (
        site.output / "en/events/phr-online-briefing-2027/event.ics")


def test_open_data_csv_uses_the_standard_header(site):
    data = (site.output / "events/events.csv").read_bytes()
    # UTF-8 with a BOM, so that Excel on Japanese Windows opens it right when double-clicked.
    assert data.startswith(codecs.BOM_UTF8)
    with open(site.output / "events/events.csv", encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle)) == OPEN_DATA_HEADER
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert list(rows[0].keys()) == OPEN_DATA_HEADER
    assert len(rows) == 5
    first = rows[0]
    assert first["イベント名"] == "TOKYOウェルネス事業ネットワーキング2022"
    assert first["イベント名_英語"] == "TOKYO Wellness Networking 2022"
    assert (first["開始日"], first["開始時間"], first["終了時間"]) == (
        "2022-11-29", "14:00", "17:30")
    cancelled = next(r for r in rows if r["イベント名_英語"] == "Childcare Support DX Meetup")
    assert cancelled["備考"] == "中止"
    assert all(site.file_for(r["URL"]).exists() for r in rows)


def test_events_feed_holds_announcements_and_reports(site):
    parsed = feedparser.parse((site.output / "feeds/events.atom.xml").read_bytes())
    links = [entry.link for entry in parsed.entries]
    assert f"{SITEURL}/reports/tokyo-wellness-networking-2022-report/" in links
    assert f"{SITEURL}/events/wellness-data-seminar-2026/" in links
    assert f"{SITEURL}/events/tokyo-wellness-networking-2022/" not in links  # over


def test_a_report_naming_an_unknown_event_stops_the_build(tmp_path):
    content = write_content(tmp_path / "content", {
        "reports/r.ja.md": """\
            Title: レポート
            Slug: r
            Lang: ja
            Date: 2022-12-01 10:00
            Event: no-such-event

            本文
            """,
    })
    with pytest.raises(tasks.BuildFailed) as failure:
        build(tmp_path / "output", content, BILINGUAL_STAFF_LANGUAGE="en")
    assert "reports/r.ja.md:5: Event: no published event has the slug 'no-such-event'" in str(
        failure.value
    )


@pytest.mark.parametrize(("prefix", "mark"), [("", "【中止】"), ("en/", "[Cancelled] ")])
def test_a_cancelled_event_is_cancelled_in_the_feeds_and_invites_no_registration(
    site, prefix, mark
):
    page = f"{SITEURL}/{prefix}events/childcare-dx-meetup-2026/"
    for fmt in ("atom", "rss"):
        feed = feedparser.parse((site.output / f"{prefix}feeds/events.{fmt}.xml").read_bytes())
        (entry,) = [e for e in feed.entries if e.link == page]
        assert entry.title.startswith(mark), (fmt, entry.title)
    lang = "en" if prefix else "ja"
    for path in (f"{prefix}events/calendar.ics",
                 f"{prefix}events/childcare-dx-meetup-2026/event.ics"):
        event = event_by_uid(site.output / path, "childcare-dx-meetup-2026", lang)
        description = str(event["DESCRIPTION"])
        assert page in description and "register" not in description.lower(), path
    # (A scheduled event still invites, after its address.)
    scheduled = event_by_uid(site.output / f"{prefix}events/calendar.ics",
                             "wellness-data-seminar-2026", lang)
    own_page = f"{SITEURL}/{prefix}events/wellness-data-seminar-2026/"
    assert "https://" in str(scheduled["DESCRIPTION"]).split(own_page, 1)[1]


@pytest.mark.parametrize(("prefix", "lang"), [("", "ja"), ("en/", "en")])
def test_a_past_event_invites_no_registration_in_its_calendar_files(site, prefix, lang):
    # (Its page shows no registration button: the calendar says the same.)
    slug = "tokyo-wellness-networking-2022"
    assert site.page(f"{prefix}events/{slug}/").select_one("a.button") is None
    for path in (f"{prefix}events/calendar.ics", f"{prefix}events/{slug}/event.ics"):
        description = str(event_by_uid(site.output / path, slug, lang)["DESCRIPTION"])
        assert f"{SITEURL}/{prefix}events/{slug}/" in description, path
        assert "/register" not in description and "お申込み" not in description, path


@pytest.mark.parametrize(("text", "fields"), [
    ("〒163-8001 東京都新宿区西新宿二丁目8番1号",
     {"postalCode": "163-8001", "addressRegion": "東京都", "addressLocality": "新宿区",
      "streetAddress": "西新宿二丁目8番1号"}),
    ("〒１６３－８００１　東京都新宿区西新宿２－８－１",
     {"postalCode": "163-8001", "addressRegion": "東京都", "addressLocality": "新宿区",
      "streetAddress": "西新宿2-8-1"}),
    ("東京都新宿区市谷本村町5-1",  # (市 and 村 in the street are not the municipality)
     {"addressRegion": "東京都", "addressLocality": "新宿区", "streetAddress": "市谷本村町5-1"}),
    ("東京都東村山市本町1-2-3",
     {"addressRegion": "東京都", "addressLocality": "東村山市", "streetAddress": "本町1-2-3"}),
    ("東京都西多摩郡奥多摩町氷川215-6",
     {"addressRegion": "東京都", "addressLocality": "西多摩郡奥多摩町",
      "streetAddress": "氷川215-6"}),
    ("東京都大島町元町1-1-14",
     {"addressRegion": "東京都", "addressLocality": "大島町", "streetAddress": "元町1-1-14"}),
    ("愛知県名古屋市中村区名駅1-1-4",
     {"addressRegion": "愛知県", "addressLocality": "名古屋市中村区",
      "streetAddress": "名駅1-1-4"}),
    ("三重県四日市市諏訪町1番5号",
     {"addressRegion": "三重県", "addressLocality": "四日市市", "streetAddress": "諏訪町1番5号"}),
    ("1-7-1 Kaigan, Minato-ku, Tokyo 105-0022",
     {"postalCode": "105-0022", "addressRegion": "Tokyo", "addressLocality": "Minato-ku",
      "streetAddress": "1-7-1 Kaigan"}),
    # Not recognised: kept whole, never split wrong.
    ("新宿区西新宿2-8-1", {"streetAddress": "新宿区西新宿2-8-1"}),
    ("東京都新宿区", {"streetAddress": "東京都新宿区"}),
    ("Tokyo Big Sight, Ariake, Tokyo", {"streetAddress": "Tokyo Big Sight, Ariake, Tokyo"}),
])
def test_an_address_is_split_only_into_parts_it_surely_has(text, fields):
    assert postal_address(text) == {"@type": "PostalAddress", **fields, "addressCountry": "JP"}


def event_json_ld(site, path):
    """The Event JSON-LD of an event page, read with lxml and json."""
    tree = html.fromstring((site.output / path / "index.html").read_bytes())
    blocks = [json.loads(script.text)
              for script in tree.xpath('//script[@type="application/ld+json"]')]
    (found,) = [block for block in blocks if block["@type"] == "Event"]
    return found


@pytest.mark.parametrize(("prefix", "address", "home"), [
    ("", {"addressRegion": "東京都", "addressLocality": "新宿区",
          "streetAddress": "西新宿二丁目8番1号"}, f"{SITEURL}/"),
    ("en/", {"addressRegion": "Tokyo", "addressLocality": "Shinjuku-ku",
             "streetAddress": "2-8-1 Nishi-Shinjuku"}, f"{SITEURL}/en/"),
])
def test_event_structured_data_has_address_parts_image_organizer_and_offer(
    site, prefix, address, home
):
    data = event_json_ld(site, f"{prefix}events/wellness-data-seminar-2026")
    assert data["location"]["address"] == {"@type": "PostalAddress", **address,
                                           "addressCountry": "JP"}
    assert data["image"] and all(site.file_for(url).is_file() for url in data["image"])
    assert data["organizer"]["url"] == home and data["organizer"]["name"]
    offer = data["offers"]
    assert offer["availability"] == "https://schema.org/InStock"
    assert datetime.datetime.fromisoformat(offer["validFrom"]) == datetime.datetime(
        2026, 11, 2, 10, 0, tzinfo=TOKYO)  # published (Date:)
    assert datetime.datetime.fromisoformat(offer["validThrough"]) == datetime.datetime(
        2026, 12, 7, 17, 0, tzinfo=TOKYO)  # Registration-Deadline
    assert offer["url"].endswith("/register")
    # Nothing to register for: a cancelled event, a past one.
    for slug in ("childcare-dx-meetup-2026", "tokyo-wellness-networking-2022"):
        assert "offers" not in event_json_ld(site, f"{prefix}events/{slug}"), slug


def test_after_the_deadline_the_offer_is_sold_out_as_the_page_shows_no_button(
    tmp_path, monkeypatch
):
    content = write_content(tmp_path / "content", event_file(
        extra="Registration: https://example.jp/ev/register\n"
              "    Registration-Deadline: 2026-12-01 17:00"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", source_date_epoch(2026, 12, 3))
    output = build(tmp_path / "output", content)
    page = html.fromstring((output / "events/ev/index.html").read_bytes())
    assert not page.xpath('//a[contains(@class, "button")]')
    (block,) = [json.loads(s.text) for s in page.xpath('//script[@type="application/ld+json"]')
                if json.loads(s.text)["@type"] == "Event"]
    assert block["offers"]["availability"] == "https://schema.org/SoldOut"
    (event,) = vevents(output / "events/ev/event.ics")
    assert "/register" not in str(event["DESCRIPTION"])
