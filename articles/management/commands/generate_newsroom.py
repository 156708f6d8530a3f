"""A synthetic newsroom to measure the public site against, the same for the same seed.

People hold positions at organisations; articles of 600 to 900 words carry quotes and
paraphrases (speaker, source, the position held that day), mentions, claims and notes. Rows are
written with ``bulk_create``; every span is checked against the body's plain text before it is
written, and every article is published by the published edition's writer from a revision of
it, as a publisher's click would.
"""

import datetime
import html
import random
import time
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.annotations import anchoring
from articles.data import foote
from articles.editorial.revisions import revision_record
from articles.models import Annotation, Article, Source, Topic
from articles.publishing import edition
from articles.sanitizing import sanitize_body
from newsroom.caching import invalidate_when_committed
from people.models import Organization, Person, Place, Position

FIRST_NAMES = (
    "Ana", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kemi",
    "Luis", "Maya", "Nadia", "Omar", "Paula", "Quinn", "Rosa", "Samir", "Tara", "Umar", "Vera",
    "Wen", "Ximena", "Yusuf", "Zoe", "Marc", "Lea", "Ravi", "Sofia", "Ivan", "Amara", "Pierre",
    "Chloe", "Tomas", "Leila", "Mateo", "Nora", "Kwame", "Ingrid", "Diego", "Hana", "Felix",
    "Esther", "Rami", "Julia", "Anil", "Clara", "Mireille",
)  # fmt: skip
LAST_NAMES = (
    "Adeyemi", "Baptiste", "Castillo", "Dubois", "Eriksen", "Fontaine", "Garcia", "Haddad",
    "Ito", "Jean-Louis", "Kowalski", "Lambert", "Mendez", "Nakamura", "Okafor", "Petit",
    "Quispe", "Rahman", "Silva", "Toussaint", "Ueda", "Vargas", "Wright", "Xavier", "Yilmaz",
    "Zamora", "Charles", "Pierre-Louis", "Moreau", "Novak", "Osei", "Pereira", "Rossi",
    "Schmidt", "Tanaka", "Ulloa", "Volkov", "Weber", "Alvarez", "Bianchi", "Cohen", "Desir",
    "Estime", "Fischer", "Guerrier", "Hoffmann", "Joseph",
)  # fmt: skip
SUBJECTS = (
    "the ministry", "local officials", "the council", "aid groups", "the agency", "residents",
    "the committee", "lawmakers", "the court", "investigators", "the company", "union leaders",
    "the mayor's office", "border authorities", "election observers", "the central bank",
)  # fmt: skip
VERBS = (
    ("announced", "announces"), ("rejected", "rejects"), ("reviewed", "reviews"),
    ("delayed", "delays"), ("approved", "approves"), ("questioned", "questions"),
    ("defended", "defends"), ("expanded", "expands"), ("suspended", "suspends"),
    ("criticised", "criticises"), ("confirmed", "confirms"), ("proposed", "proposes"),
    ("abandoned", "abandons"), ("funded", "funds"), ("postponed", "postpones"),
)  # fmt: skip
OBJECTS = (
    "the new budget", "a plan to rebuild the port", "the deportation flights",
    "the water contract", "an inquiry into the spending", "the ceasefire talks",
    "the housing programme", "emergency aid", "the proposed tariff", "the asylum rules",
    "a review of the police", "the school closures", "the vaccine rollout",
    "the election timetable", "the bridge repairs", "the fuel subsidies", "the hospital reforms",
)  # fmt: skip
TAILS = (
    "on Tuesday", "last week", "after months of debate", "despite protests", "in a statement",
    "before the vote", "at a hearing", "for the second time this year", "without explanation",
    "under pressure from donors", "late on Friday", "after a long night of talks",
)  # fmt: skip
CONNECTORS = ("Meanwhile, ", "However, ", "By then, ", "In the capital, ", "Even so, ")
COUNTED = ("people", "families", "households", "students", "workers", "migrants", "voters")
UNNAMED = ("Two officials familiar with the talks", "A senior official", "People briefed on it")
PLACE_FIRST = (
    "Port", "Saint", "North", "South", "Cap", "Mont", "Bay", "San", "Lake", "Fort", "Grand",
    "Little", "East", "West",
)  # fmt: skip
PLACE_SECOND = (
    "Marie", "Verde", "Rouge", "Haven", "Clair", "Royal", "Plaine", "Rock", "Falls", "Creek",
    "Morne", "Anse", "Ridge", "Sable",
)  # fmt: skip
ORGANIZATION_KINDS = {
    Organization.Kind.GOVERNMENT: (
        "Ministry of {}",
        ("Minister", "Deputy Minister", "Spokesperson", "Chief of Staff"),
    ),
    Organization.Kind.AGENCY: ("{} Authority", ("Director", "Commissioner", "Deputy Director")),
    Organization.Kind.NEWS: ("The {} Courier", ("Editor", "Correspondent", "Columnist")),
    Organization.Kind.PARTY: ("{} Alliance", ("Leader", "Chair", "Spokesperson")),
    Organization.Kind.NGO: ("{} Relief Fund", ("Director", "Field Coordinator", "Researcher")),
}
DOMAINS = (
    "Finance", "Health", "Water", "Transport", "Labour", "Justice", "Energy", "Housing",
    "Education", "Trade", "Agriculture", "Migration", "Defence", "Culture", "Planning",
    "Fisheries", "Tourism", "Mining", "Ports", "Statistics",
)  # fmt: skip
TOPIC_NAMES = (
    "Politics", "Economy", "Health", "Migration", "Elections", "Justice", "Environment",
    "Education", "Housing", "Energy", "Trade", "Transport", "Security", "Culture",
)  # fmt: skip
KIND_WEIGHTS = {"quote": 30, "paraphrase": 15, "mention": 45, "claim": 5, "note": 5}
FOOTE_WEIGHT = 5  # the Foote story's people are quoted and mentioned this much more than others
FIRST_DAY = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
DAYS = 5 * 365
PUBLICATION_FIELDS = (
    "published_revision", "live", "status", "published_at", "first_published_at",
    "status_changed_at", "has_unpublished_changes", "updated_at",
)  # fmt: skip
JUSTIFICATION = (
    "The officials were not authorised to speak publicly; the story uses them only for what "
    "the documents it cites corroborate."
)


@dataclass
class Plan:
    """One article before it is written: its row, its sources, and its spans on the text."""

    article: Article
    published_at: datetime.datetime
    sources: list[Source] = field(default_factory=list)
    annotations: list[dict] = field(default_factory=list)  # each one's fields
    bylines: list[Person] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)


class Command(BaseCommand):
    help = (
        "Generate a synthetic newsroom (people, positions, organisations, sources, topics and "
        "published articles with annotations), the same for the same --seed, for benchmarks. "
        "Loads the Foote story first. Refuses a database that holds other articles unless "
        "--force. Rows are bulk-created and no review log entries are written; each article "
        "gets one revision and is published from it by the published edition's writer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument("--people", type=int, default=200)
        parser.add_argument("--annotations", type=int, default=20000)
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument("--batch-size", type=int, default=1000, help="Articles per batch.")
        parser.add_argument(
            "--force", action="store_true", help="Add to a database that has other articles."
        )

    def handle(self, *args, articles, people, annotations, seed, batch_size, force, **options):
        if min(articles, people, annotations) < 0 or batch_size < 1:
            raise CommandError("Counts cannot be negative, and a batch holds at least one article.")
        if annotations and not articles:
            raise CommandError("Annotations need articles: give --articles 1 or more.")
        if not force and Article.objects.exclude(slug=foote.ARTICLE["slug"]).exists():
            raise CommandError(
                "This database already has articles other than the Foote story. Use an empty "
                "database (set DATABASE_URL), or add to this one with --force."
            )
        began = time.perf_counter()
        call_command("load_foote_story", stdout=self.stdout)
        generator = Generator(random.Random(seed))
        with transaction.atomic():
            generator.create_cast(people)
            self._progress(began, f"{people:,} people, their positions and organisations")
            counts = spread(generator.rng, annotations, articles)
            for first in range(0, articles, batch_size):
                generator.create_articles(counts[first : first + batch_size])
                done = min(first + batch_size, articles)
                self._progress(began, f"{done:,}/{articles:,} articles published")
            invalidate_when_committed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {articles:,} articles, {people:,} people, {generator.sources:,} "
                f"sources and {annotations:,} annotations in {time.perf_counter() - began:.1f} s."
            )
        )

    def _progress(self, began, what):
        self.stdout.write(f"  {time.perf_counter() - began:7.1f} s  {what}")
        self.stdout.flush()


def spread(rng: random.Random, total: int, among: int) -> list[int]:
    """``total`` split over ``among`` parts of uneven size (half to one and a half the mean)."""
    if not among:
        return []
    weights = [rng.uniform(0.5, 1.5) for _ in range(among)]
    scale = total / sum(weights)
    counts = [int(weight * scale) for weight in weights]
    for index in rng.sample(range(among), total - sum(counts)):
        counts[index] += 1
    return counts


def unique_slug(text: str, taken: set[str]) -> str:
    base = slugify(text)[:180] or "item"
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


class Weighted:
    """Draws from items with weights, fast enough for hundreds of thousands of draws."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.bounds = list(accumulate(weights))

    def draw(self, rng):
        return self.items[bisect_right(self.bounds, rng.random() * self.bounds[-1])]


class Generator:
    """Writes the newsroom: the cast once, then articles batch by batch, all from one seed."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.sources = 0
        self.article_slugs = set(Article.objects.values_list("slug", flat=True))
        self.positions = {}  # person pk -> positions, latest start first

    def create_cast(self, count: int) -> None:
        """People, the organisations they work for, their positions, places and topics."""
        rng = self.rng
        taken = set(Organization.objects.values_list("slug", flat=True))
        organizations = []
        for _ in range(max(20, count // 20)):
            kind = rng.choice(list(ORGANIZATION_KINDS))
            name = ORGANIZATION_KINDS[kind][0].format(rng.choice((*DOMAINS, *_place_names(rng, 1))))
            organizations.append(Organization(name=name, slug=unique_slug(name, taken), kind=kind))
        Organization.objects.bulk_create(organizations, batch_size=1000)
        taken = set(Person.objects.values_list("slug", flat=True))
        people = []
        for _ in range(count):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            people.append(Person(name=name, slug=unique_slug(name, taken), aliases=name.split()[1]))
        Person.objects.bulk_create(people, batch_size=1000)
        reporters, speakers = people[: max(3, count // 50)], people[max(3, count // 50) :]
        positions = [self._position(rng, person, organizations) for person in speakers]
        positions += [self._position(rng, person, organizations) for person in speakers[::3]]
        Position.objects.bulk_create(positions, batch_size=2000)
        for person in reporters:
            person.bio = "Reporter on the Newsroom desk."
        Person.objects.bulk_update(reporters, ["bio"], batch_size=1000)
        foote_people = list(Person.objects.filter(slug__in=[p[0] for p in foote.PEOPLE]))
        foote_people = [person for person in foote_people if person.slug != "newsroom-staff"]
        for position in [*Position.objects.filter(person__in=foote_people), *positions]:
            self.positions.setdefault(position.person_id, []).append(position)
        for held in self.positions.values():
            held.sort(key=lambda position: position.start_date, reverse=True)
        speaker_weights = [FOOTE_WEIGHT] * len(foote_people) + [1] * len(speakers)
        self.speakers = Weighted(foote_people + speakers, speaker_weights)
        self.reporters = reporters or list(Person.objects.filter(slug="newsroom-staff"))
        self.organizations = list(Organization.objects.all())
        taken = set(Place.objects.values_list("slug", flat=True))
        names = sorted(set(_place_names(rng, 60)))
        Place.objects.bulk_create([Place(name=n, slug=unique_slug(n, taken)) for n in names])
        self.places = list(Place.objects.all())
        self.haiti = Place.objects.filter(slug="haiti").first()
        taken = set(Topic.objects.values_list("slug", flat=True))
        Topic.objects.bulk_create(
            [
                Topic(name=n, slug=unique_slug(n, taken))
                for n in TOPIC_NAMES
                if slugify(n) not in taken
            ]
        )
        self.topics = list(Topic.objects.exclude(slug="haiti"))
        self.haiti_topic = Topic.objects.filter(slug="haiti").first()

    @staticmethod
    def _position(rng, person, organizations) -> Position:
        organization = rng.choice(organizations)
        title = rng.choice(ORGANIZATION_KINDS.get(organization.kind, ("", ("Adviser",)))[1])
        start = datetime.date(2014, 1, 1) + datetime.timedelta(days=rng.randrange(9 * 365))
        end = None
        if rng.random() < 0.4:
            end = start + datetime.timedelta(days=rng.randrange(200, 2000))
        return Position(
            person=person, organization=organization, title=title, start_date=start, end_date=end
        )

    def position_on(self, person: Person, day: datetime.date):
        """What ``Person.position_on`` answers, from memory: the latest started that day."""
        for position in self.positions.get(person.pk, ()):
            if position.start_date <= day and (
                position.end_date is None or position.end_date >= day
            ):
                return position
        return None

    def create_articles(self, counts: list[int]) -> None:
        """Plan, write and publish one batch of articles with ``counts[i]`` annotations each."""
        plans = [self._plan(count) for count in counts]
        Article.objects.bulk_create([plan.article for plan in plans], batch_size=1000)
        sources = [source for plan in plans for source in plan.sources]
        Source.objects.bulk_create(sources, batch_size=1000)
        self.sources += len(sources)
        Bylines, Topics = Article.bylines.through, Article.topics.through
        Bylines.objects.bulk_create(
            [Bylines(article=p.article, person=person) for p in plans for person in p.bylines],
            batch_size=2000,
        )
        Topics.objects.bulk_create(
            [Topics(article=p.article, topic=topic) for p in plans for topic in p.topics],
            batch_size=2000,
        )
        Annotation.objects.bulk_create(
            [Annotation(article=p.article, **fields) for p in plans for fields in p.annotations],
            batch_size=2000,
        )
        now = timezone.now()
        for plan in plans:
            article = plan.article
            article.published_revision = revision_record(article=article, comment="Published.")
            article.live, article.status = True, Article.Status.PUBLISHED
            article.published_at = article.first_published_at = plan.published_at
            article.status_changed_at, article.updated_at = plan.published_at, now
            edition.edition_publish(article=article)
        Article.objects.bulk_update(
            [plan.article for plan in plans],
            PUBLICATION_FIELDS,
            batch_size=1000,
        )

    def _plan(self, annotation_count: int) -> Plan:
        rng = self.rng
        published_at = FIRST_DAY + datetime.timedelta(
            days=rng.randrange(DAYS), hours=rng.randrange(6, 22), minutes=rng.randrange(60)
        )
        about_haiti = self.haiti is not None and rng.random() < 0.1
        places = rng.sample(self.places, 2) + ([self.haiti] if about_haiti else [])
        writer = Writer(rng, [place.name for place in places])
        headline = writer.headline()
        article = Article(
            headline=headline,
            slug=unique_slug(headline, self.article_slugs),
            dek=writer.sentence(),
            status=Article.Status.DRAFT,
        )
        plan = Plan(article=article, published_at=published_at)
        day = published_at.date()
        plan.sources = self._sources(rng, day)
        kinds = rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()), k=annotation_count)
        marked = [self._annotated_sentence(writer, kind, plan, day) for kind in kinds]
        body_html, text, spans = writer.body(marked, words=rng.randint(600, 900))
        article.body = sanitize_body(body_html)
        if anchoring.plain_text(article.body) != text:
            raise CommandError("A generated body's plain text differs from the one planned.")
        for start, end, fields in spans:
            selector = anchoring.describe(text, start, end)
            if selector["exact"] != fields["exact"]:
                raise CommandError(f"A generated span does not hold: {fields['exact']!r}.")
            fields.update(prefix=selector["prefix"], suffix=selector["suffix"])
            plan.annotations.append({**fields, "start": start, "end": end})
        plan.bylines = rng.sample(self.reporters, min(len(self.reporters), rng.choice((1, 1, 2))))
        plan.topics = rng.sample(self.topics, rng.randint(1, 2))
        if about_haiti and self.haiti_topic:
            plan.topics.append(self.haiti_topic)
        return plan

    def _sources(self, rng, day) -> list[Source]:
        organization = rng.choice(self.organizations)
        sources = [
            Source(
                kind=Source.Kind.INTERVIEW,
                title=f"Interviews by the Newsroom desk, {day:%d %B %Y}",
                date=day,
            ),
            Source(
                kind=rng.choice([Source.Kind.OFFICIAL_STATEMENT, Source.Kind.DOCUMENT]),
                title=f"{organization.name}: {rng.choice(OBJECTS)}",
                publisher=organization,
                url=f"https://example.org/{organization.slug}/{rng.randrange(10**6)}",
                date=day - datetime.timedelta(days=rng.randrange(4)),
            ),
        ]
        if rng.random() < 0.3:
            sources.append(
                Source(
                    kind=Source.Kind.ANONYMOUS,
                    title=rng.choice(UNNAMED),
                    anonymity_justification=JUSTIFICATION,
                )
            )
        return sources

    def _annotated_sentence(self, writer, kind, plan, day):
        """A sentence holding one annotation: (text, start, end, annotation fields)."""
        rng = self.rng
        named = [s for s in plan.sources if s.kind != Source.Kind.ANONYMOUS]
        if kind in ("quote", "paraphrase") and (kind == "quote" or rng.random() < 0.85):
            speaker = self.speakers.draw(rng)
            position = self.position_on(speaker, day)
            fields = {"kind": kind, "speaker": speaker, "position": position}
            fields["source"] = rng.choice(named)
            if kind == "quote":
                role = f", {position.title}" if position else ""
                words = writer.quote()
                return f"“{words},” said {speaker.name}{role}.", 1, 1 + len(words), fields
            words = f"{speaker.name} said {writer.clause()} {rng.choice(TAILS)}."
            return words, 0, len(words), fields
        if kind == "paraphrase":
            anonymous = [s for s in plan.sources if s.kind == Source.Kind.ANONYMOUS]
            description = anonymous[0].title if anonymous else rng.choice(UNNAMED)
            fields = {"kind": kind, "speaker_description": description}
            fields["source"] = anonymous[0] if anonymous else rng.choice(named)
            words = f"{description} said {writer.clause()}."
            return words, 0, len(words), fields
        if kind == "mention":
            roll = rng.random()
            if roll < 0.7:
                subject = {"mentioned_person": self.speakers.draw(rng)}
                name = subject["mentioned_person"].name
            elif roll < 0.9:
                subject = {"mentioned_organization": rng.choice(self.organizations)}
                name = subject["mentioned_organization"].name
            else:
                subject = {"mentioned_place": rng.choice(self.places)}
                name = subject["mentioned_place"].name
            rest = f" {rng.choice(VERBS)[0]} {rng.choice(OBJECTS)} {rng.choice(TAILS)}."
            return name + rest, 0, len(name), {"kind": kind, **subject}
        if kind == "claim":
            words = f"About {rng.randrange(200, 90000):,} {rng.choice(COUNTED)}"
            fields = {"kind": kind, "note": "Check the figure against the source's own data."}
            return f"{words} were affected, {rng.choice(TAILS)}.", 0, len(words), fields
        thing = rng.choice(OBJECTS)
        prefix = f"{writer.subject()} {rng.choice(VERBS)[0]} "
        fields = {"kind": "note", "note": f"Ask the desk whether “{thing}” is the right term."}
        return (
            f"{prefix}{thing} {rng.choice(TAILS)}.",
            len(prefix),
            len(prefix) + len(thing),
            fields,
        )


def _place_names(rng, count) -> list[str]:
    return [f"{rng.choice(PLACE_FIRST)} {rng.choice(PLACE_SECOND)}" for _ in range(count)]


class Writer:
    """Sentences, paragraphs and the body of one article, tracking where each span lands."""

    def __init__(self, rng: random.Random, places: list[str]):
        self.rng = rng
        self.places = places

    def subject(self) -> str:
        return _capitalized(self.rng.choice(SUBJECTS))

    def clause(self) -> str:
        rng = self.rng
        return f"{rng.choice(SUBJECTS)} had {rng.choice(VERBS)[0]} {rng.choice(OBJECTS)}"

    def quote(self) -> str:
        rng = self.rng
        return (
            f"We {rng.choice(('will not accept', 'cannot support', 'stand by', 'welcome'))} "
            f"{rng.choice(OBJECTS)} while {rng.choice(SUBJECTS)} {rng.choice(VERBS)[0]} "
            f"{rng.choice(OBJECTS)} in {rng.choice(self.places)}"
        )

    def sentence(self) -> str:
        rng = self.rng
        tail = rng.choice((*TAILS, f"in {rng.choice(self.places)}"))
        opening = rng.choice(CONNECTORS) if rng.random() < 0.3 else ""
        words = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)[0]} {rng.choice(OBJECTS)} {tail}"
        return _capitalized(opening + words) + "."

    def headline(self) -> str:
        rng = self.rng
        verb, thing = rng.choice(VERBS)[1], rng.choice(OBJECTS)
        return _capitalized(f"{rng.choice(SUBJECTS)} {verb} {thing} in {rng.choice(self.places)}")

    def body(self, marked, words: int):
        """Body HTML, its plain text and the spans, from annotated sentences and filler."""
        rng = self.rng
        sentences = list(marked)
        count = sum(len(text.split()) for text, *_ in sentences)
        while count < words:
            filler = self.sentence()
            sentences.insert(rng.randrange(len(sentences) + 1), (filler, 0, 0, None))
            count += len(filler.split())
        blocks, paragraph = [], []
        for sentence in sentences:
            paragraph.append(sentence)
            if len(paragraph) >= rng.randint(2, 5):
                blocks.append(("p", paragraph))
                paragraph = []
                if len(blocks) % 6 == 5:
                    blocks.append(("h2", [(self.headline(), 0, 0, None)]))
        if paragraph:
            blocks.append(("p", paragraph))
        html_parts, text_parts, spans, offset = [], [], [], 0
        for tag, block in blocks:
            if text_parts:
                offset += 2  # the blank line between blocks
            for index, (text, start, end, fields) in enumerate(block):
                if index:
                    offset += 1
                if fields is not None:
                    spans.append(
                        (offset + start, offset + end, {**fields, "exact": text[start:end]})
                    )
                offset += len(text)
            joined = " ".join(text for text, *_ in block)
            text_parts.append(joined)
            html_parts.append(f"<{tag}>{html.escape(joined, quote=False)}</{tag}>")
        return "".join(html_parts), "\n\n".join(text_parts), spans


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]
