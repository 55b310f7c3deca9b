"""Settings of the seo plugin, with their defaults, in one place."""

from bilingual.settings import merge_defaults

DEFAULTS = {
    # The link-preview image of pages that have none of their own, relative
    # to the site root, with its size and its description per language.
    "SEO_DEFAULT_IMAGE": "theme/images/og-default.png",
    "SEO_DEFAULT_IMAGE_SIZE": (1200, 630),
    "SEO_DEFAULT_IMAGE_ALT": {},
    # og:locale of each language.
    # The publisher named in structured data, per language; None means the
    # site name.
    "SEO_PUBLISHER": {},
    # The publisher's web address per language (absolute, or a path relative
    # to the language root); missing: the home page of the language.
    "SEO_PUBLISHER_URL": {},
    # The publisher's logo in structured data (a raster image, as Google
    # asks, at least 112x112 px, distinct from the articles' images),
    # relative to the site root, with its size.
    "SEO_PUBLISHER_LOGO": "theme/images/logo.png",
    "SEO_PUBLISHER_LOGO_SIZE": (256, 256),
    # Written only when SITEURL (or the preview address) is absolute.
    "SEO_SITEMAP_SAVE_AS": "sitemap.xml",
    "SEO_ROBOTS_SAVE_AS": "robots.txt",
}


def apply_defaults(settings):
    """Add every missing seo setting to ``settings`` (in place)."""
    return merge_defaults(settings, DEFAULTS)
