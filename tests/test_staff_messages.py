"""Staff read every check, scaffold and preview message in their language: Japanese by
default, English with ``--lang en`` (or BILINGUAL_STAFF_LANGUAGE), from the theme's catalogs.

The catalog test (test_bilingual) fails when a message lacks its Japanese; these tests
fail when a message is written so that it cannot be translated (a plain f-string).
"""

import re
import subprocess
import sys
from pathlib import Path

from bilingual.i18n import said
from bilingual.site import staff_gettext
from checks.checks import run_checks
from support import ROOT, write_content
from test_checks import GOOD_EN, GOOD_JA, NOW, site_settings

INVOKE = str(Path(sys.executable).with_name("invoke"))
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

EVENT = """\
    Title: {title}
    Slug: ev
    Lang: {lang}
    Date: 2026-11-01 10:00
    Starts: {starts}
    Ends: 2026-12-10 13:00
    Timezone: Asia/Tokio
    Event-Status: tentative
    Registration: form
    Registration-Deadline: 12月3日
    Capacity: 百
    Tags: phr

    本文
    """

# One folder of the slips staff make, each a different check (and its fix).
SLIPS = {
    # metadata typed with a Japanese keyboard, a field twice, a missing field, an unknown one
    "news/colon.ja.md": GOOD_JA.replace("Category: announcements",
                                        "Category: announcements\n    Summary：要約"),
    "news/colon.en.md": GOOD_EN,
    "news/twice.ja.md": GOOD_JA.replace("Slug: item", "Slug: twice\n    Slug: twice")
    .replace("Category: announcements", "Category: announcements\n    Autor: 広報"),
    "news/twice.en.md": GOOD_EN.replace("Slug: item", "Slug: twice")
    .replace("    Category: announcements\n", ""),
    # every field type
    "news/types.ja.md": GOOD_JA.replace("Slug: item", "Slug: Types_1")
    .replace("Lang: ja", "Lang: jp").replace("Date: 2023-04-01 10:00", "Date: ２０２３/４/１")
    .replace("Category: announcements", "Category: anouncements\n    Tags: welness\n"
             "    One-Language: true\n    Translated-From: english"),
    "news/status.ja.md": GOOD_JA.replace("Slug: item", "Slug: status")
    .replace("Category: announcements", "Category: announcements\n    Status: publish"),
    # a line that is no field ends the metadata; an item without its translation
    "news/cut.ja.md": GOOD_JA.replace("Slug: item", "Slug: cut").replace("Lang: ja", "Lang ja"),
    "news/alone.ja.md": GOOD_JA.replace("Slug: item", "Slug: alone"),
    # a body with every kind of image and link slip
    "news/body.ja.md": GOOD_JA.replace("Slug: item", "Slug: body").replace("本文", (
        "![](/images/a.jpg) ![写真](https://example.com/b.jpg) ![写真](images/c.jpg)\n"
        "    [前の記事]({filename}/news/nothing.ja.md) [下書き]({filename}/news/draft.ja.md)")),
    "news/body.en.md": GOOD_EN.replace("Slug: item", "Slug: body")
    .replace("Date: 2023-04-01 10:00", "Date: 2023-04-02 10:00")
    .replace("Category: announcements", "Category: announcements\n"
             "    Translated-From: ja 00000000\n    Projects: bosimo"),
    "news/draft.ja.md": GOOD_JA.replace("Slug: item", "Slug: draft")
    .replace("Category: announcements", "Category: announcements\n    Status: draft\n"
             "    Tags: welness"),
    "news/draft.en.md": GOOD_EN.replace("Slug: item", "Slug: draft")
    .replace("Category: announcements", "Category: announcements\n    Status: draft"),
    "news/copy.ja.md": GOOD_JA.replace("Slug: item", "Slug: body"),
    # an event with every rule of its own broken
    "events/ev.ja.md": EVENT.format(title="イベント", lang="ja", starts="2026-12-10"),
    "events/ev.en.md": EVENT.format(title="Event", lang="en", starts="2026-12-10 14:00"),
    "stray.md": GOOD_JA,
}


def slips_report(tmp_path):
    content = write_content(tmp_path / "content", SLIPS)
    (content / "news/sjis.ja.md").write_bytes("Title: 記事\n".encode("shift_jis"))
    settings = site_settings(content)
    return run_checks(settings, now=NOW), settings


def test_every_problem_the_checks_find_is_said_in_japanese(tmp_path):
    report, settings = slips_report(tmp_path)
    japanese = staff_gettext(settings)
    found = {(problem.field, problem.message.msgid) for problem in report.problems}
    assert len(found) >= 30, sorted(found)  # (the folder makes as many kinds of slip)
    for problem in report.problems:
        for part in (problem.message, problem.fix):
            assert said(part, japanese) != str(part), f"not translated: {problem}"
            assert JAPANESE.search(said(part, japanese)), said(part, japanese)
    lines = report.lines(with_untranslated=True, gettext=japanese)
    assert [line for line in lines if line.startswith(("error:", "warning:"))] == []
    assert lines[-1].startswith(f"エラー {len(report.errors)} 件、注意 {len(report.warnings)} 件")


def test_a_message_is_said_with_its_values_in_japanese_and_english(tmp_path):
    report, settings = slips_report(tmp_path)
    problem = next(p for p in report.errors if p.field == "Date" and "types" in p.path)
    assert problem.said(staff_gettext(settings)).endswith(
        ":4: Date: 「２０２３/４/１」は日付として読めません — "
        "2023-04-01 10:00 の形で書いてください")
    assert str(problem).endswith(
        ":4: Date: '２０２３/４/１' is not a date — write it as 2023-04-01 10:00")
    english = staff_gettext({**settings, "BILINGUAL_STAFF_LANGUAGE": "en"})
    assert problem.said(english) == str(problem)


def run_task(*arguments, cwd=ROOT):
    return subprocess.run([INVOKE, *arguments], cwd=cwd, capture_output=True, text=True,
                          timeout=300, check=False)


def test_invoke_check_speaks_japanese_unless_asked_for_english(tmp_path):
    content = write_content(tmp_path / "content", {
        "news/item.ja.md": GOOD_JA.replace("Date: 2023-04-01 10:00", "Date: 2023-04-31"),
        "news/item.en.md": GOOD_EN,
    })
    japanese = run_task("check", "--path", str(content))
    assert japanese.returncode == 1
    assert japanese.stdout.splitlines() == [
        f"エラー: {content / 'news/item.ja.md'}:4: Date: 「2023-04-31」は日付として読めません"
        " — 2023-04-01 10:00 の形で書いてください",
        "エラー 1 件、注意 0 件",
    ]
    english = run_task("check", "--path", str(content), "--lang", "en")
    assert english.returncode == 1
    assert english.stdout.splitlines()[0] == (
        f"error: {content / 'news/item.ja.md'}:4: Date: '2023-04-31' is not a date — "
        "write it as 2023-04-01 10:00")
    assert english.stdout.splitlines()[-1].startswith("1 error(s)")


def test_invoke_new_speaks_japanese(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    made = run_task("new", "article", "--slug", "fy2027-call", "--title", "公募",
                    "--path", str(content))
    assert made.returncode == 0, made.stderr
    assert made.stdout.splitlines()[-1] == (
        "ファイルを編集し、`invoke serve --drafts` でプレビューを確認してから、"
        "`Status: draft` の行を消してください。")
    assert all(line.endswith("を作りました") for line in made.stdout.splitlines()[:2])
    refused = run_task("new", "article", "--slug", "ＦＹ2027", "--title", "公募",
                       "--path", str(content))
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "何も作っていません：「ＦＹ2027」はスラッグとして使えません。半角の英小文字・数字・"
        "ハイフンで書いてください（例：fy2023-open-call）。すべての言語で同じにします")
    english = run_task("new", "article", "--slug", "fy2027-call", "--title", "公募",
                       "--path", str(content), "--lang", "en")
    assert english.stderr.strip().startswith("Nothing created: the slug 'fy2027-call' is "
                                             "already used in")
