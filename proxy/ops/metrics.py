"""Prometheus metrics at /metrics, correct when several gunicorn workers serve one host.

Why prometheus_client's multiprocess mode and not counters in Redis: each worker writes its samples
to its own memory-mapped file under ``PROMETHEUS_MULTIPROC_DIR`` and whichever worker answers a
scrape sums them all, so the host's numbers are whole. Counters kept in Redis would stop exactly
when Redis fails (the Redis error counter first of all), would add a Redis write to every request,
and would make each host report the whole cluster, which Prometheus then counts once per host. Here
each host is one scrape target, as Prometheus expects.

gunicorn's master (proxy/ops/gunicorn_hooks.py) sets ``PROMETHEUS_MULTIPROC_DIR`` before any worker
imports this module (the library reads it at import) and marks exited workers dead. Without
gunicorn (``declutter serve``, tests) the process's own registry is served.

The other modules report through four small functions: ``timed(stage)``, ``count_cache(result)``,
``count_redis_error(component)`` and ``count_rate_limited(budget)``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import TypeVar

from flask import Blueprint, Flask, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.metrics import MetricWrapperBase
from prometheus_client.multiprocess import MultiProcessCollector

from proxy import ctx
from proxy.errors import DeclutterError

# Set by the gunicorn conf; present, samples from every worker are summed at scrape time.
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Histogram buckets in seconds: from a cache hit or a small extraction (ms) to the fetch timeout.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30)
# Labelled series kept at hand per worker (routes x methods x statuses, stages, budgets...).
SERIES_KEPT = 1024

# Label values a client chooses are kept to a fixed set, or every invented one would add series
# for good (the files under PROMETHEUS_MULTIPROC_DIR only grow): the method is one of these, else
# OTHER; the endpoint is a route's name (unmatched paths are one); the status is the app's own.
METHODS = frozenset(
    {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"}
)
OTHER = "other"

# Its _count is the number of requests answered: a separate counter would cost every request a
# second write to the shared files for a figure Prometheus already has.
REQUEST_SECONDS = Histogram(
    "declutter_http_request_seconds",
    "Time to answer a request, by route, method and status",
    ["endpoint", "method", "status"],
    buckets=LATENCY_BUCKETS,
)
# Cache errors (Redis failing under a lookup) are REDIS_ERRORS{component="cache"}.
CACHE = Counter("declutter_cache_lookups", "Article cache lookups by result", ["result"])
STAGE_SECONDS = Histogram(
    "declutter_stage_seconds",
    "Time spent per stage (fetch, extraction)",
    ["stage"],
    buckets=LATENCY_BUCKETS,
)
STAGE_ERRORS = Counter(
    "declutter_stage_errors", "Failures per stage, by kind (the error code)", ["stage", "kind"]
)
REDIS_ERRORS = Counter(
    "declutter_redis_errors", "Redis calls that failed, by component", ["component"]
)
RATE_LIMITED = Counter("declutter_rate_limited", "Requests refused with 429, by budget", ["budget"])

bp = Blueprint("metrics", __name__)
Metric = TypeVar("Metric", bound=MetricWrapperBase)


@lru_cache(maxsize=SERIES_KEPT)
def series(metric: Metric, *labels: str) -> Metric:
    """``metric.labels(*labels)``, looked up once: labels() checks and locks on every call."""
    return metric.labels(*labels)


@contextmanager
def timed(stage: str) -> Iterator[None]:
    """Time a stage ("fetch", "extraction") and count its failure by error code."""
    started = time.perf_counter()
    try:
        yield
    except DeclutterError as error:
        series(STAGE_ERRORS, stage, error.code).inc()
        raise
    except Exception:
        series(STAGE_ERRORS, stage, "internal_error").inc()
        raise
    finally:
        series(STAGE_SECONDS, stage).observe(time.perf_counter() - started)


def count_cache(result: str) -> None:
    """One article cache lookup: hit, miss or stale (the site failed, the last copy was served)."""
    series(CACHE, result).inc()


def count_redis_error(component: str) -> None:
    """One failed Redis call by the cache, the rate limits or the politeness semaphore."""
    series(REDIS_ERRORS, component).inc()


def count_rate_limited(budget: str) -> None:
    """One request refused with 429 ("requests" or "fetches")."""
    series(RATE_LIMITED, budget).inc()


def _start_timer() -> None:
    ctx.g._get_current_object().declutter_started = time.perf_counter()


def _record(response: Response) -> Response:
    """after_request: count and time the request by route, method and status (article_answer counts
    cache hits)."""
    asked = ctx.request._get_current_object()
    endpoint = asked.endpoint or "unmatched"  # 404s are one series, not one per path
    # unset only if _start_timer failed
    started = ctx.g._get_current_object().get("declutter_started")
    elapsed = 0.0 if started is None else time.perf_counter() - started
    method = asked.method if asked.method in METHODS else OTHER  # a client may invent any name
    series(REQUEST_SECONDS, endpoint, method, str(response.status_code)).observe(elapsed)
    return response


def registry() -> CollectorRegistry:
    """The samples of every worker on this host when multiprocess, else this process's."""
    if not os.environ.get(MULTIPROC_ENV):
        return REGISTRY
    combined = CollectorRegistry()
    MultiProcessCollector(combined)
    return combined


@bp.get("/metrics")
def metrics() -> Response:
    """The Prometheus text exposition."""
    return Response(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    """Time and count every request, and serve /metrics."""
    app.before_request(_start_timer)
    app.after_request(_record)
    app.register_blueprint(bp)
