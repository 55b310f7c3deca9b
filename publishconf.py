"""Settings for publishing (``invoke publish``): absolute URLs, production options.

The site's address has no default: a site published with a wrong address has
feeds, calendars, canonical and hreflang links pointing elsewhere. ``invoke
publish --siteurl`` (or ``$SITEURL``) gives it to the build as a setting; a
build with this file and no absolute ``SITEURL`` stops with a message
(``BILINGUAL_REQUIRE_ABSOLUTE_SITEURL``). ``pelican -s publishconf.py`` takes
it from the ``SITEURL`` environment variable.
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

# The address readers use; feeds, calendars and hreflang links need it absolute.
SITEURL = os.environ.get("SITEURL", "").strip().rstrip("/")
BILINGUAL_REQUIRE_ABSOLUTE_SITEURL = True
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
# Precompressed .gz and .br beside every text file (plugins/assets), served by
# nginx's gzip_static/brotli_static and by CDNs (see deploy/README.md).
ASSETS_PRECOMPRESS = True
