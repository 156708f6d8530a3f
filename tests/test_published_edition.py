"""The published edition: what publishing writes, and what it never copies."""

import datetime
import json

import pytest
from django.utils import timezone

from articles.editorial import workflow
from articles.models import Annotation, Article, Correction, PublishedArticle, Source
from people.models import Person
from tests.conftest import FOOTE_SLUG, publish_again

ARTICLE_URL = f"/articles/{FOOTE_SLUG}/"
PUBLIC_URLS = [
    ARTICLE_URL,
    f"{ARTICLE_URL}annotations.jsonld",
    f"/api/articles/{FOOTE_SLUG}/",
    "/api/quotes/",
    "/api/people/",
    "/sitemap.xml",
]


def anonymous_quote_by(article, person) -> Annotation:
    """A quote whose named speaker the story grants anonymity."""
    exact = "inhumane"
    source = Source.objects.create(
        kind=Source.Kind.ANONYMOUS,
        title="A senior official",
        anonymity_justification="The official feared for their post.",
    )
    start = article.plain_text.index(exact)
    return Annotation.objects.create(
        article=article,
        kind="quote",
        exact=exact,
        start=start,
        end=start + len(exact),
        speaker=person,
        speaker_description="A senior official",
        source=source,
    )


def test_the_person_behind_an_anonymous_source_never_reaches_readers(client, foote_story):
    insider = Person.objects.create(name="Zq Insider", slug="zq-insider")
    foote_story.annotations.filter(exact="inhumane").delete()
    anonymous_quote_by(foote_story, insider)
    foote_story.save()  # marks the live story as having unpublished changes
    publish_again(foote_story)

    page = client.get(ARTICLE_URL).content.decode()
    assert "A senior official" in page
    assert "Why we granted anonymity: The official feared for their post." in page
    for url in PUBLIC_URLS:
        body = client.get(url).content.decode()
        assert "Zq Insider" not in body and "zq-insider" not in body, url
    assert client.get("/people/zq-insider/").status_code == 404
    assert client.get("/api/quotes/?speaker=zq-insider").json()["count"] == 0


def test_notes_and_claims_are_never_copied(client, foote_story):
    foote_story.annotations.filter(kind="quote").update(note="Zq internal note")
    foote_story.save()  # marks the live story as having unpublished changes
    publish_again(foote_story)
    edition = PublishedArticle.objects.get(pk=foote_story.pk)
    kinds = set(edition.annotations.values_list("kind", flat=True))
    assert kinds <= {"quote", "paraphrase", "mention"}
    assert "note" not in {field.name for field in edition.annotations.model._meta.fields}
    assert foote_story.annotations.filter(kind__in=["claim", "note"]).exists()
    # What a reader could fetch holds neither the note nor a claim or note annotation.
    for url in PUBLIC_URLS:
        body = client.get(url).content.decode()
        assert "Zq internal note" not in body, url
        assert '"questioning"' not in body and '"commenting"' not in body, url


def test_publishing_under_a_slug_another_live_story_holds_is_refused(foote_story):
    foote_story.slug = "renamed-in-the-working-copy"
    foote_story.save()
    other = Article.objects.create(headline="Another", slug=FOOTE_SLUG, body="<p>Words.</p>")
    workflow.submit(other, None)
    workflow.approve(other, None)
    with pytest.raises(workflow.InvalidTransition, match="belongs to the published story"):
        workflow.publish(other, None)
    assert PublishedArticle.objects.get(slug=FOOTE_SLUG).pk == foote_story.pk


def test_a_retired_address_returns_to_the_story_that_takes_it_back(client, foote_story):
    foote_story.slug = "envoy-resigns"
    foote_story.save()
    publish_again(foote_story)
    assert client.get(ARTICLE_URL).status_code == 301
    foote_story.slug = FOOTE_SLUG
    foote_story.save()
    publish_again(foote_story)
    assert client.get(ARTICLE_URL).status_code == 200
    response = client.get("/articles/envoy-resigns/")
    assert (response.status_code, response["Location"]) == (301, ARTICLE_URL)
    response = client.get("/articles/envoy-resigns/annotations.jsonld")
    assert response["Location"] == f"{ARTICLE_URL}annotations.jsonld"


def test_an_unpublished_story_keeps_no_redirect_alive(client, foote_story):
    foote_story.slug = "envoy-resigns"
    foote_story.save()
    publish_again(foote_story)
    workflow.unpublish(foote_story, None)
    assert client.get(ARTICLE_URL).status_code == 404
    assert client.get("/articles/envoy-resigns/").status_code == 404


def test_a_person_shown_on_a_live_story_cannot_be_deleted_from_the_admin(admin_client, foote):
    response = admin_client.post(f"/admin/people/person/{foote.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in (
        response.content.decode()
    )
    assert Person.objects.filter(pk=foote.pk).exists()


def test_the_published_collection_is_readers_annotations_only(client, foote_story):
    document = json.loads(client.get(f"{ARTICLE_URL}annotations.jsonld").content)
    items = document["first"]["items"]
    assert items and len(items) == document["total"]
    published = PublishedArticle.objects.get(pk=foote_story.pk).annotations.count()
    assert len(items) == published < foote_story.annotations.count()
    motivations = {item["motivation"] for item in items}
    assert motivations == {"identifying"}


def test_a_source_made_public_later_does_not_unmask_a_published_speaker(client, foote_story):
    insider = Person.objects.create(name="Zq Insider", slug="zq-insider")
    foote_story.annotations.filter(exact="inhumane").delete()
    quote = anonymous_quote_by(foote_story, insider)
    foote_story.save()
    publish_again(foote_story)

    source = quote.source
    source.kind, source.title = Source.Kind.INTERVIEW, "Interview with Zq Insider"
    source.save()  # re-renders the live story with today's shared records

    page = client.get(ARTICLE_URL).content.decode()
    assert "Zq Insider" not in page
    assert "A senior official" in page
    assert client.get("/people/zq-insider/").status_code == 404


def test_a_position_only_a_draft_names_stays_off_the_persons_page(client, foote_story, foote):
    nomination = foote.positions.create(
        title="Zq Nominee for Ambassador", start_date=datetime.date(2026, 11, 1)
    )
    draft = Article.objects.create(
        headline="Draft", slug="zq-draft", body="<p>Daniel Foote was nominated.</p>"
    )
    Annotation.objects.create(
        article=draft,
        kind="paraphrase",
        exact="Daniel Foote was nominated",
        start=0,
        end=26,
        speaker=foote,
        position=nomination,
    )
    page = client.get("/people/daniel-foote/").content.decode()
    assert "Zq Nominee" not in page
    assert "U.S. Ambassador to Zambia" in page  # on the public record
    nomination.on_record = True
    nomination.save()
    assert "Zq Nominee" in client.get("/people/daniel-foote/").content.decode()


def test_a_story_whose_published_revision_is_gone_keeps_its_page(client, foote_story, foote):
    Article.objects.filter(pk=foote_story.pk).update(published_revision=None)
    foote.name = "Daniel L. Foote"
    foote.save()
    assert client.get(ARTICLE_URL).status_code == 200


def test_staff_reading_a_published_address_get_that_story_not_a_namesake_draft(
    admin_client, foote_story
):
    foote_story.slug = "renamed-in-the-working-copy"
    foote_story.save()
    Article.objects.create(headline="Zq namesake draft", slug=FOOTE_SLUG, body="<p>Words.</p>")
    page = admin_client.get(f"{ARTICLE_URL}?working=1").content.decode()
    assert "Zq namesake draft" not in page
    assert foote_story.headline in page


def test_a_correction_dated_in_the_future_is_not_shown_before_its_time(client, foote_story):
    # Corrections are dated when appended; an imported archive may still hold a later date.
    correction = foote_story.corrections.create(text="Zq future correction")
    Correction.objects.filter(pk=correction.pk).update(
        published_at=timezone.now() + datetime.timedelta(days=1)
    )
    for url in (ARTICLE_URL, "/corrections/"):
        assert "Zq future correction" not in client.get(url).content.decode(), url


def test_refresh_editions_renders_live_stories_again_without_publishing_edits(foote_story):
    import io

    from django.core.management import call_command

    PublishedArticle.objects.filter(pk=foote_story.pk).update(body_html="<p>Stale.</p>")
    foote_story.headline = "Zq unpublished headline"
    foote_story.save()
    out = io.StringIO()
    call_command("refresh_editions", stdout=out)
    edition = PublishedArticle.objects.get(pk=foote_story.pk)
    assert "inhumane" in edition.body_html
    assert edition.headline != "Zq unpublished headline"
    assert "Rendered 1 live stories again." in out.getvalue()
