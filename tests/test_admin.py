import pytest
from django.contrib import admin
from django.urls import reverse

from people.models import Position

REGISTERED = [model._meta for model in admin.site._registry]


@pytest.mark.parametrize("opts", REGISTERED, ids=lambda o: o.label_lower)
def test_every_changelist_answers_200_for_a_superuser(admin_client, foote_story, opts):
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("opts", REGISTERED, ids=lambda o: o.label_lower)
def test_every_add_page_answers_200_for_a_superuser(admin_client, admin_user, rf, db, opts):
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    request = rf.get(url)
    request.user = admin_user
    addable = admin.site._registry[opts.model].has_add_permission(request)
    # The review queue is a list of articles, added through the article admin.
    assert admin_client.get(url).status_code == (200 if addable else 403)
    assert addable or opts.model_name == "reviewqueue"


def test_foote_article_change_page_lists_its_annotations(admin_client, foote_story):
    url = reverse("admin:articles_article_change", args=[foote_story.pk])
    page = admin_client.get(url).content.decode()
    assert "inhumane" in page
    assert "Foote’s issued" in page


def test_admin_is_titled_for_the_newsroom(admin_client, db):
    assert "Newsroom editorial desk" in admin_client.get("/admin/").content.decode()


def test_position_ending_before_it_starts_shows_the_message_in_the_admin(admin_client, foote):
    response = admin_client.post(
        reverse("admin:people_position_add"),
        {
            "person": foote.pk,
            "title": "Special Envoy",
            "start_date": "2021-09-22",
            "start_precision": "day",
            "end_date": "2021-07-22",
            "end_precision": "day",
        },
    )
    assert response.status_code == 200
    assert "A position cannot end before it starts" in response.content.decode()
    assert not Position.objects.filter(title="Special Envoy").exists()


def test_anonymous_source_without_justification_shows_the_message_in_the_admin(admin_client, db):
    response = admin_client.post(
        reverse("admin:articles_source_add"),
        {"kind": "anonymous", "title": "A person familiar with the matter"},
    )
    assert response.status_code == 200
    assert "An anonymous source needs a justification" in response.content.decode()


def test_annotation_typed_by_hand_is_located_in_the_body(admin_client, foote_story, foote):
    response = admin_client.post(
        reverse("admin:articles_annotation_add"),
        {"article": foote_story.pk, "kind": "mention", "exact": "career diplomat",
         "mentioned_person": foote.pk},
    )  # fmt: skip
    assert response.status_code == 302
    mention = foote_story.annotations.get(exact="career diplomat")
    assert foote_story.plain_text[mention.start : mention.end] == "career diplomat"


def test_annotation_with_words_not_in_the_body_is_refused_in_the_admin(
    admin_client, foote_story, foote
):
    response = admin_client.post(
        reverse("admin:articles_annotation_add"),
        {"article": foote_story.pk, "kind": "mention", "exact": "a sentence nobody wrote",
         "mentioned_person": foote.pk},
    )  # fmt: skip
    assert response.status_code == 200
    assert "These words are not in the article" in response.content.decode()


def test_quote_without_source_is_refused_in_the_admin(admin_client, foote_story, foote):
    before = foote_story.annotations.count()
    response = admin_client.post(
        reverse("admin:articles_quote_add"),
        {"article": foote_story.pk, "kind": "quote", "exact": "career diplomat",
         "speaker": foote.pk},
    )  # fmt: skip
    assert response.status_code == 200
    assert "A quote needs a source" in response.content.decode()
    assert foote_story.annotations.count() == before
