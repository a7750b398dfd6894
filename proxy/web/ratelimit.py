"""Rate limits per token (or per client address without one), shared by all workers and hosts.

Two budgets, because a cache hit costs a Redis read while a miss costs someone else's server:

- ``DECLUTTER_RATE_LIMIT`` counts every article request (reader and API, hits included), checked
  before the view runs, so the reader and the API draw on one budget.
- ``DECLUTTER_FETCH_RATE_LIMIT`` counts only requests whose miss goes upstream, and
  ``DECLUTTER_FEED_RATE_LIMIT`` those of full-text feeds: net/budget.py charges them, per the
  requester this module names (``requester_key``), which ``init_app`` installs there.

A third, fixed one (``AUTH_FAILURE_LIMITS``, per client address) counts wrong tokens, at /signin or
in a Bearer header, so that tokens cannot be guessed; ``init_guard`` installs it ahead of auth.

The counting is store/counters.py's: fixed windows kept in the app's Redis, counted in each
process and settled in batches, so a hit costs no round trip under a large budget; small budgets
(100 or fewer per window, the default ones included) are exact, larger ones overshoot by at most 1%
per process (the bound is in counters.py). Over any budget RateLimited is raised, carrying its
Retry-After; failures.py answers it 429 in the route's kind (JSON on the API). When Redis is away
each process counts alone: an outage loosens the limits, it never stops reading.

The client address is the peer's, unless the peer is one of ``DECLUTTER_TRUSTED_PROXIES``: then it
is the last X-Forwarded-For hop that is not itself a trusted proxy (what precedes it is forgeable).
Budgets are kept per ``client_key``: an IPv4 address, or the /64 of an IPv6 one, since one home or
server holds a whole /64 and could otherwise draw on 2**64 budgets.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache

from flask import Flask, Response

from proxy import ctx
from proxy.config import Network, Settings
from proxy.errors import RateLimited, Unauthorized
from proxy.net import budget
from proxy.ops import metrics
from proxy.store import client, counters
from proxy.store.counters import Limit, SharedCounters
from proxy.web import auth

EXTENSION = "declutter.limits"  # key in app.extensions
# The scope names of the budgets in storage (keys.counter; the fetch budgets' are budget.py's).
REQUEST_SCOPE = "requests"
AUTH_FAILURE_SCOPE = "auth-failures"
# Failed authentications (a wrong token at /signin or in a Bearer header) allowed per client
# address: room for typos, too little to guess a token.
AUTH_FAILURE_LIMITS = counters.parse("10/minute;100/day")
SIGNIN_ENDPOINT = "auth.signin"
# The routes that read an article (a new way in must be added here to be limited); the landing page,
# /healthz, robots.txt and static files are not counted.
ARTICLE_ENDPOINTS = frozenset(
    {
        "reader.read",
        "reader.direct",
        "reader.result",
        "api.get_article",
        "api.post_article",
        "compat.mercury",
        "compat.mercury_html",
        "compat.ftr_extract",
        "compat.feedbin",
        "keep.epub_file",
        "keep.result_epub",
    }
)
# WSGI names of the other ways a token is presented (credentials.py): a wrong one counts as a guess.
OTHER_CREDENTIALS = ("HTTP_X_API_KEY",)
# Client addresses whose trust and key are remembered per worker (parsed once, not per request).
ADDRESSES_KEPT = 4096
# The IPv6 prefix one client is counted by: the smallest network an ISP or host hands one site.
IPV6_CLIENT_PREFIX = 64


@dataclass(frozen=True)
class Budgets:
    """The request budget of this app, the counters that keep it, the proxies believed."""

    requests: tuple[Limit, ...]
    counters: SharedCounters
    proxies: tuple[Network, ...]  # DECLUTTER_TRUSTED_PROXIES


@lru_cache(maxsize=ADDRESSES_KEPT)
def _trusted(address: str, proxies: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(proxies: tuple[Network, ...]) -> str:
    """The requesting client's address, believing X-Forwarded-For only from trusted proxies."""
    environ = ctx.request._get_current_object().environ
    peer = environ.get("REMOTE_ADDR") or ""
    forwarded = environ.get("HTTP_X_FORWARDED_FOR")  # repeated headers arrive joined by ","
    if not forwarded or not _trusted(peer, proxies):
        return peer
    chain = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    chain.append(peer)
    for address in reversed(chain):
        if not _trusted(address, proxies):
            return address
    return chain[0]


@lru_cache(maxsize=ADDRESSES_KEPT)
def client_key(address: str) -> str:
    """The budget a client address draws on: IPv4 as it is, IPv6 by its /64, IPv4-mapped as IPv4."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address  # not an address (a unix socket peer): counted as written
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.IPv6Network((int(ip), IPV6_CLIENT_PREFIX), strict=False))


def _address_key(budgets: Budgets) -> str:
    return f"addr:{client_key(client_address(budgets.proxies))}"


def requester_key(budgets: Budgets) -> str:
    """Whose budget a request draws on: its token's fingerprint, else its client address."""
    token = auth.identity()
    if token:
        return f"token:{token}"
    return _address_key(budgets)


def requester() -> str:
    """``requester_key`` of the current request: budget.py's and politeness.py's requester."""
    return requester_key(_budgets())


def _budgets() -> Budgets:
    return ctx.current_app._get_current_object().extensions[EXTENSION]


def _limit_articles() -> None:
    """before_request: count an article request against the requester's budget; 429 when spent.

    Only the routes that read an article count (not /healthz, the landing page, static files).
    """
    if ctx.request._get_current_object().endpoint not in ARTICLE_ENDPOINTS:
        return
    budgets = _budgets()
    wait = budgets.counters.hit(budgets.requests, REQUEST_SCOPE, requester_key(budgets))
    if wait is not None:
        metrics.count_rate_limited("requests")
        raise RateLimited(retry_after=wait)


def _presents_a_token() -> bool:
    asked = ctx.request._get_current_object()
    if "HTTP_AUTHORIZATION" in asked.environ or any(k in asked.environ for k in OTHER_CREDENTIALS):
        return True
    return asked.method == "POST" and asked.endpoint == SIGNIN_ENDPOINT  # signing in


def _guard_auth_failures() -> None:
    """before_request: an address that gave wrong tokens too often must wait to try again."""
    if not _presents_a_token():
        return
    budgets = _budgets()
    wait = budgets.counters.spent(AUTH_FAILURE_LIMITS, AUTH_FAILURE_SCOPE, _address_key(budgets))
    if wait is not None:
        metrics.count_rate_limited("auth_failures")
        raise RateLimited(retry_after=wait)


def _count_auth_failure(response: Response) -> Response:
    if response.status_code == Unauthorized.status and _presents_a_token():
        budgets = _budgets()
        budgets.counters.hit(AUTH_FAILURE_LIMITS, AUTH_FAILURE_SCOPE, _address_key(budgets))
    return response


def init_guard(app: Flask) -> None:
    """Slow down token guessing; call before auth.init_app, so the guard runs before the check."""
    app.before_request(_guard_auth_failures)
    app.after_request(_count_auth_failure)


def init_app(app: Flask) -> None:
    """Limit article requests in the app's Redis (after auth.init_app: budgets are per token),
    and install the fetch budgets (net/budget.py) with this module's requester."""
    settings: Settings = app.config["SETTINGS"]
    shared = SharedCounters(client.init_app(app), component="limits")
    app.extensions[EXTENSION] = Budgets(
        counters.parse(settings.rate_limit), shared, settings.trusted_proxies
    )
    app.extensions[budget.EXTENSION] = budget.FetchBudgets(
        counters.parse(settings.fetch_rate_limit),
        counters.parse(settings.feed_rate_limit),
        shared,
        requester,
    )
    app.before_request(_limit_articles)
