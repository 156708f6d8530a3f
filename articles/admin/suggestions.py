"""The Annotate screen's suggestions: what the attribution assistant proposes, to accept or reject.

Only editors who may add annotations to the article see them; they never reach readers. Each
answer is the screen's state (annotations, body) with the suggestions left, highlighted in the
body. Accepting one is the screen's ordinary save; accepting all above a confidence and
rejecting one are here, their payloads checked by ``payloads``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from articles.admin import payloads
from articles.admin.annotate import (
    _annotations_of,
    _body,
    _body_html,
    _choice,
    _problem,
    annotation_json,
)
from articles.annotations import anchoring, rendering, suggestions
from articles.editorial.permissions import can_annotate
from articles.models import Annotation, Article


def suggestion_urls(admin_site):
    """URL patterns for the suggestions, beside the Annotate screen's own."""

    def view(function):
        return admin_site.admin_view(function)

    return [
        path(
            "<int:pk>/annotations/suggestions/",
            view(suggestion_list),
            name="articles_article_suggestions",
        ),
        path(
            "<int:pk>/annotations/suggestions/rejections/",
            view(suggestion_rejections),
            name="articles_article_suggestion_rejections",
        ),
        path(
            "<int:pk>/annotations/suggestions/acceptances/",
            view(suggestion_acceptances),
            name="articles_article_suggestion_acceptances",
        ),
    ]


@require_GET
def suggestion_list(request, pk):
    return _state(_annotatable(request, pk))


@require_POST
@transaction.atomic
def suggestion_rejections(request, pk):
    article = _annotatable(request, pk)
    try:
        fields = payloads.suggestion_payload(_body(request))
        suggestions.suggestion_reject(article=article, user=request.user, **fields)
    except (ValidationError, PermissionDenied) as problem:
        return _problem(problem)
    return _state(article, status=201, message="Rejected: it will not be suggested again.")


@require_POST
@transaction.atomic
def suggestion_acceptances(request, pk):
    article = _annotatable(request, pk)
    try:
        fields = payloads.acceptance_payload(_body(request))
        acceptance = suggestions.suggestions_accept(article=article, user=request.user, **fields)
    except (ValidationError, PermissionDenied) as problem:
        return _problem(problem)
    return _state(
        article,
        message=acceptance.message,
        accepted=len(acceptance.accepted),
        skipped=sum(acceptance.skipped.values()),
    )


def suggestion_json(proposal: suggestions.Proposal, text: str) -> dict:
    """A suggestion as the screen's script reads it: an annotation it may become."""
    kind_label = Annotation.Kind(proposal.kind).label
    speaker = proposal.speaker or proposal.speaker_organization
    who = str(speaker) if speaker else proposal.speaker_name
    return {
        "key": proposal.key,
        "kind": proposal.kind,
        "kind_label": kind_label,
        **anchoring.describe(text, proposal.start, proposal.end),
        "confidence": round(proposal.confidence, 2),
        "speaker_name": proposal.speaker_name,
        "speaker": _choice(proposal.speaker),
        "speaker_organization": _choice(proposal.speaker_organization),
        "position": _choice(proposal.position),
        "summary": f"{kind_label} — {who}" if who else kind_label,
    }


def _annotatable(request, pk) -> Article:
    article = get_object_or_404(Article, pk=pk)
    if not can_annotate(request.user, article, "add"):
        raise PermissionDenied("You may not annotate this article.")
    return article


def _state(article, status=200, **extra):
    annotations = _annotations_of(article)
    text = article.plain_text
    found = [suggestion_json(p, text) for p in suggestions.suggestions_for(article)]
    spans = [
        rendering.Span(
            start=s["start"],
            end=s["end"],
            kind="suggestion",
            title=f"Suggested: {s['summary']}",
            data=(("suggestion", s["key"]), ("suggested-kind", s["kind"])),
        )
        for s in found
    ]
    payload = {
        "annotations": [annotation_json(a) for a in annotations],
        "suggestions": found,
        "body_html": _body_html(article, annotations, spans),
        **extra,
    }
    return JsonResponse(payload, status=status)
