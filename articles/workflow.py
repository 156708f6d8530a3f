"""The review state machine: the one place that changes an article's status.

Views, admin actions and commands call these functions; nothing else assigns
``article.status``. Each transition is atomic and checks the acting user's permission
(``user=None`` means the system itself, for management commands).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from articles.models import Article


class InvalidTransition(Exception):
    """The article is not in a state the requested transition starts from."""


PUBLISHABLE_FROM = frozenset(
    {
        Article.Status.DRAFT,
        Article.Status.APPROVED,
        Article.Status.SCHEDULED,
        Article.Status.UNPUBLISHED,
    }
)


def _require_permission(user, permission: str, action: str):
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to {action} articles.")


def publish(article: Article, user, at: datetime.datetime | None = None) -> Article:
    """Publish ``article`` now, at a past moment (an archive import), or schedule it for later.

    Publishing refuses while quotes are orphaned: readers would see words with nobody behind them.
    """
    _require_permission(user, "articles.publish_article", "publish")
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if locked.status not in PUBLISHABLE_FROM:
            raise InvalidTransition(
                f"“{locked}” is {locked.get_status_display().lower()} and cannot be published."
            )
        orphans = list(locked.annotations.quotes().filter(anchor_status="orphaned"))
        if orphans:
            listed = "; ".join(f"“{quote.exact[:40]}”" for quote in orphans)
            raise InvalidTransition(
                f"Resolve the orphaned quotes before publishing: {listed}. Re-attach each to "
                "its words on the Annotate screen, or discard it."
            )
        now = timezone.now()
        moment = at or now
        if moment > now:
            locked.status = Article.Status.SCHEDULED
        else:
            locked.status = Article.Status.PUBLISHED
            locked.first_published_at = locked.first_published_at or moment
        locked.published_at = moment
        locked.save(update_fields=["status", "first_published_at", "published_at", "updated_at"])
    article.refresh_from_db()
    return article
