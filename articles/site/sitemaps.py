"""The sitemap's sections: published stories, and the people, organisations and topics they show.

A person, organisation or topic is listed only while the published edition shows it (a byline,
a quote's speaker, a mention, a topic), so a name that only drafts mention stays out of the map.
Its last modification is the latest publication showing it, or its own last edit if later.
"""

from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import PublishedAnnotation, PublishedByline, PublishedTopic
from articles.publishing import selectors


class ArticleSitemap(Sitemap):
    def items(self):
        return selectors.last_corrected().only("slug", "published_at")

    def lastmod(self, edition):
        return max(filter(None, (edition.published_at, edition.last_correction_at)))


class PublishedAppearances:
    """When each person, organisation and topic last appeared in a published story, read once
    for all the sections that ask."""

    @cached_property
    def people(self) -> dict:
        latest = {}
        for person_id, published_at in PublishedByline.objects.values_list(
            "person_id", "edition__published_at"
        ):
            _note(latest, person_id, published_at)
        for row in PublishedAnnotation.objects.values_list(
            "speaker_id", "mentioned_person_id", "edition__published_at"
        ):
            for person_id in row[:2]:
                _note(latest, person_id, row[2])
        return latest

    @cached_property
    def organizations(self) -> dict:
        latest = {}
        for row in PublishedAnnotation.objects.values_list(
            "speaker_organization_id",
            "mentioned_organization_id",
            "position__organization_id",
            "edition__published_at",
        ):
            for organization_id in row[:3]:
                _note(latest, organization_id, row[3])
        return latest

    @cached_property
    def topics(self) -> dict:
        latest = {}
        for topic_id, published_at in PublishedTopic.objects.values_list(
            "topic_id", "edition__published_at"
        ):
            _note(latest, topic_id, published_at)
        return latest


class AppearanceSitemap(Sitemap):
    """A section listing what published stories show, sharing one read of them."""

    def __init__(self, appearances: PublishedAppearances):
        self.appearances = appearances

    def lastmod(self, item):
        return item.sitemap_lastmod


class PersonSitemap(AppearanceSitemap):
    def items(self):
        latest = self.appearances.people
        people = list(selectors.people_shown().filter(pk__in=list(latest)).order_by("slug"))
        for person in people:
            person.sitemap_lastmod = max(latest[person.pk], person.updated_at)
        return people


class OrganizationSitemap(AppearanceSitemap):
    def items(self):
        latest = self.appearances.organizations
        shown = selectors.organizations_shown().filter(pk__in=list(latest)).order_by("slug")
        organizations = list(shown)
        for organization in organizations:
            organization.sitemap_lastmod = max(latest[organization.pk], organization.updated_at)
        return organizations


class TopicSitemap(AppearanceSitemap):
    def items(self):
        latest = self.appearances.topics
        topics = list(selectors.topics_shown().filter(pk__in=list(latest)).order_by("slug"))
        for topic in topics:
            topic.sitemap_lastmod = latest[topic.pk]
        return topics

    def location(self, topic):
        return reverse("lists:topic", kwargs={"slug": topic.slug})


def sections() -> dict[str, Sitemap]:
    """The sitemap's sections for one request."""
    appearances = PublishedAppearances()
    return {
        "articles": ArticleSitemap(),
        "people": PersonSitemap(appearances),
        "organizations": OrganizationSitemap(appearances),
        "topics": TopicSitemap(appearances),
    }


def _note(latest: dict, key, when) -> None:
    if key is not None and (key not in latest or latest[key] < when):
        latest[key] = when
