"""The header on phones and on wide screens: short, and its menu usable without JavaScript."""

import pytest

PHONE_WIDTHS = (320, 375)
# The Japanese and English home page and an article.
HEADER_PAGES = ("", "en/", "news/column-105-business-promotion-projects/",
                "en/news/column-105-business-promotion-projects/")
MENU_NAME = {"ja": "メニュー", "en": "Menu"}
MENU_HOME = {"ja": "ホーム", "en": "Home"}
MENU_NEWS = {"ja": "お知らせ", "en": "News"}
# Before: 295 px at 375 px (a two-line name, the language switch, three rows of menu).
MOST_HEADER_ON_PHONES = 120


def url(site, path):
    return f"{site.base}/{path}"


def header_height(page):
    return page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")


@pytest.mark.parametrize("width", PHONE_WIDTHS)
@pytest.mark.parametrize("path", HEADER_PAGES)
def test_header_leaves_the_phone_screen_to_the_page(served_site, browser, path, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(url(served_site, path))
    height = header_height(page)
    name_visible = page.locator(".site-header__name").is_visible()
    switch_visible = page.locator(".language-switch a[hreflang]").is_visible()
    button_visible = page.locator(".site-menu__button").is_visible()
    context.close()
    assert height <= MOST_HEADER_ON_PHONES, f"{path or 'home'}: the header is {height}px high"
    assert name_visible and switch_visible and button_visible


def focused(page):
    return page.evaluate(
        "(() => { const e = document.activeElement;"
        " return {tag: e.tagName, text: e.textContent.trim(), href: e.getAttribute('href'),"
        " current: e.getAttribute('aria-current')}; })()"
    )


def tab_to_menu_button(page):
    for _ in range(10):
        page.keyboard.press("Tab")
        if focused(page)["tag"] == "SUMMARY":
            return focused(page)
    pytest.fail("Tab never reached the menu button")


@pytest.mark.parametrize("width", PHONE_WIDTHS)
@pytest.mark.parametrize("path", ["", "en/news/column-105-business-promotion-projects/"])
def test_menu_opens_by_keyboard_without_javascript(served_site, browser, path, width):
    context = browser.new_context(viewport={"width": width, "height": 800},
                                  java_script_enabled=False)
    page = context.new_page()
    page.goto(url(served_site, path))
    lang = page.evaluate("document.documentElement.lang")
    links = page.locator(".site-nav a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) == 7
    assert not any(links.nth(i).is_visible() for i in range(len(hrefs))), "closed at first"

    button = tab_to_menu_button(page)
    assert button["text"] == MENU_NAME[lang], "the button is named in the page's language"
    page.keyboard.press("Space")
    assert all(links.nth(i).is_visible() for i in range(len(hrefs))), "Space opens it"
    page.keyboard.press("Space")
    assert not links.first.is_visible(), "Space closes it again"
    page.keyboard.press("Enter")
    assert all(links.nth(i).is_visible() for i in range(len(hrefs))), "Enter opens it"

    reached = []
    for _ in hrefs:
        page.keyboard.press("Tab")
        reached.append(focused(page))
    assert [link["href"] for link in reached] == hrefs, "Tab goes through every menu link"
    current = [link["text"] for link in reached if link["current"] == "page"]
    assert current == ([MENU_HOME[lang]] if path in ("", "en/") else [MENU_NEWS[lang]])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == reached[-1]["href"]
    context.close()


@pytest.mark.parametrize("path", HEADER_PAGES)
def test_menu_is_shown_whole_on_wide_screens(served_site, page, path):
    page.goto(url(served_site, path))  # 1280 px
    links = page.locator(".site-nav a")
    assert links.count() == 7
    assert all(links.nth(i).is_visible() for i in range(links.count()))
    assert page.locator(".site-menu__button").is_hidden()
    tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
    assert len(tops) == 1, "the menu is one row"
    assert header_height(page) <= 140  # as before (133 px)
