"""The article list and search, and topic pages: the published edition only."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles.publishing import selectors
from articles.site.filters import ArticleFilter

PER_PAGE = 20
FILTERS_NOT_ORDERING = [name for name in ArticleFilter.base_filters if name != "ordering"]


def page_of(request, queryset, per_page: int = PER_PAGE):
    """The page ``?page=`` asks for: page 1 for anything but a number, the last past the end."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def page_query(request, number: int) -> str:
    """This request's query string, filters kept, pointing at page ``number``."""
    params = request.GET.copy()
    params["page"] = number
    return f"?{params.urlencode()}"


@require_safe
def article_list(request):
    filterset = ArticleFilter(request.GET)
    articles = filterset.qs if filterset.is_valid() else selectors.published_articles().none()
    page = page_of(request, _teasers(articles))
    context = {
        "form": filterset.form,
        "filtered": any(request.GET.get(name) for name in FILTERS_NOT_ORDERING),
        "page": page,
        "page_links": _page_links(request, page),
    }
    return render(request, "articles/article_list.html", context)


@require_safe
def topic_detail(request, slug):
    topic = selectors.public_topic(slug)
    page = page_of(request, _teasers(selectors.articles_under_topic(topic)))
    context = {"topic": topic, "page": page, "page_links": _page_links(request, page)}
    return render(request, "articles/topic_detail.html", context)


def _teasers(articles):
    """Only what a teaser shows, not each story's body."""
    return articles.only("slug", "headline", "dek", "published_at")


def _page_links(request, page) -> dict:
    return {
        "previous": page_query(request, page.previous_page_number()) if page.has_previous() else "",
        "next": page_query(request, page.next_page_number()) if page.has_next() else "",
    }
