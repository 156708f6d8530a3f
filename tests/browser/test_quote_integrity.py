"""Quotes survive edits made through the admin's change form, as editors make them in Chromium.

The body editor is django-prose-editor: typing into ProseMirror is fiddly, so each test rewrites
the body field's hidden textarea (which the form posts) and saves through the real admin form.
"""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from articles.editorial.roles import ROLES, permission_codenames
from articles.models import Annotation

from .conftest import EDITOR_PASSWORD, annotate_url

pytestmark = pytest.mark.browser

SET_BODY = """(html) => {
    const textarea = document.querySelector("textarea[name=body]");
    textarea.value = html;
    textarea.dispatchEvent(new Event("input", {bubbles: true}));
}"""

SWAP_FIRST_TWO_PARAGRAPHS = """() => {
    const body = document.querySelector("textarea[name=body]").value;
    const paragraphs = body.match(/<p>[\\s\\S]*?<\\/p>/g);
    [paragraphs[0], paragraphs[1]] = [paragraphs[1], paragraphs[0]];
    return paragraphs.join("");
}"""


@pytest.fixture
def make_user(transactional_db, django_user_model):
    """A staff user in one of the role groups, made again after the transactional flush."""

    def make(role, username):
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, codename in permission_codenames(ROLES[role]):
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        user = django_user_model.objects.create_user(
            username, f"{username}@example.com", EDITOR_PASSWORD, is_staff=True
        )
        user.groups.add(group)
        return user

    return make


def sign_in(page, live_server, user):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", EDITOR_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def change_url(live_server, article):
    return f"{live_server.url}/admin/articles/article/{article.pk}/change/"


def save_body(page, html):
    """Put new body HTML into the form and save it, staying on the change page."""
    page.evaluate(SET_BODY, html)
    page.locator("input[name=_continue]").click()
    expect(page.locator("ul.messagelist li.success")).to_be_visible()


@pytest.fixture
def story(foote_article):
    assert foote_article.is_live
    return foote_article


def test_changed_wording_waits_for_another_editor_to_confirm_it(
    page, live_server, make_user, story
):
    paraphrase = story.annotations.get(kind="paraphrase", exact__startswith="expelling thousands")
    publisher = make_user("Publisher", "publisher")
    editor = make_user("Editor", "editor")
    sign_in(page, live_server, publisher)
    page.goto(change_url(live_server, story))
    body = page.locator("textarea[name=body]").input_value()
    assert "expelling thousands of Haitians" in body
    save_body(
        page,
        body.replace("expelling thousands of Haitians", "expelling hundreds of Haitians", 1),
    )

    row = page.locator(".annotations-listing tbody tr", has_text="Wording changed")
    expect(row).to_have_count(1)
    expect(row.locator("del")).to_contain_text("expelling thousands of Haitians")
    expect(row.locator("ins")).to_contain_text("expelling hundreds of Haitians")

    row.get_by_role("button", name="Confirm the new wording").click()
    expect(page.locator("ul.messagelist li.error")).to_contain_text(
        "another editor must confirm them"
    )
    expect(row).to_have_count(1)

    sign_in(page, live_server, editor)
    page.goto(change_url(live_server, story))
    row.get_by_role("button", name="Confirm the new wording").click()
    expect(page.locator("ul.messagelist")).to_be_visible()
    expect(page.locator(".annotations-listing")).not_to_contain_text("Wording changed")
    paraphrase.refresh_from_db()
    assert not paraphrase.wording_changed
    assert paraphrase.exact.startswith("expelling hundreds of Haitians")


def test_swapped_paragraphs_keep_their_quotes_highlighted(page, live_server, make_user, story):
    quote = Annotation.objects.get(article=story, kind="quote", exact="inhumane")
    sign_in(page, live_server, make_user("Publisher", "publisher"))
    page.goto(change_url(live_server, story))
    swapped = page.evaluate(SWAP_FIRST_TWO_PARAGRAPHS)
    assert swapped.startswith("<p>According to the Associated Press")
    save_body(page, swapped)

    listing = page.locator(".annotations-listing")
    expect(listing).to_be_visible()
    expect(listing).not_to_contain_text("Orphaned")
    expect(listing).not_to_contain_text("Wording changed")

    page.goto(annotate_url(live_server, story))
    expect(page.locator("#annotate-list .annotate-count")).to_be_visible()  # the script ran
    highlight = page.locator(f'#annotate-body [data-annotation-id="{quote.pk}"]')
    expect(highlight).to_have_text("inhumane")
    expect(highlight).to_have_class(re.compile(r"\bannotation--quote\b"))
    # The quote's paragraph now comes second, after the Associated Press one.
    expect(page.locator("#annotate-body p").nth(1)).to_contain_text("inhumane")
    quote.refresh_from_db()
    assert not quote.is_orphaned and not quote.wording_changed
