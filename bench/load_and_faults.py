"""Readers and editors at once, then faults: ``.venv/bin/python bench/load_and_faults.py``.

Builds a PostgreSQL database of its own (``newsroom_load_<pid>``), serves it with gunicorn as
production does, and runs one scenario or all of them:

- ``load``: anonymous readers read public pages while staff editors save articles through the
  admin's change form and write annotations through the Annotate screen's JSON endpoints. Every
  acknowledged write is recorded with a unique token, then checked against the database.
- ``postgres-restart``: the same load, with PostgreSQL stopped and started in the middle: how
  the app answers while it is down, how soon it recovers, and that no acknowledged edit is lost.
- ``media-unwritable``: the media storage becomes unwritable under the running server; a lead
  image upload with a dek edit must be refused with a sentence and change nothing.

It prints figures and PASS/FAIL; it is not a test. Everything it starts or creates (gunicorn,
the database, Redis keys under its own prefix, temporary folders) is removed on the way out,
on an error and on Ctrl-C, and PostgreSQL is left running.
"""

import argparse
import contextlib
import http.client
import io
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loadgen  # noqa: E402
from bench.staff_client import StaffClient, form_pairs, replace, value_of  # noqa: E402

HOST = "127.0.0.1"
PG_URL = "postgres://postgres@127.0.0.1:5432"
ARTICLE = "/articles/us-envoy-to-haiti-resigns-over-inhumane-deportations/"
FOOTE_SLUG = "us-envoy-to-haiti-resigns-over-inhumane-deportations"
READER_PATHS = [
    ("home", "/"),
    ("article", ARTICLE),
    ("person", "/people/daniel-foote/"),
    ("search", "/articles/?q=haiti"),
    ("api quotes", "/api/quotes/?speaker=daniel-foote"),
]
CLIENT_TIMEOUT = 10.0  # seconds any one request may take before the client gives up
MAX_REQUESTS_PER_CLIENT = 200_000
SHARED_EDITORS = 2  # editors on one shared article, when there are at least three editors
SHARED_THINK = (0.0, 0.3)  # seconds between loading the form and saving it, shared article
PROBE_INTERVAL = 0.1
PROBE_PATH = "/api/quotes/?speaker=daniel-foote"
CONFLICT_TEXT = "saved this article while you were editing it"
STORAGE_TEXT = "The image could not be stored"
# The site's own error pages: templates/500.html, and templates/503.html for a database outage.
ERROR_PAGE_TEXTS = (b"Something went wrong", b"Back in a moment")
GUNICORN_OPTIONS = ["--workers=2", "--worker-class=gthread", "--threads=4", "--timeout=30"]
PG_READY_TIMEOUT = 60.0
OUTAGE_SECONDS = 3.0


class Budget(Exception):
    """The whole run went past its time budget."""


# Setup and teardown


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="Length of each load run.")
    parser.add_argument("--readers", type=int, default=100, help="Concurrent anonymous readers.")
    parser.add_argument("--editors", type=int, default=5, help="Concurrent staff editors.")
    parser.add_argument(
        "--scenario",
        choices=["load", "postgres-restart", "media-unwritable", "all"],
        default="all",
    )
    parser.add_argument(
        "--no-page-cache", action="store_true", help="Serve readers without the page cache."
    )
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    if not (5 <= args.seconds <= 600 and 0 <= args.readers <= 500 and 0 <= args.editors <= 20):
        parser.error("Give 5 to 600 --seconds, 0 to 500 --readers and 0 to 20 --editors.")
    if args.scenario == "postgres-restart" and args.seconds < 15:
        parser.error("postgres-restart needs at least 15 --seconds around the outage.")
    return args


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def pg_version() -> str:
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda name: float(name))
    return versions[-1]


def pg_ctl(action: str) -> float:
    """Run ``pg_ctlcluster ... action``; its own session, so Ctrl-C cannot cut it in half."""
    began = time.monotonic()
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), "main", action]
    subprocess.run(command, check=False, timeout=90, start_new_session=True, capture_output=True)
    return time.monotonic() - began


def pg_ready(timeout: int = 2) -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{PG_URL}/postgres", connect_timeout=timeout) as connection:
            connection.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


class PgWatch(threading.Thread):
    """Asks PostgreSQL for SELECT 1 every tenth of a second: when it stopped and came back."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.samples: list[tuple[float, float, bool]] = []  # began, answered, worked

    def run(self):
        while not self.stop.is_set():
            began = time.monotonic()
            worked = pg_ready(timeout=1)
            self.samples.append((began, time.monotonic(), worked))
            time.sleep(0.1)

    def outage(self) -> tuple[float | None, float | None]:
        """When the first query failed, and when the first one after that answered."""
        down = next((began for began, _, worked in self.samples if not worked), None)
        if down is None:
            return None, None
        up = next((done for began, done, worked in self.samples if worked and began > down), None)
        return down, up


def wait_for_pg(timeout: float = PG_READY_TIMEOUT) -> float | None:
    """The moment PostgreSQL answers a query again, or None after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pg_ready():
            return time.monotonic()
        time.sleep(0.1)
    return None


def ensure_pg_running() -> None:
    if pg_ready():
        return
    print("PostgreSQL is not answering: starting it.", flush=True)
    pg_ctl("start")
    if wait_for_pg() is None:
        print("WARNING: PostgreSQL still does not answer; start it by hand.", flush=True)


def admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True, connect_timeout=5) as connection:
        connection.execute(statement)


class Stack:
    """The database, settings, data, static files and gunicorn of one run; all undone on exit."""

    def __init__(self, args):
        self.args = args
        self.pid = os.getpid()
        self.database = f"newsroom_load_{self.pid}"
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-load-"))
        self.media_volume = self.folder / "media-volume"  # a directory, or a file in the fault
        self.media_root = self.media_volume / "media"
        self.log = self.folder / "gunicorn.log"
        self.port = free_port()
        self.redis_url, self.cache_prefix = self._redis()
        self.created_database = False
        self.process = None
        self.env = self._environment()

    def _redis(self):
        url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
        try:
            import redis

            redis.Redis.from_url(url, socket_timeout=2).ping()
        except Exception as error:  # noqa: BLE001 - any failure means: no Redis here
            print(f"Redis at {url} is not answering ({error}); using the local-memory cache.")
            return "", ""
        return url, f"newsroom-load-{self.pid}"

    def _environment(self) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_KEY_PREFIX")}
        env.update(
            DATABASE_URL=f"{PG_URL}/{self.database}",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
            DJANGO_ALLOWED_HOSTS=HOST,
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_STATIC_ROOT=str(self.folder / "static"),
            DJANGO_MEDIA_ROOT=str(self.media_root),
            DJANGO_LOG_LEVEL="WARNING",
            NEWSROOM_PAGE_CACHE="0" if self.args.no_page_cache else "1",
        )
        if self.redis_url:
            env.update(REDIS_URL=self.redis_url, CACHE_KEY_PREFIX=self.cache_prefix)
        return env

    def manage(self, *arguments: str, timeout: float = 300) -> str:
        finished = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            start_new_session=True,
        )
        if finished.returncode:
            raise RuntimeError(
                f"manage.py {' '.join(arguments)} failed:\n{finished.stdout}\n{finished.stderr}"
            )
        return finished.stdout

    def build(self) -> None:
        ensure_pg_running()
        began = time.monotonic()
        admin_sql(f'CREATE DATABASE "{self.database}"')
        self.created_database = True
        self.media_root.mkdir(parents=True)
        self.manage("migrate", "--noinput", "--verbosity=0")
        try:
            output = self.manage(
                "generate_newsroom",
                "--articles=200",
                "--people=100",
                "--annotations=2000",
                f"--seed={self.args.seed}",
            )
            self.data = output.strip().splitlines()[-1]
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            print(f"generate_newsroom did not work, so the Foote story alone: {error}"[:600])
            self.manage("load_foote_story")
            self.data = "the Foote story alone (generate_newsroom failed)"
        self.manage("collectstatic", "--noinput", "--verbosity=0")
        os.environ.update(self.env, DJANGO_SETTINGS_MODULE="newsroom.settings")
        import django

        django.setup()
        print(
            f"Setup: database {self.database}, {self.data}; collectstatic to a temporary "
            f"folder; {time.monotonic() - began:.1f} s",
            flush=True,
        )

    def start_server(self) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [
            str(gunicorn),
            "newsroom.wsgi",
            f"--bind={HOST}:{self.port}",
            *GUNICORN_OPTIONS,
            "--log-level=info",
        ]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log.read_text()[-3000:]}")
            try:
                loadgen.get(self.port, "/", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer within 60 s")
        cache = "Redis, prefix " + self.cache_prefix if self.redis_url else "local memory"
        print(
            f"gunicorn on {HOST}:{self.port}: {' '.join(GUNICORN_OPTIONS)}; DEBUG off; "
            f"cache: {cache}; page cache {'off' if self.args.no_page_cache else 'on'}",
            flush=True,
        )

    def worker_events(self) -> Counter:
        """What gunicorn's log says happened to its workers."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return Counter(
            {
                "booted": text.count("Booting worker"),
                "timed out": text.count("WORKER TIMEOUT"),
                "exited": len(re.findall(r"Worker \(pid:\d+\) (?:exited|was sent)", text)),
                "logged errors": text.count(" ERROR "),
            }
        )

    def stop_server(self) -> None:
        loadgen.stop_process(self.process)

    def media_fault(self, on: bool) -> None:
        """Put a regular file where the media volume is (on), or the directory back (off)."""
        moved = self.folder / "media-volume.away"
        if on and not moved.exists():
            self.media_volume.rename(moved)
            self.media_volume.write_text("not a directory\n")
        elif not on and moved.exists():
            if self.media_volume.is_file():
                self.media_volume.unlink()
            moved.rename(self.media_volume)

    def close(self) -> None:
        steps = [
            ("start PostgreSQL", ensure_pg_running),
            ("restore the media folder", lambda: self.media_fault(False)),
            ("stop gunicorn", self.stop_server),
            ("close this process's database connections", _close_connections),
            ("drop the database", self._drop_database),
            ("delete the Redis keys", self._delete_cache_keys),
            ("remove the temporary folder", lambda: shutil.rmtree(self.folder, True)),
        ]
        for what, step in steps:
            try:
                step()
            except Exception as error:  # noqa: BLE001 - every step must get its turn
                print(f"Cleanup: could not {what}: {error}", flush=True)

    def _drop_database(self) -> None:
        if self.created_database:
            admin_sql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def _delete_cache_keys(self) -> None:
        if not self.redis_url:
            return
        import redis

        client = redis.Redis.from_url(self.redis_url, socket_timeout=5)
        keys = list(client.scan_iter(match=f"{self.cache_prefix}:*", count=1000))
        for first in range(0, len(keys), 1000):
            client.delete(*keys[first : first + 1000])


def _close_connections() -> None:
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()


# What the editors work on


@dataclass
class Desk:
    """Editors' accounts and articles, and the words they may mark on each article."""

    users: list[tuple[str, str]]  # (username, password) per editor
    articles: list[int]  # per editor, the article it edits
    shared: set[int]  # editors on the shared article
    base_dek: dict[int, str]  # per article
    selectors: dict[int, list[dict]]  # per article: W3C selectors of words in its body
    people: list[int]  # people a mention may name


def prepare_desk(count: int, seed: int) -> Desk:
    """Accounts with the Publisher role, an article per editor (the last two share Foote's)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from articles.annotations import anchoring
    from articles.models import Article
    from people.models import Person

    count = max(count, 1)  # the media scenario needs one editor even without load
    shared = set(range(count - SHARED_EDITORS, count)) if count >= 3 else set()
    publisher = Group.objects.get(name="Publisher")
    users = []
    for number in range(count):
        password = secrets.token_urlsafe(12)
        user = get_user_model().objects.create_user(
            f"load-editor-{number}", f"load-editor-{number}@newsroom.invalid", password
        )
        user.is_staff = True
        user.save()
        user.groups.set([publisher])
        users.append((user.username, password))
    foote = Article.objects.get(slug=FOOTE_SLUG)
    own_count = count - len(shared)
    others = list(Article.objects.exclude(pk=foote.pk).order_by("pk")[:own_count])
    for number in range(len(others), own_count):
        article = Article(
            headline=f"Load bench article {number}",
            slug=f"load-bench-article-{number}",
            dek="An article for the load bench.",
            body=foote.body,
        )
        article.save()
        others.append(article)
    articles = [others[n].pk if n not in shared else foote.pk for n in range(count)]
    rng = random.Random(seed)
    base_dek, selectors = {}, {}
    for article in Article.objects.filter(pk__in=set(articles)):
        base_dek[article.pk] = article.dek
        text = article.plain_text
        words = [match.span() for match in re.finditer(r"\w{4,}", text)]
        chosen = rng.sample(words, min(400, len(words)))
        selectors[article.pk] = [anchoring.describe(text, start, end) for start, end in chosen]
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True)[:50])
    return Desk(users, articles, shared, base_dek, selectors, people)


# Running the load


@dataclass
class Write:
    editor: int
    kind: str  # "dek" (an admin save), "create" or "note" (Annotate endpoints)
    article: int
    token: str
    began: float
    outcome: str = ""  # ack, conflict, rejected, failed (no answer or 5xx: outcome unknown)
    status: object = None
    loaded_version: int | None = None
    annotation: int | None = None
    detail: str = ""
    committed: bool = False  # found in the database afterwards


@dataclass
class Run:
    """Everything one load run saw: every request, every write, and the events of a fault."""

    label: str
    began: float = 0.0
    ended: float = 0.0
    requests: list = field(default_factory=list)  # (stream, name, began, ended, outcome, page)
    writes: list[Write] = field(default_factory=list)
    events: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, requests=(), writes=()):
        with self.lock:
            self.requests.extend(requests)
            self.writes.extend(writes)


def error_name(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        return "timeout"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ConnectionResetError | BrokenPipeError):
        return "connection reset"
    if isinstance(error, http.client.RemoteDisconnected):
        return "closed without answer"
    return type(error).__name__


def page_kind(status: int, body: bytes) -> str:
    if status < 500:
        return ""
    return "error page" if any(text in body for text in ERROR_PAGE_TEXTS) else "other body"


def reader(port: int, run: Run, stop: threading.Event, until: float, seed: int) -> None:
    """One reader on one keep-alive connection, reading the public pages in random order."""
    rng = random.Random(seed)
    mine = []
    connection = None
    while not stop.is_set() and time.monotonic() < until and len(mine) < MAX_REQUESTS_PER_CLIENT:
        name, path = rng.choice(READER_PATHS)
        if connection is None:
            connection = http.client.HTTPConnection(HOST, port, timeout=CLIENT_TIMEOUT)
        began = time.monotonic()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as error:
            mine.append(("reader", name, began, time.monotonic(), error_name(error), ""))
            connection.close()
            connection = None
            time.sleep(0.05)  # a refused connection must not spin
            continue
        mine.append(
            (
                "reader",
                name,
                began,
                time.monotonic(),
                response.status,
                page_kind(response.status, body),
            )
        )
        if response.will_close:
            connection.close()
            connection = None
    if connection is not None:
        connection.close()
    run.add(requests=mine)


class Editor:
    """One staff session: saves its article's dek, marks words, changes its notes, in turn."""

    def __init__(self, number, desk: Desk, port, run: Run, stop, until, scenario_tag):
        self.number = number
        self.desk = desk
        self.article = desk.articles[number]
        self.shared = number in desk.shared
        self.run = run
        self.stop = stop
        self.until = until
        self.client = StaffClient(port, timeout=CLIENT_TIMEOUT)
        self.rng = random.Random(f"{scenario_tag}-{number}")
        self.tag = f"{scenario_tag}{number}"
        self.sequence = 0
        self.annotations: dict[int, str] = {}  # id -> version, of acknowledged annotations
        self.requests = []
        self.writes = []

    def token(self, kind: str) -> str:
        self.sequence += 1
        return f"LB{os.getpid()}-{self.tag}-{kind}{self.sequence}"

    def call(self, name, method, *args):
        """One request, recorded; None when no answer came."""
        began = time.monotonic()
        try:
            response = method(*args)
        except (OSError, http.client.HTTPException) as error:
            self.requests.append(("editor", name, began, time.monotonic(), error_name(error), ""))
            return None, error_name(error)
        self.requests.append(
            (
                "editor",
                name,
                began,
                began + response.seconds,
                response.status,
                page_kind(response.status, response.body),
            )
        )
        return response, response.status

    def loop(self) -> None:
        steps = [self.save_dek, self.create_annotation, self.change_note]
        try:
            while not self.stop.is_set() and time.monotonic() < self.until:
                for step in steps:
                    if self.stop.is_set() or time.monotonic() >= self.until:
                        break
                    if not step():
                        time.sleep(0.1)  # after a failure, do not hammer a struggling server
        finally:
            self.run.add(self.requests, self.writes)

    def save_dek(self) -> bool:
        url = f"/admin/articles/article/{self.article}/change/"
        page, _ = self.call("change form", self.client.get, url)
        if page is None or page.status != 200:
            return False
        pairs = form_pairs(page.text, form_id="article_form")
        token = self.token("dek")
        pairs = replace(pairs, "dek", f"{self.desk.base_dek[self.article]} [{token}]")
        pairs.append(("_save", "Save"))
        loaded = value_of(pairs, "loaded_version")
        write = Write(
            self.number,
            "dek",
            self.article,
            token,
            time.monotonic(),
            loaded_version=int(loaded) if loaded and loaded.isdigit() else None,
        )
        if self.shared:
            time.sleep(self.rng.uniform(*SHARED_THINK))
        response, write.status = self.call("save", self.client.post_form, url, pairs)
        if response is None or response.status >= 500:
            write.outcome = "failed"
        elif response.status == 302 and "/login/" not in response.header("Location"):
            write.outcome = "ack"
        elif response.status == 200 and CONFLICT_TEXT in response.text:
            write.outcome = "conflict"
        else:
            write.outcome = "rejected"
            write.detail = _form_errors(response.text) if response.status == 200 else ""
        self.writes.append(write)
        return write.outcome in ("ack", "conflict")

    def create_annotation(self) -> bool:
        url = f"/admin/articles/article/{self.article}/annotations/"
        token = self.token("create")
        payload = {
            "kind": "mention",
            "selector": self.rng.choice(self.desk.selectors[self.article]),
            "mentioned_person": self.rng.choice(self.desk.people),
            "note": token,
        }
        write = Write(self.number, "create", self.article, token, time.monotonic())
        response, write.status = self.call("annotate: create", self.client.post_json, url, payload)
        if response is None or response.status >= 500:
            write.outcome = "failed"
        elif response.status == 201:
            write.outcome = "ack"
            created = response.json().get("annotation", {})
            write.annotation = created.get("id")
            self.annotations[write.annotation] = created.get("version")
        else:
            write.outcome = "rejected"
            write.detail = str(response.json().get("message", ""))[:200]
        self.writes.append(write)
        return write.outcome == "ack"

    def change_note(self) -> bool:
        if not self.annotations:
            return True
        annotation = self.rng.choice(sorted(self.annotations))
        url = f"/admin/articles/article/{self.article}/annotations/{annotation}/"
        token = self.token("note")
        payload = {"note": token, "version": self.annotations[annotation]}
        write = Write(
            self.number, "note", self.article, token, time.monotonic(), annotation=annotation
        )
        response, write.status = self.call("annotate: note", self.client.post_json, url, payload)
        if response is None or response.status >= 500:
            write.outcome = "failed"
        elif response.status == 200:
            write.outcome = "ack"
            self.annotations[annotation] = response.json().get("annotation", {}).get("version")
        elif response.status == 409:
            write.outcome = "conflict"  # theirs comes back: take its version, as the screen does
            self.annotations[annotation] = response.json().get("annotation", {}).get("version")
        else:
            write.outcome = "rejected"
            write.detail = str(response.json().get("message", ""))[:200]
        self.writes.append(write)
        return write.outcome in ("ack", "conflict")


def _form_errors(html: str) -> str:
    found = re.findall(
        r'<(?:p class="errornote"|ul class="errorlist[^"]*")[^>]*>(.*?)</', html, re.S
    )
    return " | ".join(re.sub(r"\s+", " ", text).strip() for text in found)[:300]


class Probe:
    """Small requests every tenth of a second that always reach the database.

    The staff probe loads a small admin page (session and user come from the database); the
    reader probe asks for the quotes API with a query string of its own each time, so that no
    cached page answers it.
    """

    def __init__(self, port, run: Run, stop, until, staff: StaffClient):
        self.port, self.run, self.stop, self.until, self.staff = port, run, stop, until, staff
        self.tag = secrets.token_hex(4)  # a page cached by an earlier run must not answer

    def loop(self) -> None:
        mine, number = [], 0
        while not self.stop.is_set() and time.monotonic() < self.until:
            number += 1
            for name, call in (
                ("staff", lambda: self.staff.get("/admin/password_change/")),
                (
                    "reader",
                    lambda n=number: _anonymous(self.port, f"{PROBE_PATH}&probe={self.tag}-{n}"),
                ),
            ):
                began = time.monotonic()
                try:
                    response = call()
                    outcome, page = response.status, page_kind(response.status, response.body)
                except (OSError, http.client.HTTPException) as error:
                    outcome, page = error_name(error), ""
                mine.append(("probe", name, began, time.monotonic(), outcome, page))
            time.sleep(PROBE_INTERVAL)
        self.run.add(requests=mine)


def _anonymous(port, path):
    return StaffClient(port, timeout=5).get(path)


def run_load(stack: Stack, desk: Desk, args, label: str, fault=None) -> Run:
    """Readers, editors and probes for --seconds; ``fault(run)`` runs in this thread meanwhile."""
    run = Run(label)
    stop = threading.Event()
    editors = []
    for number in range(args.editors):
        editor = Editor(number, desk, stack.port, run, stop, 0, label[:1])
        editor.client.login(*desk.users[number])
        editors.append(editor)
    probe_staff = StaffClient(stack.port, timeout=5)
    probe_staff.login(*desk.users[0])
    run.began = time.monotonic()
    until = run.began + args.seconds
    for editor in editors:
        editor.until = until
    threads = [
        threading.Thread(target=reader, args=(stack.port, run, stop, until, args.seed + n))
        for n in range(args.readers)
    ]
    threads += [threading.Thread(target=editor.loop) for editor in editors]
    threads.append(threading.Thread(target=Probe(stack.port, run, stop, until, probe_staff).loop))
    print(
        f"\n== {label}: {args.readers} readers, {args.editors} editors "
        f"({len(desk.shared & set(range(args.editors)))} on a shared article), "
        f"{args.seconds:g} s ==",
        flush=True,
    )
    try:
        for thread in threads:
            thread.daemon = True
            thread.start()
        if fault is not None:
            fault(run)
        while time.monotonic() < until:
            time.sleep(0.2)
    finally:
        stop.set()
        join_by = time.monotonic() + CLIENT_TIMEOUT + 5
        for thread in threads:
            thread.join(max(0.0, join_by - time.monotonic()))
        run.ended = time.monotonic()
    return run


# Reporting


def percentile(ordered: list[float], percent: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(len(ordered) * percent / 100))]


def is_ok(outcome) -> bool:
    return isinstance(outcome, int) and outcome < 500


def report_requests(run: Run) -> None:
    seconds = run.ended - run.began
    print(
        f"{'requests':<22}{'count':>8}{'req/s':>8}{'5xx':>6}{'no answer':>10}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    )
    groups = defaultdict(list)
    for record in run.requests:
        groups[record[0]].append(record)
        if record[0] == "editor":
            groups[f"  {record[1]}"].append(record)
        elif record[0] == "probe":
            groups[f"probe {record[1]}"].append(record)
    editor_kinds = sorted(k for k in groups if k.startswith("  "))
    for name in ["reader", "editor", *editor_kinds, "probe staff", "probe reader"]:
        records = groups.get(name, [])
        if not records:
            continue
        latencies = sorted(ended - began for _, _, began, ended, outcome, _ in records)
        server_errors = sum(1 for r in records if isinstance(r[4], int) and r[4] >= 500)
        no_answer = sum(1 for r in records if isinstance(r[4], str))
        print(
            f"{name:<22}{len(records):>8}{len(records) / seconds:>8.1f}{server_errors:>6}"
            f"{no_answer:>10}{percentile(latencies, 50) * 1000:>9.1f}"
            f"{percentile(latencies, 95) * 1000:>9.1f}{percentile(latencies, 99) * 1000:>9.1f}"
            f"{latencies[-1] * 1000:>9.1f}"
        )
    failures = Counter(
        f"{stream} {outcome} {page}".strip()
        for stream, _, _, _, outcome, page in run.requests
        if not is_ok(outcome)
    )
    refused = Counter(
        f"{stream} {name} {outcome}"
        for stream, name, _, _, outcome, _ in run.requests
        if is_ok(outcome) and outcome >= 400 and stream != "probe"
    )
    if failures:
        print("failures: " + "; ".join(f"{what} ×{n}" for what, n in sorted(failures.items())))
    if refused:
        print("4xx answers: " + "; ".join(f"{what} ×{n}" for what, n in sorted(refused.items())))


def report_writes(run: Run) -> None:
    table = defaultdict(Counter)
    shared = _shared_articles(run)
    for write in run.writes:
        table[write.kind, write.article in shared][write.outcome] += 1
    print(
        f"{'writes':<34}{'acknowledged':>13}{'conflict':>10}{'rejected':>10}{'failed/unknown':>16}"
    )
    names = {"dek": "admin save (dek)", "create": "annotation create", "note": "annotation note"}
    for (kind, shared), counts in sorted(table.items()):
        label = f"{names[kind]}, {'shared' if shared else 'own'} article"
        print(
            f"{label:<34}{counts['ack']:>13}{counts['conflict']:>10}{counts['rejected']:>10}"
            f"{counts['failed']:>16}"
        )
    details = Counter(w.detail for w in run.writes if w.outcome == "rejected" and w.detail)
    for detail, count in details.most_common(3):
        print(f"  rejected ×{count}: {detail}")


def _shared_articles(run: Run) -> set[int]:
    editors = defaultdict(set)
    for write in run.writes:
        editors[write.article].add(write.editor)
    return {article for article, who in editors.items() if len(who) > 1}


# Verification against the database


@dataclass
class Baseline:
    versions: dict[int, int]  # article -> Article.version
    revisions: dict[int, int]  # article -> number of its revisions
    total_revisions: int
    total_versions: int


def baseline(articles) -> Baseline:
    from reversion.models import Revision, Version

    from articles.models import Article

    _close_connections()
    return Baseline(
        versions=dict(Article.objects.filter(pk__in=articles).values_list("pk", "version")),
        revisions={
            pk: Version.objects.get_for_object_reference(Article, pk).count() for pk in articles
        },
        total_revisions=Revision.objects.count(),
        total_versions=Version.objects.count(),
    )


def verify(run: Run, before: Baseline) -> bool:
    """Check every acknowledged write against the database; print PASS/FAIL per check."""
    from django.contrib.contenttypes.models import ContentType
    from reversion.models import Revision, Version

    from articles.models import Annotation, Article

    _close_connections()  # after a PostgreSQL restart this process's connection is dead
    checks = []

    def check(name, ok, detail=""):
        checks.append(ok)
        print(
            f"  {'PASS' if ok else 'FAIL'}  {name}" + (f": {detail}" if detail and not ok else "")
        )

    annotation_type = ContentType.objects.get_for_model(Annotation)

    def in_annotation_revisions(annotation_id, token) -> bool:
        versions = Version.objects.filter(content_type=annotation_type)
        if annotation_id is not None:
            versions = versions.filter(object_id=str(annotation_id))
        return versions.filter(serialized_data__contains=f'"{token}"').exists()

    shared = _shared_articles(run)
    print(f"Verification against the database ({run.label}):")
    by_article = defaultdict(list)
    for write in run.writes:
        by_article[write.article].append(write)
    committed_total = 0
    for article_id, writes in sorted(by_article.items()):
        article = Article.objects.get(pk=article_id)
        versions = Version.objects.get_for_object_reference(Article, article_id)
        deks = [version.field_dict.get("dek", "") for version in versions]
        kept = "\n".join(deks)
        where = f"article {article_id} ({'shared' if article_id in shared else 'own'})"
        # Which writes reached the database: every write carries a token of its own.
        for write in writes:
            if write.kind == "dek":
                write.committed = f"[{write.token}]" in kept or f"[{write.token}]" in article.dek
            elif write.kind == "create":
                write.committed = Annotation.objects.filter(
                    note=write.token
                ).exists() or in_annotation_revisions(write.annotation, write.token)
            else:
                write.committed = in_annotation_revisions(write.annotation, write.token)
        deks_written = [w for w in writes if w.kind == "dek"]
        lost = [w.token for w in writes if w.outcome == "ack" and not w.committed]
        check(
            f"{where}: every acknowledged write is in its revisions", not lost, f"lost {lost[:5]}"
        )
        ghosts = [w.token for w in writes if w.outcome in ("conflict", "rejected") and w.committed]
        check(f"{where}: refused writes left no trace", not ghosts, f"found {ghosts[:5]}")
        committed_deks = [w for w in deks_written if w.committed]
        if article_id in shared:
            # Saves are serialized by the version they were loaded at: each version once.
            bases = Counter(w.loaded_version for w in committed_deks)
            twice = {base: n for base, n in bases.items() if n > 1}
            check(f"{where}: no two saves from the same version", not twice, f"{twice}")
            committed_deks.sort(key=lambda w: w.loaded_version or 0)
        else:
            committed_deks.sort(key=lambda w: w.began)
        if committed_deks:
            last = committed_deks[-1]
            check(
                f"{where}: the last acknowledged save is the current dek",
                f"[{last.token}]" in article.dek,
                f"expected {last.token} ({last.outcome}), found {article.dek[-40:]!r}",
            )
        saves = article.version - before.versions[article_id]
        check(
            f"{where}: version advanced once per save ({saves})",
            saves == len(committed_deks),
            f"{len(committed_deks)} saves reached the database",
        )
        committed = sum(1 for w in writes if w.committed)
        committed_total += committed
        acknowledged = sum(1 for w in writes if w.outcome == "ack")
        revisions = versions.count() - before.revisions[article_id]
        check(
            f"{where}: {revisions} new revisions = {acknowledged} acknowledged writes"
            + (
                f" + {committed - acknowledged} unacknowledged that committed"
                if committed != acknowledged
                else ""
            ),
            revisions == committed,
            f"{committed} writes reached the database",
        )
    # Annotations: each acknowledged one exists, on its article, with its last committed note.
    notes = defaultdict(list)
    for write in run.writes:
        if write.kind in ("create", "note") and write.annotation is not None and write.committed:
            notes[write.annotation].append(write)
    missing, wrong = [], []
    current = dict(Annotation.objects.filter(pk__in=list(notes)).values_list("pk", "note"))
    for annotation_id, writes in notes.items():
        writes.sort(key=lambda w: w.began)
        if annotation_id not in current:
            missing.append(annotation_id)
        elif current[annotation_id] != writes[-1].token:
            wrong.append((annotation_id, writes[-1].token, current[annotation_id]))
    check(
        f"{len(notes)} acknowledged annotations exist with their last acknowledged note",
        not missing and not wrong,
        f"missing {missing[:5]}, wrong note {wrong[:3]}",
    )
    total = Revision.objects.count() - before.total_revisions
    check(
        f"{total} new revisions in all = {committed_total} writes that reached the database",
        total == committed_total,
    )
    rows = Version.objects.count() - before.total_versions
    annotations = Annotation.objects.filter(article__in=list(by_article)).count()
    print(
        f"  figure: {rows:,} version rows written for {total:,} revisions "
        f"({rows / max(total, 1):.0f} per revision: each holds the article and all of its "
        f"annotations; the edited articles now have {annotations:,} annotations)"
    )
    unknown = [w for w in run.writes if w.outcome == "failed"]
    if unknown:
        landed = [w for w in unknown if w.committed]
        print(
            f"  note: {len(unknown)} writes got no acknowledgement (5xx or no answer); "
            f"{len(landed)} of them reached the database anyway, "
            f"{len(unknown) - len(landed)} did not"
        )
        for (kind, status), count in Counter((w.kind, w.status) for w in landed).items():
            print(f"    committed although the editor was told {status}: {kind} ×{count}")
    return all(checks)


# Scenarios


def scenario_load(stack, desk, args) -> bool:
    before = baseline(set(desk.articles))
    run = run_load(stack, desk, args, "load")
    report_requests(run)
    report_writes(run)
    return verify(run, before) & server_check(stack)


def server_check(stack: Stack) -> bool:
    events = stack.worker_events()
    booted = events["booted"]
    ok = booted == 2 and not events["timed out"] and not events["exited"]
    print(
        f"  {'PASS' if ok else 'FAIL'}  gunicorn workers: {booted} booted in all (2 expected), "
        f"{events['timed out']} timed out, {events['exited']} exited; "
        f"{events['logged errors']} ERROR lines logged so far"
    )
    return ok


def scenario_postgres_restart(stack, desk, args) -> bool:
    before = baseline(set(desk.articles))

    def restart(run: Run):
        time.sleep(args.seconds * 0.4)
        watch = PgWatch()
        watch.start()
        try:
            events = run.events
            events["stop"] = time.monotonic()
            pg_ctl("stop")
            events["stopped"] = time.monotonic()
            time.sleep(OUTAGE_SECONDS)
            events["start"] = time.monotonic()
            pg_ctl("start")
            events["started"] = time.monotonic()
            events["ready"] = wait_for_pg()
        finally:
            watch.stop.set()
            watch.join(5)
        down, up = watch.outage()
        if up is not None:
            events["ready"] = up  # the first query answered, polled every 0.1 s
        moments = {**events, "down": down}
        at = {name: f"+{t - run.began:.1f} s" if t else "never" for name, t in moments.items()}
        print(
            f"PostgreSQL: pg_ctlcluster stop at {at['stop']} (returned at {at['stopped']}), "
            f"queries refused from {at['down']}; start at {at['start']} (returned at "
            f"{at['started']}); queries answered again from {at['ready']}",
            flush=True,
        )

    run = run_load(stack, desk, args, "postgres-restart", fault=restart)
    report_requests(run)
    report_writes(run)
    ok = report_outage(run)
    ok &= verify(run, before)
    ok &= server_check(stack)
    return ok


def report_outage(run: Run) -> bool:
    stop, ready = run.events.get("stop"), run.events.get("ready")
    if stop is None or ready is None:
        print("  FAIL  PostgreSQL did not come back within the run")
        return False
    print(f"Outage: PostgreSQL unavailable for {ready - stop:.1f} s; by stream:")
    ok = True
    print(f"  {'stream':<22}{'failed':>7}  {'how':<44}{'last failure':>14}{'first success':>15}")
    streams = defaultdict(list)
    for record in run.requests:
        name = record[0] if record[0] != "probe" else f"probe {record[1]}"
        streams[name].append(record)
    outside = []
    for name, records in sorted(streams.items()):
        failed = [r for r in records if not is_ok(r[4])]
        outside += [r for r in failed if r[3] < stop or r[2] > ready + 30]
        how = Counter(f"{r[4]} {r[5]}".strip() for r in failed)
        last = max((r[3] for r in failed), default=None)
        first_ok = min((r[3] for r in records if is_ok(r[4]) and r[2] >= ready), default=None)
        how = ", ".join(f"{what} ×{n}" for what, n in how.items())
        print(
            f"  {name:<22}{len(failed):>7}  {how[:44]:<44}"
            f"{_after(last, ready):>14}{_after(first_ok, ready):>15}"
        )
    print("  second (from the stop)   answered: editors+probes ok / failed    readers ok / failed")
    first, last_second = int(stop - run.began) - 1, int(ready - run.began) + 3
    for second in range(first, last_second + 1):
        bucket = [r for r in run.requests if int(r[3] - run.began) == second]
        counts = Counter((r[0] == "reader", is_ok(r[4])) for r in bucket)
        print(
            f"  {second - (stop - run.began):>+8.1f} s{'':<16}{counts[False, True]:>12} /"
            f" {counts[False, False]:<18}{counts[True, True]:>8} / {counts[True, False]}"
        )
    failures = [r for r in run.requests if not is_ok(r[4])]
    hangs = [r for r in failures if r[4] == "timeout"]
    resets = [r for r in failures if r[4] in ("connection reset", "closed without answer")]
    bare = [r for r in failures if isinstance(r[4], int) and r[5] != "error page"]
    last = max((r[3] for r in failures), default=ready)
    recovered = max(0.0, last - ready)
    checks = [
        ("no request hung until the client timeout", not hangs, f"{len(hangs)} timed out"),
        ("no connection was reset or closed without an answer", not resets, f"{len(resets)}"),
        ("every 5xx is the site's error page", not bare, f"{len(bare)} other 5xx bodies"),
        ("no failure outside the outage (+30 s)", not outside, f"{len(outside)}"),
        (
            f"requests succeed again {recovered:.1f} s after PostgreSQL answers (goal < 5 s)",
            recovered < 5,
            "",
        ),
    ]
    for name, passed, detail in checks:
        ok &= passed
        print(f"  {'PASS' if passed else 'FAIL'}  {name}" + (f": {detail}" if not passed else ""))
    return ok


def _after(moment, reference) -> str:
    return "-" if moment is None else f"{moment - reference:+.2f} s"


def tiny_png() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (64, 48), (180, 40, 40))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def scenario_media_unwritable(stack, desk, args) -> bool:
    from reversion.models import Version

    from articles.models import Article

    print("\n== media-unwritable: a lead image and a dek edit while the media volume is a file ==")
    _close_connections()
    number = next(n for n in range(len(desk.users)) if n not in desk.shared)
    article_id = desk.articles[number]
    editor = StaffClient(stack.port, timeout=CLIENT_TIMEOUT)
    editor.login(*desk.users[number])
    url = f"/admin/articles/article/{article_id}/change/"
    checks = []

    def check(name, ok, detail=""):
        checks.append(ok)
        print(
            f"  {'PASS' if ok else 'FAIL'}  {name}" + (f": {detail}" if detail and not ok else "")
        )

    def state():
        article = Article.objects.get(pk=article_id)
        revisions = Version.objects.get_for_object_reference(Article, article_id).count()
        return article.dek, article.lead_image.name, article.version, revisions

    def upload(token):
        page = editor.get(url)
        pairs = form_pairs(page.text, form_id="article_form")
        pairs = replace(pairs, "dek", f"{desk.base_dek[article_id]} [{token}]")
        pairs = replace(pairs, "lead_image_alt", "A red rectangle.")
        pairs.append(("_save", "Save"))
        files = [("lead_image", "lead.png", "image/png", tiny_png())]
        began = time.monotonic()
        response = editor.post_form(url, pairs, files)
        return response, time.monotonic() - began

    before = state()
    stack.media_fault(True)
    try:
        print(f"  DJANGO_MEDIA_ROOT is now under a regular file: {stack.media_volume} is a file")
        token = f"LB{os.getpid()}-media-refused"
        response, seconds = upload(token)
        check(
            f"the upload answers 200 with “{STORAGE_TEXT}” ({seconds * 1000:.0f} ms)",
            response.status == 200 and STORAGE_TEXT in response.text,
            f"status {response.status}; {_form_errors(response.text)}",
        )
        after = state()
        check(
            "the article is unchanged (dek, lead image, version, revisions)",
            after == before,
            f"before {before[1:]!r}, after {after[1:]!r}, dek changed: {after[0] != before[0]}",
        )
        check("the dek edit was not saved", token not in after[0])
        healthy = [loadgen.get(stack.port, path)[0] for _, path in READER_PATHS]
        healthy.append(editor.get(url).status)
        check("the server still answers 200 on every page", set(healthy) == {200}, f"{healthy}")
    finally:
        stack.media_fault(False)
    token = f"LB{os.getpid()}-media-stored"
    response, seconds = upload(token)
    after = state()
    stored = bool(after[1]) and (stack.media_root / after[1]).is_file()
    check(
        f"control, media writable again: the same upload saves (302, {seconds * 1000:.0f} ms) "
        "and the file is in the media folder",
        response.status == 302 and token in after[0] and stored,
        f"status {response.status}, lead image {after[1]!r}; {_form_errors(response.text)}",
    )
    return all(checks) & server_check(stack)


SCENARIOS = {
    "load": scenario_load,
    "postgres-restart": scenario_postgres_restart,
    "media-unwritable": scenario_media_unwritable,
}


def main() -> int:
    args = parse_args()
    scenarios = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    loads = sum(1 for name in scenarios if name != "media-unwritable")
    budget = int(150 + loads * (args.seconds + 60) + 60)

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    def over_budget(signum, frame):
        raise Budget(f"The run went past its budget of {budget} s.")

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGALRM, over_budget)
    signal.alarm(budget)
    print(
        f"{os.cpu_count()} CPU cores shared by server and clients; load average "
        f"{os.getloadavg()[0]:.2f}; time budget {budget} s",
        flush=True,
    )
    stack = Stack(args)
    results = {}
    try:
        stack.build()
        desk = prepare_desk(args.editors, args.seed)
        stack.start_server()
        for name in scenarios:
            results[name] = SCENARIOS[name](stack, desk, args)
    except KeyboardInterrupt:
        print("\nInterrupted: cleaning up.", flush=True)
    except Budget as error:
        print(f"\n{error} Cleaning up.", flush=True)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # let the cleanup finish
        stack.close()
        signal.signal(signal.SIGINT, signal.default_int_handler)
    print("\nSummary: " + ", ".join(f"{k} {'PASS' if v else 'FAIL'}" for k, v in results.items()))
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    return 0 if results and all(results.values()) and len(results) == len(scenarios) else 1


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
