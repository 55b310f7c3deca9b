"""Draw the sample site's illustrative photos (content/images/): no third-party material.

Each picture is drawn from shapes and says in its corner that it is an
illustration; they stand in for the venue photos of the 2022 networking
report and the projects' lead images until real ones are published.
Run once with the project's Python: ``.venv/bin/python docs/make_sample_photos.py``.
The same drawing gives the same files.
"""

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "content" / "images"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
SIZE = (2400, 1600)


def font(size):
    try:
        return ImageFont.truetype(FONT, size, index=0)
    except OSError:
        return ImageFont.load_default(size)


def label(draw, text):
    """The corner mark: this is a drawing, not a photo of the event."""
    box = draw.textbbox((0, 0), text, font=font(44))
    width, height = box[2] - box[0], box[3] - box[1]
    draw.rounded_rectangle((40, 40, 40 + width + 48, 40 + height + 40), 16, fill=(0, 0, 0, 170))
    draw.text((64, 52), text, font=font(44), fill="white")


def person(draw, x, y, scale, colour):
    draw.ellipse((x - 28 * scale, y - 120 * scale, x + 28 * scale, y - 64 * scale),
                 fill=(236, 200, 170))
    draw.rounded_rectangle((x - 42 * scale, y - 60 * scale, x + 42 * scale, y + 60 * scale),
                           int(24 * scale), fill=colour)


def hall(seed, banner, stage):
    """A hall with a banner, people, and either a stage or booths."""
    rng = random.Random(seed)
    image = Image.new("RGB", SIZE, (226, 232, 240))
    draw = ImageDraw.Draw(image, "RGBA")
    draw.rectangle((0, 1000, SIZE[0], SIZE[1]), fill=(150, 130, 110))  # floor
    for x in range(0, SIZE[0], 300):  # ceiling lights
        draw.ellipse((x + 100, 60, x + 200, 110), fill=(255, 250, 220))
    draw.rectangle((300, 180, 2100, 360), fill=(16, 74, 140))
    draw.text((1200, 270), banner, font=font(96), fill="white", anchor="mm")
    if stage:
        draw.rectangle((700, 620, 1700, 1000), fill=(60, 60, 70))
        draw.rectangle((760, 660, 1640, 960), fill=(90, 160, 210))  # screen
        draw.text((1200, 810), "DATA × WELLNESS", font=font(80), fill="white", anchor="mm")
    else:
        for x in (150, 900, 1650):
            draw.rectangle((x, 700, x + 600, 1000), fill=(250, 250, 250))
            draw.rectangle((x, 640, x + 600, 720), fill=(200, 90, 60))
    for _ in range(70):
        x, y = rng.randrange(60, SIZE[0] - 60), rng.randrange(1120, 1560)
        colour = rng.choice([(40, 60, 90), (90, 90, 100), (30, 110, 120), (150, 60, 60)])
        person(draw, x, y, 0.6 + (y - 1100) / 700, colour)
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    label(ImageDraw.Draw(image, "RGBA"), "イラスト（実際の写真ではありません） / Illustration")
    return image


def app_screen(seed, colour, title, bars):
    """A hand holding a phone that shows the project's service."""
    rng = random.Random(seed)
    image = Image.new("RGB", SIZE, tuple(min(255, c + 150) for c in colour))
    draw = ImageDraw.Draw(image, "RGBA")
    for _ in range(30):
        x, y, r = rng.randrange(SIZE[0]), rng.randrange(SIZE[1]), rng.randrange(40, 200)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, 60))
    draw.rounded_rectangle((900, 180, 1500, 1420), 70, fill=(30, 30, 36))
    draw.rounded_rectangle((930, 230, 1470, 1370), 40, fill="white")
    draw.rectangle((930, 230, 1470, 380), fill=colour)
    draw.text((1200, 305), title, font=font(60), fill="white", anchor="mm")
    for index, height in enumerate(bars):
        x = 990 + index * 90
        draw.rectangle((x, 1200 - height, x + 60, 1200), fill=colour)
    draw.ellipse((1100, 420, 1300, 620), outline=colour, width=24)
    draw.ellipse((760, 1100, 1060, 1500), fill=(236, 200, 170))  # the hand
    image = image.filter(ImageFilter.GaussianBlur(1.0))
    label(ImageDraw.Draw(image, "RGBA"), "イラスト / Illustration")
    return image


PICTURES = {
    "networking-2022-hall.jpg": lambda: hall(1, "TOKYO Wellness Networking 2022", stage=True),
    "networking-2022-booths.jpg": lambda: hall(2, "交流会 / Networking", stage=False),
    "networking-2022-panel.jpg": lambda: hall(6, "パネルディスカッション / Panel discussion",
                                              stage=True),
    "boshimo.jpg": lambda: app_screen(3, (214, 96, 120), "母子モ", (120, 260, 180, 320, 240)),
    "kids-public.jpg": lambda: app_screen(4, (60, 140, 200), "キッズパブリック",
                                          (200, 150, 300, 260, 180)),
    "mysos.jpg": lambda: app_screen(5, (40, 150, 110), "MySOS", (300, 220, 260, 140, 330)),
}


def main():
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, draw in PICTURES.items():
        draw().save(FOLDER / name, "JPEG", quality=85, optimize=True)


if __name__ == "__main__":
    main()
