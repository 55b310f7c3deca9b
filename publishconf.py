"""Settings for publishing (``invoke publish``): absolute URLs, production options."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

# The address readers use; feeds, calendars and hreflang links need it absolute.
SITEURL = os.environ.get("SITEURL", "https://wellness.example.jp").rstrip("/")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
