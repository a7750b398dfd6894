"""The JSON API: GET an article by URL in any format, or POST a page the caller already has.

``GET /api/v1/article?url=...&format=json|html|markdown|text|epub`` reads through the shared cache.
``POST /api/v1/article`` with ``{"url": ..., "html": ...}`` cleans the caller's copy (perhaps a
page behind their login) and never touches the shared cache: the answer carries a private
``result_id`` and ``reader_url`` instead. Every failure answers ``{"error": {...}}`` with the
status errors.py gives it (failures.py answers it, as on every route).
"""

from __future__ import annotations

from functools import partial

from flask import Blueprint, Response, current_app, request, url_for

from proxy import service
from proxy.article import Article
from proxy.errors import BadRequest
from proxy.formats import render
from proxy.web import cors, headers, image_proxy, keep

bp = Blueprint("api", __name__, url_prefix="/api/v1")

DEFAULT_FORMAT = "json"
# Every format the API answers in: render.py's, and the EPUB (keep.py) as a download.
EPUB = "epub"
FORMATS = (*render.MEDIA_TYPES, EPUB)
# A JSON-encoded page is larger than the page: escapes can double it, plus room for the URL.
JSON_OVERHEAD = 2
JSON_SLACK_BYTES = 65536


@bp.get("/article")
def get_article() -> Response:
    """An article by ``?url=``, in ``?format=`` (json by default)."""
    fmt = _format()
    callers = partial(cors.is_allowed_origin, configured=current_app.extensions[cors.EXTENSION])
    refresh = headers.wants_refresh(allowed_origin=callers)
    article, hit = service.read_article(request.args.get("url", ""), refresh=refresh)
    return _respond(article, fmt, cached=hit)


@bp.post("/article")
def post_article() -> Response:
    """Clean a POSTed page; the answer adds ``result_id`` and ``reader_url`` (null without a
    cache)."""
    fmt = _format()
    url, html = _posted_page()
    article, result_id = service.clean_posted(url, html)
    reader_url = (
        url_for("reader.result", result_id=result_id, _external=True) if result_id else None
    )
    return _respond(
        article, fmt, cached=False, extra={"result_id": result_id, "reader_url": reader_url}
    )


def _format() -> str:
    fmt = request.args.get("format", DEFAULT_FORMAT).lower()
    if fmt not in FORMATS:
        raise BadRequest(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    return fmt


def _posted_page() -> tuple[str, str]:
    """The posted URL and page; the body's size was capped by bodies.py before this reads it."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("html"), str):
        raise BadRequest()
    return str(data.get("url") or ""), data["html"]


def _respond(
    article: Article, fmt: str, *, cached: bool, extra: dict[str, object] | None = None
) -> Response:
    if fmt == EPUB:
        return keep.epub_answer(article, cache_status="HIT" if cached else "MISS")
    images = image_proxy.links(absolute=True) if fmt == "html" else None

    def body(article: Article) -> bytes | str:
        return render.render(article, fmt, cached=cached, extra=extra, images=images)

    variant = image_proxy.html_variant() if fmt == "html" else fmt
    return headers.article_answer(
        article,
        body,
        render.MEDIA_TYPES[fmt],
        cache_status="HIT" if cached else "MISS",
        variant=variant,
    )
