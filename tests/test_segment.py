"""Japanese text cut into words for the index: where the spaces go, and what stays as it was.

The browser cuts a query with ICU (``Intl.Segmenter``); the index must have
the same words, separated by spaces, with the page's markup untouched.
"""

from search.segment import spaced_html


def test_words_are_cut_across_inline_markup_and_the_markup_stays():
    # 予防接種 split by a link is still cut as 予防 + 接種, and the link keeps its place.
    assert (spaced_html('<p>東京都の<a href="/x/">予防接種</a>記録です。</p>', "ja")
            == '<p>東京 都 の<a href="/x/"> 予防 接種</a> 記録 です 。</p>')
    assert (spaced_html("<p>予防<strong>接種</strong>を受けました</p>", "ja")
            == "<p>予防<strong> 接種</strong> を 受け ま した</p>")


def test_a_block_ends_a_word_and_attributes_are_not_cut():
    assert (spaced_html('<h2 id="開催報告">開催報告</h2><p>報告</p>', "ja")
            == '<h2 id="開催報告">開催 報告</h2><p>報告</p>')


def test_entities_stay_escaped_and_scripts_and_english_stay_as_they_were():
    assert spaced_html("<p>R&amp;Dと&lt;報告&gt;</p>", "ja") == "<p>R &amp; D と &lt; 報告 &gt;</p>"
    page = "<p>English words stay</p><script>var 予防接種 = 1;</script><p>東京</p>"
    assert spaced_html(page, "ja") == page
