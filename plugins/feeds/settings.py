"""Settings of the feeds plugin, with their defaults, in one place."""

from bilingual.settings import merge_defaults

DEFAULTS = {
    # The authority of the entries' tag: URIs (RFC 4151): a domain the
    # program owns and a date it owned it. Never change it once published:
    # every entry id (and so every subscriber's read state) hangs on it.
    "FEEDS_ID_AUTHORITY": "wellness-sol-pj.metro.tokyo.lg.jp,2022",
    # The organisation named as the author of every feed, per language.
    "FEEDS_AUTHORS": {},
    # Feed files relative to the language root ("" or "en/"); {fmt} is
    # "atom" or "rss".
    "FEEDS_URLS": {
        "news": "feeds/news.{fmt}.xml",
        "category": "feeds/category/{slug}.{fmt}.xml",
        "project": "feeds/projects/{slug}.{fmt}.xml",
        "events": "feeds/events.{fmt}.xml",
    },
    # The page listing every feed, relative to the language root.
    "FEEDS_SUBSCRIBE_URL": "subscribe/",
}


def apply_defaults(settings):
    """Add every missing feeds setting to ``settings`` (in place)."""
    return merge_defaults(settings, DEFAULTS)
