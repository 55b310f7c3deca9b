"""Safe authoring: one test per content rule, each with its own bad file and the exact message.

Also: scaffolding, drafts preview, no leaks, atomic and reproducible builds.
"""

import datetime
import filecmp
import gzip
import logging
import multiprocessing
import os
import subprocess
import sys
import threading
import time

import pytest
from bilingual.generator import BilingualGenerator
from bilingual.parallel import YIELDING_NICENESS, deal, in_child, in_parts, start_parts, taken
from bilingual.settings import apply_defaults
from checks.checks import check_content, run_checks
from checks.scaffold import scaffold
from pelican import signals
from pelican.settings import read_settings
from support import ROOT, Site, build, photo_bytes, write_content

import tasks

NOW = datetime.datetime(2026, 11, 25, tzinfo=datetime.UTC)

GOOD_JA = """\
    Title: 記事
    Slug: item
    Lang: ja
    Date: 2023-04-01 10:00
    Category: announcements

    本文
    """
GOOD_EN = GOOD_JA.replace("Title: 記事", "Title: Item").replace("Lang: ja", "Lang: en")


def site_settings(content):
    """The site's settings (pelicanconf.py, the plugins' defaults) for ``content``."""
    os.makedirs(content, exist_ok=True)
    return apply_defaults(read_settings(str(ROOT / "pelicanconf.py"),
                                        override={"PATH": str(content)}))


def check(tmp_path, files, **kwargs):
    """Run the content checks over ``files``; returns (report, content folder)."""
    content = write_content(tmp_path / "content", files)
    return run_checks(site_settings(content), now=NOW, **kwargs), content


def messages(report, level="errors"):
    return [str(problem) for problem in getattr(report, level)]


def one_error(tmp_path, files, name):
    report, content = check(tmp_path, files)
    path = content / name
    return messages(report), str(path)


# -- one rule each ----------------------------------------------------------------


def test_date_that_is_not_a_date(tmp_path):
    errors, path = one_error(tmp_path, {
        "news/2023-budget.ja.md": GOOD_JA.replace("Date: 2023-04-01 10:00", "Date: 2023-13-45"),
        "news/2023-budget.en.md": GOOD_EN,
    }, "news/2023-budget.ja.md")
    assert errors == [f"{path}:4: Date: '2023-13-45' is not a date — write it as 2023-04-01 10:00"]


def test_required_field_missing(tmp_path):
    errors, path = one_error(tmp_path, {
        "news/a.ja.md": GOOD_JA.replace("    Category: announcements\n", ""),
        "news/a.en.md": GOOD_EN,
    }, "news/a.ja.md")
    assert errors == [
        f"{path}:5: Category: missing — add a line “Category: …” to the metadata at the top"
    ]


def test_a_line_without_colon_is_named_as_the_end_of_the_metadata(tmp_path):
    errors, path = one_error(tmp_path, {
        "news/a.ja.md": GOOD_JA.replace("Slug: item", "Slug item"),
        "news/a.en.md": GOOD_EN,
    }, "news/a.ja.md")
    assert errors == [
        f"{path}:2: Metadata: 'Slug item' is not a 'Field: value' line, so the metadata ends here "
        "and Slug, Lang, Date, Category are not read — write every metadata line as "
        "“Field: value” and leave one blank line before the text"
    ]


def test_lang_must_be_ja_or_en(tmp_path):
    errors, path = one_error(tmp_path, {
        "news/a.ja.md": GOOD_JA.replace("Lang: ja", "Lang: jp"),
        "news/a.en.md": GOOD_EN,
    }, "news/a.ja.md")
    assert errors == [f"{path}:3: Lang: 'jp' is not a site language — write one of ja, en"]


def test_slug_must_be_ascii(tmp_path):
    errors, path = one_error(tmp_path, {
        "news/a.ja.md": GOOD_JA.replace("Slug: item", "Slug: お知らせ"),
    }, "news/a.ja.md")
    assert errors == [
        f"{path}:2: Slug: 'お知らせ' is not a valid slug — use lowercase ASCII letters, digits and "
        "hyphens (e.g. fy2023-open-call), the same in every language"
    ]


def test_slug_unique_per_language_and_type(tmp_path):
    report, content = check(tmp_path, {
        "news/a.ja.md": GOOD_JA, "news/b.ja.md": GOOD_JA, "news/a.en.md": GOOD_EN,
        "pages/item.ja.md": "Title: 同じスラッグのページ\nSlug: item\nLang: ja\n\n本文\n",
        "pages/item.en.md": "Title: Same slug, other type\nSlug: item\nLang: en\n\nBody\n",
    })
    assert messages(report) == [
        f"{content / 'news/b.ja.md'}:2: Slug: 'item' is already used by "
        f"{content / 'news/a.ja.md'} in the same language — give one of them another slug"
    ]


def test_unknown_field_is_a_warning_with_a_suggestion(tmp_path):
    report, content = check(tmp_path, {
        "news/a.ja.md": GOOD_JA.replace("Category: announcements",
                                        "Category: announcements\n    Catgory: column"),
        "news/a.en.md": GOOD_EN,
    })
    assert messages(report) == []
    assert messages(report, "warnings") == [
        f"{content / 'news/a.ja.md'}:6: Catgory: unknown field, it is ignored — "
        "did you mean “Category”?"
    ]


def test_file_saved_as_shift_jis(tmp_path):
    content = write_content(tmp_path / "content", {"news/a.en.md": GOOD_EN})
    (content / "news/a.ja.md").write_bytes(GOOD_JA.replace("    ", "").encode("shift_jis"))
    report = run_checks(site_settings(content), now=NOW)
    assert messages(report) == [
        f"{content / 'news/a.ja.md'}:1: Encoding: the file is not UTF-8 "
        "(it looks like Shift_JIS) — open it in your editor and save it as UTF-8"
    ]


def test_bom_and_crlf_from_windows_editors_are_fine(tmp_path):
    content = write_content(tmp_path / "content", {"news/a.en.md": GOOD_EN})
    windows = "\ufeff" + GOOD_JA.replace("    ", "").replace("\n", "\r\n")
    (content / "news/a.ja.md").write_bytes(windows.encode("utf-8"))
    report = run_checks(site_settings(content), now=NOW)
    assert report.problems == []
    site = Site(build(tmp_path / "output", content))
    assert site.page("news/item/").h1.get_text() == "記事"


def test_projects_reference_must_resolve(tmp_path):
    errors, path = one_error(tmp_path, {
        "news/a.ja.md": GOOD_JA.replace("Category: announcements",
                                        "Category: announcements\n    Projects: bosimo"),
        "news/a.en.md": GOOD_EN,
    }, "news/a.ja.md")
    assert errors == [
        f"{path}:6: Projects: no published project has the slug 'bosimo' — none is published yet"
    ]


def test_event_reference_must_resolve(tmp_path):
    report_file = (
        "Title: レポート\nSlug: r\nLang: ja\nDate: 2023-01-01 10:00\nEvent: networking\n\n本文\n"
    )
    errors, path = one_error(tmp_path, {
        "reports/r.ja.md": report_file,
        "reports/r.en.md": report_file.replace("Lang: ja", "Lang: en"),
    }, "reports/r.ja.md")
    assert (f"{path}:5: Event: no published event has the slug 'networking' — "
            "none is published yet") in errors


def test_filename_link_must_point_to_an_existing_file(tmp_path):
    errors, path = one_error(tmp_path, {
        "news/a.ja.md": (GOOD_JA + "    \n"
                         "    [前回の記事]({filename}previous.ja.md) をご覧ください。\n"),
        "news/a.en.md": GOOD_EN,
    }, "news/a.ja.md")
    assert errors == [
        f"{path}:9: Link: {{filename}}previous.ja.md points to a file that does not exist — check "
        "the path (it is relative to this file, or to content/ when it starts with /)"
    ]


def test_filename_link_must_not_point_to_a_draft(tmp_path):
    errors, path = one_error(tmp_path, {
        "news/a.ja.md": GOOD_JA + "    \n    [次回]({filename}/news/next.ja.md)\n",
        "news/a.en.md": GOOD_EN,
        "news/next.ja.md": GOOD_JA.replace("Slug: item", "Slug: next\n    Status: draft"),
    }, "news/a.ja.md")
    assert errors == [
        f"{path}:9: Link: {{filename}}/news/next.ja.md points to an item that is not published "
        "(draft or embargoed) — publish that item first, or remove the link"
    ]


def test_image_needs_alt_text(tmp_path):
    (tmp_path / "content/images").mkdir(parents=True)
    (tmp_path / "content/images/hall.jpg").write_bytes(photo_bytes())
    errors, path = one_error(tmp_path, {
        "news/a.ja.md": GOOD_JA + "    \n    ![]({static}/images/hall.jpg)\n",
        "news/a.en.md": GOOD_EN,
    }, "news/a.ja.md")
    assert errors == [
        f"{path}:9: Image: {{static}}/images/hall.jpg has no alternative text — describe the image "
        "for people who cannot see it: ![what it shows](…) or alt=\"…\""
    ]


def test_image_must_not_come_from_another_site(tmp_path):
    errors, path = one_error(tmp_path, {
        "news/a.ja.md": GOOD_JA + "    \n    ![会場](https://cdn.example.com/hall.jpg)\n",
        "news/a.en.md": GOOD_EN,
    }, "news/a.ja.md")
    assert errors == [
        f"{path}:9: Image: https://cdn.example.com/hall.jpg is loaded from another site — copy the "
        "image into content/images and link it as {static}/images/…"
    ]


def test_missing_translation_is_a_warning_and_listed(tmp_path):
    report, content = check(tmp_path, {"news/a.ja.md": GOOD_JA})
    assert messages(report) == []
    assert messages(report, "warnings") == [
        f"{content / 'news/a.ja.md'}:2: Lang: no 'en' version of 'item' — add "
        f"{content / 'news/a.en.md'} with the same Slug (until then the language switch says the "
        "page is not translated)"
    ]
    assert report.untranslated == ["news/item: ja only"]


def test_every_problem_is_reported_at_once(tmp_path):
    report, _content = check(tmp_path, {
        "news/a.ja.md": GOOD_JA.replace("Lang: ja", "Lang: jp")
                               .replace("2023-04-01 10:00", "April 1"),
        "news/b.en.md": GOOD_EN.replace("Slug: item", "Slug: Item Two"),
    })
    assert [(p.path.split("/")[-1], p.line, p.field) for p in report.errors] == [
        ("a.ja.md", 3, "Lang"), ("a.ja.md", 4, "Date"), ("b.en.md", 2, "Slug")]


def test_a_drafts_problems_do_not_stop_the_build(tmp_path):
    draft = GOOD_JA.replace("Date: 2023-04-01 10:00", "Date: someday\n    Status: draft")
    report, _content = check(tmp_path, {"news/a.ja.md": draft})
    assert report.errors == []
    assert "(not published yet, so this does not stop the build)" in messages(report, "warnings")[0]


def test_invoke_check_reports_and_exits_with_status_1(tmp_path):
    content = write_content(tmp_path / "content", {
        "news/a.ja.md": GOOD_JA.replace("Date: 2023-04-01 10:00", "Date: 2023-13-45"),
    })
    run = subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--path", str(content), "--lang", "en"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert (f"error: {content / 'news/a.ja.md'}:4: Date: '2023-13-45' is not a date — "
            "write it as 2023-04-01 10:00") in lines
    assert "Untranslated items (one language only):" in lines
    assert lines[-1] == "1 error(s), 1 warning(s), 1 untranslated item(s)"


def test_invoke_new_writes_a_draft_per_language_and_refuses_an_unknown_kind(tmp_path):
    content = tmp_path / "content"
    content.mkdir()

    def new(*arguments):
        return subprocess.run(
            [sys.executable, "-m", "invoke", "new", *arguments, "--path", str(content),
             "--lang", "en"],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )

    made = new("event", "--slug", "fresh-event", "--title", "交流会", "--title-en", "Meetup")
    assert made.returncode == 0, made.stderr
    assert made.stdout.splitlines()[:2] == [
        f"Created {os.path.relpath(content / 'events/fresh-event.ja.md', ROOT)}",
        f"Created {os.path.relpath(content / 'events/fresh-event.en.md', ROOT)}",
    ]
    head = (content / "events/fresh-event.en.md").read_text(encoding="utf-8").split("\n\n")[0]
    assert {"Title: Meetup", "Status: draft", "Event-Status: scheduled", "Starts:"} <= set(
        head.splitlines())
    refused = new("interview", "--slug", "x", "--title", "y")
    assert refused.returncode == 1
    assert ("unknown type 'interview': use one of article, report, project, page, event"
            in refused.stderr)


def test_build_runs_the_checks_first_and_leaves_output_untouched(tmp_path):
    content = write_content(tmp_path / "content",
                            {"news/a.ja.md": GOOD_JA, "news/a.en.md": GOOD_EN})
    output = build(tmp_path / "output", content)
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    write_content(content, {"news/a.ja.md": GOOD_JA.replace("2023-04-01 10:00", "2023-13-45")})
    with pytest.raises(tasks.BuildFailed) as failure:
        build(output, content)
    # In the staff's language: Japanese unless the site says otherwise.
    assert "news/a.ja.md:4: Date: 「2023-13-45」は日付として読めません — 2023-04-01 10:00 の形で" \
           "書いてください" in str(failure.value)
    assert str(failure.value).splitlines()[-1] == "エラー 1 件、注意 0 件"
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
    with pytest.raises(tasks.BuildFailed) as failure:
        build(output, content, BILINGUAL_STAFF_LANGUAGE="en")
    assert "news/a.ja.md:4: Date: '2023-13-45' is not a date — write it as 2023-04-01 10:00" \
        in str(failure.value)
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before


def test_a_build_lists_the_checks_warnings_and_goes_on(tmp_path, caplog):
    # The checks run in a child process beside the reading; their warnings
    # are listed once they are done, before anything is written.
    content = write_content(tmp_path / "content", {"news/a.ja.md": GOOD_JA})
    with caplog.at_level(logging.WARNING, logger="checks.checks"):
        output = build(tmp_path / "output", content)
    # (Pelican's log filter drops a message it has shown before in the
    # process, so only this test's own line is certain to be there.)
    assert f"{content}/news/a.ja.md:2: Lang: 「item」の en 版がありません" in caplog.text
    assert (output / "news/item/index.html").is_file()


def test_work_in_a_child_process_returns_its_answer_or_its_error():
    child = in_child(os.getpid)
    assert child.result() not in (os.getpid(), None)
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        in_child(divmod, 1, 0).result()


def test_interrupted_build_leaves_output_untouched(tmp_path, monkeypatch):
    content = write_content(tmp_path / "content",
                            {"news/a.ja.md": GOOD_JA, "news/a.en.md": GOOD_EN})
    output = build(tmp_path / "output", content)
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}

    def interrupted(self, writer):
        raise KeyboardInterrupt

    monkeypatch.setattr(BilingualGenerator, "generate_output", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(output, content)
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]


# -- scaffolding ----------------------------------------------------------------


def test_new_creates_both_languages_with_every_field_as_a_draft(tmp_path):
    now = datetime.datetime(2026, 3, 31, 16, 30, tzinfo=datetime.UTC)  # 1 April 01:30 in Tokyo
    paths = scaffold(site_settings(tmp_path / "content"), "project", "new-project",
                     {"ja": "新しいプロジェクト", "en": "A new project"}, now=now)
    ja, en = (open(p, encoding="utf-8").read() for p in paths)
    assert paths[0].endswith("projects/new-project.ja.md")
    assert paths[1].endswith("projects/new-project.en.md")
    for text, lang, title in ((ja, "ja", "新しいプロジェクト"), (en, "en", "A new project")):
        head = text.split("\n\n", 1)[0].splitlines()
        fields = dict(line.split(":", 1) for line in head)
        # (the English translates the Japanese as scaffolded: test_translations.py)
        assert set(fields) == {"Title", "Slug", "Lang", "Date", "Status", "Lead", "Track",
                               "Fiscal-Year", "Modified", "Summary", "Service", "Participants",
                               "Website", "Image", "Image-Alt"} | (
            {"Translated-From"} if lang == "en" else set())
        assert fields["Title"].strip() == title and fields["Lang"].strip() == lang
        assert fields["Date"].strip() == "2026-04-01 01:30"
        assert fields["Fiscal-Year"].strip() == "2026"
        assert fields["Status"].strip() == "draft"
    assert "## 書き方の案内" in ja and "## How to fill in this file" in en


def test_new_refuses_a_slug_that_exists(tmp_path):
    write_content(tmp_path / "content", {"news/old.ja.md": GOOD_JA})
    with pytest.raises(ValueError, match="the slug 'item' is already used"):
        scaffold(site_settings(tmp_path / "content"), "article", "item", {"ja": "タイトル"})
    with pytest.raises(ValueError, match="not a valid slug"):
        scaffold(site_settings(tmp_path / "content"), "article", "Bad Slug", {"ja": "タイトル"})


@pytest.mark.parametrize("kind", ["article", "report", "project", "event", "page"])
def test_scaffolded_drafts_never_break_the_build_and_publish_once_filled(tmp_path, kind):
    content = tmp_path / "content"
    paths = scaffold(site_settings(content), kind, "fresh",
                     {"ja": "新しい記事", "en": "Fresh item"},
                     now=datetime.datetime(2026, 11, 20, tzinfo=datetime.UTC))
    if kind == "report":
        write_content(content, {
            "events/ev.ja.md": "Title: 催し\nSlug: ev\nLang: ja\nStarts: 2026-01-10\n\n本文\n",
            "events/ev.en.md": "Title: Event\nSlug: ev\nLang: en\nStarts: 2026-01-10\n\nBody\n",
        })
    site = Site(build(tmp_path / "draft-build", content))
    assert not any("fresh" in site.relative(p) for p in site.output.rglob("*"))
    for path in paths:
        text = open(path, encoding="utf-8").read().replace("Status: draft\n", "")
        text = text.replace("Starts:\n", "Starts: 2026-12-10 14:00\n")
        text = text.replace("Lead:\n", "Lead: 事務局\n").replace("Event:\n", "Event: ev\n")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    published = Site(build(tmp_path / "published", content))
    assert any("fresh" in published.relative(p) for p in published.output.rglob("*.html"))


# -- drafts preview, leaks, reproducibility ------------------------------------------


def test_drafts_preview_marks_drafts_and_the_normal_build_has_none(tmp_path):
    content = write_content(tmp_path / "content", {
        "news/a.ja.md": GOOD_JA, "news/a.en.md": GOOD_EN,
        "news/d.ja.md": GOOD_JA.replace("Slug: item", "Slug: draft-item\n    Status: draft"),
    })
    preview = Site(build(tmp_path / "output-drafts", content, BILINGUAL_SHOW_DRAFTS=True))
    banner = preview.page("news/draft-item/").select_one(".banner--draft")
    assert banner is not None
    assert preview.page("news/item/").select_one(".banner--draft") is None
    normal = Site(build(tmp_path / "output", content))
    assert not (normal.output / "news/draft-item").exists()


def test_drafts_and_embargoed_items_of_every_type_leave_no_trace(tmp_path):
    future = "2026-12-01 10:00"
    files = {"news/a.ja.md": GOOD_JA, "news/a.en.md": GOOD_EN}
    secret = {
        "news/s1.ja.md": (
            GOOD_JA.replace("Title: 記事", "Title: 秘密の記事")
            .replace("Slug: item", "Slug: secret-news\n    Status: draft")
        ),
        "news/s2.en.md": (
            GOOD_EN.replace("Title: Item", "Title: Secret embargo")
            .replace("Slug: item", "Slug: secret-embargo")
            .replace("2023-04-01 10:00", future)
        ),
        "projects/s3.ja.md": (
            "Title: 秘密のプロジェクト\nSlug: secret-project\nLang: ja\nStatus: hidden\n"
            "Lead: 某社\nTrack: collaboration\nFiscal-Year: 2026\n\n本文\n"
        ),
        "events/s4.ja.md": (
            f"Title: 秘密のイベント\nSlug: secret-event\nLang: ja\nDate: {future}\n"
            "Starts: 2026-12-20 10:00\n\n本文\n"
        ),
        "events/s5.en.md": (
            "Title: Secret draft event\nSlug: secret-draft-event\nLang: en\nStatus: draft\n"
            "Starts: 2026-12-21\n\nBody\n"
        ),
    }
    content = write_content(tmp_path / "content", {**files, **secret})
    site = Site(build(tmp_path / "output", content, SEARCH_INDEX=True))
    assert (site.output / "pagefind/ja-0/pagefind-entry.json").exists()
    words = ["secret", "秘密", "Secret"]
    for path in site.output.rglob("*"):
        relative = site.relative(path)
        assert not any(w in relative for w in words) and "drafts" not in relative
        if path.suffix == ".pf_fragment":  # the search index: gzip-compressed text
            text = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        elif path.is_file() and path.suffix in {".html", ".xml", ".ics", ".csv", ".json", ".txt"}:
            text = path.read_text(encoding="utf-8")
        else:
            continue
        for word in words:
            assert word not in text, f"{word} leaks into {relative}"


def test_two_builds_with_the_same_source_date_epoch_are_byte_identical(tmp_path):
    first = build(tmp_path / "one")
    second = build(tmp_path / "two")
    names_one = sorted(str(p.relative_to(first)) for p in first.rglob("*"))
    names_two = sorted(str(p.relative_to(second)) for p in second.rglob("*"))
    assert names_one == names_two
    files = [name for name in names_one if (first / name).is_file()]
    match, mismatch, errors = filecmp.cmpfiles(first, second, files, shallow=False)
    assert mismatch == [] and errors == [] and len(match) == len(files)
    assert os.environ["SOURCE_DATE_EPOCH"]


def many_articles(count=70):
    files = {}
    for n in range(count):
        for lang, title in (("ja", f"記事 {n}"), ("en", f"Article {n}")):
            files[f"news/a{n}.{lang}.md"] = (
                f"Title: {title}\nSlug: a{n}\nLang: {lang}\nDate: 2023-04-{n % 28 + 1:02d} 10:00\n"
                f"Category: {'column' if n % 3 else 'announcements'}\nTags: wellness, phr\n"
                f"Summary: {title}\n\n## 見出し {n}\n\n本文 {n}。[一覧](/news/)\n\n"
                "| a | b |\n| - | - |\n| 1 | 2 |\n\n[^1]\n\n[^1]: 注\n"
            )
    return files


def test_building_on_every_core_gives_the_same_bytes_as_one_process(tmp_path):
    """Markdown is converted and pages rendered in parallel processes; nothing may differ."""
    content = write_content(tmp_path / "content", many_articles())
    serial = build(tmp_path / "serial", content, BILINGUAL_PROCESSES=1)
    parallel = build(tmp_path / "parallel", content, BILINGUAL_PROCESSES=2)
    names = sorted(str(p.relative_to(serial)) for p in serial.rglob("*") if p.is_file())
    assert names == sorted(str(p.relative_to(parallel)) for p in parallel.rglob("*") if p.is_file())
    match, mismatch, errors = filecmp.cmpfiles(serial, parallel, names, shallow=False)
    assert mismatch == [] and errors == [] and len(match) == len(names) > 200


def test_a_file_the_converting_processes_cannot_read_fails_the_build_by_its_name(tmp_path):
    """Markdown is converted in other processes while this one reads the files
    already converted. One they cannot read is read again here, which names it,
    and the build stops with no converting process left behind."""
    content = write_content(tmp_path / "content", many_articles())
    (content / "news/broken.ja.md").write_bytes(b"Title: \xff\xfe\nSlug: broken\nLang: ja\n\n\xff")
    # (Without the checks plugin, which would name it first.)
    signals.initialized.disconnect(check_content)
    try:
        with pytest.raises(tasks.BuildFailed) as failure:
            build(tmp_path / "output", content, BILINGUAL_PROCESSES=2,
                  PLUGINS=["bilingual", "events", "feeds"])
    finally:
        signals.initialized.connect(check_content)
    said = str(failure.value)
    assert "broken.ja.md: cannot be read" in said and said.count("cannot be read") == 1
    assert multiprocessing.active_children() == []
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize("processes", [2, 3])
def test_yielding_parts_run_in_one_child_fewer_at_a_lower_priority(tmp_path, processes):
    """Pages written while the search index is built yield to it, in no more processes
    than otherwise (so no more memory): this process only waits."""
    def work(part):
        (tmp_path / f"{os.getpid()}.txt").write_text(f"{os.nice(0)} {len(list(part))}")

    in_parts(work, list(range(300)), processes, yielding=True)
    records = {int(p.stem): p.read_text().split() for p in tmp_path.glob("*.txt")}
    assert len(records) == processes - 1 and os.getpid() not in records
    assert sum(int(count) for _nice, count in records.values()) == 300
    assert {int(nice) for nice, _count in records.values()} == {
        min(19, os.nice(0) + YIELDING_NICENESS)
    }


@pytest.mark.parametrize("share_out", [in_parts, start_parts])
def test_a_process_held_up_takes_no_more_items_and_every_item_is_done_once(
        tmp_path, share_out):
    """Items are taken in small pieces by each process as it is ready, not split in
    advance: a process held up (heavier pages, less of a core on a busy machine)
    leaves the rest to the others instead of keeping them waiting at the end."""
    held_up = tmp_path / "held-up"

    def work(part):
        done = []
        for item in part:
            if not done:
                try:  # the first process to start is held up until another is done
                    os.close(os.open(held_up, os.O_CREAT | os.O_EXCL))
                except FileExistsError:
                    pass
                else:
                    deadline = time.monotonic() + 60
                    while not list(tmp_path.glob("*.txt")) and time.monotonic() < deadline:
                        time.sleep(0.01)
            done.append(item)
        (tmp_path / f"{os.getpid()}.txt").write_text(" ".join(map(str, done)))

    items = list(range(300))
    writing = share_out(work, items, 2)
    if writing is not None:
        writing.result()
    records = [p.read_text().split() for p in tmp_path.glob("*.txt")]
    assert len(records) == 2
    assert sorted(int(item) for record in records for item in record) == items
    # (Split in advance, each would have had 150.)
    assert min(len(record) for record in records) <= 10


def test_items_for_many_processes_are_dealt_without_filling_the_pipe():
    """The pieces' starts are written into a pipe before any process reads it: however
    many processes and items, they fit (a full pipe would wait for ever)."""
    items = list(range(200_000))
    dealt = []
    dealing = threading.Thread(target=lambda: dealt.append(deal(items, 4096)), daemon=True)
    dealing.start()
    dealing.join(timeout=30)
    assert dealt, "dealing the items waited on a full pipe"
    pipe, size = dealt[0]
    try:
        assert sorted(taken(items, pipe, size)) == items
    finally:
        os.close(pipe)


@pytest.mark.parametrize("processes", [2, 3])
def test_parts_started_beside_light_work_yield_to_it_while_this_process_goes_on(
        tmp_path, processes):
    """Pages written beside light work (the index of an edited page's shard) run in
    one child fewer at a lower priority, and this process goes on meanwhile."""
    started = tmp_path / "go"

    def work(part):
        deadline = time.monotonic() + 60
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.01)  # (until this process has gone on)
        went_on = started.exists()
        count = len(list(part))
        (tmp_path / f"{os.getpid()}.txt").write_text(f"{os.nice(0)} {count} {went_on}")

    writing = start_parts(work, list(range(300)), processes, yielding=True)
    started.write_text("on")  # (this process went on while the parts wait)
    writing.result()
    records = {int(p.stem): p.read_text().split() for p in tmp_path.glob("*.txt")}
    assert len(records) == processes - 1 and os.getpid() not in records
    assert {went_on for _nice, _count, went_on in records.values()} == {"True"}
    assert sum(int(count) for _nice, count, _went_on in records.values()) == 300
    assert {int(nice) for nice, _count, _went_on in records.values()} == {
        min(19, os.nice(0) + YIELDING_NICENESS)
    }
