"""Markdown with only the inline patterns a document can match gives the same HTML.

The site's reader adds ``bilingual.inline_patterns`` to Python-Markdown; a
pattern it leaves out wrongly would lose a link, an emphasis or a line break
from a page. Each document here is converted by a Markdown instance with the
extension and by one without, both reused from document to document as the
build reuses them.
"""

import pytest
from bilingual.readers import INLINE_PATTERNS
from markdown import Markdown
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


@pytest.mark.parametrize("texts", [DOCUMENTS, sample_sources()], ids=["syntax", "sample-content"])
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
    names = markdown.treeprocessors["inline"].inlinePatterns
    assert "link" in names and "em_strong" in names and "entity" not in names
