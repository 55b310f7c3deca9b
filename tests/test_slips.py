"""The slips staff make on Japanese keyboards: caught with file, line, field and fix,
or read as they were meant; never body text that was meant as metadata."""

import shutil
import textwrap

import pytest
from checks.checks import run_checks
from checks.scaffold import scaffold
from support import ROOT, build, write_content
from test_checks import GOOD_EN, GOOD_JA, check, messages

import tasks

WITH_SUMMARY = GOOD_JA.replace("    Category: announcements\n",
                               "    Category: announcements\n    Summary: 要約です\n"
                               "    Tags: wellness\n")


WITH_SUMMARY_EN = WITH_SUMMARY.replace("Title: 記事", "Title: Item").replace(
    "Lang: ja", "Lang: en").replace("要約です", "A summary")


def errors_for(tmp_path, japanese, english=WITH_SUMMARY_EN):
    """The errors in the Japanese file (the English one is right), and its path."""
    report, content = check(tmp_path, {"news/item.ja.md": japanese, "news/item.en.md": english})
    path = str(content / "news/item.ja.md")
    return [line for line in messages(report) if line.startswith(path)], path


@pytest.mark.parametrize(("slip", "written", "cause"), [
    ("Summary：要約です", "Summary：要約です", "a full-width colon “：”"),
    ("Summary : 要約です", "Summary : 要約です", "a space before the colon"),
    ("Summary　: 要約です", "Summary　: 要約です", "a full-width space, a space before the colon"),
    ("　Summary: 要約です", "Summary: 要約です", "a full-width space"),
    ("\tSummary: 要約です", "Summary: 要約です", "a tab"),
    ("\ufeffSummary: 要約です", "Summary: 要約です", "an invisible character (BOM)"),
    ("Ｓｕｍｍａｒｙ: 要約です", "Ｓｕｍｍａｒｙ: 要約です",
     "full-width letters in the field name"),
])
def test_a_field_typed_with_japanese_keyboard_characters_is_an_error(tmp_path, slip, written,
                                                                     cause):
    errors, path = errors_for(tmp_path, WITH_SUMMARY.replace("Summary: 要約です", slip))
    assert errors == [
        f"{path}:6: Summary: “{written}” is not read as metadata ({cause}): it and every "
        "line after it are published as body text — write it as “Summary: 要約です” at the "
        "start of the line, with a half-width colon"
    ]


def test_a_slip_on_the_first_line_is_named_instead_of_every_field_it_hides(tmp_path):
    errors, path = errors_for(tmp_path, GOOD_JA.replace("Title: 記事", "Title：記事"), GOOD_EN)
    assert errors == [
        f"{path}:1: Title: “Title：記事” is not read as metadata (a full-width colon “：”): it "
        "and every line after it are published as body text — write it as “Title: 記事” at "
        "the start of the line, with a half-width colon"
    ]


def test_body_text_after_the_metadata_is_not_a_slip(tmp_path):
    report, _ = check(tmp_path, {
        "news/item.ja.md": GOOD_JA.replace("\n    本文", "    注意：この行は本文です\n\n    本文"),
        "news/item.en.md": GOOD_EN,
    })
    assert messages(report) == []


def test_a_field_written_twice_is_an_error(tmp_path):
    errors, path = errors_for(tmp_path, WITH_SUMMARY.replace(
        "    Tags: wellness\n", "    Tags: wellness\n    Tags: phr\n"))
    assert errors == [f"{path}:8: Tags: written a second time (first on line 7): only one is "
                      "read — keep one line (put all the values on it)"]


def test_japanese_commas_between_tags_and_projects_separate_them(tiny_site):
    item = WITH_SUMMARY.replace("Tags: wellness", "Tags: wellness、networking，phr\n"
                                "    Projects: boshimo、mysos")
    english = WITH_SUMMARY_EN.replace("Tags: wellness", "Tags: phr, wellness, networking\n"
                                      "    Projects: mysos, boshimo")
    site = tiny_site({
        "news/item.ja.md": item, "news/item.en.md": english,
        **{f"projects/{slug}.{lang}.md": f"""\
            Title: {slug}
            Slug: {slug}
            Lang: {lang}
            Lead: A
            Track: business-promotion
            Fiscal-Year: 2022

            本文
            """ for slug in ("boshimo", "mysos") for lang in ("ja", "en")},
    })
    page = site.page("news/item/index.html")
    tags = [link.get_text(strip=True) for link in page.select("a[href*='/news/tag/']")]
    assert sorted(tags) == sorted(["ウェルネス", "ネットワーキング", "PHR"])
    assert (site.output / "news/tag/networking/index.html").exists()
    assert not list(site.output.glob("news/tag/*、*"))
    for slug in ("boshimo", "mysos"):
        assert "記事" in site.page(f"projects/{slug}/index.html").get_text()


def test_japanese_commas_are_checked_as_separators(tmp_path):
    errors, path = errors_for(tmp_path, WITH_SUMMARY.replace(
        "Tags: wellness", "Tags: wellness、netwrking"), WITH_SUMMARY_EN.replace(
        "Tags: wellness", "Tags: wellness, netwrking"))
    assert [line.split(" — ")[0] for line in errors] == [
        f"{path}:7: Tags: 'netwrking' is not on the list of this field"]


CATEGORIES = ("the keys are announcements (お知らせ / Announcements), "
              "column (連載コラム / Column)")


@pytest.mark.parametrize(("typed", "meant"), [
    ("announcement", "announcements (お知らせ / Announcements)"),  # a typo
    ("お知らせ", "announcements (お知らせ / Announcements)"),  # the name instead of the key
    ("Column", "column (連載コラム / Column)"),
    ("ｃｏｌｕｍｎ", "column (連載コラム / Column)"),  # full-width letters
])
def test_an_unknown_category_is_an_error_that_lists_the_categories(tmp_path, typed, meant):
    errors, path = errors_for(tmp_path, GOOD_JA.replace("announcements", typed), GOOD_EN)
    key = meant.split(" ")[0]
    assert errors == [f"{path}:5: Category: '{typed}' is not on the list of this field — "
                      f"write the key “{key}”, meaning {meant}; {CATEGORIES}"]


def test_an_unknown_tag_is_an_error_in_a_published_item_and_a_warning_in_a_draft(tmp_path):
    item = WITH_SUMMARY.replace("Tags: wellness", "Tags: wellness, ネットワーキング, zzz")
    errors, path = errors_for(tmp_path, item)
    assert [line.split(" — ")[0] for line in errors] == [
        f"{path}:7: Tags: 'zzz' is not on the list of this field",
        f"{path}:7: Tags: 'ネットワーキング' is not on the list of this field",
    ]
    assert "write the key “networking”, meaning networking (ネットワーキング / Networking)" \
        in errors[1]
    report, _ = check(tmp_path / "draft", {
        "news/item.ja.md": item.replace("Lang: ja", "Lang: ja\n    Status: draft"),
        "news/item.en.md": WITH_SUMMARY_EN})
    assert messages(report) == []
    assert len([w for w in messages(report, "warnings") if "not on the list" in w]) == 2


def test_a_typo_in_a_tag_makes_no_public_page(tmp_path):
    """The build stops before writing: no tag page, no feed from a typo."""
    content = write_content(tmp_path / "content", {
        "news/item.ja.md": WITH_SUMMARY.replace("Tags: wellness", "Tags: welness"),
        "news/item.en.md": WITH_SUMMARY_EN.replace("Tags: wellness", "Tags: welness")})
    with pytest.raises(tasks.BuildFailed, match="welness"):
        build(tmp_path / "output", content)
    assert not (tmp_path / "output").exists()


EVENT = """\
    Title: {title}
    Slug: seminar
    Lang: {lang}
    Starts: {starts}
    Ends: 2026-12-10 16:00
    Venue: 都庁
    Tags: {tags}

    本文
    """


def event_pair(tmp_path, starts, tags=("phr", "phr")):
    """Check an event written in both languages: ``starts`` and ``tags`` as (ja, en)."""
    return check(tmp_path, {
        f"events/seminar.{lang}.md": EVENT.format(title=title, lang=lang, starts=start, tags=tag)
        for lang, title, start, tag in zip(("ja", "en"), ("セミナー", "Seminar"), starts, tags,
                                           strict=True)})


def test_the_languages_of_an_event_agree_on_its_time(tmp_path):
    report, content = event_pair(tmp_path, ("2026-12-10 14:00", "2026-12-10 15:00"),
                                 ("phr, wellness", "wellness, phr"))
    english, japanese = content / "events/seminar.en.md", content / "events/seminar.ja.md"
    # (the tags are the same, in another order: that is no disagreement)
    assert messages(report) == [
        f"{english}:4: Starts: '2026-12-10 15:00' here but '2026-12-10 14:00' in {japanese} — "
        "make it the same in every language (it is one value shared by the languages)"
    ]


def test_a_shared_value_missing_in_one_language_is_a_disagreement(tmp_path):
    report, content = check(tmp_path, {
        "news/item.ja.md": WITH_SUMMARY.replace("Tags: wellness", "Projects: \n    Tags: phr"),
        "news/item.en.md": GOOD_EN,
    })
    assert [line.split(" — ")[0] for line in messages(report)] == [
        f"{content / 'news/item.en.md'}:6: Tags: '(empty)' here but 'phr' in "
        f"{content / 'news/item.ja.md'}"]


def test_an_item_meant_for_one_language_says_so_and_is_not_reported(tmp_path):
    report, _ = check(tmp_path, {
        "news/item.ja.md": GOOD_JA.replace("Lang: ja", "Lang: ja\n    One-Language: yes")})
    assert messages(report) == [] and messages(report, "warnings") == []
    assert report.untranslated == []
    report, content = check(tmp_path / "unsaid", {"news/item.ja.md": GOOD_JA})
    assert [line.split(" — ")[0] for line in messages(report, "warnings")] == [
        f"{content / 'news/item.ja.md'}:2: Lang: no 'en' version of 'item'"]


def test_one_language_is_yes_or_no(tmp_path):
    errors, path = errors_for(tmp_path, GOOD_JA.replace("Lang: ja", "Lang: ja\n"
                                                        "    One-Language: maybe"), GOOD_EN)
    assert errors == [f"{path}:4: One-Language: 'maybe' is not yes or no — write "
                      "“One-Language: yes” (or remove the line)"]


def test_the_sample_site_builds_without_a_warning():
    """So that a real warning stands out (the one-language notice says it is one)."""
    report = run_checks(tasks._site_settings())
    assert report.lines() == ["0 error(s), 0 warning(s)"]


@pytest.mark.parametrize(("written", "fix"), [
    ("images/hall.png", "put the photo in content/images/ and write it as "
                        "{static}/images/hall.png"),  # content/news/images/ is not published
    ("../images/hall.png", "write it as {static}/images/hall.png"),
    ("../../images/hall.png", "put the photo in content/images/ and write it as "
                              "{static}/images/hall.png"),
    ("hall.png", "put the photo in content/images/ and write it as {static}/images/hall.png"),
])
def test_an_image_path_relative_to_the_file_is_an_error(tmp_path, written, fix):
    (tmp_path / "content/images").mkdir(parents=True)
    (tmp_path / "content/images/hall.png").write_bytes(b"png")
    (tmp_path / "content/news/images").mkdir(parents=True)
    (tmp_path / "content/news/images/hall.png").write_bytes(b"png")
    errors, path = errors_for(tmp_path, WITH_SUMMARY.replace(
        "本文", f"本文\n\n    ![会場]({written})"))
    assert errors == [f"{path}:11: Image: {written} is a path relative to this file: the "
                      f"published page would not find it — {fix}"]


def test_freshly_scaffolded_items_of_every_kind_preview_with_drafts(tmp_path):
    """`invoke new` then `invoke serve --drafts`: empty fields are "not filled in yet"."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    settings = tasks._site_settings({"PATH": str(content)})
    for kind in ("article", "report", "project", "event", "page"):
        scaffold(settings, kind, f"new-{kind}", {"ja": "新しい項目", "en": "A new item"})
    report = run_checks(settings, show_drafts=True)
    assert report.errors == []
    assert any("Event: missing" in str(problem) for problem in report.warnings)
    output = build(tmp_path / "output", content, BILINGUAL_SHOW_DRAFTS=True)
    assert (output / "news/new-article/index.html").exists()
    assert (output / "new-page/index.html").exists()
    # Without its Event the report cannot be shown yet; the rest of the site is.
    assert not (output / "reports/new-report/index.html").exists()
    assert (output / "reports/tokyo-wellness-networking-2022-report/index.html").exists()


@pytest.mark.parametrize(("line", "field", "meant"), [
    ("Date: ２０２３－０４－０１ １０：００", "Date", "2023-04-01 10:00"),
    ("Date: 2023ー04ー01 10:00", "Date", "2023-04-01 10:00"),
    ("Slug: ｉｔｅｍ", "Slug", "item"),
])
def test_full_width_digits_letters_and_dashes_are_named(tmp_path, line, field, meant):
    japanese = GOOD_JA.replace("Slug: item", line) if field == "Slug" else \
        GOOD_JA.replace("Date: 2023-04-01 10:00", line)
    report, content = check(tmp_path, {"news/item.ja.md": japanese, "news/item.en.md": GOOD_EN})
    wanted = f"it is typed in full-width characters: write {meant}"
    assert any(f": {field}: " in error and error.endswith(wanted)
               for error in messages(report)), messages(report)


def test_an_events_time_in_full_width_is_named(tmp_path):
    report, content = event_pair(tmp_path, ("2026-12-10 １４：００", "2026-12-10 14:00"))
    assert f"{content / 'events/seminar.ja.md'}:4: Starts: '2026-12-10 １４：００' is not a " \
           "date and time — it is typed in full-width characters: write 2026-12-10 14:00" \
           in messages(report)


def test_an_unknown_project_names_the_one_meant_and_every_project_by_title(tmp_path):
    project = """\
        Title: {title}
        Slug: boshimo
        Lang: {lang}
        Lead: A
        Track: business-promotion
        Fiscal-Year: 2022

        本文
        """
    report, content = check(tmp_path, {
        "news/item.ja.md": WITH_SUMMARY.replace("Tags: wellness",
                                                "Tags: wellness\n    Projects: bosimo"),
        "news/item.en.md": WITH_SUMMARY_EN.replace("Tags: wellness",
                                                   "Tags: wellness\n    Projects: bosimo"),
        "projects/boshimo.ja.md": project.format(title="母子モの取組", lang="ja"),
        "projects/boshimo.en.md": project.format(title="The Boshimo project", lang="en"),
    })
    assert f"{content / 'news/item.ja.md'}:8: Projects: no published project has the slug " \
           "'bosimo' — did you mean 'boshimo'? use one of boshimo (母子モの取組 / The Boshimo " \
           "project)" in messages(report)


def test_a_file_saved_as_windows_1252_is_named_with_its_line_and_encoding(tmp_path):
    # An English translation pasted from a Windows word processor and saved as
    # "ANSI": its curly quotes are Windows-1252 bytes, not UTF-8.
    content = write_content(tmp_path / "content", {"news/item.ja.md": GOOD_JA})
    english = textwrap.dedent(GOOD_EN).lstrip().replace("本文", "The “open call” starts today.")
    (content / "news/item.en.md").write_bytes(english.encode("cp1252"))
    report, _content = check(tmp_path, {})
    assert messages(report) == [
        f"{content / 'news/item.en.md'}:7: Encoding: the file is not UTF-8 (it looks like "
        "Windows-1252) — open it in your editor and save it as UTF-8"]
