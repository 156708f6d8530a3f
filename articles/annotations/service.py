"""Writing annotations: create, change, re-attach and delete, each checked against the body.

The only writer of annotations: the Annotate screen, imports (W3C collections) and the story
loader call these; each runs in one transaction, checks the acting user's permission on the
article (``user=None`` is the system: a command, the loader), refuses a selector that the
server cannot find in its own copy of the body, and keeps the change as a revision of the
article (on a live article, an unpublished change).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from articles.annotations import anchoring
from articles.editorial import workflow
from articles.editorial.permissions import can_annotate, locked_message
from articles.editorial.revisions import DECISION_PREFIX, changed_since_review, revision_record
from articles.models import Annotation, Article, Source
from articles.models.annotation import SPAN_MISMATCH
from people.models import Organization, Person, Place, Position

LINKED_MODELS = {
    "speaker": Person,
    "speaker_organization": Organization,
    "position": Position,
    "source": Source,
    "mentioned_person": Person,
    "mentioned_organization": Organization,
    "mentioned_place": Place,
}
TEXT_FIELDS = ("speaker_description", "note")
EDITABLE_FIELDS = ("kind", *LINKED_MODELS, *TEXT_FIELDS)


def annotation_create(*, article: Article, user, kind: str, selector: dict, **links) -> Annotation:
    """Mark the selected span of ``article`` as an annotation of ``kind`` with its links."""
    _require(user, article, "add")
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        annotation = Annotation(article=article, kind=kind, created_by=user)
        _place(annotation, article, selector)
        _assign(annotation, links)
        annotation.full_clean()
        annotation.save()
        _keep(article, user, f"Marked “{annotation.exact[:60]}” as a {annotation.kind}.")
    return annotation


def annotations_add(*, article: Article, user, annotations: list[Annotation], comment: str):
    """Add annotations built elsewhere (an import, the loader), all or none, as one revision.

    Each must mark words of this article's body at its offsets; ``full_clean`` says so.
    """
    _require(user, article, "add")
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        for annotation in annotations:
            annotation.article = article
            annotation.created_by = user
            annotation.full_clean()
            annotation.save()
        _keep(article, user, comment)
    return annotations


class AnnotationConflict(Exception):
    """The annotation was changed by someone else since the editor opened it."""

    def __init__(self, current: Annotation):
        super().__init__(
            "Someone else changed this annotation while you were editing it. Your choices are "
            "still in the panel: check them against theirs, then save again to keep yours."
        )
        self.current = current


def annotation_version(annotation: Annotation) -> str:
    """What an editor's copy of the annotation was: it changes with every save."""
    return annotation.updated_at.isoformat() if annotation.updated_at else ""


def annotation_update(
    *,
    annotation: Annotation,
    user,
    selector: dict | None = None,
    expected_version: str | None = None,
    **changes,
):
    """Change an annotation's kind or links; with ``selector``, re-attach it to a new span.

    With ``expected_version``, refuse (AnnotationConflict) if someone saved it in between.
    """
    _require(user, annotation.article, "change")
    with transaction.atomic():
        # Locking the article serializes every write to its annotations.
        article = Article.objects.select_for_update().get(pk=annotation.article_id)
        annotation.refresh_from_db()
        if expected_version and expected_version != annotation_version(annotation):
            raise AnnotationConflict(annotation)
        annotation.article = article
        if "kind" in changes:
            annotation.kind = changes.pop("kind")
        if selector is not None:
            # The editor chose the words anew: that settles a changed wording too.
            _place(annotation, article, selector)
            annotation.wording_before = ""
        if annotation.kind == Annotation.Kind.PARAPHRASE:
            # A paraphrase claims the gist, not the words: a changed wording is its editor's.
            annotation.wording_before = ""
        _assign(annotation, changes)
        annotation.full_clean()
        annotation.save()
        _keep(article, user, f"Changed the {annotation.kind} on “{annotation.exact[:60]}”.")
    return annotation


WORDING_OWN_CHANGE = (
    "You made the edit that changed these words: another editor must confirm them, so that "
    "no one alone puts new words in someone's mouth."
)


def annotation_wording_confirm(*, annotation: Annotation, user) -> Annotation:
    """Confirm a quote's new wording after an edit changed it: the speaker said these words.

    A decision, not an edit: kept as a revision and in the review log with who and when, and
    refused to whoever changed the article since it was last reviewed (four eyes).
    """
    _require(user, annotation.article, "change")
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=annotation.article_id)
        annotation.refresh_from_db()
        if not annotation.wording_changed:
            return annotation
        if changed_since_review(article, user):
            raise PermissionDenied(WORDING_OWN_CHANGE)
        before, annotation.wording_before = annotation.wording_before, ""
        annotation.save(update_fields=["wording_before", "updated_at"])
        decision = (
            f"{DECISION_PREFIX}the new wording of a {annotation.kind}: “{before}” is now "
            f"“{annotation.exact}”."
        )
        _record_decision(article, user, decision)
    return annotation


SOURCE_CONFIRM_REASON_REQUIRED = (
    "Say why these words stand although the source's document does not hold them (a phone "
    "call, a later statement): a reason is required, and it goes on the record."
)
SOURCE_CONFIRM_OWN_CHANGE = (
    "You changed this story since it was last reviewed: another editor must confirm a quote "
    "its source's document does not hold."
)
SOURCE_CONFIRM_EDITORS_ONLY = (
    "Only an editor can confirm a quote its source's document does not hold: ask one."
)


def annotation_source_confirm(*, annotation: Annotation, user, reason: str) -> Annotation:
    """Confirm a quote whose words its source's document does not hold, saying why.

    A decision, like a changed wording's: an editor's (not one who changed the article since
    it was last reviewed), kept as a revision and in the review log with the reason. It
    stands until the words, the source or the document change.
    """
    _require(user, annotation.article, "change")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(SOURCE_CONFIRM_REASON_REQUIRED)
    if user is not None and not user.has_perm("articles.review_article"):
        raise PermissionDenied(SOURCE_CONFIRM_EDITORS_ONLY)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=annotation.article_id)
        annotation.refresh_from_db()
        if not annotation.awaits_source_confirmation:
            return annotation
        if changed_since_review(article, user):
            raise PermissionDenied(SOURCE_CONFIRM_OWN_CHANGE)
        annotation.source_confirmed = annotation.source_digest(annotation.source.document)
        annotation.save(update_fields=["source_confirmed", "source_check", "updated_at"])
        decision = (
            f"{DECISION_PREFIX}a quote the document of “{annotation.source}” does not hold: "
            f"“{annotation.exact}”. Why: {reason}"
        )
        _record_decision(article, user, decision)
    return annotation


def annotation_delete(*, annotation: Annotation, user) -> None:
    """Discard an annotation (an orphan an editor gave up on, or a mistaken mark)."""
    _require(user, annotation.article, "delete")
    with transaction.atomic():
        article = annotation.article
        annotation.delete()
        _keep(article, user, f"Discarded the {annotation.kind} on “{annotation.exact[:60]}”.")


def _keep(article, user, comment):
    """Every annotation change is a revision, and on a live article an unpublished change.

    Its author is the article's last editor, who may then not approve it (four eyes).
    """
    Article.objects.filter(pk=article.pk, live=True).update(has_unpublished_changes=True)
    if user is not None:
        Article.objects.filter(pk=article.pk).update(updated_by=user)
    revision_record(article=article, user=user, comment=comment)


def _record_decision(article, user, decision: str) -> None:
    """An editor's decision on the record: a revision (which makes nobody an author, see
    ``DECISION_PREFIX``) and a review log entry saying who decided what, and when."""
    revision_record(article=article, user=user, comment=decision)
    workflow.decision_record(article=article, user=user, comment=decision)


def _require(user, article, action):
    if user is None:  # the system: only what a publisher approved stays as they saw it
        if reason := locked_message(article):
            raise PermissionDenied(reason)
    elif not can_annotate(user, article, action):
        raise PermissionDenied(f"You may not {action} annotations on “{article}”.")


def _place(annotation, article, selector):
    """Anchor the annotation where the selector's words are in the server's copy of the body."""
    if not isinstance(selector, dict):
        raise ValidationError({"exact": SPAN_MISMATCH})
    text = article.plain_text
    try:
        span = anchoring.anchor(text, selector)
    except ValueError:
        span = None
    if span is None:
        raise ValidationError({"exact": SPAN_MISMATCH})
    described = anchoring.describe(text, *span)
    annotation.exact = described["exact"]
    annotation.prefix, annotation.suffix = described["prefix"], described["suffix"]
    annotation.start, annotation.end = span
    annotation.anchor_status = Annotation.AnchorStatus.EXACT


def _assign(annotation, links):
    """Set links by id (None clears one); an id that names nothing is the editor's error."""
    errors = {}
    for name, value in links.items():
        if name in TEXT_FIELDS:
            setattr(annotation, name, (value or "").strip())
        elif name in LINKED_MODELS:
            if value in (None, ""):
                setattr(annotation, name, None)
                continue
            model = LINKED_MODELS[name]
            instance = model.objects.filter(pk=value).first() if _is_id(value) else None
            if instance is None:
                errors[name] = f"No {model._meta.verbose_name} with id {value!r}: choose again."
            setattr(annotation, name, instance)
        else:
            errors.setdefault("__all__", []).append(f"Unknown field “{name}”.")
    if errors:
        raise ValidationError(errors)


def _is_id(value) -> bool:
    """A positive integer, or its ASCII digits: str.isdigit accepts "²", which int() refuses."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        value = int(value)
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63
