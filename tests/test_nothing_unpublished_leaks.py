"""Nothing that is not published reaches any public URL, whatever the URL or query string.

Articles carrying the marker in every state but live, internal annotations on the live story,
and unpublished edits of the live story; then every public URL is read as a reader would.
"""

import datetime

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from articles.editorial import workflow
from articles.models import Annotation, Article, Topic
from people.models import Person
from tests.conftest import publish_again

MARKER = "ZX81"
FOOTE = "us-envoy-to-haiti-resigns-over-inhumane-deportations"
PUBLIC_NAMESPACES = ("articles", "people", "lists", "syndication")
NOT_FOR_READERS = {"articles:preview"}  # a capability URL, tested with its own token


def marked_article(slug, **fields):
    article = Article.objects.create(
        headline=f"{MARKER} headline {slug}",
        slug=slug,
        dek=f"{MARKER} dek",
        body=f"<p>Daniel Foote said {MARKER} words in {slug}.</p>",
        **fields,
    )
    article.topics.add(Topic.objects.get(slug="haiti"))
    text = article.plain_text
    start = text.index(MARKER)
    Annotation.objects.create(
        article=article, kind="mention", exact=MARKER, start=start, end=start + len(MARKER),
        mentioned_person=Person.objects.get(slug="daniel-foote"),
    )  # fmt: skip
    return article


@pytest.fixture
def marked(foote_story, make_staff):
    now = timezone.now()
    marked_article("zx81-draft")
    marked_article("zx81-in-review", status="in_review")
    marked_article(
        "zx81-approved-embargoed", status="approved", embargo_until=now + datetime.timedelta(days=3)
    )
    scheduled = marked_article("zx81-scheduled", status="approved")
    workflow.publish(scheduled, None, at=now + datetime.timedelta(days=1))
    gone = marked_article("zx81-unpublished", status="approved")
    workflow.unpublish(workflow.publish(gone, None), None)
    text = foote_story.plain_text
    for kind, words in (("claim", "career diplomat"), ("note", "troubled island nation")):
        start = text.index(words)
        Annotation.objects.create(
            article=foote_story, kind=kind, exact=words, start=start, end=start + len(words),
            note=f"{MARKER} internal {kind}",
        )  # fmt: skip
    Article.objects.filter(pk=foote_story.pk).update(has_unpublished_changes=True)
    publish_again(Article.objects.get(pk=foote_story.pk))
    foote = Article.objects.get(pk=foote_story.pk)
    foote.headline = f"{MARKER} unpublished edit of a live story"
    foote.dek = f"{MARKER} unpublished dek"
    foote.body = foote.body.replace("career diplomat", f"career diplomat {MARKER}")
    foote.save()
    assert foote.live and foote.has_unpublished_changes


def public_urls():
    urls = [
        "/",
        f"/articles/{FOOTE}/",
        f"/articles/{FOOTE}/annotations.jsonld",
        "/articles/",
        f"/articles/?q={MARKER}",
        f"/articles/?q={MARKER}&ordering=headline",
        "/articles/?topic=haiti",
        "/articles/?mentions=daniel-foote",
        "/articles/?quoted=daniel-foote",
        "/topics/haiti/",
        "/topics/haiti/feed.rss",
        "/topics/haiti/feed.atom",
        "/people/daniel-foote/",
        "/people/daniel-foote/feed.rss",
        "/people/daniel-foote/feed.atom",
        "/organizations/us-department-of-state/",
        "/corrections/",
        "/sources/1/",
        "/sources/2/?quote=1",
        "/feeds/latest.rss",
        "/feeds/latest.atom",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/robots.txt",
        "/api/articles/",
        f"/api/articles/?q={MARKER}",
        f"/api/articles/{FOOTE}/",
        "/api/people/",
        f"/api/people/?q={MARKER}",
        "/api/quotes/",
        "/api/quotes/?speaker=daniel-foote",
        "/api/quotes/?kind=quote",
    ]
    for state in ("draft", "in-review", "approved-embargoed", "scheduled", "unpublished"):
        urls += [
            f"/articles/zx81-{state}/",
            f"/articles/zx81-{state}/annotations.jsonld",
            f"/api/articles/zx81-{state}/",
        ]
    return urls


def test_every_public_url_is_covered_here():
    covered = {f"{ns}:{name}" for ns in PUBLIC_NAMESPACES for name in _names(ns)}
    exercised = set()
    for url in public_urls():
        match = get_resolver().resolve(url.split("?")[0])
        exercised.add(f"{match.namespace}:{match.url_name}")
    assert covered - exercised - NOT_FOR_READERS == set()


@pytest.mark.parametrize("url", public_urls())
def test_nothing_unpublished_reaches_readers(client, marked, url):
    response = client.get(url)
    assert response.status_code in (200, 404), url
    # A search form shows back what was searched for; that is the reader's own word.
    page = response.content.decode().replace(f'value="{MARKER}"', "")
    assert MARKER not in page, url


@pytest.mark.parametrize("url", ["/", f"/articles/{FOOTE}/", "/people/daniel-foote/"])
def test_pages_show_the_published_version_of_the_live_story(client, marked, url):
    page = client.get(url).content.decode()
    assert "U.S. envoy to Haiti resigns over “inhumane” deportations from Del Rio" in page


def test_staff_see_a_preview_banner_on_unpublished_articles(admin_client, marked):
    page = admin_client.get(reverse("articles:article", kwargs={"slug": "zx81-draft"}))
    assert "Preview: this article is draft and not visible to readers." in page.content.decode()
    assert f"{MARKER} headline zx81-draft" in page.content.decode()


def _names(namespace):
    resolver = get_resolver()
    return {
        name for name in resolver.namespace_dict[namespace][1].reverse_dict if isinstance(name, str)
    }
