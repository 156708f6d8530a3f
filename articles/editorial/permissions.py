"""Who may change what: the per-object rules behind every admin view and endpoint.

Model permissions (from the role groups) say what a user may do at all; these rules add the
record's state and ownership, in this one module:

- A reporter edits their own articles while they are drafts or sent back for changes; an
  editor edits any article that is not published; a publisher edits any. An approved or
  scheduled article is what a publisher saw: nobody changes it (send it back first).
- Preview links are made and revoked by whoever may preview the article.
- Shared records (people, organisations, positions, places, sources) that published stories
  show are changed only by editors and publishers; reporters add new ones and change those
  no published story shows. ``ObjectPermissionBackend`` answers ``user.has_perm(perm, obj)``
  for them, so that the people app's admin asks without knowing about articles.
"""

from django.contrib.auth.backends import BaseBackend
from django.db.models import Q

from articles.models import Article, Source
from articles.publishing import selectors
from people.models import Organization, Person, Place, Position

REPORTER_EDITABLE = frozenset({Article.Status.DRAFT, Article.Status.CHANGES_REQUESTED})
# What a publisher approved or scheduled goes live as they saw it.
LOCKED = frozenset({Article.Status.APPROVED, Article.Status.SCHEDULED})
LOCKED_MESSAGE = (
    "This article is {status}: it goes live as the publisher saw it, so it cannot be changed. "
    "To change it, request changes (or cancel the schedule first)."
)


def can_edit_article(user, article: Article) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    if article.status in LOCKED:
        return False
    if user.is_superuser or user.has_perm("articles.publish_article"):
        return user.has_perm("articles.change_article")
    if not user.has_perm("articles.change_article"):
        return False
    if user.has_perm("articles.review_article"):
        return article.status != Article.Status.PUBLISHED
    return article.created_by_id == user.pk and article.status in REPORTER_EDITABLE


def can_annotate(user, article: Article, action: str = "change") -> bool:
    """``action`` is view, add, change or delete: the annotation permission the request needs.

    Editors and publishers annotate any article, published ones included: attributing words
    already in the text changes no word of it. Reporters annotate what they may edit.
    """
    if not (user.is_active and user.is_staff and user.has_perm(f"articles.{action}_annotation")):
        return False
    if action != "view" and article.status in LOCKED:
        return False
    return user.has_perm("articles.review_article") or can_edit_article(user, article)


def can_preview(user, article: Article) -> bool:
    """Who may read a working copy, and so share it by a preview link or revoke one."""
    return user.has_perm("articles.review_article") or can_edit_article(user, article)


def locked_message(article: Article) -> str | None:
    if article.status in LOCKED:
        return LOCKED_MESSAGE.format(status=article.get_status_display().lower())
    return None


def deletion_refusal(article: Article) -> str | None:
    """Why nobody, superusers included, may delete ``article`` now; ``None`` when it may go.

    Publishing and scheduling are decisions to show an article to readers, and only the
    workflow undoes them: unpublishing is logged, withdraws the published pages and purges the
    caches, where a delete would pull the article from under its readers in passing.
    """
    if article.live:
        return (
            "A published article cannot be deleted. Unpublish it first; its pages then leave "
            "the site."
        )
    if article.status == Article.Status.SCHEDULED:
        return "A scheduled article cannot be deleted. Cancel its schedule first."
    return None


# Shared records shown on published pages.

SHOWN = {
    Person: lambda: selectors.people_shown(),
    Organization: lambda: selectors.organizations_shown(),
    Position: lambda: selectors.positions_shown(),
    Place: lambda: selectors.places_named(),
    Source: lambda: selectors.sources_cited(),
}
# How each shared record reaches an article's working copy: what an approved or scheduled
# story shows goes live as the publisher saw it, so it is guarded like what is live.
IN_ARTICLES = {
    Person: ("quotes__article", "mentions__article", "bylined_articles"),
    Organization: ("quotes__article", "mentions__article", "positions__quotes__article"),
    Position: ("quotes__article",),
    Place: ("mentions__article",),
    Source: ("annotations__article",),
}
SHARED_ACTIONS = ("change", "delete")


def can_change_shared_record(user, record) -> bool:
    """Editors and publishers change any shared record; others only those readers do not see
    and no approved or scheduled story shows."""
    if user.has_perm("articles.review_article"):
        return True
    model = type(record)
    if SHOWN[model]().filter(pk=record.pk).exists():
        return False
    locked = Q()
    for path in IN_ARTICLES[model]:
        locked |= Q(**{f"{path}__status__in": LOCKED})
    return not model.objects.filter(locked, pk=record.pk).exists()


class ObjectPermissionBackend(BaseBackend):
    """Object permissions on shared records: the model permission, and the rule above."""

    def has_perm(self, user_obj, perm, obj=None):
        if obj is None or type(obj) not in SHOWN or not user_obj.is_active:
            return False
        action = perm.partition(".")[2].partition("_")[0]
        if action not in SHARED_ACTIONS or not user_obj.has_perm(perm):
            return False
        return can_change_shared_record(user_obj, obj)
