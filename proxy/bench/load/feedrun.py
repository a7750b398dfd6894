"""The load benchmark's feed run: a 10-item feed cold and warm, 304 polls beside article hits.

Workflow, on the gunicorn the rest of the benchmark uses, against feedsite.py's loopback site:

1. Cold: one request for a 10-item feed whose articles no one has read; each article takes the
   site ``STORY_DELAY`` seconds. Its wall time must stay within the feed deadline, every item
   must come whole, and the site must never see more than ``host_concurrency`` fetches at once.
2. Warm, with wrk in interleaved slices: the cached article's reader page (an article hit), the
   warm feed (every item cached), the feed polled with its ETag (304) and the article with its
   ETag (304). Targets (issue 17): a warm feed at no less than half the article-hit rate; a 304
   poll no costlier in server CPU than an article 304.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from urllib.parse import quote

from proxy.bench import load as loadbench
from proxy.bench.load import feedsite
from proxy.bench.load.server import Server, get
from proxy.config import Settings

ITEMS = 10
# Seconds the site spends on each article: a slow-ish site, so the per-host cap shows.
STORY_DELAY = 0.2
WARM_SHARE = 0.5  # the warm feed's rate as a share of the article hit's, at least
DEFAULTS = Settings.from_env(
    {"DECLUTTER_DATA_DIR": "unused"}
)  # the deadline and cap a default install has


def run(server: Server, args: argparse.Namespace) -> tuple[list[loadbench.Load], list[str], bool]:
    """The cold request and the warm wrk runs; the rows, the report lines, and whether all held."""
    with feedsite.serving(STORY_DELAY) as site:
        feed = f"/feed?url={quote(f'{site.base}/rss/bench?items={ITEMS}', safe='')}"
        cold_lines, cold_ok = cold(server, feed, site)
        article = f"/read?url={quote(f'{site.base}/story/bench-0', safe='')}"
        feed_tag, article_tag = _etag(server, feed), _etag(server, article)
        rows = loadbench.interleaved(
            [
                loadbench.Target("declutter /read (article hit)", server, article),
                loadbench.Target("declutter /feed, warm (10 items)", server, feed),
                loadbench.Target(
                    "declutter /feed, If-None-Match (304)",
                    server,
                    feed,
                    (("If-None-Match", feed_tag),),
                ),
                loadbench.Target(
                    "declutter /read, If-None-Match (304)",
                    server,
                    article,
                    (("If-None-Match", article_tag),),
                ),
            ],
            args.duration,
            args.connections,
        )
    lines = [*cold_lines, *targets(rows)]
    return rows, lines, cold_ok and not any(row.errors for row in rows)


def cold(server: Server, feed: str, site: feedsite.FeedSite) -> tuple[list[str], bool]:
    """One cold 10-item feed: its wall time, whether every item came whole, the cap held."""
    started = time.perf_counter()
    status, _, body = get(server.base + feed)
    seconds = time.perf_counter() - started
    whole = body.count(b"Marker sentence of story") >= ITEMS and b"still reading" not in body
    fetched = site.stories_fetched()
    capped = site.most_in_flight <= DEFAULTS.host_concurrency
    ok = status == 200 and whole and capped and seconds <= DEFAULTS.feed_deadline
    lines = [
        f"cold {ITEMS}-item feed, one host, {STORY_DELAY:.1f} s an article: {seconds:.2f} s "
        f"(deadline {DEFAULTS.feed_deadline:.0f} s), status {status}, "
        f"{'every item whole' if whole else 'ITEMS MISSING'}, {len(fetched)} articles fetched "
        f"{sum(fetched.values())} times, at most {site.most_in_flight} at once "
        f"(cap {DEFAULTS.host_concurrency})"
    ]
    return lines, ok


def targets(rows: list[loadbench.Load]) -> Iterator[str]:
    """The issue's two targets, figures first."""
    article, warm, feed_304, article_304 = rows
    share = warm.rate / article.rate if article.rate else 0.0
    yield f"warm feed / article hit throughput: {share:.0%} (target >= {WARM_SHARE:.0%})"
    if feed_304.cpu_ms and article_304.cpu_ms:
        ratio = feed_304.cpu_ms / article_304.cpu_ms
        yield (
            f"feed 304 / article 304 server CPU per request: {ratio:.0%} (target <= 100%); "
            f"rates {feed_304.rate:.0f} and {article_304.rate:.0f} req/s"
        )


def _etag(server: Server, path: str) -> str:
    status, headers, _ = get(server.base + path)
    if status != 200 or "ETag" not in headers:
        raise SystemExit(f"{path} answered {status} without an ETag")
    return headers["ETag"]
