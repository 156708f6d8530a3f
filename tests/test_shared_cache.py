"""Two app servers sharing one database and one Redis: a publication through one reaches the
readers of the other at once, because the page cache's generation lives in Redis."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REDIS = ("127.0.0.1", 6379)
STORY = "/articles/us-envoy-to-haiti-resigns-over-inhumane-deportations/"
PASSWORD = "a-long-admin-password-4471"


def answers(address) -> bool:
    try:
        with socket.create_connection(address, timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def environment(tmp_path):
    if not answers(REDIS):
        if os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail("Redis is not answering on 127.0.0.1:6379.")
        pytest.skip("Redis is not answering on 127.0.0.1:6379.")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "CACHE_KEY_PREFIX": f"shared-cache-test-{os.getpid()}-{time.time_ns()}",
        "DJANGO_DEBUG": "1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,news.example.org",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "-v0"], ["load_foote_story"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)
    create_admin = (
        "from django.contrib.auth.models import User; "
        f"User.objects.create_superuser('admin', 'admin@example.org', '{PASSWORD}')"
    )
    subprocess.run(
        manage + ["shell", "-c", create_admin], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return env


@pytest.fixture
def two_servers(environment):
    servers = []
    try:
        for _ in range(2):
            port = free_port()
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "newsroom.wsgi", f"--bind=127.0.0.1:{port}",
                 "--workers=1", "--log-level=warning"],
                cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )  # fmt: skip
            servers.append((process, f"http://127.0.0.1:{port}"))
        for process, url in servers:
            deadline = time.monotonic() + 20
            while not answers(("127.0.0.1", int(url.rsplit(":", 1)[1]))):
                assert process.poll() is None, process.stderr.read().decode()
                assert time.monotonic() < deadline, "The server did not start."
                time.sleep(0.2)
        yield [url for _, url in servers]
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait(timeout=10)


def read(url):
    """Status and cache header of an anonymous reader's request, through the site's address
    (as a reverse proxy in front of both servers would send it)."""
    request = urllib.request.Request(url, headers={"Host": "news.example.org"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("X-Cache")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Cache")


def unpublish_as_admin(server):
    """Sign in to the admin of ``server`` and unpublish the story, as a publisher would."""
    cookies = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))

    def post(path, fields, token):
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(server + path, data, headers={"Referer": server + path})
        return browser.open(request, timeout=10)

    login = browser.open(server + "/admin/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
    post("/admin/login/", {"username": "admin", "password": PASSWORD, "next": "/admin/"}, token)
    page = browser.open(server + "/admin/articles/article/1/change/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    post("/admin/articles/article/1/transition/", {"transition": "unpublish"}, token)


def test_unpublishing_through_one_server_empties_the_other_servers_cache(two_servers):
    first, second = two_servers
    assert read(first + STORY) == (200, None)
    assert read(first + STORY) == (200, "hit")
    assert read(second + STORY) == (200, "hit")  # the cache is shared, not per server

    unpublish_as_admin(first)

    assert read(second + STORY)[0] == 404
    assert read(first + STORY)[0] == 404
