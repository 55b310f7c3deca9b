"""Japanese titles and headings that wrap between phrases, never inside a word.

A browser may break Japanese between any two characters, so a heading can end
a line in the middle of a word ("構築支援事／業", "株式会社ア／ルム"). BudouX
(PyPI ``budoux``, a small model, run at build time) finds the phrase
boundaries (and, inside a long compound, where kanji, katakana and Latin
letters meet); a ``<wbr>`` is put at each, and the stylesheet gives Japanese
headings ``word-break: keep-all``, so that their lines break only at a
``<wbr>``, a space or punctuation. A phrase longer than a whole line (a long
compound noun on a phone) is still broken where the line ends
(``overflow-wrap: anywhere``), rather than running off the screen.

Why ``<wbr>`` and not a ``<span>`` around each phrase: it adds 5 bytes a
boundary, the heading stays one run of text (selection, find in page, the
search index and screen readers see the words as written), and a link's
underline stays whole (an inline-block span would cut it). Chromium's own
``word-break: auto-phrase`` is not used: its model is not the one the build
runs, so the breaks would not be the ones tested, and other browsers lack it.

Signals:
- ``initialized``: fill in the default settings;
- ``generator_init``: the Jinja filter ``phrases`` (``{{ item.title | phrases }}``),
  which wraps a text in the page's language when ``PHRASES_LANGUAGES`` names
  it, and returns it unchanged otherwise; the result is escaped phrase by
  phrase, so the filter never lets markup through;
- the Jinja filter ``phrase_headings`` (``{{ item.content | phrase_headings }}``):
  the headings (``<h1>``–``<h6>``) of an item's body, in the page's language.
  At render time, not when the item is read: a rebuild renders only the pages
  that changed, and reading wraps every item's headings again on every build
  (half a second at 1,000 article pairs, most of an edit's rebuild).

Settings (defaults in ``settings.py``): ``PHRASES_LANGUAGES``.
"""

import functools
import html
import re

import budoux
from jinja2 import pass_context
from markupsafe import Markup, escape
from pelican import signals

from .settings import apply_defaults

MODELS = {
    "ja": budoux.load_default_japanese_parser,
    "zh-hans": budoux.load_default_simplified_chinese_parser,
    "zh-hant": budoux.load_default_traditional_chinese_parser,
    "th": budoux.load_default_thai_parser,
}
BREAK = Markup("<wbr>")
KEEP_TOGETHER = Markup('<span class="nobreak">{}</span>')
# Where browsers break Japanese text even with word-break: keep-all: after
# closing and before opening punctuation (full-width and ASCII).
CLOSING = "、。，．・：；！？」』）］｝】〕〉》〙〗’”),]}!?"
OPENING = "「『（［｛【〔〈《〘〖‘“([{"
HEADING = re.compile(r"(<h([1-6])\b[^>]*>)(.*?)(</h\2>)", re.DOTALL | re.IGNORECASE)
TAG = re.compile(r"(<[^>]*>)")


@functools.cache
def parser(model):
    """The BudouX parser of ``model``, loaded once per process."""
    if model not in MODELS:
        raise ValueError(f"PHRASES_LANGUAGES: no BudouX model {model!r} "
                         f"(there are {', '.join(sorted(MODELS))})")
    return MODELS[model]()


# A BudouX phrase this long is a compound of several words (公共交通インフラ基点
# ニューノーマル…): it is also split where the script changes, between kanji,
# katakana and Latin letters, which in such a compound are word boundaries. So a
# phone breaks 次世代｜ウェルネスソリューション｜構築支援事業 instead of inside a word.
LONG_PHRASE = 9


def script_of(character):
    if "\u30a0" <= character <= "\u30ff" or "\uff66" <= character <= "\uff9f":
        return "katakana"
    if "\u4e00" <= character <= "\u9fff" or character in "々〆ヶ":
        return "kanji"
    if character.isascii() and character.isalnum():
        return "latin"
    return None


def compound_words(phrase):
    """A long ``phrase`` cut where its script changes (between two of kanji, katakana,
    Latin); a shorter one as it is."""
    if len(phrase) < LONG_PHRASE:
        return [phrase]
    words, start = [], 0
    for index in range(1, len(phrase)):
        before, after = script_of(phrase[index - 1]), script_of(phrase[index])
        if before and after and before != after:
            words.append(phrase[start:index])
            start = index
    return words + [phrase[start:]]


def split_phrases(text, model):
    """``text`` as its phrases (joined, they are ``text`` again)."""
    chunks = parser(model).parse(text)
    if "".join(chunks) != text:
        return [text]
    return [word for chunk in chunks for word in compound_words(chunk)]


def glued(phrase):
    """Escaped ``phrase``, the two characters around each punctuation break kept together.

    Inside a phrase a browser still breaks after closing punctuation and before
    opening punctuation, whatever ``word-break`` says ("（区市町村職員向け）／を");
    a ``nowrap`` span around just those two characters takes the break away
    and cannot make a line overflow.
    """
    places = [index for index in range(1, len(phrase))
              if (phrase[index - 1] in CLOSING or phrase[index] in OPENING)
              and not (phrase[index - 1].isspace() or phrase[index].isspace())]
    kept = {index for place in places for index in (place - 1, place)}
    runs, start = [], 0
    for index in range(1, len(phrase) + 1):
        if index == len(phrase) or (index in kept) != (start in kept):
            run = escape(phrase[start:index])
            runs.append(KEEP_TOGETHER.format(run) if start in kept else run)
            start = index
    return Markup("").join(runs)


@functools.lru_cache(maxsize=8192)
def wrap_text(text, model):
    """Escaped ``text`` with ``<wbr>`` between its phrases.

    Remembered: a title is shown on its page, in every list, feed card and
    "related" box that names it, and BudouX is the dearest part of a list page.
    """
    return BREAK.join(glued(chunk) for chunk in split_phrases(text, model))


def wrap_headings(body, model):
    """``body`` (HTML) with ``<wbr>`` between the phrases of each heading's text.

    Only text between tags is split; tags and text without a boundary are
    left byte for byte as they were.
    """

    def wrap_heading(match):
        parts = TAG.split(match.group(3))
        for index in range(0, len(parts), 2):  # (odd indexes are tags)
            # (BudouX once per text: wrap_text is remembered, and a break in
            # it means more than one phrase.)
            wrapped = wrap_text(html.unescape(parts[index]), model)
            if BREAK in wrapped:
                parts[index] = wrapped
        return match.group(1) + "".join(parts) + match.group(4)

    return HEADING.sub(wrap_heading, body)


def model_for(settings, lang):
    return settings["PHRASES_LANGUAGES"].get(lang)


def make_filter(settings):
    @pass_context
    def phrases(context, value):
        """``value`` with ``<wbr>`` between its phrases, in a language that has a model."""
        model = model_for(settings, context.get("lang"))
        if model is None or not value:
            return value
        if isinstance(value, Markup):
            if "<" in value:  # markup already: left as it is
                return value
            value = value.unescape()
        return wrap_text(str(value), model)

    return phrases


def configure(pelican):
    apply_defaults(pelican.settings)


def make_headings_filter(settings):
    @pass_context
    def phrase_headings(context, body):
        """An item's body (trusted HTML) with ``<wbr>`` between the phrases of its headings."""
        model = model_for(settings, context.get("lang"))
        if model is None or not body:
            return Markup(body or "")
        return Markup(wrap_headings(str(body), model))

    return phrase_headings


def install_filter(generator):
    settings = apply_defaults(generator.settings)
    generator.env.filters["phrases"] = make_filter(settings)
    generator.env.filters["phrase_headings"] = make_headings_filter(settings)


def register():
    signals.initialized.connect(configure)
    signals.generator_init.connect(install_filter)
