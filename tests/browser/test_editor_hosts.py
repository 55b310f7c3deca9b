"""The editor configured for a git host, as deploy/README.md tells to publish it:
built with publishconf.py and EDITOR_BACKEND, served by nginx under the
editor's own Content-Security-Policy, checked by Decap CMS itself.

No git host can be reached here: the tests stop at the login page, which Decap
shows only once the configuration passed its schema check, and prove the
page loads nothing from elsewhere and breaks none of its policy.
"""

import json
from pathlib import Path

import pytest
from test_csp import COLLECT_VIOLATIONS
from test_serving import require_nginx

import tasks
from deploy import releases
from deploy.local_nginx import NginxServer, free_port

tasks._use_plugins()

from editor.config import editor_data  # noqa: E402

DECAP = Path(tasks.ROOT) / "node_modules" / "decap-cms" / "dist" / "decap-cms.js"
HOSTS = {
    "github": ({"name": "github", "repo": "tokyo-wellness/site", "branch": "main"},
               "GitHub でログインする"),
    "gitlab": ({"name": "gitlab", "repo": "tokyo-wellness/site", "branch": "main",
                "auth_type": "pkce", "app_id": "0123456789abcdef"},
               "GitLab でログインする"),
}


@pytest.fixture(scope="module")
def hosted(tmp_path_factory, fixed_build_time):
    require_nginx()
    if not DECAP.is_file():
        pytest.fail("Decap CMS is not installed (npm ci)")
    root = tmp_path_factory.mktemp("hosted")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    output = tasks.build_site("publishconf.py", root / "output", {
        "SITEURL": base, "EDITOR_BACKEND": HOSTS["github"][0]})
    releases.deploy_release(output, root / "target")
    current = root / "target" / releases.CURRENT
    server = NginxServer(current, port=port).start()
    yield base, current
    server.stop()


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_the_git_host_configuration_passes_decaps_check(browser, hosted, host):
    base, current = hosted
    backend, login = HOSTS[host]
    admin = current / "admin"
    if host != "github":  # the same site, configured for the other host
        admin = admin.resolve()
        settings = tasks._site_settings({"SITEURL": base})
        (admin / "editor.json").write_text(json.dumps(editor_data(settings, backend)),
                                           encoding="utf-8")
        for compressed in admin.glob("editor.json.*"):  # nginx would serve these
            compressed.unlink()
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(COLLECT_VIOLATIONS)
    console, requests = [], []
    page.on("console", lambda message: console.append(message.text))
    page.on("request", lambda request: requests.append(request.url))
    response = page.goto(f"{base}/admin/")
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    page.get_by_role("button", name=login).wait_for()
    text = page.locator("body").inner_text()
    assert "Error loading the CMS configuration" not in text
    config = json.loads((admin / "editor.json").read_text(encoding="utf-8"))["config"]
    assert config["backend"] == backend
    assert config["publish_mode"] == "editorial_workflow"
    assert page.evaluate("window.__cspViolations") == []
    assert [line for line in console if "Content Security Policy" in line] == []
    assert sorted({url for url in requests if not url.startswith(base + "/")}) == []
    context.close()


def test_the_public_pages_keep_the_strict_policy(hosted, browser):
    base, _ = hosted
    context = browser.new_context()
    page = context.new_page()
    policy = page.goto(f"{base}/").headers["content-security-policy"]
    assert "script-src 'self' 'wasm-unsafe-eval';" in policy
    assert "unsafe-inline" not in policy and "'unsafe-eval'" not in policy
    context.close()
