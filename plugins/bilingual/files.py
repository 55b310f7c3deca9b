"""Writing files that are not rendered from templates (feeds, calendars, sitemaps)."""

import os

from pelican.utils import sanitised_join


def write_bytes(output_path, name, data):
    """Write ``data`` as made (UTF-8 XML, CRLF calendars, ...) to ``name`` in the output.

    Pelican's Writer renders templates or its own feedgenerator feeds and has
    no way to write bytes, so we keep its one safety: never outside the output.
    """
    path = sanitised_join(output_path, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as output:
        output.write(data)
    return path
