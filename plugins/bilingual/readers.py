"""Markdown reading where an empty metadata field means "not set".

Scaffolded files list every field of their type, most of them empty; staff
fill in what applies. Pelican would otherwise try to parse an empty
``Modified:`` as a date and fail.
"""

from pelican.readers import MarkdownReader


class SiteMarkdownReader(MarkdownReader):
    def _parse_metadata(self, meta):
        filled = {name: values for name, values in meta.items() if any(v.strip() for v in values)}
        return super()._parse_metadata(filled)


def use_site_reader(readers):
    """``readers_init``: read Markdown with :class:`SiteMarkdownReader`."""
    # Sent before the reader instances are made from reader_classes.
    for extension in SiteMarkdownReader.file_extensions:
        if extension in readers.reader_classes:
            readers.reader_classes[extension] = SiteMarkdownReader
