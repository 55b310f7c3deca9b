"""Markdown with only the inline patterns a document can match gives the same HTML.

The site's reader adds ``bilingual.inline_patterns`` to Python-Markdown; a
pattern it leaves out wrongly would lose a link, an emphasis or a line break
from a page, and a block processor that refuses a block it should take would
lose a heading, a quote, a table or a rule. Each document here is converted
by a Markdown instance with the extension and by one without, both reused
from document to document as the build reuses them.
"""

import random

import pytest
from bilingual.inline_patterns import ListedOnce, pattern_names
from bilingual.readers import INLINE_PATTERNS
from markdown import Markdown
from markdown.util import Registry
from support import ROOT

import pelicanconf

# Each uses some inline syntax and lacks other syntax, so that the patterns
# left out differ from one document to the next.
DOCUMENTS = [
    "本文だけの段落です。",
    "A [link](https://example.test/) and *emphasis* and __strong__.",
    "Code `a < b && c` and an escaped \\*star\\* and a \\[bracket].",
    "First line  \nsecond line after two spaces.",
    "First line\t\nafter a tab.",
    "First line  \r\nafter a carriage return.",
    "An ![image](/img/a.png) and a ![reference image][pic].\n\n[pic]: /img/b.png",
    "A [reference][ref] and a [short reference].\n\n[ref]: /a/\n[short reference]: /b/",
    "A footnote.[^1]\n\n[^1]: The note, with a [link](/n/).",
    "An autolink <https://example.test/> and a mail <info@example.test>.",
    "Inline <span class=\"x\">HTML</span> and an entity &copy; and &#169;.",
    "A lone & and a lone < sign, and an_underscored_word.",
    "## 見出し\n\n[TOC]\n\n### 小見出し *強調*\n\n本文。",
    "## Heading without a marker\n\nText with **bold** and _underscore emphasis_.",
    "Term\n:   Definition with `code`.\n\n*[HTML]: Hyper Text Markup Language\n\nHTML here.",
    "| a | b |\n| - | - |\n| [x](/x/) | *y* |",
    # Markdown drops STX and ETX first: here the two spaces of a line break.
    "A space, a control character, a space \x02 \nbreak.",
    "<div markdown=\"1\">*inside* [html](/h/)</div>\n\nAfter.",
    "```\n[not a link](/x/) *not emphasis*\n```\n\nAfter `code`.",
    "Heading\n=======\n\nA paragraph {: .lead }\n\n![alt](/a.png){: width=\"10\" }",
    # Attribute lists are looked for only in a document with a "{": one
    # without comes after one with, and one with after that.
    "## A heading that looks like one with attributes: .lead\n\nText.",
    "## 見出し {#named}\n\n| a |\n| - |\n| cell {: .x } |",
]

# Block syntax where it is easy to miss: a heading or a rule in the middle of
# a paragraph's lines, markup inside quotes, lists and HTML (the processors
# see those blocks with their quote marks and indents taken off), every form
# of rule, tables without outer pipes, definitions of links, footnotes and
# abbreviations, tabs and Windows line ends.
BLOCK_DOCUMENTS = [
    "本文の一行目\n## 途中の見出し\n本文の続き",
    "Text line\n### Heading inside a block ###\nMore text",
    "> Quoted title\n> ------------\n>\n> > Nested *quote*\n\nAfter.",
    "> # Heading in a quote\n> lazy\ncontinuation",
    "Title\r\n=====\r\n\r\nSubtitle\r\n--------\r\n\r\nText.",
    "a\n\n- - -\n\nb\n\n* * *\n\nc\n\n___\n\nd\n\n-  -  -\n\n_ _ _\n\n*  *  *",
    "Line before a rule\n***\nLine after",
    "- item\n- item two\n\n    > quote in a list\n\n---\n\n+ plus item\n* star item",
    "1. one\n\n    ## heading in an item\n\n    | a | b |\n    | - | - |\n    | 1 | 2 |\n\n2. two",
    "a | b\n--|--\n1 | 2",
    "| single |\n| ------ |\n| column |",
    "Not | a table\nbecause the second line is text",
    "A [ref] and [another][id].\n\n[ref]: /r/ \"Title\"\n[id]:\n    /id/\n    'Next line title'",
    "Text.[^note]\n\n[^note]: First line\n    second line\n\n    Second paragraph of the note.",
    "*[NHK]: Japan Broadcasting Corporation\n*[WHO]: World Health Organization\n\nNHK and WHO.",
    "Term\n: one space definition\n\nTerm two\n:   indented definition\n\n    second paragraph",
    "Time: 10:00\nPlace: 東京",
    "~~~\n## not a heading\n> not a quote\n~~~\n\n````python\n| not | a table |\n````",
    "\tindented code with a tab\n\n    four-space code\n\nText.",
    "<div markdown=\"1\">\n## Heading inside HTML\n\n> quote inside\n\n- - -\n</div>\n\nAfter.",
    "<table><tr><td>raw | html</td></tr></table>\n\n#Not spaced heading\n\n#",
    "Setext after a list\n- item\n-----",
    # STX and ETX, which Markdown drops from a source, between backticks.
    "``\x02`\ncode?\n``\x03`",
]


# Lines that documents are put together from at random (``random_documents``):
# block and inline markup, its near misses, and text.
PIECES = [
    "# H1", "## 見出し", "### H3 ###", "#no space", "Text line", "本文です。", "Title", "=====",
    "-----", "---", "- - -", "***", "* * *", "___", "_ _ _", "-  -  -", "> quote",
    "> > nested", ">", "- item", "* item", "+ item", "1. one", "2. two", "    indented",
    "\tTabbed", "| a | b |", "| - | - |", "a | b", "--|--", "Term", ": def", ":   def",
    "[ref]: /url", '[id]: /u "T"', "[^1]: note", "*[HTML]: Hyper",
    "Use [ref] and [x][id] and [^1].", '<div markdown="1">', "</div>", "<p>raw</p>", "```",
    "~~~", "````", "code()", "", "", "  ", "Time: 10:00", "a -- b", "x__y__z", "**bold**",
    "*em*", "`code`", "&amp; &copy;", "<https://example.test/>", "two spaces  ", "{: .cls }",
    "## H {#id}", "[TOC]", "> ## quoted heading", "1) paren", "![img](/a.png)", "\\# escaped",
]


def random_documents(count, seed):
    chance = random.Random(seed)
    return [chance.choice(["\n", "\n\n", "\r\n"]).join(
                chance.choice(PIECES) for _ in range(chance.randint(1, 14)))
            for _ in range(count)]


def site_markdown(extra=()):
    settings = dict(pelicanconf.MARKDOWN)
    settings["extensions"] = [*settings["extension_configs"], "markdown.extensions.meta", *extra]
    return Markdown(**settings)


def converted(markdown, texts):
    results = []
    for text in texts:
        markdown.reset()
        results.append(markdown.convert(text))
    return results


def sample_sources():
    return [path.read_text(encoding="utf-8") for path in sorted((ROOT / "content").rglob("*.md"))]


@pytest.mark.parametrize("texts", [DOCUMENTS, BLOCK_DOCUMENTS, sample_sources(),
                                   random_documents(600, seed=13)],
                         ids=["syntax", "block-syntax", "sample-content", "random"])
def test_the_same_html_with_and_without_leaving_patterns_out(texts):
    plain = converted(site_markdown(), texts)
    chosen = converted(site_markdown([INLINE_PATTERNS]), texts)
    for text, expected, got in zip(texts, plain, chosen, strict=True):
        assert got == expected, text


def test_a_document_without_markup_runs_fewer_patterns():
    markdown = site_markdown([INLINE_PATTERNS])
    every = len(markdown.inlinePatterns)
    markdown.convert("本文だけの段落です。")
    assert len(markdown.treeprocessors["inline"].inlinePatterns) < every
    markdown.reset()
    markdown.convert("A [link](/a/) and *emphasis*.")
    chosen = markdown.treeprocessors["inline"].inlinePatterns
    names = {name for name in pattern_names(markdown.inlinePatterns)
             if markdown.inlinePatterns[name] in chosen}
    assert "link" in names and "em_strong" in names and "entity" not in names


class CountingPattern:
    """A compiled expression that counts its searches."""

    def __init__(self, pattern):
        self.pattern = pattern
        self.calls = 0

    def search(self, *args, **kwargs):
        self.calls += 1
        return self.pattern.search(*args, **kwargs)

    def match(self, *args, **kwargs):
        self.calls += 1
        return self.pattern.match(*args, **kwargs)


    def finditer(self, *args, **kwargs):
        self.calls += 1
        return self.pattern.finditer(*args, **kwargs)


def test_inline_patterns_do_not_search_runs_of_text_that_lack_their_markup():
    """A document with one link: the link patterns search its paragraph, not the
    paragraphs, headings, list items and cells without a "["."""
    markdown = site_markdown([INLINE_PATTERNS])
    markdown.convert("First.")  # (the patterns are guarded at the first document)
    link = markdown.inlinePatterns["link"]
    link.compiled_re.expression = counter = CountingPattern(link.compiled_re.expression)
    markdown.reset()
    markdown.convert("A [link](/a/) here.")
    alone = counter.calls
    counter.calls = 0
    markdown.reset()
    html = markdown.convert(
        "A [link](/a/) here.\n\n## A heading\n\nA paragraph.\n\n- an item\n- another\n\n"
        "| a | b |\n| - | - |\n| 1 | 2 |\n\nThe last paragraph *with* emphasis."
    )
    assert alone and counter.calls == alone
    assert '<a href="/a/">link</a>' in html and "<em>with</em>" in html


def test_block_processors_do_not_search_blocks_that_lack_their_markup():
    markdown = site_markdown([INLINE_PATTERNS])
    markdown.convert("First.")  # (the processors are guarded at the first document)
    counters = {}
    for name in ("hashheader", "quote", "deflist", "setextheader"):
        processor = markdown.parser.blockprocessors[name]
        processor.RE = counters[name] = CountingPattern(processor.RE)
    markdown.reset()
    markdown.convert("段落です。\n\n次の段落です。\n\nA third paragraph.")
    assert {name: counter.calls for name, counter in counters.items()} == dict.fromkeys(counters, 0)
    markdown.reset()
    html = markdown.convert("Text\n\n## Heading\n\n> Quote")
    assert counters["hashheader"].calls and counters["quote"].calls
    assert "<h2" in html and "<blockquote>" in html


def test_the_block_processors_listed_once_are_the_registry_in_its_order_as_it_changes():
    registry = Registry()
    for name, priority in (("a", 10), ("b", 30), ("c", 10), ("d", 20), ("e", 30)):
        registry.register(name.upper(), name, priority)
    listed = ListedOnce(registry)
    assert list(listed) == list(registry) == ["B", "E", "D", "A", "C"]
    assert list(listed) == list(registry)  # (the kept list, the second time)
    listed.register("F", "f", 25)
    registry.register("F", "f", 25)
    listed.deregister("a")
    registry.deregister("a")
    assert list(listed) == list(registry) == ["B", "E", "F", "D", "C"]
    markdown = site_markdown([INLINE_PATTERNS])
    markdown.convert("First.")
    assert isinstance(markdown.parser.blockprocessors, ListedOnce)
