"""Page weight: what a reader on a slow phone downloads, measured on the built files.

Photos that load lazily (below the top of the page) are left to
tests/browser/test_phone_photos.py, which measures what Chromium on a phone really
downloads: the format and width it picks, once scrolled to the end.
"""

import io

import pytest
from PIL import Image
from support import Site, build, write_content

# Bytes as served (uncompressed): the HTML, the stylesheets and images it loads.
BUDGETS = {
    "": 100_000,  # home page
    "news/column-105-business-promotion-projects/": 100_000,  # an article
    "en/news/column-105-business-promotion-projects/": 100_000,
}


@pytest.mark.parametrize("path", BUDGETS)
def test_page_fits_its_budget_and_needs_no_javascript(site, path):
    page = site.page(path)
    html = site.output / path / "index.html" if path else site.output / "index.html"
    resources = [link["href"] for link in page.select("link[rel=stylesheet]")]
    resources += [img["src"] for img in page.select("img[src]") if img.get("loading") != "lazy"]
    total = html.stat().st_size + sum(site.file_for(url).stat().st_size for url in resources)
    assert total <= BUDGETS[path], f"{path or 'home'}: {total} bytes"
    assert page.select("script[src]") == []


def png(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_images_get_their_size_and_load_lazily_after_the_first(tmp_path):
    content = write_content(tmp_path / "content", {
        "news/a.ja.md": """\
            Title: 画像のある記事
            Slug: a
            Lang: ja
            Date: 2022-01-01 10:00
            Category: announcements

            ![会場の全景]({static}/images/hall.png)

            本文

            ![受付の様子](/images/desk.png)
            """,
        "news/a.en.md": """\
            Title: Article with images
            Slug: a
            Lang: en
            Date: 2022-01-01 10:00
            Category: announcements

            Body
            """,
    })
    (content / "images").mkdir()
    (content / "images/hall.png").write_bytes(png(800, 450))
    (content / "images/desk.png").write_bytes(png(640, 480))
    site = Site(build(tmp_path / "output", content))
    first, second = site.page("news/a/").select(".entry-body img")
    assert (first["width"], first["height"], first["loading"]) == ("800", "450", "eager")
    assert (second["width"], second["height"], second["loading"]) == ("640", "480", "lazy")
    assert site.file_for(first["src"]).exists() and site.file_for(second["src"]).exists()
