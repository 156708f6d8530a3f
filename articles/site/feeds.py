"""RSS 2.0 and Atom feeds of published stories: the latest, a person's, a topic's.

Stories come only from the published edition (``publishing.selectors``): an edit to a live
article's working copy (its headline, its topics, a new quote) reaches a feed only when it is
published. A person or topic no published story shows has no feed. Each feed costs a fixed
number of queries, however many items it holds.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from articles.publishing import selectors

ITEMS = 50


def with_story(editions):
    """Editions with what a feed item shows, without loading the rendered body."""
    return selectors.with_bylines_and_topics(
        editions.only("slug", "headline", "dek", "first_published_at", "published_at")
    )


class StoryFeed(Feed):
    """What every feed says of a published story."""

    def item_title(self, edition):
        return edition.headline

    def item_description(self, edition):
        # The dek is plain text; RSS and Atom readers take the description as HTML.
        return escape(edition.dek or "")

    def item_pubdate(self, edition):
        return edition.first_published_at

    def item_updateddate(self, edition):
        return edition.published_at

    def item_author_name(self, edition):
        return ", ".join(row.name for row in edition.byline_rows) or None

    def item_categories(self, edition):
        return [row.name for row in edition.topic_rows]


class LatestArticlesFeed(StoryFeed):
    def title(self):
        return settings.NEWSROOM_NAME

    def link(self):
        return reverse("articles:home")

    def description(self):
        return f"The latest stories from {settings.NEWSROOM_NAME}."

    def items(self):
        return with_story(selectors.published_articles())[:ITEMS]


class PersonFeed(StoryFeed):
    """Stories that quote or mention a person, as published."""

    def get_object(self, request, slug):
        return selectors.public_person(slug)

    def title(self, person):
        return f"{person.name} · {settings.NEWSROOM_NAME}"

    def link(self, person):
        return person.get_absolute_url()

    def description(self, person):
        return f"Stories from {settings.NEWSROOM_NAME} that quote or mention {person.name}."

    def items(self, person):
        return with_story(selectors.articles_showing_person(person))[:ITEMS]


class TopicFeed(StoryFeed):
    """Stories filed under a topic, as published."""

    def get_object(self, request, slug):
        return selectors.public_topic(slug)

    def title(self, topic):
        return f"{topic.name} · {settings.NEWSROOM_NAME}"

    def link(self, topic):
        return reverse("lists:topic", kwargs={"slug": topic.slug})

    def description(self, topic):
        return topic.description or f"Stories from {settings.NEWSROOM_NAME} about {topic.name}."

    def items(self, topic):
        return with_story(selectors.articles_under_topic(topic))[:ITEMS]


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
