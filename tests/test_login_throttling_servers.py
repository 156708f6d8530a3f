"""Sign-in throttling on a real app server, as a guesser would meet it: 40 wrong passwords sent
at once to 16 workers (4 processes of 4 threads) get no more password checks than the limit, and
only the guesser's own address is locked out of that account. Behind no trusted proxy,
X-Forwarded-For is ignored.

The server runs on the test database when it is PostgreSQL, on an SQLite file otherwise.
"""

import http.client
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "a-long-staff-password-4471"
LIMIT = settings.AXES_FAILURE_LIMIT
LOCKED = settings.AXES_COOLOFF_MESSAGE
WRONG = "Please enter the correct username and password"
GUESSES = 40
GUESSER, OWNER = "203.0.113.7", "198.51.100.2"

SETUP = """
from django.contrib.auth.models import User
from django.core.management import call_command
if {migrate}:
    call_command("migrate", verbosity=0)
for name in ("editor", "reporter"):
    User.objects.create(username=name, password={password!r}, is_staff=True)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(port) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def recorded_failures(environment) -> list[tuple[str, str, int]]:
    """(account, address, failures) of each access attempt the server recorded."""
    url = environment["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as database:
            return database.execute(
                "SELECT username, ip_address, failures_since_start FROM axes_accessattempt"
            ).fetchall()
    return list(AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start"))


@pytest.fixture
def environment(transactional_db, tmp_path):
    """The environment of an app server, with the editor and the reporter in its database: the
    test database on PostgreSQL (what the server commits there is emptied after the test)."""
    if connection.vendor == "postgresql":
        database = connection.settings_dict
        credentials = urllib.parse.quote(database["USER"] or "", safe="")
        if database["PASSWORD"]:
            credentials += ":" + urllib.parse.quote(database["PASSWORD"], safe="")
        host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
        url, migrate = f"postgres://{credentials}@{host}/{database['NAME']}", False
    else:
        url, migrate = f"sqlite:///{tmp_path / 'sign-in.sqlite3'}", True
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "0",
        "DJANGO_DEBUG": "1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "NEWSROOM_PAGE_CACHE": "0",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.pop("REDIS_URL", None)
    # Hashed here, once, as the server's settings hash passwords (the tests' own hasher is faster).
    hashed = make_password(PASSWORD, hasher="pbkdf2_sha256")
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity=0", "-c",
         SETUP.format(migrate=migrate, password=hashed)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return env


@pytest.fixture
def start_server(environment, tmp_path):
    """Start gunicorn with 4 processes of 4 threads, behind ``trusted_proxies`` proxies."""
    servers = []

    def start(trusted_proxies: int) -> "Server":
        port, log = free_port(), tmp_path / f"gunicorn-{len(servers)}.log"
        with log.open("w") as stderr:
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "newsroom.wsgi", f"--bind=127.0.0.1:{port}",
                 "--workers=4", "--threads=4", "--log-level=warning"],
                cwd=ROOT, env={**environment, "NEWSROOM_TRUSTED_PROXIES": str(trusted_proxies)},
                stdout=subprocess.DEVNULL, stderr=stderr,
            )  # fmt: skip
        servers.append(process)
        deadline = time.monotonic() + 30
        while not answers(port):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "The server did not start."
            time.sleep(0.1)
        return Server(port)

    yield start
    for process in servers:
        process.terminate()
        process.wait(timeout=10)


class Server:
    def __init__(self, port):
        self.port = port
        page, cookie = self.request("GET", "/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page[1]).group(1)
        self.csrf = token, re.search(r"csrftoken=([^;]+)", cookie).group(1)

    def request(self, method, path, body=None, headers=None):
        with closing(
            http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        ) as http_connection:
            http_connection.request(method, path, body, headers or {})
            response = http_connection.getresponse()
            answer = response.status, response.read().decode()
            return answer, response.getheader("Set-Cookie", "")

    def sign_in(self, username, password, forwarded_for=None, before_sending=None):
        """(status, page) of a sign-in; with ``forwarded_for``, the X-Forwarded-For header the
        proxy in front sends (the client's own entries, then the address it saw)."""
        token, cookie = self.csrf
        fields = {"username": username, "password": password, "next": "/admin/"}
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token})
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
        }
        if forwarded_for:
            headers["X-Forwarded-For"] = forwarded_for
        if before_sending:
            before_sending()
        return self.request("POST", "/admin/login/", body, headers)[0]


def signed_in(answer) -> bool:
    return answer[0] == 302


def locked(answer) -> bool:
    return answer[0] == 429 and LOCKED in answer[1]


def test_forty_parallel_guesses_get_no_more_password_checks_than_the_limit(
    start_server, environment
):
    server = start_server(trusted_proxies=1)
    all_at_once = threading.Barrier(GUESSES)

    def guess(number):
        return server.sign_in("editor", f"guess-{number}", GUESSER, all_at_once.wait)

    with ThreadPoolExecutor(GUESSES) as pool:
        answers = list(pool.map(guess, range(GUESSES)))

    checked = [page for status, page in answers if status == 200 and WRONG in page]
    refused = [answer for answer in answers if locked(answer)]
    assert (len(checked), len(refused)) == (LIMIT, GUESSES - LIMIT), [s for s, _ in answers]
    assert recorded_failures(environment) == [("editor", GUESSER, LIMIT)]

    # The guesser's address is locked out of that account, even with the right password and
    # someone else's address written in front of its own...
    assert locked(server.sign_in("editor", PASSWORD, GUESSER))
    assert locked(server.sign_in("editor", PASSWORD, f"{OWNER}, {GUESSER}"))
    # ...and no one else is locked out: not the account's owner elsewhere, nor another account
    # from the guesser's address.
    assert signed_in(server.sign_in("editor", PASSWORD, OWNER))
    assert signed_in(server.sign_in("reporter", PASSWORD, GUESSER))


def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(start_server, environment):
    server = start_server(trusted_proxies=0)
    for number in range(LIMIT):
        status, page = server.sign_in("editor", "guess", forwarded_for=f"192.0.2.{number}")
        assert status == 200 and WRONG in page
    assert locked(server.sign_in("editor", PASSWORD, forwarded_for=OWNER))
    assert recorded_failures(environment) == [("editor", "127.0.0.1", LIMIT)]
