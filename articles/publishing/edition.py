"""The one writer of the published edition: the rows readers see.

Three moments write it, each inside the caller's transaction:

- ``edition_publish``: an article goes live, or its changes do. Its published revision is
  rendered and written; a new slug takes effect now, and the old one becomes a permanent
  redirect.
- ``edition_withdraw``: an article leaves the site; its rows go.
- ``edition_refresh``: a person, position, source, organisation, place or topic shown on
  published pages changed; the live articles showing it are rendered again from their published
  revisions, so names and titles stay true without publishing the working copies' edits.

A named source's document is copied into the edition (never an anonymous one's), and each
published quote's passage is found in that copy: a source page shows only the copy, and a
changed document reaches it with the source's other changes, its passages found anew.

Readers' caches are emptied once the transaction commits.
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from articles.annotations import verification
from articles.models import (
    Annotation,
    Article,
    PublishedAnnotation,
    PublishedArticle,
    PublishedByline,
    PublishedSource,
    PublishedTopic,
    RetiredSlug,
    Source,
)
from articles.publishing import selectors
from articles.publishing.story import story_from_revision
from newsroom.caching import invalidate_when_committed

logger = logging.getLogger(__name__)

ANNOTATION_ROW_FIELDS = (
    "kind",
    "number",
    "exact",
    "prefix",
    "suffix",
    "start",
    "end",
    "speaker_name",
    "speaker_description",
    "position_title",
    "position_organization",
    "source_title",
)
SOURCE_ROW_FIELDS = (
    "kind",
    "kind_label",
    "title",
    "url",
    "publisher",
    "anonymous",
    "justification",
)


def slug_conflict(article: Article) -> str:
    """Why ``article`` cannot be published under its slug now, or "" when it can."""
    taken = PublishedArticle.objects.filter(slug=article.slug).exclude(article=article).first()
    if taken is not None:
        return (
            f"The address “{article.slug}” belongs to the published story “{taken.headline}”. "
            "Choose another slug before publishing."
        )
    return ""


@dataclass(frozen=True)
class QuoteChange:
    """A published quote whose words or speaker the working copy changes."""

    kind: str
    speaker_before: str
    words_before: str
    speaker_now: str
    words_now: str

    def sentence(self) -> str:
        if self.words_before != self.words_now and self.kind == "paraphrase":
            return (
                f"An earlier version of this story paraphrased {self.speaker_before} as "
                f"“{self.words_before}”; it now reads “{self.words_now}”."
            )
        if self.words_before != self.words_now:
            return (
                f"An earlier version of this story quoted {self.speaker_before} as saying "
                f"“{self.words_before}”; the words were “{self.words_now}”."
            )
        return (
            f"An earlier version of this story attributed the words “{self.words_now}” to "
            f"{self.speaker_before}; they were {self.speaker_now}’s."
        )


def quote_changes(*, article: Article, story: dict) -> list[QuoteChange]:
    """How ``story`` (about to be published) changes the published quotes' words or speakers."""
    published = {
        row.annotation_id: row
        for row in PublishedAnnotation.objects.filter(edition_id=article.pk, number__isnull=False)
    }
    changes = []
    for entry in story["annotations"]:
        before = published.get(entry["id"])
        if entry["number"] is None or before is None:
            continue
        if (before.exact, before.speaker_name) != (entry["exact"], entry["speaker_name"]):
            changes.append(
                QuoteChange(
                    kind=entry["kind"],
                    speaker_before=before.speaker_name,
                    words_before=before.exact,
                    speaker_now=entry["speaker_name"],
                    words_now=entry["exact"],
                )
            )
    return changes


@transaction.atomic
def edition_publish(*, article: Article) -> PublishedArticle:
    """Write what readers see of ``article`` from its published revision, replacing the last."""
    conflict = slug_conflict(article)
    if conflict:
        raise ValidationError(conflict)
    previous = PublishedArticle.objects.filter(article=article).values_list("slug", flat=True)
    old_slug = previous.first()
    story = story_from_revision(article, article.published_revision)
    quotes_changed = bool(quote_changes(article=article, story=story))
    edition = _write(article, story)
    if quotes_changed:
        edition.quotes_updated_at = article.published_at
        edition.save(update_fields=["quotes_updated_at"])
    if old_slug and old_slug != edition.slug:
        RetiredSlug.objects.update_or_create(slug=old_slug, defaults={"article": article})
    # An address the article takes (back) is no longer a redirect, whoever retired it.
    RetiredSlug.objects.filter(slug=edition.slug).delete()
    invalidate_when_committed()
    return edition


@transaction.atomic
def edition_withdraw(*, article: Article) -> None:
    """Take ``article`` off the site: its published rows go; its redirects stay for a return."""
    PublishedArticle.objects.filter(article=article).delete()
    invalidate_when_committed()


@transaction.atomic
def edition_refresh(*, articles) -> int:
    """Render these live articles again from their published revisions; return how many.

    A source that was anonymous when the story was published stays anonymous in it, whatever
    the shared record says now: unmasking someone is a decision to publish, not a side effect.
    An article whose published revision was deleted keeps its edition as it is, and says so.
    """
    count = 0
    for article in articles.filter(edition__isnull=False).select_related("published_revision"):
        if article.published_revision is None:
            logger.warning("“%s” has lost its published revision: not re-rendered.", article)
            continue
        anonymous = {
            row.source_id: row
            for row in PublishedSource.objects.filter(edition_id=article.pk, anonymous=True)
        }
        story = story_from_revision(
            article, article.published_revision, anonymous_source_ids=set(anonymous)
        )
        for entry in story["annotations"]:
            if entry["source_id"] in anonymous:
                entry["source_title"] = anonymous[entry["source_id"]].title
        _write(article, story, anonymous)
        count += 1
    if count:
        invalidate_when_committed()
    return count


def _write(article: Article, story: dict, anonymous_sources: dict | None = None):
    """Write ``story`` as ``article``'s edition; ``anonymous_sources`` are the published rows
    of sources to keep as they were published: anonymous."""
    anonymous_sources = anonymous_sources or {}
    image = story["lead_image"] or {}
    edition, _ = PublishedArticle.objects.update_or_create(
        article=article,
        defaults={
            "slug": story["slug"],
            "headline": story["headline"],
            "dek": story["dek"],
            "body_html": story["body_html"],
            "text": story["text"],
            "lead_image": image.get("name", ""),
            "lead_image_url": image.get("url", ""),
            "lead_image_alt": image.get("alt", ""),
            "lead_image_caption": image.get("caption", ""),
            "lead_image_credit": image.get("credit", ""),
            "first_published_at": article.first_published_at or article.published_at,
            "published_at": article.published_at,
        },
    )
    for model in (PublishedByline, PublishedTopic, PublishedSource, PublishedAnnotation):
        model.objects.filter(edition=edition).delete()
    PublishedByline.objects.bulk_create(
        PublishedByline(edition=edition, person_id=b["person_id"], order=order, name=b["name"])
        for order, b in enumerate(story["bylines"])
    )
    PublishedTopic.objects.bulk_create(
        PublishedTopic(
            edition=edition, topic_id=t["topic_id"], order=order, name=t["name"], slug=t["slug"]
        )
        for order, t in enumerate(story["topics"])
    )
    documents = _documents(story["sources"], anonymous_sources)
    PublishedSource.objects.bulk_create(
        _kept(anonymous_sources.get(s["id"]), edition, order)
        or PublishedSource(
            edition=edition,
            source_id=s["id"],
            order=order,
            date=s["date"] or None,
            document=documents.get(s["id"], ""),
            **{name: s[name] for name in SOURCE_ROW_FIELDS},
        )
        for order, s in enumerate(story["sources"])
    )
    PublishedAnnotation.objects.bulk_create(
        PublishedAnnotation(
            edition=edition,
            annotation_id=entry["id"],
            **_passage(entry, documents),
            **{name: entry[name] for name in ANNOTATION_ROW_FIELDS},
            **{f"{name}_id": entry[f"{name}_id"] for name in Annotation.LINKS},
        )
        for entry in story["annotations"]
    )
    edition.page = selectors.story_from_rows(edition)
    edition.save(update_fields=["page"])
    return edition


def _documents(sources: list[dict], anonymous_sources: dict) -> dict[int, str]:
    """The documents readers may read, by source id: today's text of each source the story
    shows by name. An anonymous source's document could name who is behind it: never copied,
    nor while another live story keeps the source anonymous.
    """
    named = [s["id"] for s in sources if not s["anonymous"] and s["id"] not in anonymous_sources]
    kept_anonymous = PublishedSource.objects.filter(anonymous=True).values("source_id")
    held = Source.objects.filter(pk__in=named).exclude(document="").exclude(pk__in=kept_anonymous)
    return dict(held.values_list("pk", "document")) if named else {}


def _passage(entry: dict, documents: dict[int, str]) -> dict:
    """Where a quote's words are in the published copy of its source's document, if there.

    Found against the very text readers are shown, so the passage they open is always the
    quote's words, whatever the document said when the quote was checked.
    """
    document = documents.get(entry["source_id"]) if entry["kind"] == Annotation.Kind.QUOTE else ""
    span = verification.find_in_document(entry["exact"], document) if document else None
    start, end = span or (None, None)
    return {"passage_start": start, "passage_end": end}


def _kept(row: PublishedSource | None, edition, order) -> PublishedSource | None:
    """A published source row carried over unchanged into the rewritten edition."""
    if row is None:
        return None
    row.pk, row.edition, row.order = None, edition, order
    return row
