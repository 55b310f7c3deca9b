"""Settings of the photos plugin, with their defaults, in one place."""

from bilingual.settings import merge_defaults

DEFAULTS = {
    # The folder under PATH that holds the photos (as {static}/images/… names them).
    "PHOTOS_FOLDER": "images",
    # The widths published of every photo (never wider than the photo): a phone
    # at 375 px takes 480 (1x) or 960 (2x, 3x), a desktop column 960 or 1600.
    "PHOTOS_WIDTHS": (480, 960, 1600),
    # The longest side of the copy published under the photo's own name (for a
    # link to it); the widths above are what pages show.
    "PHOTOS_MAX_SIDE": 2560,
    # Modern formats offered before the fallback (JPEG, or PNG for a PNG with
    # transparency); a format Pillow cannot write here is left out.
    "PHOTOS_FORMATS": ("avif", "webp"),
    "PHOTOS_QUALITY": {"avif": 55, "webp": 78, "jpeg": 82},
    # The link-preview (og:image) crop of a lead image.
    "PHOTOS_SHARE_SIZE": (1200, 630),
    # How the page lays a photo out, for the browser's choice of width
    # (the text column is at most 45em, --measure in site.css; cards are at
    # most 22em wide; on a phone the page's gutters take 2rem).
    "PHOTOS_SIZES": "(min-width: 48em) 45em, calc(100vw - 2rem)",
    "PHOTOS_CARD_SIZES": "(min-width: 48em) 22em, calc(100vw - 2rem)",
    # A list's thumbnails (beside each item's title and summary).
    "PHOTOS_THUMB_SIZES": "(min-width: 40em) 12rem, 7rem",
    # A photo larger than this is refused (a phone photo is 12 MP, 3-11 MB).
    "PHOTOS_MAX_PIXELS": 60_000_000,
    "PHOTOS_MAX_BYTES": 40 * 2**20,
    # Where encoded photos are kept between builds; None: cache/photos beside
    # the content folder.
    "PHOTOS_CACHE_PATH": None,
}


def apply_defaults(settings):
    """Add every missing photos setting to ``settings`` (in place)."""
    return merge_defaults(settings, DEFAULTS)


def photo_limits(settings):
    """(pixels, bytes) a photo may have at most, for the checks (which may run
    without this plugin's defaults applied)."""
    return tuple(settings.get(name, DEFAULTS[name])
                 for name in ("PHOTOS_MAX_PIXELS", "PHOTOS_MAX_BYTES"))
