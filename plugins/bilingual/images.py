"""Images in content: intrinsic size and lazy loading, so pages do not jump or over-load.

Every local ``<img>`` gets ``width`` and ``height`` from the image file (the
browser reserves the space before it loads) and, after the first image of an
item, ``loading="lazy"``: the first may be in view when the page opens, the
others are below the fold.
"""

import os

import lxml.html
from PIL import Image, UnidentifiedImageError

LINK_PREFIXES = ("{static}", "{attach}", "{filename}")


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


def image_size(path):
    """(width, height) in pixels, or None when the file is missing or not an image."""
    try:
        with Image.open(path) as image:
            return image.size
    except (OSError, UnidentifiedImageError):
        return None


def size_images(html, content_root, source_dir):
    """``html`` with width/height on local images and lazy loading after the first."""
    if "<img" not in html:
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for position, image in enumerate(root.iter("img")):
        path = local_image_path(image.get("src", ""), content_root, source_dir)
        size = image_size(path) if path else None
        if size and not (image.get("width") or image.get("height")):
            image.set("width", str(size[0]))
            image.set("height", str(size[1]))
        if position > 0 and not image.get("loading"):
            image.set("loading", "lazy")
        image.set("decoding", image.get("decoding") or "async")
    return (root.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in root
    )
