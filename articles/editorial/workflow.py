"""The review state machine: the one place that changes an article's status.

    draft → in review → (changes requested → in review) → approved → published
                                                        approved → scheduled → published
    published → unpublished → draft
    published, then edited → in review → … → published again

Publishing freezes the article: it records a revision and renders the snapshot readers see
(``publication``). Edits made after that stay out of readers' sight until published again.

Views, admin actions and commands call these functions; nothing else assigns
``article.status``. Each transition locks the article's row, checks the acting user's
permission (``user=None`` is the system itself: the scheduler, the loader), writes an
append-only review log entry, and sends its notification once the transaction commits.
"""

import datetime
import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from articles.editorial import notifications
from articles.editorial.permissions import can_edit_article
from articles.editorial.revisions import revision_record
from articles.models import Article, ReviewLogEntry
from articles.publishing import edition
from newsroom.caching import invalidate_when_committed

Status = Article.Status
logger = logging.getLogger(__name__)


class InvalidTransition(Exception):
    """The article is not in a state the transition starts from, or a condition is unmet."""


def submit(article: Article, user) -> Article:
    """Send a draft, an article sent back for changes, or unpublished edits of a live article
    to the editors for review."""
    if user is not None and not can_edit_article(user, article):
        raise PermissionDenied("You may only submit articles you are allowed to edit.")

    def check(locked: Article):
        if locked.status == Status.PUBLISHED and not locked.has_unpublished_changes:
            raise InvalidTransition(f"“{locked}” has no changes since it was published.")

    return _move(
        article,
        user,
        "submit",
        {Status.DRAFT, Status.CHANGES_REQUESTED, Status.PUBLISHED},
        Status.IN_REVIEW,
        check=check,
        notify=notifications.submitted,
    )


def request_changes(article: Article, user, comment: str) -> Article:
    """Send an article back to its authors, saying what must change."""
    _require(user, "articles.review_article", "request changes to")
    comment = (comment or "").strip()
    if not comment:
        raise InvalidTransition("Say what needs to change: a comment is required.")
    return _move(
        article,
        user,
        "send back",
        {Status.IN_REVIEW, Status.APPROVED},
        Status.CHANGES_REQUESTED,
        comment=comment,
        notify=notifications.changes_requested,
    )


def approve(article: Article, user) -> Article:
    """Mark a reviewed article ready for a publisher."""
    _require(user, "articles.review_article", "approve")
    return _move(article, user, "approve", {Status.IN_REVIEW}, Status.APPROVED)


def publish(article: Article, user, at: datetime.datetime | None = None) -> Article:
    """Publish an approved article now, or schedule it when ``at`` lies in the future.

    A past ``at`` publishes now with that as the publication time (an archive import). Refused
    before the article's embargo, and while any quote is orphaned: readers would see words with
    nobody behind them.
    """
    _require(user, "articles.publish_article", "publish")
    now = timezone.now()
    moment = at or now

    def check(locked: Article):
        if locked.embargo_until and max(moment, now) < locked.embargo_until:
            when = date_format(timezone.localtime(locked.embargo_until), "j F Y, H:i")
            raise InvalidTransition(f"“{locked}” is under embargo until {when}.")
        orphans = list(locked.annotations.quotes().filter(anchor_status="orphaned"))
        if orphans:
            listed = "; ".join(f"“{quote.exact[:40]}”" for quote in orphans)
            raise InvalidTransition(
                f"Resolve the orphaned quotes before publishing: {listed}. Re-attach each to "
                "its words on the Annotate screen, or discard it."
            )

    if moment > now:
        if article.live:
            raise InvalidTransition(
                f"“{article}” is live: publish its changes now rather than scheduling them."
            )
        return _move(
            article,
            user,
            "schedule",
            {Status.APPROVED, Status.SCHEDULED},
            Status.SCHEDULED,
            check=check,
            published_at=moment,
        )
    return _move(
        article,
        user,
        "publish",
        {Status.APPROVED, Status.SCHEDULED},
        Status.PUBLISHED,
        check=check,
        published_at=moment,
        live=True,
        notify=notifications.published,
        freeze=True,
    )


def unpublish(article: Article, user) -> Article:
    """Take a live article off the site, or cancel a schedule (back to approved)."""
    _require(user, "articles.publish_article", "unpublish")
    if article.status == Status.SCHEDULED and not article.live:
        return _move(
            article, user, "unschedule", {Status.SCHEDULED}, Status.APPROVED, published_at=None
        )

    def check(locked: Article):
        if not locked.live:
            raise InvalidTransition(f"“{locked}” is not on the site.")

    return _move(
        article, user, "unpublish", set(Status), Status.UNPUBLISHED, check=check, live=False
    )


def reopen(article: Article, user) -> Article:
    """Bring an unpublished article back to draft, to be edited and reviewed again."""
    _require(user, "articles.review_article", "reopen")
    return _move(article, user, "reopen", {Status.UNPUBLISHED}, Status.DRAFT)


def publish_due(now: datetime.datetime | None = None):
    """Publish every scheduled article whose time has come: what the cron command runs.

    Returns the articles published and, for each one that could not be (an embargo moved
    later, a quote orphaned since), the article and why: a schedule that does not run must
    say so, not fail silently.
    """
    now = now or timezone.now()
    published, refused = [], []
    due = Article.objects.filter(status=Status.SCHEDULED, published_at__lte=now)
    for article in due.order_by("published_at"):
        try:
            published.append(publish(article, user=None, at=article.published_at))
        except InvalidTransition as reason:
            logger.warning("Scheduled publication of “%s” refused: %s", article, reason)
            refused.append((article, str(reason)))
    return published, refused


def allowed_transitions(article: Article, user) -> list[str]:
    """The transitions ``user`` may apply to ``article`` now: the buttons the admin shows."""
    allowed = []
    status = article.status
    submittable = {Status.DRAFT, Status.CHANGES_REQUESTED}
    if article.has_unpublished_changes:
        submittable.add(Status.PUBLISHED)
    if status in submittable and can_edit_article(user, article):
        allowed.append("submit")
    if user.has_perm("articles.review_article"):
        if status == Status.IN_REVIEW:
            allowed.append("approve")
        if status in {Status.IN_REVIEW, Status.APPROVED}:
            allowed.append("request_changes")
        if status == Status.UNPUBLISHED:
            allowed.append("reopen")
    if user.has_perm("articles.publish_article"):
        if status in {Status.APPROVED, Status.SCHEDULED}:
            allowed.append("publish")
        if article.live or status == Status.SCHEDULED:
            allowed.append("unpublish")
    return allowed


def _require(user, permission: str, action: str):
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to {action} articles.")


def _move(
    article,
    user,
    verb,
    sources,
    target,
    comment="",
    check=None,
    notify=None,
    freeze=False,
    **fields,
):
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if locked.status not in sources:
            status = locked.get_status_display().lower()
            raise InvalidTransition(f"Cannot {verb} “{locked}”: it is {status}.")
        if check:
            check(locked)
        previous = locked.status
        now = timezone.now()
        locked.status = target
        locked.status_changed_at = now
        for name, value in fields.items():
            setattr(locked, name, value)
        if target == Status.PUBLISHED:
            locked.first_published_at = locked.first_published_at or locked.published_at
        if freeze:
            fields.update(_freeze(locked, user))
        locked.save(
            update_fields=[
                "status",
                "status_changed_at",
                "first_published_at",
                *fields,
                "updated_at",
            ]
        )
        ReviewLogEntry.objects.create(
            article=locked, actor=user, from_status=previous, to_status=target, comment=comment
        )
        invalidate_when_committed()
        if notify:
            transaction.on_commit(lambda: notify(locked, user, comment))
    article.refresh_from_db()
    return article


def _freeze(article: Article, user) -> dict:
    """Record the revision being published and render what readers will see of it."""
    article.published_revision = revision_record(article=article, user=user, comment="Published.")
    article.published_snapshot = edition.snapshot_build(article)
    article.has_unpublished_changes = False
    return {
        "published_revision": article.published_revision,
        "published_snapshot": article.published_snapshot,
        "has_unpublished_changes": False,
    }
