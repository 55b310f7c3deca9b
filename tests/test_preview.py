"""`invoke serve` tells: a build's problem is on the page staff look at, from the very
first start, and the site comes back once the file is fixed."""

from support import copy_project, running_preview


def test_a_first_start_on_a_broken_file_shows_the_problem_then_the_site(tmp_path):
    root = copy_project(tmp_path)
    broken = root / "content/news/site-launch.ja.md"
    good = broken.read_text(encoding="utf-8")
    broken.write_text(good.replace("Date: 2022-06-01 10:00", "Date: 2022-06-31 10:00"),
                      encoding="utf-8")
    with running_preview(root) as preview:
        status = preview.status()
        assert status["state"] == "failed"
        # Nothing was built: every address explains why, with file, line, field and fix.
        for path in ("", "news/site-launch/", "en/"):
            code, page = preview.get(path)
            assert code == 404
            assert "サイトを作れませんでした" in page
            assert "content/news/site-launch.ja.md:4: Date: 「2022-06-31 10:00」は日付として" \
                   "読めません" in page
            assert "/livereload.js" in page  # it reloads by itself once the site builds
        broken.write_text(good, encoding="utf-8")
        preview.wait_for_build(status["builds"], state="ok")
        code, page = preview.get("news/site-launch/")
        assert code == 200 and "preview-problem" not in page
        # A later slip: the last good site stays, with the problem on top of every page.
        builds = preview.status()["builds"]
        broken.write_text(good.replace("Summary:", "Summary："), encoding="utf-8")
        status = preview.wait_for_build(builds, state="failed")
        code, page = preview.get("news/")
        assert code == 200
        assert page.index('id="preview-problem"') < page.index("<main")
        assert "全角のコロン「：」" in page
        code, page = preview.get("no-such-page/")
        assert code == 404 and page.count('id="preview-problem"') == 1
        broken.write_text(good, encoding="utf-8")
        preview.wait_for_build(status["builds"], state="ok")
        # Built again: an unknown address gets the site's own not-found page, in its language.
        code, page = preview.get("en/no-such-page/")
        assert code == 404 and 'lang="en"' in page and "preview-problem" not in page
