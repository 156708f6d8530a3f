"""The review state machine: the one place that changes an article's status.

    draft → in review → (changes requested → in review) → approved → published
                                                        approved → scheduled → published
    approved → changes requested;  scheduled → approved (the schedule cancelled)
    published → unpublished → draft;  live, in any state → unpublished
    draft, in review, changes requested, published → published without review (a reason)
    published, then edited → in review → … → published again

Publishing freezes the article: it records a revision and writes the published edition readers
see from it (``publishing.edition``); unpublishing withdraws that edition. Edits made after that
stay out of readers' sight until published again.

Views, admin actions and commands call these functions; nothing else assigns
``article.status``. Each transition locks the article's row, checks the acting user's
permission (``user=None`` is the system itself: the scheduler, the loader), writes an
append-only review log entry, and sends its notification once the transaction commits.

Every move is declared once, in ``transitions.TRANSITIONS``: the states it leaves, the state it
reaches, the permission it needs, and the admin button that makes it. The checks here and the
buttons the admin shows both read that table, so a button is offered exactly when pressing it
can succeed; only what an attempt alone can tell (an embargo, an orphaned quote, a missing
comment) is left to the attempt, which says what to do.
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
from articles.editorial.transitions import (
    APPROVE,
    PUBLISH,
    PUBLISH_UNREVIEWED,
    REOPEN,
    REQUEST_CHANGES,
    SCHEDULE,
    SUBMIT,
    TRANSITIONS,
    UNPUBLISH,
    UNSCHEDULE,
    InvalidTransition,
    Transition,
    changed_wording_refusal,
)
from articles.models import Article, Correction, ReviewLogEntry
from articles.publishing import edition
from newsroom.caching import invalidate_when_committed

Status = Article.Status
logger = logging.getLogger(__name__)


def submit(article: Article, user) -> Article:
    """Send a draft, an article sent back for changes, or unpublished edits of a live article
    to the editors for review."""
    return _move(article, user, SUBMIT, notify=notifications.submitted)


def request_changes(article: Article, user, comment: str) -> Article:
    """Send an article back to its authors, saying what must change."""
    comment = (comment or "").strip()

    def check(locked: Article):
        if not comment:
            raise InvalidTransition("Say what needs to change: a comment is required.")

    return _move(
        article,
        user,
        REQUEST_CHANGES,
        comment=comment,
        check=check,
        notify=notifications.changes_requested,
    )


def approve(article: Article, user) -> Article:
    """Mark a reviewed article ready for a publisher."""
    return _move(article, user, APPROVE)


def publish(
    article: Article, user, at: datetime.datetime | None = None, correction: str = ""
) -> Article:
    """Publish an approved article now, or schedule it when ``at`` lies in the future.

    A past ``at`` publishes now with that as the publication time (an archive import). Refused
    before the article's embargo, and while any quote is orphaned: readers would see words with
    nobody behind them. A ``correction`` (when a quote's words or speaker changed, say) is
    appended to the story in the same step.
    """
    now = timezone.now()
    moment = at or now

    def check(locked: Article):
        _publishable(locked, max(moment, now))

    if moment > now:
        return _move(article, user, SCHEDULE, check=check, published_at=moment)
    with transaction.atomic():
        article = _move(
            article,
            user,
            PUBLISH,
            check=check,
            published_at=moment,
            live=True,
            notify=notifications.published,
            freeze=True,
        )
        if correction := (correction or "").strip():
            Correction.objects.create(article=article, text=correction, created_by=user)
    return article


def publish_unreviewed(article: Article, user, reason: str) -> Article:
    """Publish now without a second reader, saying why (breaking news): a publisher's call,
    kept in the review log and listed in the review queue for a reading after the fact."""
    reason = (reason or "").strip()

    def check(locked: Article):
        if not reason:
            raise InvalidTransition(
                "Say why this cannot wait for review: a reason is required to publish "
                "without review."
            )
        _publishable(locked, timezone.now())

    return _move(
        article,
        user,
        PUBLISH_UNREVIEWED,
        comment=reason,
        check=check,
        published_at=timezone.now(),
        live=True,
        notify=notifications.published,
        freeze=True,
    )


def unpublish(article: Article, user) -> Article:
    """Take a live article off the site, or cancel a schedule (back to approved)."""
    if article.status == Status.SCHEDULED and not article.live:
        return _move(article, user, UNSCHEDULE, published_at=None)
    return _move(article, user, UNPUBLISH, live=False)


def reopen(article: Article, user) -> Article:
    """Bring an unpublished article back to draft, to be edited and reviewed again."""
    return _move(article, user, REOPEN)


def _publishable(article: Article, moment: datetime.datetime) -> None:
    """Refuse what no publication may do: break an embargo, show a quote with nobody behind
    it or with words its source's document does not hold (unless an editor confirmed them), or
    take another live story's address."""
    if article.embargo_until and moment < article.embargo_until:
        when = date_format(timezone.localtime(article.embargo_until), "j F Y, H:i")
        raise InvalidTransition(f"“{article}” is under embargo until {when}.")
    orphans = list(article.annotations.quotes().filter(anchor_status="orphaned"))
    if orphans:
        listed = "; ".join(f"“{quote.exact[:40]}”" for quote in orphans)
        raise InvalidTransition(
            f"Resolve the orphaned quotes before publishing: {listed}. Re-attach each to "
            "its words on the Annotate screen, or discard it."
        )
    if conflict := edition.slug_conflict(article):
        raise InvalidTransition(conflict)
    if changed := changed_wording_refusal(article):
        raise InvalidTransition(changed)
    if unsupported := list(article.annotations.not_found_in_source().select_related("source")):
        listed = "; ".join(f"“{quote.exact[:40]}” ({quote.source})" for quote in unsupported)
        raise InvalidTransition(
            f"The words of {len(unsupported)} quote{'s' if len(unsupported) > 1 else ''} are "
            f"not in their source's document: {listed}. Correct the quote or the document, or "
            "have another editor confirm each on the article's page, writing why the words "
            "stand."
        )


def decision_record(*, article: Article, user, comment: str) -> ReviewLogEntry:
    """Log a decision that moves no status (a quote's new wording confirmed): who, when, what."""
    return ReviewLogEntry.objects.create(
        article=article,
        actor=user,
        from_status=article.status,
        to_status=article.status,
        comment=comment,
    )


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
    return [transition.action for transition in transition_buttons(article, user)]


def transition_buttons(article: Article, user) -> list[Transition]:
    """The moves ``user`` may make on ``article`` now, one per admin button, in button order.

    Where two moves share a button (publish or schedule, unpublish or cancel a schedule), the
    first one possible gives the button its label.
    """
    buttons = {}
    for transition in TRANSITIONS:
        if transition.action in buttons or _refusal(transition, article, user):
            continue
        if _permitted(transition, article, user):
            buttons[transition.action] = transition
    return list(buttons.values())


def _permitted(transition: Transition, article: Article, user) -> bool:
    if transition.permission is None:
        return can_edit_article(user, article)
    return user.has_perm(transition.permission)


def _authorize(transition: Transition, article: Article, user):
    if user is None or _permitted(transition, article, user):
        return
    if transition.permission is None:
        raise PermissionDenied(f"You may only {transition.verb} articles you are allowed to edit.")
    raise PermissionDenied(f"You do not have permission to {transition.verb} articles.")


def _refusal(transition: Transition, article: Article, user=None) -> str | None:
    # The guard speaks first: "it is live: publish its changes now" helps more than "it is
    # published" when someone tries to schedule a live article.
    if transition.guard and (reason := transition.guard(article, user)):
        return reason
    if article.status not in transition.sources:
        status = article.get_status_display().lower()
        return f"Cannot {transition.verb} “{article}”: it is {status}."
    return None


def _move(
    article,
    user,
    transition,
    comment="",
    check=None,
    notify=None,
    freeze=False,
    **fields,
):
    _authorize(transition, article, user)
    target = transition.target
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if reason := _refusal(transition, locked, user):
            raise InvalidTransition(reason)
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
        if target == Status.UNPUBLISHED:
            edition.edition_withdraw(article=locked)
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
    """Record the revision being published and write the published edition from it."""
    article.published_revision = revision_record(article=article, user=user, comment="Published.")
    article.has_unpublished_changes = False
    edition.edition_publish(article=article)
    return {
        "published_revision": article.published_revision,
        "has_unpublished_changes": False,
    }
