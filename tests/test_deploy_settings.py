"""Production settings come from the environment and pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADERS_SCRIPT = """
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
response = Client().get("/robots.txt", secure=True, headers={"host": "news.example.org"})
for name in ("Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy",
             "X-Frame-Options", "Content-Security-Policy"):
    print(f"{name}: {response.get(name, '')}")
"""


def production_environment(**overrides):
    environment = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "news.example.org,testserver",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    # The browser tests let Django run beside Playwright's event loop; production does not.
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    environment.update(overrides)
    return {name: value for name, value in environment.items() if value is not None}


def run(arguments, environment):
    return subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_deployment_checks_pass_with_production_settings_from_the_environment():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_environment()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run(["manage.py", "check"], production_environment(DJANGO_SECRET_KEY=None))
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY: it has no default in production." in result.stderr


def test_production_responses_carry_the_browser_protections():
    result = run(["-c", HEADERS_SCRIPT], production_environment())
    assert result.returncode == 0, result.stderr
    headers = dict(line.split(": ", 1) for line in result.stdout.strip().splitlines())
    assert headers["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    policy = headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy
