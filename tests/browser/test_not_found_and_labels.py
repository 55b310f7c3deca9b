"""Small things readers meet: the not-found page's search, and a category said once."""

import pytest


def url(site, path):
    return f"{site.base}/{path}"


@pytest.mark.parametrize(
    ("path", "words", "expected"),
    [
        ("404.html", "母子手帳", "projects/boshimo/"),
        ("en/404.html", "vaccination", "en/projects/boshimo/"),
    ],
)
def test_not_found_page_searches_the_site(served_site, browser, path, words, expected):
    # Without JavaScript the form is a plain GET form to the search page.
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url(served_site, path))
    page.get_by_role("searchbox").fill(words)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    search_page = expected.replace("projects/boshimo/", "search/")
    assert page.url.startswith(url(served_site, search_page) + "?q=")
    context.close()
    # With it, the search page finds what was asked at once.
    context = browser.new_context()
    page = context.new_page()
    page.goto(url(served_site, path))
    page.get_by_role("searchbox").fill(words)
    page.get_by_role("search").get_by_role("button").click()
    page.wait_for_selector("#search-results li")
    found = [page.evaluate("(a) => a.href", link)
             for link in page.query_selector_all("#search-results a")]
    assert url(served_site, expected) in found
    context.close()


@pytest.mark.parametrize(
    ("path", "label", "times"),
    [
        # An announcement: お知らせ above its title, and not again beside the date.
        ("news/fuchu-online-consultation-briefing/", "お知らせ", 1),
        ("en/news/fy2022-results-briefing/", "Announcements", 1),
        # A column still names its category.
        ("news/column-105-business-promotion-projects/", "連載コラム", 1),
    ],
)
def test_item_header_says_its_section_and_category_once(served_site, page, path, label, times):
    page.goto(url(served_site, path))
    assert page.locator(".entry-header").inner_text().count(label) == times
