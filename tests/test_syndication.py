import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from articles.editorial import workflow
from articles.models import Annotation, Article, PublishedArticle, Topic
from articles.site import feeds
from people.models import Person
from tests.conftest import publish_again

ARTICLE_URL = "/articles/us-envoy-to-haiti-resigns-over-inhumane-deportations/"
HEADLINE = "U.S. envoy to Haiti resigns over “inhumane” deportations from Del Rio"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"

FEEDS = [
    "/feeds/latest.rss",
    "/feeds/latest.atom",
    "/people/daniel-foote/feed.rss",
    "/people/daniel-foote/feed.atom",
    "/topics/haiti/feed.rss",
    "/topics/haiti/feed.atom",
]
SITEMAPS = ["/sitemap.xml", "/sitemap-news.xml"]
EVERYWHERE = FEEDS + SITEMAPS


@pytest.fixture
def fresh_foote_story(foote_story) -> Article:
    """The Foote story as if first published an hour ago, so the news sitemap carries it."""
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    for model in (Article, PublishedArticle):
        model.objects.filter(pk=foote_story.pk).update(
            first_published_at=an_hour_ago, published_at=an_hour_ago
        )
    foote_story.refresh_from_db()
    return foote_story


def xml_of(response) -> ET.Element:
    assert response.status_code == 200, response.content[:300]
    return ET.fromstring(response.content)


def text_of(response) -> str:
    """Every piece of text and every attribute of the document, parsed as XML."""
    root = xml_of(response)
    attributes = (value for element in root.iter() for value in element.attrib.values())
    return " ".join([*root.itertext(), *attributes])


def article_story(headline: str, body_words: str, slug: str) -> Article:
    return Article.objects.create(headline=headline, slug=slug, body=f"<p>{body_words}</p>")


def mention(article: Article, words: str, **subject) -> Annotation:
    start = article.plain_text.index(words)
    return Annotation.objects.create(
        article=article, kind="mention", exact=words, start=start, end=start + len(words), **subject
    )


@pytest.mark.parametrize("url", FEEDS)
def test_every_feed_carries_the_foote_story_under_its_published_headline(client, foote_story, url):
    text = text_of(client.get(url))
    assert HEADLINE in text
    assert f"http://testserver{ARTICLE_URL}" in text


def test_rss_item_has_dates_byline_and_topics_of_the_published_story(client, foote_story):
    item = xml_of(client.get("/feeds/latest.rss")).find("channel/item")
    assert item.findtext("title") == HEADLINE
    assert item.findtext("link") == f"http://testserver{ARTICLE_URL}"
    assert item.findtext("pubDate") == "Thu, 23 Sep 2021 14:00:00 +0000"
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Newsroom Staff"
    assert [category.text for category in item.findall("category")] == ["Haiti", "Immigration"]
    assert item.findtext("description").startswith("Daniel Foote, appointed special envoy")


def test_atom_entry_has_published_and_updated_dates(client, foote_story):
    atom = "{http://www.w3.org/2005/Atom}"
    entry = xml_of(client.get("/feeds/latest.atom")).find(f"{atom}entry")
    assert entry.findtext(f"{atom}published") == "2021-09-23T14:00:00+00:00"
    assert entry.findtext(f"{atom}updated") == "2021-09-23T14:00:00+00:00"
    assert entry.findtext(f"{atom}author/{atom}name") == "Newsroom Staff"


def test_sitemap_lists_the_story_and_the_people_organisations_and_topics_it_shows(
    client, foote_story
):
    sitemap = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    root = xml_of(client.get("/sitemap.xml"))
    lastmod = {
        url.findtext(f"{sitemap}loc"): url.findtext(f"{sitemap}lastmod")
        for url in root.findall(f"{sitemap}url")
    }
    assert lastmod[f"http://testserver{ARTICLE_URL}"] == "2021-09-23T14:00:00+00:00"
    for path in [
        "/people/daniel-foote/",  # quoted
        "/people/antony-blinken/",  # mentioned
        "/people/newsroom-staff/",  # the byline
        "/organizations/pbs/",
        "/topics/haiti/",
        "/topics/immigration/",
    ]:
        assert f"http://testserver{path}" in lastmod
        assert lastmod[f"http://testserver{path}"]


def test_news_sitemap_gives_the_story_in_google_news_format(client, fresh_foote_story):
    root = xml_of(client.get("/sitemap-news.xml"))
    (news,) = root.iter(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Newsroom"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}title") == HEADLINE
    published = datetime.datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
    assert published == fresh_foote_story.first_published_at.replace(microsecond=0)
    assert f"http://testserver{ARTICLE_URL}" in text_of(client.get("/sitemap-news.xml"))


def test_news_sitemap_omits_stories_published_more_than_two_days_ago(client, foote_story):
    three_days_ago = timezone.now() - datetime.timedelta(days=3)
    for model in (Article, PublishedArticle):
        model.objects.filter(pk=foote_story.pk).update(
            first_published_at=three_days_ago, published_at=three_days_ago
        )
    response = client.get("/sitemap-news.xml")
    assert next(xml_of(response).iter(f"{NEWS}news"), None) is None
    assert ARTICLE_URL not in response.content.decode()
    assert ARTICLE_URL in client.get("/sitemap.xml").content.decode()


def test_a_draft_appears_in_no_feed_and_no_sitemap(client, fresh_foote_story, foote):
    stranger = Person.objects.create(name="ZX81 Stranger", slug="zx81-stranger")
    draft = article_story(
        "ZX81-DRAFT envoy story", "ZX81-DRAFT Daniel Foote met ZX81 Stranger.", "zx81-draft"
    )
    draft.topics.add(Topic.objects.get(slug="haiti"))
    draft.bylines.add(stranger)
    mention(draft, "Daniel Foote", mentioned_person=foote)
    mention(draft, "ZX81 Stranger", mentioned_person=stranger)
    assert draft.status == Article.Status.DRAFT and not draft.live

    for url in EVERYWHERE:
        page = client.get(url).content.decode()
        assert "ZX81" not in page, url
        assert "zx81" not in page, url
    # Known only to a draft, the stranger has no public page or feed: as if never named.
    assert client.get("/people/zx81-stranger/feed.rss").status_code == 404
    assert client.get("/people/zx81-stranger/").status_code == 404


def test_a_topic_only_drafts_are_filed_under_has_no_feed(client, foote_story):
    secret = Topic.objects.create(name="ZX81 Merger", slug="zx81-merger")
    article_story("ZX81-DRAFT merger", "ZX81-DRAFT body.", "zx81-merger-draft").topics.add(secret)
    assert client.get("/topics/zx81-merger/feed.rss").status_code == 404
    assert client.get("/topics/zx81-merger/feed.atom").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/people/nobody/feed.rss",
        "/people/nobody/feed.atom",
        "/topics/nothing/feed.rss",
        "/topics/nothing/feed.atom",
    ],
)
def test_feeds_of_unknown_people_and_topics_answer_404(client, foote_story, url):
    assert client.get(url).status_code == 404


def test_an_unpublished_edit_of_a_live_story_shows_its_published_headline_everywhere(
    client, fresh_foote_story
):
    fresh_foote_story.headline = "ZX81-UNPUBLISHED-EDIT"
    fresh_foote_story.save()
    assert PublishedArticle.objects.filter(pk=fresh_foote_story.pk).exists()

    for url in FEEDS + ["/sitemap-news.xml"]:
        response = client.get(url)
        assert HEADLINE in text_of(response), url
        assert "ZX81-UNPUBLISHED-EDIT" not in response.content.decode(), url


def test_topics_and_mentions_added_after_publication_wait_for_the_next_publication(
    client, foote_story, foote, django_capture_on_commit_callbacks
):
    newcomer = Person.objects.create(name="ZX81 Newcomer", slug="zx81-newcomer")
    with django_capture_on_commit_callbacks(execute=True):
        story = article_story("ZX81-LIVE border story", "Words on the border.", "zx81-live")
        story = publish_again(story)
    story.body = "<p>Words on the border from Daniel Foote and ZX81 Newcomer.</p>"
    story.save()
    story.topics.add(Topic.objects.get(slug="haiti"))
    mention(story, "Daniel Foote", mentioned_person=foote)
    mention(story, "ZX81 Newcomer", mentioned_person=newcomer)

    assert "ZX81-LIVE" in client.get("/feeds/latest.rss").content.decode()
    for url in ["/topics/haiti/feed.rss", "/people/daniel-foote/feed.atom"]:
        assert "ZX81-LIVE" not in client.get(url).content.decode(), url
    assert "zx81-newcomer" not in client.get("/sitemap.xml").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        publish_again(story)
    for url in ["/topics/haiti/feed.rss", "/people/daniel-foote/feed.atom"]:
        assert "ZX81-LIVE" in client.get(url).content.decode(), url
    assert "/people/zx81-newcomer/" in client.get("/sitemap.xml").content.decode()


def test_a_topic_taken_off_the_working_copy_keeps_the_story_in_its_feed_until_published(
    client, foote_story
):
    foote_story.topics.remove(Topic.objects.get(slug="haiti"))
    assert HEADLINE in text_of(client.get("/topics/haiti/feed.atom"))
    assert "/topics/haiti/" in client.get("/sitemap.xml").content.decode()


def test_unpublishing_takes_the_story_out_of_every_feed_and_sitemap(
    client, fresh_foote_story, django_capture_on_commit_callbacks
):
    for url in EVERYWHERE:
        assert ARTICLE_URL in client.get(url).content.decode(), url

    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(fresh_foote_story, None)

    for url in FEEDS[:2] + SITEMAPS:
        response = client.get(url)
        xml_of(response)
        assert ARTICLE_URL not in response.content.decode(), url
        assert HEADLINE not in response.content.decode(), url
    assert "/people/daniel-foote/" not in client.get("/sitemap.xml").content.decode()
    # No published story shows Foote or the topic any more: their feeds are gone with them.
    for url in FEEDS[2:]:
        assert client.get(url).status_code == 404, url
    assert client.get("/topics/haiti/feed.rss").status_code == 404


def test_robots_txt_allows_all_but_admin_and_previews_and_names_both_sitemaps(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[:4] == ["User-agent: *", "Allow: /", "Disallow: /admin/", "Disallow: /preview/"]
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines


def test_robots_txt_names_sitemaps_on_the_host_and_scheme_asked(client, db, settings):
    settings.ALLOWED_HOSTS = ["news.example.org"]
    response = client.get("/robots.txt", headers={"host": "news.example.org"}, secure=True)
    assert "Sitemap: https://news.example.org/sitemap.xml" in response.content.decode()


@pytest.fixture
def more_published_stories(foote_story, foote, django_capture_on_commit_callbacks):
    """Three more live stories quoting nobody but mentioning Foote, filed under Haiti."""
    haiti = Topic.objects.get(slug="haiti")
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            story = article_story(
                f"Story {number} on Daniel Foote", "More on Daniel Foote.", f"story-{number}"
            )
            story.topics.add(haiti)
            story.bylines.add(foote)
            mention(story, "Daniel Foote", mentioned_person=foote)
            publish_again(story)


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/feeds/latest.rss", 3),
        ("/feeds/latest.atom", 3),
        ("/people/daniel-foote/feed.rss", 4),
        ("/people/daniel-foote/feed.atom", 4),
        ("/topics/haiti/feed.rss", 4),
        ("/topics/haiti/feed.atom", 4),
        ("/sitemap.xml", 9),
        ("/sitemap-news.xml", 1),
        ("/robots.txt", 0),
    ],
)
def test_feeds_and_sitemaps_cost_a_fixed_number_of_queries(
    client, more_published_stories, django_assert_max_num_queries, url, budget
):
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    if url.endswith((".rss", ".atom")):
        assert text_of(response).count("Story ") == 3


@pytest.mark.parametrize(
    "url", ["/feeds/latest.rss", "/people/daniel-foote/feed.rss", "/topics/haiti/feed.rss"]
)
def test_feeds_hold_only_the_newest_stories_up_to_their_limit(
    client, more_published_stories, monkeypatch, url
):
    monkeypatch.setattr(feeds, "ITEMS", 2)
    titles = [item.findtext("title") for item in xml_of(client.get(url)).iter("item")]
    assert titles == ["Story 2 on Daniel Foote", "Story 1 on Daniel Foote"]
