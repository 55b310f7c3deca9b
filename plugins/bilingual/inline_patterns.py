"""A Markdown extension: each document runs only the inline patterns it can match.

(And only the tree processors it needs: the ``toc`` marker search and the
``attr_list`` attributes are skipped where the source has no marker and no
``{``, and the ``fenced_code`` search where there is no fence. Block
processors refuse at once the blocks that lack their markup, and block-level
tags are looked up in a set.)

Python-Markdown tries every inline pattern (links, emphasis, code, HTML,
entities...) on every run of text, one regular expression after another,
and nearly half of converting a news article went there. A pattern cannot
match a document that lacks the character it starts with (no ``[``: no
link; no ``&``: no entity), so those patterns are left out for that
document; and the patterns left in find nothing at once in a run of text
that lacks what they need. What is left runs in the same order as before,
so the HTML is the same byte for byte.
"""

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.util import ETX, STX, Registry

# Inline pattern name -> strings of which the source must hold at least one
# for the pattern to be able to match. A pattern not listed always runs.
# Markdown 3.11 registers "em_strong" (one processor for * and _); the other
# emphasis names are those of the legacy_em extension and of earlier versions.
# "linebreak" is two spaces and a line end, which a tab or a carriage
# return can also become once the source's whitespace is normalized.
PATTERN_NEEDS = {
    "backtick": ("`",),
    "escape": ("\\",),
    "footnote": ("[^",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_reference": ("[",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("  \n", "\t", "\r"),
    "html": ("<",),
    "entity": ("&",),
    "em_strong": ("*", "_"),
    "em_strong2": ("_",),
    "not_strong": ("*", "_"),
    "strong_em": ("*",),
    "strong": ("*",),
    "emphasis": ("*",),
    "emphasis2": ("_",),
}


# Block processor name -> strings of which a block must hold at least one for
# the processor to take it: each one's regular expression needs one of them
# as written ("#" for a heading, ">" for a quote, "|" for a table, "]:" for a
# link reference...). Blocks are cut from the text and only lose characters
# on the way (indents, quote marks, list markers), so a block without them is
# one the processor would refuse: asking for them first is the same answer,
# found without running the expression over every paragraph. The footnote,
# abbreviation and reference processors accept every block and search it in
# ``run``, giving it back when they find nothing; refusing it in ``test`` is
# the same.
BLOCK_NEEDS = {
    "hashheader": ("#",),
    # A line of "=" or "-" right under the block's first line.
    "setextheader": ("\n=", "\n-"),
    # Three "-", "_" or "*" with at most two spaces between them.
    "hr": ("--", "- -", "-  -", "__", "_ _", "_  _", "**", "* *", "*  *"),
    "table": ("|",),
    "deflist": (":",),
    "quote": (">",),
    "footnote": ("[^",),
    "abbr": ("*[",),
    "reference": ("]:",),
}


def needed_patterns(source, names):
    """The names of ``names`` (inline patterns) that can match ``source``.

    Markdown drops STX and ETX from a source before reading it, which can
    join characters into a pattern: such a source keeps every pattern.
    """
    if STX in source or ETX in source:
        return tuple(names)
    return tuple(name for name in names
                 if any(needle in source for needle in PATTERN_NEEDS.get(name, ("",))))


class ChooseInlinePatterns(Preprocessor):
    """Runs first, on the source as written; sets the inline patterns for it."""

    def __init__(self, md, every_pattern):
        super().__init__(md)
        self.every_pattern = every_pattern
        self.every_name = None
        self.chosen = {}
        self.blocks_guarded = False

    def run(self, lines):
        source = "\n".join(lines)
        if self.every_name is None:
            self.every_name = pattern_names(self.every_pattern)
            guard_inline_patterns(self.every_pattern)
        names = needed_patterns(source, self.every_name)
        patterns = self.chosen.get(names)
        if patterns is None:
            chosen = self.every_pattern[:]
            for name in self.every_name:
                if name not in names:
                    chosen.deregister(name)
            # A list in the registry's order: the inline processor only counts
            # them and takes each by its index, which a Registry answers by
            # sorting itself first (for every pattern on every run of text).
            patterns = self.chosen[names] = list(chosen)
        self.md.treeprocessors["inline"].inlinePatterns = patterns
        skip_absent_toc_marker(self.md, source)
        skip_absent_attribute_lists(self.md, source)
        skip_absent_fences(self.md, source)
        if not self.blocks_guarded:
            self.md.parser.blockprocessors = ListedOnce(self.md.parser.blockprocessors)
            guard_block_processors(self.md.parser.blockprocessors)
            self.blocks_guarded = True
        self.md.is_block_level = block_level_test(self.md.block_level_elements)
        return lines


def guard_inline_patterns(registry):
    """Make the patterns of ``PATTERN_NEEDS`` find nothing at once in a run of text
    without what they need (each pattern instance once).

    A document that holds a "[" somewhere runs the link patterns on each of
    its runs of text (every paragraph, heading, list item and table cell),
    most of which hold none: each pattern's expression was searched through
    each of them. A match has to contain one of the pattern's strings, at or
    after where the search starts, so a run without one has no match.
    """
    for name, needles in PATTERN_NEEDS.items():
        if name in registry:
            pattern = registry[name]
            expression = getattr(pattern, "compiled_re", None)
            if expression is not None and not isinstance(expression, NeededStrings):
                pattern.compiled_re = NeededStrings(expression, needles)


class NeededStrings:
    """A compiled expression whose ``finditer`` (the inline processor's one use of it)
    first looks for one of ``needles`` after the start: without one, no match."""

    def __init__(self, expression, needles):
        self.expression = expression
        self.needles = needles

    def finditer(self, text, start=0):
        for needle in self.needles:
            if text.find(needle, start) != -1:
                return self.expression.finditer(text, start)
        return iter(())

    def __getattr__(self, name):  # (match, search, pattern...: the expression's own)
        return getattr(self.expression, name)


class ListedOnce(Registry):
    """A copy of ``registry`` that keeps its items' list, in order, until one is
    added or removed.

    The block parser goes through its processors for every block, and a
    Registry sorts itself and lists them again each time it is gone through.
    """

    def __init__(self, registry):
        super().__init__()
        self.listed = None
        for entry in registry[:]._priority:  # (in order: equal priorities stay so)
            self.register(registry[entry.name], entry.name, entry.priority)

    def register(self, item, name, priority):
        self.listed = None
        super().register(item, name, priority)

    def deregister(self, name, strict=True):
        self.listed = None
        super().deregister(name, strict)

    def __iter__(self):
        if self.listed is None:
            self.listed = list(super().__iter__())
        return iter(self.listed)


def guard_block_processors(registry):
    """Make the processors of ``BLOCK_NEEDS`` refuse at once a block without what
    they need (each processor instance once)."""
    for name, needles in BLOCK_NEEDS.items():
        if name in registry:
            processor = registry[name]
            processor.test = needs_first(needles, processor.test)


def needs_first(needles, test):
    """``test``, asked only of blocks that hold one of ``needles``."""
    if len(needles) == 1:
        (needle,) = needles

        def guarded(parent, block):
            return needle in block and test(parent, block)
    else:
        def guarded(parent, block):
            for needle in needles:
                if needle in block:
                    return test(parent, block)
            return False
    return guarded


def block_level_test(elements):
    """``Markdown.is_block_level`` with the tags in a set: it is asked for every
    element of every document, and looked through a list of 59 names. Made
    for each document, from the list as it is then (extensions may add to it)."""
    names = frozenset(elements)

    def is_block_level(tag):
        return isinstance(tag, str) and tag.lower().rstrip("/") in names

    return is_block_level


def skip_absent_toc_marker(md, source):
    """The ``toc`` extension looks for its marker ("[TOC]") in every element of
    every document; a document that does not contain it is not searched."""
    toc = md.treeprocessors["toc"] if "toc" in md.treeprocessors else None
    if toc is None:
        return
    if not hasattr(toc, "configured_marker"):
        toc.configured_marker = toc.marker
    toc.marker = toc.configured_marker if toc.configured_marker in source else ""


def skip_absent_attribute_lists(md, source):
    """The ``attr_list`` extension looks for "{: ...}" at the end of every element's
    text (a few per cent of converting a document); a document without a "{"
    has none, and is not searched."""
    attr_list = md.treeprocessors["attr_list"] if "attr_list" in md.treeprocessors else None
    if attr_list is None:
        return
    if "{" in source:
        attr_list.__dict__.pop("run", None)  # (the class's own again)
    else:
        attr_list.run = _leave_as_is


def skip_absent_fences(md, source):
    """The ``fenced_code`` extension searches the whole text for a fence ("```" or
    "~~~" at the start of a line) with a long expression; a document without
    three backticks or tildes in a row has none. (STX and ETX, which Markdown
    drops from a source, could join characters into one: kept searched.)"""
    if "fenced_code_block" not in md.preprocessors:
        return
    fenced = md.preprocessors["fenced_code_block"]
    if "```" in source or "~~~" in source or STX in source or ETX in source:
        fenced.__dict__.pop("run", None)
    else:
        fenced.run = _lines_as_they_are


def _lines_as_they_are(lines):
    return lines


def _leave_as_is(root):
    return None  # (a tree processor's "changed in place")


def pattern_names(registry):
    """The names in ``registry``, highest priority first (Registry has no public list)."""
    return [entry.name for entry in registry[:]._priority]


class InlinePatternsExtension(Extension):
    def extendMarkdown(self, md):
        # The live registry: it is read when the first document comes, after
        # every extension has registered its patterns.
        md.preprocessors.register(ChooseInlinePatterns(md, md.inlinePatterns),
                                  "choose_inline_patterns", 1000)


def makeExtension(**kwargs):
    return InlinePatternsExtension(**kwargs)
