"""Public article pages: read only through ``Article.objects.published()``."""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from articles import rendering, web_annotations
from articles.models import Annotation, Article, Correction, PreviewLink

ANNOTATION_RELATIONS = (
    "speaker",
    "speaker_organization",
    "position__organization",
    "source__publisher",
    "mentioned_person",
    "mentioned_organization",
    "mentioned_place",
)


def home(request):
    articles = Article.objects.published().prefetch_related("bylines")[:20]
    return render(request, "articles/home.html", {"articles": articles})


def article_detail(request, slug):
    article = _readable_article(request, slug)
    return _article_page(request, article, is_preview=not article.is_live)


@never_cache
def article_preview(request, token):
    """A draft read at a preview link: no account needed, until it expires or is revoked."""
    link = PreviewLink.objects.valid().select_related("article").filter(token=token).first()
    if link is None:
        raise Http404("This preview link has expired or been revoked.")
    response = _article_page(request, link.article, is_preview=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def corrections_log(request):
    corrections = Correction.objects.filter(article__in=Article.objects.published()).select_related(
        "article"
    )[:200]
    return render(request, "articles/corrections.html", {"corrections": corrections})


def _article_page(request, article, is_preview):
    annotations = list(
        article.annotations.public().in_reading_order().select_related(*ANNOTATION_RELATIONS)
    )
    quotes = [a for a in annotations if a.kind in Annotation.SPEAKER_KINDS]
    numbers = {quote.pk: number for number, quote in enumerate(quotes, start=1)}
    spans = [_span_for(annotation, numbers) for annotation in annotations]
    bylines = list(article.bylines.all())
    corrections = list(article.corrections.order_by("published_at"))
    context = {
        "article": article,
        "body_html": rendering.render_body(article.body, spans),
        "quotes": quotes,
        "sources": _sources_of(quotes),
        "bylines": bylines,
        "topics": list(article.topics.all()),
        "corrections": corrections,
        "structured_data": _news_article(request, article, bylines, corrections),
        "is_preview": is_preview,
    }
    return render(request, "articles/article_detail.html", context)


def _news_article(request, article, bylines, corrections) -> dict:
    """schema.org NewsArticle for search engines and aggregators."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.dek,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "author": [
            {
                "@type": "Person",
                "name": person.name,
                "url": request.build_absolute_uri(person.get_absolute_url()),
            }
            for person in bylines
        ],  # fmt: skip
    }
    if article.first_published_at:
        data["datePublished"] = article.first_published_at.isoformat()
        data["dateModified"] = (article.published_at or article.first_published_at).isoformat()
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": correction.published_at.isoformat(),
            }
            for correction in corrections
        ]
    return data


def article_annotations(request, slug):
    """The W3C collection: public annotations for readers, all of them for staff."""
    staff = request.user.is_staff and request.user.has_perm("articles.view_annotation")
    article = _readable_article(request, slug)
    annotations = article.annotations.in_reading_order().select_related(*web_annotations.RELATIONS)
    if not staff:
        annotations = annotations.public()
    document = web_annotations.collection(article, annotations, request.build_absolute_uri)
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type=web_annotations.MEDIA_TYPE,
    )


def _readable_article(request, slug):
    """Readers see live articles; staff who may change articles also preview the others."""
    if request.user.is_staff and request.user.has_perm("articles.change_article"):
        return get_object_or_404(Article, slug=slug)
    return get_object_or_404(Article.objects.published(), slug=slug)


def _span_for(annotation, quote_numbers) -> rendering.Span:
    """How an annotation shows in the body: quotes link their speaker and footnote their source."""
    data = (("annotation-id", str(annotation.pk)),)
    if annotation.kind in Annotation.SPEAKER_KINDS:
        number = quote_numbers[annotation.pk]
        speaker = annotation.speaker
        title = annotation.speaker_name
        if annotation.position_id:
            title = f"{title}, {annotation.position.title}"
        return rendering.Span(
            start=annotation.start,
            end=annotation.end,
            kind=annotation.kind,
            # A direct quote is a few words and links its speaker; a paraphrase may run for
            # sentences holding links of its own, so it points to its note instead.
            href=speaker.get_absolute_url() if speaker and annotation.kind == "quote" else "",
            title=title,
            element_id=f"annotation-{annotation.pk}",
            ref_label=str(number),
            ref_href=f"#quote-note-{number}",
            data=data,
        )
    subject = annotation.mentioned_person or annotation.mentioned_organization
    return rendering.Span(
        start=annotation.start,
        end=annotation.end,
        kind=annotation.kind,
        href=subject.get_absolute_url() if subject else "",
        title=str(subject or annotation.mentioned_place or ""),
        data=data,
    )


def _sources_of(quotes):
    seen = {}
    for quote in quotes:
        if quote.source_id and quote.source_id not in seen:
            seen[quote.source_id] = quote.source
    return list(seen.values())
