"""What waits on the desk: the review queue and the counts on the admin's front page."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse

from articles.models import Annotation, Article, ReviewLogEntry

Status = Article.Status
REVIEWED = (Status.APPROVED, Status.SCHEDULED)


def review_queue():
    """Articles awaiting review, the longest-waiting first: those in review, and live ones a
    publisher published without review, for a second reading after the fact. The latter leave
    the queue with their next move (submitted again with a fix, or unpublished)."""
    latest = ReviewLogEntry.objects.filter(article=OuterRef("pk")).order_by("-at", "-pk")
    return (
        Article.objects.annotate(
            last_from=Subquery(latest.values("from_status")[:1]),
            last_to=Subquery(latest.values("to_status")[:1]),
            last_comment=Subquery(latest.values("comment")[:1]),
        )
        .filter(
            Q(status=Status.IN_REVIEW)
            | (Q(status=Status.PUBLISHED, last_to=Status.PUBLISHED) & ~Q(last_from__in=REVIEWED))
        )
        .order_by("status_changed_at", "pk")
    )


def desk_counts(user) -> list[dict]:
    """Counts of what needs someone, each with the admin list that shows it."""
    if not user.has_perm("articles.view_article"):
        return []
    counts = Article.objects.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Status.values}
    )
    orphaned = Annotation.objects.filter(anchor_status="orphaned").count()
    articles = reverse("admin:articles_article_changelist")
    return [
        {
            "label": "Awaiting review",
            "count": counts[Status.IN_REVIEW],
            "url": reverse("admin:articles_reviewqueue_changelist"),
        },
        {
            "label": "Changes requested",
            "count": counts[Status.CHANGES_REQUESTED],
            "url": f"{articles}?status__exact={Status.CHANGES_REQUESTED}",
        },
        {
            "label": "Approved, ready to publish",
            "count": counts[Status.APPROVED],
            "url": f"{articles}?status__exact={Status.APPROVED}",
        },
        {
            "label": "Scheduled",
            "count": counts[Status.SCHEDULED],
            "url": f"{articles}?status__exact={Status.SCHEDULED}",
        },
        {
            "label": "Orphaned annotations",
            "count": orphaned,
            "url": reverse("admin:articles_annotation_changelist")
            + "?anchor_status__exact=orphaned",
        },
    ]
