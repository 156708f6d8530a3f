"""The injection corpus (tests/xss.py) in every rendered field: in Chromium, no payload runs."""

import pytest

from articles.models import Article
from people.models import Person
from tests.xss import plant

pytestmark = pytest.mark.browser

PUBLIC = [
    "/",
    "/articles/us-envoy-to-haiti-resigns-over-inhumane-deportations/",
    "/people/daniel-foote/",
    "/organizations/associated-press/",
    "/topics/haiti/",
    "/corrections/",
    "/articles/?q=envoy",
]


@pytest.fixture
def planted(foote_article):
    plant(foote_article)
    return Article.objects.get(pk=foote_article.pk)


def assert_nothing_ran(page, url):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url)
    page.wait_for_load_state("load")
    assert page.evaluate("() => window.__xss") is None, url
    assert dialogs == [], url


@pytest.mark.parametrize("path", PUBLIC)
def test_no_payload_runs_on_public_pages(page, live_server, planted, path):
    assert_nothing_ran(page, f"{live_server.url}{path}")


def test_no_payload_runs_on_staff_pages(page, live_server, admin_user, planted):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    foote = Person.objects.get(slug="daniel-foote")
    for path in (
        f"/admin/articles/article/{planted.pk}/change/",
        f"/admin/articles/article/{planted.pk}/annotate/",
        f"/admin/articles/article/{planted.pk}/revisions/",
        "/admin/articles/annotation/",
        "/admin/articles/source/",
        f"/admin/people/person/{foote.pk}/change/",
    ):
        assert_nothing_ran(page, f"{live_server.url}{path}")
