"""A story as a page shows it, rendered from the working copy or from a revision.

The rendering (body with quotes linked, who is quoted, sources, bylines, topics) is one dict,
the "story", which the article template reads. Staff previews render the working copy;
publishing renders the revision being published and writes it as the published edition's rows
(``articles.publishing.edition``), from which ``selectors.story_of`` gives readers the same
dict back. What a story holds is what readers may see: notes, claims, orphans and the person
behind an anonymous source are left out here, so nothing downstream can show them.
"""

import re

from django.urls import reverse
from django.utils.formats import date_format

from articles.annotations import anchoring, rendering, verification
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


def story_build(article: Article) -> dict:
    """The story as the working copy has it: what a preview shows."""
    annotations = list(article.annotations.select_related(*RELATIONS))
    return story_of(article, annotations, article.bylines.all(), article.topics.all())


def story_from_revision(article: Article, revision, anonymous_source_ids=frozenset()) -> dict:
    """The story as ``revision`` holds it, with today's names and links.

    Sources in ``anonymous_source_ids`` stay anonymous whatever their records say now.
    """
    state = revision_state(article, revision)
    frozen = Article(pk=article.pk, **_plain_fields(state.fields))
    annotations = [Annotation(pk=pk, **fields) for pk, fields in state.annotations.items()]
    _attach_related(annotations)
    people = Person.objects.in_bulk(state.fields.get("bylines", []))
    topics = Topic.objects.filter(pk__in=state.fields.get("topics", []))
    return story_of(frozen, annotations, people.values(), topics, anonymous_source_ids)


def story_of(article, annotations, bylines, topics, anonymous_source_ids=frozenset()) -> dict:
    """The story of ``article`` with these annotations, bylines and topics."""
    public = sorted(
        (a for a in annotations if a.kind in Annotation.PUBLIC_KINDS and not a.is_orphaned),
        key=lambda a: (a.start, -a.end, a.pk),
    )
    sources = {}
    for annotation in public:
        if annotation.kind in Annotation.SPEAKER_KINDS and annotation.source is not None:
            sources.setdefault(annotation.source.pk, annotation.source)
    entries = numbered([_entry(annotation, anonymous_source_ids) for annotation in public])
    return {
        "slug": article.slug,
        "headline": article.headline,
        "dek": article.dek,
        "body_html": rendering.render_body(article.body, [_span(entry) for entry in entries]),
        "text": anchoring.plain_text(article.body),
        "lead_image": _lead_image(article),
        "bylines": [
            {"name": p.name, "url": p.get_absolute_url(), "person_id": p.pk} for p in bylines
        ],
        "topics": [{"name": t.name, "slug": t.slug, "topic_id": t.pk} for t in topics],
        "sources": [_source(source) for source in sources.values()],
        **derived(entries),
    }


def numbered(entries: list[dict]) -> list[dict]:
    """Number the quotes and paraphrases in reading order: their footnotes."""
    number = 0
    for entry in entries:
        if entry["kind"] in Annotation.SPEAKER_KINDS:
            number += 1
            entry["number"] = number
        else:
            entry["number"] = None
    return entries


def derived(entries: list[dict]) -> dict:
    """What a story shows of its annotations: one derivation for the working copy and the
    published edition alike."""
    return {
        "annotations": entries,
        "quotes": [_quote(entry) for entry in entries if entry["number"] is not None],
        "mentioned": _mentioned(entries),
    }


def _entry(annotation, anonymous_source_ids) -> dict:
    """An annotation as readers may see it: its words, its links and how they read.

    Behind an anonymous source the person and their position stay out: readers see how the
    story describes the speaker, and the newsroom's reason for the anonymity.
    """
    anonymous = annotation.source is not None and (
        annotation.source.is_anonymous or annotation.source_id in anonymous_source_ids
    )
    speaker = None if anonymous else annotation.speaker
    position = None if anonymous else annotation.position
    speaker_name = annotation.speaker_name
    if anonymous and annotation.speaker_id:
        organization = annotation.speaker_organization
        speaker_name = annotation.speaker_description or (
            organization.name if organization else annotation.source.title
        )
    links = {f"{name}_id": getattr(annotation, f"{name}_id") for name in Annotation.LINKS}
    links.update(speaker_id=speaker.pk if speaker else None, position_id=position and position.pk)
    subject = annotation.mentioned_person or annotation.mentioned_organization
    return {
        "id": annotation.pk,
        "kind": annotation.kind,
        "exact": annotation.exact,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
        "start": annotation.start,
        "end": annotation.end,
        "speaker_name": speaker_name if annotation.kind in Annotation.SPEAKER_KINDS else "",
        "speaker_description": annotation.speaker_description,
        "speaker_url": speaker.get_absolute_url() if speaker else "",
        "speaker_organization_url": (
            annotation.speaker_organization.get_absolute_url()
            if annotation.speaker_organization
            else ""
        ),
        "position_title": position.title if position else "",
        "position_organization": (
            position.organization.name if position and position.organization else ""
        ),
        "source_title": annotation.source.title if annotation.source else "",
        "subject": subject_of(subject),
        "place_name": annotation.mentioned_place.name if annotation.mentioned_place else "",
        "passage_url": _passage_url(annotation, anonymous),
        **links,
    }


def _passage_url(annotation, anonymous: bool) -> str:
    """Where a reader opens the passage a quote comes from: the page of a document the
    newsroom holds, the passage marked; a web page's address with a text fragment naming the
    words; nothing for an anonymous source, whose document could say who is behind it."""
    source = annotation.source
    if annotation.kind != Annotation.Kind.QUOTE or source is None or anonymous:
        return ""
    if source.document:
        if verification.find_in_document(annotation.exact, source.document) is None:
            return ""
        page = reverse("articles:source", kwargs={"pk": source.pk})
        return f"{page}?quote={annotation.pk}#passage"
    url = _source(source)["url"]
    return verification.text_fragment_url(url, annotation.exact) if url else ""


def subject_of(subject) -> dict | None:
    """A person or organisation an annotation names, as schema.org and links need it."""
    if subject is None:
        return None
    kind = "Person" if isinstance(subject, Person) else "Organization"
    return {"type": kind, "name": subject.name, "url": subject.get_absolute_url()}


def _mentioned(entries) -> list[dict]:
    """Who and what the story names, each once, in reading order: schema.org ``mentions``."""
    seen = {}
    for entry in entries:
        things = [entry["subject"]]
        if entry["speaker_url"]:
            things.insert(
                0, {"type": "Person", "name": entry["speaker_name"], "url": entry["speaker_url"]}
            )
        for thing in things:
            if thing is not None:
                seen.setdefault(thing["url"], thing)
    return list(seen.values())


def _span(entry) -> rendering.Span:
    """How an annotation shows in the body: quotes link their speaker and footnote their source."""
    data = (("annotation-id", str(entry["id"])),)
    if entry["number"] is not None:
        title = entry["speaker_name"]
        if entry["position_title"]:
            title = f"{title}, {entry['position_title']}"
        return rendering.Span(
            start=entry["start"],
            end=entry["end"],
            kind=entry["kind"],
            # A direct quote is a few words and links its speaker; a paraphrase may run for
            # sentences holding links of its own, so it points to its note instead.
            href=entry["speaker_url"] if entry["kind"] == "quote" else "",
            title=title,
            element_id=f"annotation-{entry['id']}",
            ref_label=str(entry["number"]),
            ref_href=f"#quote-note-{entry['number']}",
            data=data,
        )
    subject = entry["subject"]
    return rendering.Span(
        start=entry["start"],
        end=entry["end"],
        kind=entry["kind"],
        href=subject["url"] if subject else "",
        title=subject["name"] if subject else entry["place_name"],
        element_id=f"annotation-{entry['id']}",
        data=data,
    )


def _quote(entry) -> dict:
    return {
        "id": entry["id"],
        "number": entry["number"],
        "kind": entry["kind"],
        "kind_label": Annotation.Kind(entry["kind"]).label,
        "exact": entry["exact"],
        # The words around the quote, so a list of quotes can show them in their context.
        "before": context_before(entry["prefix"], entry["start"]),
        "after": context_after(entry["suffix"]),
        "speaker_name": entry["speaker_name"],
        # An unnamed speaker described by the source's own title ("Sources within the Biden
        # Administration"): the source is named once, as the speaker.
        "speaker_is_source": bool(entry["source_id"])
        and not entry["speaker_url"]
        and same_words(entry["speaker_name"], entry["source_title"]),
        "speaker_organization_url": entry["speaker_organization_url"],
        "speaker_url": entry["speaker_url"],
        "position": entry["position_title"],
        "organization": entry["position_organization"],
        "source_id": entry["source_id"],
        "source_title": entry["source_title"],
        "passage_url": entry["passage_url"],
    }


ELLIPSIS = "…"


def context_before(prefix: str, start: int | None) -> str:
    """The words before a quote as a snippet shows them, from ``prefix`` (the stored context).

    Only its paragraph; and where the context was cut short of it, from the first whole word
    on, after an ellipsis: "…over what he called the “", never "…sition over what he called".
    """
    if "\n" in prefix:
        return _spaced(prefix.rsplit("\n", 1)[1])
    if start is not None and start <= len(prefix):  # the context reaches the text's start
        return _spaced(prefix)
    words = _spaced(re.sub(r"^\S+", "", prefix)).lstrip()
    return ELLIPSIS + words


def context_after(suffix: str) -> str:
    """The words after a quote as a snippet shows them, from ``suffix`` (the stored context):
    to the end of its paragraph, or to the last whole word and an ellipsis where it was cut."""
    if "\n" in suffix:
        return _spaced(suffix.split("\n", 1)[0])
    if len(suffix) < anchoring.CONTEXT_SIZE:  # the context reaches the text's end
        return _spaced(suffix)
    words = _spaced(re.sub(r"\S+$", "", suffix)).rstrip()
    return words + ELLIPSIS


def _spaced(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def same_words(first: str, second: str) -> bool:
    """Whether two names read the same to a reader: case, spacing and a final stop aside."""

    def words(text):
        return " ".join(text.split()).rstrip(".").casefold()

    return bool(words(first)) and words(first) == words(second)


def _source(source: Source) -> dict:
    return {
        "id": source.pk,
        "kind": source.kind,
        "kind_label": source.get_kind_display(),
        "title": source.title,
        # Only web addresses become links: a stored "javascript:" URL must never be one.
        "url": source.url if source.url.lower().startswith(("https://", "http://")) else "",
        "publisher": source.publisher.name if source.publisher else "",
        "date": source.date.isoformat() if source.date else "",
        "date_label": date_format(source.date, "j F Y") if source.date else "",
        "anonymous": source.is_anonymous,
        "justification": source.anonymity_justification,
        "document_url": (
            reverse("articles:source", kwargs={"pk": source.pk})
            if source.document and not source.is_anonymous
            else ""
        ),
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
