"""The published edition: what readers see, in rows of its own.

These rows are written by ``articles.publishing.edition`` alone, when a publisher publishes or
unpublishes, or when a record shown on published pages changes. Public code reads them through
``articles.publishing.selectors``. They hold only what readers may see: no notes, no review
comments, no working-copy words, and for an anonymous source no person behind it. A row exists
exactly while its article is on the site.

Each published annotation keeps links to the records it shows (the person quoted, their
position, the source, ...) for filters and pages that reach stories from a person, beside the
words readers saw (names, titles), which the page was rendered with.
"""

from django.db import models
from django.urls import reverse


class PublishedArticle(models.Model):
    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="edition",
    )
    slug = models.SlugField(max_length=200, unique=True)
    headline = models.CharField(max_length=200)
    dek = models.TextField(blank=True)
    body_html = models.TextField()
    text = models.TextField(help_text="The body's plain text, for search.")
    lead_image = models.CharField(max_length=300, blank=True)
    lead_image_url = models.CharField(max_length=500, blank=True)
    lead_image_alt = models.CharField(max_length=300, blank=True)
    lead_image_caption = models.CharField(max_length=500, blank=True)
    lead_image_credit = models.CharField(max_length=200, blank=True)
    first_published_at = models.DateTimeField()
    published_at = models.DateTimeField(db_index=True)
    quotes_updated_at = models.DateTimeField(
        null=True,
        help_text="When a publication last changed a quote's words or who said them: readers "
        "see an “Updated” line.",
    )
    # Nullable so that adding it altered the table in place (SQLite rebuilds a table for a
    # column with a default, and would drop the search index's triggers with it).
    page = models.JSONField(
        null=True,
        help_text="The story as its page shows it, read back from the rows below when they "
        "were written, so that a page costs one read. Written with them, never alone.",
    )
    bylines = models.ManyToManyField(
        "people.Person", through="PublishedByline", related_name="published_bylines"
    )
    topics = models.ManyToManyField(
        "articles.Topic", through="PublishedTopic", related_name="published_articles"
    )

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return reverse("articles:article", kwargs={"slug": self.slug})


class PublishedByline(models.Model):
    edition = models.ForeignKey(PublishedArticle, on_delete=models.CASCADE)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["edition", "order"]

    def __str__(self):
        return self.name


class PublishedTopic(models.Model):
    edition = models.ForeignKey(PublishedArticle, on_delete=models.CASCADE)
    topic = models.ForeignKey("articles.Topic", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)

    class Meta:
        ordering = ["edition", "order"]

    def __str__(self):
        return self.name


class PublishedSource(models.Model):
    """A source as the story's "Sources" box shows it, and the document its page shows."""

    edition = models.ForeignKey(PublishedArticle, on_delete=models.CASCADE, related_name="sources")
    source = models.ForeignKey("articles.Source", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=30)
    kind_label = models.CharField(max_length=50)
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    date = models.DateField(null=True, blank=True)
    anonymous = models.BooleanField(default=False)
    justification = models.TextField(blank=True)
    document = models.TextField(
        blank=True,
        help_text="The source's document as readers may read it, copied when the story is "
        "published or the source changes; never an anonymous source's.",
    )

    class Meta:
        ordering = ["edition", "order"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "source"], name="published_source_once")
        ]

    def __str__(self):
        return self.title


class PublishedAnnotation(models.Model):
    """A quote, paraphrase or mention as readers see it, in reading order."""

    edition = models.ForeignKey(
        PublishedArticle, on_delete=models.CASCADE, related_name="annotations"
    )
    # The working annotation's id, which names it in the page (#annotation-<id>) and in the
    # W3C collection. No constraint: deleting the working annotation leaves what was published.
    annotation = models.ForeignKey(
        "articles.Annotation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    kind = models.CharField(max_length=20)
    number = models.PositiveIntegerField(null=True, help_text="The quote's footnote number.")
    exact = models.TextField()
    prefix = models.TextField(blank=True)
    suffix = models.TextField(blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    speaker_name = models.CharField(max_length=300, blank=True)
    speaker_description = models.CharField(max_length=300, blank=True)
    position_title = models.CharField(max_length=200, blank=True)
    position_organization = models.CharField(max_length=200, blank=True)
    source_title = models.CharField(max_length=300, blank=True)
    passage_start = models.PositiveIntegerField(
        null=True, help_text="Where a quote's words are in its published source's document."
    )
    passage_end = models.PositiveIntegerField(null=True)
    # The links of ``Annotation.LINKS``, as published.
    speaker = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, related_name="published_quotes"
    )
    speaker_organization = models.ForeignKey(
        "people.Organization",
        on_delete=models.PROTECT,
        null=True,
        related_name="published_quotes",
    )
    position = models.ForeignKey(
        "people.Position", on_delete=models.PROTECT, null=True, related_name="+"
    )
    source = models.ForeignKey(
        "articles.Source", on_delete=models.PROTECT, null=True, related_name="+"
    )
    mentioned_person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, related_name="published_mentions"
    )
    mentioned_organization = models.ForeignKey(
        "people.Organization",
        on_delete=models.PROTECT,
        null=True,
        related_name="published_mentions",
    )
    mentioned_place = models.ForeignKey(
        "people.Place", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["edition", "start", "-end", "annotation_id"]
        indexes = [models.Index(fields=["edition", "kind"])]

    def __str__(self):
        return f"{self.kind}: “{self.exact[:60]}”"

    # What the W3C serializer asks of an annotation: a published one is anchored, and carries
    # no note (never copied here) and no editing times of the working copy.
    is_orphaned = False
    note = ""
    created_at = updated_at = None


class RetiredSlug(models.Model):
    """An address a published article had before it was published under a new slug.

    It answers 301 to the article's current address for as long as the article is published.
    """

    slug = models.SlugField(max_length=200, primary_key=True)
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="retired_slugs"
    )
    retired_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.slug
