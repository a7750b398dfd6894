"""Instructions per request under gunicorn, counted by callgrind: the cache-hit figure noise spares.

Usage::

    python -m proxy.bench.load.instructions [--requests 500]

Requests per second on a shared machine move by 15% from one run to the next; the instructions a
worker executes for a request do not. Each target (Declutter's cached reader page, the trivial
endpoint with the same bytes, the 304) gets a gunicorn of its own under
``valgrind --tool=callgrind`` with deploy/gunicorn.conf.py, one worker, and workers recycled after
``n`` requests. The article is already in the cache (a native run fetched it into the same
embedded Redis, which persists). One keep-alive client then sends ``n + n/5`` requests: the first
worker serves ``n`` and is recycled, the second the last ``n/5`` until gunicorn stops. A worker's
count covers its whole life (fork, import, first hits, requests, exit), so the first's minus the
second's, divided by the ``4n/5`` requests between them, is what one request costs, start-up
cancelled out.

valgrind comes from Debian (``sudo apt-get install valgrind``); a run takes a few minutes.
"""

from __future__ import annotations

import argparse
import http.client
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

from proxy.bench.load import trivial, upstream
from proxy.bench.load.server import CONF, get, gunicorn

REQUESTS = 500  # requests a worker serves before it is recycled
START_SECONDS = 600  # gunicorn under callgrind runs some fifty times slower
VALGRIND_MISSING = "valgrind is not installed: sudo apt-get install valgrind"


def counted(
    app_spec: str,
    env: dict[str, str],
    path: str,
    headers: dict[str, str],
    expect: int,
    requests: int,
    out: Path,
) -> float:
    """Instructions per request for ``path`` of ``app_spec`` (see the module docstring)."""
    out.mkdir()
    callgrind = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/%p"]
    env = {
        **env,
        "WEB_CONCURRENCY": "1",
        "GUNICORN_MAX_REQUESTS": str(requests),
        "GUNICORN_CMD_ARGS": "--max-requests-jitter=0",
    }
    with gunicorn(app_spec, env, None, callgrind, START_SECONDS) as server:
        host = urlsplit(server.base)
        connection = http.client.HTTPConnection(host.netloc, timeout=START_SECONDS)
        for _ in range(requests + requests // 5):
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != expect:
                raise SystemExit(f"{path}: {response.status}, not {expect}")
        connection.close()
    master = str(server.pid)
    workers = sorted(
        (profile for profile in out.iterdir() if profile.name != master),
        key=lambda profile: profile.stat().st_mtime,
    )  # in the order they exited
    if len(workers) != 2:
        raise SystemExit(f"expected two workers' counts, found {len(workers)} in {out}")
    first, second = (total(profile) for profile in workers)
    return (first - second) / (requests - requests // 5)


def total(profile: Path) -> int:
    """The instruction count callgrind wrote for one process."""
    for line in profile.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise SystemExit(f"no totals in {profile}")


def targets(
    origin: upstream.Upstream, data_dir: Path, requests: int
) -> Iterator[tuple[str, float]]:
    """Each target's name and instructions per request."""
    page = f"/read?url={quote(origin.url('/hit'), safe='')}"
    declutter = {"DECLUTTER_DATA_DIR": str(data_dir / "app")}
    with gunicorn("proxy:create_app()", declutter, "/healthz") as server:  # natively: the cache
        status, headers, body = get(server.base + page)  # filled, the page and its ETag read
    if status != 200:
        raise SystemExit(f"the article did not load: {status}")
    (data_dir / "body").write_bytes(body)
    reference = {
        trivial.BODY_ENV: str(data_dir / "body"),
        trivial.TYPE_ENV: headers["Content-Type"],
        "DECLUTTER_DATA_DIR": str(data_dir / "trivial"),
    }
    yield (
        "declutter /read (cache hit)",
        counted("proxy:create_app()", declutter, page, {}, 200, requests, data_dir / "hit"),
    )
    yield (
        "trivial Flask, same bytes",
        counted(
            "proxy.bench.load.trivial:create_app()",
            reference,
            "/",
            {},
            200,
            requests,
            data_dir / "same-bytes",
        ),
    )
    yield (
        "declutter /read, If-None-Match (304)",
        counted(
            "proxy:create_app()",
            declutter,
            page,
            {"If-None-Match": headers["ETag"]},
            304,
            requests,
            data_dir / "revalidate",
        ),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m proxy.bench.load.instructions", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=REQUESTS,
        help="requests a worker serves before it is recycled",
    )
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        parser.exit(2, VALGRIND_MISSING + "\n")
    print(
        f"instructions per request: callgrind, gunicorn with deploy/{CONF.name}, one worker, "
        f"{args.requests} requests a worker",
        flush=True,
    )
    counts: dict[str, float] = {}
    with (
        tempfile.TemporaryDirectory(prefix="declutter-instructions-") as tmp,
        upstream.serving() as origin,
    ):
        for name, count in targets(origin, Path(tmp), args.requests):
            counts[name] = count
            print(f"{name:<38}{count / 1e6:>8.3f}M", flush=True)
    hit, same_bytes = list(counts.values())[:2]
    print(f"trivial / declutter instructions per request: {same_bytes / hit:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
