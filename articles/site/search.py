"""Full-text search of what readers see: the published edition's headline, dek and text.

Both databases keep a table ``articles_search`` of each published article's words, which
triggers on ``articles_publishedarticle`` keep in step (migrations 0006 and 0007). On
PostgreSQL it holds the edition's weighted tsvector (headline A, dek B, text C) under a GIN
index, matched with ``websearch_to_tsquery`` and ranked with ``ts_rank_cd``. On SQLite it is an
FTS5 table matched with the reader's words, each quoted so that no input is read as FTS5
syntax, and ranked with ``bm25``. Where that table or its triggers are missing (a SQLite built
without FTS5, or a migration that rebuilt the published articles table) search falls back to
case-insensitive substring matching and says so once in the log.

Only the published edition is searched, never the working copy, which may hold unpublished
edits.
"""

import functools
import logging
import re

from django.db import NotSupportedError, OperationalError, connections
from django.db.models import BooleanField, F, FloatField, Func, Q, Value

logger = logging.getLogger(__name__)

RANK = "search_rank"
MAX_WORDS = 10
SEARCHED_FIELDS = ("headline", "dek", "text")
POSTGRESQL_QUERY = "websearch_to_tsquery('english', %s)"
# bm25 weights of the headline, dek and text columns: a headline match counts most.
SQLITE_RANK = "bm25(articles_search, 10.0, 4.0, 1.0)"
SQLITE_INDEX_OBJECTS = {
    ("table", "articles_search"),
    ("trigger", "articles_search_after_insert"),
    ("trigger", "articles_search_after_update"),
    ("trigger", "articles_search_after_delete"),
}
WORD_CHARACTER = re.compile(r"\w")


def articles_matching(queryset, terms: str):
    """The articles of ``queryset`` whose published words match every word of ``terms``.

    The result is aliased ``search_rank``, higher for better matches, for a caller that
    orders by relevance: ``.order_by("-search_rank", "-published_at")``.
    """
    terms = " ".join(terms.replace("\x00", " ").split()[:MAX_WORDS])
    connection = connections[queryset.db]
    if connection.vendor == "postgresql" or (
        connection.vendor == "sqlite" and sqlite_index_ready(connection)
    ):
        return queryset.filter(EditionMatches(terms)).alias(**{RANK: EditionRank(terms)})
    return articles_containing(queryset, terms)


def sqlite_index_ready(connection) -> bool:
    """Whether this SQLite database holds the FTS5 table and the triggers that fill it.

    Asked once per database and process, until ``sqlite_index_recheck()``.
    """
    return _sqlite_index_ready(connection.alias, connection.settings_dict["NAME"])


def sqlite_index_recheck() -> None:
    """Forget what ``sqlite_index_ready`` found: the next search looks again."""
    _sqlite_index_ready.cache_clear()


@functools.cache
def _sqlite_index_ready(alias: str, database_name: str) -> bool:
    # Cached by name too: the test runner swaps the database under an alias.
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT type, name FROM sqlite_master")
            found = set(cursor.fetchall())
            if ("table", "articles_search") in found:
                cursor.execute("SELECT rowid FROM articles_search LIMIT 0")
    except OperationalError as error:
        logger.warning("Article search falls back to substring matching: %s.", error)
        return False
    missing = sorted(object_name for _, object_name in SQLITE_INDEX_OBJECTS - found)
    if missing:
        logger.warning(
            "Article search falls back to substring matching, unranked: %s missing from the "
            "database. SQLite without FTS5 has none; after a migration that rebuilt "
            "articles_publishedarticle, run search_index_create of migration 0007 again.",
            ", ".join(missing),
        )
        return False
    return True


def fts5_query(terms: str) -> str:
    """An FTS5 query that matches every word of ``terms``, read as words and never as syntax.

    Each word becomes an FTS5 string (double quotes, inner ones doubled), so quotes, ``*``,
    ``NEAR(``, ``OR``, ``-`` or brackets in a reader's search are text, not operators. Words
    with no letter or digit would be empty strings and are left out.
    """
    words = [word for word in terms.split() if WORD_CHARACTER.search(word)]
    return " ".join('"{}"'.format(word.replace('"', '""')) for word in words[:MAX_WORDS])


class _EditionSearch(Func):
    """An expression over an article and the reader's terms, in the SQL of each database."""

    def __init__(self, terms: str):
        super().__init__(F("pk"))
        self.terms = terms

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError("Full-text search needs SQLite or PostgreSQL.")

    def _pk(self, compiler) -> str:
        """The published article's id column (its article's id), under this query's alias."""
        sql, _ = compiler.compile(self.get_source_expressions()[0])
        return sql


class EditionMatches(_EditionSearch):
    """True when the article's published words match every word of the terms."""

    output_field = BooleanField()

    def as_postgresql(self, compiler, connection, **extra_context):
        sql = (
            f"{self._pk(compiler)} IN (SELECT article_id FROM articles_search"
            f" WHERE document @@ {POSTGRESQL_QUERY})"
        )
        return sql, (self.terms,)

    def as_sqlite(self, compiler, connection, **extra_context):
        query = fts5_query(self.terms)
        if not query:
            return "0", ()
        sql = (
            f"{self._pk(compiler)} IN"
            " (SELECT rowid FROM articles_search WHERE articles_search MATCH %s)"
        )
        return sql, (query,)


class EditionRank(_EditionSearch):
    """How well the article's published words match the terms: higher is better."""

    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra_context):
        sql = (
            f"(SELECT ts_rank_cd(document, {POSTGRESQL_QUERY}) FROM articles_search"
            f" WHERE article_id = {self._pk(compiler)})"
        )
        return sql, (self.terms,)

    def as_sqlite(self, compiler, connection, **extra_context):
        query = fts5_query(self.terms)
        if not query:
            return "0.0", ()
        # bm25 weighs each word by how many articles hold it, counted anew for each MATCH: a
        # MATCH for each article found would count once per article. The materialized CTE
        # matches once and looks each article up in it (SQLite before 3.35 may inline it).
        materialized = "MATERIALIZED " if connection.Database.sqlite_version_info >= (3, 35) else ""
        # bm25 is negative, lower for better matches: negated, it orders as ts_rank_cd does.
        sql = (
            f"(WITH ranked AS {materialized}(SELECT rowid AS id, -{SQLITE_RANK} AS rank"
            " FROM articles_search WHERE articles_search MATCH %s)"
            f" SELECT rank FROM ranked WHERE ranked.id = {self._pk(compiler)})"
        )
        return sql, (query,)


def articles_containing(queryset, terms: str):
    """The articles whose published headline, dek or text hold every word of ``terms``.

    Case-insensitive substring matching, unranked: the search where there is no full-text
    index, and the baseline ``bench/search.py`` measures it against.
    """
    queryset = queryset.alias(**{RANK: Value(0.0, output_field=FloatField())})
    for word in terms.split():
        matches = Q()
        for name in SEARCHED_FIELDS:
            matches |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(matches)
    return queryset
