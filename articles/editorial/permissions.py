"""Who may change which article: the per-object rules behind every admin view and endpoint.

Model permissions (from the role groups) say what a user may do at all; these rules add the
article's state and ownership. A reporter edits their own articles while they are drafts or
sent back for changes; an editor edits any article that is not published; a publisher edits any.
"""

from articles.models import Article

REPORTER_EDITABLE = frozenset({Article.Status.DRAFT, Article.Status.CHANGES_REQUESTED})


def can_edit_article(user, article: Article) -> bool:
    if not (user.is_active and user.is_staff):
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
    return user.has_perm("articles.review_article") or can_edit_article(user, article)


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
