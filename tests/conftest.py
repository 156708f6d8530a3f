import io

import pytest
from django.apps import apps
from django.conf import global_settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings

from articles.models import Article
from people.models import Person

FOOTE_SLUG = "us-envoy-to-haiti-resigns-over-inhumane-deportations"


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with no cached pages: a page cached by another test would be stale."""
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Production hashes a password slowly on purpose; the tests make and check hundreds.
    MD5 is fine for throwaway test accounts, and sign-in throttling counts failures the same."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher", *global_settings.PASSWORD_HASHERS]
    with override_settings(PASSWORD_HASHERS=hashers):
        yield


@pytest.fixture
def production_password_hashing(settings):
    """Passwords hashed as in production, for a test that looks at the hashes themselves."""
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS


# The apps whose tables the Foote story loader writes to: all the content there is. The
# migrations leave these tables empty (they make only groups and permissions), so emptying them
# gives back the database as the migrations left it; django_db_setup checks both.
STORY_APPS = ("articles", "people", "reversion")


def story_tables() -> list[str]:
    return sorted(
        {
            model._meta.db_table
            for label in STORY_APPS
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def table_rows() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(include_views=False):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def story_load():
    call_command("load_foote_story", stdout=io.StringIO())


def story_loaded() -> bool:
    return Article.objects.filter(slug=FOOTE_SLUG).exists()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, migrated, with the Foote story loaded and committed once per session.

    Loading it takes a third of a second and most tests start from it; each now finds it there,
    and its own changes are rolled back with its transaction (see ``database_state``).
    """
    with django_db_blocker.unblock():
        if story_loaded():  # a test database kept from an earlier run
            return
        before = table_rows()
        story_load()
        after = table_rows()
        written = {table for table, rows in after.items() if rows != before.get(table)}
        tables = set(story_tables())
        if not written <= tables or any(before.get(table) for table in tables):
            raise RuntimeError(
                "tests/conftest.py: the Foote story loader wrote outside the STORY_APPS tables "
                f"({sorted(written - tables)}), or the migrations left rows in them "
                f"({sorted(table for table in tables if before.get(table))}): emptying them "
                "would not give tests the database as the migrations left it."
            )


@pytest.fixture(autouse=True)
def database_state(request, django_db_blocker):
    """Each test using ``db`` starts, in its own transaction, from the database it asks for: with
    the Foote story if it uses ``foote_story``, otherwise as the migrations left it.

    Tests using ``transactional_db`` or ``live_server`` (the browser tests) are left alone: they
    may find the story committed (those here load it anyway), and the database is flushed after
    each of them, story included, so it is loaded and committed again here before the next test
    that wants it.
    """
    names = request.fixturenames
    if "db" not in names or "transactional_db" in names or "live_server" in names:
        return
    request.getfixturevalue("django_db_setup")
    wants_story = "foote_story" in names
    if wants_story and not connection.in_atomic_block:
        with django_db_blocker.unblock():
            if not story_loaded():
                story_load()
    request.getfixturevalue("db")
    if not wants_story:
        with connection.cursor() as cursor:
            for table in story_tables():
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
        if connection.vendor == "postgresql":
            # Check the foreign keys now: PostgreSQL refuses a later TRUNCATE (a flush) while
            # checks are pending.
            connection.check_constraints()


@pytest.fixture
def foote_story(db) -> Article:
    """The Foote resignation story, loaded, annotated and published: the shared fixture.

    Loaded once per session (``django_db_setup``). It is loaded here, in the test's transaction,
    only when that transaction had already begun with the story missing (after a flush).
    """
    if not story_loaded():
        story_load()
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
