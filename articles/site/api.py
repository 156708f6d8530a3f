"""The read-only JSON API: articles, people and quotes as readers see them, a page at a time.

Every answer is read from published snapshots through the same FilterSets as the HTML lists,
so the API shows nothing a reader could not find on the site. Lists answer
``{"count", "next", "previous", "results"}``; a filter value it cannot use answers 400 with
``{"errors": {field: [messages]}}``.
"""

from django.db.models.fields.json import KT, KeyTransform
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles.models import Article
from articles.site.filters import ArticleFilter, PersonFilter, QuoteFilter
from articles.site.lists import page_of, page_query

NOT_FOUND = "No published article has this slug."


@require_safe
def article_list(request):
    filterset = ArticleFilter(request.GET)
    if not filterset.is_valid():
        return _invalid(filterset)
    articles = _with_summary(filterset.qs)
    return _paginated(
        request,
        articles,
        lambda page: [_article_summary(request, article, _summary_of(article)) for article in page],
    )


@require_safe
def article_detail(request, slug):
    article = (
        Article.objects.published()
        .filter(slug=slug)
        .only("slug", "first_published_at", "published_at", "published_snapshot")
        .first()
    )
    if article is None:
        return _json({"errors": {"slug": [NOT_FOUND]}}, status=404)
    story = article.published_snapshot
    sources = _sources_of(story)
    return _json(
        {
            **_article_summary(request, article, story),
            "body_html": story["body_html"],
            "quotes": [_quote(request, quote, sources) for quote in story["quotes"]],
            "sources": [_source(source) for source in story["sources"]],
        }
    )


@require_safe
def person_list(request):
    filterset = PersonFilter(request.GET)
    if not filterset.is_valid():
        return _invalid(filterset)
    people = filterset.qs.only("name", "slug", "bio", "aliases")
    return _paginated(request, people, lambda page: [_person(request, p) for p in page])


@require_safe
def quote_list(request):
    filterset = QuoteFilter(request.GET)
    if not filterset.is_valid():
        return _invalid(filterset)
    quotes = filterset.qs.values_list("pk", "article_id")
    return _paginated(request, quotes, lambda page: _quotes_as_published(request, page))


def _quotes_as_published(request, rows):
    """Each quote of the page as its article's snapshot shows it, in one query for them all."""
    rows = list(rows)
    articles = (
        Article.objects.published()
        .only("slug", "published_snapshot")
        .in_bulk({article_id for _, article_id in rows})
    )
    shown = {
        article_id: {quote["id"]: quote for quote in article.published_snapshot["quotes"]}
        for article_id, article in articles.items()
    }
    sources = {
        article_id: _sources_of(article.published_snapshot)
        for article_id, article in articles.items()
    }
    results = []
    for pk, article_id in rows:
        quote = shown.get(article_id, {}).get(pk)
        if quote is None:
            continue
        article = articles[article_id]
        url = request.build_absolute_uri(article.get_absolute_url())
        results.append(
            {
                **_quote(request, quote, sources[article_id]),
                "url": f"{url}#annotation-{pk}",
                "article": {"headline": article.published_snapshot["headline"], "url": url},
            }
        )
    return results


def _with_summary(articles):
    """Only the snapshot keys a list item shows, not each article's whole body."""
    return articles.annotate(
        summary_headline=KT("published_snapshot__headline"),
        summary_dek=KT("published_snapshot__dek"),
        summary_bylines=KeyTransform("bylines", "published_snapshot"),
        summary_topics=KeyTransform("topics", "published_snapshot"),
    ).only("slug", "first_published_at", "published_at")


def _summary_of(article) -> dict:
    return {
        "headline": article.summary_headline,
        "dek": article.summary_dek,
        "bylines": article.summary_bylines or [],
        "topics": article.summary_topics or [],
    }


def _article_summary(request, article, story) -> dict:
    return {
        "slug": article.slug,
        "headline": story["headline"],
        "dek": story["dek"],
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "first_published_at": _timestamp(article.first_published_at),
        "published_at": _timestamp(article.published_at),
        "bylines": [
            {"name": byline["name"], "url": request.build_absolute_uri(byline["url"])}
            for byline in story["bylines"]
        ],
        "topics": [
            {
                "name": topic["name"],
                "slug": topic["slug"],
                "url": request.build_absolute_uri(
                    reverse("lists:topic", kwargs={"slug": topic["slug"]})
                ),
            }
            for topic in story["topics"]
        ],
    }


def _quote(request, quote, sources) -> dict:
    speaker_url = quote["speaker_url"]
    source = sources.get(quote["source_id"])
    return {
        "id": quote["id"],
        "number": quote["number"],
        "kind": quote["kind"],
        "exact": quote["exact"],
        "speaker": {
            "name": quote["speaker_name"],
            "url": request.build_absolute_uri(speaker_url) if speaker_url else None,
        },
        "position": quote["position"],
        "organization": quote["organization"],
        "source": _source_named(source) if source else None,
    }


def _sources_of(story) -> dict:
    return {source["id"]: source for source in story["sources"]}


def _source_named(source) -> dict:
    return {"id": source["id"], "title": source["title"], "kind_label": source["kind_label"]}


def _source(source) -> dict:
    keys = ("id", "kind_label", "title", "url", "publisher", "date", "anonymous", "justification")
    return {key: source[key] for key in keys}


def _person(request, person) -> dict:
    return {
        "name": person.name,
        "slug": person.slug,
        "url": request.build_absolute_uri(person.get_absolute_url()),
        "bio": person.bio,
        "aliases": person.alias_list,
    }


def _paginated(request, queryset, serialize):
    page = page_of(request, queryset)
    return _json(
        {
            "count": page.paginator.count,
            "next": _page_url(request, page.next_page_number()) if page.has_next() else None,
            "previous": _page_url(request, page.previous_page_number())
            if page.has_previous()
            else None,
            "results": serialize(page.object_list),
        }
    )


def _page_url(request, number) -> str:
    return request.build_absolute_uri(f"{request.path}{page_query(request, number)}")


def _invalid(filterset):
    errors = {name: list(messages) for name, messages in filterset.errors.items()}
    return _json({"errors": errors}, status=400)


def _timestamp(moment):
    return moment.isoformat() if moment else None


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
