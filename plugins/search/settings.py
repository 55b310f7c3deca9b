"""Settings of the search plugin, with their defaults, in one place."""

from bilingual.settings import merge_defaults

DEFAULTS = {
    # Build the Pagefind index after every build (the search page needs it).
    "SEARCH_INDEX": True,
    # The search page, relative to the language root.
    "SEARCH_URL": "search/",
    # Where Pagefind writes its index and scripts, relative to the site root.
    "SEARCH_BUNDLE_DIR": "pagefind",
    # Pages per index shard (each language is split into shards of at most
    # this many pages): bounds Pagefind's memory, and an edit re-indexes one
    # shard. The search page merges one bundle per shard, and a query reads
    # one index chunk per word from each: fewer, larger shards make lighter
    # searches (benchmarks/profile-notes.md, "Session 4").
    "SEARCH_SHARD_PAGES": 500,
    # The order of the search page's type filter (search types of the kinds);
    # a kind not listed comes after these, in registry order.
    "SEARCH_TYPE_ORDER": ("news", "project", "event", "report", "page"),
    # Languages written without spaces between words: their pages are cut
    # into words with ICU before Pagefind indexes them, as the browser cuts a
    # query (Pagefind's script segments these three, by the primary subtag).
    "SEARCH_SEGMENTED_LANGUAGES": ("ja", "zh", "th"),
}


def apply_defaults(settings):
    """Add every missing search setting to ``settings`` (in place)."""
    return merge_defaults(settings, DEFAULTS)
