"""The review workflow's moves, declared once: what each leaves, reaches, needs and is called.

``workflow`` makes the moves; the admin's buttons and the permission checks read this table,
so a button is offered exactly when pressing it can succeed. A guard gives the reason an
article in a source state still cannot make a move for a user (``None`` is the system).
"""

from collections.abc import Callable
from dataclasses import dataclass

from articles.editorial.revisions import changed_since_review
from articles.models import Article

Status = Article.Status


class InvalidTransition(Exception):
    """The article is not in a state the transition starts from, or a condition is unmet."""


@dataclass(frozen=True)
class Transition:
    """One move of the state machine, as declared in ``TRANSITIONS``.

    ``verb`` names the move in refusals ("Cannot send back …"). ``action`` is the public
    function, and the admin button posting to it, that makes the move: ``publish`` also
    schedules and ``unpublish`` also cancels a schedule, so two moves share each of those
    buttons; ``label`` is what the button says. ``permission`` is the model permission needed,
    or ``None`` when whoever may edit the article may make the move. ``guard`` gives the reason
    an article in a source state still cannot make the move for a user (``None`` is the
    system), or ``None`` when it can. ``needs_reason`` moves record why in the review log.
    """

    name: str
    verb: str
    label: str
    action: str
    sources: frozenset[str]
    target: str
    permission: str | None
    guard: Callable[[Article, object], str | None] | None = None
    needs_reason: bool = False


def _refuse_if_unchanged(article: Article, user=None) -> str | None:
    if article.status == Status.PUBLISHED and not article.has_unpublished_changes:
        return f"“{article}” has no changes since it was published."
    return None


def _refuse_if_live(article: Article, user=None) -> str | None:
    if article.live:
        return f"“{article}” is live: publish its changes now rather than scheduling them."
    return None


def _refuse_if_off_the_site(article: Article, user=None) -> str | None:
    if not article.live:
        return f"“{article}” is not on the site."
    return None


def _refuse_own_change(article: Article, user) -> str | None:
    # Four eyes: whoever changed the words or their annotations since the last review is
    # not the one to pass them.
    if changed_since_review(article, user):
        return (
            f"You changed “{article}” since it was last reviewed: another editor must "
            "approve it. If it cannot wait, a publisher can publish without review, giving "
            "the reason."
        )
    return changed_wording_refusal(article)


def changed_wording_refusal(article: Article, user=None) -> str | None:
    changed = list(article.annotations.wording_changed())
    if changed:
        listed = "; ".join(
            f"“{quote.wording_before[:40]}” → “{quote.exact[:40]}”" for quote in changed
        )
        return (
            f"An edit changed the words of {len(changed)} quote{'s' if len(changed) > 1 else ''}: "
            f"{listed}. Another editor must confirm the new wording on the article's page, or "
            "re-attach the quote, or make it a paraphrase."
        )
    return None


MAY_REVIEW = "articles.review_article"
MAY_PUBLISH = "articles.publish_article"

SUBMIT = Transition(
    name="submit",
    verb="submit",
    label="Submit for review",
    action="submit",
    # A live article is submitted again when it has changes readers do not see yet.
    sources=frozenset({Status.DRAFT, Status.CHANGES_REQUESTED, Status.PUBLISHED}),
    target=Status.IN_REVIEW,
    permission=None,
    guard=_refuse_if_unchanged,
)
APPROVE = Transition(
    name="approve",
    verb="approve",
    label="Approve",
    action="approve",
    sources=frozenset({Status.IN_REVIEW}),
    target=Status.APPROVED,
    permission=MAY_REVIEW,
    guard=_refuse_own_change,
)
REQUEST_CHANGES = Transition(
    name="request_changes",
    verb="send back",
    label="Request changes",
    action="request_changes",
    sources=frozenset({Status.IN_REVIEW, Status.APPROVED}),
    target=Status.CHANGES_REQUESTED,
    permission=MAY_REVIEW,
)
PUBLISH = Transition(
    name="publish",
    verb="publish",
    label="Publish or schedule",
    action="publish",
    sources=frozenset({Status.APPROVED, Status.SCHEDULED}),
    target=Status.PUBLISHED,
    permission=MAY_PUBLISH,
)
SCHEDULE = Transition(
    name="schedule",
    verb="schedule",
    label="Publish or schedule",
    action="publish",
    sources=frozenset({Status.APPROVED, Status.SCHEDULED}),
    target=Status.SCHEDULED,
    permission=MAY_PUBLISH,
    guard=_refuse_if_live,
)
PUBLISH_UNREVIEWED = Transition(
    name="publish_unreviewed",
    verb="publish without review",
    label="Publish without review",
    action="publish_unreviewed",
    # Breaking news: no second reader, so the reason goes on the record, and in the queue.
    sources=frozenset({Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.PUBLISHED}),
    target=Status.PUBLISHED,
    permission=MAY_PUBLISH,
    guard=_refuse_if_unchanged,
    needs_reason=True,
)
UNPUBLISH = Transition(
    name="unpublish",
    verb="unpublish",
    label="Unpublish",
    action="unpublish",
    # Whatever its review state, a live article can be taken off the site.
    sources=frozenset(Status),
    target=Status.UNPUBLISHED,
    permission=MAY_PUBLISH,
    guard=_refuse_if_off_the_site,
)
UNSCHEDULE = Transition(
    name="unschedule",
    verb="unschedule",
    label="Cancel schedule",
    action="unpublish",
    sources=frozenset({Status.SCHEDULED}),
    target=Status.APPROVED,
    permission=MAY_PUBLISH,
)
REOPEN = Transition(
    name="reopen",
    verb="reopen",
    label="Back to draft",
    action="reopen",
    sources=frozenset({Status.UNPUBLISHED}),
    target=Status.DRAFT,
    permission=MAY_REVIEW,
)
# In the order the admin shows the buttons.
TRANSITIONS = (
    SUBMIT,
    APPROVE,
    REQUEST_CHANGES,
    PUBLISH,
    SCHEDULE,
    PUBLISH_UNREVIEWED,
    UNPUBLISH,
    UNSCHEDULE,
    REOPEN,
)
