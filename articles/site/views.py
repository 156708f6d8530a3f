"""Public article pages: readers get the published edition, through ``publishing.selectors``.

Staff who may change articles can also read a working copy (a draft, or ``?working=1`` on a
live story); that path is theirs alone and the page cache never stores it.
"""

import json

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from articles.annotations import w3c
from articles.models import Article, PreviewLink
from articles.publishing import selectors, story
from articles.site import metadata


def home(request):
    articles = selectors.published_articles().only(
        "slug", "headline", "dek", "published_at", "first_published_at"
    )[:20]
    return render(request, "articles/home.html", {"articles": articles})


def article_detail(request, slug):
    """A live article as it was published; staff may also read the working copy of any."""
    edition = selectors.edition_at(slug)
    staff = _is_staff_reader(request)
    if staff and (edition is None or request.GET.get("working") == "1"):
        # The story at a published address is that edition's, whatever drafts are called.
        article = edition.article if edition else Article.objects.filter(slug=slug).first()
        if article is not None:
            return _article_page(request, article, story.story_build(article), is_preview=True)
    if edition is None:
        return _redirect_or_404(slug)
    return _article_page(
        request,
        edition,
        selectors.story_of(edition),
        is_preview=False,
        corrections=selectors.corrections_of(edition),
        working_copy_changed=staff and edition.article.has_unpublished_changes,
    )


@never_cache
def article_preview(request, token):
    """A draft read at a preview link: no account needed, until it expires or is revoked."""
    link = PreviewLink.objects.valid().select_related("article").filter(token=token).first()
    if link is None:
        raise Http404("This preview link has expired or been revoked.")
    response = _article_page(
        request, link.article, story.story_build(link.article), is_preview=True
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def corrections_log(request):
    return render(
        request, "articles/corrections.html", {"corrections": selectors.corrections_log()}
    )


def source_detail(request, pk):
    """A source's document as published, while a live story cites the source by name."""
    page = selectors.source_document(pk, request.GET.get("quote", ""))
    return render(request, "articles/source_detail.html", page)


def article_annotations(request, slug):
    """The W3C collection: published annotations for readers, all of the working copy for staff."""
    edition = selectors.published_articles().filter(slug=slug).first()
    if request.user.is_staff and request.user.has_perm("articles.view_annotation"):
        article = edition.article if edition else Article.objects.filter(slug=slug).first()
        if article is None:
            raise Http404(selectors.NOT_FOUND)
        annotations = article.annotations.in_reading_order().select_related(*w3c.RELATIONS)
        return _collection(request, article, annotations, article.headline)
    if edition is None:
        return _redirect_or_404(slug, then="annotations.jsonld")
    return _collection(request, edition, selectors.annotations_of(edition), edition.headline)


def _collection(request, article, annotations, headline):
    document = w3c.collection(article, annotations, request.build_absolute_uri, headline)
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type=w3c.MEDIA_TYPE
    )


def _redirect_or_404(slug, then=""):
    """An address a story was published under before: to where it is now, for good."""
    address = selectors.current_address(slug)
    if address is None:
        raise Http404(selectors.NOT_FOUND)
    return HttpResponsePermanentRedirect(f"{address}{then}")


def _article_page(
    request, article, story, is_preview, corrections=None, working_copy_changed=False
):
    if corrections is None:
        corrections = list(article.corrections.order_by("published_at")) if article.pk else []
    absolute = request.build_absolute_uri
    context = {
        "article": article,
        "story": story,
        "corrections": corrections,
        "structured_data": metadata.news_article(absolute, article, story, corrections),
        "card": metadata.social_card(absolute, article, story),
        "is_preview": is_preview,
        "working_copy_changed": working_copy_changed,
    }
    return render(request, "articles/article_detail.html", context)


def _is_staff_reader(request) -> bool:
    return request.user.is_staff and request.user.has_perm("articles.change_article")
