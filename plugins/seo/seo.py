"""Found and findable: sitemap with language alternates, robots.txt, link previews, JSON-LD.

Template variable it adds to every page (through the bilingual plugin's page
hook): ``meta`` with ``title``, ``description``, ``og_type``, ``image``,
``image_alt``, ``image_width``, ``image_height``, ``locale``,
``locale_alternates`` and ``json_ld`` (a list of JSON texts, safe inside
``<script type="application/ld+json">``).

Files it writes: ``sitemap.xml`` (every page once, with its ``xhtml:link``
siblings in the other language and ``lastmod`` from the content: the item's
own, or the newest of what a list page lists, its ``listed`` variable) and
``robots.txt`` pointing to it. Only built pages are listed, so drafts and
embargoed items never appear.
"""

import logging

from bilingual.files import write_bytes
from bilingual.i18n import N_
from bilingual.site import join_url, script_json, site_of
from pelican import signals
from pelican.generators import Generator

from .settings import apply_defaults

logger = logging.getLogger(__name__)

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
# Titles of the list pages that are no kind's own list (those are the
# kinds' ``list_title``).
LIST_NAMES = {
    "tags": N_("Tags"), "archives": N_("News archives"), "subscribe": N_("Subscribe"),
    "search": N_("Search"),
}


def page_item(variables):
    """The content item a page shows, or None for list pages."""
    return variables.get("item")


def updated_of(item):
    modified = getattr(item, "modified", None)
    date = getattr(item, "date", None)
    candidates = [d for d in (modified, date) if d is not None]
    return max(candidates) if candidates else None


def lastmod(variables):
    """When the page's content last changed: its item's, or the newest of the items it
    lists (``listed``, which every list page's planner sets), or None."""
    item = page_item(variables)
    if item is not None:
        return updated_of(item)
    listed = variables.get("listed") or variables.get("items") or []
    dates = [d for d in (updated_of(i) for i in listed) if d is not None]
    return max(dates) if dates else None


class SeoGenerator(Generator):
    """Adds link-preview metadata to every page and writes the sitemap and robots.txt."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_defaults(self.settings)
        self.site = None

    def generate_context(self):
        self.site = site_of(self.context)
        self.base = self.site.absolute_siteurl()
        self.site.add_page_hook(self.page_metadata)

    # -- per page ---------------------------------------------------------

    def absolute(self, url):
        return join_url(self.base or self.settings["SITEURL"], url)

    def list_name(self, page_kind):
        """The title of a list page, by its page kind."""
        listed = self.site.kinds.by_list_kind(page_kind)
        if listed is not None and listed.list_title:
            return listed.list_title
        return LIST_NAMES.get(page_kind, "Home")

    def kind_of(self, spec):
        """The content kind of an item's page (None for other pages)."""
        return self.site.kinds.by_page_kind(spec.key[0])

    def title_of(self, spec, variables):
        item = page_item(variables)
        if item is not None:
            return item.title
        if variables.get("list_title"):
            return variables["list_title"]
        kind = spec.key[0]
        if kind == "month":
            return variables["month"]["label"]
        if kind == "home":
            return variables["sitename"]
        return self.site.translate(spec.lang, self.list_name(kind))

    def page_metadata(self, spec, variables):
        lang = spec.lang
        item = page_item(variables)
        title = self.title_of(spec, variables)
        description = item.summary_text if item is not None else variables["site_description"]
        versions = self.site.versions(spec.key)
        languages = self.site.languages
        kind = self.kind_of(spec)
        sitename = variables["sitename"]
        image = self.preview_image(item, lang, sitename)
        meta = {
            "title": title,
            "description": description,
            "og_type": kind.og_type if kind else "website",
            "image": image["url"],
            "image_alt": image["alt"],
            "image_width": image["width"],
            "image_height": image["height"],
            "locale": languages[lang].og_locale,
            "locale_alternates": [languages[other].og_locale for other in versions
                                  if other != lang],
            "json_ld": self.structured_data(spec, variables, item, title, image["all"]),
        }
        return {"meta": meta}

    def preview_image(self, item, lang, sitename):
        """The page's link-preview image: the item's lead photo (its 1200×630 crop, set by
        the photos plugin), else the site's default; ``all``: every image of the item
        for structured data (the crop, then the photo at its widest)."""
        share = getattr(item, "share_image", None) if item is not None else None
        if share:
            url = self.absolute(share["path"])
            return {"url": url, "alt": share["alt"], "width": share["width"],
                    "height": share["height"], "all": [url, self.absolute(share["widest"])]}
        settings = self.settings
        url = self.absolute(settings["SEO_DEFAULT_IMAGE"])
        width, height = settings["SEO_DEFAULT_IMAGE_SIZE"]
        return {"url": url, "alt": settings["SEO_DEFAULT_IMAGE_ALT"].get(lang, sitename),
                "width": width, "height": height, "all": [url]}

    def publisher(self, lang, sitename):
        """The publisher (and author) of the site's articles, with its web address."""
        name = self.settings["SEO_PUBLISHER"].get(lang) or sitename
        address = self.settings["SEO_PUBLISHER_URL"].get(lang, "")
        if "://" not in address:
            address = self.absolute(self.site.root(lang) + address)
        return {"@type": "Organization", "name": name, "url": address}

    def logo(self):
        width, height = self.settings["SEO_PUBLISHER_LOGO_SIZE"]
        return {"@type": "ImageObject", "url": self.absolute(self.settings["SEO_PUBLISHER_LOGO"]),
                "width": width, "height": height}

    def structured_data(self, spec, variables, item, title, images):
        lang = spec.lang
        kind = spec.key[0]
        sitename = variables["sitename"]
        home = self.absolute(self.site.root(lang))
        kind_record = self.kind_of(spec)
        blocks = []
        if kind == "home":
            blocks.append({
                "@context": "https://schema.org",
                "@type": "Organization",
                "name": sitename,
                "url": home,
                "logo": self.logo(),
                "parentOrganization": self.publisher(lang, sitename),
            })
        else:
            blocks.append(self.breadcrumbs(spec, variables, title, home))
        if kind_record and kind_record.json_ld_type == "NewsArticle" and item is not None:
            modified = updated_of(item)
            blocks.append({
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": item.title,
                "description": item.summary_text,
                "datePublished": item.date.isoformat(),
                "dateModified": modified.isoformat(),
                "inLanguage": self.site.languages[lang].hreflang,
                "image": images,
                "mainEntityOfPage": self.absolute(spec.url),
                "author": self.publisher(lang, sitename),
                "publisher": {**self.publisher(lang, sitename), "logo": self.logo()},
            })
        return [script_json(block) for block in blocks]

    def breadcrumbs(self, spec, variables, title, home):
        lang = spec.lang
        trail = [(self.site.translate(lang, "Home"), home)]
        parent = self.site.parent_of(spec.key[0])
        if parent:
            url = self.site.url_of((parent, None, 1), lang)
            if url is not None and (parent, None, 1) != spec.key[:2] + (1,):
                trail.append((self.site.translate(lang, self.list_name(parent)),
                              self.absolute(url)))
        trail.append((title, self.absolute(spec.url)))
        return {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": n, "name": name, "item": url}
                for n, (name, url) in enumerate(trail, start=1)
            ],
        }

    # -- files --------------------------------------------------------------

    def sitemap_entries(self):
        """[(URL, last modified (ISO) or None, [(hreflang, URL)])] of every page in the sitemap."""
        entries = []
        for spec in self.site.pages():
            if spec.key[0] == "404" or self.site.preview_only(spec):
                continue
            changed = lastmod(spec.variables)
            alternates = []
            versions = self.site.versions(spec.key)
            if len(versions) > 1:
                alternates = [(self.site.languages[lang].hreflang, self.absolute(other))
                              for lang, other in versions.items()]
                default = versions.get(self.site.languages.default.code)
                if default is not None:
                    alternates.append(("x-default", self.absolute(default)))
            entries.append((self.absolute(spec.url),
                            changed.isoformat() if changed is not None else None, alternates))
        return entries

    def generate_output(self, writer):
        if self.base is None:
            logger.warning("[seo] no sitemap: SITEURL must be an absolute URL")
            return
        settings = self.settings
        # The previous build's sitemap when it lists the same pages, dates
        # and alternates (an edit of an article's text changes none of them).
        entries = self.sitemap_entries()
        name = settings["SEO_SITEMAP_SAVE_AS"]
        reuse = self.site.file_reuse("seo", self.output_path, packages=("lxml",))
        if reuse is None or not reuse.reuse([name], reuse.fingerprint(entries)):
            write_bytes(self.output_path, name, sitemap_xml(entries))
        if reuse is not None:
            reuse.save()
        robots = (
            "User-agent: *\nAllow: /\n\n"
            f"Sitemap: {self.absolute(settings['SEO_SITEMAP_SAVE_AS'])}\n"
        )
        write_bytes(self.output_path, settings["SEO_ROBOTS_SAVE_AS"], robots.encode("utf-8"))


def sitemap_xml(entries):
    """The sitemap of ``entries`` (``SeoGenerator.sitemap_entries``), UTF-8 XML."""
    from lxml import etree  # noqa: PLC0415 - imported when needed, as feeds do

    etree.register_namespace("xhtml", XHTML_NS)
    urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "xhtml": XHTML_NS})
    for location, changed, alternates in entries:
        url = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = location
        if changed is not None:
            etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = changed
        for hreflang, href in alternates:
            etree.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=hreflang,
                             href=href)
    return etree.tostring(urlset, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def add_generator(pelican):
    return SeoGenerator


def register():
    signals.get_generators.connect(add_generator)
