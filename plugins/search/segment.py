"""Words of unspaced languages, cut the way the browser cuts a query.

Pagefind's script cuts a Japanese (Chinese, Thai) query into words with the
browser's ``Intl.Segmenter``, which is ICU's word break algorithm and its
dictionary. Pagefind's "extended" binary cut the indexed pages with another
dictionary (Lindera's): where the two disagreed, a word of the query was no
word of the index and the right page dropped (a compound cut 新+幹線 on one
side and 新幹線 on the other; Pagefind issue #1237). Here the indexed text is
cut with ICU too (icu4py, ICU 78), and the words are given to Pagefind
separated by spaces, which is all its plain binary splits on: index and query
then agree (on the sample content 12,118 of Chromium's 12,124 words).

The search page joins the words again when it shows a title or an excerpt
(``search.js``, ``joinWords``).
"""

import bisect
import functools
import html
import itertools
import re

# Tags that do not end a run of text: a word may go on across them
# ("<a>予防</a>接種"); any other tag (a paragraph, a list item, a line break)
# ends it, as it ends a sentence for Pagefind.
INLINE_TAGS = frozenset(
    "a abbr b bdi bdo cite code data dfn em i kbd mark q rb rp rt ruby s samp small "
    "span strong sub sup time u var wbr".split()
)
TAG = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
# Elements whose text is no text of the page.
RAW_TEXT_TAGS = frozenset(("script", "style", "template"))


@functools.cache
def _word_breaker():
    # Imported when a build indexes an unspaced language.
    from icu4py.breakers import WordBreaker  # noqa: PLC0415

    return WordBreaker


def segmenter_version():
    """ICU's version: a new one may cut words differently (so the index changes)."""
    import icu4py  # noqa: PLC0415

    return icu4py.icu_version


def word_starts(text, locale):
    """Offsets in ``text`` where a word starts right after a character that is no space."""
    isspace = str.isspace
    return [start for start, _end in _word_breaker()(text, locale).segments()
            if start and not isspace(text[start - 1]) and not isspace(text[start])]


def spaced_words(text, locale):
    """``text`` with a space between every two words that touch: "予防接種を" -> "予防 接種 を"."""
    pieces, last = [], 0
    for start in word_starts(text, locale):
        pieces.append(text[last:start])
        last = start
    pieces.append(text[last:])
    return " ".join(pieces)


def spaced_html(markup, locale):
    """``markup`` with its text cut into space-separated words; tags and attributes as they were.

    A run of text across inline tags is cut as one text, so a word split by
    markup (a link, a BudouX phrase span) is still one word.
    """
    parts = TAG.split(markup)
    runs, run, raw = [], [], None
    for number, part in enumerate(parts):
        if number % 2 == 0:
            if part and raw is None:
                run.append(number)
            continue
        name_match = TAG_NAME.match(part)
        name = name_match.group(1).lower() if name_match else ""
        if raw is not None:
            if part.startswith("</") and name == raw:
                raw = None
            continue
        if name in RAW_TEXT_TAGS and not part.startswith("</"):
            raw = name
        if name not in INLINE_TAGS:
            runs.append(run)
            run = []
    runs.append(run)
    numbers = [number for run in runs if run for number in run + [None]]
    _space_pieces(parts, numbers, locale)
    return "".join(parts)


def _space_pieces(parts, numbers, locale):
    """Cut the text pieces ``parts[n]`` into words, in place; a None in ``numbers`` ends a run.

    The whole page's text is cut in one call (ICU's set-up costs more than
    a short run's words): the runs are joined by line breaks, which are word
    breaks and spaces, so no word crosses from one run into the next.
    """
    texts = [RUN_END if n is None else _text(parts[n]) for n in numbers]
    joined = "".join(texts)
    starts = word_starts(joined, locale)
    if not starts:
        return
    # The whole text with a space before every word start, then cut back
    # into the pieces: a piece that starts with a word gets the space.
    bounds = [0, *starts, len(joined)]
    spaced = " ".join([joined[a:b] for a, b in itertools.pairwise(bounds)])
    offset, before = 0, 0  # (``before``: word starts before ``offset``)
    for n, text in zip(numbers, texts, strict=True):
        end = offset + len(text)
        after = bisect.bisect_left(starts, end, before)
        if n is not None and after > before:  # (a word starts in it: it changes)
            parts[n] = _escaped(spaced[offset + before:end + after])
        offset, before = end, after


RUN_END = "\n"


def _text(piece):
    return html.unescape(piece) if "&" in piece else piece


def _escaped(text):
    return html.escape(text, quote=False) if ("&" in text or "<" in text or ">" in text) else text
