"""Remembered failures: which failures of a URL are kept for ``error_ttl``, and how one comes back.

A failure is remembered so that a page that failed moments ago is not fetched again for every
reader. Only failures about the page are remembered, the ones in ``REMEMBERED``, found again by
their code. The others are decided again on every read, because a remembered one would outlive
what decided it:

- refusals decided by this server's configuration (an address outside DECLUTTER_ALLOW_NETWORKS, a
  host on the deny list, a scheme): a page refused before the operator allowed its network stayed
  refused for a minute after, and a ``declutter read`` run without the setting refused the page
  for the server too. Deciding again costs a name lookup, no fetch.
- a spent budget or a busy host: about the requester or the moment, not the URL.

The failures remembered can still depend on settings (the size cap, timeouts, redirects, user
agent): each is stored with a digest of those (``settings_version``), and one stored under other
settings is not served. A stored failure whose code is unknown here (from another release) is
not served either.
"""

from __future__ import annotations

import hashlib
from typing import Any

from proxy.config import Settings
from proxy.errors import (
    DeclutterError,
    NoArticle,
    NotHTML,
    PageTooComplex,
    TooLarge,
    UpstreamError,
    UpstreamGone,
    UpstreamTimeout,
)

# The failures kept for error_ttl, by their code: all are about the page at the URL.
REMEMBERED: dict[str, type[DeclutterError]] = {
    cls.code: cls
    for cls in (
        DeclutterError,  # an unexpected failure of the pipeline: not retried for every reader
        UpstreamGone,
        UpstreamError,
        UpstreamTimeout,
        TooLarge,
        NotHTML,
        NoArticle,
        PageTooComplex,
    )
}
# The settings that can change whether reading a page fails; a failure is kept with their digest.
FETCH_SETTINGS = (
    "allow_networks",
    "host_denylist",
    "host_allowlist",
    "connect_timeout",
    "fetch_timeout",
    "max_bytes",
    "max_redirects",
    "user_agent",
)


def remembered(error: DeclutterError) -> bool:
    """Whether ``error`` is one to keep for error_ttl (its exact class is in REMEMBERED)."""
    return REMEMBERED.get(error.code) is type(error)


def settings_version(settings: Settings) -> str:
    """A short digest of the settings in FETCH_SETTINGS."""
    values = repr(tuple(getattr(settings, name) for name in FETCH_SETTINGS))
    return hashlib.sha256(values.encode("utf-8")).hexdigest()[:16]


def stored(error: DeclutterError, version: str) -> dict[str, Any]:
    """The JSON-able form of a failure kept under settings ``version``."""
    return {**error.to_dict(), "settings": version}


def rebuilt(entry: dict[str, Any], version: str) -> DeclutterError | None:
    """The failure kept in ``entry``; None when kept under other settings or of an unknown code."""
    detail = entry["error"]
    cls = REMEMBERED.get(detail["code"])
    if cls is None or entry.get("settings") != version:
        return None
    error = cls(detail["message"])
    error.status = detail["status"]
    return error
