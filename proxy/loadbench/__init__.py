"""Load and speed: Declutter under gunicorn beside a trivial endpoint; misses; extraction.

Usage::

    python -m proxy.loadbench [--duration 60] [--connections 64] [--quick]
                              [--dataset DIR [--limit N]]

Workflow, every step on loopback only, each bounded and stopping by itself:

1. A local upstream (upstream.py, a thread in this process) serves one small article at any
   path and counts the requests it gets per path. DECLUTTER_ALLOW_NETWORKS=127.0.0.1/32 lets
   Declutter fetch from it, as in the tests.
2. Declutter runs under gunicorn with deploy/gunicorn.conf.py (server.py; its embedded Redis, as
   a default install has it); the rate limits are raised so that the load generator is not refused.
3. Cache hits: wrk on one cached article's reader page, then on trivial.py (Flask returning the
   same bytes, same gunicorn settings), then on the article again with its ETag (304s). Each run
   follows a few unrecorded seconds of the same load, so that workers still starting are not
   charged to it. Beside wrk's figures, the server's CPU per request (cpu.py), which other load on
   the box hardly moves.
4. Misses: 200 concurrent requests for one uncached URL must cause exactly one upstream fetch; 200
   different uncached URLs at once must all succeed.
5. Extraction, with ``--dataset``: proxy.bench beside readability-lxml and trafilatura (and
   Readability.js where Node has it).

wrk comes from Debian (``sudo apt-get install wrk``). Figures are printed, never asserted: this is a
benchmark, and the exit status only says whether an answer was wrong (an error, a second fetch).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

from . import cpu, trivial, upstream
from .server import CONF, Server, get, gunicorn

# wrk's cache-hit runs: the 64 connections for 60 s; --quick for a smoke run.
DURATION = 60
QUICK_DURATION = 10
CONNECTIONS = 64
WRK_THREADS = 2  # one per core of a small box; wrk itself competes with the server for them
WRK_TIMEOUT = "10s"  # an answer slower than this counts as an error (wrk's default is 2 s)
# Seconds of the same load before each recorded run, unrecorded: gunicorn answers as soon as one
# worker is up while the others still import lxml and readability, and every worker's first hits
# fill its memos (hot article, rendered page, headers). Both endpoints get the same.
WARMUP = 3
MISSES = 200  # concurrent requests in each miss test
TARGET_SHARE = 0.8  # Declutter's hit throughput as a share of the trivial endpoint's (issue 6)
WRK_MISSING = "wrk is not installed: sudo apt-get install wrk"
# The extractors proxy.bench runs beside Declutter (readabilityjs only where Node has it installed).
COMPARE = "readability,trafilatura,readabilityjs"
# wrk's own summary as numbers (latency in microseconds), read by ``_parse_wrk``.
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %d\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class Load:
    """One load run: requests sent, seconds taken, errors, latency percentiles."""

    name: str
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float
    cpu_ms: float | None = None  # the server's CPU per request (workers, master, embedded Redis)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def row(self) -> str:
        cpu_ms = "" if self.cpu_ms is None else f"{self.cpu_ms:>12.2f}"
        return (f"{self.name:<38}{self.rate:>10.1f}{self.p50_ms:>9.1f}{self.p99_ms:>9.1f}"
                f"{self.errors:>8}{cpu_ms}")


# --- cache hits with wrk --------------------------------------------------------------------------


def wrk(name: str, server: Server, path: str, args: argparse.Namespace,
        headers: dict[str, str] | None = None) -> Load:
    """Run wrk on one URL of ``server``; its summary and the server's CPU per request."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_REPORT)
        script.flush()
        command = ["wrk", f"-t{WRK_THREADS}", f"-c{args.connections}", f"--timeout={WRK_TIMEOUT}",
                   "-s", script.name]
        for header, value in (headers or {}).items():
            command += ["-H", f"{header}: {value}"]
        command.append(server.base + path)
        subprocess.run(command + [f"-d{WARMUP}s"], capture_output=True, check=True)
        spent = cpu.tree_seconds(server.pid)
        output = subprocess.run(command + [f"-d{args.duration}s"], capture_output=True, text=True,
                                check=True).stdout
        spent = cpu.tree_seconds(server.pid) - spent
    load = _parse_wrk(name, output)
    return replace(load, cpu_ms=spent * 1000 / load.requests if load.requests else None)


def _parse_wrk(name: str, output: str) -> Load:
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    requests, micros, errors, p50, p99 = (int(part) for part in line.split()[1:])
    return Load(name, requests, micros / 1e6, errors, p50 / 1000, p99 / 1000)


def cache_hits(server: Server, article_url: str, args: argparse.Namespace,
               data_dir: Path) -> list[Load]:
    """Declutter's cached reader page, the trivial endpoint with its bytes, and the 304 path."""
    page = f"/read?url={quote(article_url, safe='')}"
    get(server.base + page)  # the miss that fills the cache
    status, headers, body = get(server.base + page)
    if status != 200 or headers.get("X-Cache") != "HIT":
        raise SystemExit(f"the article is not served from the cache: {status} "
                         f"{headers.get('X-Cache')}")
    rows = [wrk("declutter /read (cache hit)", server, page, args)]
    body_file = data_dir / "body"
    body_file.write_bytes(body)
    env = {trivial.BODY_ENV: str(body_file), trivial.TYPE_ENV: headers["Content-Type"],
           "DECLUTTER_DATA_DIR": str(data_dir / "trivial")}
    with gunicorn("proxy.loadbench.trivial:create_app()", env, "/") as reference:
        rows.append(wrk("trivial Flask, same bytes", reference, "/", args))
    revalidate = {"If-None-Match": headers["ETag"]}
    rows.append(wrk("declutter /read, If-None-Match (304)", server, page, args, revalidate))
    return rows


# --- misses -------------------------------------------------------------------------------------


def concurrently(urls: list[str]) -> tuple[list[tuple[int, float]], float]:
    """GET every URL at once; each answer's status and seconds, and the wall time of all."""

    def timed(url: str) -> tuple[int, float]:
        started = time.perf_counter()
        try:
            status = get(url)[0]
        except OSError:
            status = 0
        return status, time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(urls)) as pool:
        answers = list(pool.map(timed, urls))
    return answers, time.perf_counter() - started


def _load(name: str, answers: list[tuple[int, float]], seconds: float) -> Load:
    millis = sorted(elapsed * 1000 for _, elapsed in answers)
    p99 = millis[min(len(millis) - 1, int(len(millis) * 0.99))]
    errors = sum(status != 200 for status, _ in answers)
    return Load(name, len(answers), seconds, errors, statistics.median(millis), p99)


def misses(base: str, origin: upstream.Upstream) -> tuple[list[Load], int]:
    """200 readers of one uncached URL (and the fetches they cause), then 200 different URLs."""
    api = f"{base}/api/v1/article?url="
    one = [api + quote(origin.url("/one"), safe="")] * MISSES
    answers, seconds = concurrently(one)
    rows = [_load(f"{MISSES} x one uncached URL", answers, seconds)]
    many = [api + quote(origin.url(f"/many/{n}"), safe="") for n in range(MISSES)]
    answers, seconds = concurrently(many)
    rows.append(_load(f"{MISSES} different uncached URLs", answers, seconds))
    return rows, origin.hits["/one"]


# --- the command ----------------------------------------------------------------------------------


def report(hits: list[Load], missed: list[Load], fetches: int,
           args: argparse.Namespace) -> Iterator[str]:
    """The figures side by side, and the checks that make the exit status."""
    header = f"{'':<38}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
    cpu_header = f"{header}{'CPU ms/req':>12}"
    yield (f"cache hits: wrk, {args.connections} connections, {args.duration} s each, "
           f"gunicorn with deploy/{CONF.name}")
    yield cpu_header
    yield from (row.row() for row in hits)
    share = hits[0].rate / hits[1].rate if hits[1].rate else 0.0
    yield f"declutter / trivial throughput: {share:.0%} (target >= {TARGET_SHARE:.0%})"
    if hits[0].cpu_ms and hits[1].cpu_ms:
        yield f"trivial / declutter server CPU per request: {hits[1].cpu_ms / hits[0].cpu_ms:.0%}"
    yield f"misses: {MISSES} concurrent requests each"
    yield header
    yield from (row.row() for row in missed)
    yield f"upstream fetches for the one uncached URL: {fetches} (want 1)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m proxy.loadbench",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=DURATION, help="seconds of each wrk run")
    parser.add_argument("--quick", action="store_const", const=QUICK_DURATION, dest="duration",
                        help=f"{QUICK_DURATION} s wrk runs")
    parser.add_argument("--connections", type=int, default=CONNECTIONS)
    parser.add_argument("--dataset", type=Path, help="also run proxy.bench on this dataset")
    parser.add_argument("--limit", type=int, help="with --dataset: only the first N pages")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        parser.exit(2, WRK_MISSING + "\n")
    with tempfile.TemporaryDirectory(prefix="declutter-loadbench-") as tmp, \
            upstream.serving() as origin:
        env = {"DECLUTTER_DATA_DIR": str(Path(tmp) / "app")}
        with gunicorn("proxy:create_app()", env, "/healthz") as server:
            hits = cache_hits(server, origin.url("/hit"), args, Path(tmp))
            missed, fetches = misses(server.base, origin)
    for line in report(hits, missed, fetches, args):
        print(line, flush=True)
    failed = fetches != 1 or any(row.errors for row in hits + missed)
    if args.dataset:
        failed |= extraction(args.dataset, args.limit) != 0
    return 1 if failed else 0


def extraction(dataset: Path, limit: int | None) -> int:
    """proxy.bench on the dataset: Declutter beside readability-lxml and trafilatura, same run."""
    from .. import bench

    print(f"extraction: {dataset}", flush=True)
    return bench.main([str(dataset), "--compare", COMPARE]
                      + ([f"--limit={limit}"] if limit else []))

