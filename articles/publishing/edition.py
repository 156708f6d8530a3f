"""What readers see of an article: its published state, frozen as a snapshot when it goes live.

Publishing renders the story once (body with quotes linked, who is quoted, sources, bylines)
and stores it on the article, so later edits reach readers only when they are published
again, and a public page costs one query for the article plus one for its corrections.
"""

from django.utils.formats import date_format

from articles.annotations import anchoring, rendering
from articles.editorial.revisions import revision_state
from articles.models import Annotation, Article, Source, Topic
from people.models import Organization, Person, Place, Position

RELATIONS = (
    "speaker",
    "speaker_organization",
    "position__organization",
    "source__publisher",
    "mentioned_person",
    "mentioned_organization",
    "mentioned_place",
)


def snapshot_build(article: Article) -> dict:
    """The snapshot of the article as it is now, its working copy."""
    annotations = list(article.annotations.select_related(*RELATIONS))
    return snapshot_of(article, annotations, article.bylines.all(), article.topics.all())


def snapshot_from_revision(article: Article, revision) -> dict:
    """The snapshot of the article as ``revision`` holds it, with today's names and links."""
    state = revision_state(article, revision)
    frozen = Article(pk=article.pk, **_plain_fields(state.fields))
    annotations = [Annotation(pk=pk, **fields) for pk, fields in state.annotations.items()]
    _attach_related(annotations)
    people = Person.objects.in_bulk(state.fields.get("bylines", []))
    topics = Topic.objects.filter(pk__in=state.fields.get("topics", []))
    return snapshot_of(frozen, annotations, people.values(), topics)


def published_annotations(article: Article) -> list[Annotation]:
    """The public annotations as published: what readers may see of them, in reading order."""
    if article.published_revision_id is None:
        return []
    state = revision_state(article, article.published_revision)
    wanted = set(article.published_snapshot.get("annotation_ids", []))
    annotations = [
        Annotation(pk=pk, **fields) for pk, fields in state.annotations.items() if pk in wanted
    ]
    _attach_related(annotations)
    return sorted(annotations, key=lambda a: (a.start, -a.end, a.pk))


def snapshot_of(article, annotations, bylines, topics) -> dict:
    public = sorted(
        (a for a in annotations if a.kind in Annotation.PUBLIC_KINDS and not a.is_orphaned),
        key=lambda a: (a.start, -a.end, a.pk),
    )
    quotes = [a for a in public if a.kind in Annotation.SPEAKER_KINDS]
    numbers = {quote.pk: number for number, quote in enumerate(quotes, start=1)}
    sources = {}
    for quote in quotes:
        if quote.source is not None:
            sources.setdefault(quote.source.pk, quote.source)
    return {
        "headline": article.headline,
        "dek": article.dek,
        "body_html": rendering.render_body(article.body, [_span(a, numbers) for a in public]),
        "text": anchoring.plain_text(article.body),
        "lead_image": _lead_image(article),
        "bylines": [{"name": p.name, "url": p.get_absolute_url()} for p in bylines],
        "topics": [{"name": topic.name, "slug": topic.slug} for topic in topics],
        "quotes": [_quote(quote, numbers[quote.pk]) for quote in quotes],
        "sources": [_source(source) for source in sources.values()],
        "mentioned": _mentioned(public),
        "annotation_ids": [annotation.pk for annotation in public],
    }


def _mentioned(annotations) -> list[dict]:
    """Who and what the story names, each once, in reading order: schema.org ``mentions``."""
    seen = {}
    for annotation in annotations:
        for subject, kind in (
            (annotation.speaker, "Person"),
            (annotation.mentioned_person, "Person"),
            (annotation.mentioned_organization, "Organization"),
        ):
            if subject is not None:
                seen.setdefault(
                    subject.get_absolute_url(),
                    {"type": kind, "name": subject.name, "url": subject.get_absolute_url()},
                )
    return list(seen.values())


def _span(annotation, quote_numbers) -> rendering.Span:
    """How an annotation shows in the body: quotes link their speaker and footnote their source."""
    data = (("annotation-id", str(annotation.pk)),)
    if annotation.kind in Annotation.SPEAKER_KINDS:
        number = quote_numbers[annotation.pk]
        title = annotation.speaker_name
        if annotation.position is not None:
            title = f"{title}, {annotation.position.title}"
        speaker = annotation.speaker
        return rendering.Span(
            start=annotation.start,
            end=annotation.end,
            kind=annotation.kind,
            # A direct quote is a few words and links its speaker; a paraphrase may run for
            # sentences holding links of its own, so it points to its note instead.
            href=speaker.get_absolute_url() if speaker and annotation.kind == "quote" else "",
            title=title,
            element_id=f"annotation-{annotation.pk}",
            ref_label=str(number),
            ref_href=f"#quote-note-{number}",
            data=data,
        )
    subject = annotation.mentioned_person or annotation.mentioned_organization
    return rendering.Span(
        start=annotation.start,
        end=annotation.end,
        kind=annotation.kind,
        href=subject.get_absolute_url() if subject else "",
        title=str(subject or annotation.mentioned_place or ""),
        element_id=f"annotation-{annotation.pk}",
        data=data,
    )


def _quote(quote, number) -> dict:
    position = quote.position
    return {
        "id": quote.pk,
        "number": number,
        "kind": quote.kind,
        "kind_label": quote.get_kind_display(),
        "exact": quote.exact,
        # The words around the quote, so a list of quotes can show them in their context.
        "before": quote.prefix,
        "after": quote.suffix,
        "speaker_name": quote.speaker_name,
        "speaker_organization_url": (
            quote.speaker_organization.get_absolute_url() if quote.speaker_organization else ""
        ),
        "speaker_url": quote.speaker.get_absolute_url() if quote.speaker else "",
        "position": position.title if position else "",
        "organization": position.organization.name if position and position.organization else "",
        "source_id": quote.source.pk if quote.source else None,
        "source_title": quote.source.title if quote.source else "",
    }


def _source(source: Source) -> dict:
    return {
        "id": source.pk,
        "kind_label": source.get_kind_display(),
        "title": source.title,
        # Only web addresses become links: a stored "javascript:" URL must never be one.
        "url": source.url if source.url.lower().startswith(("https://", "http://")) else "",
        "publisher": source.publisher.name if source.publisher else "",
        "date": source.date.isoformat() if source.date else "",
        "date_label": date_format(source.date, "j F Y") if source.date else "",
        "anonymous": source.is_anonymous,
        "justification": source.anonymity_justification,
    }


def _lead_image(article) -> dict | None:
    if not article.lead_image:
        return None
    return {
        "name": article.lead_image.name,
        "url": article.lead_image.url,
        "alt": article.lead_image_alt,
        "caption": article.lead_image_caption,
        "credit": article.lead_image_credit,
    }


def _plain_fields(fields: dict) -> dict:
    return {name: value for name, value in fields.items() if name not in ("bylines", "topics")}


def _attach_related(annotations):
    """Give reconstructed annotations their related records in a few queries, not one each."""

    def ids(*names):
        return {getattr(a, f"{name}_id") for a in annotations for name in names} - {None}

    people = Person.objects.in_bulk(ids("speaker", "mentioned_person"))
    positions = Position.objects.select_related("organization").in_bulk(ids("position"))
    sources = Source.objects.select_related("publisher").in_bulk(ids("source"))
    organizations = Organization.objects.in_bulk(
        ids("speaker_organization", "mentioned_organization")
    )
    places = Place.objects.in_bulk(ids("mentioned_place"))
    for annotation in annotations:
        annotation.speaker = people.get(annotation.speaker_id)
        annotation.mentioned_person = people.get(annotation.mentioned_person_id)
        annotation.position = positions.get(annotation.position_id)
        annotation.source = sources.get(annotation.source_id)
        annotation.speaker_organization = organizations.get(annotation.speaker_organization_id)
        annotation.mentioned_organization = organizations.get(annotation.mentioned_organization_id)
        annotation.mentioned_place = places.get(annotation.mentioned_place_id)
