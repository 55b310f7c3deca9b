"""Making a photo fit to publish: upright, in sRGB, without its private metadata, in a
few widths and formats. Pure functions of a photo's bytes and the settings.

A phone photo carries its GPS position, the camera's serial number and often
the owner's name (EXIF, XMP); none of it is ever written: every published file
is encoded anew from the pixels alone, after the orientation is applied (so
nothing turns sideways once the EXIF is gone) and the colours are converted
to sRGB (the colour space browsers assume without a profile).
"""

import hashlib
import io
import os
from dataclasses import dataclass

import PIL
from bilingual.images import oriented_size
from PIL import Image, ImageCms, ImageOps, features

# Bump when the way photos are made changes: every photo is then made again.
RECIPE = "2"
EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}
MIME_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg",
              "png": "image/png"}
ENCODER_OPTIONS = {
    "avif": {"speed": 8},
    "webp": {"method": 4},
    "jpeg": {"optimize": True, "progressive": True},
    "png": {"optimize": True},
}
TRANSPARENT_MODES = ("RGBA", "LA", "PA")


@dataclass(frozen=True)
class Photo:
    """A photo as pages show it: the names and sizes of its published files.

    Every name carries ``key`` (of the photo's bytes and the recipe), so a
    replaced photo gets new addresses and browsers may keep each file for good.
    """

    source: str  # under PATH, as links name it: images/venue.jpg
    key: str
    width: int  # as shown (upright), at full size
    height: int
    fallback: str  # "jpeg", or "png" for a picture with transparency
    widths: tuple  # published widths, smallest first
    formats: tuple  # modern formats first, the fallback last

    @property
    def stem(self):
        return os.path.splitext(self.source)[0]

    def file(self, width, fmt):
        return f"{self.stem}-{width}w.{self.key}.{EXTENSIONS[fmt]}"

    def height_at(self, width):
        return max(1, round(self.height * width / self.width))

    @property
    def share_file(self):
        """The link-preview crop (og:image), always a JPEG."""
        return f"{self.stem}-share.{self.key}.jpg"

    def files(self):
        """Every file published of the photo (its own name: the copy a link opens)."""
        return [self.source, self.share_file] + [
            self.file(width, fmt) for width in self.widths for fmt in self.formats]


def available_formats(wanted):
    """The modern formats of ``wanted`` that this Pillow can write."""
    return tuple(fmt for fmt in wanted if features.check(fmt))


def recipe(settings):
    """What, besides its bytes, decides a photo's files: a change makes them anew."""
    return repr((RECIPE, PIL.__version__, tuple(settings["PHOTOS_WIDTHS"]),
                 available_formats(settings["PHOTOS_FORMATS"]),
                 sorted(settings["PHOTOS_QUALITY"].items()), settings["PHOTOS_MAX_SIDE"],
                 tuple(settings["PHOTOS_SHARE_SIZE"])))


def photo_key(data, made_with):
    return hashlib.blake2b(data + made_with.encode(), digest_size=5).hexdigest()


def published_widths(width, wanted):
    """The widths of a photo ``width`` px wide: those wanted that it is wider than,
    then its own if it is narrower than the widest (never enlarged)."""
    widths = [w for w in sorted(wanted) if w < width]
    return tuple(widths + [width] if width <= max(wanted) else widths)


def describe(source, image, key, settings):
    """The :class:`Photo` of an open image (only its header is read)."""
    width, height = oriented_size(image)
    transparent = image.mode in TRANSPARENT_MODES or "transparency" in image.info
    fallback = "png" if transparent else "jpeg"
    return Photo(source, key, width, height, fallback,
                 published_widths(width, settings["PHOTOS_WIDTHS"]),
                 available_formats(settings["PHOTOS_FORMATS"]) + (fallback,))


def upright_srgb(image, fallback):
    """The pixels only: orientation applied, converted to sRGB, no metadata at all."""
    image = ImageOps.exif_transpose(image)
    profile = image.info.get("icc_profile")
    mode = "RGBA" if fallback == "png" else "RGB"
    if image.mode not in ("RGB", "RGBA", "CMYK"):
        image = image.convert(mode)
    if profile:
        try:
            image = ImageCms.profileToProfile(
                image, ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                ImageCms.createProfile("sRGB"),
                outputMode="RGBA" if image.mode == "RGBA" else "RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the pixels as they are
    if image.mode == "RGBA" and mode == "RGB":
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    image = image.convert(mode)
    image.info = {}  # (Pillow writes what info holds: EXIF, XMP, the profile)
    return image


def encode(image, fmt, quality):
    output = io.BytesIO()
    options = dict(ENCODER_OPTIONS[fmt])
    if fmt != "png":
        options["quality"] = quality.get(fmt, 80)
    image.save(output, fmt.upper(), **options)
    return output.getvalue()


def resized(image, width):
    if width >= image.width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def render(data, photo, settings):
    """{published name: bytes} of every file of ``photo`` made from its ``data``."""
    with Image.open(io.BytesIO(data)) as opened:
        opened.load()
        image = upright_srgb(opened, photo.fallback)
    quality = settings["PHOTOS_QUALITY"]
    # Each smaller version is made from the one before (resizing the full
    # photo is most of the work): the capped copy, then the widths, widest first.
    capped = image.copy()
    capped.thumbnail((settings["PHOTOS_MAX_SIDE"],) * 2, Image.Resampling.LANCZOS,
                     reducing_gap=3.0)
    files = {photo.source: encode(capped, photo.fallback, quality)}
    share = ImageOps.fit(capped.convert("RGB"), tuple(settings["PHOTOS_SHARE_SIZE"]),
                         Image.Resampling.LANCZOS)
    files[photo.share_file] = encode(share, "jpeg", quality)
    version = capped
    for width in sorted(photo.widths, reverse=True):
        version = resized(version, width)
        for fmt in photo.formats:
            files[photo.file(width, fmt)] = encode(version, fmt, quality)
    return dict(sorted(files.items()))
