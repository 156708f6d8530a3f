"""RSS 2.0 and Atom feeds of published stories: the latest, a person's, a topic's.

Articles come only through ``Article.objects.published()`` and show as their published snapshot
has them: an edit to a live article's working copy (its headline, its topics, a new quote)
reaches a feed only when it is published. Each feed costs a fixed number of queries, however
many items it holds.
"""

from itertools import islice

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, Q
from django.db.models.fields.json import KT, KeyTransform
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from articles.models import Annotation, Article, Topic
from articles.site.filters import articles_on_topic
from people.models import Person

ITEMS = 50


def with_story(articles):
    """Articles with the snapshot keys a feed shows, without loading the rendered body."""
    return articles.only("slug", "first_published_at", "published_at").annotate(
        story_headline=KT("published_snapshot__headline"),
        story_dek=KT("published_snapshot__dek"),
        story_bylines=KeyTransform("bylines", "published_snapshot"),
        story_topics=KeyTransform("topics", "published_snapshot"),
    )


class StoryFeed(Feed):
    """What every feed says of an article, from its snapshot."""

    def item_title(self, article):
        return article.story_headline

    def item_description(self, article):
        # The dek is plain text; RSS and Atom readers take the description as HTML.
        return escape(article.story_dek or "")

    def item_pubdate(self, article):
        return article.first_published_at

    def item_updateddate(self, article):
        return article.published_at

    def item_author_name(self, article):
        return ", ".join(byline["name"] for byline in article.story_bylines or []) or None

    def item_categories(self, article):
        return [topic["name"] for topic in article.story_topics or []]


class LatestArticlesFeed(StoryFeed):
    def title(self):
        return settings.NEWSROOM_NAME

    def link(self):
        return reverse("articles:home")

    def description(self):
        return f"The latest stories from {settings.NEWSROOM_NAME}."

    def items(self):
        return with_story(Article.objects.published())[:ITEMS]


class PersonFeed(StoryFeed):
    """Stories that quote or mention a person, as published."""

    def get_object(self, request, slug):
        person = get_object_or_404(Person, slug=slug)
        person.feed_articles = articles_showing_person(person)
        return person

    def title(self, person):
        return f"{person.name} · {settings.NEWSROOM_NAME}"

    def link(self, person):
        return person.get_absolute_url()

    def description(self, person):
        return f"Stories from {settings.NEWSROOM_NAME} that quote or mention {person.name}."

    def items(self, person):
        return person.feed_articles


class TopicFeed(StoryFeed):
    """Stories filed under a topic, as published."""

    def get_object(self, request, slug):
        topic = get_object_or_404(Topic, slug=slug)
        topic.feed_articles = articles_under_topic(topic)
        if not topic.feed_articles:
            # A topic only drafts are filed under is not public yet, not even its name.
            raise Http404("No published story is filed under this topic.")
        return topic

    def title(self, topic):
        return f"{topic.name} · {settings.NEWSROOM_NAME}"

    def link(self, topic):
        return reverse("lists:topic", kwargs={"slug": topic.slug})

    def description(self, topic):
        return topic.description or f"Stories from {settings.NEWSROOM_NAME} about {topic.name}."

    def items(self, topic):
        return topic.feed_articles


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()


class PersonAtomFeed(PersonFeed):
    feed_type = Atom1Feed

    def subtitle(self, person):
        return self.description(person)


class TopicAtomFeed(TopicFeed):
    feed_type = Atom1Feed

    def subtitle(self, topic):
        return self.description(topic)


def articles_showing_person(person: Person) -> list[Article]:
    """The newest published stories whose snapshot quotes or mentions ``person``.

    The person's annotations find the candidates; the snapshot decides, so a quote added or
    re-attributed since publication does not count until it is published.
    """
    annotations = Annotation.objects.filter(Q(speaker=person) | Q(mentioned_person=person)).only(
        "pk", "article_id", "mentioned_person_id"
    )
    candidates = (
        with_story(Article.objects.published())
        .filter(pk__in=annotations.values("article_id"))
        .annotate(
            story_quotes=KeyTransform("quotes", "published_snapshot"),
            story_annotation_ids=KeyTransform("annotation_ids", "published_snapshot"),
        )
        .prefetch_related(
            Prefetch("annotations", queryset=annotations, to_attr="person_annotations")
        )
    )
    url = person.get_absolute_url()
    shown = (
        article
        for article in candidates.iterator(chunk_size=ITEMS)
        if _shows_person(article, person, url)
    )
    return list(islice(shown, ITEMS))


def _shows_person(article, person, url) -> bool:
    published_ids = set(article.story_annotation_ids or [])
    speaker_urls = {quote["id"]: quote["speaker_url"] for quote in article.story_quotes or []}
    for annotation in article.person_annotations:
        if annotation.pk in speaker_urls:
            if speaker_urls[annotation.pk] == url:
                return True
        elif annotation.pk in published_ids and annotation.mentioned_person_id == person.pk:
            return True
    return False


def articles_under_topic(topic: Topic) -> list[Article]:
    """The newest published stories whose snapshot files them under ``topic``, as on its page."""
    return list(articles_on_topic(with_story(Article.objects.published()), topic.slug)[:ITEMS])
