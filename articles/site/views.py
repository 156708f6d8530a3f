"""Public article pages: read only through ``Article.objects.published()``."""

import json

from django.db.models.fields.json import KT
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from articles.annotations import w3c
from articles.models import Article, Correction, PreviewLink
from articles.publishing import edition
from articles.site import metadata


def home(request):
    articles = (
        Article.objects.published()
        .annotate(
            live_headline=KT("published_snapshot__headline"),
            live_dek=KT("published_snapshot__dek"),
        )
        .only("slug", "published_at")[:20]
    )
    return render(request, "articles/home.html", {"articles": articles})


def article_detail(request, slug):
    """A live article as it was published; staff may also read the working copy of any."""
    if _is_staff_reader(request):
        article = get_object_or_404(Article, slug=slug)
        if not article.is_live or request.GET.get("working") == "1":
            return _article_page(request, article, edition.snapshot_build(article), True)
    else:
        article = get_object_or_404(Article.objects.published(), slug=slug)
    return _article_page(request, article, article.published_snapshot, False)


@never_cache
def article_preview(request, token):
    """A draft read at a preview link: no account needed, until it expires or is revoked."""
    link = PreviewLink.objects.valid().select_related("article").filter(token=token).first()
    if link is None:
        raise Http404("This preview link has expired or been revoked.")
    story = edition.snapshot_build(link.article)
    response = _article_page(request, link.article, story, is_preview=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def corrections_log(request):
    corrections = Correction.objects.filter(article__in=Article.objects.published()).select_related(
        "article"
    )[:200]
    return render(request, "articles/corrections.html", {"corrections": corrections})


def _article_page(request, article, story, is_preview):
    corrections = list(article.corrections.order_by("published_at"))
    absolute = request.build_absolute_uri
    context = {
        "article": article,
        "story": story,
        "corrections": corrections,
        "structured_data": metadata.news_article(absolute, article, story, corrections),
        "card": metadata.social_card(absolute, article, story),
        "is_preview": is_preview,
    }
    return render(request, "articles/article_detail.html", context)


def _is_staff_reader(request) -> bool:
    return request.user.is_staff and request.user.has_perm("articles.change_article")


def article_annotations(request, slug):
    """The W3C collection: public annotations for readers, all of them for staff."""
    staff = request.user.is_staff and request.user.has_perm("articles.view_annotation")
    article = _readable_article(request, slug)
    if staff:
        headline = article.headline
        annotations = article.annotations.in_reading_order().select_related(*w3c.RELATIONS)
    else:
        headline = article.published_snapshot["headline"]
        annotations = edition.published_annotations(article)
    document = w3c.collection(article, annotations, request.build_absolute_uri, headline)
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type=w3c.MEDIA_TYPE,
    )


def _readable_article(request, slug):
    """Readers see live articles; staff who may change articles also see the others."""
    if _is_staff_reader(request):
        return get_object_or_404(Article, slug=slug)
    return get_object_or_404(Article.objects.published(), slug=slug)
