"""Every public page costs a fixed number of SQL queries, however much the newsroom holds."""

import datetime

import pytest
from django.core.cache import cache

from articles.models import Annotation, Article
from people.models import Person, Position
from tests.conftest import publish_again

FOOTE = "/articles/us-envoy-to-haiti-resigns-over-inhumane-deportations/"
BUDGETS = {
    "/": 1,
    FOOTE: 2,
    f"{FOOTE}annotations.jsonld": 2,
    "/people/daniel-foote/": 5,
    "/organizations/us-department-of-state/": 4,
    "/corrections/": 1,
    "/articles/": 3,
    "/articles/?q=haiti&quoted=daniel-foote": 3,
    "/topics/haiti/": 3,
    "/api/quotes/?speaker=daniel-foote": 3,
    "/feeds/latest.rss": 3,
}


def grow(article, count=40):
    """Many more people, positions, mentions and quotes on the story, published."""
    text = article.plain_text
    words = [word for word in set(text.split()) if word.isalpha() and len(word) > 3][:count]
    for number, word in enumerate(words):
        person = Person.objects.create(name=f"Person {number}", slug=f"person-{number}")
        Position.objects.create(
            person=person, title="Official", start_date=datetime.date(2020, 1, 1)
        )
        start = text.index(word)
        Annotation.objects.create(
            article=article, kind="mention", exact=word, start=start, end=start + len(word),
            mentioned_person=person,
        )  # fmt: skip
    Article.objects.filter(pk=article.pk).update(has_unpublished_changes=True)
    publish_again(Article.objects.get(pk=article.pk))


@pytest.mark.parametrize(("url", "budget"), BUDGETS.items())
def test_public_page_costs_the_same_queries_with_forty_times_more_annotations(
    client, foote_story, django_assert_num_queries, url, budget
):
    # Once per process, search checks that its index exists: not a cost of any one page.
    client.get(url)
    cache.clear()
    with django_assert_num_queries(budget):
        assert client.get(url).status_code == 200
    grow(foote_story)
    cache.clear()
    with django_assert_num_queries(budget):
        assert client.get(url).status_code == 200
