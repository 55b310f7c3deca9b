"""Settings of the phrases plugin, with their defaults, in one place."""

from bilingual.settings import merge_defaults

DEFAULTS = {
    # The site languages whose titles and headings wrap between phrases, and
    # the BudouX model that finds the phrases of each: {language: model}.
    # BudouX has models for "ja", "zh-hans", "zh-hant" and "th"; languages
    # that put spaces between words need none.
    "PHRASES_LANGUAGES": {"ja": "ja"},
}


def apply_defaults(settings):
    """Add every missing phrases setting to ``settings`` (in place)."""
    return merge_defaults(settings, DEFAULTS)
