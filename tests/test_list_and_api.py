"""The article list and search, topic pages and the JSON API: only what readers may see."""

import datetime

import pytest

from articles.editorial import workflow
from articles.models import Annotation, Article, Source, Topic
from people.models import Person
from tests.conftest import FOOTE_SLUG, publish_again

ARTICLE_URL = f"/articles/{FOOTE_SLUG}/"
HEADLINE = "U.S. envoy to Haiti resigns over “inhumane” deportations from Del Rio"
LETTER = "Daniel Foote’s resignation letter to Secretary of State Antony Blinken"


def annotate(article, kind, exact, **links) -> Annotation:
    start = article.plain_text.index(exact)
    return Annotation.objects.create(
        article=article, kind=kind, exact=exact, start=start, end=start + len(exact), **links
    )


def story_publish(headline, slug, at, topics=(), quoted=None) -> Article:
    """A published story; given ``quoted``, it quotes that person from Foote's letter."""
    article = Article.objects.create(
        headline=headline, slug=slug, body=f"<p>{headline}, in words of its own.</p>"
    )
    article.topics.set(Topic.objects.filter(slug__in=topics))
    if quoted:
        annotate(
            article,
            "quote",
            "words of its own",
            speaker=Person.objects.get(slug=quoted),
            source=Source.objects.get(kind=Source.Kind.DOCUMENT),
        )
    for step in (workflow.submit, workflow.approve):
        article = step(article, None)
    return workflow.publish(article, None, at=at)


def found_slugs(client, query) -> list[str]:
    response = client.get(f"/api/articles/?{query}")
    assert response.status_code == 200, response.json()
    return [article["slug"] for article in response.json()["results"]]


@pytest.fixture
def unpublished(foote_story):
    """A draft and a scheduled story marked ZX81, under Haiti, quoting Foote, naming Zelda."""
    foote = Person.objects.get(slug="daniel-foote")
    zelda = Person.objects.create(name="Zelda Zx81", slug="zelda-zx81")
    anonymous = Source.objects.get(kind=Source.Kind.ANONYMOUS)
    haiti = Topic.objects.get(slug="haiti")
    articles = []
    for marker in ("ZX81-DRAFT", "ZX81-SCHEDULED"):
        article = Article.objects.create(
            headline=f"{marker} headline",
            slug=marker.lower(),
            dek=f"{marker} dek",
            body=f"<p>Daniel Foote told Zelda Zx81 of {marker} words.</p>",
        )
        article.topics.set([haiti])
        annotate(article, "quote", f"{marker} words", speaker=foote, source=anonymous)
        annotate(article, "mention", "Zelda Zx81", mentioned_person=zelda)
        articles.append(article)
    scheduled = articles[1]
    for step in (workflow.submit, workflow.approve):
        scheduled = step(scheduled, None)
    in_a_day = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=1)
    workflow.publish(scheduled, None, at=in_a_day)
    return articles


# Search and filters


def test_search_for_inhumane_finds_the_foote_story(client, foote_story):
    response = client.get("/articles/?q=inhumane")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="{ARTICLE_URL}"' in page
    assert HEADLINE in page
    assert "1 article matches" in page
    assert "23 September 2021" in page


def test_search_matches_the_dek_and_the_text_whatever_the_case(client, foote_story):
    assert found_slugs(client, "q=BLINKEN") == [FOOTE_SLUG]
    assert found_slugs(client, "q=encampment") == [FOOTE_SLUG]


def test_search_needs_every_word(client, foote_story):
    assert found_slugs(client, "q=inhumane+Haitians") == [FOOTE_SLUG]
    assert found_slugs(client, "q=inhumane+aardvark") == []


def test_search_that_finds_nothing_says_so(client, foote_story):
    page = client.get("/articles/?q=aardvark").content.decode()
    assert "No articles match your search." in page
    assert "0 articles match" in page


@pytest.mark.parametrize(
    "query, finds_foote",
    [
        ("quoted=daniel-foote", True),
        ("quoted=antony-blinken", False),
        ("mentions=antony-blinken", True),
        ("mentions=pbs", True),
        ("mentions=zelda-zx81", False),
        ("topic=haiti", True),
        ("topic=immigration", True),
        ("source_kind=anonymous", True),
        ("source_kind=document", True),
        ("source_kind=interview", False),
        ("published_after=2021-09-23", True),
        ("published_after=2021-09-24", False),
        ("published_before=2021-09-23", True),
        ("published_before=2021-09-22", False),
        ("published_after=2021-09-01&published_before=2021-09-30", True),
        ("q=inhumane&quoted=daniel-foote&topic=haiti&source_kind=anonymous", True),
    ],
)
def test_each_filter_finds_the_foote_story_or_not(client, foote_story, query, finds_foote):
    assert found_slugs(client, query) == ([FOOTE_SLUG] if finds_foote else [])
    page = client.get(f"/articles/?{query}").content.decode()
    assert (f'href="{ARTICLE_URL}"' in page) is finds_foote


def test_ordering_by_newest_oldest_and_headline(client, foote_story):
    story_publish(
        "Aardvarks at the border", "aardvarks", datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    story_publish(
        "Mongooses in Haiti", "mongooses", datetime.datetime(2022, 1, 1, tzinfo=datetime.UTC)
    )
    assert found_slugs(client, "") == ["mongooses", FOOTE_SLUG, "aardvarks"]
    assert found_slugs(client, "ordering=newest") == ["mongooses", FOOTE_SLUG, "aardvarks"]
    assert found_slugs(client, "ordering=oldest") == ["aardvarks", FOOTE_SLUG, "mongooses"]
    assert found_slugs(client, "ordering=headline") == ["aardvarks", "mongooses", FOOTE_SLUG]


def test_search_form_is_labelled_and_keeps_what_was_asked(client, foote_story):
    page = client.get("/articles/?q=inhumane&topic=haiti").content.decode()
    assert 'role="search"' in page
    assert 'method="get"' in page
    for name in ("q", "quoted", "mentions", "topic", "source_kind", "published_after"):
        assert f'<label for="id_{name}">' in page
    assert 'value="inhumane"' in page
    assert '<option value="haiti" selected>Haiti</option>' in page


# Invalid input


@pytest.mark.parametrize(
    "query, field, message",
    [
        ("published_after=2021-13-45", "published_after", "Enter a valid date."),
        ("published_before=yesterday", "published_before", "Enter a valid date."),
        ("source_kind=rumour", "source_kind", "Select a valid choice."),
        ("topic=no-such-topic", "topic", "Select a valid choice."),
        ("quoted=Daniel+Foote", "quoted", "Enter a valid “slug”"),
        ("ordering=random", "ordering", "Select a valid choice."),
    ],
)
def test_invalid_filter_shows_the_error_beside_its_field(
    client, foote_story, query, field, message
):
    response = client.get(f"/articles/?q=inhumane&{query}")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<p class="field-error" id="id_{field}_error">{message}' in page
    assert 'aria-invalid="true"' in page
    assert (
        f'aria-describedby="id_{field}_error"' in page
        or f"id_{field}_helptext id_{field}_error" in page
    )
    assert "Check your search" in page
    assert f'href="{ARTICLE_URL}"' not in page


@pytest.mark.parametrize(
    "url, field",
    [
        ("/api/articles/?published_after=2021-13-45", "published_after"),
        ("/api/articles/?topic=no-such-topic", "topic"),
        ("/api/articles/?mentions=not+a+slug", "mentions"),
        ("/api/quotes/?kind=claim", "kind"),
        ("/api/quotes/?source_kind=rumour", "source_kind"),
        ("/api/quotes/?speaker=Daniel+Foote", "speaker"),
    ],
)
def test_api_answers_400_with_the_errors_of_invalid_filters(client, foote_story, url, field):
    response = client.get(url)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert errors[field] and all(isinstance(message, str) for message in errors[field])


# Topic pages


def test_topic_page_lists_its_published_articles(client, foote_story):
    Topic.objects.filter(slug="haiti").update(description="News from and about Haiti.")
    response = client.get("/topics/haiti/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Haiti</h1>" in page
    assert "News from and about Haiti." in page
    assert f'href="{ARTICLE_URL}"' in page
    assert HEADLINE in page


def test_topic_page_lists_newest_first(client, foote_story):
    story_publish(
        "Later news", "later", datetime.datetime(2022, 1, 1, tzinfo=datetime.UTC), ["haiti"]
    )
    page = client.get("/topics/haiti/").content.decode()
    assert page.index("/articles/later/") < page.index(ARTICLE_URL)


def test_unknown_topic_answers_404(client, db):
    response = client.get("/topics/no-such-topic/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# The JSON API


def test_api_lists_published_articles_with_absolute_urls(client, foote_story):
    data = client.get("/api/articles/").json()
    assert data["count"] == 1
    assert data["next"] is None and data["previous"] is None
    (article,) = data["results"]
    assert article["headline"] == HEADLINE
    assert article["dek"].startswith("Daniel Foote, appointed special envoy in July")
    assert article["url"] == f"http://testserver{ARTICLE_URL}"
    assert article["first_published_at"] == "2021-09-23T14:00:00+00:00"
    assert article["published_at"] == "2021-09-23T14:00:00+00:00"
    assert article["bylines"] == [
        {"name": "Newsroom Staff", "url": "http://testserver/people/newsroom-staff/"}
    ]
    assert {"name": "Haiti", "slug": "haiti", "url": "http://testserver/topics/haiti/"} in (
        article["topics"]
    )


def test_api_article_adds_body_quotes_and_sources(client, foote_story):
    response = client.get(f"/api/articles/{FOOTE_SLUG}/")
    article = response.json()
    assert response.status_code == 200
    assert article["headline"] == HEADLINE
    assert "inhumane" in article["body_html"]
    inhumane = next(quote for quote in article["quotes"] if quote["exact"] == "inhumane")
    assert inhumane["speaker"] == {
        "name": "Daniel Foote",
        "url": "http://testserver/people/daniel-foote/",
    }
    assert inhumane["position"] == "U.S. Special Envoy for Haiti"
    assert inhumane["source"]["title"] == LETTER
    anonymous = next(source for source in article["sources"] if source["anonymous"])
    assert anonymous["title"] == "Sources within the Biden Administration"
    assert anonymous["justification"].startswith("The officials were not authorised")
    assert "Copy edit" not in response.content.decode()
    assert "Check the encampment" not in response.content.decode()


def test_api_article_unknown_slug_answers_404_in_json(client, db):
    response = client.get("/api/articles/no-such-story/")
    assert response.status_code == 404
    assert response.json() == {"errors": {"slug": ["No published article has this slug."]}}


def test_api_quotes_of_daniel_foote_give_his_position_and_source(client, foote_story):
    data = client.get("/api/quotes/?speaker=daniel-foote").json()
    assert data["count"] == 2
    inhumane = next(quote for quote in data["results"] if quote["exact"] == "inhumane")
    assert inhumane["kind"] == "quote"
    assert inhumane["speaker"]["name"] == "Daniel Foote"
    assert inhumane["position"] == "U.S. Special Envoy for Haiti"
    assert inhumane["organization"] == "U.S. Department of State"
    assert inhumane["source"]["title"] == LETTER
    assert inhumane["article"] == {"headline": HEADLINE, "url": f"http://testserver{ARTICLE_URL}"}
    assert inhumane["url"] == f"http://testserver{ARTICLE_URL}#annotation-{inhumane['id']}"


def test_api_quotes_filter_by_kind_and_source_kind(client, foote_story):
    quotes = client.get("/api/quotes/?speaker=daniel-foote&kind=quote").json()["results"]
    assert [quote["exact"] for quote in quotes] == ["inhumane"]
    anonymous = client.get("/api/quotes/?source_kind=anonymous").json()["results"]
    assert [quote["speaker"]["name"] for quote in anonymous] == [
        "Sources within the Biden Administration"
    ]
    assert anonymous[0]["source"]["kind_label"] == "Anonymous"


def test_api_quotes_hold_no_claims_mentions_or_notes(client, foote_story):
    response = client.get("/api/quotes/")
    assert {quote["kind"] for quote in response.json()["results"]} == {"quote", "paraphrase"}
    body = response.content.decode()
    assert "Check the encampment" not in body
    assert "Copy edit" not in body


def test_api_people_finds_people_by_name_or_alias(client, foote_story):
    (person,) = client.get("/api/people/?q=Dan+Foote").json()["results"]
    assert person == {
        "name": "Daniel Foote",
        "slug": "daniel-foote",
        "url": "http://testserver/people/daniel-foote/",
        "bio": "Career American diplomat; U.S. Special Envoy for Haiti in 2021.",
        "aliases": ["Foote", "Dan Foote"],
    }
    names = [person["name"] for person in client.get("/api/people/").json()["results"]]
    assert "Antony Blinken" in names
    assert "Newsroom Staff" in names


def test_api_people_leaves_out_people_no_published_story_shows(client, foote_story):
    Person.objects.create(name="Nobody Yet", slug="nobody-yet")
    assert client.get("/api/people/?q=Nobody").json()["count"] == 0


def test_api_refuses_writes(client, foote_story):
    assert client.post("/api/articles/").status_code == 405
    assert client.post("/articles/").status_code == 405


# Nothing unpublished leaks

LEAK_URLS = [
    "/articles/",
    "/articles/?q=ZX81",
    "/articles/?quoted=daniel-foote",
    "/articles/?mentions=daniel-foote",
    "/articles/?topic=haiti",
    "/articles/?source_kind=anonymous",
    "/topics/haiti/",
    "/api/articles/",
    "/api/articles/?q=ZX81",
    "/api/articles/?topic=haiti",
    "/api/quotes/",
    "/api/quotes/?source_kind=anonymous",
    "/api/people/",
    "/api/people/?q=Zelda",
]


@pytest.mark.parametrize("url", LEAK_URLS)
def test_drafts_and_scheduled_stories_appear_in_no_list(client, unpublished, url):
    response = client.get(url)
    shown = response.content.decode().split('<section class="results"')[-1]
    assert response.status_code == 200
    assert "zx81" not in shown.lower()


def test_searching_a_drafts_marker_finds_nothing(client, unpublished):
    assert (
        "No articles match your search." in client.get("/articles/?q=ZX81-DRAFT").content.decode()
    )
    assert client.get("/api/articles/?q=ZX81-DRAFT").json()["count"] == 0
    assert client.get("/api/articles/?q=ZX81-SCHEDULED").json()["count"] == 0
    assert client.get("/api/quotes/?speaker=daniel-foote").json()["count"] == 2
    assert found_slugs(client, "quoted=daniel-foote") == [FOOTE_SLUG]
    assert found_slugs(client, "mentions=zelda-zx81") == []


@pytest.mark.parametrize("slug", ["zx81-draft", "zx81-scheduled"])
def test_api_has_no_page_for_an_unpublished_story(client, unpublished, slug):
    assert client.get(f"/api/articles/{slug}/").status_code == 404


@pytest.fixture
def edited_after_publishing(foote_story):
    """The Foote story, live, with edits to its working copy that nobody has published yet."""
    article = Article.objects.get(pk=foote_story.pk)
    article.headline = "ZX81-UNPUBLISHED-EDIT"
    article.dek = "ZX81-UNPUBLISHED-EDIT dek"
    article.body += "<p>Antony Blinken said ZX81-UNPUBLISHED-EDIT words.</p>"
    article.save()
    article.topics.add(Topic.objects.create(name="Zx81 topic", slug="zx81-topic"))
    annotate(
        article,
        "quote",
        "ZX81-UNPUBLISHED-EDIT words",
        speaker=Person.objects.get(slug="antony-blinken"),
        source=Source.objects.filter(kind=Source.Kind.DOCUMENT).first(),
    )
    return article


@pytest.mark.parametrize(
    "url",
    [
        "/articles/",
        "/topics/haiti/",
        "/api/articles/",
        f"/api/articles/{FOOTE_SLUG}/",
        "/api/quotes/",
    ],
)
def test_unpublished_edits_of_a_live_story_are_never_shown(client, edited_after_publishing, url):
    body = client.get(url).content.decode()
    assert "ZX81" not in body
    assert HEADLINE in body


def test_unpublished_edits_of_a_live_story_are_never_searched(client, edited_after_publishing):
    assert "No articles match" in client.get("/articles/?q=ZX81-UNPUBLISHED-EDIT").content.decode()
    assert found_slugs(client, "q=ZX81-UNPUBLISHED-EDIT") == []
    assert found_slugs(client, "quoted=antony-blinken") == []
    # A topic only the working copy uses is as unknown as one that never existed.
    unknown = client.get("/api/articles/?topic=no-such-topic")
    hidden = client.get("/api/articles/?topic=zx81-topic")
    assert hidden.status_code == unknown.status_code == 400
    assert hidden.json() == unknown.json()
    assert client.get("/topics/zx81-topic/").status_code == 404
    assert client.get("/api/quotes/?speaker=antony-blinken").json()["count"] == 0


def test_edits_are_found_once_published_again(client, edited_after_publishing):
    publish_again(edited_after_publishing)
    assert found_slugs(client, "q=ZX81-UNPUBLISHED-EDIT") == [FOOTE_SLUG]
    assert found_slugs(client, "quoted=antony-blinken") == [FOOTE_SLUG]
    assert found_slugs(client, "topic=zx81-topic") == [FOOTE_SLUG]
    assert client.get("/api/quotes/?speaker=antony-blinken").json()["count"] == 1


def test_an_unpublished_story_leaves_every_list(client, foote_story):
    workflow.unpublish(foote_story, None)
    assert found_slugs(client, "q=inhumane") == []
    assert "No articles match" in client.get("/articles/?q=inhumane").content.decode()
    assert ARTICLE_URL not in client.get("/topics/haiti/").content.decode()
    assert client.get("/api/quotes/").json()["count"] == 0
    assert client.get(f"/api/articles/{FOOTE_SLUG}/").status_code == 404


# Pagination


@pytest.fixture
def many_stories(foote_story):
    """21 more published stories on Haiti, each quoting Foote: 22 in all, two pages of 20."""
    start = datetime.datetime(2022, 1, 1, tzinfo=datetime.UTC)
    for number in range(21):
        story_publish(
            f"Dispatch {number:02}",
            f"story-{number:02}",
            start + datetime.timedelta(days=number),
            topics=["haiti"],
            quoted="daniel-foote",
        )


def test_list_shows_20_articles_a_page_with_a_link_to_the_next(client, many_stories):
    page = client.get("/articles/?q=dispatch").content.decode()
    assert "21 articles match" in page
    assert page.count('class="teaser"') == 20
    assert 'href="?q=dispatch&amp;page=2" rel="next"' in page
    assert "Page 1 of 2" in page
    last = client.get("/articles/?q=dispatch&page=2").content.decode()
    assert last.count('class="teaser"') == 1
    assert 'href="?q=dispatch&amp;page=1" rel="prev"' in last


def test_page_out_of_range_shows_the_last_and_a_non_number_the_first(client, many_stories):
    for asked, shown in [("99", 2), ("2", 2), ("0", 2), ("abc", 1), ("", 1), ("1.5", 1)]:
        response = client.get(f"/articles/?page={asked}")
        assert response.status_code == 200
        assert f"Page {shown} of 2" in response.content.decode(), asked
        api = client.get(f"/api/articles/?page={asked}")
        assert api.status_code == 200
        assert len(api.json()["results"]) == (20 if shown == 1 else 2), asked


def test_api_pages_link_to_each_other_keeping_the_filters(client, many_stories):
    first = client.get("/api/articles/?q=dispatch").json()
    assert first["count"] == 21
    assert len(first["results"]) == 20
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/articles/?q=dispatch&page=2"
    second = client.get(first["next"]).json()
    assert [article["slug"] for article in second["results"]] == ["story-00"]
    assert second["previous"] == "http://testserver/api/articles/?q=dispatch&page=1"
    assert second["next"] is None


def test_topic_page_is_paginated(client, many_stories):
    page = client.get("/topics/haiti/").content.decode()
    assert "22 articles" in page
    assert page.count('class="teaser"') == 20
    assert client.get("/topics/haiti/?page=9").content.decode().count('class="teaser"') == 2


# Query budgets: the same for one article as for a full page of them

BUDGETS = [
    ("/articles/", 3),
    ("/articles/?q=inhumane&quoted=daniel-foote&mentions=pbs&source_kind=anonymous", 3),
    ("/articles/?topic=haiti&published_after=2021-01-01&ordering=headline", 4),
    ("/topics/haiti/", 3),
    ("/api/articles/", 4),
    ("/api/articles/?topic=haiti&q=inhumane", 5),
    (f"/api/articles/{FOOTE_SLUG}/", 1),
    ("/api/people/", 2),
    ("/api/people/?q=Foote", 2),
    ("/api/quotes/", 3),
    ("/api/quotes/?speaker=daniel-foote&source_kind=document", 3),
]


@pytest.mark.parametrize("url, budget", BUDGETS)
def test_query_budget_with_one_article(
    client, foote_story, django_assert_max_num_queries, url, budget
):
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


def test_query_budgets_hold_with_full_pages(client, many_stories, django_assert_max_num_queries):
    for url, budget in BUDGETS:
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200
