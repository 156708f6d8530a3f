"""Sign-in throttling for the admin, on django-axes: a few wrong passwords, then a pause.

Failed sign-ins are counted in the database per account and client address together
(``AXES_LOCKOUT_PARAMETERS``), so whoever guesses locks out only themselves: not the account's
owner signing in from elsewhere, nor anyone else behind the same reverse proxy. The address is
the client's own (``NEWSROOM_TRUSTED_PROXIES``, in the settings), never a header it could forge.

Axes itself checks the count, lets the password be checked, then records a failure: parallel
guesses would all pass the check before any failure was recorded. Here the check and the count
are one step. ``SignInThrottleBackend``, first of the authentication backends, takes one of the
client's attempts before the password is checked, in a transaction that holds that account and
address's lock, and refuses the sign-in when none is left; a correct password gives the attempts
back (``AXES_RESET_ON_SUCCESS``). However many guesses arrive at once, at most
``AXES_FAILURE_LIMIT`` passwords are checked per cool-off.
"""

import hashlib
import logging

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import (
    get_client_parameters,
    get_client_username,
    get_cool_off,
    get_credentials,
    get_failure_limit,
    get_lockout_message,
    get_query_str,
)
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.db import NotSupportedError, connections, router, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.http import HttpResponse

log = logging.getLogger(__name__)


class ThrottledAuthenticationForm(AdminAuthenticationForm):
    """The admin's sign-in form, which says so in a sentence when a sign-in is refused."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if getattr(self.request, "axes_locked_out", False):
                raise ValidationError(get_lockout_message(), code="throttled") from None
            raise


class SignInThrottleBackend(AxesStandaloneBackend):
    """Takes one of the client's attempts, or refuses the sign-in before its password is checked
    (PermissionDenied stops Django's ``authenticate`` before the next backends)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.AXES_ENABLED or request is None:
            return None  # no client to count against: the shell, the test client's login()
        AxesProxyHandler.update_request(request)
        attempts = AxesProxyHandler.get_implementation()
        if not attempts.take_attempt(request, get_credentials(username)):
            request.axes_locked_out = True
            raise AxesBackendPermissionDenied("Too many failed sign-ins.")
        return None


class SignInAttempts(AxesDatabaseHandler):
    """The axes handler (``AXES_HANDLER``): axes' database handler, with a failure counted when
    an attempt is taken rather than after its password proved wrong."""

    def take_attempt(self, request, credentials) -> bool:
        """Count this sign-in as a failure, before its password is checked; or, when the client
        has no attempts left, count nothing and return False."""
        limit = get_failure_limit(request, credentials)
        alias = router.db_for_write(AccessAttempt)
        with transaction.atomic(using=alias):
            self._lock(alias, request, credentials)
            self.clean_expired_user_attempts(request, credentials)
            failures = self.get_failures(request, credentials)
            if failures >= limit:
                log.info(
                    "Sign-in refused, too many failures: %s", self._client(request, credentials)
                )
                return False
            self._count_failure(request, credentials)
        request.axes_failures_since_start = failures + 1
        return True

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        """The failure was counted when its attempt was taken (or the sign-in refused)."""
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if (request.axes_failures_since_start or 0) >= get_failure_limit(request, credentials):
            failures = request.axes_failures_since_start
            log.warning(
                "Sign-in locked after %s failures: %s", failures, self._client(request, credentials)
            )

    def reset_user_attempts(self, request, credentials=None) -> int:
        alias = router.db_for_write(AccessAttempt)
        with transaction.atomic(using=alias):
            self._lock(alias, request, credentials)
            return super().reset_user_attempts(request, credentials)

    def _count_failure(self, request, credentials):
        attempt, created = AccessAttempt.objects.get_or_create(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
            user_agent=request.axes_user_agent,
            defaults={
                "get_data": get_query_str(request.GET),
                "post_data": get_query_str(request.POST),
                "http_accept": request.axes_http_accept,
                "path_info": request.axes_path_info,
                "failures_since_start": 1,
                "attempt_time": request.axes_attempt_time,
            },
        )
        if not created:
            separator = "\n---------\n"
            AccessAttempt.objects.filter(pk=attempt.pk).update(
                failures_since_start=F("failures_since_start") + 1,
                attempt_time=request.axes_attempt_time,
                get_data=Concat("get_data", Value(separator + get_query_str(request.GET))),
                post_data=Concat("post_data", Value(separator + get_query_str(request.POST))),
                http_accept=request.axes_http_accept,
                path_info=request.axes_path_info,
            )

    def _lock(self, alias, request, credentials):
        """Until the transaction ends, no other sign-in of this account from this address (as
        ``AXES_LOCKOUT_PARAMETERS`` groups them) can count or reset its failures."""
        connection = connections[alias]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for key in sorted(self._lock_keys(request, credentials)):
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
        elif connection.vendor == "sqlite":
            # SQLite has one writer at a time. A transaction whose first statement writes (this
            # one changes no row) holds the database's write lock until it ends; others wait.
            AccessAttempt.objects.using(alias).filter(pk__lt=0).update(failures_since_start=0)
        else:
            raise NotSupportedError("Sign-in throttling needs PostgreSQL or SQLite.")

    def _lock_keys(self, request, credentials) -> list[int]:
        parameters = get_client_parameters(
            get_client_username(request, credentials),
            request.axes_ip_address,
            request.axes_user_agent,
            request,
            credentials,
        )
        return [
            int.from_bytes(
                hashlib.sha256(repr(sorted(group.items())).encode()).digest()[:8],
                "big",
                signed=True,
            )
            for group in parameters
        ]

    def _client(self, request, credentials) -> str:
        return f"{get_client_username(request, credentials)!r} from {request.axes_ip_address}"


def locked_out_response(request, response=None, credentials=None) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the sign-in page as its form rendered it, saying why, as 429."""
    if response is None:
        response = HttpResponse(get_lockout_message(), content_type="text/plain; charset=utf-8")
    response.status_code = 429
    response["Retry-After"] = str(int(get_cool_off(request).total_seconds()))
    return response
