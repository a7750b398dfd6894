"""The reader's ways in: the landing page, /read?url=, the direct proxy URL, private results,
/healthz.

Views are thin: parse the request, call one service function, render. Failures become a readable
page with the status errors.py gives them (failures.py answers them, as on every route).

The direct proxy URL (``/https://example.com/news/a?b=1``) is read from the raw request URI, because
the decoded path loses what the article's URL encoded (``%2F``, ``%20``), and its query string is
the article's, not ours. Werkzeug would redirect ``//`` to ``/`` (``merge_slashes``), so the rule
turns that off; clients and proxies that merge it anyway (``/https:/example.com``) are mended here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, unquote

from flask import Blueprint, Response, jsonify, redirect, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from proxy import ctx, service
from proxy.article import Article
from proxy.content import pipeline
from proxy.formats import render
from proxy.formats.imagelinks import ImageLinks
from proxy.store import cache
from proxy.web import headers, hosts, image_proxy

bp = Blueprint("reader", __name__)

# "https:/example.com" (one slash, or three) as left by a client that merged slashes.
_MERGED_SCHEME = re.compile(r"^(https?):/*(?=[^/])", re.IGNORECASE)
# A whole article URL percent-encoded into the path: "/https%3A%2F%2Fexample.com%2Fa".
_ENCODED_SCHEME = re.compile(r"^https?%3A", re.IGNORECASE)
HTML = render.MEDIA_TYPES["html"]
# /healthz cleans this page to prove the pipeline works in this process (a broken install answers
# 503).
HEALTH_PAGE = b"".join(
    (
        b"<html><head><title>Health</title></head><body><article><h1>Health</h1>",
        b"<p>The health check runs the whole pipeline on this small page, in the process that "
        b"answers.</p>",
        b"<p>It decodes the bytes, finds the article with readability and applies the cleaning "
        b"rules.</p>",
        b"<p>Then the sanitiser keeps what is allowed, and the text and the word count are "
        b"made.</p>",
        b"</article></body></html>",
    )
)
HEALTH_URL = "https://declutter.invalid/healthz"  # .invalid never resolves: nothing is fetched
# What /healthz says this server offers besides articles (the extension's feed entry needs "feeds").
FEATURES = ("feeds", "mercury", "fivefilters-extract", "feedbin-extract", "signed-urls")
# Proxied articles are other people's pages: keep them out of search engines.
ROBOTS = "User-agent: *\nDisallow: /\n"


@bp.get("/")
def index() -> str:
    """The landing page: a URL box, what Declutter does, the bookmarklet, the extension."""
    return render.page("index.html", base=request.host_url.rstrip("/"))


@bp.get("/read")
def read() -> Response:
    """The reader page for ``?url=``."""
    return _reader_page(
        ctx.request._get_current_object().args.get("url", ""), refresh=headers.wants_refresh()
    )


@bp.get("/read/r/<result_id>")
def result(result_id: str) -> Response:
    """The reader page of a page POSTed to the API, by its private result id."""
    article = service.read_result(result_id)
    epub_href = render.RESULT_EPUB_ROUTE.format(result_id=quote(result_id, safe=""))
    return headers.article_answer(
        article,
        lambda a: _page(a, image_proxy.links(), epub_href),
        HTML,
        cache_status=None,
        variant=image_proxy.html_variant(),
    )


@bp.get("/robots.txt")
def robots() -> Response:
    """Ask crawlers to index nothing."""
    return Response(ROBOTS, content_type="text/plain; charset=utf-8")


@bp.get("/favicon.ico")
def favicon() -> BaseResponse:
    """Browsers ask for it on every page; without this route it would be read as a direct proxy
    URL."""
    return redirect(url_for("static", filename="icon.svg"))


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """200 with the cache's state while the app can serve (uncached counts); 503 when it cannot."""
    kept = cache.current().state()
    state = {"service": "declutter", "cache": kept}
    try:
        pipeline.process(HEALTH_PAGE, HEALTH_URL)
    except Exception as exc:  # any failure here means articles cannot be served
        return jsonify(status="unavailable", error=repr(exc), **state), 503
    status = "ok" if kept["reachable"] else "degraded"
    return jsonify(status=status, features=FEATURES, **state), 200


@bp.get("/<path:target>", merge_slashes=False)
def direct(target: str) -> Response:
    """The direct proxy URL: this server's address followed by the article's."""
    asked = ctx.request._get_current_object()
    raw = asked.environ.get("RAW_URI") or asked.environ.get("REQUEST_URI")
    if not raw:
        raw = quote(asked.path) + (f"?{asked.query_string.decode()}" if asked.query_string else "")
    # "GET http://other/ HTTP/1.1" names its own host (checked by hosts.py): only its path is ours
    target = direct_target(hosts.origin_form(raw))
    return _reader_page(target, refresh=headers.wants_refresh(query_is_ours=False))


def direct_target(raw_uri: str) -> str:
    """The article URL in a direct proxy request URI: ``/https:/x.org/a%20b?q=1`` -> ``https://x.org/a%20b?q=1``."""
    target = raw_uri.removeprefix("/")
    if _ENCODED_SCHEME.match(target):
        target = unquote(target)
    return _MERGED_SCHEME.sub(r"\1://", target, count=1)


def _reader_page(url: str, *, refresh: bool) -> Response:
    """The page of the article at ``url``, read through the service like every other way in."""
    article, hit = service.read_article(url, refresh=refresh)
    return headers.article_answer(
        article,
        _page_here,
        HTML,
        cache_status="HIT" if hit else "MISS",
        variant=image_proxy.html_variant(),
    )


def _page_here(article: Article) -> bytes:
    """The reader page of this app (its image addresses are signed with its own secret)."""
    return _page(article, image_proxy.links())


@lru_cache(maxsize=render.RENDERED_PAGES)
def _page(article: Article, images: ImageLinks | None, epub_href: str | None = None) -> bytes:
    """The reader page's bytes, rendered and encoded once per article (hot ones come back often)."""
    page = render.as_html(article, controls=True, images=images, epub_href=epub_href)
    return page.encode("utf-8")
