"""Response headers in one place: security headers on every response, validators on articles.

The reader page shows someone else's HTML. bleach cleans it (sanitise.py); the Content-Security-
Policy is the second wall behind that: no script can run at all, styles come only from our own
/static, images from this server's image proxy (image_proxy.py; from anywhere when
DECLUTTER_IMAGE_PROXY=0, as they are the article's), nothing may frame us, and no Referer tells
image hosts which article is being read.

The security headers are added where answers leave the app (``hooks.on_answer``), so every answer
has them, errors Flask renders itself included.

Article responses also get ``X-Cache`` (HIT, MISS, or STALE for an old copy served because the
site failed), a weak ``ETag`` computed from the article (not from the bytes, which say
``"cached": true`` or false) and an answer of 304 to a matching ``If-None-Match``. A hot article is
answered many times a second, so its headers and the parsed validators it is asked with are kept
per worker rather than made again for each request.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from functools import lru_cache

from flask import Flask, Response
from werkzeug.datastructures import ETags
from werkzeug.datastructures import Headers as WerkzeugHeaders
from werkzeug.http import parse_etags, remove_entity_headers

from proxy import ctx
from proxy.article import Article
from proxy.ops import metrics
from proxy.web import hooks, intent

# No script-src: default-src 'none' forbids every script, inline or not, and every javascript: URL.
CSP = "; ".join(
    (
        "default-src 'none'",
        "img-src https: http: data:",  # the article's own images, wherever the site hosts them
        # reader.css and /prefs.css only, so an inline style cannot load anything
        "style-src 'self'",
        "form-action 'self'",  # the landing page's URL box submits to /read
        "base-uri 'none'",  # a <base> slipped into an article cannot re-aim relative URLs
        "frame-ancestors 'none'",  # no clickjacking through a frame
    )
)
# Sent on every response, JSON included (nosniff matters most there).
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
}
# Browsers may keep an article but must revalidate each time; with the ETag that costs a 304.
ARTICLE_CACHE_CONTROL = "private, no-cache"
# Request header values that ask for a fresh fetch (a hard reload sends the first).
NO_CACHE_TOKENS = ("no-cache", "no-store")
# Query values of ``refresh`` that ask for a fresh fetch.
REFRESH_VALUES = ("1", "true", "yes")
# Validators kept per worker, one per hot article and format (and the If-None-Match values seen).
ETAGS_KEPT = 1024
# WSGI names of the request headers other than If-None-Match that can make an answer conditional.
# A browser revalidating sends If-None-Match alone, answered here; with any of these werkzeug's
# make_conditional decides, and without any conditional header there is nothing to decide.
IF_NONE_MATCH = "HTTP_IF_NONE_MATCH"
OTHER_CONDITIONS = frozenset(
    {
        "HTTP_IF_MODIFIED_SINCE",
        "HTTP_IF_MATCH",
        "HTTP_IF_UNMODIFIED_SINCE",
        "HTTP_IF_RANGE",
        "HTTP_RANGE",
    }
)
# Methods whose answer a matching If-None-Match turns into a 304.
REVALIDATED_METHODS = frozenset({"GET", "HEAD"})
_SECURITY_ITEMS = tuple(SECURITY_HEADERS.items())
# With the image proxy on, every image of a page comes from this server (/img/) or is inline.
PROXIED_IMAGES = ("img-src https: http: data:", "img-src 'self' data:")
_PROXIED_ITEMS = tuple((name, value.replace(*PROXIED_IMAGES)) for name, value in _SECURITY_ITEMS)

Tags = tuple[tuple[str, str], ...]


class ArticleResponse(Response):
    """An article's answer: made afresh for each request, so its headers go out as they are.

    Before an answer starts, werkzeug copies its headers (checking every value again) so that it
    can make ``Location`` absolute, count a missing ``Content-Length`` and drop a 304's entity
    headers without touching a response object that might be reused. An article's answer is never
    reused, has no ``Location`` and its length from its bytes: only the 304's headers are left to
    drop, here and in place.
    """

    def get_wsgi_headers(self, environ: hooks.Environ) -> WerkzeugHeaders:
        if self.status_code == 304:
            remove_entity_headers(self.headers)
        return self.headers


class NotModified(ArticleResponse):
    """A 304 made as one: no body, so no media type to set and no entity headers to drop."""

    default_mimetype = None

    def get_wsgi_headers(self, environ: hooks.Environ) -> WerkzeugHeaders:
        return self.headers


def init_app(app: Flask) -> None:
    """Send the security headers on every response of the app."""
    hooks.on_answer(app, secure_proxied if app.config["SETTINGS"].image_proxy else secure)


def secure(environ: hooks.Environ, headers: hooks.HeaderList) -> None:
    """Add the security headers to an answer's header list (no view sets any of them itself)."""
    headers.extend(_SECURITY_ITEMS)


def secure_proxied(environ: hooks.Environ, headers: hooks.HeaderList) -> None:
    """``secure`` for an app whose images all come through its image proxy."""
    headers.extend(_PROXIED_ITEMS)


def article_answer(
    article: Article,
    body: Callable[[Article], bytes | str],
    media_type: str,
    *,
    cache_status: str | None,
    variant: str,
) -> Response:
    """An article's answer with X-Cache (counted), ETag and Cache-Control: ``body(article)`` as
    ``media_type``, or a 304 when the client already has it, for which no body is made at all."""
    tags, etag = article_tags(article, variant, cache_status)
    if cache_status is not None:
        metrics.count_cache("stale" if article.stale else cache_status.lower())
    asked = ctx.request._get_current_object()  # one look through the proxy, not one an attribute
    environ = asked.environ
    others = not environ.keys().isdisjoint(OTHER_CONDITIONS)  # dates, ranges: werkzeug decides
    if_none_match = None if others else environ.get(IF_NONE_MATCH)
    revalidating = if_none_match and asked.method in REVALIDATED_METHODS
    if revalidating and etags(if_none_match).contains_weak(etag):
        return _tagged(NotModified(status=304), tags)
    response = _tagged(ArticleResponse(body(article), content_type=media_type), tags)
    if others:
        response.make_conditional(asked)  # in place (it returns the same response)
    return response


def _tagged(response: Response, tags: Tags) -> Response:
    for name, value in tags:  # added, not set: a new response has none of them yet
        response.headers.add(name, value)  # (werkzeug's extend costs twice as much per header)
    return response


@lru_cache(maxsize=ETAGS_KEPT)
def article_tags(article: Article, variant: str, cache_status: str | None) -> tuple[Tags, str]:
    """The headers ``article_answer`` adds (X-Cache, ETag, Cache-Control), and the bare ETag."""
    etag = article_etag(article, variant)
    tags: Tags = (("ETag", f'W/"{etag}"'), ("Cache-Control", ARTICLE_CACHE_CONTROL))
    if cache_status is not None:
        tags = (("X-Cache", "STALE" if article.stale else cache_status), *tags)
    return tags, etag


@lru_cache(maxsize=ETAGS_KEPT)
def etags(if_none_match: str) -> ETags:
    """An If-None-Match value parsed (revalidating readers of a hot article send the same one)."""
    return parse_etags(if_none_match)


@lru_cache(maxsize=ETAGS_KEPT)
def article_etag(article: Article, variant: str) -> str:
    """A validator that changes when the article (or the format it is shown in) changes."""
    canonical = json.dumps(article.to_dict(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{variant}\n{canonical}".encode()).hexdigest()[:32]


def wants_refresh(
    *, query_is_ours: bool = True, allowed_origin: intent.OriginCheck | None = None
) -> bool:
    """True when the request asks to refetch: ``?refresh=1`` or ``Cache-Control: no-cache``.

    On the direct proxy URL the query string belongs to the article's URL, so only the header
    counts. A refresh spends the reader's fetch budget, so one asked from inside another page (an
    article's ``<img>``) is refused with NotDeliberate (intent.py); ``allowed_origin`` names the
    cross-origin callers whose calls count as deliberate (the API's CORS origins).
    """
    asked = ctx.request._get_current_object()
    environ = asked.environ  # read directly: a missing header costs werkzeug an exception
    if _asks_refresh(environ, asked.args if query_is_ours else None):
        intent.require(intent.deliberate(environ, allowed_origin))
        return True
    return False


def _asks_refresh(environ: hooks.Environ, args: Mapping[str, str] | None) -> bool:
    if "HTTP_CACHE_CONTROL" in environ or "HTTP_PRAGMA" in environ:
        directives = f"{environ.get('HTTP_CACHE_CONTROL', '')} {environ.get('HTTP_PRAGMA', '')}"
        if any(token in directives.lower() for token in NO_CACHE_TOKENS):
            return True
    # looked into first: a missing key costs werkzeug's get an exception too
    return args is not None and "refresh" in args and args["refresh"].lower() in REFRESH_VALUES
