"""Load and speed: Declutter under gunicorn beside a trivial endpoint; misses; extraction.

Usage::

    python -m proxy.bench.load [--duration 60] [--connections 64] [--quick]
                              [--dataset DIR [--limit N]]

Workflow, every step on loopback only, each bounded and stopping by itself:

1. A local upstream (upstream.py, a thread in this process) serves one small article at any
   path and counts the requests it gets per path. DECLUTTER_ALLOW_NETWORKS=127.0.0.1/32 lets
   Declutter fetch from it, as in the tests.
2. Declutter runs under gunicorn with deploy/gunicorn.conf.py (server.py; its embedded Redis, as
   a default install has it); the rate limits are raised so that the load generator is not refused.
3. Cache hits: wrk on one cached article's reader page, on trivial.py (Flask returning the same
   bytes, same gunicorn settings, alive at the same time) and on the article with its ETag (304s),
   in slices taken in turn (``interleaved``), so that the machine's drift falls on all three
   alike; each first gets a few unrecorded seconds of the same load. Beside wrk's figures, the
   server's CPU per request (cpu.py), which other load on the box hardly moves.
4. Misses: 200 concurrent requests for one uncached URL must cause exactly one upstream fetch; 200
   different uncached URLs at once must all succeed.
5. Feeds (feedrun.py): a 10-item feed cold and warm, and 304 polls beside article hits.
6. Extraction, with ``--dataset``: proxy.bench beside readability-lxml and trafilatura (and
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
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from proxy.bench.load import cpu, trivial, upstream
from proxy.bench.load.server import CONF, Server, get, gunicorn

# wrk's cache-hit runs: the 64 connections for 60 s; --quick for a smoke run.
DURATION = 60
QUICK_DURATION = 10
CONNECTIONS = 64
WRK_THREADS = 2  # one per core of a small box; wrk itself competes with the server for them
WRK_TIMEOUT = "10s"  # an answer slower than this counts as an error (wrk's default is 2 s)
# Each target's seconds are taken in slices of about this length, in turn with the others.
SLICE_SECONDS = 10
# Seconds of unrecorded load on each target first: gunicorn answers as soon as one worker is up
# while the others still start, and every worker's first hits fill its memos (hot article,
# rendered page, headers). Every target gets the same.
WARMUP = 3
MISSES = 200  # concurrent requests in each miss test
TARGET_SHARE = 0.8  # Declutter's hit throughput as a share of the trivial endpoint's (issue 6)
WRK_MISSING = "wrk is not installed: sudo apt-get install wrk"
# The extractors proxy.bench runs beside Declutter (readabilityjs only where Node has it installed).
COMPARE = "readability,trafilatura,readabilityjs"
# Latency quantiles each slice reports, in percent: the midpoints of 1000 equal shares, so that
# slices can be pooled into one distribution (``merged``).
QUANTILES = tuple((n + 0.5) / 10 for n in range(1000))
# wrk's own summary as numbers (latency in microseconds), read by ``_parse_wrk``.
WRK_REPORT = (
    """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout))
  for _, p in ipairs({"""
    + ", ".join(f"{q:g}" for q in QUANTILES)
    + """}) do
    io.write(string.format(" %d", latency:percentile(p)))
  end
  io.write("\\n")
end
"""
)


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
        return (
            f"{self.name:<38}{self.rate:>10.1f}{self.p50_ms:>9.1f}{self.p99_ms:>9.1f}"
            f"{self.errors:>8}{cpu_ms}"
        )


# --- cache hits with wrk --------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One URL to load: what the report calls it, its server, its path and request headers."""

    name: str
    server: Server
    path: str
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Slice:
    """One wrk run on one target: its counts, its latency quantiles, the server's CPU seconds."""

    requests: int
    seconds: float
    errors: int
    quantiles: tuple[float, ...]  # latency in ms at each of QUANTILES
    cpu_seconds: float


def wrk(target: Target, seconds: int, connections: int) -> Slice:
    """Run wrk on ``target`` for ``seconds``; its counts and quantiles, the server's CPU."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_REPORT)
        script.flush()
        command = [
            "wrk",
            f"-t{WRK_THREADS}",
            f"-c{connections}",
            f"--timeout={WRK_TIMEOUT}",
            f"-d{seconds}s",
            "-s",
            script.name,
        ]
        for header, value in target.headers:
            command += ["-H", f"{header}: {value}"]
        spent = cpu.tree_seconds(target.server.pid)
        output = subprocess.run(
            command + [target.server.base + target.path], capture_output=True, text=True, check=True
        ).stdout
        spent = cpu.tree_seconds(target.server.pid) - spent
    return _parse_wrk(output, spent)


def _parse_wrk(output: str, cpu_seconds: float) -> Slice:
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    requests, micros, errors, *quantiles = (int(part) for part in line.split()[1:])
    return Slice(requests, micros / 1e6, errors, tuple(q / 1000 for q in quantiles), cpu_seconds)


def interleaved(targets: list[Target], duration: int, connections: int) -> list[Load]:
    """Each target loaded for ``duration`` seconds in all, in slices taken in turn.

    The machine's speed drifts over minutes (other tenants, heat, memory), and a run of one target
    after the other charges the drift to whichever came second. Slices taken in turn, the order
    reversed every round (A B C, C B A, A B C...), give every target the same share of each stretch
    of time; one unrecorded slice each first lets every worker start and fill its memos.
    """
    rounds, seconds = slicing(duration)
    for target in targets:
        wrk(target, WARMUP, connections)
    slices: dict[str, list[Slice]] = {target.name: [] for target in targets}
    for number in range(rounds):
        for target in targets if number % 2 == 0 else reversed(targets):
            slices[target.name].append(wrk(target, seconds, connections))
    return [merged(name, parts) for name, parts in slices.items()]


def slicing(duration: int) -> tuple[int, int]:
    """How ``duration`` seconds of load are cut: rounds (at least two) and seconds a slice."""
    rounds = max(2, duration // SLICE_SECONDS)
    return rounds, max(1, duration // rounds)


def merged(name: str, parts: list[Slice]) -> Load:
    """One Load from the slices of a target: counts summed, latency quantiles pooled by weight.

    Each slice's quantiles stand for equal shares of its requests, so the pooled distribution
    weighs each by that slice's request count.
    """
    requests = sum(part.requests for part in parts)
    pooled = sorted(
        (latency, part.requests / len(part.quantiles))
        for part in parts
        for latency in part.quantiles
    )

    def percentile(share: float) -> float:
        seen = 0.0
        for latency, weight in pooled:
            seen += weight
            if seen >= share * requests:
                return latency
        return pooled[-1][0] if pooled else 0.0

    cpu_seconds = sum(part.cpu_seconds for part in parts)
    return Load(
        name,
        requests,
        sum(part.seconds for part in parts),
        sum(part.errors for part in parts),
        percentile(0.50),
        percentile(0.99),
        cpu_seconds * 1000 / requests if requests else None,
    )


def cache_hits(
    server: Server, article_url: str, args: argparse.Namespace, data_dir: Path
) -> list[Load]:
    """Declutter's cached reader page, the trivial endpoint with its bytes, and the 304 path."""
    page = f"/read?url={quote(article_url, safe='')}"
    get(server.base + page)  # the miss that fills the cache
    status, headers, body = get(server.base + page)
    if status != 200 or headers.get("X-Cache") != "HIT":
        raise SystemExit(
            f"the article is not served from the cache: {status} {headers.get('X-Cache')}"
        )
    body_file = data_dir / "body"
    body_file.write_bytes(body)
    env = {
        trivial.BODY_ENV: str(body_file),
        trivial.TYPE_ENV: headers["Content-Type"],
        "DECLUTTER_DATA_DIR": str(data_dir / "trivial"),
    }
    with gunicorn("proxy.bench.load.trivial:create_app()", env, "/") as reference:
        return interleaved(
            [
                Target("declutter /read (cache hit)", server, page),
                Target("trivial Flask, same bytes", reference, "/"),
                Target(
                    "declutter /read, If-None-Match (304)",
                    server,
                    page,
                    (("If-None-Match", headers["ETag"]),),
                ),
            ],
            args.duration,
            args.connections,
        )


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


def report(
    hits: list[Load], missed: list[Load], fetches: int, args: argparse.Namespace
) -> Iterator[str]:
    """The figures side by side, and the checks that make the exit status."""
    header = f"{'':<38}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
    cpu_header = f"{header}{'CPU ms/req':>12}"
    rounds, seconds = slicing(args.duration)
    yield (
        f"cache hits: wrk, {args.connections} connections, {rounds} slices of {seconds} s each, "
        f"taken in turn, gunicorn with deploy/{CONF.name}"
    )
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
    parser = argparse.ArgumentParser(
        prog="python -m proxy.bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--duration", type=int, default=DURATION, help="seconds of each wrk run")
    parser.add_argument(
        "--quick",
        action="store_const",
        const=QUICK_DURATION,
        dest="duration",
        help=f"{QUICK_DURATION} s wrk runs",
    )
    parser.add_argument("--connections", type=int, default=CONNECTIONS)
    parser.add_argument("--dataset", type=Path, help="also run proxy.bench on this dataset")
    parser.add_argument("--limit", type=int, help="with --dataset: only the first N pages")
    parser.add_argument("--feeds-only", action="store_true", help="only the feed run (feedrun.py)")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        parser.exit(2, WRK_MISSING + "\n")
    with (
        tempfile.TemporaryDirectory(prefix="declutter-loadbench-") as tmp,
        upstream.serving() as origin,
    ):
        env = {"DECLUTTER_DATA_DIR": str(Path(tmp) / "app")}
        with gunicorn("proxy:create_app()", env, "/healthz") as server:
            if args.feeds_only:
                return feed_report(server, args)
            hits = cache_hits(server, origin.url("/hit"), args, Path(tmp))
            missed, fetches = misses(server.base, origin)
            failed = feed_report(server, args) != 0
    for line in report(hits, missed, fetches, args):
        print(line, flush=True)
    failed |= fetches != 1 or any(row.errors for row in hits + missed)
    if args.dataset:
        failed |= extraction(args.dataset, args.limit) != 0
    return 1 if failed else 0


def feed_report(server: Server, args: argparse.Namespace) -> int:
    """The feed run (feedrun.py), printed as it ends; 1 when an answer was wrong."""
    from proxy.bench.load import feedrun

    rows, lines, ok = feedrun.run(server, args)
    print(
        f"feeds: wrk, {args.connections} connections\n{'':<38}{'req/s':>10}{'p50 ms':>9}"
        f"{'p99 ms':>9}{'errors':>8}{'CPU ms/req':>12}",
        flush=True,
    )
    print("\n".join([row.row() for row in rows] + lines), flush=True)
    return 0 if ok else 1


def extraction(dataset: Path, limit: int | None) -> int:
    """proxy.bench on the dataset: Declutter beside readability-lxml and trafilatura, same run."""
    from proxy.bench import quality as bench

    print(f"extraction: {dataset}", flush=True)
    return bench.main(
        [str(dataset), "--fresh", "--compare", COMPARE] + ([f"--limit={limit}"] if limit else [])
    )
