"""Whether a request that changes state was made on purpose, from the Fetch Metadata browsers send.

A page can make a reader's browser send requests to Declutter with the reader's cookie: an article's
``<img src="/read?url=...&refresh=1">`` shown on the reader page (same origin), or another site's
form posting to /signin or /signout. Browsers say what made each request: ``Sec-Fetch-Site``
(``same-origin``, ``same-site``, ``cross-site``, or ``none`` for the reader's own address bar,
bookmark or reload) and ``Sec-Fetch-Dest`` (``document`` for a top-level page, ``empty`` for a
script's or a client's call, ``image``, ``iframe``, ``script`` ... for the parts of a page).

A state change (a refresh spends the reader's fetch budget and replaces the cached copy; signing in
or out changes the session) is accepted only from a top-level page or a call, made from our own
origin or the address bar, or by an origin allowed to call the API (the extension), or by a client
that sends no Fetch Metadata at all (curl, scripts: no page stands behind them; browsers have sent
the headers since 2023). Everything else is a page's subresource or another site's doing.

For the sign-in form, whose cookie matters most, ``same_origin`` also checks ``Origin`` against
``Host``, which covers browsers that predate Fetch Metadata (when they name an origin at all).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from proxy.errors import NotDeliberate
from proxy.web import hosts

# Sec-Fetch-Site values of a request the reader made here: on our pages or in the address bar.
OWN_SITES = frozenset({"same-origin", "none"})
# Sec-Fetch-Dest values of a deliberate request: a top-level page, or a call (fetch, a client).
DELIBERATE_DESTS = frozenset({"document", "empty"})
# The Origin a browser sends when it will not say (no-referrer pages, sandboxed frames, data: URLs).
OPAQUE_ORIGIN = "null"
# The Sec-Fetch-Dest of a script's call, the one kind an allowed cross-origin caller makes.
CALL_DEST = "empty"

Environ = Mapping[str, Any]
OriginCheck = Callable[[str | None], bool]  # True for an origin allowed to call (cors.py)


def deliberate(environ: Environ, allowed_origin: OriginCheck | None = None) -> bool:
    """True when the request came from our pages, the address bar, a non-browser client, or (a call
    only) an origin ``allowed_origin`` accepts; False for another page's subresource or doing."""
    site = environ.get("HTTP_SEC_FETCH_SITE")
    if site is None:  # no Fetch Metadata: a client, not a browser acting for some page
        return True
    dest = environ.get("HTTP_SEC_FETCH_DEST", "")
    if dest not in DELIBERATE_DESTS:
        return False
    if site in OWN_SITES:
        return True
    if dest != CALL_DEST or allowed_origin is None:
        return False
    return allowed_origin(environ.get("HTTP_ORIGIN"))


def same_origin(environ: Environ) -> bool:
    """True unless an ``Origin`` header names another host than this request's.

    ``Origin: null`` says nothing: Chromium sends it on our own form's POST, because our pages'
    ``Referrer-Policy: no-referrer`` hides the origin too; Fetch Metadata decides then.
    """
    origin = environ.get("HTTP_ORIGIN")
    if origin is None or origin == OPAQUE_ORIGIN:
        return True
    named = hosts.host_name(urlsplit(origin).netloc)
    return bool(named) and named == hosts.host_name(environ.get("HTTP_HOST", ""))


def require(allowed: bool) -> None:
    """Raise NotDeliberate (403) when a state change was not asked for on purpose."""
    if not allowed:
        raise NotDeliberate()
