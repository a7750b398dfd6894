"""Rate limits per token (or per client address without one), in Redis for all workers and hosts.

Two budgets, because a cache hit costs a Redis read while a miss costs someone else's server:

- ``DECLUTTER_RATE_LIMIT`` counts every article request (reader and API, hits included). It is a
  flask-limiter application limit, so the reader and the API draw on one budget.
- ``DECLUTTER_FETCH_RATE_LIMIT`` counts only requests whose miss goes upstream. Only the cache knows
  that, so the service calls ``charge_fetch()`` just before it fetches.

A third, fixed one (``AUTH_FAILURE_LIMITS``, per client address) counts wrong tokens, at /signin or
in a Bearer header, so that tokens cannot be guessed; ``init_guard`` installs it ahead of auth.

Over any budget the answer is 429 with Retry-After (JSON on the API). When Redis is away the
limits fall back to per-process memory (flask-limiter's in-memory fallback): an outage loosens them,
it never stops reading.

The client address is the peer's, unless the peer is one of ``DECLUTTER_TRUSTED_PROXIES``: then it
is the last X-Forwarded-For hop that is not itself a trusted proxy (what precedes it is forgeable).
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time

from flask import Flask, Response, current_app, g, has_request_context, jsonify, request
from flask_limiter import Limiter, RequestLimit
from limits import RateLimitItem, parse_many
from limits.errors import StorageError

from . import auth, cache, metrics
from .config import Network, Settings
from .errors import RateLimited, Unauthorized

log = logging.getLogger(__name__)

EXTENSION = "declutter.limits"  # key in app.extensions
# Prefix of every rate-limit key in Redis, apart from the cache's declutter:<rules>: keys.
KEY_PREFIX = "declutter:limits"
# The scope name of the upstream-fetch budget in storage.
FETCH_SCOPE = "fetch"
# Failed authentications (a wrong token at /signin or in a Bearer header) allowed per client
# address: room for typos, too little to guess a token.
AUTH_FAILURE_LIMITS = parse_many("10/minute;100/day")
AUTH_FAILURE_SCOPE = "auth-failures"
SIGNIN_ENDPOINT = "auth.signin"
# The routes that read an article (a new way in must be added here to be limited); the landing page,
# /healthz, robots.txt and static files are not counted.
ARTICLE_ENDPOINTS = frozenset({"reader.read", "reader.direct", "reader.result", "api.get_article",
                               "api.post_article"})
# Seconds a rate-limit call to Redis may take before the in-memory fallback takes over.
STORAGE_TIMEOUT = 0.5
STORAGE_OPTIONS = {"socket_timeout": STORAGE_TIMEOUT, "socket_connect_timeout": STORAGE_TIMEOUT,
                   "wrap_exceptions": True}  # errors as limits.errors.StorageError, caught below
# Redis URL schemes as the limits library names them (it wants redis+unix for sockets).
STORAGE_SCHEMES = {"unix": "redis+unix"}


def storage_uri(redis_url: str) -> str:
    """The limits-library form of the cache's REDIS_URL (redis, rediss, unix, redis+sentinel)."""
    scheme, sep, rest = redis_url.partition("://")
    return f"{STORAGE_SCHEMES.get(scheme, scheme)}{sep}{rest}"


def _trusted(address: str, proxies: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(proxies: tuple[Network, ...]) -> str:
    """The requesting client's address, believing X-Forwarded-For only from trusted proxies."""
    forwarded = ",".join(request.headers.getlist("X-Forwarded-For"))
    chain = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    chain.append(request.remote_addr or "")
    for address in reversed(chain):
        if not _trusted(address, proxies):
            return address
    return chain[0]


def _address_key() -> str:
    settings: Settings = current_app.config["SETTINGS"]
    return f"addr:{client_address(settings.trusted_proxies)}"


def requester_key() -> str:
    """Whose budget a request draws on: its token's fingerprint, else its client address."""
    token = auth.identity()
    if token:
        return f"token:{token}"
    return _address_key()


def is_article_request() -> bool:
    """True for the reader and API routes that read an article (not /healthz, the home page...)."""
    return request.endpoint in ARTICLE_ENDPOINTS


def too_many(retry_after: int) -> Response:
    """The 429 response: JSON on the API, a line of text elsewhere, always with Retry-After."""
    error = RateLimited(retry_after=retry_after)
    if request.blueprint == "api":
        response = jsonify(error.to_dict())
    else:
        response = Response(f"{error.message}\n", mimetype="text/plain")
    response.status_code = error.status
    response.headers["Retry-After"] = str(retry_after)
    return response


def _seconds_until(reset_at: float) -> int:
    return max(1, math.ceil(reset_at - time.time()))


def _on_breach(limit: RequestLimit) -> Response:
    """flask-limiter's hook: the 429 page (the API renders its own JSON, hence ``g`` too)."""
    metrics.count_rate_limited("requests")
    g.declutter_retry_after = _seconds_until(limit.reset_at)
    return too_many(g.declutter_retry_after)


def _over_budget(items: list[RateLimitItem], scope: str, key: str, *, spend: bool) -> int | None:
    """Seconds to wait if ``key`` has spent its budget in ``scope`` (with ``spend``, after one more).

    None when there is budget left, and when the storage fails: an outage must refuse no one.
    """
    strategy = current_app.extensions[EXTENSION].limiter
    try:
        for item in items:
            check = strategy.hit if spend else strategy.test
            if not check(item, KEY_PREFIX, scope, key):
                return _seconds_until(strategy.get_window_stats(item, KEY_PREFIX, scope, key).reset_time)
    except StorageError as exc:
        metrics.count_redis_error("limits")
        log.warning("rate-limit storage unavailable (%s): %s not counted", exc, scope)
    return None


def charge_fetch() -> None:
    """Count one upstream fetch for the requester; RateLimited when the budget is spent.

    Outside a request (the operator's CLI) nothing is counted.
    """
    if not has_request_context():
        return
    settings: Settings = current_app.config["SETTINGS"]
    wait = _over_budget(parse_many(settings.fetch_rate_limit), FETCH_SCOPE, requester_key(), spend=True)
    if wait is not None:
        metrics.count_rate_limited("fetches")
        raise refusal(wait)


def _presents_a_token() -> bool:
    signing_in = request.endpoint == SIGNIN_ENDPOINT and request.method == "POST"
    return signing_in or "Authorization" in request.headers


def _guard_auth_failures() -> Response | None:
    """before_request: an address that gave wrong tokens too often must wait to try again."""
    if not _presents_a_token():
        return None
    wait = _over_budget(AUTH_FAILURE_LIMITS, AUTH_FAILURE_SCOPE, _address_key(), spend=False)
    if wait is None:
        return None
    metrics.count_rate_limited("auth_failures")
    return too_many(wait)


def _count_auth_failure(response: Response) -> Response:
    if _presents_a_token() and response.status_code == Unauthorized.status:
        _over_budget(AUTH_FAILURE_LIMITS, AUTH_FAILURE_SCOPE, _address_key(), spend=True)
    return response


def init_guard(app: Flask) -> None:
    """Slow down token guessing; call before auth.init_app, so the guard runs before the check."""
    app.before_request(_guard_auth_failures)
    app.after_request(_count_auth_failure)


def refusal(retry_after: int, message: str | None = None) -> RateLimited:
    """The RateLimited error to raise from inside a view; its Retry-After reaches the response.

    The reader and API blueprints render every DeclutterError themselves, so the header is added by
    ``_add_retry_after`` on the way out rather than by an error handler here.
    """
    if has_request_context():
        g.declutter_retry_after = retry_after
    return RateLimited(message, retry_after=retry_after)


def _add_retry_after(response: Response) -> Response:
    retry_after = g.get("declutter_retry_after")
    if response.status_code == RateLimited.status and retry_after:
        response.headers.setdefault("Retry-After", str(retry_after))
    return response


def init_app(app: Flask) -> None:
    """Limit article requests in the cache's Redis; every 429 carries Retry-After."""
    settings: Settings = app.config["SETTINGS"]
    cache_url = app.extensions[cache.EXTENSION].url
    limiter = Limiter(
        requester_key,
        application_limits=[settings.rate_limit],
        application_limits_exempt_when=lambda: not is_article_request(),
        storage_uri=storage_uri(cache_url),
        storage_options=STORAGE_OPTIONS,
        in_memory_fallback_enabled=True,
        strategy="sliding-window-counter",  # O(1) per key in Redis; moving-window keeps every hit
        key_prefix=KEY_PREFIX,
        on_breach=_on_breach,
    )
    limiter.init_app(app)
    app.extensions[EXTENSION] = limiter
    app.after_request(_add_retry_after)
