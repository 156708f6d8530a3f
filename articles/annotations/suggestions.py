"""The attribution assistant's suggestions for an article, resolved to the newsroom's records.

``articles.attribution`` finds who said what in the plain text and knows nothing of the
database. Here each suggestion's speaker is looked up among the people (by name or any alias)
and organisations, given the position the person held on the article's date, and left out
when an editor rejected it or an annotation of its kind already covers its words. Accepting
writes through ``service`` like any hand-made annotation: the same checks, a revision.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, prefetch_related_objects

from articles.annotations import anchoring, service
from articles.attribution import suggest_quotes
from articles.editorial.permissions import can_annotate
from articles.models import Annotation, Article, RejectedSuggestion
from articles.models.annotation import SPAN_MISMATCH
from people.models import Organization, Person, Position

SUGGESTED_KINDS = (Annotation.Kind.QUOTE, Annotation.Kind.PARAPHRASE)
OPENING_MARKS = "“‘\"'«‹„"
CLOSING_MARKS = "”’\"'»›“"
NO_SPEAKER = (
    "its speaker is not among the newsroom's people: accept it on its own to add them, or "
    "choose the speaker"
)


@dataclass(frozen=True)
class Proposal:
    """A suggestion as the Annotate screen offers it: its words and the records it names."""

    start: int
    end: int
    kind: str
    confidence: float
    speaker_name: str
    speaker: Person | None
    speaker_organization: Organization | None
    position: Position | None

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.start}-{self.end}"


def suggestions_for(article: Article) -> list[Proposal]:
    """What the assistant proposes for ``article``, in reading order, minus what is settled."""
    text = article.plain_text
    rejected = set(article.rejected_suggestions.values_list("kind", "exact"))
    annotated = list(article.annotations.anchored().values_list("kind", "start", "end"))
    spans = []
    for suggestion in suggest_quotes(text):
        if suggestion.kind not in SUGGESTED_KINDS:
            continue
        start, end = _words(text, suggestion.start, suggestion.end, suggestion.kind)
        if start >= end or (suggestion.kind, text[start:end]) in rejected:
            continue
        if any(k == suggestion.kind and s < end and start < e for k, s, e in annotated):
            continue
        spans.append((suggestion, start, end))
    speakers = _resolve({(s.speaker_name or "").strip() for s, _, _ in spans} - {""})
    positions = _positions({p for p in speakers.values() if isinstance(p, Person)}, article)
    proposals = []
    for suggestion, start, end in spans:
        name = (suggestion.speaker_name or "").strip()
        record = speakers.get(name)
        person = record if isinstance(record, Person) else None
        proposals.append(
            Proposal(
                start=start,
                end=end,
                kind=suggestion.kind,
                confidence=suggestion.confidence,
                speaker_name=name,
                speaker=person,
                speaker_organization=record if isinstance(record, Organization) else None,
                position=positions.get(person),
            )
        )
    return proposals


def suggestion_reject(*, article: Article, user, kind: str, selector: dict) -> RejectedSuggestion:
    """Remember that an editor rejected these words as a ``kind``: not proposed again."""
    if not can_annotate(user, article, "add"):
        raise PermissionDenied(f"You may not annotate “{article}”.")
    if kind not in SUGGESTED_KINDS:
        raise ValidationError({"kind": "Only a suggested quote or paraphrase can be rejected."})
    text = article.plain_text
    try:
        span = anchoring.anchor(text, selector)
    except ValueError:
        span = None
    if span is None:
        raise ValidationError({"exact": SPAN_MISMATCH})
    start, end = span
    with transaction.atomic():
        rejection, _ = RejectedSuggestion.objects.get_or_create(
            article=article,
            kind=kind,
            exact=text[start:end],
            defaults={"start": start, "end": end, "rejected_by": user},
        )
    return rejection


@dataclass(frozen=True)
class Acceptance:
    """What accepting every suggestion above a confidence did."""

    accepted: list[Annotation]
    skipped: Counter  # why -> how many

    @property
    def message(self) -> str:
        count = len(self.accepted)
        said = f"Accepted {count} suggestion{'' if count == 1 else 's'}."
        if not self.skipped:
            return said
        total = sum(self.skipped.values())
        reasons = "; ".join(
            f"{number} because {reason[0].lower()}{reason[1:].rstrip('.')}"
            for reason, number in self.skipped.most_common()
        )
        return f"{said} Skipped {total}: {reasons}."


def suggestions_accept(*, article: Article, user, min_confidence: float) -> Acceptance:
    """Make an annotation of every suggestion at ``min_confidence`` or above that can be saved.

    Each goes through ``service.annotation_create`` (a revision each). One the service refuses
    (a quote needs a source, which no suggestion knows) or whose speaker is not on record is
    skipped and counted by its reason; the editor accepts those one by one.
    """
    if not can_annotate(user, article, "add"):
        raise PermissionDenied(f"You may not annotate “{article}”.")
    accepted, skipped = [], Counter()
    text = article.plain_text
    for proposal in suggestions_for(article):
        if proposal.confidence < min_confidence:
            continue
        if not (proposal.speaker or proposal.speaker_organization):
            skipped[NO_SPEAKER] += 1
            continue
        try:
            with transaction.atomic():
                accepted.append(
                    service.annotation_create(
                        article=article,
                        user=user,
                        kind=proposal.kind,
                        selector=anchoring.describe(text, proposal.start, proposal.end),
                        speaker=proposal.speaker and proposal.speaker.pk,
                        speaker_organization=(
                            proposal.speaker_organization and proposal.speaker_organization.pk
                        ),
                        position=proposal.position and proposal.position.pk,
                    )
                )
        except ValidationError as problem:
            for message in problem.messages:
                skipped[message] += 1
    return Acceptance(accepted=accepted, skipped=skipped)


def _words(text: str, start: int, end: int, kind: str) -> tuple[int, int]:
    """A quote's words without the story's quotation marks (and a comma closing the quote).

    Editors mark the speaker's words, not the typography around them, as the screen and the
    reader's page expect.
    """
    quoted = text[start] in OPENING_MARKS and text[end - 1] in CLOSING_MARKS
    if kind == Annotation.Kind.QUOTE and end - start > 2 and quoted:
        start, end = start + 1, end - 1
        if text[end - 1] == ",":
            end -= 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _resolve(names: set[str]) -> dict:
    """Each name's one person (by name or alias, else by surname) or organisation, if any.

    A name shared by several people or organisations resolves to none: the editor chooses.
    """
    if not names:
        return {}
    people = list(
        Person.objects.filter(
            _any(Q(name__icontains=name) | Q(aliases__icontains=name) for name in names)
        )
    )
    organizations = list(Organization.objects.filter(_any(Q(name__iexact=name) for name in names)))
    resolved = {}
    for name in names:
        wanted = name.casefold()
        found = [
            p for p in people if wanted in {n.casefold() for n in [p.name, *p.alias_list]}
        ] or [p for p in people if p.name.casefold().endswith(f" {wanted}")]
        found += [o for o in organizations if o.name.casefold() == wanted]
        if len(found) == 1:
            resolved[name] = found[0]
    return resolved


def _positions(people: set[Person], article: Article) -> dict:
    """The position each person held on the article's date, with its organisation.

    Else the one held the day before: a story reports words said up to the day before it,
    and someone who resigned yesterday spoke as what they were (Foote, envoy until the 22nd,
    in the story of the 23rd).
    """
    day = article.reference_date
    held = {
        person: person.position_on(day) or person.position_on(day - datetime.timedelta(days=1))
        for person in people
    }
    prefetch_related_objects([p for p in held.values() if p is not None], "organization")
    return {person: position for person, position in held.items() if position is not None}


def _any(conditions) -> Q:
    query = Q()
    for condition in conditions:
        query |= condition
    return query
