import json
import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from articles.editorial import workflow
from articles.models import Article

ARTICLE_URL = "/articles/us-envoy-to-haiti-resigns-over-inhumane-deportations/"


class LinkCollector(HTMLParser):
    """The links of a page as (href, title, text), the way a reader meets them."""

    def __init__(self):
        super().__init__()
        self.links, self._open = [], []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open.append([dict(attrs), ""])

    def handle_data(self, data):
        for link in self._open:
            link[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            attrs, text = self._open.pop()
            self.links.append((attrs.get("href"), attrs.get("title"), text))


def links_of(response):
    collector = LinkCollector()
    collector.feed(response.content.decode())
    return collector.links


def test_foote_article_links_inhumane_to_daniel_foote_with_his_position_then(
    client, foote_story, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = client.get(ARTICLE_URL)
    assert response.status_code == 200
    assert (
        "/people/daniel-foote/",
        "Daniel Foote, U.S. Special Envoy for Haiti",
        "inhumane",
    ) in links_of(response)
    page = response.content.decode()
    assert "U.S. envoy to Haiti resigns over “inhumane” deportations from Del Rio" in page
    assert "Who is quoted" in page
    assert "Daniel Foote’s resignation letter to Secretary of State Antony Blinken" in page


def test_foote_article_lists_sources_with_the_reason_for_anonymity(client, foote_story):
    page = client.get(ARTICLE_URL).content.decode()
    assert "Sources within the Biden Administration" in page
    assert "Why we granted anonymity: The officials were not authorised" in page
    assert "Associated Press report on Daniel Foote’s frustration" in page


def test_claims_and_notes_never_reach_readers(client, foote_story):
    page = client.get(ARTICLE_URL).content.decode()
    assert "Copy edit" not in page
    assert "annotation--claim" not in page
    assert "annotation--note" not in page
    assert "Check the encampment" not in page


def test_mentions_link_to_people_and_organisation_pages(client, foote_story):
    links = links_of(client.get(ARTICLE_URL))
    assert ("/people/antony-blinken/", "Antony Blinken", "Antony Blinken") in links
    assert ("/organizations/pbs/", "PBS", "PBS") in links


def test_person_page_shows_positions_and_quotes_in_published_articles(
    client, foote_story, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = client.get("/people/daniel-foote/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "U.S. Special Envoy for Haiti" in page
    assert "22 July 2021 – 22 September 2021" in page
    assert "(resigned)" in page
    assert "U.S. Ambassador to Zambia" in page
    assert "November 2017 – January 2020" in page
    assert "<mark>inhumane</mark>" in page
    quote = foote_story.annotations.get(kind="quote")
    assert f"{ARTICLE_URL}#annotation-{quote.pk}" in page


def test_person_page_hides_quotes_of_unpublished_articles(client, foote_story):
    workflow.unpublish(foote_story, None)
    # No published story shows him any more: his page is gone, as if he had never been named.
    assert client.get("/people/daniel-foote/").status_code == 404


def test_organization_page_lists_its_people(client, foote_story, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get("/organizations/us-department-of-state/")
    page = response.content.decode()
    assert "Antony Blinken" in page
    assert "U.S. Secretary of State" in page


def test_home_lists_the_foote_story(client, foote_story):
    page = client.get("/").content.decode()
    assert ARTICLE_URL in page


@pytest.mark.parametrize(
    "url", ["/articles/no-such-story/", "/people/nobody/", "/organizations/nothing/"]
)
def test_unknown_slugs_answer_404_in_the_sites_look(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_draft_is_invisible_to_readers_and_previewed_for_staff(client, admin_client, db):
    Article.objects.create(headline="Draft ZX81 marker", slug="draft-zx81", body="<p>x</p>")
    assert client.get("/articles/draft-zx81/").status_code == 404
    assert "Draft ZX81 marker" not in client.get("/").content.decode()
    preview = admin_client.get("/articles/draft-zx81/").content.decode()
    assert "Preview: this article is draft and not visible to readers." in preview


def test_article_scheduled_in_the_future_is_not_live(client, foote_story):
    workflow.unpublish(foote_story, None)
    for step in (workflow.reopen, workflow.submit, workflow.approve):
        step(foote_story, None)
    workflow.publish(foote_story, None, at=timezone.now() + timezone.timedelta(days=1))
    assert client.get(ARTICLE_URL).status_code == 404


def test_article_json_ld_names_authors_publisher_people_and_sources(client, foote_story):
    page = client.get(ARTICLE_URL).content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1)
    )
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == foote_story.headline
    assert data["datePublished"].startswith("2021-09-23")
    assert data["author"] == [
        {"@type": "Person", "name": "Newsroom Staff",
         "url": "http://testserver/people/newsroom-staff/"}
    ]  # fmt: skip
    assert data["publisher"]["name"] == "Newsroom"
    assert {"@type": "Person", "name": "Daniel Foote",
            "url": "http://testserver/people/daniel-foote/"} in data["mentions"]  # fmt: skip
    assert "Daniel Foote’s resignation letter to Secretary of State Antony Blinken" in [
        citation["name"] for citation in data["citation"]
    ]


def test_article_has_open_graph_and_twitter_cards(client, foote_story):
    page = client.get(ARTICLE_URL).content.decode()
    assert f'<meta property="og:title" content="{foote_story.headline}">' in page
    assert f'<meta property="og:url" content="http://testserver{ARTICLE_URL}">' in page
    assert '<meta name="twitter:card" content="summary">' in page
    assert f'<link rel="canonical" href="http://testserver{ARTICLE_URL}">' in page


def test_person_page_shows_each_quote_in_its_context(client, foote_story):
    page = client.get("/people/daniel-foote/").content.decode()
    assert "over what he called the “</span><mark>inhumane</mark>" in page


def test_organization_page_lists_what_it_said(client, foote_story):
    page = client.get("/organizations/associated-press/").content.decode()
    assert "Quoted or paraphrased" in page
    assert "<mark>Foote’s frustration with the White House" in page
