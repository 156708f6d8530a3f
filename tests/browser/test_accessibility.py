"""Public pages checked with axe-core in headless Chromium: no serious or critical violations.

axe-core comes from the npm registry (`npm ci` installs it into node_modules/, as CI does);
without it these tests are skipped, saying so, unless REQUIRE_BROWSER_TESTS is set.
"""

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "/",
    "/articles/us-envoy-to-haiti-resigns-over-inhumane-deportations/",
    "/people/daniel-foote/",
    "/organizations/us-department-of-state/",
    "/corrections/",
    "/articles/no-such-story/",
]


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.is_file():
        message = "axe-core is not installed: run `npm ci` in the project's folder."
        if os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", PAGES)
def test_public_page_has_no_serious_accessibility_violations(
    browser, live_server, foote_article, axe_source, path
):
    # The site's Content-Security-Policy rightly refuses injected scripts; axe is a test tool.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")
    page.add_script_tag(content=axe_source)
    results = page.evaluate("async () => await axe.run(document)")
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + ", ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    context.close()
    assert not serious, "\n".join(serious)
    assert results["passes"], "axe ran no checks"
