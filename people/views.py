"""Public pages of people and organisations.

They reach quotes and mentions through reverse relations and the annotation queryset's own
methods, never by importing the articles app, and show each as its article was published: an
annotation added or changed since is not shown until the article is published again.
"""

from django.shortcuts import get_object_or_404, render

from people.models import Organization, Person


def person_detail(request, slug):
    person = get_object_or_404(Person, slug=slug)
    quotes = person.quotes.public().in_published_articles().select_related("article")
    mentions = person.mentions.public().in_published_articles().select_related("article")
    context = {
        "person": person,
        "positions": person.positions.select_related("organization").order_by("-start_date"),
        "quotes": _as_published(quotes.order_by("-article__published_at", "start")),
        "mentioned_in": _articles_of(mentions),
    }
    return render(request, "people/person_detail.html", context)


def organization_detail(request, slug):
    organization = get_object_or_404(Organization.objects.select_related("part_of"), slug=slug)
    mentions = organization.mentions.public().in_published_articles().select_related("article")
    quotes = organization.quotes.public().in_published_articles().select_related("article")
    context = {
        "organization": organization,
        "quotes": _as_published(quotes.order_by("-article__published_at", "start")),
        "positions": organization.positions.select_related("person").order_by("-start_date"),
        "mentioned_in": _articles_of(mentions),
    }
    return render(request, "people/organization_detail.html", context)


def _as_published(quotes):
    """Each quote as its article's published snapshot shows it, with that article."""
    published = []
    for quote in quotes:
        snapshot = quote.article.published_snapshot or {}
        shown = next((q for q in snapshot.get("quotes", []) if q["id"] == quote.pk), None)
        if shown:
            published.append({**shown, "article": _article_link(quote.article)})
    return published


def _articles_of(mentions):
    articles = {}
    for mention in mentions:
        snapshot = mention.article.published_snapshot or {}
        if mention.pk in snapshot.get("annotation_ids", []):
            articles.setdefault(mention.article_id, _article_link(mention.article))
    return list(articles.values())


def _article_link(article):
    return {"url": article.get_absolute_url(), "headline": article.published_snapshot["headline"]}
