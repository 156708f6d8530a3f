"""The role rules hold on every admin path, tried as the role that would try them, over HTTP."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.annotations import service
from articles.editorial import workflow
from articles.editorial.revisions import revision_record
from articles.models import Annotation, Article, Correction, PreviewLink, ReviewLogEntry, Source
from articles.publishing import selectors
from people.models import Person
from tests.admin_forms import change_form_data

ARTICLE_URL = "/articles/us-envoy-to-haiti-resigns-over-inhumane-deportations/"
Status = Article.Status


def signed_in(client, user):
    client.force_login(user)
    return client


def draft_by(user, slug="a-draft") -> Article:
    return Article.objects.create(
        headline="A draft", slug=slug, body="<p>Words of a draft.</p>", created_by=user
    )


# Preview links


def test_reporter_cannot_make_a_preview_link_for_someone_elses_draft(client, make_staff):
    other = draft_by(make_staff("Reporter", "other"))
    client = signed_in(client, make_staff("Reporter"))
    in_a_week = timezone.now() + datetime.timedelta(days=7)
    response = client.post(
        reverse("admin:articles_previewlink_add"),
        {"article": other.pk, "expires_at_0": in_a_week.date(), "expires_at_1": "12:00:00"},
    )
    assert response.status_code == 200
    assert "You may share only articles you may read" in response.content.decode()
    assert not PreviewLink.objects.exists()


def test_reporter_sees_no_preview_links_of_others_drafts(client, make_staff):
    other = draft_by(make_staff("Reporter", "other"))
    link = PreviewLink.objects.create(
        article=other, expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    client = signed_in(client, make_staff("Reporter"))
    listing = client.get(reverse("admin:articles_previewlink_changelist")).content.decode()
    assert link.token not in listing and "A draft" not in listing
    response = client.get(reverse("admin:articles_previewlink_change", args=[link.pk]))
    assert response.status_code == 302  # Django's "does not exist" redirect to the list


def test_an_expired_preview_link_cannot_be_revived(client, make_staff):
    editor = make_staff("Editor")
    link = PreviewLink.objects.create(
        article=draft_by(editor), expires_at=timezone.now() - datetime.timedelta(hours=1)
    )
    client = signed_in(client, editor)
    next_week = timezone.now() + datetime.timedelta(days=7)
    client.post(
        reverse("admin:articles_previewlink_change", args=[link.pk]),
        {"expires_at_0": next_week.date(), "expires_at_1": "12:00:00"},
    )
    link.refresh_from_db()
    assert not link.is_valid
    assert client.get(link.get_absolute_url()).status_code == 404


# Shared records shown on published pages


def test_reporter_cannot_rename_a_person_a_live_story_quotes(client, make_staff, foote):
    client = signed_in(client, make_staff("Reporter"))
    url = reverse("admin:people_person_change", args=[foote.pk])
    response = client.post(url, {"name": "Zq Renamed", "slug": foote.slug})
    assert response.status_code == 403
    foote.refresh_from_db()
    assert foote.name == "Daniel Foote"
    assert "Zq Renamed" not in client.get(ARTICLE_URL).content.decode()


def test_reporter_cannot_point_a_cited_source_at_another_address(client, make_staff, foote_story):
    source = selectors.sources_cited().first()
    client = signed_in(client, make_staff("Reporter"))
    url = reverse("admin:articles_source_change", args=[source.pk])
    response = client.post(
        url, {"kind": source.kind, "title": "Zq phishing", "url": "https://example.invalid/"}
    )
    assert response.status_code == 403
    source.refresh_from_db()
    assert source.title != "Zq phishing"


def test_reporter_may_change_a_person_no_published_story_shows(client, make_staff, foote_story):
    newcomer = Person.objects.create(name="Zq Newcomer", slug="zq-newcomer")
    client = signed_in(client, make_staff("Reporter"))
    url = reverse("admin:people_person_change", args=[newcomer.pk])
    data = change_form_data(client, url)
    data["name"] = "Zq Newcomer Jr"
    assert client.post(url, data).status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.name == "Zq Newcomer Jr"


def test_editor_may_correct_a_persons_name_on_the_live_story(client, make_staff, foote):
    client = signed_in(client, make_staff("Editor"))
    url = reverse("admin:people_person_change", args=[foote.pk])
    data = change_form_data(client, url)
    data["name"] = "Daniel L. Foote"
    assert client.post(url, data).status_code == 302
    client.logout()
    assert "Daniel L. Foote" in client.get(ARTICLE_URL).content.decode()


# What a publisher approved or scheduled goes live as they saw it


@pytest.mark.parametrize("status", [Status.APPROVED, Status.SCHEDULED])
@pytest.mark.parametrize("role", ["Editor", "Publisher"])
def test_an_approved_or_scheduled_story_cannot_be_changed(client, make_staff, role, status):
    article = draft_by(make_staff("Reporter"))
    Article.objects.filter(pk=article.pk).update(
        status=status, published_at=timezone.now() + datetime.timedelta(days=1)
    )
    client = signed_in(client, make_staff(role))
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = client.get(url).content.decode()
    assert "it goes live as the publisher saw it" in page
    response = client.post(url, {"headline": "Zq changed", "slug": article.slug, "body": ""})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.headline == "A draft"


# Four eyes


def quoted_in_review(make_staff, foote_story):
    """A reporter's draft in review, to which an editor added a quote: a change to what goes
    live. Returns the draft, the reporter and the editor."""
    reporter, editor = make_staff("Reporter"), make_staff("Editor")
    draft = Article.objects.create(
        headline="A draft", slug="a-draft", body="<p>The envoy said it was inhumane.</p>"
    )
    Article.objects.filter(pk=draft.pk).update(created_by=reporter)
    draft = workflow.submit(Article.objects.get(pk=draft.pk), reporter)
    quote = foote_story.annotations.get(kind="quote")
    service.annotation_create(
        article=draft,
        user=editor,
        kind="quote",
        selector={"exact": "inhumane", "start": 27, "end": 35},
        speaker=quote.speaker_id,
        source=quote.source_id,
    )
    return draft, reporter, editor


def test_the_last_editor_of_a_story_cannot_approve_it(client, make_staff, foote_story):
    draft, _, editor = quoted_in_review(make_staff, foote_story)
    client = signed_in(client, editor)
    change_page = client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    assert 'value="approve"' not in change_page.content.decode()
    response = client.post(
        reverse("admin:articles_article_transition", args=[draft.pk]),
        {"transition": "approve"},
        follow=True,
    )
    assert "since it was last reviewed: another editor must approve it" in (
        response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    workflow.approve(draft, make_staff("Editor", "second-editor"))
    draft.refresh_from_db()
    assert draft.status == Status.APPROVED


def test_publishing_without_review_needs_a_reason_and_goes_on_the_record(
    client, make_staff, foote_story
):
    publisher = make_staff("Publisher")
    foote_story.headline = "Breaking: envoy quits"
    foote_story.save()
    client = signed_in(client, publisher)
    url = reverse("admin:articles_article_transition", args=[foote_story.pk])
    refused = client.post(url, {"transition": "publish_unreviewed", "reason": " "}, follow=True)
    assert "a reason is required" in refused.content.decode()
    client.post(url, {"transition": "publish_unreviewed", "reason": "Breaking news: live now."})
    foote_story.refresh_from_db()
    assert foote_story.status == Status.PUBLISHED and not foote_story.has_unpublished_changes
    entry = ReviewLogEntry.objects.filter(article=foote_story).last()
    assert entry.is_unreviewed_publication and entry.comment == "Breaking news: live now."
    page = client.get(reverse("admin:articles_article_change", args=[foote_story.pk]))
    assert "published it without review" in page.content.decode()
    queue = client.get(reverse("admin:articles_reviewqueue_changelist")).content.decode()
    assert "Published without review: Breaking news: live now." in queue
    client.logout()
    assert "Breaking: envoy quits" in client.get(ARTICLE_URL).content.decode()


def test_an_editor_cannot_publish_without_review(client, make_staff, foote_story):
    foote_story.headline = "Zq unreviewed"
    foote_story.save()
    client = signed_in(client, make_staff("Editor"))
    url = reverse("admin:articles_article_transition", args=[foote_story.pk])
    client.post(url, {"transition": "publish_unreviewed", "reason": "Because."})
    client.logout()
    assert "Zq unreviewed" not in client.get(ARTICLE_URL).content.decode()


# Corrections are a record


def test_a_correction_cannot_be_rewritten_or_backdated(client, make_staff, foote_story):
    correction = Correction.objects.create(article=foote_story, text="The bridge was misnamed.")
    client = signed_in(client, make_staff("Publisher"))
    url = reverse("admin:articles_correction_change", args=[correction.pk])
    response = client.post(
        url,
        {
            "article": foote_story.pk,
            "kind": "correction",
            "text": "Zq nothing was wrong",
            "published_at_0": "2020-01-01",
            "published_at_1": "00:00:00",
        },
    )
    assert response.status_code == 403
    correction.refresh_from_db()
    assert correction.text == "The bridge was misnamed."
    assert correction.published_at.year == timezone.now().year


def test_a_correction_is_dated_when_appended_whatever_the_form_says(
    client, make_staff, foote_story
):
    client = signed_in(client, make_staff("Publisher"))
    client.post(
        reverse("admin:articles_correction_add"),
        {
            "article": foote_story.pk,
            "kind": "correction",
            "text": "The bridge was misnamed.",
            "published_at_0": "2020-01-01",
            "published_at_1": "00:00:00",
        },
    )
    correction = Correction.objects.get()
    assert timezone.now() - correction.published_at < datetime.timedelta(minutes=1)


def test_a_never_published_draft_cannot_be_corrected(client, make_staff):
    draft = draft_by(make_staff("Reporter"))
    client = signed_in(client, make_staff("Publisher"))
    response = client.post(
        reverse("admin:articles_correction_add"),
        {"article": draft.pk, "kind": "correction", "text": "Zq correction of nothing"},
    )
    assert response.status_code == 200
    assert "Only a story that has been published can be corrected" in response.content.decode()
    assert not Correction.objects.exists()


def test_an_editor_who_changed_a_story_in_review_cannot_approve_it_later(make_staff, foote_story):
    draft, reporter, editor = quoted_in_review(make_staff, foote_story)
    workflow.request_changes(draft, editor, "Check the quote.")
    draft = Article.objects.get(pk=draft.pk)
    draft.dek = "A trivial edit by the reporter."
    draft.updated_by = reporter
    draft.save()
    revision_record(article=draft, user=reporter, comment="Dek.")
    workflow.submit(draft, reporter)
    with pytest.raises(workflow.InvalidTransition, match="since it was last reviewed"):
        workflow.approve(draft, editor)


def test_a_reporter_cannot_change_a_source_a_scheduled_story_cites(client, make_staff):
    editor = make_staff("Editor")
    draft = draft_by(editor)
    source = Source.objects.create(kind="document", title="A memo")
    Annotation.objects.create(
        article=draft, kind="paraphrase", exact="Words", start=0, end=5, speaker_description="X",
        source=source,
    )  # fmt: skip
    Article.objects.filter(pk=draft.pk).update(status=Status.SCHEDULED)
    client = signed_in(client, make_staff("Reporter"))
    url = reverse("admin:articles_source_change", args=[source.pk])
    response = client.post(url, {"kind": "document", "title": "Zq forged memo"})
    assert response.status_code == 403
    source.refresh_from_db()
    assert source.title == "A memo"


def test_a_reporter_cannot_add_a_position_to_a_person_published_stories_show(
    client, make_staff, foote
):
    client = signed_in(client, make_staff("Reporter"))
    response = client.post(
        reverse("admin:people_position_add"),
        {
            "person": foote.pk,
            "title": "Zq Grand Vizier",
            "start_date": "2026-01-01",
            "start_precision": "day",
            "end_precision": "day",
            "on_record": "on",
        },
    )
    assert response.status_code == 200
    assert "only an editor can add or change their positions" in response.content.decode()
    assert not foote.positions.filter(title="Zq Grand Vizier").exists()
