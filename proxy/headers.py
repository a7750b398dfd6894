"""Response headers in one place: security headers on every response, validators on articles.

The reader page shows someone else's HTML. bleach cleans it (sanitise.py); the Content-Security-
Policy is the second wall behind that: no script can run at all, styles come only from our own
/static, images from anywhere (they are the article's), nothing may frame us, and no Referer tells
image hosts which article is being read.

Article responses also get ``X-Cache`` (HIT, MISS, or STALE for an old copy served because the
site failed), a weak ``ETag`` computed from the article (not from the bytes, which say
``"cached": true`` or false) and an answer of 304 to a matching ``If-None-Match``.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from flask import Flask, Response, request
from werkzeug.http import parse_etags

from .article import Article

# No script-src: default-src 'none' forbids every script, inline or not, and every javascript: URL.
CSP = "; ".join((
    "default-src 'none'",
    "img-src https: http: data:",  # the article's own images, wherever the site hosts them
    "style-src 'self'",  # static/reader.css only, so an inline style attribute cannot load anything
    "form-action 'self'",  # the landing page's URL box submits to /read
    "base-uri 'none'",  # a <base> slipped into an article cannot re-aim relative URLs
    "frame-ancestors 'none'",  # no clickjacking through a frame
))
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
# Validators kept per worker, one per hot article and format.
ETAGS_KEPT = 1024
# WSGI names of the request headers other than If-None-Match that can make an answer conditional.
# A browser revalidating sends If-None-Match alone, answered here; with any of these werkzeug's
# make_conditional decides, and without any conditional header there is nothing to decide.
IF_NONE_MATCH = "HTTP_IF_NONE_MATCH"
OTHER_CONDITIONS = ("HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE",
                    "HTTP_IF_RANGE", "HTTP_RANGE")
# SECURITY_HEADERS as (lower-case name, name, value), for the one look at what a view has set.
_SECURITY_ITEMS = tuple((name.lower(), name, value) for name, value in SECURITY_HEADERS.items())


def init_app(app: Flask) -> None:
    """Send the security headers on every response of the app."""
    app.after_request(secure)


def secure(response: Response) -> Response:
    """Add the security headers a view has not set itself."""
    present = set(response.headers.keys(lower=True))
    for lower, name, value in _SECURITY_ITEMS:
        if lower not in present:
            response.headers.add(name, value)
    return response


def tag_article(response: Response, article: Article, *, cache_status: str | None, variant: str) -> Response:
    """Mark an article response: X-Cache, ETag and Cache-Control; 304 when the client has it."""
    if cache_status is not None:
        response.headers["X-Cache"] = "STALE" if article.stale else cache_status
    etag = article_etag(article, variant)
    response.headers["ETag"] = f'W/"{etag}"'
    response.headers["Cache-Control"] = ARTICLE_CACHE_CONTROL
    environ = request.environ
    if any(name in environ for name in OTHER_CONDITIONS):
        return response.make_conditional(request)
    revalidating = IF_NONE_MATCH in environ and request.method in ("GET", "HEAD")
    if revalidating and parse_etags(environ[IF_NONE_MATCH]).contains_weak(etag):
        response.status_code = 304  # werkzeug then sends neither the body nor its headers
    return response


@lru_cache(maxsize=ETAGS_KEPT)
def article_etag(article: Article, variant: str) -> str:
    """A validator that changes when the article (or the format it is shown in) changes."""
    canonical = json.dumps(article.to_dict(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{variant}\n{canonical}".encode("utf-8")).hexdigest()[:32]


def wants_refresh(*, query_is_ours: bool = True) -> bool:
    """True when the request asks to refetch: ``?refresh=1`` or ``Cache-Control: no-cache``.

    On the direct proxy URL the query string belongs to the article's URL, so only the header counts.
    """
    environ = request.environ  # read directly: a missing header costs werkzeug an exception
    asked = f"{environ.get('HTTP_CACHE_CONTROL', '')} {environ.get('HTTP_PRAGMA', '')}".lower()
    if any(token in asked for token in NO_CACHE_TOKENS):
        return True
    return query_is_ours and request.args.get("refresh", "").lower() in REFRESH_VALUES
