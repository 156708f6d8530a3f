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
