"""Photos citizens on phones can afford: resized, in AVIF and WebP with a JPEG (or PNG)
fallback, chosen by the browser (``<picture>``, ``srcset``, ``sizes``), and stripped of
their private metadata (process.py).

- A photo in an item's text (``![alt]({static}/images/venue.jpg)``) becomes a
  ``<picture>`` with every width and format, its size reserved and, below the
  first picture of the page, loaded lazily.
- An item's lead image (``Image:`` with ``Image-Alt:``) becomes
  ``item.lead_image`` (what a template needs to show it at the top of the
  item's page), ``card_image`` and ``thumb_image`` (in lists) and
  ``share_image`` (a 1200×630 crop for link previews and structured data).
- Only photos that a published item shows or links to are published (a
  draft's photo never is); Pelican's static copy of the photos folder is left
  out, so no original with its EXIF ever reaches the output.
- Encoding is the slow part: each photo is made once, into the cache
  (``PHOTOS_CACHE_PATH``), by its bytes and the recipe, on every core; later
  builds link the files from there. The same inputs give the same bytes.

The items are read once per build from Pelican's cache; their photos are
looked up on every build (a replaced photo changes the pages that show it).
"""

import json
import logging
import os

from bilingual.files import link_or_copy
from bilingual.images import (
    IMG_TAG,
    LINK_TAG,
    is_photo,
    lead_photo_file,
    local_image_path,
    start_tag,
    tag_attributes,
)
from bilingual.parallel import in_parts, process_count
from bilingual.site import join_url, site_of
from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator
from PIL import Image, UnidentifiedImageError

from .process import MIME_TYPES, Photo, describe, photo_key, recipe, render
from .settings import apply_defaults

logger = logging.getLogger(__name__)

INDEX_NAME = "index.json"


def cache_folder(settings):
    return settings["PHOTOS_CACHE_PATH"] or os.path.join(
        os.path.dirname(os.path.abspath(settings["PATH"])), "cache", "photos")


class PhotoLibrary:
    """The photos of one build: each described once, and those to publish."""

    def __init__(self, settings):
        self.settings = settings
        self.root = os.path.abspath(settings["PATH"])
        self.made_with = recipe(settings)
        self.cache = cache_folder(settings)
        # {source: [size, mtime_ns, recipe, Photo fields]}: a photo's key without
        # reading its bytes again while the file is unchanged.
        self.index = self.load_index()
        self.index_changed = False
        self.photos = {}
        self.used = {}  # {source: Photo}

    def load_index(self):
        try:
            with open(os.path.join(self.cache, INDEX_NAME), encoding="utf-8") as handle:
                return json.load(handle)
        except (OSError, ValueError):
            return {}

    def photo(self, path):
        """The :class:`Photo` of the file at ``path``, or None (not a photo of the
        photos folder, missing, or unreadable: the checks name those)."""
        path = os.path.abspath(path)
        if path not in self.photos:
            self.photos[path] = self.describe(path)
        return self.photos[path]

    def describe(self, path):
        source = os.path.relpath(path, self.root).replace(os.sep, "/")
        folder = self.settings["PHOTOS_FOLDER"].strip("/") + "/"
        if not is_photo(path) or not source.startswith(folder) or not os.path.isfile(path):
            return None
        stat = os.stat(path)
        seen = [stat.st_size, stat.st_mtime_ns, self.made_with]
        known = self.index.get(source)
        if known and known[:3] == seen:
            fields = known[3]
            return Photo(**{**fields, "widths": tuple(fields["widths"]),
                            "formats": tuple(fields["formats"])})
        with open(path, "rb") as handle:
            data = handle.read()
        try:
            with Image.open(path) as image:
                photo = describe(source, image, photo_key(data, self.made_with), self.settings)
        except (OSError, UnidentifiedImageError, Image.DecompressionBombError):
            return None
        self.index[source] = seen + [photo.__dict__]
        self.index_changed = True
        return photo

    def use(self, photo):
        self.used[photo.source] = photo

    def made(self, photo):
        """Whether the cache holds every file of ``photo``."""
        return os.path.exists(self.marker(photo))

    def marker(self, photo):
        return os.path.join(self.cache, photo.key, f".made-{os.path.basename(photo.stem)}")

    def make(self, photos):
        """Encode ``photos`` into the cache (one part of :meth:`publish`'s work)."""
        for photo in photos:
            with open(os.path.join(self.root, photo.source), "rb") as handle:
                files = render(handle.read(), photo, self.settings)
            folder = os.path.join(self.cache, photo.key)
            os.makedirs(folder, exist_ok=True)
            for name, data in files.items():
                with open(os.path.join(folder, os.path.basename(name)), "wb") as output:
                    output.write(data)
            with open(self.marker(photo), "w", encoding="utf-8"):
                pass  # written last: an interrupted photo is made again

    def publish(self, output_path):
        """Put every used photo's files into the output: made once, on every core."""
        missing = [photo for photo in self.used.values() if not self.made(photo)]
        if missing:
            logger.info("[photos] making %d photo(s)", len(missing))
            in_parts(self.make, sorted(missing, key=lambda photo: photo.source),
                     process_count(self.settings.get("BILINGUAL_PROCESSES")), minimum=1)
        for photo in self.used.values():
            for name in photo.files():
                link_or_copy(os.path.join(self.cache, photo.key, os.path.basename(name)),
                             os.path.join(output_path, name))
        if self.index_changed:
            self.save_index()

    def save_index(self):
        os.makedirs(self.cache, exist_ok=True)
        temporary = os.path.join(self.cache, f".{INDEX_NAME}.{os.getpid()}")
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(self.index, handle, sort_keys=True)
        os.replace(temporary, os.path.join(self.cache, INDEX_NAME))


# -- what pages show ----------------------------------------------------------

def picture(photo, base, alt, sizes, lazy):
    """What a template needs to show ``photo``: the modern formats' ``sources``, the
    fallback's ``src`` and ``srcset``, ``sizes``, the intrinsic ``width`` and
    ``height`` (the browser reserves the space), ``alt``, ``loading`` and
    ``fetchpriority`` (high for the picture at the top of a page)."""
    def srcset(fmt):
        return ", ".join(f"{join_url(base, photo.file(width, fmt))} {width}w"
                         for width in photo.widths)

    widest = photo.widths[-1]
    middle = photo.widths[min(1, len(photo.widths) - 1)]
    return {
        "sources": [{"type": MIME_TYPES[fmt], "srcset": srcset(fmt)}
                    for fmt in photo.formats[:-1]],
        "src": join_url(base, photo.file(middle, photo.fallback)),
        "srcset": srcset(photo.fallback),
        "sizes": sizes,
        "width": widest,
        "height": photo.height_at(widest),
        "alt": alt,
        "loading": "lazy" if lazy else "eager",
        "fetchpriority": "auto" if lazy else "high",
    }


def picture_markup(shown, attributes):
    """``<picture>`` of a ``picture()`` dict, keeping the ``<img>``'s own attributes."""
    kept = {name: value for name, value in attributes.items()
            if name not in ("src", "srcset", "sizes", "width", "height", "loading")}
    image = {**kept, "src": shown["src"], "srcset": shown["srcset"], "sizes": shown["sizes"],
             "width": shown["width"], "height": shown["height"], "loading": shown["loading"],
             "decoding": "async"}
    if shown["fetchpriority"] == "high":
        image["fetchpriority"] = "high"
    sources = [start_tag("source", {"type": source["type"], "srcset": source["srcset"],
                                    "sizes": shown["sizes"]}) for source in shown["sources"]]
    return Markup("<picture>{}{}</picture>").format(Markup("").join(sources),
                                                    start_tag("img", image))


def show_photos(html, library, source_dir, base, sizes, first_lazy):
    """``html`` with every local photo as a ``<picture>``; a link to a photo opens
    its published copy. Below the first picture, pictures load lazily.

    Only the ``<img>`` and ``<a>`` tags are rewritten; the rest of the text is
    left byte for byte (an HTML serializer would close void elements it does
    not know, such as the ``<wbr>`` of plugins/phrases).
    """
    if "<img" not in html and "{static}" not in html:
        return html
    position = 0

    def used_photo(address):
        """The photo an address names (now to be published), or None."""
        path = local_image_path(address, library.root, source_dir)
        photo = library.photo(path) if path else None
        if photo is not None:
            library.use(photo)
        return photo

    def show(match):
        nonlocal position
        attributes = tag_attributes(match.group(0))
        photo = used_photo(attributes.get("src", ""))
        if photo is None:
            return match.group(0)
        shown = picture(photo, base, attributes.get("alt", ""), sizes,
                        first_lazy or position > 0)
        position += 1
        return str(picture_markup(shown, attributes))

    def link(match):
        attributes = tag_attributes(match.group(0))
        photo = used_photo(attributes.get("href", ""))
        if photo is None:
            return match.group(0)
        return str(start_tag("a", {**attributes, "href": join_url(base, photo.source)}))

    return LINK_TAG.sub(link, IMG_TAG.sub(show, html))


def show_item_photos(item, library, base):
    """Set the item's ``lead_image`` and ``share_image`` and turn its photos into pictures."""
    settings = library.settings
    lead = getattr(item, "image", None)
    photo = library.photo(lead_photo_file(lead, library.root, settings["PHOTOS_FOLDER"])) \
        if lead else None
    item.lead_image = item.card_image = item.thumb_image = item.share_image = None
    if photo is not None:
        library.use(photo)
        alt = str(getattr(item, "image_alt", "") or "")
        item.lead_image = picture(photo, base, alt, settings["PHOTOS_SIZES"], lazy=False)
        # In lists the picture repeats the item's lead photo beside its title
        # link: decorative there (alt=""), so screen readers do not read it twice.
        item.card_image = picture(photo, base, "", settings["PHOTOS_CARD_SIZES"], lazy=True)
        item.thumb_image = picture(photo, base, "", settings["PHOTOS_THUMB_SIZES"], lazy=True)
        width, height = settings["PHOTOS_SHARE_SIZE"]
        # Paths from the site root: link previews and structured data make them absolute.
        item.share_image = {"path": photo.share_file, "width": width, "height": height,
                            "alt": alt,
                            "widest": photo.file(photo.widths[-1], photo.fallback)}
    item._content = show_photos(item._content, library, os.path.dirname(item.source_path),
                                base, settings["PHOTOS_SIZES"], first_lazy=photo is not None)


class PhotosGenerator(Generator):
    """Shows every published item's photos and publishes the files they need."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_defaults(self.settings)
        self.library = None

    def generate_context(self):
        site = site_of(self.context)
        self.library = PhotoLibrary(self.settings)
        base = self.settings["SITEURL"]  # (as Pelican's {static} links: root-relative in previews)
        for kind in site.kinds:
            for item in site.items_of(kind.name):
                show_item_photos(item, self.library, base)

    def generate_output(self, writer):
        self.library.publish(self.output_path)


def leave_photos_to_us(static_generator):
    """Pelican would copy the photos folder as it is (EXIF and all): we publish
    the photos ourselves, and only those shown."""
    folder = static_generator.settings.get("PHOTOS_FOLDER", "images").strip("/") + "/"
    kept = [static for static in static_generator.staticfiles
            if not (is_photo(static.source_path)
                    and static.relative_source_path.replace(os.sep, "/").startswith(folder))]
    static_generator.staticfiles = kept
    static_generator.context["staticfiles"] = kept


def add_generator(pelican):
    return PhotosGenerator


def register():
    signals.get_generators.connect(add_generator)
    signals.static_generator_finalized.connect(leave_photos_to_us)
