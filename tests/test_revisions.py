import re

from django.test import Client
from django.urls import reverse

from articles.annotations import service
from articles.editorial import workflow
from articles.editorial.revisions import revisions_of
from articles.models import Annotation, Article, Source
from articles.publishing import selectors
from articles.publishing.story import story_from_revision
from tests.admin_forms import change_form_data
from tests.conftest import publish_again

ARTICLE_URL = "/articles/us-envoy-to-haiti-resigns-over-inhumane-deportations/"
NEW_HEADLINE = "Haiti envoy Daniel Foote quits, calling deportations “inhumane”"


def edit_in_admin(client, article, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(client, url)
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Article.objects.get(pk=article.pk)


def test_edits_after_publishing_stay_off_the_public_page_until_published_again(
    client, make_staff, foote_story
):
    publisher = make_staff("Publisher")
    staff = Client()
    staff.force_login(publisher)
    article = edit_in_admin(staff, foote_story, headline=NEW_HEADLINE)
    assert article.has_unpublished_changes
    assert NEW_HEADLINE not in client.get(ARTICLE_URL).content.decode()
    assert foote_story.headline in client.get("/").content.decode()
    change_page = staff.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert "It has unpublished changes" in change_page.content.decode()
    assert NEW_HEADLINE in staff.get(ARTICLE_URL + "?working=1").content.decode()

    publish_again(article)
    assert NEW_HEADLINE in client.get(ARTICLE_URL).content.decode()
    assert not Article.objects.get(pk=article.pk).has_unpublished_changes


def test_annotations_added_after_publishing_are_not_public_until_published_again(
    client, make_staff, foote_story, foote
):
    text = foote_story.plain_text
    start = text.index("career diplomat")
    quote = service.annotation_create(
        article=foote_story,
        user=make_staff("Editor"),
        kind="quote",
        selector={"exact": "career diplomat", "start": start, "end": start + 15},
        speaker=foote.pk,
        source=Source.objects.get(kind="document").pk,
    )
    assert Article.objects.get(pk=foote_story.pk).has_unpublished_changes
    assert f'data-annotation-id="{quote.pk}"' not in client.get(ARTICLE_URL).content.decode()
    assert "career diplomat" not in client.get("/people/daniel-foote/").content.decode()
    publish_again(Article.objects.get(pk=foote_story.pk))
    assert f'data-annotation-id="{quote.pk}"' in client.get(ARTICLE_URL).content.decode()
    assert "career diplomat" in client.get("/people/daniel-foote/").content.decode()


def test_every_save_is_a_revision_and_two_can_be_compared(admin_client, foote_story):
    edit_in_admin(
        admin_client,
        foote_story,
        body=foote_story.body.replace("Foote’s issued", "Foote’s issues"),
    )
    newest, older = list(revisions_of(foote_story))[:2]
    assert newest.comment == "Edited in the admin."
    assert older.comment == "Published."
    url = reverse("admin:articles_article_revision_compare", args=[foote_story.pk])
    page = admin_client.get(url, {"older": older.pk, "newer": newest.pk}).content.decode()
    assert "<del>issued </del>" in page and "<ins>issues </ins>" in page
    assert re.search(r"Changed: Note “Foote’s issues” \(exact, anchor_status\)", page)
    listing = admin_client.get(
        reverse("admin:articles_article_revisions", args=[foote_story.pk])
    ).content.decode()
    assert "(published)" in listing


def test_revert_is_a_new_revision_that_restores_text_and_annotations(admin_client, foote_story):
    published = foote_story.published_revision
    note = foote_story.annotations.get(kind="note")
    edited = edit_in_admin(
        admin_client,
        foote_story,
        body=foote_story.body.replace("Foote’s issued went", "His issues went"),
    )
    note.refresh_from_db()
    assert note.is_orphaned
    note_pk = note.pk
    note.delete()
    count = len(revisions_of(edited))
    response = admin_client.post(
        reverse("admin:articles_article_revision_revert", args=[edited.pk, published.pk])
    )
    assert response.status_code == 302
    reverted = Article.objects.get(pk=edited.pk)
    assert "Foote’s issued went" in reverted.body
    assert len(revisions_of(reverted)) == count + 1
    restored = Annotation.objects.get(pk=note_pk)
    assert (restored.exact, restored.anchor_status) == ("Foote’s issued", "exact")
    assert reverted.plain_text[restored.start : restored.end] == "Foote’s issued"


def test_reporter_cannot_revert_a_published_article_by_forged_post(client, make_staff, foote_story):
    client.force_login(make_staff("Reporter"))
    revision = foote_story.published_revision
    before = len(revisions_of(foote_story))
    response = client.post(
        reverse("admin:articles_article_revision_revert", args=[foote_story.pk, revision.pk])
    )
    assert response.status_code == 403
    assert len(revisions_of(foote_story)) == before


def test_unpublishing_takes_the_article_off_every_public_page(client, foote_story):
    workflow.unpublish(foote_story, None)
    assert client.get(ARTICLE_URL).status_code == 404
    assert foote_story.headline not in client.get("/").content.decode()
    assert client.get("/people/daniel-foote/").status_code == 404


def test_correcting_a_persons_name_updates_the_published_story(client, foote_story, foote):
    foote.name = "Daniel Lewis Foote"
    foote.save()
    page = client.get(ARTICLE_URL).content.decode()
    assert '<a href="/people/daniel-foote/">Daniel Lewis Foote</a>' in page
    assert 'title="Daniel Lewis Foote, U.S. Special Envoy for Haiti"' in page
    assert foote_story.headline in page


def test_the_published_edition_reads_back_as_the_story_its_revision_renders(foote_story):
    rebuilt = story_from_revision(foote_story, foote_story.published_revision)
    assert selectors.story_of(foote_story.edition) == rebuilt
    assert len(rebuilt["quotes"]) == 6 and len(rebuilt["sources"]) == 3
