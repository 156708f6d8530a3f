"""The record a newsroom keeps of its decisions: the review log and published corrections."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone


class ReviewLogEntry(models.Model):
    """One transition of an article's status: who, when, from what, to what, and why.

    Append-only: an entry is written once by ``workflow`` and never changed or deleted.
    """

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="review_log"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the system acted (a scheduled publication, an import).",
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    from_status = models.CharField(max_length=20)
    to_status = models.CharField(max_length=20)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["article", "at", "pk"]
        verbose_name = "review log entry"
        verbose_name_plural = "review log"

    def __str__(self):
        return f"{self.from_status} → {self.to_status} by {self.actor_name}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Review log entries are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Review log entries are append-only and cannot be deleted.")

    @property
    def actor_name(self) -> str:
        return self.actor.get_username() if self.actor_id else "the system"

    @property
    def is_unreviewed_publication(self) -> bool:
        """Published from anywhere but approval: a publisher's call without a second reader."""
        return self.to_status == "published" and self.from_status not in ("approved", "scheduled")


class Correction(models.Model):
    """A dated correction or clarification appended to a published article, shown to readers."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.PROTECT, related_name="corrections"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(help_text="What was wrong and what is right, in plain words.")
    published_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} to “{self.article}”"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError(
                "Corrections are on the record and cannot be changed: append another correction."
            )
        self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:article", kwargs={"slug": self.article.slug}) + (
            f"#correction-{self.pk}"
        )

    def delete(self, *args, **kwargs):
        raise ValueError("Corrections are on the record and cannot be deleted.")

    def clean(self):
        if self.article_id and self.article.first_published_at is None:
            raise ValidationError(
                {"article": "Only a story that has been published can be corrected."}
            )
