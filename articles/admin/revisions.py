"""Admin views of an article's revisions: the list, one revision, a comparison, a revert."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from reversion.models import Revision

from articles.annotations import rendering
from articles.editorial import revisions
from articles.editorial.permissions import can_edit_article
from articles.models import Annotation, Article


def revision_urls(admin_site):
    def view(function):
        return admin_site.admin_view(function)

    return [
        path("<int:pk>/revisions/", view(revision_list), name="articles_article_revisions"),
        path(
            "<int:pk>/revisions/compare/",
            view(revision_comparison),
            name="articles_article_revision_compare",
        ),
        path(
            "<int:pk>/revisions/<int:revision_pk>/",
            view(revision_detail),
            name="articles_article_revision",
        ),
        path(
            "<int:pk>/revisions/<int:revision_pk>/revert/",
            view(require_POST(revision_revert)),
            name="articles_article_revision_revert",
        ),
    ]


def revision_list(request, pk):
    article = _viewable(request, pk)
    context = _context(request, article, f"Revisions of “{article.headline}”")
    context.update(
        revisions=revisions.revisions_of(article),
        can_revert=can_edit_article(request.user, article),
    )
    return TemplateResponse(request, "admin/articles/article/revisions.html", context)


def revision_detail(request, pk, revision_pk):
    article = _viewable(request, pk)
    revision = _revision_of(article, revision_pk)
    state = revisions.revision_state(article, revision)
    annotations = sorted(
        state.annotations.items(),
        key=lambda item: (item[1]["start"] is not None, item[1]["start"] or 0),
    )
    spans = [
        rendering.Span(start=data["start"], end=data["end"], kind=data["kind"])
        for _, data in annotations
        if data["start"] is not None
    ]
    context = _context(request, article, f"Revision of {revision.date_created:%d %B %Y, %H:%M}")
    context.update(
        revision=revision,
        state=state,
        body_html=rendering.render_body(state.fields.get("body", ""), spans),
        annotations=[_labelled(data) for _, data in annotations],
        can_revert=can_edit_article(request.user, article),
    )
    return TemplateResponse(request, "admin/articles/article/revision_detail.html", context)


def revision_comparison(request, pk):
    article = _viewable(request, pk)
    chosen = [request.GET.get("older", ""), request.GET.get("newer", "")]
    if not all(value.isdigit() for value in chosen) or chosen[0] == chosen[1]:
        messages.error(request, "Choose two different revisions to compare.")
        return redirect(reverse("admin:articles_article_revisions", args=[article.pk]))
    older, newer = (_revision_of(article, value) for value in chosen)
    if older.pk > newer.pk:
        older, newer = newer, older
    comparison = revisions.revision_compare(article, older, newer)
    context = _context(request, article, "Compare revisions")
    context.update(
        comparison=comparison,
        older=older,
        newer=newer,
        added=[_labelled(data) for data in comparison.added],
        removed=[_labelled(data) for data in comparison.removed],
        changed=[(_labelled(data), names) for data, names in comparison.changed],
    )
    return TemplateResponse(request, "admin/articles/article/revision_compare.html", context)


def revision_revert(request, pk, revision_pk):
    article = get_object_or_404(Article, pk=pk)
    if not can_edit_article(request.user, article):
        raise PermissionDenied("You may not edit this article.")
    revision = _revision_of(article, revision_pk)
    skipped = revisions.revision_revert(article=article, revision=revision, user=request.user)
    messages.success(
        request,
        f"Reverted to the revision of {revision.date_created:%d %B %Y, %H:%M}, as a new revision. "
        "Annotations made since were kept and re-anchored.",
    )
    if skipped:
        listed = "; ".join(f"“{text[:40]}”" for text in skipped)
        messages.warning(request, f"These annotations could not be restored: {listed}.")
    return redirect(reverse("admin:articles_article_change", args=[article.pk]))


def _viewable(request, pk) -> Article:
    article = get_object_or_404(Article, pk=pk)
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied("You may not view articles.")
    return article


def _revision_of(article, revision_pk) -> Revision:
    return get_object_or_404(revisions.revisions_of(article), pk=revision_pk)


def _labelled(data: dict) -> dict:
    kind = Annotation.Kind(data["kind"]).label if data["kind"] in Annotation.Kind else data["kind"]
    return {**data, "kind_label": kind}


def _context(request, article, title):
    return {
        **admin.site.each_context(request),
        "title": title,
        "article": article,
        "opts": Article._meta,
    }
