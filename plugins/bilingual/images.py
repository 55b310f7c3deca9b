"""Images in content: intrinsic size and lazy loading, so pages do not jump or over-load.

Every local ``<img>`` gets ``width`` and ``height`` from the image file (the
browser reserves the space before it loads) and, after the first image of an
item, ``loading="lazy"``: the first may be in view when the page opens, the
others are below the fold.
"""

import os
import re
from html.parser import HTMLParser

from markupsafe import Markup
from PIL import Image, UnidentifiedImageError

from .i18n import N_, Message

LINK_PREFIXES = ("{static}", "{attach}", "{filename}")
# Photos the photos plugin publishes resized, in modern formats and without
# their private metadata (other files in content/images stay static files).
RASTER_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp")
# EXIF orientations that turn the picture a quarter: width and height swap.
QUARTER_TURNS = (5, 6, 7, 8)


def local_image_path(src, content_root, source_dir):
    """The file an image ``src`` names, or None when it is not a local file."""
    for prefix in LINK_PREFIXES:
        if src.startswith(prefix):
            path = src[len(prefix):]
            base = content_root if path.startswith("/") else source_dir
            return os.path.normpath(os.path.join(base, path.lstrip("/")))
    if src.startswith("/") and not src.startswith("//"):
        return os.path.normpath(os.path.join(content_root, src.lstrip("/")))
    return None


def is_photo(path):
    return os.path.splitext(path)[1].lower() in RASTER_EXTENSIONS


def lead_photo_file(value, content_root, folder):
    """The file an ``Image:`` value names: a file of the photos folder, written as
    ``venue.jpg``, ``images/venue.jpg``, ``/images/venue.jpg`` or ``{static}/images/…``."""
    name = str(value).strip().removeprefix("{static}").lstrip("/")
    folder = folder.strip("/") + "/"
    if not name.startswith(folder):
        name = folder + name
    return os.path.normpath(os.path.join(content_root, name))


def oriented_size(image):
    """(width, height) of an open image as it is shown: EXIF orientation applied."""
    width, height = image.size
    if image.getexif().get(0x0112) in QUARTER_TURNS:
        return height, width
    return width, height


def photo_problem(path, max_pixels, max_bytes):
    """What makes the photo at ``path`` unusable (a message for staff), or None."""
    if not os.path.isfile(path):
        return Message(N_("%(file)s does not exist"), file=os.path.basename(path))
    size = os.path.getsize(path)
    if size > max_bytes:
        return Message(N_("%(file)s is %(megabytes)d MB, more than the %(limit)d MB a photo may "
                          "be"), file=os.path.basename(path), megabytes=size // 2**20,
                       limit=max_bytes // 2**20)
    try:
        with Image.open(path) as image:
            width, height = image.size
            image.verify()
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, SyntaxError):
        return Message(N_("%(file)s cannot be read as a photo"), file=os.path.basename(path))
    if width * height > max_pixels:
        return Message(N_("%(file)s is %(width)d × %(height)d pixels, more than a photo may be"),
                       file=os.path.basename(path), width=width, height=height)
    return None


def image_size(path):
    """(width, height) in pixels, or None when the file is missing or not an image."""
    try:
        with Image.open(path) as image:
            return image.size
    except (OSError, UnidentifiedImageError):
        return None


# A start tag, its attribute values quoted or not (a ">" may be in a quoted one).
IMG_TAG = re.compile(r"""<img\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
LINK_TAG = re.compile(r"""<a\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)


def tag_attributes(tag):
    """{name: value} of one start tag's text (``<img src="…" alt="…">``)."""
    found = {}

    class Reader(HTMLParser):
        def handle_starttag(self, _name, attributes):
            found.update((name, value or "") for name, value in attributes)

        handle_startendtag = handle_starttag

    Reader(convert_charrefs=True).feed(tag)
    return found


def start_tag(name, attributes):
    """A start tag with ``attributes`` (values escaped)."""
    return Markup("<{}{}>").format(Markup(name), Markup("").join(
        Markup(' {}="{}"').format(Markup(key), value) for key, value in attributes.items()))


def size_images(html, content_root, source_dir):
    """``html`` with width/height on local images and lazy loading after the first.

    Only the ``<img>`` tags are rewritten, the rest of the text is left byte for
    byte (an HTML serializer would close void elements it does not know, such
    as ``<wbr>``).
    """
    if "<img" not in html:
        return html
    position = 0

    def sized(match):
        nonlocal position
        attributes = tag_attributes(match.group(0))
        path = local_image_path(attributes.get("src", ""), content_root, source_dir)
        size = image_size(path) if path else None
        if size and not (attributes.get("width") or attributes.get("height")):
            attributes["width"], attributes["height"] = str(size[0]), str(size[1])
        if position > 0 and not attributes.get("loading"):
            attributes["loading"] = "lazy"
        attributes["decoding"] = attributes.get("decoding") or "async"
        position += 1
        return str(start_tag("img", attributes))

    return IMG_TAG.sub(sized, html)
