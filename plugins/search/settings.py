"""Settings of the search plugin, with their defaults, in one place."""

from bilingual.settings import merge_defaults

DEFAULTS = {
    # Build the Pagefind index after every build (the search page needs it).
    "SEARCH_INDEX": True,
    # The search page, relative to the language root.
    "SEARCH_URL": "search/",
    # Where Pagefind writes its index and scripts, relative to the site root.
    "SEARCH_BUNDLE_DIR": "pagefind",
}


def apply_defaults(settings):
    """Add every missing search setting to ``settings`` (in place)."""
    return merge_defaults(settings, DEFAULTS)
