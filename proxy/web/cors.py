"""CORS: which pages in a browser may call Declutter, and the answer to their preflight.

The companion extension calls the API from its own origin: ``chrome-extension://<id>`` in Chrome and
Edge, ``moz-extension://<uuid>`` in Firefox. A browser lets such a page read an answer only when the
server names the page's origin in ``Access-Control-Allow-Origin``. We name exactly the origin that
asked, when it is an extension origin or one listed in ``DECLUTTER_CORS_ORIGINS``, and never ``*``.
Cookies are not allowed across origins (no ``Allow-Credentials``): the API authenticates with the
Bearer header, which the preflight permits.

Usage::

    cors.init_app(app)    # before auth.init_app: preflights carry no token, must not be refused

Preflights (OPTIONS with ``Access-Control-Request-Method``) are answered here, before access control
and rate limits run, because a browser never sends the ``Authorization`` header on a preflight.
"""

from __future__ import annotations

import re

from flask import Flask, Response, current_app, request

from proxy import ctx
from proxy.config import Settings

# Extension origins: Chrome's ids are 32 letters a-p; Firefox's are a random UUID per installation.
EXTENSION_ORIGIN = re.compile(
    r"chrome-extension://[a-p]{32}"
    r"|moz-extension://[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)
EXTENSION = "declutter.cors"  # key in app.extensions: the configured origins
# Where other origins may call: the API, and the health check the extension's options page reads.
API_PREFIX = "/api/"
HEALTH_PATH = "/healthz"
# What a caller from another origin may send, and which answer headers it may read.
ALLOW_METHODS = "GET, POST, OPTIONS"
ALLOW_HEADERS = "Authorization, Content-Type"
EXPOSE_HEADERS = "ETag, Retry-After, X-Cache"
# Seconds a browser may reuse a preflight answer (Chrome caps this at 7200).
MAX_AGE = "600"


def is_allowed_origin(origin: str | None, configured: frozenset[str]) -> bool:
    """True for a browser extension's origin or one of the configured web origins."""
    if not origin:
        return False
    return bool(EXTENSION_ORIGIN.fullmatch(origin)) or origin.lower() in configured


def _applies() -> bool:
    path = ctx.request._get_current_object().path
    return path.startswith(API_PREFIX) or path == HEALTH_PATH


def _origin_allowed() -> bool:
    configured = current_app.extensions[EXTENSION]
    return is_allowed_origin(request.headers.get("Origin"), configured)


def answer_preflight() -> Response | None:
    """before_request: answer a preflight, with what it may send when its origin is allowed; 204."""
    if ctx.request._get_current_object().method != "OPTIONS":
        return None
    asks = "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.environ  # the header, by its WSGI name
    if not asks or not _applies():
        return None
    response = Response(status=204)
    if _origin_allowed():
        response.headers["Access-Control-Allow-Methods"] = ALLOW_METHODS
        response.headers["Access-Control-Allow-Headers"] = ALLOW_HEADERS
        response.headers["Access-Control-Max-Age"] = MAX_AGE
        if request.headers.get("Access-Control-Request-Private-Network") == "true":
            # a web page calling a server on the user's network (Chrome's Private Network Access)
            response.headers["Access-Control-Allow-Private-Network"] = "true"
    return response


def allow_origin(response: Response) -> Response:
    """after_request: let an allowed origin read this answer; tell caches it varies by origin."""
    if not _applies():
        return response
    response.vary.add("Origin")
    if _origin_allowed():
        response.headers["Access-Control-Allow-Origin"] = request.headers["Origin"]
        response.headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
    return response


def init_app(app: Flask) -> None:
    """Keep the configured origins and hook the preflight answer and the response headers."""
    settings: Settings = app.config["SETTINGS"]
    app.extensions[EXTENSION] = frozenset(settings.cors_origins)
    app.before_request(answer_preflight)
    app.after_request(allow_origin)
