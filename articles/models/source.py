"""What a story rests on: documents, wire copy, posts, interviews, anonymous sources."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

ANONYMITY_REQUIRED = "An anonymous source needs a justification: say why anonymity was granted."


class Source(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document"
        WIRE_REPORT = "wire_report", "Wire report"
        NEWS_REPORT = "news_report", "News report"
        SOCIAL_MEDIA_POST = "social_media_post", "Social media post"
        INTERVIEW = "interview", "Interview"
        OFFICIAL_STATEMENT = "official_statement", "Official statement"
        ANONYMOUS = "anonymous", "Anonymous"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(
        max_length=300,
        help_text="For an anonymous source, how the story describes it "
        "(“Sources within the Biden Administration”).",
    )
    publisher = models.ForeignKey(
        "people.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="published_sources",
    )
    url = models.URLField("URL", max_length=500, blank=True)
    date = models.DateField(null=True, blank=True)
    anonymity_justification = models.TextField(
        blank=True,
        help_text="Required for anonymous sources: why anonymity was granted. "
        "Readers see it beside the source.",
    )
    document = models.TextField(
        blank=True,
        help_text="The document's text (a letter, a transcript, a press release), pasted or "
        "read from an uploaded file. Quotes citing the source are checked against it, and "
        "readers can open the passage quoted, unless the source is anonymous.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="anonymous") | ~Q(anonymity_justification=""),
                name="anonymous_source_has_justification",
                violation_error_message=ANONYMITY_REQUIRED,
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.anonymity_justification = self.anonymity_justification.strip()
        super().save(*args, **kwargs)
        # The quotes citing the source are checked against the document it holds now.
        self.annotations.check_against_sources()

    def clean(self):
        self.anonymity_justification = self.anonymity_justification.strip()
        if self.is_anonymous and not self.anonymity_justification:
            raise ValidationError({"anonymity_justification": ANONYMITY_REQUIRED})

    @property
    def is_anonymous(self) -> bool:
        return self.kind == self.Kind.ANONYMOUS
