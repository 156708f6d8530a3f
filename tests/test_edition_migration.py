"""Upgrading keeps live stories live: migration 0007 turns published snapshots into edition rows."""

import datetime
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("articles", "0006_search"), ("people", "0002_image_validation")]
AFTER = [("articles", "0007_published_edition")]
PUBLISHED_AT = datetime.datetime(2021, 9, 23, 12, tzinfo=datetime.UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_the_edition(transactional_db):
    apps = migrate(BEFORE)
    yield apps
    migrate(executor_leaves())


def executor_leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def publish_revision(apps, article, quote, slug):
    """The revision that was published, as django-reversion stored it."""
    Revision = apps.get_model("reversion", "Revision")
    Version = apps.get_model("reversion", "Version")
    ContentType = apps.get_model("contenttypes", "ContentType")
    revision = Revision.objects.create(date_created=PUBLISHED_AT, comment="Published.")
    held = [
        ("article", article.pk, {"headline": article.headline, "slug": slug}),
        (
            "annotation",
            quote.pk,
            {
                "kind": "quote",
                "exact": quote.exact,
                "prefix": quote.prefix,
                "suffix": quote.suffix,
                "start": quote.start,
                "end": quote.end,
                "speaker": quote.speaker_id,
                "source": quote.source_id,
                "note": quote.note,
            },
        ),
    ]
    for model, pk, fields in held:
        content_type, _ = ContentType.objects.get_or_create(app_label="articles", model=model)
        Version.objects.create(
            revision=revision,
            object_id=str(pk),
            content_type=content_type,
            db="default",
            format="json",
            serialized_data=json.dumps(
                [{"model": f"articles.{model}", "pk": pk, "fields": fields}]
            ),
            object_repr=str(pk),
        )
    apps.get_model("articles", "Article").objects.filter(pk=article.pk).update(
        published_revision=revision
    )


def test_a_live_snapshot_becomes_published_rows_from_its_published_revision_only(
    before_the_edition,
):
    apps = before_the_edition
    Article = apps.get_model("articles", "Article")
    Annotation = apps.get_model("articles", "Annotation")
    Source = apps.get_model("articles", "Source")
    Topic = apps.get_model("articles", "Topic")
    Person = apps.get_model("people", "Person")
    envoy = Person.objects.create(name="Migrated Envoy", slug="migrated-envoy")
    writer = Person.objects.create(name="Migrated Writer", slug="migrated-writer")
    topic = Topic.objects.create(name="Migrated topic", slug="migrated-topic")
    letter = Source.objects.create(kind="document", title="Foote's letter")
    body = "<p>He called the deportations inhumane.</p>"
    text = "He called the deportations inhumane."
    live = Article.objects.create(
        headline="Envoy resigns",
        slug="migrated-envoy-resigns",
        body=body,
        status="published",
        live=True,
        published_at=PUBLISHED_AT,
        first_published_at=PUBLISHED_AT,
    )
    start = text.index("inhumane")
    quote = Annotation.objects.create(
        article=live,
        kind="quote",
        exact="inhumane",
        prefix="deportations ",
        suffix=".",
        start=start,
        end=start + len("inhumane"),
        speaker=envoy,
        source=letter,
        note="Internal: checked with the desk.",
    )
    Article.objects.filter(pk=live.pk).update(
        published_snapshot={
            "headline": "Envoy resigns",
            "dek": "Over deportations.",
            "body_html": f"<p>He called the deportations <q>{quote.exact}</q>.</p>",
            "text": text,
            "lead_image": None,
            "bylines": [{"name": "Migrated Writer", "url": "/people/migrated-writer/"}],
            "topics": [{"name": "Migrated topic", "slug": "migrated-topic"}],
            "quotes": [
                {
                    "id": quote.pk,
                    "number": 1,
                    "kind": "quote",
                    "exact": "inhumane",
                    "before": "deportations ",
                    "after": ".",
                    "speaker_name": "Migrated Envoy",
                    "speaker_url": "/people/migrated-envoy/",
                    "position": "Special Envoy",
                    "organization": "State Department",
                    "source_id": letter.pk,
                    "source_title": "Foote's letter",
                }
            ],
            "sources": [
                {
                    "id": letter.pk,
                    "kind_label": "Document",
                    "title": "Foote's letter",
                    "url": "",
                    "publisher": "",
                    "date": "2021-09-22",
                    "anonymous": False,
                    "justification": "",
                }
            ],
            "annotation_ids": [quote.pk],
        }
    )
    draft = Article.objects.create(headline="A draft", slug="migrated-draft", body=body)
    publish_revision(apps, live, quote, slug="migrated-envoy-resigns")
    # Unpublished since: a new slug and the quote given to someone else in the working copy.
    nominee = Person.objects.create(name="Zq Secret Nominee", slug="zq-secret-nominee")
    Article.objects.filter(pk=live.pk).update(slug="zq-unpublished-slug")
    Annotation.objects.filter(pk=quote.pk).update(speaker=nominee)

    apps = migrate(AFTER)
    PublishedArticle = apps.get_model("articles", "PublishedArticle")
    edition = PublishedArticle.objects.get(article_id=live.pk)
    assert (edition.article_id, edition.slug, edition.headline) == (
        live.pk,
        "migrated-envoy-resigns",
        "Envoy resigns",
    )
    assert edition.published_at == PUBLISHED_AT
    assert [b.person_id for b in edition.publishedbyline_set.all()] == [writer.pk]
    assert [t.topic_id for t in edition.publishedtopic_set.all()] == [topic.pk]
    published_quote = edition.annotations.get()
    assert (published_quote.annotation_id, published_quote.speaker_id) == (quote.pk, envoy.pk)
    assert published_quote.position_title == "Special Envoy"
    assert edition.sources.get().date == datetime.date(2021, 9, 22)
    assert not PublishedArticle.objects.filter(article_id=draft.pk).exists()
    shown = {
        published_quote.speaker_id,
        *edition.publishedbyline_set.values_list("person", flat=True),
    }
    assert nominee.pk not in shown
