"""The sitemap's sections: published stories, and the people, organisations and topics they show.

A person, organisation or topic is listed only when a published snapshot shows it (a byline, a
quote's speaker, a mention, a topic), so a name that only drafts mention stays out of the map.
Its last modification is the latest publication showing it, or its own last edit if later.
"""

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import Resolver404, resolve, reverse

from articles.models import Annotation, Article, Topic
from people.models import Organization, Person


class ArticleSitemap(Sitemap):
    def items(self):
        return (
            Article.objects.published()
            .only("slug", "published_at")
            .annotate(last_correction_at=Max("corrections__published_at"))
        )

    def lastmod(self, article):
        return max(filter(None, (article.published_at, article.last_correction_at)))


@dataclass
class Appearances:
    """When each person, organisation and topic last appeared in a published snapshot."""

    person_slugs: dict = field(default_factory=dict)
    person_ids: dict = field(default_factory=dict)
    organization_ids: dict = field(default_factory=dict)
    topic_slugs: dict = field(default_factory=dict)


class PublishedAppearances:
    """Who and what the published snapshots show, read once for all the sections that ask.

    Bylines and quotes name people by their page's URL; a mention counts when its annotation is
    among the snapshot's ``annotation_ids``, the rule people's own pages follow.
    """

    @cached_property
    def found(self) -> Appearances:
        found = Appearances()
        stories = Article.objects.published().values_list(
            "pk",
            "published_at",
            "published_snapshot__bylines",
            "published_snapshot__quotes",
            "published_snapshot__topics",
            "published_snapshot__annotation_ids",
        )
        shown, linked = {}, {}
        for pk, published_at, bylines, quotes, topics, annotation_ids in stories:
            shown[pk] = (published_at, set(annotation_ids or []))
            for url in [b["url"] for b in bylines or []] + [q["speaker_url"] for q in quotes or []]:
                _note(linked, url, published_at)
            for topic in topics or []:
                _note(found.topic_slugs, topic["slug"], published_at)
        for url, published_at in linked.items():
            if slug := _person_slug(url):
                _note(found.person_slugs, slug, published_at)
        mentions = Annotation.objects.filter(
            Q(mentioned_person__isnull=False) | Q(mentioned_organization__isnull=False),
            kind=Annotation.Kind.MENTION,
            article__in=Article.objects.published(),
        ).values_list("pk", "article_id", "mentioned_person_id", "mentioned_organization_id")
        for pk, article_id, person_id, organization_id in mentions:
            published_at, annotation_ids = shown.get(article_id, (None, ()))
            if pk not in annotation_ids:
                continue
            if person_id:
                _note(found.person_ids, person_id, published_at)
            if organization_id:
                _note(found.organization_ids, organization_id, published_at)
        return found

    def people(self) -> list[Person]:
        by_slug, by_id = self.found.person_slugs, self.found.person_ids
        people = list(Person.objects.filter(Q(slug__in=list(by_slug)) | Q(pk__in=list(by_id))))
        for person in people:
            seen = [by_slug.get(person.slug), by_id.get(person.pk), person.updated_at]
            person.sitemap_lastmod = max(filter(None, seen))
        return people

    def organizations(self) -> list[Organization]:
        by_id = self.found.organization_ids
        organizations = list(Organization.objects.filter(pk__in=list(by_id)))
        for organization in organizations:
            organization.sitemap_lastmod = max(by_id[organization.pk], organization.updated_at)
        return organizations

    def topics(self) -> list[Topic]:
        by_slug = self.found.topic_slugs
        topics = list(Topic.objects.filter(slug__in=list(by_slug)))
        for topic in topics:
            topic.sitemap_lastmod = by_slug[topic.slug]
        return topics


class AppearanceSitemap(Sitemap):
    """A section listing what published stories show, sharing one read of them."""

    def __init__(self, appearances: PublishedAppearances):
        self.appearances = appearances

    def lastmod(self, item):
        return item.sitemap_lastmod


class PersonSitemap(AppearanceSitemap):
    def items(self):
        return self.appearances.people()


class OrganizationSitemap(AppearanceSitemap):
    def items(self):
        return self.appearances.organizations()


class TopicSitemap(AppearanceSitemap):
    def items(self):
        return self.appearances.topics()

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
    if key not in latest or latest[key] < when:
        latest[key] = when


def _person_slug(url: str) -> str | None:
    """The slug of the person page ``url`` points to, if it points to one."""
    if not url:
        return None
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.kwargs.get("slug") if match.view_name == "people:person" else None
