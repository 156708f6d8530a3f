"""Public pages of people and organisations.

They reach quotes and mentions through reverse relations and the annotation queryset's own
methods, never by importing the articles app, and show each as its article was published: an
annotation added or changed since is not shown until the article is published again.
"""

from django.db.models import F
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from people.models import Organization, Person

# A page shows the newest of these; the article search lists all of them.
SHOWN = 50


def person_detail(request, slug):
    person = get_object_or_404(Person, slug=slug)
    context = {
        "person": person,
        "positions": person.positions.select_related("organization").order_by("-start_date"),
        "quotes": _as_published(person.quotes),
        "mentioned_in": _articles_of(person.mentions),
        "shown": SHOWN,
    }
    return render(request, "people/person_detail.html", context)


def organization_detail(request, slug):
    organization = get_object_or_404(Organization.objects.select_related("part_of"), slug=slug)
    context = {
        "organization": organization,
        "quotes": _as_published(organization.quotes),
        "positions": organization.positions.select_related("person").order_by("-start_date"),
        "mentioned_in": _articles_of(organization.mentions),
        "shown": SHOWN,
    }
    return render(request, "people/organization_detail.html", context)


def _published(annotations, key):
    """The newest public annotations of live articles, each with its article's address, its
    published headline and one list from its snapshot: only that much of the snapshot is read."""
    return (
        annotations.public()
        .in_published_articles()
        .order_by("-article__published_at", "start")
        .annotate(
            article_slug=F("article__slug"),
            headline=KeyTextTransform("headline", "article__published_snapshot"),
            published=KeyTransform(key, "article__published_snapshot"),
        )
        .values("pk", "article_slug", "headline", "published")
    )


def _as_published(annotations):
    """Each quote as its article's published snapshot shows it, with that article."""
    shown = []
    for row in _published(annotations, "quotes")[: SHOWN * 2]:
        quote = next((q for q in row["published"] or [] if q["id"] == row["pk"]), None)
        if quote:
            shown.append({**quote, "article": _article_link(row)})
    return shown[:SHOWN]


def _articles_of(mentions):
    articles = {}
    for row in _published(mentions, "annotation_ids")[: SHOWN * 4]:
        if row["pk"] in (row["published"] or []):
            articles.setdefault(row["article_slug"], _article_link(row))
    return list(articles.values())[:SHOWN]


def _article_link(row):
    url = reverse("articles:article", kwargs={"slug": row["article_slug"]})
    return {"url": url, "headline": row["headline"]}
