"""Photos as a citizen's phone gets them: Chromium picks the format and width, lazy
photos wait until scrolled to, and a page with photos stays within its weight."""

import pytest

REPORT = "reports/tokyo-wellness-networking-2022-report/"
# A phone at 375 px (the iPhone SE class), at the pixel density of most phones.
PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}
# What a page may download at 375 px, all its photos scrolled into view: HTML, the
# stylesheet and the photos in the format and width the browser picks.
BUDGETS = {
    REPORT: 250_000,  # a lead photo and two photos in the text
    "": 200_000,  # the home page: three project cards and a report's thumbnail
    "projects/boshimo/": 200_000,  # a lead photo and a related report's thumbnail
}


def open_page(browser, served_site, path, **device):
    context = browser.new_context(**device)
    page = context.new_page()
    page.goto(f"{served_site.base}/{path}")
    page.wait_for_load_state("networkidle")
    return context, page


def current_sources(page, selector):
    return page.eval_on_selector_all(selector, "images => images.map(i => i.currentSrc)")


def scroll_to_the_end(page):
    height = page.evaluate("document.documentElement.scrollHeight")
    for top in range(0, height + 800, 400):
        page.evaluate(f"window.scrollTo(0, {top})")
        page.wait_for_timeout(50)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize(("density", "width"), [(2, "960w"), (1, "480w"), (3, "1600w")])
def test_a_phone_gets_avif_in_the_width_its_screen_needs(browser, served_site, density, width):
    context, page = open_page(browser, served_site, REPORT,
                              **{**PHONE, "device_scale_factor": density})
    lead = current_sources(page, "figure.entry-lead img")
    assert len(lead) == 1 and lead[0].endswith(".avif") and f"-{width}." in lead[0], lead
    context.close()


def test_a_desktop_gets_the_width_of_the_text_column(browser, served_site):
    context, page = open_page(browser, served_site, REPORT,
                              viewport={"width": 1280, "height": 900})
    (lead,) = current_sources(page, "figure.entry-lead img")
    assert lead.endswith(".avif") and "-960w." in lead  # the column is 45em (720 px)
    context.close()


def test_photos_below_the_screen_load_only_when_scrolled_to(browser, served_site):
    context, page = open_page(browser, served_site, REPORT, **PHONE)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    body = ".entry-body picture img"
    assert current_sources(page, body) == ["", ""]  # not loaded yet
    scroll_to_the_end(page)
    loaded = current_sources(page, body)
    assert all(source.endswith(".avif") and "-960w." in source for source in loaded), loaded
    assert sorted(loaded) == sorted(url for url in requested if "/images/" in url)
    context.close()


@pytest.mark.parametrize("path", BUDGETS)
def test_a_page_with_photos_stays_within_its_weight_on_a_phone(browser, served_site, path):
    context, page = open_page(browser, served_site, path, **PHONE)
    scroll_to_the_end(page)
    sizes = page.evaluate("""() => [
        ...performance.getEntriesByType('navigation'),
        ...performance.getEntriesByType('resource'),
    ].map(entry => [entry.name, entry.encodedBodySize])""")
    photos = [name for name, _size in sizes if "/images/" in name and "/theme/" not in name]
    assert photos and all(name.endswith(".avif") for name in photos), photos
    total = sum(size for _name, size in sizes)
    assert total <= BUDGETS[path], f"{path or 'home'}: {total} bytes: {sizes}"
    context.close()
