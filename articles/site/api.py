"""The read-only JSON API: articles, people and quotes as readers see them, a page at a time.

Every answer is read from the published edition through the same FilterSets as the HTML
lists, so the API shows nothing a reader could not find on the site. Lists answer
``{"count", "next", "previous", "results"}``; a filter value it cannot use answers 400 with
``{"errors": {field: [messages]}}``.
"""

from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles.publishing import selectors
from articles.site.filters import ArticleFilter, PersonFilter, QuoteFilter
from articles.site.lists import page_of, page_query

NOT_FOUND = "No published article has this slug."


@require_safe
def article_list(request):
    filterset = ArticleFilter(request.GET)
    if not filterset.is_valid():
        return _invalid(filterset)
    editions = selectors.with_bylines_and_topics(
        filterset.qs.only("slug", "headline", "dek", "first_published_at", "published_at")
    )
    return _paginated(
        request,
        editions,
        lambda page: [
            _article_summary(request, edition, selectors.summary_of(edition)) for edition in page
        ],
    )


@require_safe
def article_detail(request, slug):
    edition = selectors.edition_at(slug)
    if edition is None:
        return _json({"errors": {"slug": [NOT_FOUND]}}, status=404)
    story = selectors.story_of(edition)
    sources = {source["id"]: source for source in story["sources"]}
    return _json(
        {
            **_article_summary(request, edition, story),
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
    quotes = selectors.with_stories(filterset.qs)
    return _paginated(request, quotes, lambda page: _quotes_as_published(request, page))


def _quotes_as_published(request, rows):
    """Each quote of the page as its story shows it, with its story and its source."""
    rows = list(rows)
    sources = selectors.sources_by_id({row.edition_id for row in rows})
    results = []
    for row in rows:
        quote = selectors.quote_with_story(row)
        url = request.build_absolute_uri(quote["article"]["url"])
        story_sources = {row.source_id: sources.get((row.edition_id, row.source_id))}
        results.append(
            {
                **_quote(request, quote, story_sources),
                "url": f"{url}#annotation-{row.annotation_id}",
                "article": {"headline": quote["article"]["headline"], "url": url},
            }
        )
    return results


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
