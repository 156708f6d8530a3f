"""Browser tests: headless Chromium, driven by Playwright, against pytest-django's live server.

They run wherever Chromium is installed (CI installs it); without it they are skipped, saying so,
unless REQUIRE_BROWSER_TESTS is set (as CI sets it), when they fail. Set CHROMIUM_PATH to use
another Chromium binary.
"""

import io
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from articles.editorial.roles import ROLES, permission_codenames
from articles.models import Article

# Playwright's sync API keeps an asyncio event loop running in the test's thread, so Django
# takes every ORM call the test makes (fixtures, assertions on the database) for a call from
# async code and refuses it. Nothing here is async: the live server answers in its own thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
STATIC_JS = Path(__file__).resolve().parents[2] / "static" / "js"
FOOTE_SLUG = "us-envoy-to-haiti-resigns-over-inhumane-deportations"
EDITOR_PASSWORD = "a-long-test-password-9731"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM_PATH).is_file():
        message = f"No Chromium at {CHROMIUM_PATH}: install it or set CHROMIUM_PATH."
        if os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context per test; a script error on the page fails the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"Script errors on the page: {errors}"


@pytest.fixture
def plain_text_page(page):
    """A blank page with plain-text.js loaded, for projecting bodies without a server."""

    def load(body_html: str):
        page.set_content(f'<!DOCTYPE html><div id="root">{body_html}</div>')
        page.add_script_tag(path=str(STATIC_JS / "plain-text.js"))
        return page

    return load


@pytest.fixture
def editor(transactional_db, django_user_model):
    """A staff user in the Editor group, made again: flushing the database between
    transactional tests removes the groups that the data migrations made."""
    group, _ = Group.objects.get_or_create(name="Editor")
    for app_label, codename in permission_codenames(ROLES["Editor"]):
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    user = django_user_model.objects.create_user(
        "editor", "editor@example.com", EDITOR_PASSWORD, is_staff=True
    )
    user.groups.add(group)
    return user


@pytest.fixture
def foote_article(transactional_db) -> Article:
    """The Foote story as the shared fixture loads it, in a database the live server sees."""
    call_command("load_foote_story", stdout=io.StringIO())
    return Article.objects.get(slug=FOOTE_SLUG)


@pytest.fixture
def log_in(page, live_server, editor):
    """Log the editor in through the admin's own login form."""

    def log_in_as_editor():
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", editor.username)
        page.fill("#id_password", EDITOR_PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        return page

    return log_in_as_editor


def annotate_url(live_server, article) -> str:
    return f"{live_server.url}/admin/articles/article/{article.pk}/annotate/"
