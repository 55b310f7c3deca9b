"""Content classes of the site: news, event reports, project profiles, pages.

Each class is named for its content type because Pelican builds an item's URL
from the settings named after the class (``REPORT_URL``,
``PROJECT_LANG_SAVE_AS``, ...).

Attributes added to every item (for templates):
- metadata keys with hyphens are also available with underscores
  (``Fiscal-Year`` -> ``fiscal_year``);
- list fields are lists (``list_fields``, set from the kind's fields by the
  registry): ``projects`` (comma separated slugs), ``lead`` and
  ``participants`` (organisations separated by ``;``, since organisation names
  may contain commas);
- ``summary_text``: the plain-text summary (computed when first rendered), as
  long as the item's language record says.
"""

import html
import os
import re

from pelican import contents
from pelican.utils import posixize_path

from .rules import split_list

# Summary length of an item read without a language record (not built).
SUMMARY_CHARACTERS = 200
_TAG_RE = re.compile(r"<[^>]+>")
_SPACE_RE = re.compile(r"\s+")
# Pelican's pattern of intrasite links ({static}, {filename}, |attach|, ...).
PELICAN_INTRASITE_LINKS = "[{|](?P<what>.*?)[|}]"
# {(content folder, absolute file path): the path relative to the folder}:
# Pelican asks for it four times per item and per build.
_RELATIVE_PATHS = {}


def plain_text(html_text):
    """Text of an HTML fragment, with tags removed and whitespace collapsed."""
    return _SPACE_RE.sub(" ", html.unescape(_TAG_RE.sub(" ", html_text))).strip()


def shorten(text, limit):
    """``text`` cut at ``limit`` characters, at a word break when it has spaces.

    Japanese has no spaces between words, so it is cut at the character.
    """
    if len(text) <= limit:
        return text
    cut = text[:limit].rstrip()
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut + "…"


class SiteContent:
    """Normalises metadata names and list fields; URLs come from the class name."""

    # {attribute: separator} of the kind's list fields (kinds.Registry sets it).
    list_fields = {}
    # Pelican formats every item's date with this strftime pattern when it
    # makes the item (``locale_date``): in English for every language, and a
    # tenth of making an item from the content cache. Nothing is formatted
    # there; the plan sets ``locale_date`` to the date as the item's
    # language writes it (``date_display``).
    date_format = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        separators = self.list_fields
        for key, written in self.metadata.items():
            attribute = key.replace("-", "_")
            value = written
            if attribute in separators:
                value = split_list(written, separators[attribute])
            if attribute in separators or attribute != key:
                setattr(self, attribute, value)
        for attribute in separators:
            if not hasattr(self, attribute):
                setattr(self, attribute, [])

    @property
    def summary_text(self):
        """Plain-text summary: the Summary field, else the start of the body.

        Lazy on purpose: the body's {static}/{filename} links resolve only once
        every generator has read its content, and Pelican memoizes the first
        rendering of ``content``.
        """
        summary = self.metadata.get("summary") or plain_text(self.content)
        language = self.__dict__.get("language")
        return shorten(summary, language.summary_length if language else SUMMARY_CHARACTERS)

    def get_relative_source_path(self, source_path=None):
        """Pelican's, remembered for absolute paths, with a prefix test before
        ``os.path.relpath``.

        Pelican asks for it four times per item and per build, and ``relpath``
        costs more than the rest of computing a URL. (Pelican makes ``PATH``
        absolute; a relative one would depend on the working folder.)
        """
        path = source_path or self.source_path
        folder = self.settings["PATH"]
        key = (folder, path)
        found = _RELATIVE_PATHS.get(key)
        if found is None:
            root = os.path.join(os.path.abspath(folder), "")
            if path and path.startswith(root) and os.path.normpath(path) == path:
                found = posixize_path(path[len(root):])
            else:
                found = super().get_relative_source_path(source_path)
            if path and os.path.isabs(folder) and os.path.isabs(path):
                _RELATIVE_PATHS[key] = found
        return found

    def get_static_links(self):
        """Pelican's, without scanning a text that cannot hold an intrasite link.

        Pelican's links start with "{" or "|" ({static}, |filename|); the scan
        of every item's text for them was a tenth of reading an item.
        """
        text = self._content or ""
        if (self.settings["INTRASITE_LINK_REGEX"] == PELICAN_INTRASITE_LINKS
                and "{" not in text and "|" not in text):
            return set()
        return super().get_static_links()

    def freeze_urls(self):
        """Compute ``url`` and ``save_as`` once, now that the fields they come from are final.

        Pelican recomputes them on every access (a copy of the metadata and
        a slugified tag or category each time), and a build reads them tens
        of thousands of times.
        """
        self._frozen_urls = None
        self._frozen_urls = {key: self.get_url_setting(key) for key in ("url", "save_as")}

    def get_url_setting(self, key):
        frozen = self.__dict__.get("_frozen_urls")
        if frozen and key in frozen:
            return frozen[key]
        return super().get_url_setting(key)

    def _expand_settings(self, key, klass=None):
        # Drafts are never written, so the class name alone picks the URL
        # setting (Pelican's Article would switch to DRAFT_URL).
        return contents.Content._expand_settings(self, key, klass or type(self).__name__)


def prime_slugs(item, known):
    """Slugify the item's category, tags and authors now, before it is cached.

    Pelican slugifies them on first use, which would otherwise happen again
    in every build that loads the item from the content cache. ``known``
    maps (type, name) to slugs already made in this build: the default
    author, for one, is a new object in every item.
    """
    wrappers = [getattr(item, name, None) for name in ("category", "author")]
    wrappers += [*getattr(item, "tags", []), *getattr(item, "authors", [])]
    for wrapper in wrappers:
        if wrapper is None or not wrapper._slug_from_name:
            continue  # (a slug set explicitly is the wrapper's own)
        key = (type(wrapper), wrapper.name)
        if wrapper._slug is None and key in known:
            wrapper._slug = known[key]  # what the slug property would memoize
        else:
            known[key] = wrapper.slug


class Article(SiteContent, contents.Article):
    """A news article (``content/news``)."""

    content_type = "news"
    default_template = "article"


class Report(SiteContent, contents.Article):
    """An event report (``content/reports``), tied to an event by ``Event: slug``."""

    content_type = "reports"
    default_template = "report"


class Project(SiteContent, contents.Page):
    """A project profile (``content/projects``)."""

    content_type = "projects"
    default_template = "project"


class Page(SiteContent, contents.Page):
    """A standalone page (``content/pages``): about, accessibility, privacy, contact."""

    content_type = "pages"
    default_template = "page"
