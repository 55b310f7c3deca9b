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
    # Written only when SITEURL (or the preview address) is absolute.
    "SEO_SITEMAP_SAVE_AS": "sitemap.xml",
    "SEO_ROBOTS_SAVE_AS": "robots.txt",
}


def apply_defaults(settings):
    """Add every missing seo setting to ``settings`` (in place)."""
    return merge_defaults(settings, DEFAULTS)
