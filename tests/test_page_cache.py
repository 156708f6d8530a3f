from django.urls import reverse

from articles.editorial import workflow
from articles.models import Correction
from tests.conftest import publish_again

ARTICLE_URL = "/articles/us-envoy-to-haiti-resigns-over-inhumane-deportations/"


def test_second_anonymous_read_is_served_from_the_cache_without_queries(
    client, foote_story, django_assert_num_queries
):
    first = client.get(ARTICLE_URL)
    with django_assert_num_queries(0):
        second = client.get(ARTICLE_URL)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == "text/html; charset=utf-8"


def test_conditional_get_answers_304_when_the_page_has_not_changed(client, foote_story):
    etag = client.get(ARTICLE_URL)["ETag"]
    assert client.get(ARTICLE_URL, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(ARTICLE_URL, headers={"If-None-Match": '"stale"'}).status_code == 200


def test_publishing_again_replaces_the_cached_page(client, foote_story):
    client.get(ARTICLE_URL)
    foote_story.headline = "Haiti envoy quits over “inhumane” deportations"
    foote_story.save()
    assert "Haiti envoy quits" not in client.get(ARTICLE_URL).content.decode()
    publish_again(foote_story)
    assert "Haiti envoy quits" in client.get(ARTICLE_URL).content.decode()


def test_a_correction_replaces_the_cached_page(client, foote_story):
    client.get(ARTICLE_URL)
    Correction.objects.create(article=foote_story, text="The bridge is the Del Rio bridge.")
    assert "The bridge is the Del Rio bridge." in client.get(ARTICLE_URL).content.decode()


def test_renaming_a_person_replaces_their_cached_page_and_the_stories_naming_them(
    client, foote_story, foote
):
    client.get("/people/daniel-foote/")
    client.get(ARTICLE_URL)
    foote.name = "Daniel L. Foote"
    foote.save()
    assert "<h1>Daniel L. Foote</h1>" in client.get("/people/daniel-foote/").content.decode()
    assert ">Daniel L. Foote</a>" in client.get(ARTICLE_URL).content.decode()


def test_unpublishing_removes_the_cached_page(client, foote_story):
    assert client.get(ARTICLE_URL).status_code == 200
    workflow.unpublish(foote_story, None)
    assert client.get(ARTICLE_URL).status_code == 404


def test_staff_are_never_served_cached_pages(admin_client, client, foote_story):
    client.get(ARTICLE_URL)
    response = admin_client.get(ARTICLE_URL)
    assert "X-Cache" not in response
    admin_client.get(reverse("admin:index"))
    assert "X-Cache" not in admin_client.get(reverse("admin:index"))


def test_not_found_and_preview_pages_are_not_cached(client, foote_story):
    client.get("/articles/nothing-here/")
    assert "X-Cache" not in client.get("/articles/nothing-here/")
    client.get("/preview/some-token/")
    assert "X-Cache" not in client.get("/preview/some-token/")
