"""Translations that may be out of date: found from the files alone (Translated-From),
listed by the checks, announced on the translation's page, cleared by the translator."""

from bilingual.rules import content_fingerprint, file_fingerprint
from checks.checks import run_checks
from checks.scaffold import scaffold
from support import Site, build, write_content
from test_checks import GOOD_EN, GOOD_JA, NOW, site_settings

import tasks

JAPANESE = GOOD_JA.replace("    Category: announcements\n",
                           "    Category: announcements\n    Summary: 要約です\n")


def english(translated_from):
    return GOOD_EN.replace("Lang: en", f"Lang: en\n    Translated-From: {translated_from}")


def current(content):
    return file_fingerprint((content / "news/item.ja.md").read_text(encoding="utf-8"))


def test_the_fingerprint_follows_title_summary_and_text_not_spacing():
    base = content_fingerprint("記事", "要約です", "本文\n\n## 見出し\n")
    assert base == content_fingerprint(" 記事 ", "要約です", "\n\n本文  \r\n\r\n## 見出し")
    assert base != content_fingerprint("記事", "要約です", "本文\n\n## 見出し（改）")
    assert base != content_fingerprint("記事", "新しい要約です", "本文\n\n## 見出し")
    assert base != content_fingerprint("新しい記事", "要約です", "本文\n\n## 見出し")
    assert file_fingerprint("Title: 記事\nSlug: a\nSummary: 要約です\n\n本文\n\n## 見出し\n") \
        == base


def test_a_changed_original_lists_its_translation_and_says_how_to_clear_it(tmp_path):
    content = write_content(tmp_path / "content", {"news/item.ja.md": JAPANESE})
    made_from = current(content)
    write_content(content, {"news/item.en.md": english(f"ja {made_from}")})
    report = run_checks(site_settings(content), now=NOW)
    assert report.stale == [] and report.warnings == []

    # Only the Japanese text changes: no date field is touched.
    path = content / "news/item.ja.md"
    path.write_text(path.read_text(encoding="utf-8").replace("本文", "本文を書き直しました"),
                    encoding="utf-8")
    report = run_checks(site_settings(content), now=NOW)
    now = current(content)
    assert [str(problem) for problem in report.warnings] == [
        f"{content / 'news/item.en.md'}:4: Translated-From: {path} changed after this "
        "translation was made (its title, summary or text) — bring the translation up to "
        f"date, then write “Translated-From: ja {now}”"]
    assert report.stale == ["news/item: en (from ja)"]
    assert "Translations that may be out of date (the original changed since):" in \
        report.lines(with_untranslated=True)

    # The translator updates the English and writes what the warning says.
    write_content(content, {"news/item.en.md": english(f"ja {now}")})
    report = run_checks(site_settings(content), now=NOW)
    assert report.stale == [] and report.warnings == []


def test_the_translations_page_says_so_with_the_date_and_a_link(tmp_path):
    content = write_content(tmp_path / "content", {
        "news/item.ja.md": JAPANESE.replace("Category:", "Modified: 2026-11-02 09:00\n"
                                                        "    Category:"),
        "news/item.en.md": english("ja 00000000"),
    })
    site = Site(build(tmp_path / "output", content))
    notice = site.page("en/news/item/").select_one(".banner--stale")
    assert notice is not None
    assert notice.get_text(" ", strip=True) == (
        "The Japanese version of this page was updated on 2 November 2026; this translation "
        "may not include the change yet. Read the Japanese version")
    link = notice.find("a")
    assert link["href"].endswith("/news/item/") and link["hreflang"] == "ja"
    assert site.page("news/item/").select_one(".banner--stale") is None

    write_content(content, {"news/item.en.md": english(f"ja {current(content)}")})
    site = Site(build(tmp_path / "output", content))
    assert site.page("en/news/item/").select_one(".banner--stale") is None


def test_english_may_be_the_original(tmp_path):
    content = write_content(tmp_path / "content", {
        "news/item.en.md": GOOD_EN,
        "news/item.ja.md": GOOD_JA.replace("Lang: ja", "Lang: ja\n    Translated-From: en "
                                                       "00000000"),
    })
    site = Site(build(tmp_path / "output", content))
    notice = site.page("news/item/").select_one(".banner--stale")
    assert notice.get_text(" ", strip=True).startswith(
        "このページの英語版は2023年4月1日に更新されました。")


def test_a_new_item_starts_as_a_translation_of_the_first_language(tmp_path):
    settings = site_settings(tmp_path / "content")
    japanese, english_path = scaffold(settings, "article", "fresh", {"ja": "新しい記事"})
    text = open(english_path, encoding="utf-8").read()
    fingerprint = file_fingerprint(open(japanese, encoding="utf-8").read())
    assert f"\nLang: en\nTranslated-From: ja {fingerprint}\n" in text
    assert "Translated-From" not in open(japanese, encoding="utf-8").read()


def test_the_sample_translations_are_up_to_date():
    report = run_checks(tasks._site_settings())
    assert report.stale == []
