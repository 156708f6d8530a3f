"""What an editor decided about the attribution assistant's suggestions for an article."""

from django.conf import settings
from django.db import models


class RejectedSuggestion(models.Model):
    """A suggested quote or paraphrase an editor rejected: never proposed again for the article.

    It is matched by its kind and words, so it stays rejected when an edit moves it; its
    offsets record where it was when rejected.
    """

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="rejected_suggestions"
    )
    kind = models.CharField(max_length=20)
    exact = models.TextField(help_text="The suggested words, exactly as in the body.")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    rejected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "start", "pk"]
        indexes = [models.Index(fields=["article", "kind"])]

    def __str__(self):
        return f"Rejected {self.kind}: “{self.exact[:60]}”"
