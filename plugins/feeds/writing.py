"""A feed's entries and bytes: what a feed shows of an item, and feedgen driven safely.

The rules that guard against feedgen's defaults (listed in the feeds module)
are kept here: entries appended newest first, self link per format and the
page link last, dates from the content, HTML content, one link per entry;
every entry names its author.
"""

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from bilingual.site import join_url

FORMATS = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
# Characters XML 1.0 forbids; a pasted control character must not break the feed.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text):
    """``text`` without the control characters XML cannot carry."""
    return _XML_ILLEGAL.sub("", text)


def entry_id(authority, item):
    """A tag: URI that survives rebuilds, theme changes and URL-scheme changes.

    It names the content type, slug and language: never the URL, the date or
    the title, which staff may change.
    """
    return f"tag:{authority}:{item.content_type}/{item.slug}/{item.lang}"


def feed_id(authority, spec):
    ident = f"/{spec.ident}" if spec.ident else ""
    return f"tag:{authority}:feeds/{spec.kind}{ident}/{spec.lang}"


def absolutize_html(fragment, base):
    """``fragment`` with every href, src and srcset URL made absolute against ``base``."""
    if not fragment.strip():
        return fragment
    import lxml.html  # noqa: PLC0415 - see build_feed

    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    root.make_links_absolute(base, resolve_base_href=False)
    for element in root.iter():
        srcset = element.get("srcset") if isinstance(element.tag, str) else None
        if srcset:
            element.set("srcset", absolutize_srcset(srcset, base))
    inner = (root.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in root
    )
    return inner


def absolutize_srcset(srcset, base):
    """A srcset with each candidate URL made absolute, descriptors kept."""
    candidates = []
    for candidate in srcset.split(","):
        parts = candidate.strip().split(None, 1)
        if parts:
            parts[0] = urljoin(base, parts[0])
            candidates.append(" ".join(parts))
    return ", ".join(candidates)


def updated_of(item):
    modified = getattr(item, "modified", None)
    return max(modified, item.date) if modified else item.date


@dataclass(frozen=True)
class Entry:
    """What a feed shows of one item: plain values, so that they can be fingerprinted."""

    content_type: str
    slug: str
    lang: str
    title: str
    permalink: str
    published: object  # datetime
    updated: object  # datetime
    summary: str
    html: str  # the body as written; links are made absolute when the feed is written
    categories: tuple  # ((name, scheme URL), ...)
    author: str


def author_of(item, settings):
    """Who wrote an item: its own ``Author:``/``Authors:``, else the site's author in its
    language (Pelican gives every item the default AUTHOR, in one language only)."""
    written = item.metadata.get("authors") or (
        [item.metadata["author"]] if item.metadata.get("author") else [])
    if written:
        return ", ".join(str(author) for author in written)
    return settings["FEEDS_AUTHORS"].get(item.lang, settings["AUTHOR"])


def entry_of(item, domain, settings):
    permalink = join_url(domain, item.url)
    # (An event's title says when it is cancelled or postponed, as its page does.)
    title = getattr(item, "status_title", None) or item.title
    return Entry(
        item.content_type, item.slug, item.lang, title, permalink, item.date,
        updated_of(item), item.summary_text,
        getattr(item, "feed_html", None) or item.content,
        tuple((term.name, absolute_href(domain, term.href))
              for term in [item.category_term, *item.tag_terms] if term is not None),
        author_of(item, settings),
    )


def build_feed(spec, entries, settings, build_time, contents=None):
    """A FeedGenerator for ``spec`` with ``entries`` (newest first).

    ``updated`` is the newest entry's; only a feed without entries falls back
    to ``build_time`` (SOURCE_DATE_EPOCH in reproducible builds).
    ``contents`` keeps each entry's absolutized body across the feeds it is in.
    """
    # (feedgen and lxml are imported when the first feed is made, while the
    # other core is busy: at import they were 0.05 s of a build's start.)
    from feedgen.feed import FeedGenerator  # noqa: PLC0415

    contents = {} if contents is None else contents
    authority = settings["FEEDS_ID_AUTHORITY"]
    generator = FeedGenerator()
    # RSS names an entry's author by e-mail only: Dublin Core's creator
    # carries the name (feed readers show it).
    generator.load_extension("dc", atom=False, rss=True)
    generator.id(feed_id(authority, spec))
    generator.title(xml_safe(spec.title))
    # (RSS requires a description: a language without a site description
    # gets the feed's title.)
    generator.subtitle(xml_safe(spec.subtitle or spec.title))
    generator.language(spec.lang)
    generator.author({"name": settings["FEEDS_AUTHORS"].get(spec.lang, settings["AUTHOR"])})
    # Our name without a version, so a feedgen upgrade does not change the bytes.
    generator.generator("tokyo-wellness-site")
    newest = max((entry.updated for entry in entries), default=build_time)
    generator.updated(newest)
    generator.lastBuildDate(newest)
    for entry in entries:
        # order="append": we add newest first and want them kept in that order.
        added = generator.add_entry(order="append")
        added.id(entry_id(authority, entry))
        added.title(xml_safe(entry.title))
        added.link(href=entry.permalink)
        added.author({"name": xml_safe(entry.author)})
        added.dc.dc_creator(xml_safe(entry.author))
        added.published(entry.published)
        added.updated(entry.updated)
        added.summary(xml_safe(entry.summary))
        if entry not in contents:
            contents[entry] = xml_safe(absolutize_html(entry.html, entry.permalink))
        added.content(contents[entry], type="html")
        for name, scheme in entry.categories:
            added.category(term=name, scheme=scheme)
    return generator


def absolute_href(domain, href):
    """A page href (root-relative in previews) made absolute for feeds."""
    return href if "://" in href else join_url(domain, href.lstrip("/"))


def serialize(generator, fmt, self_href, page_href):
    """Feed bytes in ``fmt``, with this format's self link and the page link last."""
    generator.link(
        [
            {"href": self_href, "rel": "self", "type": FORMATS[fmt]},
            {"href": page_href, "rel": "alternate", "type": "text/html"},
        ],
        replace=True,
    )
    if fmt == "atom":
        return generator.atom_str(pretty=True)
    return generator.rss_str(pretty=True)
