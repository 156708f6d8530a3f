"""The filters of the public lists, declared once for the HTML pages and the JSON API alike.

Every list starts from the published edition (``publishing.selectors``): a filter matches the
published words and links, never the working copy, which may hold unpublished edits. A topic
or person that no published story shows is as unknown to a filter as one that never existed.
"""

import django_filters
from django import forms
from django.core.validators import validate_slug
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower

from articles.models import Annotation, PublishedAnnotation, PublishedSource, Source
from articles.publishing import selectors
from articles.site import search

SLUG_HELP = "As in the address of their page, for example {example}."
ORDERINGS = {
    "newest": ("-published_at", "-pk"),
    "oldest": ("published_at", "pk"),
    "headline": (Lower("headline"), "-published_at", "-pk"),
}
ORDERING_CHOICES = [
    ("newest", "Newest first"),
    ("oldest", "Oldest first"),
    ("headline", "Headline, A to Z"),
]


def articles_search(queryset, terms: str):
    """Published articles whose headline, dek or text hold every word of ``terms``.

    Full-text search on PostgreSQL and on SQLite with FTS5 (``site.search``), aliased
    ``search_rank`` for ordering by relevance; substring matching elsewhere.
    """
    return search.articles_matching(queryset, terms)


def _with_published_annotation(queryset, *conditions, **lookups):
    annotations = PublishedAnnotation.objects.filter(edition=OuterRef("pk")).filter(
        *conditions, **lookups
    )
    return queryset.filter(Exists(annotations))


class SearchInput(forms.TextInput):
    input_type = "search"


class ArticleFilter(django_filters.FilterSet):
    """The article list and search: the HTML list at /articles/ and /api/articles/."""

    q = django_filters.CharFilter(
        label="Search for", method="filter_search", max_length=200, widget=SearchInput
    )
    quoted = django_filters.CharFilter(
        label="Person quoted",
        method="filter_quoted",
        max_length=200,
        validators=[validate_slug],
        help_text=SLUG_HELP.format(example="daniel-foote"),
    )
    mentions = django_filters.CharFilter(
        label="Person or organisation mentioned",
        method="filter_mentions",
        max_length=200,
        validators=[validate_slug],
        help_text=SLUG_HELP.format(example="antony-blinken"),
    )
    topic = django_filters.ModelChoiceFilter(
        label="Topic",
        queryset=selectors.topics_shown(),
        to_field_name="slug",
        method="filter_topic",
        empty_label="Any topic",
    )
    source_kind = django_filters.ChoiceFilter(
        label="Kind of source quoted",
        choices=Source.Kind.choices,
        method="filter_source_kind",
        empty_label="Any kind of source",
    )
    published_after = django_filters.DateFilter(
        label="Published on or after",
        field_name="published_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    published_before = django_filters.DateFilter(
        label="Published on or before",
        field_name="published_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ordering = django_filters.ChoiceFilter(
        label="Order", choices=ORDERING_CHOICES, method="filter_ordering", empty_label=None
    )

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = selectors.published_articles().order_by(*ORDERINGS["newest"])
        super().__init__(data, queryset=queryset, **kwargs)

    def filter_search(self, queryset, name, value):
        return articles_search(queryset, value)

    def filter_quoted(self, queryset, name, value):
        return _with_published_annotation(
            queryset, kind__in=Annotation.SPEAKER_KINDS, speaker__slug=value
        )

    def filter_mentions(self, queryset, name, value):
        return _with_published_annotation(
            queryset,
            Q(mentioned_person__slug=value) | Q(mentioned_organization__slug=value),
            kind=Annotation.Kind.MENTION,
        )

    def filter_topic(self, queryset, name, value):
        return queryset.filter(publishedtopic__topic=value)

    def filter_source_kind(self, queryset, name, value):
        sources = PublishedSource.objects.filter(edition=OuterRef("pk"), kind=value)
        return queryset.filter(Exists(sources))

    def filter_ordering(self, queryset, name, value):
        return queryset.order_by(*ORDERINGS[value])


class QuoteFilter(django_filters.FilterSet):
    """Published quotes and paraphrases: /api/quotes/."""

    speaker = django_filters.CharFilter(
        field_name="speaker__slug", validators=[validate_slug], max_length=200
    )
    kind = django_filters.ChoiceFilter(
        choices=[(kind.value, kind.label) for kind in Annotation.SPEAKER_KINDS]
    )
    source_kind = django_filters.ChoiceFilter(
        choices=Source.Kind.choices, method="filter_source_kind"
    )

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = selectors.published_quotes()
        super().__init__(data, queryset=queryset, **kwargs)

    def filter_source_kind(self, queryset, name, value):
        sources = PublishedSource.objects.filter(
            edition=OuterRef("edition"), source=OuterRef("source"), kind=value
        )
        return queryset.filter(Exists(sources))


class PersonFilter(django_filters.FilterSet):
    """People readers meet in published stories: /api/people/."""

    q = django_filters.CharFilter(method="filter_search", max_length=200)

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = selectors.people_shown().order_by("name", "pk")
        super().__init__(data, queryset=queryset, **kwargs)

    def filter_search(self, queryset, name, value):
        return queryset.matching(value)
