"""Request bodies: capped per route before any view reads them, chunked bodies included.

Without a cap Flask reads whatever a client sends: a sign-in form of 300 MB took a gigabyte of a
worker's memory, and a chunked POST (no Content-Length) slipped past the API's size check. So
before any view runs, each request gets ``max_content_length`` for its route:

- a declared Content-Length above it is refused at once with 413, before a byte is read;
- a chunked body (no Content-Length) is read here, one byte past the cap at most, and refused with
  413 when it has that byte; otherwise the view reads it from memory. (werkzeug's own limit reads
  up to the cap and stops there silently: a form cut at the cap would be parsed as if whole.)

The 413 speaks the format that was asked for (failures.py: JSON on the API, a page elsewhere).
Behind the nginx site in deploy/ an oversized body never reaches gunicorn at all
(``client_max_body_size``).
"""

from __future__ import annotations

import io

from flask import Flask, Request, current_app

from proxy import ctx
from proxy.config import Settings
from proxy.errors import TooLarge

# Bytes a sign-in form may have: a token and the page to return to, with room to spare.
SIGNIN_MAX_BODY = 16 * 1024
# Bytes a request may carry to a route that reads no body (GETs, sign-out): none is needed.
NO_BODY_MAX = 16 * 1024
# A JSON-encoded page is larger than the page: escapes can double it, plus room for the URL.
JSON_OVERHEAD = 2
JSON_SLACK_BYTES = 65536
POSTED_PAGE_ENDPOINT = "api.post_article"
SIGNIN_ENDPOINT = "auth.signin"


def max_body(endpoint: str | None, settings: Settings) -> int:
    """The most bytes a request body to ``endpoint`` may have."""
    if endpoint == POSTED_PAGE_ENDPOINT:
        return settings.max_bytes * JSON_OVERHEAD + JSON_SLACK_BYTES
    return SIGNIN_MAX_BODY if endpoint == SIGNIN_ENDPOINT else NO_BODY_MAX


def too_large(limit: int) -> TooLarge:
    """The 413 for a body over ``limit`` bytes."""
    return TooLarge(f"The request body is larger than this server accepts here ({limit:,} bytes).")


def _cap_body() -> None:
    """before_request: set the route's cap; refuse a declared length over it before reading."""
    asked = ctx.request._get_current_object()
    environ = asked.environ
    if not environ.get("CONTENT_LENGTH") and "HTTP_TRANSFER_ENCODING" not in environ:
        return  # no body: the common case costs two dictionary looks
    limit = max_body(asked.endpoint, current_app.config["SETTINGS"])
    asked.max_content_length = limit
    if asked.content_length is None:
        _read_chunked(asked, limit)
    elif asked.content_length > limit:
        raise too_large(limit)


def _read_chunked(asked: Request, limit: int) -> None:
    """Read a body of unknown length up to one byte past ``limit``; 413 if that byte came."""
    asked.max_content_length = limit + 1
    pieces, size = [], 0
    while size <= limit and (piece := asked.stream.read(limit + 1 - size)):
        pieces.append(piece)
        size += len(piece)
    if size > limit:
        raise too_large(limit)
    asked.environ["wsgi.input"] = io.BytesIO(b"".join(pieces))
    asked.environ["CONTENT_LENGTH"] = str(size)
    asked.__dict__.pop("stream", None)  # werkzeug's cached stream: read again from memory
    asked.max_content_length = limit


def init_app(app: Flask) -> None:
    """Cap every request body (a body that runs past its cap while read: failures.py's 413)."""
    app.before_request(_cap_body)
