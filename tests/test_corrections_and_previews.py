import datetime
import json
import re

from django.urls import reverse
from django.utils import timezone

from articles.editorial import workflow
from articles.models import Article, Correction, PreviewLink
from tests.conftest import publish_again

ARTICLE_URL = "/articles/us-envoy-to-haiti-resigns-over-inhumane-deportations/"
CORRECTION = "An earlier version misspelled the name of the Del Rio International Bridge."


def json_ld(page: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def test_publisher_appends_a_correction_shown_on_the_page_json_ld_and_log(
    client, make_staff, foote_story
):
    publisher = make_staff("Publisher")
    client.force_login(publisher)
    url = reverse("admin:articles_correction_add")
    response = client.post(
        url,
        {
            "article": foote_story.pk,
            "kind": "correction",
            "text": CORRECTION,
            "published_at_0": "2021-09-24",
            "published_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(ARTICLE_URL).content.decode()
    assert "Correction, <time" in page and CORRECTION in page
    corrections = json_ld(page)["correction"]
    assert corrections[0]["text"] == CORRECTION
    assert corrections[0]["@type"] == "CorrectionComment"
    log = client.get("/corrections/").content.decode()
    assert CORRECTION in log and ARTICLE_URL in log


def test_corrections_cannot_be_deleted_even_by_a_superuser(admin_client, foote_story):
    correction = Correction.objects.create(article=foote_story, text=CORRECTION)
    url = reverse("admin:articles_correction_delete", args=[correction.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Correction.objects.filter(pk=correction.pk).exists()


def test_headline_with_script_end_tag_cannot_break_out_of_json_ld(client, foote_story):
    foote_story.headline = "Envoy </script><script>alert(1)</script>"
    foote_story.save()
    publish_again(foote_story)
    page = client.get(ARTICLE_URL).content.decode()
    assert "<script>alert(1)" not in page
    assert json_ld(page)["headline"] == "Envoy </script><script>alert(1)</script>"


def test_preview_link_shows_a_draft_to_someone_without_an_account_until_revoked(
    client, make_staff, foote_story
):
    workflow.reopen(workflow.unpublish(foote_story, None), None)
    editor = make_staff("Editor")
    client.force_login(editor)
    client.post(reverse("admin:articles_article_preview_link", args=[foote_story.pk]))
    link = PreviewLink.objects.get(article=foote_story)
    client.logout()
    assert client.get(ARTICLE_URL).status_code == 404
    response = client.get(link.get_absolute_url())
    assert response.status_code == 200
    assert "Preview: this article is draft" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    client.force_login(editor)
    client.post(reverse("admin:articles_article_preview_revoke", args=[foote_story.pk, link.pk]))
    client.logout()
    assert client.get(link.get_absolute_url()).status_code == 404


def test_preview_link_stops_working_when_it_expires(client, foote_story):
    link = PreviewLink.objects.create(
        article=foote_story, expires_at=timezone.now() + datetime.timedelta(minutes=1)
    )
    assert client.get(link.get_absolute_url()).status_code == 200
    PreviewLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get(link.get_absolute_url()).status_code == 404
    assert client.get("/preview/not-a-token/").status_code == 404


def test_admin_index_counts_what_waits_on_the_desk(admin_client, foote_story):
    Article.objects.create(headline="Waiting", slug="waiting", status="in_review")
    page = admin_client.get("/admin/").content.decode()
    assert re.search(r"Awaiting review</a></th><td>1</td>", page)
    queue = admin_client.get(reverse("admin:articles_reviewqueue_changelist")).content.decode()
    assert "Waiting" in queue and foote_story.headline not in queue
