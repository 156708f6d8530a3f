"""Every saved state of an article and its annotations, kept with django-reversion.

A revision holds the article's content fields and all of its annotations at one moment. Staff
list them, read any of them, compare two, and revert to one; a revert is itself a new revision,
re-anchors the annotations made since, and restores those the revision held.
"""

from dataclasses import dataclass, field

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from reversion.models import Revision, Version

from articles.annotations import anchoring, diffing
from articles.models import Annotation, Article

ARTICLE_FIELDS = [
    "headline",
    "slug",
    "dek",
    "body",
    "bylines",
    "topics",
    "lead_image",
    "lead_image_alt",
    "lead_image_caption",
    "lead_image_credit",
]
ANNOTATION_FIELDS = [
    "article",
    "kind",
    "exact",
    "prefix",
    "suffix",
    "start",
    "end",
    "anchor_status",
    "speaker",
    "speaker_organization",
    "speaker_description",
    "position",
    "source",
    "mentioned_person",
    "mentioned_organization",
    "mentioned_place",
    "note",
    "wording_before",
]
COMPARED_ANNOTATION_FIELDS = [
    "kind",
    "exact",
    "speaker_id",
    "speaker_organization_id",
    "speaker_description",
    "position_id",
    "source_id",
    "mentioned_person_id",
    "mentioned_organization_id",
    "mentioned_place_id",
    "note",
    "anchor_status",
]

reversion.register(Article, fields=ARTICLE_FIELDS, follow=["annotations"])
reversion.register(Annotation, fields=ANNOTATION_FIELDS)


@dataclass
class RevisionState:
    """An article as a revision holds it: its fields and its annotations' fields, by id."""

    revision: Revision
    fields: dict
    annotations: dict[int, dict] = field(default_factory=dict)

    @property
    def plain_text(self) -> str:
        return anchoring.plain_text(self.fields.get("body", ""))


def revision_record(*, article: Article, user=None, comment: str = "") -> Revision:
    """Keep the article and all its annotations as they are now, as one revision."""
    with reversion.create_revision(manage_manually=True):
        reversion.add_to_revision(article)
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        reversion.set_comment(comment)
    return Version.objects.get_for_object(article).select_related("revision").first().revision


def revisions_of(article: Article):
    """The article's revisions, newest first, each with who made it."""
    revision_ids = Version.objects.get_for_object(article).values("revision_id")
    return Revision.objects.filter(pk__in=revision_ids).select_related("user").order_by("-pk")


# Revisions that record an editor's decision (a quote's wording or source confirmed) rather
# than a change: their comments begin so, and they make nobody an author of the story.
DECISION_PREFIX = "Confirmed "
REVIEWED = ("approved", "published")


def changed_since_review(article: Article, user) -> bool:
    """Whether ``user`` changed the article's words or annotations since it was last approved
    or published: then a second reader must pass it, not them (four eyes)."""
    if user is None:
        return False
    if article.updated_by_id == user.pk:
        return True
    reviewed = article.review_log.filter(to_status__in=REVIEWED).order_by("-at", "-pk").first()
    versions = Version.objects.get_for_object(article).filter(revision__user=user)
    if reviewed is not None:
        versions = versions.filter(revision__date_created__gt=reviewed.at)
    return versions.exclude(revision__comment__startswith=DECISION_PREFIX).exists()


def revision_state(article: Article, revision: Revision) -> RevisionState:
    versions = revision.version_set.all()
    article_type = ContentType.objects.get_for_model(Article)
    annotation_type = ContentType.objects.get_for_model(Annotation)
    state = None
    annotations = {}
    for version in versions:
        if version.content_type_id == article_type.pk and version.object_id == str(article.pk):
            state = RevisionState(revision, dict(version.field_dict))
        elif version.content_type_id == annotation_type.pk:
            data = dict(version.field_dict)
            if data.get("article_id") == article.pk:
                annotations[int(version.object_id)] = data
    if state is None:
        raise ObjectDoesNotExist("This revision does not hold that article.")
    state.annotations = annotations
    return state


@dataclass
class Comparison:
    older: RevisionState
    newer: RevisionState
    fields: list  # (label, older value, newer value) for changed plain fields
    body: list  # diffing.Piece list, the newer body with insertions and deletions marked
    added: list  # annotation field dicts
    removed: list
    changed: list  # (annotation field dict, [changed field names])


def revision_compare(article: Article, older: Revision, newer: Revision) -> Comparison:
    """What changed from ``older`` to ``newer``: fields, body text, annotations."""
    old, new = revision_state(article, older), revision_state(article, newer)
    fields = [
        (Article._meta.get_field(name).verbose_name, old.fields.get(name), new.fields.get(name))
        for name in ("headline", "slug", "dek", "lead_image_caption", "lead_image_credit")
        if old.fields.get(name) != new.fields.get(name)
    ]
    changed = []
    for pk in old.annotations.keys() & new.annotations.keys():
        differing = [
            name
            for name in COMPARED_ANNOTATION_FIELDS
            if old.annotations[pk].get(name) != new.annotations[pk].get(name)
        ]
        if differing:
            changed.append((new.annotations[pk], differing))
    return Comparison(
        older=old,
        newer=new,
        fields=fields,
        body=diffing.diff_pieces(old.plain_text, new.plain_text),
        added=[new.annotations[pk] for pk in sorted(new.annotations.keys() - old.annotations)],
        removed=[old.annotations[pk] for pk in sorted(old.annotations.keys() - new.annotations)],
        changed=changed,
    )


def revision_revert(*, article: Article, revision: Revision, user) -> list[str]:
    """Bring the article back to ``revision`` as a new revision; return what could not return.

    The body and fields come back first, so annotations made since are re-anchored onto the
    restored text (and orphaned if their words are not in it): nobody's work is deleted. Then
    each annotation the revision held is restored as it was, recreated if it was deleted since.
    """
    state = revision_state(article, revision)
    skipped = []
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        for name in ARTICLE_FIELDS:
            if name not in ("bylines", "topics") and name in state.fields:
                setattr(article, name, state.fields[name])
        article.updated_by = user
        article.save()
        article.bylines.set(state.fields.get("bylines", []))
        article.topics.set(state.fields.get("topics", []))
        for pk, data in state.annotations.items():
            try:
                with transaction.atomic():
                    _restore_annotation(article, pk, data)
            except (ValidationError, IntegrityError):
                skipped.append(data.get("exact", ""))
        when = revision.date_created.strftime("%d %B %Y, %H:%M")
        revision_record(article=article, user=user, comment=f"Reverted to the revision of {when}.")
    return skipped


def _restore_annotation(article, pk, data):
    annotation = Annotation.objects.filter(pk=pk, article=article).first()
    if annotation is None:
        annotation = Annotation(pk=pk, article=article)
    for name, value in data.items():
        if name not in ("id", "article_id"):
            setattr(annotation, name, value)
    annotation.article = article
    annotation.save()
