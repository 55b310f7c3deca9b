"""The published site under its Content-Security-Policy, in Chromium, served by nginx.

Every page type in both languages is loaded from nginx (deploy/site.conf, which
sends the policy); the browser must report no violation, neither as a
``securitypolicyviolation`` event nor on the console. A control test shows
that a violation would be caught.
"""

import pytest
from support import PAGE_TYPES, all_page_paths
from test_serving import published_site_on_nginx, stop_nginx

# Registered before any page script runs: collects every violation the page reports.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture(scope="session")
def nginx_site(tmp_path_factory, fixed_build_time):
    yield published_site_on_nginx(tmp_path_factory)
    stop_nginx()


@pytest.fixture
def watched_page(page):
    """A page that records CSP violations (events and console messages)."""
    page.add_init_script(COLLECT_VIOLATIONS)
    page.console_violations = []
    page.on("console", lambda message: page.console_violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    return page


def violations(page):
    page.wait_for_load_state("load")
    return page.evaluate("window.__cspViolations") + page.console_violations


def visit(page, site, path):
    response = page.goto(f"{site.base}/{path}")
    assert "default-src 'self'" in response.headers["content-security-policy"], path
    return response


def pages_to_visit():
    paths = all_page_paths()
    return paths + ["no-such-page/", "en/no-such-page/"]


@pytest.mark.parametrize("path", pages_to_visit())
def test_no_page_violates_the_content_security_policy(nginx_site, watched_page, path):
    response = visit(watched_page, nginx_site, path)
    assert response.status == (404 if "no-such-page" in path else 200)
    assert violations(watched_page) == [], path
    # The stylesheet did load under the policy.
    rules = watched_page.evaluate(
        "Array.from(document.styleSheets).reduce((n, s) => n + s.cssRules.length, 0)")
    assert rules > 50, path


def test_json_ld_data_blocks_are_allowed(nginx_site, watched_page):
    path = "en/" + PAGE_TYPES["event"]
    visit(watched_page, nginx_site, path)
    blocks = watched_page.evaluate(
        "Array.from(document.querySelectorAll('script[type=\"application/ld+json\"]'))"
        ".map((s) => JSON.parse(s.textContent)['@type'])")
    assert "Event" in blocks
    assert violations(watched_page) == []


@pytest.mark.parametrize("path", ["search/", "en/search/"])
def test_search_works_under_the_policy(nginx_site, watched_page, path):
    if not (nginx_site.output / path / "index.html").exists():
        pytest.skip("this build has no search page")
    visit(watched_page, nginx_site, path)
    # search.js shows the form once Pagefind (JavaScript and WebAssembly) started.
    watched_page.wait_for_selector("#site-search:not([hidden])", timeout=10_000)
    assert violations(watched_page) == []


def test_a_violation_would_be_reported(nginx_site, watched_page):
    """Control: an inline script and another host's image are blocked and reported."""
    visit(watched_page, nginx_site, "")
    watched_page.evaluate("""() => {
      const script = document.createElement("script");
      script.textContent = "window.inlineRan = true";
      document.body.append(script);
      const image = new Image();
      image.src = "https://tracker.example.com/pixel.gif";
      document.body.append(image);
    }""")
    watched_page.wait_for_timeout(200)
    found = violations(watched_page)
    assert watched_page.evaluate("window.inlineRan") is None
    assert any(v.startswith("script-src") and "inline" in v for v in found), found
    assert any(v.startswith("img-src") and "tracker.example.com" in v for v in found), found
