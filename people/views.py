"""Public pages of people and organisations.

They reach quotes and mentions through reverse relations and the annotation queryset's own
methods, never by importing the articles app.
"""

from django.shortcuts import get_object_or_404, render

from people.models import Organization, Person

QUOTE_RELATIONS = ("article", "position__organization", "source__publisher")


def person_detail(request, slug):
    person = get_object_or_404(Person, slug=slug)
    quotes = (
        person.quotes.public()
        .in_published_articles()
        .select_related(*QUOTE_RELATIONS)
        .order_by("-article__published_at", "start")
    )
    mentions = (
        person.mentions.public()
        .in_published_articles()
        .select_related("article")
        .order_by("-article__published_at", "start")
    )
    context = {
        "person": person,
        "positions": person.positions.select_related("organization").order_by("-start_date"),
        "quotes": quotes,
        "mentioned_in": _distinct_articles(mentions),
    }
    return render(request, "people/person_detail.html", context)


def organization_detail(request, slug):
    organization = get_object_or_404(Organization.objects.select_related("part_of"), slug=slug)
    mentions = (
        organization.mentions.public()
        .in_published_articles()
        .select_related("article")
        .order_by("-article__published_at", "start")
    )
    context = {
        "organization": organization,
        "positions": organization.positions.select_related("person").order_by("-start_date"),
        "mentioned_in": _distinct_articles(mentions),
    }
    return render(request, "people/organization_detail.html", context)


def _distinct_articles(annotations):
    articles = {}
    for annotation in annotations:
        articles.setdefault(annotation.article_id, annotation.article)
    return list(articles.values())
