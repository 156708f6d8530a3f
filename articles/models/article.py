"""Articles and the topics they are filed under."""

import datetime

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField

from articles.annotations import anchoring
from articles.sanitizing import EDITOR_EXTENSIONS, sanitize_body
from people.images import validate_image
from people.uploads import UnguessableName


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    headline = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    dek = models.TextField(
        blank=True, help_text="The summary under the headline: one or two sentences."
    )
    body = ProseEditorField(extensions=EDITOR_EXTENSIONS, sanitize=sanitize_body, blank=True)
    bylines = models.ManyToManyField("people.Person", blank=True, related_name="bylined_articles")
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles")
    lead_image = models.ImageField(
        upload_to=UnguessableName("articles/%Y/%m/"), blank=True, validators=[validate_image]
    )
    lead_image_alt = models.CharField(
        "lead image description",
        max_length=300,
        blank=True,
        help_text="What the image shows, for readers who cannot see it.",
    )
    lead_image_caption = models.CharField(max_length=500, blank=True)
    lead_image_credit = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="created_articles",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When it went live, or for a scheduled article, when it will.",
    )
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    embargo_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Nobody can publish this article before this moment, scheduled or not.",
    )
    live = models.BooleanField(
        default=False, editable=False, help_text="On the site, showing its published edition."
    )
    published_revision = models.ForeignKey(
        "reversion.Revision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    has_unpublished_changes = models.BooleanField(default=False, editable=False)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Counts saves, so that no save overwrites another."
    )

    class Meta:
        ordering = ["-published_at", "-created_at"]
        permissions = [
            ("review_article", "Can review articles and edit any unpublished one"),
            ("publish_article", "Can publish, schedule and unpublish articles"),
        ]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        """Store the sanitized body and, when its text changed, re-anchor every annotation.

        Both happen in one transaction, whichever path saved the body (admin, revert, command).
        """
        self.body = sanitize_body(self.body)
        stored_body = getattr(self, "_stored_body", None)
        update_fields = kwargs.get("update_fields")
        body_saved = update_fields is None or "body" in update_fields
        if update_fields is None and self.pk is not None:
            self.version += 1
            self.has_unpublished_changes = self.live
        with transaction.atomic():
            super().save(*args, **kwargs)
            if body_saved and stored_body is not None and stored_body != self.body:
                old_text, new_text = anchoring.plain_text(stored_body), self.plain_text
                if old_text != new_text:
                    self.annotations.reanchor(old_text, new_text)
        if body_saved:
            self._stored_body = self.body

    def get_absolute_url(self):
        return reverse("articles:article", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        article._stored_body = article.__dict__.get("body")
        return article

    @property
    def plain_text(self) -> str:
        return anchoring.plain_text(self.body)

    @property
    def reference_date(self) -> datetime.date:
        """The day the story speaks of: when it was published, else when it was written."""
        moment = self.published_at or self.created_at or timezone.now()
        return timezone.localdate(moment)

    @property
    def is_live(self) -> bool:
        return self.live and self.published_at is not None and self.published_at <= timezone.now()


class ReviewQueue(Article):
    """Articles awaiting review, oldest first: the editors' list in the admin."""

    class Meta:
        proxy = True
        verbose_name = "article awaiting review"
        verbose_name_plural = "review queue"
