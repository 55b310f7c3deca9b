"""Japanese headings and card titles break between phrases, never inside one.

Where each line of a heading starts is read from the browser (the boxes of its
characters, through Range.getClientRects), and every such break must fall at
a phrase boundary as BudouX's own Python parser finds it (in a long compound,
also where kanji, katakana and Latin letters meet: ``phrases.split_phrases``),
or at a space. The one exception: a phrase wider than the whole line cannot be
kept on a line, and the browser breaks it where the line ends.
"""

import pytest
from phrases.phrases import split_phrases

PAGES = (
    "",
    "news/",
    "news/column-105-business-promotion-projects/",
    "news/fuchu-online-consultation-briefing/",
    "projects/",
    "projects/mysos/",
    "reports/tokyo-wellness-networking-2022-report/",
    "events/",
    "about/",
)
TITLES = ".site-header__name, main :is(h1, h2, h3, h4)"

# For each element: its text, the index where each of its lines but the first
# starts, the width of its lines and the width of each character.
LINES = """(selector) => [...document.querySelectorAll(selector)].map((element) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let text = "", starts = [], widths = [], previous = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let offset = 0; offset < node.data.length; offset++) {
      const index = text.length + offset;
      widths[index] = 0;
      if (/\\s/.test(node.data[offset])) continue;
      range.setStart(node, offset);
      range.setEnd(node, offset + 1);
      const box = range.getClientRects()[0];
      if (!box) continue;
      widths[index] = box.width;
      if (previous && box.top >= previous.bottom - 1) starts.push(index);
      previous = box;
    }
    text += node.data;
  }
  const style = getComputedStyle(element);
  const line = element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {text, starts, widths, line, html: element.outerHTML.slice(0, 120)};
})"""

def phrases(text):
    """(start, end) of each phrase of ``text``, in JavaScript (UTF-16) indexes."""
    spans, start = [], 0
    for chunk in split_phrases(text, "ja"):
        end = start + len(chunk.encode("utf-16-le")) // 2
        spans.append((start, end))
        start = end
    return spans


def bad_breaks(element):
    """The line starts of ``element`` that fall inside a phrase that fits on a line."""
    text, found = element["text"], []
    for start in element["starts"]:
        if text[start - 1].isspace():
            continue  # after a space
        inside = [(s, e) for s, e in phrases(text) if s < start < e]
        if not inside:
            continue  # at a phrase boundary
        s, e = inside[0]
        if sum(element["widths"][s:e]) > element["line"]:
            continue  # the phrase alone is wider than a line
        found.append(f"{text[s:start]}／{text[start:e]} in {text!r}")
    return found


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_japanese_titles_break_only_between_phrases(served_site, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems, breaks = [], 0
    for path in PAGES:
        page.goto(f"{served_site.base}/{path}")
        assert page.evaluate("document.documentElement.lang") == "ja"
        for element in page.evaluate(LINES, TITLES):
            breaks += len(element["starts"])
            problems += [f"/{path}: {problem}" for problem in bad_breaks(element)]
    context.close()
    assert problems == [], "\n".join(problems)
    if width < 1280:
        assert breaks > 20, "headings do wrap on phones (the test looked at them)"
