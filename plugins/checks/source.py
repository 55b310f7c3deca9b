"""Reading a content file as staff wrote it: encoding, metadata with line numbers, body.

Metadata is parsed the way Python-Markdown's ``meta`` extension (which
Pelican uses) reads it: ``Key: value`` lines at the top, indented lines
continuing the previous value, ended by the first other line.
"""

import re
from dataclasses import dataclass, field
from functools import cached_property

from bilingual.i18n import N_, Message

from .report import ERROR, Problem

_META = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)$")


@dataclass
class Field:
    name: str  # as written
    value: str
    line: int


@dataclass
class Source:
    path: str  # as shown to staff
    full_path: str
    content_type: str
    fields: dict = field(default_factory=dict)  # lower-case name -> Field
    lines: list = field(default_factory=list, repr=False)  # every line of the file
    body_start: int = 0  # index in ``lines`` of the first line after the metadata
    # The line that ended the metadata when it was not blank: (number, text).
    metadata_end: tuple | None = None
    # Fields written a second time: (Field as written again, line of the first).
    repeated: list = field(default_factory=list)

    @property
    def body(self):
        """(line number, text) of every line after the metadata."""
        return [(number + 1, self.lines[number])
                for number in range(self.body_start, len(self.lines))]

    @cached_property
    def body_text(self):
        """The text after the metadata (to skip line-by-line checks that cannot find anything)."""
        return "\n".join(self.lines[self.body_start:])

    def value(self, name, default=None):
        found = self.fields.get(name.lower())
        return found.value if found is not None else default

    def line(self, name):
        found = self.fields.get(name.lower())
        return found.line if found is not None else 1

    @property
    def lang(self):
        return (self.value("Lang") or "").strip()

    @property
    def slug(self):
        return (self.value("Slug") or "").strip()

    @property
    def one_language(self):
        """Whether the file says its item is meant to exist in its language only."""
        return (self.value("One-Language") or "").strip().lower() == "yes"

    @property
    def status(self):
        return (self.value("Status") or "published").strip().lower()


def decode(data, path):
    """Text of a file; a file not in UTF-8 is an error that says how to fix it.

    A UTF-8 BOM and CRLF line endings, as Windows editors write them, are fine.
    """
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        guess = ""
        for encoding, name in (("shift_jis", "Shift_JIS"), ("euc_jp", "EUC-JP"),
                               ("cp1252", "Windows-1252")):
            try:
                data.decode(encoding)
            except UnicodeDecodeError:
                continue
            guess = name
            break
        return None, Problem(
            path, line, "Encoding",
            Message(N_("the file is not UTF-8 (it looks like %(encoding)s)"), encoding=guess)
            if guess else Message(N_("the file is not UTF-8")),
            Message(N_("open it in your editor and save it as UTF-8")), ERROR,
        )


def parse(text, path, full_path, content_type):
    source = Source(path, full_path, content_type)
    lines = text.splitlines()
    index = 0
    if lines and lines[0].strip() == "---":
        index = 1
    last = None
    while index < len(lines):
        raw = lines[index]
        match = _META.match(raw)
        more = _MORE.match(raw) if last is not None else None
        if match:
            last = Field(match["key"], match["value"].strip(), index + 1)
            first = source.fields.setdefault(match["key"].lower(), last)
            if first is not last:
                source.repeated.append((last, first.line))
        elif more:
            last.value = f"{last.value} {more['value'].strip()}".strip()
        else:
            if raw.strip() in ("---", "..."):
                index += 1
            elif raw.strip():
                source.metadata_end = (index + 1, raw.strip())
            break
        index += 1
    source.lines, source.body_start = lines, index
    return source


def read(full_path, path, content_type):
    """``(Source or None, [Problem])`` for one file."""
    with open(full_path, "rb") as handle:
        data = handle.read()
    text, problem = decode(data, path)
    if problem is not None:
        return None, [problem]
    return parse(text, path, full_path, content_type), []
