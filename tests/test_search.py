"""Full-text search of the published words: PostgreSQL's tsvector or SQLite's FTS5.

Every test runs on the database the suite runs on and first checks that the full-text path, not
the substring fallback, answered; the fallback has a test of its own on SQLite.
"""

import datetime
import importlib
import logging
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.db import connection

from articles.editorial import workflow
from articles.models import Article, PublishedArticle
from articles.publishing import selectors
from articles.site import search
from articles.site.filters import articles_search
from tests.conftest import FOOTE_SLUG, publish_again

migration = importlib.import_module("articles.migrations.0007_published_edition")

HOSTILE = [
    '"',
    "'",
    "*",
    "NEAR(",
    "NEAR(inhumane",
    "OR",
    "inhumane OR",
    "-",
    "-inhumane",
    ")))",
    "\x00",
    "inhumane\x00",
    '"inhumane',
    "inhumane*",
    "headline:inhumane",
    "^inhumane",
    "a" * 500,
    ('"*)(:^-+ NEAR( OR AND NOT \\ ' * 20)[:500],
]


@pytest.fixture(autouse=True)
def full_text_search(db):
    """Each test looks for the index afresh and finds the full-text path, not the fallback."""
    search.sqlite_index_recheck()
    if connection.vendor == "sqlite":
        assert search.sqlite_index_ready(connection)
    yield
    search.sqlite_index_recheck()


def searched(terms: str, queryset=None) -> list[str]:
    """The slugs search finds among the published articles, after checking how it searched."""
    queryset = articles_search(queryset or selectors.published_articles(), terms)
    sql = str(queryset.query)
    if connection.vendor == "postgresql":
        assert "websearch_to_tsquery" in sql
    else:
        assert "articles_search MATCH" in sql or not search.fts5_query(terms)
    return list(queryset.values_list("slug", flat=True))


def story_publish(headline, slug, body, dek="", at=None) -> Article:
    article = Article.objects.create(headline=headline, slug=slug, dek=dek, body=f"<p>{body}</p>")
    for step in (workflow.submit, workflow.approve):
        article = step(article, None)
    return workflow.publish(article, None, at=at)


def days_ago(days: int) -> datetime.datetime:
    return datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(days=days)


def test_search_for_inhumane_finds_the_foote_story(client, foote_story):
    assert searched("inhumane") == [FOOTE_SLUG]
    page = client.get("/articles/?q=inhumane").content.decode()
    assert f'href="/articles/{FOOTE_SLUG}/"' in page
    assert "1 article matches" in page


def test_search_finds_other_forms_of_a_word(foote_story):
    story_publish("Flights resume", "flights", "Forty people were deported on Monday.")
    story_publish("A court rules", "court", "The judge halted the deportations.")
    assert set(searched("deportation")) == {FOOTE_SLUG, "flights", "court"}
    assert set(searched("DEPORTED")) == {FOOTE_SLUG, "flights", "court"}


def test_search_needs_every_word_whichever_part_holds_it(foote_story):
    story_publish("Mangroves return", "mangroves", "Fishermen on the coast are glad.")
    assert searched("mangroves fishermen") == ["mangroves"]
    assert searched("inhumane Haitians") == [FOOTE_SLUG]
    assert searched("inhumane mangroves") == []
    assert searched("inhumane aardvark") == []


def test_a_headline_match_ranks_above_a_body_only_match(foote_story):
    story_publish("Mangroves return", "headline", "Fishermen are glad.", at=days_ago(3))
    story_publish("The coast", "dek", "Fishermen are glad.", dek="Mangroves again.", at=days_ago(2))
    story_publish("The coast, later", "body", "The mangroves are back.", at=days_ago(1))
    found = articles_search(selectors.published_articles(), "mangroves")
    assert list(found.values_list("slug", flat=True)) == ["body", "dek", "headline"]
    ranked = found.order_by(f"-{search.RANK}", "-published_at")
    assert list(ranked.values_list("slug", flat=True)) == ["headline", "dek", "body"]


@pytest.mark.parametrize("terms", HOSTILE)
def test_hostile_search_never_fails(client, foote_story, terms):
    searched(terms)
    response = client.get("/articles/?" + urlencode({"q": terms}))
    assert response.status_code == 200
    assert client.get("/api/articles/?" + urlencode({"q": terms})).status_code in (200, 400)


def test_quotes_and_operators_in_a_search_are_read_as_words(foote_story):
    for terms in ('"inhumane"', "inhumane*", "(inhumane)", "inhumane\x00"):
        assert searched(terms) == [FOOTE_SLUG], terms
    assert searched('"') == []


def test_an_unpublished_edit_is_found_only_once_published(client, foote_story):
    foote_story.headline = "ZX81 unpublished"
    foote_story.save()
    assert searched("ZX81") == []
    assert "0 articles match" in client.get("/articles/?q=ZX81").content.decode()
    assert searched("inhumane") == [FOOTE_SLUG]
    publish_again(foote_story)
    assert searched("ZX81") == [FOOTE_SLUG]
    assert "1 article matches" in client.get("/articles/?q=ZX81").content.decode()


def test_drafts_scheduled_and_unpublished_stories_are_never_found(foote_story):
    Article.objects.create(headline="ZX81 draft", slug="draft", body="<p>ZX81 words.</p>")
    in_a_day = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=1)
    story_publish("ZX81 scheduled", "scheduled", "ZX81 words.", at=in_a_day)
    taken_down = story_publish("ZX81 taken down", "taken-down", "ZX81 words.")
    workflow.unpublish(taken_down, None)
    assert searched("ZX81") == []
    # Not even in the search table: only the published edition is indexed.
    assert not indexed(taken_down.pk, "ZX81")


def indexed(article_id: int, word: str) -> bool:
    """Whether the search table's row for the article holds the word."""
    if connection.vendor == "postgresql":
        sql = (
            "SELECT count(*) FROM articles_search"
            " WHERE article_id = %s AND document @@ plainto_tsquery('english', %s)"
        )
    else:
        sql = "SELECT count(*) FROM articles_search WHERE rowid = %s AND articles_search MATCH %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [article_id, word])
        return cursor.fetchone()[0] == 1


def test_the_search_table_follows_the_edition_through_updates_and_deletes(foote_story):
    story = story_publish("Mangroves return", "mangroves", "Fishermen are glad.")
    assert indexed(story.pk, "mangroves")
    PublishedArticle.objects.filter(pk=story.pk).update(headline="Reefs")
    assert indexed(story.pk, "reefs")
    assert not indexed(story.pk, "mangroves")
    workflow.unpublish(story, None)
    assert not indexed(story.pk, "reefs")
    draft = Article.objects.create(headline="ZX81 draft", slug="draft", body="<p>ZX81.</p>")
    assert not indexed(draft.pk, "ZX81")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's flush deletes rows")
def test_truncating_the_articles_empties_the_search_table(foote_story):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE waits for no pending checks
        cursor.execute("TRUNCATE articles_publishedarticle CASCADE")
        cursor.execute("SELECT count(*) FROM articles_search")
        assert cursor.fetchone()[0] == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's")
def test_sqlite_without_its_index_falls_back_to_substrings_and_says_so(foote_story, caplog):
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER articles_search_after_update")
    search.sqlite_index_recheck()
    with caplog.at_level(logging.WARNING, logger="articles.site.search"):
        found = articles_search(selectors.published_articles(), "inhumane deportations")
        assert "MATCH" not in str(found.query)
        assert list(found.values_list("slug", flat=True)) == [FOOTE_SLUG]
    assert "articles_search_after_update missing" in caplog.text

    schema_editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)
    migration.search_index_create(None, schema_editor)
    search.sqlite_index_recheck()
    assert search.sqlite_index_ready(connection)
    assert searched("deportation") == [FOOTE_SLUG]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_postgresql_search_reads_the_gin_index(foote_story):
    # The planner reads a table of a few hundred rows whole or by its primary key, rightly:
    # forbidden to, it shows that the search can use the index, as it does on its own among
    # thousands (bench/search.py prints that plan).
    now = datetime.datetime.now(tz=datetime.UTC)
    articles = Article.objects.bulk_create(
        Article(headline=f"Story {number}", slug=f"story-{number}", live=True, published_at=now)
        for number in range(500)
    )
    PublishedArticle.objects.bulk_create(
        PublishedArticle(
            article=article,
            slug=article.slug,
            headline=article.headline,
            text="Mangroves. " * 50,
            first_published_at=now,
            published_at=now,
        )
        for article in articles
    )
    queryset = articles_search(selectors.published_articles(), "inhumane deportations")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_publishedarticle, articles_search")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "Bitmap Index Scan on articles_search_document_idx" in plan, plan
