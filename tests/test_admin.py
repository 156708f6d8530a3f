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
    # The review queue is a list of articles, added through the article admin; annotations
    # are added on the Annotate screen, through the annotate service alone.
    assert admin_client.get(url).status_code == (200 if addable else 403)
    assert addable or opts.model_name in ("reviewqueue", "annotation", "quote")


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


@pytest.mark.parametrize("model", ["annotation", "quote"])
def test_annotations_are_not_written_through_the_model_admin(admin_client, foote_story, model):
    """Only the Annotate screen writes annotations: through the service that checks each span
    against the body and keeps every change as a revision."""
    before = foote_story.annotations.count()
    quote = foote_story.annotations.get(kind="quote")
    add = admin_client.post(
        reverse(f"admin:articles_{model}_add"),
        {"article": foote_story.pk, "kind": "quote", "exact": "career diplomat"},
    )
    change = admin_client.post(
        reverse(f"admin:articles_{model}_change", args=[quote.pk]),
        {"article": foote_story.pk, "kind": "quote", "exact": "inhumane", "note": "moved"},
    )
    delete = admin_client.post(
        reverse(f"admin:articles_{model}_delete", args=[quote.pk]), {"post": "yes"}
    )
    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    assert foote_story.annotations.count() == before
    quote.refresh_from_db()
    assert quote.note == ""
    page = admin_client.get(reverse(f"admin:articles_{model}_change", args=[quote.pk]))
    assert page.status_code == 200 and "inhumane" in page.content.decode()
