"""What readers may see, read from the published edition: the one door of every public path.

Pages, lists, search, filters, feeds, sitemaps, the JSON API, JSON-LD and the W3C collection
read through these functions and nothing else. They never touch the working copy's words: a
person, organisation or topic is public only while a published story shows it, and its page is
then built from its own record (a shared record, re-rendered into stories when it changes).
"""

from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import now

from articles.annotations import verification
from articles.models import (
    Annotation,
    Correction,
    PublishedAnnotation,
    PublishedArticle,
    PublishedByline,
    PublishedSource,
    PublishedTopic,
    RetiredSlug,
    Source,
    Topic,
)
from articles.publishing.story import derived, subject_of
from people.models import Organization, Person, Place, Position

# Related records a published annotation shows: its links but the position and source, whose
# published words it carries itself.
SHOWN_LINKS = (
    "speaker",
    "speaker_organization",
    "mentioned_person",
    "mentioned_organization",
    "mentioned_place",
)
NOT_FOUND = "No published story has this address."
# What a list of stories never shows: left unread when editions come along with other rows.
HEAVY_FIELDS = ("edition__page", "edition__body_html", "edition__text")


def published_articles():
    """Every article on the site, newest first (without its page, which lists never show)."""
    return PublishedArticle.objects.order_by("-published_at", "-pk").defer("page")


def with_bylines_and_topics(editions):
    """Editions with their bylines and topics read in two queries, however many they are."""
    return editions.prefetch_related(
        Prefetch(
            "publishedbyline_set",
            queryset=PublishedByline.objects.select_related("person"),
            to_attr="byline_rows",
        ),
        Prefetch("publishedtopic_set", to_attr="topic_rows"),
    )


def edition_at(slug: str) -> PublishedArticle | None:
    """The published article at this address, with its page, or None."""
    return PublishedArticle.objects.filter(slug=slug).first()


def current_address(retired_slug: str) -> str | None:
    """Where an article published under ``retired_slug`` is now, while it is published."""
    retired = (
        RetiredSlug.objects.filter(slug=retired_slug, article__edition__isnull=False)
        .values_list("article__edition__slug", flat=True)
        .first()
    )
    return PublishedArticle(slug=retired).get_absolute_url() if retired else None


def story_of(edition: PublishedArticle) -> dict:
    """The published story as its page shows it: the same dict the working copy renders to.

    The edition's writer keeps it on the edition (``page``) as ``story_from_rows`` read it;
    an edition written before that field existed is read from its rows.
    """
    return edition.page or story_from_rows(edition)


def story_from_rows(edition: PublishedArticle) -> dict:
    """The published story read from the edition's rows."""
    bylines = edition.publishedbyline_set.select_related("person")
    sources = list(edition.sources.all())
    shown = {row.source_id: row for row in sources}
    return {
        "slug": edition.slug,
        "headline": edition.headline,
        "dek": edition.dek,
        "body_html": edition.body_html,
        "text": edition.text,
        "lead_image": _lead_image(edition),
        "bylines": [_byline(row) for row in bylines],
        "topics": [_topic(row) for row in edition.publishedtopic_set.all()],
        "sources": [_source(row) for row in sources],
        **derived([entry_of(row, shown.get(row.source_id)) for row in annotations_of(edition)]),
    }


def summary_of(edition: PublishedArticle) -> dict:
    """What a list item says of a story: from ``with_bylines_and_topics`` editions."""
    return {
        "headline": edition.headline,
        "dek": edition.dek,
        "bylines": [_byline(row) for row in edition.byline_rows],
        "topics": [_topic(row) for row in edition.topic_rows],
    }


def annotations_of(edition: PublishedArticle):
    """The published annotations of a story, in reading order, with the records they show."""
    return edition.annotations.select_related(*SHOWN_LINKS).order_by("start", "-end", "pk")


def corrections_of(edition: PublishedArticle) -> list[Correction]:
    return list(corrections().filter(article_id=edition.pk).order_by("published_at", "pk"))


def corrections():
    """Corrections readers may see: appended to a published story, and dated by now."""
    return Correction.objects.filter(article__edition__isnull=False, published_at__lte=now())


def corrections_log(limit: int = 200):
    """Corrections to published stories, newest first, each with its story's published words."""
    headlines = PublishedArticle.objects.filter(pk=OuterRef("article_id"))
    return (
        corrections()
        .annotate(
            story_headline=headlines.values("headline")[:1],
            story_slug=headlines.values("slug")[:1],
        )
        .order_by("-published_at", "-pk")[:limit]
    )


def last_corrected():
    """Editions annotated with the time of their latest correction (None without one)."""
    shown = corrections().filter(article_id=OuterRef("pk")).order_by("-published_at")
    return published_articles().annotate(
        last_correction_at=Subquery(shown.values("published_at")[:1])
    )


# People, organisations and topics: public while a published story shows them.


def people_shown():
    """People quoted, mentioned or bylined in a published story."""
    return Person.objects.filter(
        Q(Exists(PublishedAnnotation.objects.filter(speaker=OuterRef("pk"))))
        | Q(Exists(PublishedAnnotation.objects.filter(mentioned_person=OuterRef("pk"))))
        | Q(Exists(PublishedByline.objects.filter(person=OuterRef("pk"))))
    )


def organizations_shown():
    """Organisations a published story quotes, mentions or names as a speaker's employer."""
    return Organization.objects.filter(
        Q(Exists(PublishedAnnotation.objects.filter(speaker_organization=OuterRef("pk"))))
        | Q(Exists(PublishedAnnotation.objects.filter(mentioned_organization=OuterRef("pk"))))
        | Q(Exists(PublishedAnnotation.objects.filter(position__organization=OuterRef("pk"))))
    )


def topics_shown():
    """Topics a published story is filed under."""
    return Topic.objects.filter(Exists(PublishedTopic.objects.filter(topic=OuterRef("pk"))))


def positions_shown():
    """Positions on the public record, and those a published quote names.

    A position may be the news itself (a nomination not yet reported): until an editor marks it
    on the record, it shows only once a published story names it. Drafts never count.
    """
    named = PublishedAnnotation.objects.filter(position=OuterRef("pk"))
    return Position.objects.filter(Q(on_record=True) | Q(Exists(named))).select_related(
        "person", "organization"
    )


def places_named():
    """Places a published story mentions."""
    return Place.objects.filter(
        Exists(PublishedAnnotation.objects.filter(mentioned_place=OuterRef("pk")))
    )


def sources_cited():
    """Sources a published story cites."""
    return Source.objects.filter(Exists(PublishedSource.objects.filter(source=OuterRef("pk"))))


def public_organization_ids(organization_ids) -> set:
    """Which of these organisations have a public page, to link only to those."""
    ids = {pk for pk in organization_ids if pk is not None}
    if not ids:
        return set()
    return set(organizations_shown().filter(pk__in=ids).values_list("pk", flat=True))


def public_person(slug: str) -> Person:
    return _public(people_shown(), slug)


def public_organization(slug: str) -> Organization:
    return _public(organizations_shown().select_related("part_of"), slug)


def public_topic(slug: str) -> Topic:
    return _public(topics_shown(), slug)


def _public(queryset, slug):
    found = queryset.filter(slug=slug).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


# Quotes and the stories that show someone.


def published_quotes():
    """Published quotes and paraphrases, newest story first, in reading order within one."""
    return PublishedAnnotation.objects.filter(kind__in=Annotation.SPEAKER_KINDS).order_by(
        "-edition__published_at", "edition_id", "start", "pk"
    )


def with_stories(quotes):
    """Quotes with what ``quote_with_story`` reads, in one query."""
    return quotes.select_related("edition", *SHOWN_LINKS).defer(*HEAVY_FIELDS)


def quote_with_story(row: PublishedAnnotation) -> dict:
    """A quote as a page shows it, with its story's address and published headline."""
    quote = derived([entry_of(row)])["quotes"][0]
    url = row.edition.get_absolute_url()
    return {**quote, "article": {"url": url, "headline": row.edition.headline}}


def quotes_with_stories(quotes, limit: int) -> list[dict]:
    return [quote_with_story(row) for row in with_stories(quotes)[:limit]]


def quotes_by(person: Person):
    return published_quotes().filter(speaker=person)


def quotes_for(organization: Organization):
    return published_quotes().filter(speaker_organization=organization)


def articles_mentioning(subject_filter: Q, limit: int) -> list[dict]:
    """Stories whose published mentions match ``subject_filter``, newest first."""
    mentions = PublishedAnnotation.objects.filter(
        subject_filter, edition=OuterRef("pk"), kind=Annotation.Kind.MENTION
    )
    editions = published_articles().filter(Exists(mentions)).only("slug", "headline")[:limit]
    return [{"url": e.get_absolute_url(), "headline": e.headline} for e in editions]


def articles_showing_person(person: Person):
    """Stories that quote or mention ``person`` as published."""
    shown = PublishedAnnotation.objects.filter(
        Q(speaker=person) | Q(mentioned_person=person), edition=OuterRef("pk")
    )
    return published_articles().filter(Exists(shown))


def articles_under_topic(topic: Topic):
    """Stories published under ``topic``."""
    filed = PublishedTopic.objects.filter(topic=topic, edition=OuterRef("pk"))
    return published_articles().filter(Exists(filed))


def sources_by_id(edition_ids) -> dict:
    """The published sources of these stories: {(edition id, source id): source dict}."""
    rows = PublishedSource.objects.filter(edition_id__in=edition_ids)
    return {(row.edition_id, row.source_id): _source(row) for row in rows}


# Rows back into the story's dicts.


def entry_of(row: PublishedAnnotation, source: PublishedSource | None = None) -> dict:
    """A published annotation as ``story.derived`` reads it, the shape the working copy renders.

    With its published ``source``, it says where a reader opens the passage quoted.
    """
    return {
        "id": row.annotation_id,
        "kind": row.kind,
        "number": row.number,
        "exact": row.exact,
        "prefix": row.prefix,
        "suffix": row.suffix,
        "start": row.start,
        "end": row.end,
        "speaker_name": row.speaker_name,
        "speaker_description": row.speaker_description,
        "speaker_url": row.speaker.get_absolute_url() if row.speaker_id else "",
        "speaker_organization_url": (
            row.speaker_organization.get_absolute_url() if row.speaker_organization_id else ""
        ),
        "position_title": row.position_title,
        "position_organization": row.position_organization,
        "source_title": row.source_title,
        "subject": subject_of(row.mentioned_person or row.mentioned_organization),
        "place_name": row.mentioned_place.name if row.mentioned_place_id else "",
        "passage_url": passage_url(row, source),
        **{f"{name}_id": getattr(row, f"{name}_id") for name in Annotation.LINKS},
    }


# Sources and the passages quoted from them.


def passage_url(row: PublishedAnnotation, source: PublishedSource | None) -> str:
    """Where a reader opens the passage a published quote comes from, or "" when nowhere.

    A document the newsroom holds: its source page, the passage highlighted. A web page: its
    address with a text fragment naming the quote's words. An anonymous source: nowhere.
    """
    if row.kind != Annotation.Kind.QUOTE or source is None or source.anonymous:
        return ""
    if source.document:
        if row.passage_start is None:
            return ""
        page = reverse("articles:source", kwargs={"pk": source.source_id})
        return f"{page}?quote={row.annotation_id}#passage"
    if source.url:
        return verification.text_fragment_url(source.url, row.exact)
    return ""


def documents_published():
    """Published copies of named sources' documents. A source some live story keeps anonymous
    has none, whatever another story says of it: its document could name who is behind it."""
    kept_anonymous = PublishedSource.objects.filter(source=OuterRef("source"), anonymous=True)
    return (
        PublishedSource.objects.exclude(document="")
        .filter(anonymous=False)
        .exclude(Exists(kept_anonymous))
    )


def source_document(source_id: int, quote_id: str = "") -> dict:
    """A source's page: its published document, with the passage of a published quote citing
    it (``quote_id``, the working annotation's id) marked; 404 unless a live story cites the
    source by name with its document."""
    if not 0 < source_id < 2**63:  # an id no database column holds names nothing
        raise Http404(NOT_FOUND)
    copies = documents_published().filter(source_id=source_id).select_related("edition")
    passage = None
    if quote_id.isascii() and quote_id.isdigit() and len(quote_id) <= 18:
        passage = (
            PublishedAnnotation.objects.filter(
                annotation_id=int(quote_id),
                source_id=source_id,
                kind=Annotation.Kind.QUOTE,
                passage_start__isnull=False,
                edition__sources__in=copies,
            )
            .select_related("edition")
            .first()
        )
    # The copy the quote's own story holds, else the newest: copies agree but for a moment.
    if passage is not None:
        copies = copies.filter(edition_id=passage.edition_id)
    row = copies.order_by("-edition__published_at", "-pk").first()
    if row is None:
        raise Http404(NOT_FOUND)
    stories = published_articles().filter(
        sources__in=documents_published().filter(source_id=source_id)
    )
    return {
        "source": _source(row),
        "document": _passage_split(row.document, passage),
        "passage": passage,
        "stories": [
            {"url": e.get_absolute_url(), "headline": e.headline} for e in stories.distinct()
        ],
    }


def _passage_split(document: str, passage: PublishedAnnotation | None) -> dict:
    """The document in three parts: before the passage, the passage, after it."""
    if passage is None or passage.passage_end > len(document):
        return {"before": document, "passage": "", "after": ""}
    start, end = passage.passage_start, passage.passage_end
    return {"before": document[:start], "passage": document[start:end], "after": document[end:]}


def _byline(row: PublishedByline) -> dict:
    return {"name": row.name, "url": row.person.get_absolute_url(), "person_id": row.person_id}


def _topic(row: PublishedTopic) -> dict:
    return {"name": row.name, "slug": row.slug, "topic_id": row.topic_id}


def _source(row: PublishedSource) -> dict:
    return {
        "id": row.source_id,
        "kind": row.kind,
        "kind_label": row.kind_label,
        "title": row.title,
        "url": row.url,
        "publisher": row.publisher,
        "date": row.date.isoformat() if row.date else "",
        "date_label": date_format(row.date, "j F Y") if row.date else "",
        "anonymous": row.anonymous,
        "justification": row.justification,
        "document_url": (
            reverse("articles:source", kwargs={"pk": row.source_id})
            if row.document and not row.anonymous
            else ""
        ),
    }


def _lead_image(edition: PublishedArticle) -> dict | None:
    if not edition.lead_image:
        return None
    return {
        "name": edition.lead_image,
        "url": edition.lead_image_url,
        "alt": edition.lead_image_alt,
        "caption": edition.lead_image_caption,
        "credit": edition.lead_image_credit,
    }
