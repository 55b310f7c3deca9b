"""Settings for publishing (``invoke publish``): absolute URLs, production options.

The site's address comes from the ``SITEURL`` environment variable (``invoke
publish --siteurl`` sets it) and has no default: a site published with a
wrong address has feeds, calendars, canonical and hreflang links pointing
elsewhere, so publishing without one stops here with a message.
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

# The address readers use; feeds, calendars and hreflang links need it absolute.
SITEURL = os.environ.get("SITEURL", "").strip().rstrip("/")
if not SITEURL.startswith(("https://", "http://")):
    raise ValueError(
        "publishing needs the site's absolute address: set SITEURL, e.g. "
        "`SITEURL=https://wellness.example.jp invoke publish` "
        f"(got {os.environ.get('SITEURL', '')!r})"
    )
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
# Precompressed .gz and .br beside every text file (plugins/assets), served by
# nginx's gzip_static/brotli_static and by CDNs (see deploy/README.md).
ASSETS_PRECOMPRESS = True
