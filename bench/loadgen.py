"""Bounded HTTP load against a loopback server: wrk when installed, else a Python fallback.

Both run for a fixed time with a fixed number of connections and report requests per second
and latency percentiles. wrk (Debian's ``wrk`` package) is the measure to trust: the Python
fallback shares the machine's cores with the server and the interpreter's lock with itself,
so it understates what the server can do, more so the faster the page.
"""

import http.client
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
MAX_REQUESTS = 2_000_000  # a ceiling on any one run, whatever its duration
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d errors=%d status=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status))
end
"""
REPORT_LINE = re.compile(r"^BENCH (.*)$", re.MULTILINE)


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int  # connection errors and timeouts
    bad_status: int  # responses other than 2xx and 3xx

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def stop_process(process: subprocess.Popen | None) -> None:
    """Stop a server the way its supervisor would: TERM, then KILL if it will not go."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def wrk_path() -> str | None:
    return shutil.which("wrk")


def get(port: int, path: str, timeout: float = 10.0) -> tuple[int, dict, bytes]:
    """One GET without cookies: the status, the headers and the body."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def run(port: int, path: str, duration: float, connections: int, use_wrk: bool) -> Result:
    if use_wrk:
        return run_wrk(port, path, duration, connections)
    return run_python(port, path, duration, connections)


def run_wrk(port: int, path: str, duration: float, connections: int) -> Result:
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder, "report.lua")
        script.write_text(WRK_REPORT)
        command = [
            wrk_path(),
            f"--threads={min(2, connections)}",
            f"--connections={connections}",
            f"--duration={max(1, round(duration))}s",
            "--timeout=5s",
            f"--script={script}",
            f"http://{HOST}:{port}{path}",
        ]
        finished = subprocess.run(
            command, capture_output=True, text=True, timeout=duration + 30, check=True
        )
    match = REPORT_LINE.search(finished.stdout)
    if match is None:
        raise RuntimeError(f"wrk printed no report:\n{finished.stdout}\n{finished.stderr}")
    figures = dict(pair.split("=") for pair in match.group(1).split())
    return Result(
        requests=int(figures["requests"]),
        seconds=int(figures["duration_us"]) / 1e6,
        p50_ms=int(figures["p50_us"]) / 1000,
        p95_ms=int(figures["p95_us"]) / 1000,
        p99_ms=int(figures["p99_us"]) / 1000,
        errors=int(figures["errors"]),
        bad_status=int(figures["status"]),
    )


def run_python(port: int, path: str, duration: float, connections: int) -> Result:
    """The fallback: one thread per connection, each reusing its connection when it may."""
    deadline = time.perf_counter() + duration
    lock = threading.Lock()
    latencies: list[float] = []
    counts = {"errors": 0, "bad_status": 0}

    def client():
        mine, errors, bad = [], 0, 0
        connection = http.client.HTTPConnection(HOST, port, timeout=5)
        while time.perf_counter() < deadline and len(mine) < MAX_REQUESTS // connections:
            began = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                time.sleep(0.01)  # a refused connection must not spin the client
                continue
            mine.append(time.perf_counter() - began)
            bad += not 200 <= response.status < 400
        connection.close()
        with lock:
            latencies.extend(mine)
            counts["errors"] += errors
            counts["bad_status"] += bad

    began = time.perf_counter()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 30)
    seconds = time.perf_counter() - began
    latencies.sort()
    return Result(
        requests=len(latencies),
        seconds=seconds,
        p50_ms=_percentile(latencies, 50) * 1000,
        p95_ms=_percentile(latencies, 95) * 1000,
        p99_ms=_percentile(latencies, 99) * 1000,
        errors=counts["errors"],
        bad_status=counts["bad_status"],
    )


def _percentile(ordered: list[float], percent: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(len(ordered) * percent / 100))]
