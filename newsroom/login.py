"""Sign-in throttling for the admin: guessing passwords gets slow, then stops for a while.

Failures are counted in Django's cache (shared by all app servers when it is Redis) per
account and address, and per address across accounts, so one address can neither hammer one
account nor spray a common password over many.
"""

import hashlib

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError

WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
LOCKED = (
    "Too many failed sign-ins. To keep your account safe, wait 15 minutes before trying "
    "again, or ask an administrator to reset your password."
)


class ThrottledAuthenticationForm(AdminAuthenticationForm):
    def clean(self):
        keys = self._failure_keys()
        if any(cache.get(key, 0) >= limit for key, limit in keys):
            raise ValidationError(LOCKED, code="throttled")
        try:
            return super().clean()
        except ValidationError:
            for key, _ in keys:
                cache.add(key, 0, WINDOW_SECONDS)
                cache.incr(key)
            raise

    def _failure_keys(self):
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        username = (self.data.get("username") or "").strip().lower()
        account = hashlib.sha256(f"{username}|{address}".encode()).hexdigest()
        return [
            (f"sign-in-failures:account:{account}", MAX_FAILURES_PER_ACCOUNT),
            (f"sign-in-failures:address:{address}", MAX_FAILURES_PER_ADDRESS),
        ]
