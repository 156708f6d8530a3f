import io

import pytest
from django.core.cache import cache
from django.core.management import call_command

from articles.models import Article
from people.models import Person

FOOTE_SLUG = "us-envoy-to-haiti-resigns-over-inhumane-deportations"


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with no cached pages: a page cached by another test would be stale."""
    cache.clear()


@pytest.fixture
def foote_story(db) -> Article:
    """The Foote resignation story, loaded, annotated and published: the shared fixture."""
    call_command("load_foote_story", stdout=io.StringIO())
    return Article.objects.get(slug=FOOTE_SLUG)


@pytest.fixture
def foote(foote_story) -> Person:
    return Person.objects.get(slug="daniel-foote")


@pytest.fixture
def make_staff(db):
    """A factory of staff users in one of the newsroom's role groups."""
    from django.contrib.auth.models import Group, User

    def make(role: str, username: str | None = None) -> User:
        user = User.objects.create_user(
            username=username or role.lower(), password="correct horse battery", is_staff=True
        )
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def editor_client(client, make_staff):
    client.force_login(make_staff("Editor"))
    return client


def publish_again(article: Article) -> Article:
    """Put the article's saved changes live, through review, as the system would."""
    from articles.editorial import workflow

    for step in (workflow.submit, workflow.approve, workflow.publish):
        article = step(article, None)
    return article
