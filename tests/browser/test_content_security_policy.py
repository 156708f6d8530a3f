"""The pages that run scripts work under the Content-Security-Policy, with no violation."""

import pytest
from playwright.sync_api import expect

from .conftest import annotate_url

pytestmark = pytest.mark.browser


def violations_of(page):
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def test_rich_text_editor_loads_under_the_policy(page, live_server, admin_user, foote_article):
    found = violations_of(page)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/articles/article/{foote_article.pk}/change/")
    expect(page.locator(".ProseMirror", has_text="special envoy to Haiti")).to_be_visible()
    assert found == []


def test_annotate_screen_runs_under_the_policy(page, live_server, log_in, foote_article):
    found = violations_of(page)
    log_in()
    page.goto(annotate_url(live_server, foote_article))
    expect(page.locator("#annotate-list .annotate-count")).to_be_visible()
    assert found == []
