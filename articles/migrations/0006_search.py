"""Full-text search over the published snapshot, outside the models: each database its own.

Both databases get a table ``articles_search``, one row for each article with a snapshot (the
article's id, the snapshot's headline, dek and text in a searchable form), that triggers on
``articles_article`` keep in step with the snapshots, filled from the snapshots there are.

PostgreSQL: the row holds the weighted tsvector of the snapshot, headline A, dek B, text C,
under a GIN index. Stored, rather than an expression index on ``articles_article``: the planner
cannot tell that a GIN match needs no recheck, so for a word most articles hold it chose a
sequential scan that ran to_tsvector on every article (9 s among 10,000 articles of 600 words),
and ranking ran it again for each article found (3.5 s). From the stored tsvectors the same
searches take 70 and 100 ms. TRUNCATE, as the test runner's flush does, empties it too.

SQLite: an FTS5 table (rowid = article id; columns headline, dek, text). A SQLite built without
FTS5 gets nothing, and ``articles.site.search`` falls back to substring matching. A later migration
that rebuilds ``articles_article`` on SQLite (as Django does to add a NOT NULL column, for
example) drops the triggers with the old table: it must run ``search_index_create`` again.
"""

import logging

from django.db import migrations
from django.db.utils import OperationalError

logger = logging.getLogger(__name__)

POSTGRESQL_CREATE = [
    """
CREATE TABLE IF NOT EXISTS articles_search (
    article_id bigint PRIMARY KEY,
    document tsvector NOT NULL
)
""",
    """
CREATE INDEX IF NOT EXISTS articles_search_document_idx ON articles_search USING gin (document)
""",
    """
CREATE OR REPLACE FUNCTION articles_search_document(snapshot jsonb) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('english', coalesce(snapshot ->> 'headline', '')), 'A')
        || setweight(to_tsvector('english', coalesce(snapshot ->> 'dek', '')), 'B')
        || setweight(to_tsvector('english', coalesce(snapshot ->> 'text', '')), 'C')
$$
""",
    """
CREATE OR REPLACE FUNCTION articles_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE articles_search;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM articles_search WHERE article_id = OLD.id;
    ELSIF NEW.published_snapshot IS NULL THEN
        DELETE FROM articles_search WHERE article_id = NEW.id;
    ELSE
        INSERT INTO articles_search (article_id, document)
        VALUES (NEW.id, articles_search_document(NEW.published_snapshot))
        ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document;
    END IF;
    RETURN NULL;
END
$$
""",
    """
CREATE OR REPLACE TRIGGER articles_search_after_insert_or_delete
AFTER INSERT OR DELETE ON articles_article
FOR EACH ROW EXECUTE FUNCTION articles_search_sync()
""",
    """
CREATE OR REPLACE TRIGGER articles_search_after_update
AFTER UPDATE OF published_snapshot ON articles_article
FOR EACH ROW WHEN (old.published_snapshot IS DISTINCT FROM new.published_snapshot)
EXECUTE FUNCTION articles_search_sync()
""",
    """
CREATE OR REPLACE TRIGGER articles_search_after_truncate
AFTER TRUNCATE ON articles_article
FOR EACH STATEMENT EXECUTE FUNCTION articles_search_sync()
""",
    """
INSERT INTO articles_search (article_id, document)
SELECT id, articles_search_document(published_snapshot) FROM articles_article
WHERE published_snapshot IS NOT NULL
ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document
""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS articles_search_after_insert_or_delete ON articles_article",
    "DROP TRIGGER IF EXISTS articles_search_after_update ON articles_article",
    "DROP TRIGGER IF EXISTS articles_search_after_truncate ON articles_article",
    "DROP FUNCTION IF EXISTS articles_search_sync()",
    "DROP FUNCTION IF EXISTS articles_search_document(jsonb)",
    "DROP TABLE IF EXISTS articles_search",
]

SNAPSHOT_ROW = """
    SELECT {row}.id,
        json_extract({row}.published_snapshot, '$.headline'),
        json_extract({row}.published_snapshot, '$.dek'),
        json_extract({row}.published_snapshot, '$.text')
"""
SQLITE_TABLE = """
CREATE VIRTUAL TABLE IF NOT EXISTS articles_search
USING fts5(headline, dek, text, tokenize = 'porter unicode61 remove_diacritics 2')
"""
SQLITE_TRIGGERS = [
    f"""
CREATE TRIGGER IF NOT EXISTS articles_search_after_insert AFTER INSERT ON articles_article
WHEN new.published_snapshot IS NOT NULL
BEGIN
    INSERT INTO articles_search (rowid, headline, dek, text) {SNAPSHOT_ROW.format(row="new")};
END
""",
    f"""
CREATE TRIGGER IF NOT EXISTS articles_search_after_update
AFTER UPDATE OF published_snapshot ON articles_article
WHEN old.published_snapshot IS NOT new.published_snapshot
BEGIN
    DELETE FROM articles_search WHERE rowid = old.id;
    INSERT INTO articles_search (rowid, headline, dek, text) {SNAPSHOT_ROW.format(row="new")}
    WHERE new.published_snapshot IS NOT NULL;
END
""",
    """
CREATE TRIGGER IF NOT EXISTS articles_search_after_delete AFTER DELETE ON articles_article
BEGIN
    DELETE FROM articles_search WHERE rowid = old.id;
END
""",
]
SQLITE_BACKFILL = [
    "DELETE FROM articles_search",
    f"""
INSERT INTO articles_search (rowid, headline, dek, text) {SNAPSHOT_ROW.format(row="article")}
FROM articles_article AS article WHERE article.published_snapshot IS NOT NULL
""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS articles_search_after_insert",
    "DROP TRIGGER IF EXISTS articles_search_after_update",
    "DROP TRIGGER IF EXISTS articles_search_after_delete",
    "DROP TABLE IF EXISTS articles_search",
]


def search_index_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRESQL_CREATE:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        if not _fts5_available(schema_editor.connection):
            logger.warning(
                "This SQLite has no FTS5: article search will match substrings, unranked."
            )
            return
        for statement in [SQLITE_TABLE, *SQLITE_TRIGGERS, *SQLITE_BACKFILL]:
            schema_editor.execute(statement)


def search_index_drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRESQL_DROP:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


def _fts5_available(connection) -> bool:
    with connection.cursor() as cursor:
        try:
            cursor.execute("CREATE VIRTUAL TABLE temp.articles_fts5_probe USING fts5(probe)")
        except OperationalError:
            return False
        cursor.execute("DROP TABLE temp.articles_fts5_probe")
    return True


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_image_validation"),
    ]

    operations = [
        migrations.RunPython(search_index_create, search_index_drop, elidable=False),
    ]
