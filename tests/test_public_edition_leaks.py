"""Nothing staff type reaches a reader before it is published: the definitive leak test.

Every field staff can type, on every model, gets a marker word of its own ("zxqleak" followed by
the state and the field, such as ``zxqleakdraftheadline``), and so does every state that is not
published: a draft, articles in review, sent back for changes, approved, scheduled, embargoed,
unpublished, and unpublished and reopened; people, an organisation, a place, a topic, sources
and positions that only those drafts show; and unpublished edits of the live Foote story (its
headline, dek, body, lead image, slug, a byline and a topic added, a quote re-attributed to
someone new, new annotations). Notes on the live story's annotations are published and still
internal.

An anonymous reader then crawls every public URL reachable from ``/`` (every same-site link in
pages, feeds, sitemaps, robots.txt and API answers), the JSON API with every filter and ordering
(the markers and the hidden records' slugs among the filter values), the feeds, the sitemaps and
every article's annotations: no marker may show in any response, body or header, and every
request naming a hidden record must answer exactly as if the record had never existed. A failure
names the URL, the marker and the field it was typed into.
"""

import datetime
import difflib
import html
import io
import json
import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from articles.annotations import service
from articles.editorial import workflow
from articles.models import Annotation, Article, Correction, PreviewLink, Source, Topic
from people.models import Organization, Person, Place, Position

PREFIX = "zxqleak"
MARKER = re.compile(rf"{PREFIX}[a-z0-9]*", re.IGNORECASE)
FOOTE_SLUG = "us-envoy-to-haiti-resigns-over-inhumane-deportations"
FOOTE_HEADLINE = "U.S. envoy to Haiti resigns over “inhumane” deportations from Del Rio"
# Who the published Foote story says said what; later edits re-attribute two of them.
PUBLISHED_SPEAKERS = {
    "inhumane": "Daniel Foote",
    "He wrote to Secretary of State Antony Blinken": "Daniel Foote",
    "Foote’s issued went beyond frustration": "Sources within the Biden Administration",
}
UNKNOWN_SLUG = "never-existed-anywhere"
UNKNOWN_WORD = "neverwrittenanywhere"

SITE = "testserver"
NOT_CRAWLED = ("/static/", "/media/", "/admin/")
MAX_VISITS = 3000
SHOWN_URLS = 6
ORDERINGS = ("newest", "oldest", "headline")
ARTICLE_LISTS = ("/articles/", "/api/articles/")

STATES = {
    "draft": "the draft",
    "review": "the article in review",
    "changes": "the article sent back for changes",
    "approved": "the approved article",
    "scheduled": "the scheduled article",
    "embargoed": "the embargoed article",
    "unpublished": "the unpublished article",
    "reopened": "the article unpublished and reopened as a draft",
}


class Markers(dict):
    """Marker word -> what it was typed into. ``markers("draftheadline", "…")`` makes one."""

    def __init__(self):
        super().__init__()
        self.of_people = []  # typed into a person's record: what a search for people could find

    def __call__(self, key: str, what: str) -> str:
        word = f"{PREFIX}{key}"
        assert key.isalnum() and key == key.lower() and word not in self, key
        self[word] = what
        return word

    def name(self, word: str) -> str:
        return self.get(word.lower(), "an unknown marker: a truncated or altered one")


@dataclass
class Newsroom:
    """The Foote story live, with everything that must not show around it."""

    markers: Markers
    staff: User
    foote: Article
    hidden_people: list = field(default_factory=list)
    hidden_organizations: list = field(default_factory=list)
    hidden_topics: list = field(default_factory=list)
    hidden_articles: list = field(default_factory=list)


def jpeg() -> bytes:
    content = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(content, format="JPEG")
    return content.getvalue()


def annotate(article, user, words, kind, **links) -> Annotation:
    """Mark the first occurrence of ``words`` as the Annotate screen would."""
    text = Article.objects.get(pk=article.pk).plain_text
    start = text.index(words)
    selector = {"exact": words, "start": start, "end": start + len(words)}
    return service.annotation_create(
        article=article, user=user, kind=kind, selector=selector, **links
    )


def change_annotation(annotation, user, **changes) -> Annotation:
    return service.annotation_update(annotation=annotation, user=user, **changes)


def publish_again(article: Article) -> Article:
    for step in (workflow.submit, workflow.approve, workflow.publish):
        article = step(Article.objects.get(pk=article.pk), None)
    return article


def marked_person(m: Markers, key: str, who: str, **fields) -> Person:
    words = [
        m(f"{key}name", f"name of {who}"),
        m(f"{key}slug", f"slug of {who}"),
        m(f"{key}bio", f"bio of {who}"),
        m(f"{key}alias", f"an alias of {who}"),
        m(f"{key}alias2", f"another alias of {who}"),
    ]
    m.of_people += words
    name, slug, bio, alias, alias2 = words
    return Person.objects.create(
        name=f"Ada {name}",
        slug=slug,
        bio=f"{bio} and nothing else.",
        aliases=f"{alias}\nA. {alias2}",
        **fields,
    )


def marked_topic(m: Markers, key: str, what: str) -> Topic:
    return Topic.objects.create(
        name=f"Topic {m(f'{key}name', f'name of {what}')}",
        slug=m(f"{key}slug", f"slug of {what}"),
        description=m(f"{key}description", f"description of {what}"),
    )


def marked_organization(m: Markers, key: str, what: str) -> Organization:
    return Organization.objects.create(
        name=f"{m(f'{key}name', f'name of {what}')} Institute",
        slug=m(f"{key}slug", f"slug of {what}"),
        kind=Organization.Kind.NGO,
        website=f"https://{m(f'{key}website', f'website of {what}')}.example.org/",
        description=m(f"{key}description", f"description of {what}"),
    )


def marked_place(m: Markers, key: str, what: str) -> Place:
    return Place.objects.create(
        name=f"Port {m(f'{key}name', f'name of {what}')}",
        slug=m(f"{key}slug", f"slug of {what}"),
        description=m(f"{key}description", f"description of {what}"),
    )


def build_newsroom(foote_story: Article, staff: User, m: Markers) -> Newsroom:
    newsroom = Newsroom(markers=m, staff=staff, foote=foote_story)
    foote = Person.objects.get(slug="daniel-foote")

    # What only drafts show: a person, an organisation, a place, a topic, sources, positions.
    only = "only drafts show"
    person = marked_person(
        m,
        "person",
        f"the person {only}",
        photo_credit=m("personphotocredit", f"photo credit of the person {only}"),
    )
    person.photo.save(
        f"{m('personphotofile', f'photo file of the person {only}')}.jpg", ContentFile(jpeg())
    )
    organization = marked_organization(m, "org", f"the organisation {only}")
    place = marked_place(m, "place", f"the place {only}")
    topic = marked_topic(m, "topic", f"the topic {only}")
    position = Position.objects.create(
        person=person,
        organization=organization,
        title=f"Chief {m('positiontitle', f'title of a position {only}')}",
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2023, 6, 30),
        end_note=m("positionendnote", f"end note of a position {only}"),
    )
    Position.objects.create(
        person=person,
        organization=Organization.objects.get(slug="us-department-of-state"),
        title=f"Aide {m('publicorgposition', f'title of a State Department position {only}')}",
        start_date=datetime.date(2019, 3, 1),
        end_date=datetime.date(2019, 12, 31),
    )
    foote_position = Position.objects.create(
        person=foote,
        title=f"Adviser {m('footepositiontitle', 'title of a position of Daniel Foote ' + only)}",
        start_date=datetime.date(2022, 1, 1),
    )
    document = Source.objects.create(
        kind=Source.Kind.DOCUMENT,
        title=f"Memo {m('sourcetitle', f'title of a source {only} cite')}",
        url=f"https://example.org/{m('sourceurl', f'URL of a source {only} cite')}.pdf",
        publisher=organization,
        date=datetime.date(2021, 9, 20),
    )
    anonymous = Source.objects.create(
        kind=Source.Kind.ANONYMOUS,
        title=f"Officials {m('anonsourcetitle', f'title of an anonymous source {only} cite')}",
        anonymity_justification=m("anonymityreason", f"anonymity reason of a source {only} cite"),
    )
    newsroom.hidden_people.append(person.slug)
    newsroom.hidden_organizations.append(organization.slug)
    newsroom.hidden_topics.append(topic.slug)

    # An article in every state but live.
    now = timezone.now()
    haiti = Topic.objects.get(slug="haiti")
    for state, label in STATES.items():
        words = {
            name: m(f"{state}{name}", f"{what} of {label}")
            for name, what in [
                ("headline", "headline"),
                ("slug", "slug"),
                ("dek", "dek"),
                ("body", "body"),
                ("quotewords", "quoted words in the body"),
                ("footewords", "words the body has Daniel Foote say"),
                ("imagefile", "lead image file name"),
                ("imagealt", "lead image description"),
                ("imagecaption", "lead image caption"),
                ("imagecredit", "lead image credit"),
                ("quotenote", "note on a quote"),
                ("speakerdesc", "unnamed speaker's description"),
                ("claimnote", "note on a claim"),
                ("notenote", "text of a note"),
            ]
        }
        article = Article.objects.create(
            headline=f"{words['headline']} over the border",
            slug=words["slug"],
            dek=f"{words['dek']}, a summary.",
            body=(
                f"<p>{words['body']}: Ada Quill told the committee that {words['quotewords']} "
                f"mattered. Daniel Foote said {words['footewords']} too.</p>"
                "<p>The institute met officials in Port-au-Prince. The harbour was closed, "
                "and the figure was disputed.</p>"
            ),
            lead_image_alt=words["imagealt"],
            lead_image_caption=words["imagecaption"],
            lead_image_credit=words["imagecredit"],
            embargo_until=now + datetime.timedelta(days=3) if state == "embargoed" else None,
            created_by=staff,
        )
        article.lead_image.save(f"{words['imagefile']}.jpg", ContentFile(jpeg()))
        article.bylines.add(person)
        article.topics.add(topic, haiti)
        spans = [
            ("Ada Quill", "mention", {"mentioned_person": person}),
            (words["quotewords"], "quote", {
                "speaker": person, "position": position, "source": document,
                "note": words["quotenote"],
            }),
            (words["footewords"], "quote", {
                "speaker": foote, "position": foote_position, "source": document,
            }),
            ("The harbour was closed", "paraphrase", {
                "speaker_description": words["speakerdesc"],
                "speaker_organization": organization, "source": anonymous,
            }),
            ("The institute", "mention", {"mentioned_organization": organization}),
            ("Port-au-Prince", "mention", {"mentioned_place": place}),
            ("the figure was disputed", "claim", {"note": words["claimnote"]}),
            ("officials", "note", {"note": words["notenote"]}),
        ]  # fmt: skip
        text = article.plain_text
        for exact, kind, links in spans:
            start = text.index(exact)
            Annotation.objects.create(
                article=article, kind=kind, exact=exact, start=start, end=start + len(exact),
                created_by=staff, **links,
            )  # fmt: skip
        move_to(state, article, staff, m, label)
        newsroom.hidden_articles.append(article.slug)

    mark_the_live_story(newsroom, m)
    return newsroom


def move_to(state, article, staff, m, label):
    """Take a new article through the workflow to ``state``, leaving review comments on it."""
    if state == "draft":
        # Shared for review: the preview link must not surface anywhere public either.
        PreviewLink.objects.create(
            article=article,
            expires_at=timezone.now() + datetime.timedelta(days=7),
            created_by=staff,
        )
        return
    article = workflow.submit(article, None)
    if state in ("changes", "approved"):
        comment = m(f"{state}reviewcomment", f"review comment on {label}")
        article = workflow.request_changes(article, staff, f"{comment}: attribute the quote.")
        if state == "changes":
            return
        article = workflow.submit(article, None)
    if state == "review":
        return
    article = workflow.approve(article, staff)
    if state in ("approved", "embargoed"):
        return
    if state == "scheduled":
        workflow.publish(article, None, at=timezone.now() + datetime.timedelta(days=1))
        return
    article = workflow.publish(article, None)
    Correction.objects.create(
        article=article, text=m(f"{state}correction", f"text of a correction to {label}")
    )
    article = workflow.unpublish(article, None)
    if state == "reopened":
        workflow.reopen(article, staff)


def mark_the_live_story(newsroom: Newsroom, m: Markers) -> None:
    """Internal notes published on the Foote story, then unpublished edits of every kind."""
    staff, story = newsroom.staff, newsroom.foote
    inhumane = Annotation.objects.get(article=story, kind="quote", exact="inhumane")
    change_annotation(inhumane, staff, note=m("livequotenote", "note on a published quote"))
    annotate(
        story,
        staff,
        "career diplomat",
        "claim",
        note=m("liveclaimnote", "note on a published claim"),
    )
    publish_again(story)

    story = Article.objects.get(pk=story.pk)
    story.headline = f"{m('liveheadline', 'unpublished headline of the live story')} resigns"
    story.dek = f"{m('livedek', 'unpublished dek of the live story')}, a summary."
    story.body = story.body.replace(
        "the troubled island nation",
        f"the troubled island nation, {m('livebody', 'unpublished words in the live body')}",
    )
    story.slug = m("liveslug", "unpublished new slug of the live story")
    story.lead_image_alt = m("liveimagealt", "unpublished lead image description, live story")
    story.lead_image_caption = m("liveimagecaption", "unpublished lead image caption, live story")
    story.lead_image_credit = m("liveimagecredit", "unpublished lead image credit, live story")
    story.updated_by = staff
    story.lead_image.save(
        f"{m('liveimagefile', 'unpublished lead image file name, live story')}.jpg",
        ContentFile(jpeg()),
    )
    newsroom.hidden_articles.append(story.slug)

    byline = marked_person(m, "byline", "a byline added to the live story, unpublished")
    story.bylines.add(byline)
    topic = marked_topic(m, "livetopic", "a topic added to the live story, unpublished")
    story.topics.add(topic)

    speaker = marked_person(m, "reattr", "the speaker a live quote is re-attributed to")
    position = Position.objects.create(
        person=speaker,
        title=f"Envoy {m('reattrposition', 'position of the re-attributed speaker')}",
        start_date=datetime.date(2021, 1, 1),
    )
    change_annotation(inhumane, staff, speaker=speaker.pk, position=position.pk)
    paraphrase = Annotation.objects.get(
        article=story,
        kind="paraphrase",
        speaker_description="Sources within the Biden Administration",
    )
    change_annotation(
        paraphrase,
        staff,
        speaker_description=m(
            "livespeakerdesc", "unpublished new description of an unnamed speaker, live story"
        ),
    )

    newcomer = marked_person(m, "newquote", "the speaker of a quote added to the live story")
    organization = marked_organization(m, "liveorg", "an organisation the live story's edits name")
    place = marked_place(m, "liveplace", "a place the live story's unpublished edits name")
    source = Source.objects.create(
        kind=Source.Kind.NEWS_REPORT,
        title=f"Report {m('livesourcetitle', 'title of a source an unpublished quote cites')}",
        url=f"https://example.org/{m('livesourceurl', 'URL of a source a new quote cites')}",
        publisher=organization,
    )
    annotate(
        story,
        staff,
        "a gaping hole",
        "quote",
        speaker=newcomer.pk,
        source=source.pk,
        note=m("livenewnote", "note on a quote added to the live story"),
    )
    annotate(
        story, staff, "bipartisan criticism", "mention", mentioned_organization=organization.pk
    )
    annotate(story, staff, "national news cycles", "mention", mentioned_place=place.pk)

    newsroom.hidden_people += [byline.slug, speaker.slug, newcomer.slug]
    newsroom.hidden_organizations.append(organization.slug)
    newsroom.hidden_topics.append(topic.slug)
    story.refresh_from_db()
    assert story.live and story.has_unpublished_changes and story.status == "published"


def make_a_later_change(newsroom: Newsroom) -> None:
    """More working-copy edits of the live story, after readers' pages have been cached."""
    m, staff = newsroom.markers, newsroom.staff
    story = Article.objects.get(pk=newsroom.foote.pk)
    story.headline = f"{m('lateheadline', 'headline edited after the pages were cached')} quits"
    story.body = story.body.replace(
        "a gaping hole", f"a gaping hole, {m('latebody', 'body edited after caching')},"
    )
    story.save()
    speaker = marked_person(m, "late", "the speaker of a quote re-attributed after caching")
    wrote = Annotation.objects.get(article=story, kind="paraphrase", speaker__slug="daniel-foote")
    change_annotation(wrote, staff, speaker=speaker.pk, position=None)
    topic = marked_topic(m, "latetopic", "a topic added to the live story after caching")
    story.topics.add(topic)
    reattributed = Person.objects.get(slug=f"{PREFIX}reattrslug")
    reattributed.bio = m("editedbio", "bio of a hidden person, edited after caching")
    reattributed.save()
    newsroom.hidden_people.append(speaker.slug)
    newsroom.hidden_topics.append(topic.slug)


# The crawl.


@dataclass
class Answer:
    url: str
    status: int
    headers: list
    body: str


def fetch(client, url: str) -> Answer:
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    body = content.decode("utf-8", errors="replace")
    return Answer(url, response.status_code, list(response.headers.items()), body)


LINK = re.compile(
    r"""(?:href|src|action)\s*=\s*["']([^"']+)["']"""
    r"|<(?:loc|link|guid|id)(?:\s[^>]*)?>\s*([^<\s]+)\s*</"
    rf"|(https?://{re.escape(SITE)}/[^\s\"'<>\\]*)"
)


def same_site(base: str, link: str) -> str | None:
    target = urlsplit(urljoin(f"http://{SITE}{base}", html.unescape(link)))
    if target.scheme not in ("http", "https") or target.netloc != SITE:
        return None
    if target.path.startswith(NOT_CRAWLED):
        return None
    return target.path + (f"?{target.query}" if target.query else "")


def links_in(answer: Answer) -> list[str]:
    """Same-site links of a page, feed, sitemap, robots.txt or API answer, and its redirect."""
    found = [
        same_site(answer.url, next(group for group in match.groups() if group))
        for match in LINK.finditer(answer.body)
    ]
    location = dict(answer.headers).get("Location")
    if location:
        found.append(same_site(answer.url, location))
    return [link for link in found if link]


def crawl(client, seeds) -> dict[str, Answer]:
    """Every same-site URL reachable from the seeds, each read once."""
    answers, queue = {}, deque(seeds)
    while queue and len(answers) < MAX_VISITS:
        url = queue.popleft()
        if url in answers:
            continue
        answers[url] = answer = fetch(client, url)
        queue.extend(link for link in links_in(answer) if link not in answers)
    assert not queue, f"The crawl stopped at {MAX_VISITS} URLs: it is not bounded any more."
    return answers


def query(path: str, **params) -> str:
    return f"{path}?{urlencode(params)}"


def page_urls() -> list[str]:
    """The site's entry points and the page of every record, hidden ones included."""
    urls = [
        "/",
        "/articles/",
        "/corrections/",
        "/robots.txt",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/feeds/latest.rss",
        "/feeds/latest.atom",
        "/api/articles/",
        "/api/people/",
        "/api/quotes/",
    ]
    for slug in sorted({FOOTE_SLUG, *Article.objects.values_list("slug", flat=True)}):
        urls += [f"/articles/{slug}/", f"/articles/{slug}/annotations.jsonld"]
        urls.append(f"/api/articles/{slug}/")
    for slug in Person.objects.order_by("slug").values_list("slug", flat=True):
        urls += [f"/people/{slug}/", f"/people/{slug}/feed.rss", f"/people/{slug}/feed.atom"]
    for slug in Organization.objects.order_by("slug").values_list("slug", flat=True):
        urls.append(f"/organizations/{slug}/")
    for slug in Topic.objects.order_by("slug").values_list("slug", flat=True):
        urls += [f"/topics/{slug}/", f"/topics/{slug}/feed.rss", f"/topics/{slug}/feed.atom"]
    return urls


def filter_urls(markers: Markers) -> list[str]:
    """The lists and the API with every filter and ordering, hidden values among the values."""
    people = [*Person.objects.order_by("slug").values_list("slug", flat=True), UNKNOWN_SLUG]
    organizations = list(Organization.objects.order_by("slug").values_list("slug", flat=True))
    topics = [*Topic.objects.order_by("slug").values_list("slug", flat=True), UNKNOWN_SLUG]
    words = ["Foote", "inhumane", "Haiti", UNKNOWN_WORD]
    urls = []
    for path in ARTICLE_LISTS:
        urls += [query(path, ordering=ordering) for ordering in ORDERINGS]
        urls += [query(path, q="Foote", ordering=ordering) for ordering in ORDERINGS]
        urls += [query(path, topic="haiti", ordering=ordering) for ordering in ORDERINGS]
        urls += [query(path, q=word) for word in words]
        urls += [query(path, quoted=slug) for slug in people]
        urls += [query(path, mentions=slug) for slug in [*people, *organizations]]
        urls += [query(path, topic=slug) for slug in topics]
        urls += [query(path, source_kind=kind) for kind in Source.Kind.values]
        urls += [
            query(path, published_after="2000-01-01"),
            query(path, published_before="2100-01-01"),
            query(path, published_after=timezone.localdate().isoformat()),
        ]
    urls += [query(path, q=word) for path, searched in searches(markers) for word in searched]
    urls += [query("/api/quotes/", speaker=slug) for slug in people]
    urls += [query("/api/quotes/", kind=kind) for kind in ("quote", "paraphrase")]
    urls += [query("/api/quotes/", source_kind=kind) for kind in Source.Kind.values]
    urls += [query("/api/people/", q=word) for word in words]
    urls += [query(path, page=2) for path in (*ARTICLE_LISTS, "/api/people/", "/api/quotes/")]
    return urls


def searches(markers: Markers) -> list[tuple[str, list[str]]]:
    """Each marker searched for where it could be found: every one through the article search
    of the API; those not of one state's article through the HTML list too (the same FilterSet,
    and every state's article is also found by "Foote"); people's through the people search."""
    by_state = tuple(f"{PREFIX}{state}" for state in STATES)
    return [
        ("/api/articles/", list(markers)),
        ("/articles/", [word for word in markers if not word.startswith(by_state)]),
        ("/api/people/", list(markers.of_people)),
    ]


# What a reader must not see.


def without_echo(url: str, text: str) -> str:
    """A search form or a next-page link shows back what the reader asked for: their own words."""
    for _, value in parse_qsl(urlsplit(url).query):
        if value:
            text = text.replace(f'value="{html.escape(value)}"', 'value=""')
            text = text.replace(f"={value}", "=")
    return text


def markers_shown(answer: Answer) -> list[tuple[str, str]]:
    """(marker, where) for every marker in the answer's headers and body."""
    shown = []
    for name, value in answer.headers:
        shown += [(word.lower(), f"header {name}") for word in MARKER.findall(value)]
    body = without_echo(answer.url, answer.body)
    shown += [(word.lower(), "body") for word in MARKER.findall(body)]
    return shown


def leak_report(answers: dict[str, Answer], markers: Markers) -> list[str]:
    """One line per marker shown: what it marks, on how many URLs, which ones (shortest first)."""
    where_shown = {}
    for url, answer in answers.items():
        for word, where in markers_shown(answer):
            place = url if where == "body" else f"{url} ({where})"
            where_shown.setdefault(word, set()).add(place)
    report = []
    for word, places in sorted(where_shown.items()):
        places = sorted(places, key=lambda place: (len(place), place))
        listed = ", ".join(places[:SHOWN_URLS])
        more = f" and {len(places) - SHOWN_URLS} more" if len(places) > SHOWN_URLS else ""
        report.append(f"{word} ({markers.name(word)}) on {len(places)} URLs: {listed}{more}")
    return report


def sanity_report(answers: dict[str, Answer]) -> list[str]:
    report = [f"{url} answered {a.status}" for url, a in answers.items() if a.status >= 500]
    for url in ("/", "/people/daniel-foote/", "/topics/haiti/", "/feeds/latest.rss",
                "/sitemap.xml", "/api/quotes/"):  # fmt: skip
        status = answers[url].status if url in answers else None
        if status != 200:
            report.append(
                f"the crawl read {url} as {status}, not 200: it no longer crawls the site"
            )
    return report


def read(client, answers: dict[str, Answer], url: str) -> Answer:
    if url not in answers:
        answers[url] = fetch(client, url)
    return answers[url]


def published_report(client, answers: dict[str, Answer]) -> list[str]:
    """Readers still read the live story as it was published, where it was published."""
    report = []
    story_url = f"/articles/{FOOTE_SLUG}/"
    page = read(client, answers, story_url)
    if page.status != 200 or FOOTE_HEADLINE not in page.body:
        report.append(f"{story_url} answered {page.status} without the published headline")
    for url in ("/", "/feeds/latest.rss", "/sitemap.xml", "/topics/haiti/", "/api/articles/"):
        if story_url not in read(client, answers, url).body:
            report.append(f"{url} no longer links the live story at {story_url}")
    detail = read(client, answers, f"/api/articles/{FOOTE_SLUG}/")
    quotes = json.loads(detail.body).get("quotes", []) if detail.status == 200 else []
    speakers = {quote["exact"][:20]: quote["speaker"]["name"] for quote in quotes}
    for words, speaker in PUBLISHED_SPEAKERS.items():
        if speakers.get(words[:20]) != speaker:
            report.append(
                f"/api/articles/{FOOTE_SLUG}/ attributes “{words}” to "
                f"{speakers.get(words[:20])!r}, not to {speaker!r} as published"
            )
    quoted = read(client, answers, "/api/quotes/?speaker=daniel-foote")
    said = [quote["exact"] for quote in json.loads(quoted.body).get("results", [])]
    if "inhumane" not in said:
        report.append("/api/quotes/?speaker=daniel-foote no longer lists his published quote")
    if not re.search(r">\s*inhumane\s*<", read(client, answers, "/people/daniel-foote/").body):
        report.append("/people/daniel-foote/ no longer shows his published quote “inhumane”")
    return report


# Hidden records answer as records that never existed.


def hidden_requests(newsroom: Newsroom) -> list[tuple[str, str, str, bool]]:
    """(URL naming a hidden value, that value, its never-existing counterpart, must be 404)."""
    pairs = []
    for slug in newsroom.hidden_articles:
        for url in (f"/articles/{slug}/", f"/articles/{slug}/annotations.jsonld",
                    f"/api/articles/{slug}/"):  # fmt: skip
            pairs.append((url, slug, UNKNOWN_SLUG, True))
    for slug in newsroom.hidden_people:
        for url in (f"/people/{slug}/", f"/people/{slug}/feed.rss", f"/people/{slug}/feed.atom"):
            pairs.append((url, slug, UNKNOWN_SLUG, True))
        for path in ARTICLE_LISTS:
            pairs.append((query(path, quoted=slug), slug, UNKNOWN_SLUG, False))
            pairs.append((query(path, mentions=slug), slug, UNKNOWN_SLUG, False))
        pairs.append((query("/api/quotes/", speaker=slug), slug, UNKNOWN_SLUG, False))
    for slug in newsroom.hidden_organizations:
        pairs.append((f"/organizations/{slug}/", slug, UNKNOWN_SLUG, True))
        for path in ARTICLE_LISTS:
            pairs.append((query(path, mentions=slug), slug, UNKNOWN_SLUG, False))
    for slug in newsroom.hidden_topics:
        for url in (f"/topics/{slug}/", f"/topics/{slug}/feed.rss", f"/topics/{slug}/feed.atom"):
            pairs.append((url, slug, UNKNOWN_SLUG, True))
        for path in ARTICLE_LISTS:
            pairs.append((query(path, topic=slug), slug, UNKNOWN_SLUG, False))
    for path, words in searches(newsroom.markers):
        pairs += [(query(path, q=word), word, UNKNOWN_WORD, False) for word in words]
    return pairs


def normalized(answer: Answer, value: str) -> tuple:
    """The answer with the value asked for and every marker masked alike: markers shown are
    reported above; this compares what is left (status, counts, results, errors)."""
    body = MARKER.sub("MARKER", answer.body.replace(value, PREFIX))
    body = re.sub(r'nonce="[^"]*"', 'nonce=""', body)
    headers = dict(answer.headers)
    location = MARKER.sub("MARKER", headers.get("Location", "").replace(value, PREFIX))
    return answer.status, headers.get("Content-Type"), location, body


def first_difference(hidden: str, unknown: str) -> str:
    for line in difflib.unified_diff(unknown.splitlines(), hidden.splitlines(), lineterm="", n=0):
        if line.startswith("+") and not line.startswith("+++"):
            return line[1:].strip()[:160]
    return ""


def detection_report(client, answers: dict[str, Answer], newsroom: Newsroom) -> list[str]:
    """Every request naming a hidden record must answer as it would for one never made."""
    report = []
    for url, value, unknown, must_be_404 in hidden_requests(newsroom):
        never = url.replace(value, unknown)
        hidden = normalized(read(client, answers, url), value)
        control = normalized(read(client, answers, never), unknown)
        if must_be_404 and hidden[0] != 404:
            report.append(f"{url} answered {hidden[0]}, not 404")
        elif hidden != control:
            report.append(
                f"{url} [{hidden[0]}] is not answered as {never} [{control[0]}]: "
                f"{first_difference(hidden[3], control[3])!r}"
            )
    return report


def fail_with(sections: dict[str, list[str]]):
    message = [
        f"{title} ({len(lines)}):\n  " + "\n  ".join(lines)
        for title, lines in sections.items()
        if lines
    ]
    if message:
        pytest.fail("\n\n".join(message), pytrace=False)


# Fixtures.


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def newsroom(foote_story, media, db) -> Newsroom:
    m = Markers()
    staff = User.objects.create_user(
        username=m("staffusername", "a staff member's user name"),
        first_name=m("stafffirstname", "a staff member's first name"),
        last_name=m("stafflastname", "a staff member's last name"),
        email=f"{m('staffemail', 'a staff member’s email address')}@example.org",
        password="correct horse battery",
        is_staff=True,
    )
    staff.groups.add(Group.objects.get(name="Editor"))
    return build_newsroom(Article.objects.get(pk=foote_story.pk), staff, m)


@pytest.fixture(params=[True, False], ids=["page cache on", "page cache off"])
def page_cache(request, settings):
    settings.NEWSROOM_PAGE_CACHE = request.param
    return request.param


# The tests.


def test_readers_can_neither_see_nor_detect_anything_unpublished(client, newsroom, page_cache):
    answers = crawl(client, [*page_urls(), *filter_urls(newsroom.markers)])
    fail_with(
        {
            f"Markers readers can see, of {len(answers)} URLs read": leak_report(
                answers, newsroom.markers
            ),
            "Requests naming hidden records that tell them from unknown ones": detection_report(
                client, answers, newsroom
            ),
            "Unpublished edits that change what readers read": published_report(client, answers),
            "The crawl itself": sanity_report(answers),
        }
    )


def test_cached_pages_show_no_working_copy_change_made_after_they_were_cached(
    client, newsroom, settings
):
    settings.NEWSROOM_PAGE_CACHE = True
    crawl(client, page_urls())
    make_a_later_change(newsroom)
    answers = crawl(client, page_urls())
    fail_with(
        {
            f"Markers readers can see after a later change, of {len(answers)} URLs read": (
                leak_report(answers, newsroom.markers)
            ),
            "Unpublished edits that change what readers read": published_report(client, answers),
            "The crawl itself": sanity_report(answers),
        }
    )


# A story's new slug goes live with it, and its old address then redirects.


def test_a_new_slug_goes_live_only_when_published_and_the_old_address_redirects(
    client, foote_story, page_cache
):
    new_slug = "haiti-envoy-quits-over-del-rio-deportations"
    old_url, new_url = f"/articles/{FOOTE_SLUG}/", f"/articles/{new_slug}/"
    problems = []
    assert client.get(old_url).status_code == 200  # and cached, when the page cache is on

    story = Article.objects.get(pk=foote_story.pk)
    story.slug = new_slug
    story.save()
    before = client.get(old_url)
    if before.status_code != 200 or FOOTE_HEADLINE not in before.content.decode():
        problems.append(f"unpublished, {old_url} answered {before.status_code}, not the story")
    for url in (new_url, f"{new_url}annotations.jsonld", f"/api/articles/{new_slug}/"):
        status = client.get(url).status_code
        if status != 404:
            problems.append(f"unpublished, {url} answered {status}, not 404")

    publish_again(story)
    after = client.get(new_url)
    if after.status_code != 200 or FOOTE_HEADLINE not in after.content.decode():
        problems.append(f"published, {new_url} answered {after.status_code}, not the story")
    problems += redirect_problems(client, [old_url], new_url, "published")

    newest_slug = "haiti-envoy-resigns"
    story = Article.objects.get(pk=foote_story.pk)
    story.slug = newest_slug
    story.save()
    publish_again(story)
    newest_url = f"/articles/{newest_slug}/"
    problems += redirect_problems(client, [old_url, new_url], newest_url, "slug changed again")
    assert not problems, "\n".join(problems)


def redirect_problems(client, urls, target, when) -> list[str]:
    problems = []
    for url in urls:
        response = client.get(url)
        location = urlsplit(response.get("Location", "")).path
        if (response.status_code, location) != (301, target):
            problems.append(
                f"{when}, {url} answered {response.status_code} to {location or 'nowhere'}, "
                f"not 301 to {target}"
            )
    return problems
