"""How fast the public site serves readers: run ``.venv/bin/python bench/serve.py`` from the root.

Builds a synthetic newsroom in a SQLite file of its own under the system's temporary folder
(``generate_newsroom``; never the project's db.sqlite3 or staticfiles/), serves it with gunicorn
as production does (DEBUG off, whitenoise, two workers) on a free loopback port, and loads each
page for a fixed time with a fixed number of connections: the Foote article with the page cache
off and on, the search page, a person page, and a static file as large as the article page,
the ceiling the same stack reaches. Query counts per page are measured in this process with
Django's test client. It prints figures and PASS/FAIL against the goals; it is not a test.
"""

import argparse
import cProfile
import os
import pstats
import secrets
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loadgen  # noqa: E402

ARTICLE = "/articles/us-envoy-to-haiti-resigns-over-inhumane-deportations/"
SEARCH = "/articles/?q=haiti"
PERSON = "/people/daniel-foote/"
STATIC_COPY = "bench/article-page.html"  # the article page's bytes, served as a static file
STATIC = f"/static/{STATIC_COPY}"
PAGES = {"article": ARTICLE, "search": SEARCH, "person": PERSON}
SEARCH_GOAL = ("p95 < 50 ms", lambda result: result.p95_ms < 50)
# label, path, page cache on, connections (None: --connections), goal as (description, test)
TARGETS = [
    ("(e) static copy of article", STATIC, False, None, None),
    ("(a) article, uncached", ARTICLE, False, None, ("≥ 800 req/s", lambda r: r.per_second >= 800)),
    ("(c) search ?q=haiti", SEARCH, False, None, SEARCH_GOAL),
    # Saturated, latency is mostly queueing (connections / throughput); alone, it is the page's.
    ("(c) search, 1 connection", SEARCH, False, 1, SEARCH_GOAL),
    ("(d) person daniel-foote", PERSON, False, None, None),
    ("(e) static copy of article", STATIC, True, None, None),
    ("(b) article, cached", ARTICLE, True, None, ("≥ 3,000 req/s", lambda r: r.per_second >= 3000)),
    ("    search, cached", SEARCH, True, None, None),
    ("    person, cached", PERSON, True, None, None),
]
WARM_REQUESTS = 20


def main() -> None:
    args = parse_args()
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"newsroom-{args.articles}a-{args.people}p-{args.annotations}n-seed{args.seed}"
    database = folder / f"{name}.sqlite3"
    env = environment(database, folder / "staticfiles")
    prepare(args, database, env)
    pages = measure_in_process(env, args.profile)
    if pages["article"]["status"] != 200:
        sys.exit(f"The Foote article answered {pages['article']['status']}: nothing to measure.")
    (folder / "staticfiles" / STATIC_COPY).parent.mkdir(parents=True, exist_ok=True)
    (folder / "staticfiles" / STATIC_COPY).write_bytes(pages["article"]["content"])
    use_wrk = loadgen.wrk_path() is not None and not args.python_client
    print(f"\nLoad: {load_description(args, use_wrk)}", flush=True)
    results = {}
    for cached in (False, True):
        targets = [target for target in TARGETS if target[2] == cached]
        log = folder / f"gunicorn-{'cached' if cached else 'uncached'}.log"
        with Server(env, cached, args, log) as server:
            for label, path, _, connections, _ in targets:
                connections = connections or args.connections
                results[label, cached] = load(server.port, path, cached, connections, args, use_wrk)
    print_table(results)
    print(
        f"load average (1, 5, 15 min) at the end: {'  '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


def load_description(args, use_wrk: bool) -> str:
    if use_wrk:
        client = f"wrk ({loadgen.wrk_path()})"
    else:
        client = "FALLBACK Python client (threads, http.client): understates fast pages"
        if loadgen.wrk_path() is None:
            client += "; install wrk for real figures: apt-get install wrk"
    rounds = f", best of {args.rounds} rounds" if args.rounds > 1 else ""
    return (
        f"{client}; {args.connections} connections, {args.duration:g} s per page{rounds}; "
        f"gunicorn --workers={args.workers} {args.gunicorn_args or '(sync worker)'}; "
        f"{os.cpu_count()} CPU cores shared by server and client; load average before: "
        f"{os.getloadavg()[0]:.2f}"
    )


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--annotations", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument(
        "--reuse", action="store_true", help="Reuse the database of an earlier run of this size."
    )
    parser.add_argument("--duration", type=float, default=10.0, help="Seconds per page.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="Load each page this many times and keep the fastest round (for a busy machine).",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--gunicorn-args",
        default="",
        help='More gunicorn options to try, e.g. "--worker-class gthread --threads 4".',
    )
    parser.add_argument(
        "--python-client", action="store_true", help="Use the Python client even if wrk is here."
    )
    parser.add_argument(
        "--profile", action="store_true", help="Print where each page's time goes (cProfile)."
    )
    parser.add_argument(
        "--dir",
        default=str(Path(tempfile.gettempdir()) / "newsroom-bench"),
        help="Where the database, static files and server logs go.",
    )
    args = parser.parse_args()
    if not (0 < args.duration <= 600 and 1 <= args.connections <= 1000 and 1 <= args.rounds <= 10):
        parser.error("Give 0 < --duration <= 600, 1 to 1000 --connections, 1 to 10 --rounds.")
    if any(part.startswith(("-b", "--bind")) for part in shlex.split(args.gunicorn_args)):
        parser.error("The bench binds gunicorn to a free loopback port itself: drop --bind.")
    return args


def environment(database: Path, static_root: Path) -> dict:
    """Production settings against the bench's own database, static root and a fresh key."""
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_LOG_LEVEL="WARNING",
        # Plain HTTP on loopback, as from a proxy that ends TLS: no redirect to https.
        DJANGO_SECURE_SSL_REDIRECT="0",
    )
    return env


def manage(env: dict, *arguments: str) -> None:
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True)


def prepare(args, database: Path, env: dict) -> None:
    fresh = not (args.reuse and database.exists())
    if fresh:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    print(f"Database: {database} ({'new' if fresh else 'reused'})", flush=True)
    manage(env, "migrate", "--noinput", "--verbosity=0")
    if fresh:
        began = time.perf_counter()
        manage(
            env,
            "generate_newsroom",
            f"--articles={args.articles}",
            f"--people={args.people}",
            f"--annotations={args.annotations}",
            f"--seed={args.seed}",
        )
        print(f"generate_newsroom took {time.perf_counter() - began:.1f} s", flush=True)
    manage(env, "collectstatic", "--noinput", "--verbosity=0")


def measure_in_process(env: dict, profile: bool) -> dict:
    """Status, size, SQL queries and view time of each page, page cache off, in this process."""
    os.environ.update(env, NEWSROOM_PAGE_CACHE="0", DJANGO_SETTINGS_MODULE="newsroom.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    client = Client()
    pages = {}
    print(f"\n{'page (in process, cache off)':<30}{'status':>7}{'bytes':>9}{'queries':>9}"
          f"{'SQL ms':>9}{'view ms':>9}  slowest query")  # fmt: skip
    for name, path in PAGES.items():
        client.get(path)
        timings = []
        for _ in range(5):
            began = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            timings.append((time.perf_counter() - began) * 1000)
        sql_ms = sum(float(query["time"]) for query in queries.captured_queries) * 1000
        slowest = max(queries.captured_queries, key=lambda q: float(q["time"]), default=None)
        hint = f"{float(slowest['time']) * 1000:.1f} ms {slowest['sql'][:70]}" if slowest else ""
        pages[name] = {"status": response.status_code, "content": response.content}
        print(
            f"{name + ' ' + path:<30.30}{response.status_code:>7}{len(response.content):>9,}"
            f"{len(queries):>9}{sql_ms:>9.1f}{statistics.median(timings):>9.1f}  {hint}"
        )
        if profile and response.status_code == 200:
            print_profile(client, path)
    connection.close()
    return pages


def print_profile(client, path: str) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        client.get(path)
    profiler.disable()
    print(f"  where {path} spends its time over 20 requests: the project's functions, then all")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(rf"{ROOT}/(articles|people|newsroom)/", 6)
    stats.sort_stats("tottime").print_stats(6)


class Server:
    """gunicorn as production runs it, on a free loopback port; always stopped on leaving."""

    def __init__(self, env: dict, cached: bool, args, log: Path):
        self.env = {**env, "NEWSROOM_PAGE_CACHE": "1" if cached else "0"}
        self.options = [f"--workers={args.workers}", *shlex.split(args.gunicorn_args)]
        self.log = log
        self.port = free_port()
        self.process = None

    def __enter__(self):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [
            str(gunicorn),
            "newsroom.wsgi",
            f"--bind=127.0.0.1:{self.port}",
            *self.options,
        ]
        with self.log.open("wb") as log:
            # A session of its own, so that Ctrl-C reaches this script, which then stops it.
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def _wait_until_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}:\n{self.log.read_text()}")
            try:
                loadgen.get(self.port, "/", timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s; see {self.log}")

    def stop(self) -> None:
        loadgen.stop_process(self.process)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load(port: int, path: str, cached: bool, connections: int, args, use_wrk: bool):
    """Warm the page up, then load it; what went wrong is returned instead, as a sentence.

    The first request waits long: the previous page's load may have left requests queued.
    """
    for attempt in range(WARM_REQUESTS):
        try:
            status, headers, _ = loadgen.get(port, path, timeout=120 if attempt == 0 else 30)
        except OSError as error:
            return f"no answer ({error.__class__.__name__})"
        if status != 200:
            return f"answered {status}"
    if cached and not path.startswith("/static/") and headers.get("X-Cache") != "hit":
        print(f"  note: {path} is not served from the page cache (no X-Cache: hit)")
    try:
        rounds = [
            loadgen.run(port, path, args.duration, connections, use_wrk) for _ in range(args.rounds)
        ]
    except (subprocess.SubprocessError, RuntimeError) as error:
        return f"load failed: {error}"[:58]
    return max(rounds, key=lambda result: result.per_second)


def print_table(results: dict) -> None:
    static = {cached: results[TARGETS[0][0], cached] for cached in (False, True)}
    print(
        f"\n{'page':<28}{'cache':>7}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'×static':>9}{'errors':>8}  goal"
    )
    for label, _, cached, _, goal in TARGETS:
        result = results[label, cached]
        cache = "on" if cached else "off"
        if isinstance(result, str):
            verdict = "MISSING (not built yet)" if result == "answered 404" else "FAIL"
            print(f"{label:<28}{cache:>7}  {result:<58}  {verdict}")
            continue
        ratio = ""
        if isinstance(static[cached], loadgen.Result) and static[cached].per_second:
            ratio = f"{result.per_second / static[cached].per_second:.2f}"
        verdict = ""
        if goal:
            verdict = f"{goal[0]}: {'PASS' if goal[1](result) else 'FAIL'}"
        print(
            f"{label:<28}{cache:>7}{result.per_second:>9,.0f}{result.p50_ms:>9.1f}"
            f"{result.p95_ms:>9.1f}{result.p99_ms:>9.1f}{ratio:>9}"
            f"{result.errors + result.bad_status:>8}  {verdict}"
        )


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("Interrupted; gunicorn has been stopped.")
