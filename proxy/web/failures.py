"""Failures become answers here and nowhere else: one answer per kind, registered once on the app.

Views, and the hooks that refuse a request before its view (hosts, auth, body caps, rate limits),
raise a DeclutterError (errors.py); ``init_app`` registers the one handler that answers it in the
kind of answer its route gives:

- ``page``: the reader's error page (reader, EPUB and feed routes, sign-in: people open them);
- ``json``: ``{"error": {"status", "code", "message"}}`` on the API and /metrics, and on any route
  to a client that presents a Bearer token (a program);
- ``mercury``: ``{"error": true, "messages": "..."}`` on the extraction APIs feed readers call
  (compat.py; always 400 on the Feedbin route, as Feedbin's own service answers, except a 401 that
  asks for credentials);
- ``text``: a line of text from the image proxy (a browser shows its broken-image icon).

What an answer needs besides status and message comes on the error: ``retry_after`` becomes
Retry-After, ``challenge`` WWW-Authenticate, ``url`` the address the error page names, ``hint`` the
next step (under the message on the page, after it in JSON). Werkzeug's own HTTP errors are answered
the same way in JSON and Mercury's shape; on pages a crash gets the error page and the rest
werkzeug's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from flask import Flask, Request, Response, jsonify, request
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

from proxy.errors import DeclutterError, RateLimited
from proxy.formats import render
from proxy.web import bodies

Kind = Literal["page", "json", "mercury", "text"]
# The kind of answer of each blueprint's routes; any other route answers with the page.
KINDS: dict[str | None, Kind] = {
    "api": "json",
    "metrics": "json",
    "compat": "mercury",
    "image_proxy": "text",
}
# A path under it is the API's even when no API route matched it.
API_PREFIX = "/api/"
# An Authorization header of this scheme (any case) marks a program: it is answered in JSON.
BEARER = "bearer "
# The Feedbin-style route answers every failure with this status (its callers expect it).
FEEDBIN_ENDPOINT = "compat.feedbin"
FEEDBIN_STATUS = 400
HTML = render.MEDIA_TYPES["html"]
TEXT = "text/plain; charset=utf-8"


def kind_of(asked: Request) -> Kind:
    """The kind of answer the request's route gives (see the module docstring)."""
    kind = KINDS.get(asked.blueprint)
    if kind is not None:
        return kind
    bearer = asked.environ.get("HTTP_AUTHORIZATION", "")[: len(BEARER)].lower() == BEARER
    return "json" if bearer or asked.path.startswith(API_PREFIX) else "page"


def _page(error: DeclutterError) -> Response:
    return Response(render.error_html(error, error.url), content_type=HTML)


def _json(error: DeclutterError) -> Response:
    return jsonify(error.to_dict())


def _mercury(error: DeclutterError) -> Response:
    response = jsonify({"error": True, "messages": error.explained})
    if request.endpoint == FEEDBIN_ENDPOINT and not getattr(error, "challenge", None):
        response.status_code = FEEDBIN_STATUS
    return response


def _text(error: DeclutterError) -> Response:
    return Response(f"{error.explained}\n", content_type=TEXT)


ANSWERS: dict[Kind, Callable[[DeclutterError], Response]] = {
    "page": _page,
    "json": _json,
    "mercury": _mercury,
    "text": _text,
}


def answer(error: DeclutterError) -> Response:
    """The answer to ``error`` in the current route's kind, with the headers the error carries."""
    response = ANSWERS[kind_of(request)](error)
    if response.status_code == 200:  # a kind that sets its own status (Feedbin) keeps it
        response.status_code = error.status
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(error.retry_after)
    challenge = getattr(error, "challenge", None)
    if challenge:
        response.headers["WWW-Authenticate"] = challenge
    return response


def http_answer(error: HTTPException) -> Response | HTTPException:
    """One of werkzeug's errors: as a DeclutterError where the route speaks JSON, the error page
    for a crash, werkzeug's own answer otherwise (a 405 on a page route)."""
    if isinstance(error, RequestEntityTooLarge):  # a chunked body ran past its cap while read
        return answer(bodies.too_large(request.max_content_length or 0))
    kind = kind_of(request)
    if kind in ("json", "mercury"):
        return answer(_from_http(error))
    if kind == "page" and isinstance(error, InternalServerError):  # a bug, already logged
        return answer(DeclutterError())
    return error


def _from_http(error: HTTPException) -> DeclutterError:
    converted = DeclutterError(error.description or error.name, status=error.code or 500)
    converted.code = error.name.lower().replace(" ", "_")
    return converted


def init_app(app: Flask) -> None:
    """Answer every failure of the app here."""
    app.register_error_handler(DeclutterError, answer)
    app.register_error_handler(HTTPException, http_answer)
