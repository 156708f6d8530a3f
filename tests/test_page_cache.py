import pytest
from django.urls import reverse

from articles.editorial import workflow
from articles.models import Correction
from articles.site.filters import ArticleFilter, PersonFilter, QuoteFilter
from newsroom import caching
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


class RecordingCache:
    """The cache, noting the key of every page stored in it."""

    def __init__(self, cache):
        self.cache, self.pages = cache, []

    def set(self, key, *args, **kwargs):
        self.pages.append(key)
        return self.cache.set(key, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.cache, name)


@pytest.fixture
def stored_pages(monkeypatch):
    recording = RecordingCache(caching.cache)
    monkeypatch.setattr(caching, "cache", recording)
    return recording.pages


def test_the_parameters_that_make_a_page_of_their_own_are_the_filters_and_page():
    assert caching.known_query_parameters() == {
        *ArticleFilter.base_filters,
        *QuoteFilter.base_filters,
        *PersonFilter.base_filters,
        "page",
    }
    assert caching.known_query_parameters() == {
        *("q", "quoted", "mentions", "topic", "source_kind", "published_after"),
        *("published_before", "ordering", "page", "speaker", "kind"),
    }


def test_passage_numbers_fill_no_cache(client, foote_story, stored_pages):
    for number in range(50):
        client.get(f"/?quote={number}zz")
        client.get(f"/sources/1/?quote={number}")
    assert stored_pages == []


def test_junk_query_strings_add_no_page_to_the_cache(client, foote_story, stored_pages):
    for number in range(200):
        response = client.get(f"/?x={number}")
        assert response.status_code == 200
        assert "X-Cache" not in response
    for url in ("/articles/?q=Haiti&utm_source=mail", f"{ARTICLE_URL}?working=1"):
        client.get(url)
        assert "X-Cache" not in client.get(url)
    assert stored_pages == []


def test_a_query_string_that_reads_the_same_is_the_same_page(client, foote_story, stored_pages):
    client.get("/articles/?q=Haiti")
    for same in ("/articles/?q=%48aiti", "/articles/?&q=Haiti&"):
        assert client.get(same)["X-Cache"] == "hit"
    client.get("/")
    assert client.get("/?")["X-Cache"] == "hit"
    assert len(stored_pages) == 2


@pytest.mark.parametrize(
    ("url", "shown", "not_shown"),
    [
        ("/articles/?q=Haiti", "resigns over", "No articles"),
        ("/articles/?q=Zanzibar", "No articles", "resigns over"),
        ("/articles/?quoted=daniel-foote&ordering=oldest&page=1", "resigns over", "No articles"),
        ("/api/quotes/?speaker=daniel-foote&kind=quote", '"count": ', '"count": 0'),
        ("/api/people/?q=Foote", '"daniel-foote', '"count": 0'),
    ],
)
def test_known_filters_are_cached_and_each_answers_its_own_query(
    client, foote_story, stored_pages, url, shown, not_shown
):
    first = client.get(url)
    second = client.get(url)
    assert (first.status_code, "X-Cache" in first, second["X-Cache"]) == (200, False, "hit")
    assert second.content == first.content
    assert shown in second.content.decode()
    assert not_shown not in second.content.decode()
    assert len(stored_pages) == 1
