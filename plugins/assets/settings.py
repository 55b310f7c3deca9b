"""Settings of the assets plugin, with their defaults, in one place."""

from bilingual.settings import merge_defaults

DEFAULTS = {
    # Length of the content hash in a fingerprinted file name
    # (css/site.css -> css/site.<hash>.css): 8 hex digits of SHA-256.
    "ASSETS_HASH_LENGTH": 8,
    # Write a .gz (gzip -9) and a .br (brotli) copy beside every text file of
    # the output, for web servers and CDNs that serve precompressed files.
    # Off for local builds (the preview server does not use them); on in
    # publishconf.py.
    "ASSETS_PRECOMPRESS": False,
    # The files compressed, by extension.
    "ASSETS_PRECOMPRESS_EXTENSIONS": (
        ".html", ".css", ".xml", ".ics", ".csv", ".json", ".js", ".txt", ".svg",
    ),
    "ASSETS_GZIP_LEVEL": 9,
    "ASSETS_BROTLI_QUALITY": 11,
}


def apply_defaults(settings):
    """Add every missing assets setting to ``settings`` (in place)."""
    return merge_defaults(settings, DEFAULTS)
