"""Checks that every reference resolves: Projects, Event, {filename} links, images."""

import os
import re
from html.parser import HTMLParser

from bilingual.i18n import N_, Message
from bilingual.images import is_photo, local_image_path, photo_problem
from bilingual.rules import split_list, unknown_reference
from photos.settings import DEFAULTS as PHOTOS

from .report import ERROR, Problem

# Pelican's intra-site links: {filename}path, {static}path, {attach}path.
_INTRASITE = re.compile(r"\{(?P<what>filename|static|attach)\}(?P<path>[^)\s\"'>#?]+)")
_MD_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)(?:\s+\"[^\"]*\")?\)")


class _ImageTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def target_path(content_root, source, path):
    """The file an intra-site link names: from the content root when it starts
    with "/", else from the linking file's folder (Pelican's rule)."""
    if path.startswith("/"):
        return os.path.normpath(os.path.join(content_root, path.lstrip("/")))
    return os.path.normpath(os.path.join(os.path.dirname(source.full_path), path))


def check_links(source, content_root, sources_by_path, published):
    problems = []
    if "}" not in source.body_text:  # no {filename}, {static} or {attach} anywhere
        return problems
    for number, text in source.body:
        for match in _INTRASITE.finditer(text):
            target = target_path(content_root, source, match["path"])
            field = "Link" if match["what"] == "filename" else "Image"
            if not os.path.exists(target):
                problems.append(Problem(
                    source.path, number, field,
                    Message(N_("%(link)s points to a file that does not exist"),
                            link=match[0]),
                    Message(N_("check the path (it is relative to this file, or to content/ "
                               "when it starts with /)")),
                ))
            elif match["what"] == "filename":
                linked = sources_by_path.get(target)
                if linked is not None and not published(linked):
                    problems.append(Problem(
                        source.path, number, "Link",
                        Message(N_("%(link)s points to an item that is not published (draft "
                                   "or embargoed)"), link=match[0]),
                        Message(N_("publish that item first, or remove the link")),
                    ))
    return problems


def check_images(source, content_root, static_paths=("images",),
                 photo_limits=(PHOTOS["PHOTOS_MAX_PIXELS"], PHOTOS["PHOTOS_MAX_BYTES"])):
    problems = []
    # Most files and lines hold no image: skip the parsers there (a large
    # archive has hundreds of thousands of lines, checked on every build).
    if "![" not in source.body_text and "<img" not in source.body_text.lower():
        return problems
    for number, text in source.body:
        images = []
        if "![" in text:
            images += [{"alt": m["alt"], "src": m["src"]} for m in _MD_IMAGE.finditer(text)]
        if "<img" in text.lower():
            parser = _ImageTags()
            parser.feed(text)
            images += parser.images
        for image in images:
            alt = image.get("alt")
            src = image.get("src") or ""
            if alt is None or not alt.strip():
                problems.append(Problem(
                    source.path, number, "Image",
                    Message(N_("%(image)s has no alternative text"), image=src),
                    Message(N_("describe the image for people who cannot see it: ![what it "
                               "shows](…) or alt=\"…\"")),
                ))
            if src.startswith(("http://", "https://", "//")):
                problems.append(Problem(
                    source.path, number, "Image",
                    Message(N_("%(image)s is loaded from another site"), image=src),
                    Message(N_("copy the image into content/images and link it as "
                               "{static}/images/…")),
                ))
            elif src.startswith("/") and not os.path.exists(
                os.path.join(content_root, src.lstrip("/"))
            ):
                problems.append(Problem(
                    source.path, number, "Image",
                    Message(N_("%(image)s does not exist in content/"), image=src),
                    Message(N_("put the image in content/images and check the path")),
                ))
            elif src and not src.startswith(("/", "{", "data:", "#")):
                problems.append(relative_image(source, number, src, content_root,
                                               static_paths))
            else:
                problems += unusable_photo(source, number, src, content_root, photo_limits)
    return problems


def unusable_photo(source, number, src, content_root, photo_limits):
    """A photo that is there but cannot be published: unreadable, or far too large."""
    path = local_image_path(src, content_root, os.path.dirname(source.full_path))
    if path is None or not is_photo(path) or not os.path.isfile(path):
        return []  # (a missing file is named by the link checks)
    problem = photo_problem(path, *photo_limits)
    if problem is None:
        return []
    return [Problem(source.path, number, "Image", problem,
                    Message(N_("save it again as a JPEG of at most about 4000 px a side "
                               "(or a PNG), then check the path")))]


def relative_image(source, number, src, content_root, static_paths):
    """An image path relative to the Markdown file: the page is published at another
    address, so the browser would look for it in the wrong place."""
    target = target_path(content_root, source, src)
    inside = os.path.relpath(target, content_root).replace(os.sep, "/")
    published_folder = any(inside.startswith(f"{folder.strip('/')}/") for folder in static_paths)
    if os.path.exists(target) and published_folder:
        fix = Message(N_("write it as {static}/%(path)s"), path=inside)
    else:
        fix = Message(N_("put the photo in content/images/ and write it as "
                         "{static}/images/%(file)s"), file=os.path.basename(src))
    return Problem(source.path, number, "Image",
                   Message(N_("%(image)s is a path relative to this file: the published page "
                              "would not find it"), image=src), fix)


def check_slug_references(source, field, known, kind):
    """``Projects:`` / ``Event:`` name items that will be published."""
    value = source.value(field)
    if not value:
        return []
    problems = []
    for slug in split_list(value, ","):
        if slug not in known:
            message, fix = unknown_reference(kind, slug, known)
            problems.append(Problem(source.path, source.line(field), field, message, fix, ERROR))
    return problems
