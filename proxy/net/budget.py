"""What an upstream fetch costs the requester: the fetch budgets, and who is asking.

- ``DECLUTTER_FETCH_RATE_LIMIT`` counts only requests whose miss goes upstream. Only the cache
  knows that, so the service (and feeds) call ``charge_fetch()`` just before fetching.
- ``DECLUTTER_FEED_RATE_LIMIT`` takes those charges instead for a full-text feed request (the feed
  and its articles, ``use_feed_budget``), so feed readers and article readers do not starve each
  other.

Who is asking (a token's fingerprint, else the client's address) is the web layer's to say:
web/ratelimit.py installs ``FetchBudgets`` with its ``requester`` function, so this module, the
service and politeness.py count per requester without importing the web layer. The counters are
store/counters.py's, shared by every worker and host. Outside a request (the operator's CLI)
nothing is counted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import g, has_request_context

from proxy import ctx
from proxy.errors import RateLimited
from proxy.ops import metrics
from proxy.store.counters import Limit, SharedCounters

EXTENSION = "declutter.budget"  # key in app.extensions
# The scope names of the budgets in storage.
FETCH_SCOPE = "fetch"
FEED_SCOPE = "feeds"


@dataclass(frozen=True)
class FetchBudgets:
    """The fetch and feed budgets, the counters that keep them, and who the requester is."""

    fetches: tuple[Limit, ...]
    feeds: tuple[Limit, ...]
    counters: SharedCounters
    requester: Callable[[], str]  # the current request's budget key (web/ratelimit.py)


def _budgets() -> FetchBudgets:
    return ctx.current_app._get_current_object().extensions[EXTENSION]


def requester() -> str:
    """Whose budgets the current request draws on (a request context is required)."""
    return _budgets().requester()


def charge_fetch() -> None:
    """Count one upstream fetch for the requester; RateLimited when the budget is spent."""
    if not has_request_context():
        return
    budgets = _budgets()
    feed = g.get("declutter_feed_budget", False)  # set by use_feed_budget for a feed request
    limits, scope = (budgets.feeds, FEED_SCOPE) if feed else (budgets.fetches, FETCH_SCOPE)
    wait = budgets.counters.hit(limits, scope, budgets.requester())
    if wait is not None:
        metrics.count_rate_limited("feeds" if feed else "fetches")
        raise RateLimited(retry_after=wait)


def use_feed_budget() -> None:
    """Charge this request's upstream fetches (a feed and its articles) to the feed budget."""
    g.declutter_feed_budget = True
