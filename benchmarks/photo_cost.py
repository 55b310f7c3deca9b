"""What photos cost a build: the same generated site with and without 200 phone photos.

Usage (from the project root, with the project's venv)::

    .venv/bin/python benchmarks/photo_cost.py                 # 200 photos, 200 article pairs
    .venv/bin/python benchmarks/photo_cost.py --photos 20     # a smaller run

It generates one site (``corpus.generate_site``) and gives each of its first
``--photos`` article pairs a lead photo (``Image:``): a 4032×3024 JPEG of about
3 MB, as a phone takes it (drawn noise and shapes, so that it encodes like a
photo, not like a flat drawing). The same site without the ``Image:`` lines is
the comparison. Each scenario builds both, alternating, each build in a fresh
subprocess (``runner.run_ours``):

- ``cold``: no output, no content cache and no photo cache: every photo is made;
- ``edit one``: one article's text changed, the content cache and the photo
  cache warm (as in ``invoke serve`` after a save).

It prints a Markdown table (wall and CPU seconds, peak memory). Nothing is
written into the project's own folders.
"""

import argparse
import io
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from common import MIB, ROOT, say, show
from corpus import generate_site, snapshot_project
from PIL import Image, ImageDraw, ImageFilter
from runner import edit_article, run_ours

PHOTO_SIZE = (4032, 3024)


def phone_photo(seed):
    """A photo-like 12 MP JPEG: noise under soft shapes (encodes like a photo)."""
    rng = random.Random(seed)
    image = Image.effect_noise((PHOTO_SIZE[0] // 4, PHOTO_SIZE[1] // 4), 60).convert("RGB")
    image = image.resize(PHOTO_SIZE)
    draw = ImageDraw.Draw(image, "RGBA")
    for _ in range(120):
        x, y = rng.randrange(PHOTO_SIZE[0]), rng.randrange(PHOTO_SIZE[1])
        radius = rng.randrange(60, 700)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius),
                     fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256), 140))
    image = image.filter(ImageFilter.GaussianBlur(2))
    output = io.BytesIO()
    image.save(output, "JPEG", quality=92)
    return output.getvalue()


def add_photos(site, articles, count):
    """Give the first ``count`` article pairs a lead photo of their own."""
    images = site / "content" / "images"
    images.mkdir(parents=True, exist_ok=True)
    for number, article in enumerate(articles[:count]):
        name = f"photo-{number:03d}.jpg"
        (images / name).write_bytes(phone_photo(number))
        for lang, alt in (("ja", "会場の様子"), ("en", "The venue")):
            path = site / "content" / "news" / f"{article['slug']}.{lang}.md"
            head, body = path.read_text(encoding="utf-8").split("\n\n", 1)
            path.write_text(f"{head}\nImage: {name}\nImage-Alt: {alt}\n\n{body}",
                            encoding="utf-8")


def measure(python, sites, work, runs):
    """{(scenario, variant): [samples]}, the variants alternating within each run."""
    samples = {}
    for run in range(runs):
        order = list(sites) if run % 2 == 0 else list(reversed(sites))
        for variant in order:
            site = sites[variant]
            shutil.rmtree(site / "cache", ignore_errors=True)
            output, cache = work / f"out-{variant}", work / f"cache-{variant}"
            shutil.rmtree(output, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
            log = work / f"{variant}.log"
            say(f"run {run + 1}: cold, {variant}")
            samples.setdefault(("cold", variant), []).append(
                run_ours(python, site, output, log, cache=cache))
            edited = sorted((site / "content" / "news").glob("*.en.md"))[0]
            original = edit_article(edited, run)
            say(f"run {run + 1}: edit one, {variant}")
            samples.setdefault(("edit one", variant), []).append(
                run_ours(python, site, output, log, cache=cache))
            edited.write_text(original, encoding="utf-8")
    return samples


def table(samples, count):
    lines = [f"| scenario | {count} photos: wall s (CPU s, peak MiB) | no photos | photos cost |",
             "| --- | --- | --- | --- |"]
    for scenario in ("cold", "edit one"):
        cells = {}
        for variant in ("photos", "plain"):
            runs = samples[(scenario, variant)]
            cells[variant] = (statistics.median(s["seconds"] for s in runs),
                              statistics.median(s["cpu"] for s in runs),
                              max(s["rss"] for s in runs) / MIB)
        photos, plain = cells["photos"], cells["plain"]
        lines.append(f"| {scenario} | {photos[0]:.2f} ({photos[1]:.1f}, {photos[2]:.0f}) | "
                     f"{plain[0]:.2f} ({plain[1]:.1f}, {plain[2]:.0f}) | "
                     f"+{photos[0] - plain[0]:.2f} s |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--python", default=str(ROOT / ".venv" / "bin" / "python"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="photos-bench-") as folder:
        work = Path(folder)
        project = work / "project"
        snapshot_project(project)
        sites = {}
        for variant in ("photos", "plain"):
            site = work / variant
            generated = generate_site(site, max(args.pairs, args.photos), project)
            if variant == "photos":
                say(f"drawing {args.photos} photos")
                add_photos(site, generated["articles"], args.photos)
            sites[variant] = site
        samples = measure(args.python, sites, work, args.runs)
        show(table(samples, args.photos))
    return 0


if __name__ == "__main__":
    sys.exit(main())
