"""Sign-in throttling, through the admin's sign-in page as a person (or a guesser) uses it.

Failures count per account and client address together: a guesser locks out only itself. The
client address is REMOTE_ADDR, or, behind trusted proxies, the address the outermost one saw.
tests/test_login_throttling_servers.py runs the same promises on real app servers, in parallel.
"""

import runpy
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.utils import timezone

SETTINGS_FILE = Path(__file__).resolve().parents[1] / "newsroom" / "settings.py"
PASSWORD = "correct horse battery staple"
LIMIT = settings.AXES_FAILURE_LIMIT
LOCKED = settings.AXES_COOLOFF_MESSAGE
WRONG = "Please enter the correct username and password"
GUESSER, OWNER = "203.0.113.7", "198.51.100.2"
PROXY = "10.0.0.1"


def sign_in(client, username, password, address=GUESSER, forwarded_for=None):
    """POST the admin's sign-in form from ``address`` (with an X-Forwarded-For header, as a
    proxy at ``address`` would send it, when ``forwarded_for`` is given)."""
    headers = {"x-forwarded-for": forwarded_for} if forwarded_for else {}
    return client.post(
        "/admin/login/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        headers=headers,
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def locked(response) -> bool:
    return response.status_code == 429 and LOCKED in response.content.decode()


def through_proxy(client, username, password, address):
    """A sign-in from ``address`` through the one reverse proxy in front, which appends the
    address it saw to any X-Forwarded-For the client sent."""
    return sign_in(client, username, password, address=PROXY, forwarded_for=address)


@pytest.fixture
def staff(db):
    make = get_user_model().objects.create_user
    return [make(name, password=PASSWORD, is_staff=True) for name in ("editor", "reporter")]


@pytest.fixture
def trusted_proxies(settings, monkeypatch):
    """Apply the settings as NEWSROOM_TRUSTED_PROXIES=n makes them."""

    def configure(n: int):
        monkeypatch.setenv("NEWSROOM_TRUSTED_PROXIES", str(n))
        configured = runpy.run_path(str(SETTINGS_FILE))
        for name in ("AXES_IPWARE_META_PRECEDENCE_ORDER", "AXES_IPWARE_PROXY_COUNT"):
            setattr(settings, name, configured[name])
        settings.IPWARE_STRICT = configured.get("IPWARE_STRICT", True)

    return configure


def test_repeated_wrong_passwords_lock_the_account_even_for_the_right_one(client, staff):
    for _ in range(LIMIT):
        response = sign_in(client, "editor", "guess")
        assert response.status_code == 200 and WRONG in response.content.decode()
    response = sign_in(client, "editor", PASSWORD)
    assert locked(response)
    assert "_auth_user_id" not in client.session
    assert response["Retry-After"] == "900"
    assert "15 minutes" in LOCKED


def test_a_locked_out_sign_in_checks_no_password(client, staff, monkeypatch):
    password_checks = []
    check_password = ModelBackend.authenticate

    def counting(backend, request, **credentials):
        password_checks.append(credentials["username"])
        return check_password(backend, request, **credentials)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)
    for _ in range(LIMIT + 3):
        sign_in(client, "editor", "guess")
    assert locked(sign_in(client, "editor", PASSWORD))
    assert password_checks == ["editor"] * LIMIT


def test_the_count_survives_an_emptied_cache(client, staff):
    """Failures are in the database: readers filling the cache cannot evict them."""
    for _ in range(LIMIT):
        sign_in(client, "editor", "guess")
    cache.clear()
    assert locked(sign_in(client, "editor", PASSWORD))


def test_another_address_can_still_sign_in(client, staff):
    for _ in range(LIMIT):
        sign_in(client, "editor", "guess", address=GUESSER)
    assert signed_in(sign_in(client, "editor", PASSWORD, address=OWNER))


def test_other_accounts_from_the_same_address_can_still_sign_in(client, staff):
    for _ in range(LIMIT * 3):
        sign_in(client, "editor", "guess")
    assert signed_in(sign_in(client, "reporter", PASSWORD))


def test_a_few_mistakes_do_not_lock_anyone_out(client, staff):
    for _ in range(LIMIT - 1):
        sign_in(client, "editor", "typo")
    assert signed_in(sign_in(client, "editor", PASSWORD))


def test_signing_in_clears_the_mistakes_before_it(client, staff):
    for _ in range(LIMIT - 1):
        sign_in(client, "editor", "typo")
    assert signed_in(sign_in(client, "editor", PASSWORD))
    client.logout()
    for _ in range(LIMIT - 1):
        sign_in(client, "editor", "typo")
    assert signed_in(sign_in(client, "editor", PASSWORD))


def test_the_lock_lifts_after_the_cool_off(client, staff):
    for _ in range(LIMIT):
        sign_in(client, "editor", "guess")
    assert locked(sign_in(client, "editor", PASSWORD))
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert locked(sign_in(client, "editor", PASSWORD))
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert signed_in(sign_in(client, "editor", PASSWORD))


def test_behind_a_proxy_a_guesser_locks_only_its_own_address_out(client, staff, trusted_proxies):
    trusted_proxies(1)
    for _ in range(LIMIT):
        through_proxy(client, "editor", "guess", GUESSER)
    assert locked(through_proxy(client, "editor", PASSWORD, GUESSER))
    # A guesser writing someone else's address in front of its own is still itself.
    assert locked(through_proxy(client, "editor", PASSWORD, f"{OWNER}, {GUESSER}"))
    assert signed_in(through_proxy(client, "editor", PASSWORD, OWNER))
    client.logout()
    assert signed_in(through_proxy(client, "reporter", PASSWORD, GUESSER))
    assert AccessAttempt.objects.get().ip_address == GUESSER


def test_behind_two_proxies_the_address_the_outer_one_saw_counts(client, staff, trusted_proxies):
    trusted_proxies(2)
    outer_proxy = "192.0.2.10"
    for _ in range(LIMIT):
        through_proxy(client, "editor", "guess", f"{OWNER}, {GUESSER}, {outer_proxy}")
    assert AccessAttempt.objects.get().ip_address == GUESSER
    assert signed_in(through_proxy(client, "editor", PASSWORD, f"{OWNER}, {outer_proxy}"))


def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(client, staff, trusted_proxies):
    trusted_proxies(0)
    for number in range(LIMIT):
        sign_in(client, "editor", "guess", forwarded_for=f"192.0.2.{number}")
    assert locked(sign_in(client, "editor", PASSWORD, forwarded_for=OWNER))
    assert AccessAttempt.objects.get().ip_address == GUESSER


def test_the_number_of_trusted_proxies_is_checked(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    for value in ("-1", "one"):
        monkeypatch.setenv("NEWSROOM_TRUSTED_PROXIES", value)
        with pytest.raises(ImproperlyConfigured, match="NEWSROOM_TRUSTED_PROXIES"):
            runpy.run_path(str(SETTINGS_FILE))
