"""Photos: what a phone photo becomes on the published site, read back with Pillow and
the pages parsed with BeautifulSoup.

A staff member's phone photo is 4032×3024, taken sideways (EXIF orientation 6),
with the GPS position, the camera's serial number, the owner's name and XMP.
None of it may leave; the picture must stand upright; pages offer it in a few
widths and formats; drafts' photos are never published; encoding is done once.
"""

import io
import os

import pytest
from bs4 import BeautifulSoup
from checks.checks import run_checks
from PIL import Image
from support import build, write_content
from test_checks import GOOD_JA, NOW, site_settings

GPS_IFD, ORIENTATION, MAKE, ARTIST, SERIAL = 0x8825, 0x0112, 0x010F, 0x013B, 0xA431
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
       b'02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
       b"<dc:creator>Hanako Koho</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>")


def phone_photo(size=(4032, 3024)):
    """A sideways phone photo with everything a phone writes: the left half red, the
    right half blue (orientation 6: shown upright, the red is on top)."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[MAKE] = "PhoneMaker"
    exif[ARTIST] = "Hanako Koho"
    exif.get_ifd(0x8769)[SERIAL] = "SN-123456789"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (35.0, 41.0, 22.0), 3: "E", 4: (139.0, 41.0, 30.0)})
    output = io.BytesIO()
    image.save(output, "JPEG", quality=90, exif=exif.tobytes(), xmp=XMP)
    return output.getvalue()


ARTICLE = GOOD_JA.replace(
    "    Category: announcements\n",
    "    Category: announcements\n    Image: venue.jpg\n    Image-Alt: 会場の様子\n",
).replace("本文", "本文\n\n    ![受付の様子]({static}/images/desk.jpg)\n\n"
                  "    [元の写真]({static}/images/desk.jpg)")
ARTICLE_EN = ARTICLE.replace("Title: 記事", "Title: Item").replace("Lang: ja", "Lang: en") \
    .replace("会場の様子", "The venue").replace("受付の様子", "The reception desk")


def photo_site(root, **extra):
    files = {"news/item.ja.md": ARTICLE, "news/item.en.md": ARTICLE_EN, **extra}
    content = write_content(root / "content", files)
    (content / "images").mkdir(exist_ok=True)
    for name in ("venue.jpg", "desk.jpg", "draft-only.jpg", "unused.jpg"):
        (content / "images" / name).write_bytes(phone_photo())
    return content


@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    root = tmp_path_factory.mktemp("photos")
    draft = GOOD_JA.replace("Slug: item", "Slug: secret").replace(
        "    Category: announcements\n",
        "    Category: announcements\n    Status: draft\n    Image: draft-only.jpg\n"
        "    Image-Alt: 未発表\n")
    content = photo_site(root, **{"news/secret.ja.md": draft})
    output = build(root / "output", content)
    return content, output


def published_images(output):
    return sorted(path for path in (output / "images").iterdir())


def test_no_published_file_carries_the_phones_private_metadata(photos):
    content, output = photos
    files = published_images(output)
    assert len(files) > 20
    original = (content / "images/venue.jpg").read_bytes()
    for path in files:
        data = path.read_bytes()
        assert data != original
        for secret in (b"Hanako", b"SN-123456789", b"PhoneMaker", b"xmpmeta"):
            assert secret not in data, f"{path.name} carries {secret!r}"
        with Image.open(path) as image:
            assert not image.getexif(), f"{path.name} has EXIF"
            assert "xmp" not in image.info and "XML:com.adobe.xmp" not in image.info
            assert image.getexif().get_ifd(GPS_IFD) == {}


def test_photos_stand_upright_and_are_never_published_full_size(photos):
    _content, output = photos
    for path in published_images(output):
        if "-share." in path.name:
            continue  # (the link-preview crop is landscape by design)
        with Image.open(path) as image:
            image.load()
            width, height = image.size
            assert height > width, f"{path.name} is sideways"  # the phone was held upright
            assert max(width, height) <= 2560
            top = image.convert("RGB").getpixel((width // 2, height // 8))
            assert top[0] > top[2], f"{path.name} is turned the wrong way"  # red on top


def test_each_photo_is_offered_in_avif_webp_and_jpeg_at_three_widths(photos):
    _content, output = photos
    found = {}
    for path in published_images(output):
        with Image.open(path) as image:
            found.setdefault(path.name.split("-")[0], set()).add((image.format, image.width))
    assert {(fmt, width) for fmt in ("AVIF", "WEBP", "JPEG") for width in (480, 960, 1600)} \
        <= found["venue"]
    share = next(path for path in published_images(output) if "share" in path.name)
    with Image.open(share) as image:
        assert (image.format, image.size) == ("JPEG", (1200, 630))


def test_only_photos_a_published_item_shows_are_published(photos):
    _content, output = photos
    names = {path.name.split(".")[0].split("-")[0] for path in published_images(output)}
    assert names == {"venue", "desk"}  # not the draft's photo, nor the unused one
    assert not any(b"draft-only" in path.read_bytes() for path in output.rglob("*.html"))


def test_a_page_offers_every_width_and_format_and_reserves_the_space(photos):
    _content, output = photos
    page = BeautifulSoup((output / "news/item/index.html").read_text(encoding="utf-8"),
                         "html.parser")
    lead = page.select_one("figure.entry-lead picture")
    body = page.select_one(".entry-body picture")
    assert [s["type"] for s in lead.find_all("source")] == ["image/avif", "image/webp"]
    for picture in (lead, body):
        image = picture.find("img")
        assert image["sizes"] and int(image["width"]) and int(image["height"])
        assert [entry.split()[-1] for entry in image["srcset"].split(", ")] == \
            ["480w", "960w", "1600w"]
        for url in [image["src"]] + [entry.split()[0] for entry in image["srcset"].split(", ")]:
            assert (output / url.split("/", 3)[3]).is_file(), url
    assert lead.find("img")["alt"] == "会場の様子"
    assert lead.find("img")["loading"] == "eager" and lead.find("img")["fetchpriority"] == "high"
    assert body.find("img")["alt"] == "受付の様子" and body.find("img")["loading"] == "lazy"
    # A link to the photo opens its published copy (not the original).
    link = page.find("a", string="元の写真")
    assert (output / link["href"].split("/", 3)[3]).is_file()
    # The link preview is the lead photo's 1200×630 crop.
    assert page.find("meta", property="og:image")["content"].endswith(".jpg")
    assert "share" in page.find("meta", property="og:image")["content"]
    news = BeautifulSoup((output / "news/index.html").read_text(encoding="utf-8"), "html.parser")
    thumbnail = news.select_one(".item-list__picture img")
    assert thumbnail["alt"] == "" and thumbnail["loading"] == "lazy"


def test_photos_are_made_once_and_the_same_bytes_every_time(tmp_path):
    content = photo_site(tmp_path)
    first = build(tmp_path / "one", content)
    made = {path.name: (path.stat().st_ino, path.read_bytes()) for path in
            published_images(first)}
    # An edit to the text: the photos are linked from the cache, not made again.
    (content / "news/item.ja.md").write_text(
        (content / "news/item.ja.md").read_text(encoding="utf-8").replace("本文", "本文です"),
        encoding="utf-8")
    second = build(tmp_path / "two", content)
    assert {path.name: path.stat().st_ino for path in published_images(second)} == \
        {name: inode for name, (inode, _data) in made.items()}
    # Made again from scratch (no cache): byte for byte the same files.
    third = build(tmp_path / "three", content, PHOTOS_CACHE_PATH=str(tmp_path / "fresh"))
    assert {path.name: path.read_bytes() for path in published_images(third)} == \
        {name: data for name, (_inode, data) in made.items()}


def test_a_replaced_photo_gets_new_addresses(tmp_path):
    content = photo_site(tmp_path)
    before = {path.name for path in published_images(build(tmp_path / "one", content))}
    (content / "images/venue.jpg").write_bytes(phone_photo((3000, 2000)))
    after = {path.name for path in published_images(build(tmp_path / "two", content))}
    assert {name for name in before if name.startswith("venue-")}.isdisjoint(after)


@pytest.mark.parametrize(("image", "alt", "field", "message"), [
    ("missing.jpg", "写真", "Image", "missing.jpg does not exist"),
    ("notes.txt", "写真", "Image", "'notes.txt' is not a JPEG, PNG or WebP photo"),
    ("broken.jpg", "写真", "Image", "broken.jpg cannot be read as a photo"),
    ("huge.jpg", "写真", "Image", "huge.jpg is 5000 × 4000 pixels, more than a photo may be"),
    ("venue.jpg", "", "Image-Alt", "missing: Image needs it"),
])
def test_a_photo_that_cannot_be_published_is_an_error_naming_file_line_and_field(
        tmp_path, image, alt, field, message):
    content = photo_site(tmp_path)
    write_content(content, {"news/item.ja.md": ARTICLE.replace("Image: venue.jpg",
                                                               f"Image: {image}")
                            .replace("Image-Alt: 会場の様子", f"Image-Alt: {alt}")})
    (content / "images/broken.jpg").write_bytes(b"not a photo at all")
    (content / "images/huge.jpg").write_bytes(phone_photo((5000, 4000)))
    report = run_checks({**site_settings(content), "PHOTOS_MAX_PIXELS": 15_000_000}, now=NOW)
    errors = [problem for problem in report.errors if problem.path.endswith("item.ja.md")]
    assert [(problem.field, problem.line, str(problem.message)) for problem in errors] == [
        (field, {"Image": 6, "Image-Alt": 7}[field], message)]


def test_a_photo_in_the_text_that_cannot_be_read_is_an_error(tmp_path):
    content = photo_site(tmp_path)
    (content / "images/desk.jpg").write_bytes(b"<html>saved from a browser</html>")
    report = run_checks(site_settings(content), now=NOW)
    assert [str(problem) for problem in report.errors] == [
        f"{content / 'news/item.en.md'}:11: Image: desk.jpg cannot be read as a photo — save it "
        "again as a JPEG of at most about 4000 px a side (or a PNG), then check the path",
        f"{content / 'news/item.ja.md'}:11: Image: desk.jpg cannot be read as a photo — save it "
        "again as a JPEG of at most about 4000 px a side (or a PNG), then check the path",
    ]
    assert os.path.exists(content / "images/desk.jpg")
