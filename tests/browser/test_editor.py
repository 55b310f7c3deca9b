"""The browser editor, as staff use it: `invoke serve --edit` on a copy of the project,
Decap CMS in Debian's Chromium, the files it writes, the site the preview builds.

The task runs in a copy (content, theme, plugins, settings, tasks.py) so that
the tests' saves never touch the real content; node_modules is the real one.
"""

import datetime
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import pytest
from bilingual.rules import file_fingerprint, translated_from
from bs4 import BeautifulSoup
from PIL import Image
from support import copy_project, running_preview

from deploy.local_nginx import free_port

ROOT = Path(__file__).resolve().parents[2]
DECAP = ROOT / "node_modules" / "decap-cms" / "dist" / "decap-cms.js"
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    if not DECAP.is_file():
        message = "Decap CMS is not installed (npm ci): the editor cannot be tested"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with running_preview(copy_project(tmp_path_factory.mktemp("editing")), "--edit") as running:
        printed = running.printed
        # (in the staff's language: Japanese)
        assert f"プレビュー: http://127.0.0.1:{running.port}/" in printed, printed
        assert f"編集画面: http://127.0.0.1:{running.port}/admin/" in printed, printed
        yield running


@pytest.fixture
def editor(browser, preview):
    """A staff member's browser on the editor, logged in; fails on any request elsewhere."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                  timezone_id="Asia/Tokyo", locale="ja-JP")
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{preview.base}/admin/")
    page.get_by_role("button", name="ログイン").click()
    page.get_by_role("link", name=re.compile("お知らせ")).first.wait_for()
    yield page
    context.close()
    elsewhere = sorted({url for url in requests
                        if not url.startswith((preview.base + "/", "data:", "blob:"))})
    assert elsewhere == [], f"the editor made requests to other hosts: {elsewhere}"


def open_entry(page, preview, collection, slug):
    """Open an item as staff do, read afresh from its files."""
    page.goto(f"{preview.base}/admin/#/collections/{collection}/entries/{slug}")
    page.reload()
    page.locator("[id^='Title-field-']").first.wait_for()
    # (The relation fields look up their items once the form is shown.)
    page.wait_for_load_state("networkidle")


def field(page, name, language=0, kind="input"):
    """The control of field ``name`` on the Japanese (0) or English (1) side."""
    return page.locator(f"{kind}[id^='{name}-field-']").nth(language)


def publish(page, preview, settled=True):
    """Save with the editor's 公開 → 公開する, and wait for the preview to rebuild.

    ``settled``: wait for the editor to say 保存済 too (Decap's rich text mode
    may rewrite a body it reloads after the save, and say 未保存 again).
    """
    before = preview.status()["builds"]
    page.get_by_role("button", name="公開", exact=True).click()
    with page.expect_response(lambda response: "/admin/api/v1" in response.url
                              and "persistEntry" in (response.request.post_data or "")) as saved:
        page.get_by_role("menuitem", name="公開する").click()
    assert saved.value.status == 200
    if settled:
        page.get_by_text("保存済").wait_for()
    return preview.wait_for_build(before)


def body(page, language=0):
    """The Markdown body's editor (Decap's raw mode) on one side."""
    return page.locator("[id^='body-field-'], [role=textbox]").nth(language)


def type_in_body(page, language, text):
    """Type ``text`` at the end of the body, line by line, as staff do."""
    body(page, language).click()
    page.keyboard.press("Control+End")
    for number, line in enumerate(text.split("\n")):
        if number:
            page.keyboard.press("Enter")
        page.keyboard.type(line)


def choose(page, control, option):
    """Pick ``option`` in a select (Decap's react-select) by its label."""
    control.click()
    page.get_by_role("option", name=option, exact=True).click()


def test_every_kind_is_a_collection_and_every_item_opens(editor, preview):
    for collection, label in (("news", "お知らせ"), ("reports", "イベントレポート"),
                              ("projects", "プロジェクト"), ("events", "イベントカレンダー"),
                              ("pages", None)):
        editor.goto(f"{preview.base}/admin/#/collections/{collection}")
        slugs = {path.name.split(".")[0]
                 for path in (preview.root / "content" / collection).glob("*.md")}
        for slug in slugs:
            link = editor.locator(f"a[href$='/collections/{collection}/entries/{slug}']")
            link.first.wait_for()
        assert editor.locator(f"a[href*='/collections/{collection}/entries/']").count() == \
            len(slugs)
        if label:
            assert label in editor.locator("body").inner_text()


def test_references_offer_the_items_the_build_read(preview):
    data = json.loads((preview.output / "admin" / "editor.json").read_text(encoding="utf-8"))
    collections = {c["name"]: {f["name"]: f for f in c["fields"]}
                   for c in data["config"]["collections"]}
    projects = collections["news"]["Projects"]
    assert projects["multiple"] is True
    titles = {path.name.split(".")[0]: re.search(r"^Title: (.*)$", path.read_text("utf-8"), re.M)[1]
              for path in (preview.root / "content/projects").glob("*.ja.md")}
    assert {o["value"]: o["label"] for o in projects["options"]} == titles
    events = {o["value"] for o in collections["reports"]["Event"]["options"]}
    assert events == {path.name.split(".")[0]
                      for path in (preview.root / "content/events").glob("*.ja.md")}


def test_opening_and_saving_every_file_keeps_it_byte_for_byte(editor, preview):
    """The editor's reading and writing of our format, on every content file: the
    format code staff's saves go through, with the configuration the build made."""
    data = json.loads((preview.output / "admin" / "editor.json").read_text(encoding="utf-8"))
    files = sorted((preview.root / "content").rglob("*.md"))
    texts = {str(path.relative_to(preview.root)): path.read_text(encoding="utf-8")
             for path in files}
    orders = {c["folder"]: [f["name"] for f in c["fields"]] for c in data["config"]["collections"]}
    written = editor.evaluate(
        """([schema, texts, orders]) => {
            const format = window.PelicanFormat.make(schema);
            const out = {};
            for (const [path, text] of Object.entries(texts)) {
              const order = orders[path.split("/").slice(0, 2).join("/")];
              out[path] = format.toFile(format.fromFile(text), order);
            }
            return out;
        }""", [data["format"], texts, orders])
    assert len(texts) > 40
    changed = [path for path, text in texts.items() if written[path] != text]
    assert changed == []


def run_format(page, preview, text, change):
    """``text`` read by the editor's format, ``change`` (JS on ``data``) applied, written back."""
    data = json.loads((preview.output / "admin" / "editor.json").read_text(encoding="utf-8"))
    order = [f["name"] for f in data["config"]["collections"][0]["fields"]]
    return page.evaluate(
        """([schema, text, order, change]) => {
            const format = window.PelicanFormat.make(schema);
            const data = format.fromFile(text);
            new Function("data", change)(data);
            return [format.toFile(data, order), data];
        }""", [data["format"], text, order, change])


def test_what_the_editor_does_not_know_is_kept_as_written(editor, preview):
    written = ("Title: 古いタイトル\r\nSlug: kept\r\nLang: ja\r\nDate: 2023-04-01 10:00\r\n"
               "Modified:\r\nTags: phr,   wellness\r\nX-Internal-Note: 広報課で確認済み\r\n"
               "Summary: 一行目の要約\r\n    続きの行\r\nStatus: draft\r\n\r\n本文です。\r\n")
    unchanged, data = run_format(editor, preview, written, "")
    assert unchanged == written
    assert data["Tags"] == ["phr", "wellness"]
    assert data["Status"] is True
    assert data["Summary"] == "一行目の要約 続きの行"
    changed, _ = run_format(editor, preview, written,
                            "data.Title = '新しいタイトル'; data.Status = false;"
                            "data.Projects = ['boshimo'];")
    assert changed == written.replace("古いタイトル", "新しいタイトル").replace(
        "Status: draft\r\n", "").replace("\r\n\r\n本文", "\r\nProjects: boshimo\r\n\r\n本文")


def test_the_editor_fingerprints_originals_as_the_checks_do(editor, preview):
    originals = sorted((preview.root / "content").rglob("*.ja.md"))
    data = json.loads((preview.output / "admin" / "editor.json").read_text(encoding="utf-8"))
    texts = {str(path): path.read_text(encoding="utf-8") for path in originals}
    in_browser = editor.evaluate(
        """async ([schema, texts]) => {
            const format = window.PelicanFormat.make(schema);
            const out = {};
            for (const [path, text] of Object.entries(texts)) {
              const data = format.fromFile(text);
              out[path] = await window.PelicanFormat.fingerprint(data.Title, data.Summary,
                                                                 data.body);
            }
            return out;
        }""", [data["format"], texts])
    assert in_browser == {path: file_fingerprint(text) for path, text in texts.items()}
    # and so a sample translation shows as following its original
    open_entry(editor, preview, "news", "site-launch")
    english = (preview.root / "content/news/site-launch.en.md").read_text(encoding="utf-8")
    assert translated_from(re.search(r"^Translated-From: (.*)$", english, re.M)[1])
    status = editor.locator(".pelican-translated-from [role=status]")
    assert status.inner_text() == "日本語版に合わせてあります（Up to date with the ja version）"


def test_a_changed_original_is_announced_until_the_translator_marks_it(editor, preview):
    slug = "column-what-is-phr"
    english_path = f"content/news/{slug}.en.md"
    before = preview.read(english_path)
    open_entry(editor, preview, "news", slug)
    field(editor, "Summary", 0).fill(field(editor, "Summary", 0).input_value() + "（更新）")
    assert publish(editor, preview)["state"] == "ok"
    assert preview.read(english_path) == before
    page = BeautifulSoup((preview.output / f"en/news/{slug}/index.html").read_text("utf-8"),
                         "html.parser")
    assert "The Japanese version of this page" in page.select_one(".banner--stale").get_text()

    open_entry(editor, preview, "news", slug)
    status = editor.locator(".pelican-translated-from [role=status]")
    assert "変わっています" in status.inner_text()
    editor.get_by_role("button", name=re.compile("翻訳を日本語版に合わせた")).click()
    assert "合わせてあります" in status.inner_text()
    assert publish(editor, preview)["state"] == "ok"
    written = preview.read(english_path).decode("utf-8")
    changed = [line for line in written.splitlines()
               if line not in before.decode("utf-8").splitlines()]
    assert len(changed) == 1 and changed[0].startswith("Translated-From: ja ")
    page = BeautifulSoup((preview.output / f"en/news/{slug}/index.html").read_text("utf-8"),
                         "html.parser")
    assert page.select_one(".banner--stale") is None


def test_an_edit_changes_only_its_line_and_undoing_it_restores_the_file(editor, preview):
    paths = [f"content/reports/tokyo-wellness-networking-2022-report.{lang}.md"
             for lang in ("ja", "en")]
    before = {path: preview.read(path) for path in paths}
    open_entry(editor, preview, "reports", "tokyo-wellness-networking-2022-report")
    title = field(editor, "Title", 1)
    original = title.input_value()
    title.fill(original + " (updated)")
    publish(editor, preview)
    english = preview.read(paths[1]).decode("utf-8").splitlines()
    old_english = before[paths[1]].decode("utf-8").splitlines()
    assert [line for line in english if line not in old_english] == \
        [f"Title: {original} (updated)"]
    assert len(english) == len(old_english)
    assert preview.read(paths[0]) == before[paths[0]]

    open_entry(editor, preview, "reports", "tokyo-wellness-networking-2022-report")
    field(editor, "Title", 1).fill(original)
    publish(editor, preview)
    assert {path: preview.read(path) for path in paths} == before


def test_staff_write_a_news_item_in_both_languages(editor, preview):
    editor.goto(f"{preview.base}/admin/#/collections/news/new")
    field(editor, "Title", 0).fill("母子手帳アプリの実証を始めました")
    field(editor, "Slug", 0).fill("boshimo-trial-started")
    field(editor, "Date", 0, "input[type=date]").fill("2026-11-20")
    field(editor, "Date", 0, "input[type=time]").fill("10:30")
    choose(editor, field(editor, "Category", 0), "連載コラム")
    choose(editor, field(editor, "Tags", 0), "子育て")
    choose(editor, field(editor, "Tags", 0), "予防接種")
    choose(editor, field(editor, "Projects", 0),
           "母子健康手帳アプリと予防接種記録等のデータを利活用した乳幼児定期予防接種事業")
    field(editor, "Summary", 0).fill("母子手帳アプリで予防接種の手続きを減らす実証を始めました。")
    type_in_body(editor, 0, "実証の内容をお知らせします。\n\n## 実証の内容\n\n"
                            "予防接種の予診票をアプリで記入します。")
    field(editor, "Title", 1).fill("Trial of the maternal and child health app begins")
    field(editor, "Summary", 1).fill("A trial to cut vaccination paperwork with an app has begun.")
    type_in_body(editor, 1, "We report the trial.\n\n## The trial\n\n"
                            "Parents fill in the pre-vaccination form in the app.")
    # New items start as drafts, as `invoke new` makes them: publish it.
    draft = editor.locator("[id^='Status-field-']").first
    assert draft.get_attribute("aria-checked") == "true"
    draft.click()
    status = publish(editor, preview)
    assert status["state"] == "ok", status["message"]

    japanese = preview.read("content/news/boshimo-trial-started.ja.md").decode("utf-8")
    english = preview.read("content/news/boshimo-trial-started.en.md").decode("utf-8")
    head = japanese.split("\n\n", 1)[0].splitlines()
    assert head == [
        "Title: 母子手帳アプリの実証を始めました", "Slug: boshimo-trial-started", "Lang: ja",
        "Date: 2026-11-20 10:30", "Category: column", "Summary: 母子手帳アプリで予防接種の"
        "手続きを減らす実証を始めました。", "Tags: childcare, vaccination", "Projects: boshimo",
    ]
    assert "Status" not in japanese
    english_head = dict(line.split(": ", 1) for line in english.split("\n\n", 1)[0].splitlines())
    assert english_head["Lang"] == "en"
    assert english_head["Date"] == "2026-11-20 10:30"
    assert english_head["Tags"] == "childcare, vaccination"
    assert english_head["Projects"] == "boshimo"
    assert english.split("\n\n", 1)[1].startswith("We report the trial.")

    # The page, the feed entry and the project's related list show it.
    page = BeautifulSoup((preview.output / "news/boshimo-trial-started/index.html")
                         .read_text(encoding="utf-8"), "html.parser")
    assert page.h1.get_text(strip=True) == "母子手帳アプリの実証を始めました"
    english_page = preview.output / "en/news/boshimo-trial-started/index.html"
    assert "Trial of the maternal" in english_page.read_text(encoding="utf-8")
    feed = feedparser.parse((preview.output / "feeds/news.atom.xml").read_bytes())
    assert "母子手帳アプリの実証を始めました" in [entry.title for entry in feed.entries]
    project = BeautifulSoup((preview.output / "projects/boshimo/index.html")
                            .read_text(encoding="utf-8"), "html.parser")
    assert "母子手帳アプリの実証を始めました" in project.get_text()


# A 4 × 3 orange PNG.
PHOTO = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000040000000308020000003b963991000000"
    "1049444154789c63f8dfc000470c3839006a4011f5395e1f300000000049454e44ae426082")


def upload_photo(editor, path):
    """Choose a photo from the PC in Decap's media dialog (the first 画像を選択 button)."""
    path.write_bytes(PHOTO)
    editor.get_by_role("button", name="画像を選択").first.click()
    editor.locator("input[type=file]").set_input_files(path)
    editor.get_by_role("button", name="選択する").click()


def test_a_photo_in_a_new_draft_page_in_japanese_only(editor, preview, tmp_path):
    editor.goto(f"{preview.base}/admin/#/collections/pages/new")
    field(editor, "Title", 0).fill("会場のご案内")
    field(editor, "Slug", 0).fill("venue-guide")
    # The image button is in the rich text mode.
    editor.get_by_text("リッチテキスト").first.locator("xpath=..").locator("[role=switch]").click()
    type_in_body(editor, 0, "会場の様子です。")
    editor.get_by_role("button", name="コンポーネント追加").first.click()
    editor.get_by_role("menuitem", name="Image").first.click()
    upload_photo(editor, tmp_path / "venue.png")
    editor.locator("input[id^='alt-field-']").fill("会議室の入口")
    status = publish(editor, preview, settled=False)  # a draft: in the preview only
    assert status["state"] == "ok", status["message"]

    assert preview.read("content/images/venue.png") == PHOTO
    source = preview.read("content/pages/venue-guide.ja.md").decode("utf-8")
    assert "Status: draft" in source.split("\n\n", 1)[0].splitlines()
    assert "![会議室の入口]({static}/images/venue.png)" in source
    # Left empty, the English version is not written: the page is Japanese only.
    assert not (preview.root / "content/pages/venue-guide.en.md").exists()
    page = BeautifulSoup((preview.output / "venue-guide/index.html").read_text("utf-8"),
                         "html.parser")
    image = page.find("img", alt="会議室の入口")
    assert image is not None and image.parent.name == "picture"
    # The preview shows the photo as published: made anew from its pixels (photos plugin).
    with Image.open(preview.output / image["src"].lstrip("/")) as shown, \
            Image.open(io.BytesIO(PHOTO)) as uploaded:
        assert shown.size == uploaded.size


def test_a_lead_photo_is_chosen_in_the_editor_and_shown_at_the_top(editor, preview, tmp_path):
    editor.goto(f"{preview.base}/admin/#/collections/news/new")
    field(editor, "Title", 0).fill("説明会の会場写真")
    field(editor, "Slug", 0).fill("briefing-room-photo")
    # The lead photo (メイン写真) is Decap's image field: chosen once, for both languages.
    upload_photo(editor, tmp_path / "briefing-room.png")
    field(editor, "Image-Alt", 0).fill("説明会の会場の入口")
    type_in_body(editor, 0, "会場の写真です。")
    status = publish(editor, preview, settled=False)  # a draft: in the preview only
    assert status["state"] == "ok", status["message"]

    head = preview.read("content/news/briefing-room-photo.ja.md").decode("utf-8") \
        .split("\n\n", 1)[0].splitlines()
    assert "Image: {static}/images/briefing-room.png" in head
    assert "Image-Alt: 説明会の会場の入口" in head
    page = BeautifulSoup((preview.output / "news/briefing-room-photo/index.html")
                         .read_text("utf-8"), "html.parser")
    lead = page.select_one("figure.entry-lead img")
    assert lead is not None and lead["alt"] == "説明会の会場の入口"
    assert (preview.output / lead["src"].lstrip("/")).is_file()


def test_a_required_field_left_empty_is_refused(editor, preview):
    editor.goto(f"{preview.base}/admin/#/collections/news/new")
    field(editor, "Slug", 0).fill("no-title-yet")
    editor.get_by_role("button", name="公開", exact=True).click()
    editor.get_by_role("menuitem", name="公開する").click()
    assert editor.get_by_text(re.compile("タイトル（Title）は必須です")).first.is_visible()
    editor.wait_for_timeout(500)
    assert not list((preview.root / "content/news").glob("no-title-yet*"))


def test_changing_an_events_start_moves_it_in_the_calendar(editor, preview):
    open_entry(editor, preview, "events", "wellness-data-seminar-2026")
    field(editor, "Starts", 0, "input[type=time]").fill("15:30")
    status = publish(editor, preview)
    assert status["state"] == "ok", status["message"]
    source = preview.read("content/events/wellness-data-seminar-2026.ja.md").decode("utf-8")
    starts = re.search(r"^Starts: (.*)$", source, re.M)[1]
    assert starts.endswith(" 15:30")
    calendar = icalendar.Calendar.from_ical(
        (preview.output / "events/calendar.ics").read_bytes())
    events = [event for event in calendar.walk("VEVENT")
              if "wellness-data-seminar-2026" in str(event["UID"])]
    assert events
    start = events[0].decoded("DTSTART").astimezone(TOKYO)
    assert start == datetime.datetime.fromisoformat(starts).replace(tzinfo=TOKYO)


def test_a_problem_a_save_introduces_is_shown_in_the_preview_and_the_editor(editor, preview):
    path = "content/events/phr-online-briefing-2027.ja.md"
    before = preview.read(path)
    open_entry(editor, preview, "events", "phr-online-briefing-2027")
    # A slip: the end typed before the start.
    field(editor, "Ends", 0, "input[type=time]").fill("14:00")
    status = publish(editor, preview)
    assert status["state"] == "failed"
    assert f"{path}:" in status["message"]
    assert "Ends" in status["message"]
    # In the editor: the message, with file, line and field.
    alert = editor.locator("#pelican-build[role=alert]")
    alert.wait_for()
    assert f"{path}:" in alert.inner_text()
    # On every preview page, above the last good version.
    preview_page = editor.context.new_page()
    preview_page.goto(f"{preview.base}/events/")
    banner = preview_page.get_by_role("alert")
    assert f"{path}:" in banner.inner_text()
    assert "Ends" in banner.inner_text()
    assert preview_page.locator("main").count() == 1  # the last good page is still there

    open_entry(editor, preview, "events", "phr-online-briefing-2027")
    field(editor, "Ends", 0, "input[type=time]").fill("16:00")
    status = publish(editor, preview)
    assert status["state"] == "ok", status["message"]
    assert preview.read(path) == before
    editor.locator("#pelican-build[role=status]").wait_for()
    preview_page.goto(f"{preview.base}/events/")
    assert preview_page.locator("#preview-problem").count() == 0


def api_request(preview, body, origin, host=None, content_type="application/json"):
    request = urllib.request.Request(
        f"{preview.base}/admin/api/v1", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": content_type, **({"Origin": origin} if origin else {}),
                 **({"Host": host} if host else {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_backend_refuses_requests_from_other_origins(preview):
    target = "content/news/written-by-another-site.ja.md"
    body = {"action": "persistEntry", "params": {
        "dataFiles": [{"path": target, "slug": "x", "raw": "Title: x\n"}], "assets": [],
        "options": {"commitMessage": "x"}}}
    assert api_request(preview, body, "http://evil.example") == 403
    assert api_request(preview, body, None) == 403
    assert api_request(preview, body, "null") == 403
    # A name pointed at 127.0.0.1 (DNS rebinding) is not the preview's own host.
    assert api_request(preview, body, "http://rebound.example:1",
                       host="rebound.example:1") == 403
    assert api_request(preview, body, preview.base, content_type="text/plain") == 403
    assert not (preview.root / target).exists()
    # Outside the content folder, even from the editor's own page.
    outside = {"action": "persistEntry", "params": {
        "dataFiles": [{"path": "content/../tasks.py", "slug": "x", "raw": "x"}],
        "assets": [], "options": {"commitMessage": "x"}}}
    before = (preview.root / "tasks.py").read_bytes()
    assert api_request(preview, outside, preview.base) == 403
    assert (preview.root / "tasks.py").read_bytes() == before


def test_a_page_of_another_site_cannot_write_into_the_content(browser, preview, tmp_path):
    """A page served from another origin, open in the same browser, tries to save."""
    target = "content/news/cross-site.ja.md"
    attack = tmp_path / "attack.html"
    attack.write_text(f"""<!doctype html><title>x</title><script>
      const body = JSON.stringify({{action: "persistEntry", params: {{
        dataFiles: [{{path: "{target}", slug: "x", raw: "Title: x\\n"}}], assets: [],
        options: {{commitMessage: "x"}}}}}});
      window.done = Promise.allSettled([
        fetch("{preview.base}/admin/api/v1", {{method: "POST", mode: "no-cors",
              headers: {{"Content-Type": "text/plain"}}, body}}),
        fetch("{preview.base}/admin/api/v1", {{method: "POST",
              headers: {{"Content-Type": "application/json"}}, body}}),
      ]);
    </script>""", encoding="utf-8")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind",
                               "127.0.0.1"], cwd=tmp_path, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        context = browser.new_context()
        page = context.new_page()
        for _ in range(50):
            try:
                page.goto(f"http://127.0.0.1:{port}/attack.html")
                break
            except Exception:  # noqa: BLE001 - the server is starting
                time.sleep(0.1)
        page.evaluate("window.done")
        context.close()
    finally:
        server.terminate()
        server.wait()
    assert not (preview.root / target).exists()


def listening_addresses(port):
    """The local addresses of the TCP sockets listening on ``port`` (from /proc)."""
    found = []
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        if not os.path.exists(table):
            continue
        with open(table) as handle:
            next(handle)
            for line in handle:
                local, state = line.split()[1], line.split()[3]
                address, port_hex = local.split(":")
                if state == "0A" and int(port_hex, 16) == port:
                    raw = bytes.fromhex(address)
                    if family == socket.AF_INET:
                        raw = raw[::-1]
                    else:
                        raw = b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))
                    found.append(socket.inet_ntop(family, raw))
    return found


def test_the_backend_listens_on_the_loopback_address_only(preview):
    assert listening_addresses(preview.port) == ["127.0.0.1"]
    # And from the machine's other addresses, nothing answers.
    others = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None,
                                                        socket.AF_INET)} - {"127.0.0.1"}
    for address in others:
        if address.startswith("127."):
            continue
        with socket.socket() as probe:
            probe.settimeout(2)
            assert probe.connect_ex((address, preview.port)) != 0
