"""A quote's words never change silently: an edit inside them waits for another editor."""

import pytest
from django.urls import reverse

from articles.annotations import service
from articles.editorial import workflow
from articles.models import Article, Correction, ReviewLogEntry
from tests.admin_forms import change_form_data

ARTICLE_URL = "/articles/us-envoy-to-haiti-resigns-over-inhumane-deportations/"
Status = Article.Status


def edit_body(client, article, old, new):
    """Edit the body in the admin, as an editor would."""
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(client, url)
    assert old in data["body"]
    data["body"] = data["body"].replace(old, new, 1)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def paraphrase(foote_story):
    return foote_story.annotations.get(kind="paraphrase", exact__startswith="expelling thousands")


@pytest.fixture
def edited(client, make_staff, foote_story, paraphrase):
    """A publisher changed a word inside a live paraphrase's attributed words."""
    publisher = make_staff("Publisher")
    client.force_login(publisher)
    edit_body(
        client, foote_story, "expelling thousands of Haitians", "expelling hundreds of Haitians"
    )
    paraphrase.refresh_from_db()
    return publisher


def test_an_edit_inside_attributed_words_keeps_both_wordings(edited, paraphrase):
    assert paraphrase.wording_changed
    assert paraphrase.wording_before.startswith("expelling thousands of Haitians")
    assert paraphrase.exact.startswith("expelling hundreds of Haitians")


def test_the_article_page_shows_the_change_side_by_side(client, edited, foote_story):
    page = client.get(reverse("admin:articles_article_change", args=[foote_story.pk]))
    html = page.content.decode()
    assert "Wording changed" in html
    assert "<del>expelling thousands of Haitians" in html
    assert "<ins>expelling hundreds of Haitians" in html


def test_nothing_goes_live_until_another_editor_confirms(
    client, edited, make_staff, foote_story, paraphrase
):
    foote_story.refresh_from_db()
    workflow.submit(foote_story, edited)
    editor = make_staff("Editor")
    with pytest.raises(workflow.InvalidTransition, match="An edit changed the words of 1 quote"):
        workflow.approve(foote_story, editor)
    with pytest.raises(workflow.InvalidTransition, match="An edit changed the words"):
        workflow.publish_unreviewed(foote_story, edited, "Breaking.")

    confirm = reverse(
        "admin:articles_article_wording_confirm", args=[foote_story.pk, paraphrase.pk]
    )
    refused = client.post(confirm, follow=True)  # the publisher who made the edit
    assert "another editor must confirm them" in refused.content.decode()
    paraphrase.refresh_from_db()
    assert paraphrase.wording_changed

    client.force_login(editor)
    client.post(confirm)
    paraphrase.refresh_from_db()
    assert not paraphrase.wording_changed
    entry = ReviewLogEntry.objects.filter(article=foote_story).last()
    assert entry.actor == editor
    assert "Confirmed the new wording" in entry.comment and "thousands" in entry.comment
    workflow.approve(foote_story, editor)


def test_making_it_a_paraphrase_settles_a_changed_quote(make_staff, foote_story):
    quote = foote_story.annotations.get(kind="quote")
    type(quote).objects.filter(pk=quote.pk).update(wording_before="inhuman")
    quote.refresh_from_db()
    assert quote.wording_changed
    service.annotation_update(annotation=quote, user=make_staff("Editor"), kind="paraphrase")
    quote.refresh_from_db()
    assert not quote.wording_changed


def test_publishing_a_changed_quote_offers_a_correction_and_readers_see_an_update(
    client, edited, make_staff, foote_story, paraphrase
):
    foote_story.refresh_from_db()
    workflow.submit(foote_story, edited)
    editor = make_staff("Editor")
    service.annotation_wording_confirm(annotation=paraphrase, user=editor)
    workflow.approve(foote_story, editor)

    page = client.get(reverse("admin:articles_article_change", args=[foote_story.pk]))
    offered = page.content.decode()
    assert "Correction to append" in offered
    assert (
        "An earlier version of this story paraphrased A number of immigration advocates" in offered
    )
    assert "“expelling thousands of Haitians" in offered

    client.post(
        reverse("admin:articles_article_transition", args=[foote_story.pk]),
        {
            "transition": "publish",
            "correction": "We corrected a paraphrase of the advocates' criticism.",
        },
    )
    foote_story.refresh_from_db()
    assert foote_story.status == Status.PUBLISHED
    assert Correction.objects.get(article=foote_story).text.startswith("We corrected a paraphrase")
    client.logout()
    reader = client.get(ARTICLE_URL).content.decode()
    assert "Updated" in reader and "the wording or attribution of a quote changed" in reader
    assert "We corrected a paraphrase of the advocates" in reader
    assert "expelling hundreds of Haitians" in reader
