"""Annotations: spans of an article's body marked as quotes, paraphrases, mentions, claims, notes.

A span is anchored by W3C Web Annotation selectors over the body's plain text (see
``articles.annotations.anchoring``): a TextQuoteSelector (exact, prefix, suffix) and a
TextPositionSelector (start, end), in Unicode code points.
"""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from articles.annotations import anchoring, verification
from articles.models.source import Source

SPAN_MISMATCH = "This span no longer matches the article. Reload and select it again."
SPEAKER_REQUIRED = (
    "A {kind} needs a speaker: choose a person, or for an unnamed speaker an organisation "
    "or a description such as “sources within the administration”."
)
SOURCE_REQUIRED = "A quote needs a source: say where the words come from."
SUBJECT_REQUIRED = "A mention needs the person, organisation or place it mentions."
NOTE_REQUIRED = "A note needs its text."


class AnnotationQuerySet(models.QuerySet):
    def quotes(self):
        """Quotes and paraphrases: words attributed to a speaker."""
        return self.filter(kind__in=Annotation.SPEAKER_KINDS)

    def anchored(self):
        return self.exclude(anchor_status=Annotation.AnchorStatus.ORPHANED)

    def public(self):
        """What readers may see: quotes, paraphrases and mentions still anchored in the text."""
        return self.filter(kind__in=Annotation.PUBLIC_KINDS).anchored()

    def in_published_articles(self):
        """Annotations of live articles, for pages that reach them from a person or source."""
        return self.filter(article__live=True, article__published_at__lte=timezone.now())

    def reanchor(self, old_text: str, new_text: str) -> None:
        """Carry these annotations from the body's old plain text to its new one.

        Orphans are left alone: their words are gone, and looking for them anew could pin them
        to another occurrence. They keep their text and context until an editor re-attaches or
        discards them; nothing here deletes an annotation.
        """
        annotations = [annotation for annotation in self if not annotation.is_orphaned]
        results = anchoring.reanchor_all(
            old_text, new_text, [annotation.selector for annotation in annotations]
        )
        for annotation, result in zip(annotations, results, strict=True):
            annotation.anchor_status = result.status
            if result.status == anchoring.ORPHANED:
                annotation.start = annotation.end = None
                continue
            selector = anchoring.describe(new_text, result.start, result.end)
            if annotation.attributes_words and selector["exact"] != annotation.exact:
                # Someone's words changed: the first wording they were quoted in waits for an
                # editor's decision, however many edits follow.
                annotation.wording_before = annotation.wording_before or annotation.exact
            annotation.exact, annotation.prefix = selector["exact"], selector["prefix"]
            annotation.suffix = selector["suffix"]
            annotation.start, annotation.end = result.start, result.end
        _check_against_sources(annotations)
        self.model.objects.bulk_update(
            annotations,
            [
                "exact",
                "prefix",
                "suffix",
                "start",
                "end",
                "anchor_status",
                "wording_before",
                "source_check",
            ],
            batch_size=500,
        )

    def check_against_sources(self) -> None:
        """Check these annotations against their sources' documents again (one changed)."""
        annotations = list(self)
        before = {annotation.pk: annotation.source_check for annotation in annotations}
        _check_against_sources(annotations)
        changed = [a for a in annotations if a.source_check != before[a.pk]]
        self.model.objects.bulk_update(changed, ["source_check"], batch_size=500)

    def wording_changed(self):
        """Quotes and paraphrases whose words an edit changed, awaiting an editor's decision."""
        return self.quotes().exclude(wording_before="")

    def not_found_in_source(self):
        """Quotes whose words their source's document does not hold, awaiting an editor."""
        return self.filter(
            kind=Annotation.Kind.QUOTE, source_check=Annotation.SourceCheck.NOT_FOUND
        )

    def in_reading_order(self):
        return self.order_by(F("start").asc(nulls_first=True), "-end", "pk")


class Annotation(models.Model):
    class Kind(models.TextChoices):
        QUOTE = "quote", "Quote"
        PARAPHRASE = "paraphrase", "Paraphrase"
        MENTION = "mention", "Mention"
        CLAIM = "claim", "Claim to check"
        NOTE = "note", "Note"

    class AnchorStatus(models.TextChoices):
        EXACT = "exact", "Exact"
        MOVED = "moved", "Moved"
        FUZZY = "fuzzy", "Followed an edit"
        ORPHANED = "orphaned", "Orphaned"

    class SourceCheck(models.TextChoices):
        NOT_CHECKED = "", "Not checked"
        VERIFIED = "verified", "Verified against source"
        NOT_FOUND = "not_found", "Not found in source"
        CONFIRMED = "confirmed", "Confirmed by an editor"

    SPEAKER_KINDS = (Kind.QUOTE, Kind.PARAPHRASE)
    # The records an annotation links to: what to select_related wherever they are shown.
    LINKS = (
        "speaker",
        "speaker_organization",
        "position",
        "source",
        "mentioned_person",
        "mentioned_organization",
        "mentioned_place",
    )
    PUBLIC_KINDS = (Kind.QUOTE, Kind.PARAPHRASE, Kind.MENTION)

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="annotations"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    exact = models.TextField(help_text="The annotated words, exactly as in the body.")
    prefix = models.TextField(blank=True, help_text="The text just before the span.")
    suffix = models.TextField(blank=True, help_text="The text just after the span.")
    start = models.PositiveIntegerField(
        null=True, blank=True, help_text="Where the span starts in the body's plain text."
    )
    end = models.PositiveIntegerField(null=True, blank=True)
    anchor_status = models.CharField(
        max_length=10, choices=AnchorStatus.choices, default=AnchorStatus.EXACT, editable=False
    )
    speaker = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
    )
    speaker_organization = models.ForeignKey(
        "people.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
        help_text="For an unnamed speaker: the organisation they speak for.",
    )
    speaker_description = models.CharField(
        max_length=300,
        blank=True,
        help_text="For an unnamed speaker: how the story describes them "
        "(“sources within the Biden Administration”).",
    )
    position = models.ForeignKey(
        "people.Position",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
        help_text="The position the speaker held at the time. Left empty, it is filled in "
        "from their positions on the source's date, else the article's.",
    )
    source = models.ForeignKey(
        "articles.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annotations",
    )
    mentioned_person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentions",
    )
    mentioned_organization = models.ForeignKey(
        "people.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentions",
    )
    mentioned_place = models.ForeignKey(
        "people.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentions",
    )
    note = models.TextField(blank=True)
    wording_before = models.TextField(
        blank=True,
        editable=False,
        help_text="A quote's words before an edit of the body changed them, kept until an "
        "editor confirms the new wording, re-attaches the quote or makes it a paraphrase.",
    )
    source_check = models.CharField(
        max_length=10,
        choices=SourceCheck.choices,
        blank=True,
        editable=False,
        help_text="Whether a quote's words are in its source's document, checked whenever the "
        "words, the source or the document change.",
    )
    source_confirmed = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="What an editor confirmed of a quote its source's document does not hold: "
        "a digest of the words, the source and the document, so that a change to any of them "
        "asks for a new decision.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__gt=F("start")),
                name="annotation_span_is_not_empty",
                violation_error_message="A span must end after it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["quote", "paraphrase"])
                | Q(speaker__isnull=False)
                | Q(speaker_organization__isnull=False)
                | ~Q(speaker_description=""),
                name="quote_has_speaker",
                violation_error_message=SPEAKER_REQUIRED.format(kind="quote or paraphrase"),
            ),
            models.CheckConstraint(
                condition=~Q(kind="quote") | Q(source__isnull=False),
                name="quote_has_source",
                violation_error_message=SOURCE_REQUIRED,
            ),
            models.CheckConstraint(
                condition=~Q(kind="mention")
                | Q(mentioned_person__isnull=False)
                | Q(mentioned_organization__isnull=False)
                | Q(mentioned_place__isnull=False),
                name="mention_has_subject",
                violation_error_message=SUBJECT_REQUIRED,
            ),
            models.CheckConstraint(
                condition=~Q(kind="note") | ~Q(note=""),
                name="note_has_text",
                violation_error_message=NOTE_REQUIRED,
            ),
        ]
        indexes = [models.Index(fields=["article", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()}: “{self.exact[:60]}”"

    def save(self, *args, **kwargs):
        self.fill_in_defaults()
        self.check_anchor()
        self.check_against_source(self.source.document if self.source_id else "")
        super().save(*args, **kwargs)

    @property
    def is_orphaned(self) -> bool:
        return self.anchor_status == self.AnchorStatus.ORPHANED

    @property
    def attributes_words(self) -> bool:
        """Whether this annotation puts its words in someone's mouth: a quote or paraphrase."""
        return self.kind in self.SPEAKER_KINDS

    @property
    def wording_changed(self) -> bool:
        return self.attributes_words and bool(self.wording_before)

    @property
    def speaker_name(self) -> str:
        """Who is speaking, as a reader should see it, named or not."""
        if self.speaker_id:
            return self.speaker.name
        if self.speaker_description:
            return self.speaker_description
        if self.speaker_organization_id:
            return self.speaker_organization.name
        return ""

    @property
    def selector(self) -> dict:
        return {
            "exact": self.exact,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "start": self.start,
            "end": self.end,
        }

    @property
    def awaits_source_confirmation(self) -> bool:
        return self.source_check == self.SourceCheck.NOT_FOUND

    def source_digest(self, document: str) -> str:
        """What an editor's confirmation against the source's document stands for."""
        confirmed = "\0".join((self.exact, str(self.source_id), document))
        return hashlib.sha256(confirmed.encode()).hexdigest()

    def check_against_source(self, document: str) -> None:
        """Look for a quote's words in its source's ``document``; set ``source_check``.

        Only a quote claims the speaker's very words: a paraphrase or a quote whose source
        holds no document is not checked. Words not found stay confirmed only while the words,
        the source and the document are those an editor confirmed.
        """
        Check = self.SourceCheck
        if self.kind != self.Kind.QUOTE or not self.source_id or not document.strip():
            self.source_check = Check.NOT_CHECKED
        elif verification.find_in_document(self.exact, document) is not None:
            self.source_check = Check.VERIFIED
        elif self.source_confirmed and self.source_confirmed == self.source_digest(document):
            self.source_check = Check.CONFIRMED
        else:
            self.source_check = Check.NOT_FOUND

    def attribution_date(self) -> datetime.date:
        """When the words were said: the source's date when known, else the article's."""
        if self.source_id and self.source.date:
            return self.source.date
        return self.article.reference_date

    def fill_in_defaults(self):
        """Complete what an editor may leave out: the speaker's position, the quote context."""
        if self.kind in self.SPEAKER_KINDS and self.speaker_id and not self.position_id:
            self.position = self.speaker.position_on(self.attribution_date())
        if self.start is not None and self.end is not None and not (self.prefix or self.suffix):
            text = self.article.plain_text
            if text[self.start : self.end] == self.exact:
                selector = anchoring.describe(text, self.start, self.end)
                self.prefix, self.suffix = selector["prefix"], selector["suffix"]

    def check_anchor(self):
        """An anchored span must be exactly its words in the body, at its offsets."""
        if self.is_orphaned:
            return
        if self.start is None or self.end is None:
            raise ValidationError({"start": "An annotation needs the span it marks."})
        if self.article.plain_text[self.start : self.end] != self.exact:
            raise ValidationError({"exact": SPAN_MISMATCH})

    def clean(self):
        errors = {}
        if self.kind in self.SPEAKER_KINDS and not (
            self.speaker_id or self.speaker_organization_id or self.speaker_description.strip()
        ):
            errors["speaker"] = SPEAKER_REQUIRED.format(kind=self.get_kind_display().lower())
        if self.kind == self.Kind.QUOTE and not self.source_id:
            errors["source"] = SOURCE_REQUIRED
        if self.kind == self.Kind.MENTION and not (
            self.mentioned_person_id or self.mentioned_organization_id or self.mentioned_place_id
        ):
            errors["mentioned_person"] = SUBJECT_REQUIRED
        if self.kind == self.Kind.NOTE and not self.note.strip():
            errors["note"] = NOTE_REQUIRED
        if self.position_id and self.speaker_id and self.position.person_id != self.speaker_id:
            errors["position"] = f"This position is not one {self.speaker} held."
        if errors:
            raise ValidationError(errors)

    def clean_fields(self, exclude=None):
        """Validate the fields, and the span they describe when the span is being validated.

        A form that shows only some fields (a listing of links) leaves the span alone.
        """
        super().clean_fields(exclude)
        span_fields = {"exact", "start", "end"}
        if self.article_id and not span_fields & set(exclude or ()):
            self.check_anchor()


def _check_against_sources(annotations) -> None:
    """Check these annotations against their sources' documents, read in one query."""
    ids = {a.source_id for a in annotations if a.kind == Annotation.Kind.QUOTE} - {None}
    documents = dict(Source.objects.filter(pk__in=ids).values_list("pk", "document")) if ids else {}
    for annotation in annotations:
        annotation.check_against_source(documents.get(annotation.source_id, ""))


class QuoteManager(models.Manager.from_queryset(AnnotationQuerySet)):
    def get_queryset(self):
        return super().get_queryset().quotes()


class Quote(Annotation):
    """Quotes and paraphrases: what editors and readers care about most."""

    objects = QuoteManager()

    class Meta:
        proxy = True
        verbose_name = "quote"
        ordering = ["-article__published_at", "article", "start"]
