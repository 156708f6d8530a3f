"""Admin views that move an article through review, and that make or revoke preview links.

Each is a POST from the article's change page; each leaves a message where the editor looks and
sends them back there. Permission is checked in ``workflow`` itself, so a forged POST is
refused with 403 and changes nothing.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from articles.annotations import service
from articles.editorial import workflow
from articles.editorial.permissions import can_preview
from articles.models import Article, PreviewLink

PREVIEW_LIFETIME = datetime.timedelta(days=7)
TRANSITIONS = {
    "submit": lambda article, user, form: workflow.submit(article, user),
    "approve": lambda article, user, form: workflow.approve(article, user),
    "request_changes": lambda article, user, form: workflow.request_changes(
        article, user, form.get("comment", "")
    ),
    "publish": lambda article, user, form: workflow.publish(
        article, user, at=_moment(form), correction=form.get("correction", "")
    ),
    "publish_unreviewed": lambda article, user, form: workflow.publish_unreviewed(
        article, user, form.get("reason", "")
    ),
    "unpublish": lambda article, user, form: workflow.unpublish(article, user),
    "reopen": lambda article, user, form: workflow.reopen(article, user),
}
DONE = {
    "submit": "Submitted for review.",
    "approve": "Approved.",
    "request_changes": "Sent back to the authors with your comment.",
    "unpublish": "Taken off the site.",
    "reopen": "Back to draft.",
    "publish_unreviewed": "Published without review; the reason is in the review log.",
}


def workflow_urls(admin_site):
    return [
        path(
            "<int:pk>/transition/",
            admin_site.admin_view(require_POST(transition)),
            name="articles_article_transition",
        ),
        path(
            "<int:pk>/annotations/<int:annotation_pk>/confirm-wording/",
            admin_site.admin_view(require_POST(wording_confirm)),
            name="articles_article_wording_confirm",
        ),
        path(
            "<int:pk>/annotations/<int:annotation_pk>/confirm-source/",
            admin_site.admin_view(require_POST(source_confirm)),
            name="articles_article_source_confirm",
        ),
        path(
            "<int:pk>/preview-links/",
            admin_site.admin_view(require_POST(preview_link_create)),
            name="articles_article_preview_link",
        ),
        path(
            "<int:pk>/preview-links/<int:link_pk>/revoke/",
            admin_site.admin_view(require_POST(preview_link_revoke)),
            name="articles_article_preview_revoke",
        ),
    ]


def transition(request, pk):
    article = get_object_or_404(Article, pk=pk)
    name = request.POST.get("transition", "")
    if name not in TRANSITIONS:
        messages.error(request, "Unknown action: reload the page and try again.")
        return _back(article)
    try:
        article = TRANSITIONS[name](article, request.user, request.POST)
    except workflow.InvalidTransition as problem:
        messages.error(request, str(problem))
    except ValueError:
        messages.error(request, "The publication time is not a date and time: use the picker.")
    else:
        messages.success(request, DONE.get(name) or _published_message(article))
    return _back(article)


def wording_confirm(request, pk, annotation_pk):
    """An editor confirms a quote's words as an edit changed them (not the edit's author)."""
    article = get_object_or_404(Article, pk=pk)
    annotation = get_object_or_404(article.annotations, pk=annotation_pk)
    try:
        service.annotation_wording_confirm(annotation=annotation, user=request.user)
    except PermissionDenied as refusal:
        messages.error(request, str(refusal) or "You may not change this article's quotes.")
    else:
        messages.success(request, f"Confirmed: the quote now reads “{annotation.exact}”.")
    return _back(article)


def source_confirm(request, pk, annotation_pk):
    """An editor confirms a quote its source's document does not hold, writing why."""
    article = get_object_or_404(Article, pk=pk)
    annotation = get_object_or_404(article.annotations, pk=annotation_pk)
    reason = request.POST.get(f"source-confirm-reason-{annotation.pk}", "")
    try:
        service.annotation_source_confirm(annotation=annotation, user=request.user, reason=reason)
    except PermissionDenied as refusal:
        messages.error(request, str(refusal) or "You may not change this article's quotes.")
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, f"Confirmed against its source: “{annotation.exact}”.")
    return _back(article)


def preview_link_create(request, pk):
    article = get_object_or_404(Article, pk=pk)
    if not (
        request.user.has_perm("articles.add_previewlink") and can_preview(request.user, article)
    ):
        raise PermissionDenied("You may not share this article.")
    link = PreviewLink.objects.create(
        article=article,
        expires_at=timezone.now() + PREVIEW_LIFETIME,
        created_by=request.user,
    )
    url = request.build_absolute_uri(link.get_absolute_url())
    messages.success(request, f"Preview link, valid for 7 days: {url}")
    return _back(article)


def preview_link_revoke(request, pk, link_pk):
    article = get_object_or_404(Article, pk=pk)
    link = get_object_or_404(PreviewLink, pk=link_pk, article=article)
    if not (
        request.user.has_perm("articles.change_previewlink") and can_preview(request.user, article)
    ):
        raise PermissionDenied("You may not revoke this link.")
    link.revoked_at = link.revoked_at or timezone.now()
    link.save(update_fields=["revoked_at"])
    messages.success(request, "The preview link no longer works.")
    return _back(article)


def _moment(form):
    value = form.get("at", "").strip()
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None:
        raise ValueError(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _published_message(article):
    if article.status == Article.Status.SCHEDULED:
        when = timezone.localtime(article.published_at).strftime("%d %B %Y, %H:%M")
        return f"Scheduled for {when}."
    return "Published."


def _back(article):
    return redirect(reverse("admin:articles_article_change", args=[article.pk]))
