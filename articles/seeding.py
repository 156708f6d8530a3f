"""Loading the Foote story: people, organisations, positions, sources, the article, annotations.

Loading is idempotent and never overwrites: what exists (matched by slug, or by its natural
key) is left as an editor may have changed it; only what is missing is created.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from articles.annotations import anchoring, service
from articles.data import foote
from articles.editorial import workflow
from articles.models import Annotation, Article, Source, Topic
from people.models import Organization, Person, Place, Position


@transaction.atomic
def foote_story_load() -> tuple[Article, bool]:
    """Load the story and what it rests on; return the article and whether it was created."""
    organizations = _load_organizations()
    people = _load_people()
    positions = _load_positions(people, organizations)
    places = {
        slug: Place.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )[0]
        for slug, name, description in foote.PLACES
    }
    sources = _load_sources(organizations)
    topics = [
        Topic.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for name, slug in foote.TOPICS
    ]
    article, created = Article.objects.get_or_create(
        slug=foote.ARTICLE["slug"],
        defaults={**foote.ARTICLE, "body": foote.story_html()},
    )
    if created:
        article.bylines.set([people["newsroom-staff"]])
        article.topics.set(topics)
        links = {
            "people": people,
            "organizations": organizations,
            "places": places,
            "sources": sources,
            "positions": positions,
        }
        service.annotations_add(
            article=article,
            user=None,
            annotations=[_annotation(article, spec, links) for spec in foote.ANNOTATIONS],
            comment="Loaded the Foote story's annotations.",
        )
        for step in (workflow.submit, workflow.approve):
            step(article, user=None)
        workflow.publish(article, user=None, at=foote.PUBLISHED_AT)
    return article, created


def _load_organizations():
    organizations = {}
    for slug, name, kind, website, part_of in foote.ORGANIZATIONS:
        organizations[slug], _ = Organization.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "website": website,
                "part_of": organizations.get(part_of),
            },
        )
    return organizations


def _load_people():
    return {
        slug: Person.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "aliases": "\n".join(aliases),
                "bio": bio,
                "wikidata_id": wikidata_id,
            },
        )[0]
        for slug, name, aliases, bio, wikidata_id in foote.PEOPLE
    }


def _load_positions(people, organizations):
    positions = {}
    for person, title, organization, start, end, end_note in foote.POSITIONS:
        (start_date, start_precision), (end_date, end_precision) = start, end or (None, "day")
        positions[person, title], _ = Position.objects.get_or_create(
            person=people[person],
            title=title,
            defaults={
                "organization": organizations.get(organization),
                "start_date": start_date,
                "start_precision": start_precision,
                "end_date": end_date,
                "end_precision": end_precision,
                "end_note": end_note,
                # The story's positions are all matters of public record.
                "on_record": True,
            },
        )
    return positions


def _load_sources(organizations):
    sources = {}
    for key, (kind, title, publisher, date, justification) in foote.SOURCES.items():
        sources[key], _ = Source.objects.get_or_create(
            kind=kind,
            title=title,
            defaults={
                "publisher": organizations.get(publisher),
                "date": date,
                "anonymity_justification": justification,
            },
        )
    return sources


def _annotation(article, spec, links) -> Annotation:
    text = article.plain_text
    starts = anchoring.occurrences(text, spec["exact"])
    if not starts:
        raise ValidationError(f"The Foote story no longer contains “{spec['exact']}”.")
    start = starts[spec.get("occurrence", 1) - 1]
    return Annotation(
        article=article,
        kind=spec["kind"],
        exact=spec["exact"],
        start=start,
        end=start + len(spec["exact"]),
        speaker=links["people"].get(spec.get("speaker")),
        speaker_organization=links["organizations"].get(spec.get("speaker_organization")),
        speaker_description=spec.get("speaker_description", ""),
        position=links["positions"].get(spec.get("position")),
        source=links["sources"].get(spec.get("source")),
        mentioned_person=links["people"].get(spec.get("person")),
        mentioned_organization=links["organizations"].get(spec.get("organization")),
        mentioned_place=links["places"].get(spec.get("place")),
        note=spec.get("note", ""),
    )
