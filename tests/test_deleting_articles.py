"""A published or scheduled article cannot be deleted, by anyone: it is unpublished first."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.editorial import workflow
from articles.models import Article

REFUSED = (
    "A published article cannot be deleted. Unpublish it first; its pages then leave the site."
)


@pytest.fixture(params=["superuser", "Publisher"])
def deleter(request, make_staff, django_user_model):
    """Someone who may delete articles: a superuser, or a publisher."""
    if request.param == "superuser":
        return django_user_model.objects.create_superuser("chief", password="correct horse")
    return make_staff("Publisher")


@pytest.fixture
def desk(client, deleter):
    client.force_login(deleter)
    return client


def delete_url(article):
    return reverse("admin:articles_article_delete", args=[article.pk])


def served(article) -> int:
    """The status a reader gets at the article's public address."""
    return Client().get(article.get_absolute_url()).status_code


def delete_selected(client, *articles, confirmed=False):
    data = {"action": "delete_selected", "_selected_action": [a.pk for a in articles]}
    if confirmed:
        data["post"] = "yes"
    return client.post(reverse("admin:articles_article_changelist"), data, follow=True)


def test_a_published_article_shows_why_it_has_no_delete_button(desk, foote_story):
    page = desk.get(reverse("admin:articles_article_change", args=[foote_story.pk]))
    html = page.content.decode()
    assert delete_url(foote_story) not in html
    assert REFUSED in html


@pytest.mark.parametrize("method", ["get", "post"])
def test_deleting_a_published_article_is_refused_and_it_stays_on_the_site(
    desk, foote_story, method
):
    assert served(foote_story) == 200
    response = getattr(desk, method)(delete_url(foote_story), {"post": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "admin:articles_article_change", args=[foote_story.pk]
    )
    assert REFUSED in response.content.decode()
    assert Article.objects.filter(pk=foote_story.pk).exists()
    assert served(foote_story) == 200


@pytest.mark.parametrize("confirmed", [False, True])
def test_deleting_a_selection_holding_a_published_article_deletes_nothing(
    desk, foote_story, confirmed
):
    draft = Article.objects.create(headline="A draft nobody needs", slug="a-draft")
    response = delete_selected(desk, foote_story, draft, confirmed=confirmed)
    page = response.content.decode()
    assert "Nothing was deleted" in page
    assert f"“{foote_story.headline}”" in page
    assert "“A draft nobody needs”" not in page
    assert Article.objects.filter(pk__in=[foote_story.pk, draft.pk]).count() == 2
    assert served(foote_story) == 200


def test_a_scheduled_article_cannot_be_deleted_either(desk, deleter, foote_story):
    article = workflow.reopen(workflow.unpublish(foote_story, deleter), deleter)
    article = workflow.approve(workflow.submit(article, deleter), deleter)
    article = workflow.publish(article, deleter, at=timezone.now() + datetime.timedelta(days=1))
    assert article.status == Article.Status.SCHEDULED
    response = desk.post(delete_url(article), {"post": "yes"}, follow=True)
    assert "A scheduled article cannot be deleted. Cancel its schedule first." in (
        response.content.decode()
    )
    assert "Nothing was deleted" in delete_selected(desk, article, confirmed=True).content.decode()
    assert Article.objects.filter(pk=article.pk).exists()


def test_an_unpublished_article_can_be_deleted_and_its_page_is_gone(desk, deleter, foote_story):
    workflow.unpublish(foote_story, deleter)
    assert desk.get(delete_url(foote_story)).status_code == 200
    response = desk.post(delete_url(foote_story), {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=foote_story.pk).exists()
    assert served(foote_story) == 404


def test_an_unpublished_article_can_be_deleted_with_others_in_a_selection(
    desk, deleter, foote_story
):
    workflow.unpublish(foote_story, deleter)
    draft = Article.objects.create(headline="A draft nobody needs", slug="a-draft")
    assert "Are you sure" in delete_selected(desk, foote_story, draft).content.decode()
    response = delete_selected(desk, foote_story, draft, confirmed=True)
    assert "Successfully deleted 2 articles" in response.content.decode()
    assert not Article.objects.filter(pk__in=[foote_story.pk, draft.pk]).exists()
    assert served(foote_story) == 404
