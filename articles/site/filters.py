"""The filters of the public lists, declared once for the HTML pages and the JSON API alike.

Every list starts from what readers may see: articles from ``Article.objects.published()``,
annotations only when their article's published snapshot lists them. A filter matches the
published words (the snapshot), never the working copy, which may hold unpublished edits.
"""

import django_filters
from django import forms
from django.core.validators import validate_slug
from django.db import NotSupportedError
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, TextField, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Lower

from articles.models import Annotation, Article, Source, Topic
from articles.site import search
from people.models import Person

SLUG_HELP = "As in the address of their page, for example {example}."
ORDERINGS = {
    "newest": ("-published_at", "-pk"),
    "oldest": ("published_at", "pk"),
    "headline": (Lower(KT("published_snapshot__headline")), "-published_at", "-pk"),
}
ORDERING_CHOICES = [
    ("newest", "Newest first"),
    ("oldest", "Oldest first"),
    ("headline", "Headline, A to Z"),
]
QUOTE_ORDER = ("-article__published_at", "article_id", "start", "pk")


class SnapshotListHas(Func):
    """True when a list in a snapshot holds ``value``, or given ``key``, an entry with that value.

    ``SnapshotListHas(F("article__published_snapshot"), "annotation_ids", F("pk"))`` holds for
    the annotations readers see, ``SnapshotListHas(F("published_snapshot"), "topics", "haiti",
    key="slug")`` for articles published under the topic "haiti". Django's JSON ``contains``
    lookup does this on PostgreSQL only, so SQLite reads the list with ``json_each``.
    """

    output_field = BooleanField()

    def __init__(self, snapshot, list_name: str, value, key: str | None = None):
        if isinstance(value, str):
            value = Cast(Value(value), TextField())
        super().__init__(snapshot, value)
        self.list_name, self.key = list_name, key

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError("Searching published snapshots needs SQLite or PostgreSQL.")

    def as_sqlite(self, compiler, connection, **extra_context):
        (snapshot, snapshot_params), (value, value_params) = self._compiled(compiler)
        if self.key is None:
            entry, entry_params = "entry.value", ()
        else:
            entry, entry_params = "json_extract(entry.value, %s)", (f"$.{self.key}",)
        sql = f"EXISTS (SELECT 1 FROM json_each({snapshot}, %s) AS entry WHERE {entry} = {value})"
        return sql, (*snapshot_params, f"$.{self.list_name}", *entry_params, *value_params)

    def as_postgresql(self, compiler, connection, **extra_context):
        (snapshot, snapshot_params), (value, value_params) = self._compiled(compiler)
        if self.key is None:
            entry, entry_params = f"to_jsonb({value})", value_params
        else:
            entry = f"jsonb_build_object(%s::text, {value})"
            entry_params = (self.key, *value_params)
        sql = f"(({snapshot}) -> %s::text) @> jsonb_build_array({entry})"
        return sql, (*snapshot_params, self.list_name, *entry_params)

    def _compiled(self, compiler):
        return [compiler.compile(expression) for expression in self.get_source_expressions()]


def annotations_in_snapshots():
    """Public annotations as readers see them: listed in their live article's snapshot."""
    return (
        Annotation.objects.public()
        .filter(article__in=Article.objects.published())
        .filter(SnapshotListHas(F("article__published_snapshot"), "annotation_ids", F("pk")))
    )


def articles_search(queryset, terms: str):
    """Articles whose published headline, dek or text hold every word of ``terms``.

    Full-text search on PostgreSQL and on SQLite with FTS5 (``articles.site.search``), aliased
    ``search_rank`` for ordering by relevance; substring matching elsewhere.
    """
    return search.articles_matching(queryset, terms)


def articles_on_topic(queryset, slug: str):
    """Articles published under the topic: the snapshot's topics, not today's working copy."""
    return queryset.filter(SnapshotListHas(F("published_snapshot"), "topics", slug, key="slug"))


def _with_published_annotation(queryset, *conditions, **lookups):
    annotations = (
        Annotation.objects.public()
        .filter(article=OuterRef("pk"))
        .filter(SnapshotListHas(OuterRef("published_snapshot"), "annotation_ids", F("pk")))
        .filter(*conditions, **lookups)
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
        queryset=Topic.objects.all(),
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
            queryset = Article.objects.published().order_by(*ORDERINGS["newest"])
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
        return articles_on_topic(queryset, value.slug)

    def filter_source_kind(self, queryset, name, value):
        return _with_published_annotation(
            queryset, kind__in=Annotation.SPEAKER_KINDS, source__kind=value
        )

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
        field_name="source__kind", choices=Source.Kind.choices
    )

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = annotations_in_snapshots().quotes().order_by(*QUOTE_ORDER)
        super().__init__(data, queryset=queryset, **kwargs)


class PersonFilter(django_filters.FilterSet):
    """People readers meet in published stories: /api/people/."""

    q = django_filters.CharFilter(method="filter_search", max_length=200)

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = people_in_published_stories()
        super().__init__(data, queryset=queryset, **kwargs)

    def filter_search(self, queryset, name, value):
        return queryset.matching(value)


def people_in_published_stories():
    """People quoted, mentioned or bylined in a live article: none known only to drafts."""
    annotations = annotations_in_snapshots()
    return Person.objects.filter(
        Q(pk__in=annotations.values("speaker"))
        | Q(pk__in=annotations.values("mentioned_person"))
        | Q(pk__in=Article.objects.published().values("bylines"))
    ).order_by("name", "pk")
