"""Every Redis key Declutter uses, named in this one module.

::

    declutter:<rules>:a:<host>:{<url digest>}     an article (zlib JSON, kept 2 x cache_ttl)
    declutter:<rules>:e:<host>:{<url digest>}     a remembered failure of that URL (error_ttl)
    declutter:<rules>:l:<host>:{<url digest>}     its single-flight lock (SET NX PX)
    declutter:<rules>:<name>                      a named value, by feeds.py:
              fs:<host>:<url digest>              a source feed (feed_ttl)
              fa:<host>:<digest of url + options> a full-text feed as written (feed_ttl)
    declutter:<rules>:fl:<name>                   the fetch lock of a named value
    declutter:r:<result id>                       a POSTed page's private result (result_ttl)
    declutter:img:<sha256 of the image URL>       an image of the image proxy (image_ttl)
    declutter:limits:{<scope>:<who>}:<amount>/<seconds>:<window>   a rate-limit counter
    declutter:slots:<host>                        a host's fetch slots (zset)
    declutter:reading:<requester>                 a requester's uncached reads in flight (zset)

- ``<rules>`` is ``RULES_VERSION`` (the cleaning rules'), so a release with new rules never serves
  articles cleaned by old ones; a host with a site rule file has ``<rules>-<digest of that file>``
  there, so editing one host's rules makes that host's articles fresh and leaves the others'.
- The host is in clear so that ``declutter cache purge-host`` finds a host's keys with SCAN; the
  digest is the sha256 of ``urls.normalise(url)``, so every spelling of a URL has one key.
- Braces are Redis Cluster hash tags: only the part inside is hashed to choose the slot. Keys used
  together in one command, pipeline or script share a tag, so they live on one node: an article and
  its failure (stored and forgotten in one MULTI), one requester's counters (MGET, one pipeline).
  Keys used alone carry no tag and spread over the cluster by their whole name.

Reads three values that other packages own, and nothing else of theirs: ``content.rules``'s
RULES_VERSION, ``siterules.version`` (a host's rule digest) and ``net.urls.normalise`` (the one
spelling of a URL).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import urlsplit

from proxy import siterules
from proxy.content.rules import RULES_VERSION
from proxy.net import urls
from proxy.store import hot

ROOT = "declutter"
# Everything cleaned under the current rules starts with one of these (see the module docstring).
CURRENT_RULES = (f"{ROOT}:{RULES_VERSION}:", f"{ROOT}:{RULES_VERSION}-")
# Kinds of a URL's keys: its article, its remembered failure, its single-flight lock.
ARTICLE, FAILURE, LOCK = "a", "e", "l"
# The kinds `declutter cache` purges: cached content, not locks.
CONTENT_KINDS = (ARTICLE, FAILURE)
RESULTS_PATTERN = f"{ROOT}:r:*"
# Characters with a meaning in Redis glob patterns, escaped when a host name is put in one.
GLOB_SPECIAL = re.compile(r"([*?\[\]\\])")
# The rules-version part of a key, replaced by a wildcard to match every version.
RULES_PART = re.compile(rf"^{ROOT}:[^:]*:")


@lru_cache(maxsize=hot.SIZE)  # a hot article's URL is keyed many times a second
def _host_and_digest(url: str) -> tuple[str, str]:
    """The host in clear and the sha256 of ``urls.normalise(url)``."""
    normal = urls.normalise(url)
    return urlsplit(normal).hostname or "", hashlib.sha256(normal.encode("utf-8")).hexdigest()


def _rules(host: str) -> str:
    ruled = siterules.version(host)  # the host's rule file, so new rules make its pages fresh
    return f"{RULES_VERSION}-{ruled}" if ruled else RULES_VERSION


def for_url(kind: str, url: str) -> str:
    """The key of ``kind`` (ARTICLE, FAILURE or LOCK) for a URL, whatever its spelling."""
    host, digest = _host_and_digest(url)
    return f"{ROOT}:{_rules(host)}:{kind}:{host}:{{{digest}}}"


def value(name: str) -> str:
    """A named value under the current rules (feeds.py's answers and source feeds)."""
    return f"{ROOT}:{RULES_VERSION}:{name}"


def feed_source(url: str) -> str:
    """The value name of a source feed (its parsed items)."""
    host, digest = _host_and_digest(url)
    return f"fs:{host}:{digest}"


def feed_answer(url: str, options_digest: str) -> str:
    """The value name of a full-text feed written for one set of options."""
    host, _ = _host_and_digest(url)
    return f"fa:{host}:{options_digest}"


def value_lock(name: str) -> str:
    """The lock held while the value ``name`` is fetched."""
    return f"{ROOT}:{RULES_VERSION}:fl:{name}"


def result(result_id: str) -> str:
    """A POSTed page's private result (embedded_redis keeps these out of its snapshots)."""
    return f"{ROOT}:r:{result_id}"


def image(url: str) -> str:
    """An image of the image proxy: the sha256 of its URL, so keys stay short whatever the URL."""
    return f"{ROOT}:img:{hashlib.sha256(url.encode('utf-8')).hexdigest()}"


def counter(scope: str, who: str, amount: int, period: int, window: int) -> str:
    """One fixed window of a budget; one requester's budgets of a scope share a slot."""
    return f"{ROOT}:limits:{{{scope}:{who}}}:{amount}/{period}:{window}"


def host_slots(host: str) -> str:
    """The semaphore of fetches in flight to ``host`` (its canonical name)."""
    return f"{ROOT}:slots:{host}"


def reading(requester: str) -> str:
    """The semaphore of a requester's uncached reads in flight."""
    return f"{ROOT}:reading:{requester}"


# -- patterns for the operator's commands (SCAN MATCH) ---------------------------------------------


def url_patterns(url: str) -> list[str]:
    """A URL's article and failure keys under every rules version."""
    return [RULES_PART.sub(f"{ROOT}:*:", for_url(kind, url)) for kind in CONTENT_KINDS]


def host_patterns(host: str) -> list[str]:
    """Every article and failure key of one host, under every rules version."""
    escaped = GLOB_SPECIAL.sub(r"\\\1", host.lower().rstrip("."))
    return [f"{ROOT}:*:{kind}:{escaped}:*" for kind in CONTENT_KINDS]


def kind_pattern(kind: str) -> str:
    """Every key of one kind (ARTICLE or FAILURE), under every rules version."""
    return f"{ROOT}:*:{kind}:*"


def flush_patterns() -> list[str]:
    """All cached content: articles, failures and private results."""
    return [kind_pattern(kind) for kind in CONTENT_KINDS] + [RESULTS_PATTERN]
