"""Preview links: an unguessable, expiring address where someone without an account reads a draft.

The address holds a random token of 24 bytes (not a signature): it works while its row says so,
so revoking it, or its expiry, ends it at once.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


def new_token() -> str:
    return secrets.token_urlsafe(24)


class PreviewLinkQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PreviewLink(models.Model):
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="preview_links"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Preview of “{self.article}” until {self.expires_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("articles:preview", kwargs={"token": self.token})

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
