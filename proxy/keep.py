"""Keeping an article: ``GET /epub?url=`` (the reader page's EPUB link) and the API's
``format=epub`` answer with the same EPUB, made by epub.py from the cached article;
``GET /epub/r/<result_id>`` makes it from a POSTed page's private result (a page behind a login,
which a fetch by URL would not see).

The reader page links here rather than to the API because the API takes only Bearer tokens,
while a signed-in browser carries the sign-in cookie. Images come through the image proxy's
guarded path (``image_proxy.load``: Redis, then fetch.py with the address guard on every hop); one
that fails is left out of the book.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, request

from . import epub, headers, image_proxy, render, service
from .article import Article
from .errors import DeclutterError

bp = Blueprint("keep", __name__)
log = logging.getLogger(__name__)


@bp.get(render.EPUB_ROUTE)
def epub_file() -> Response:
    """The EPUB of the article at ``?url=``, read through the shared cache like the reader page."""
    url = request.args.get("url", "")
    article, hit = service.read_article(url, refresh=headers.wants_refresh())
    return epub_answer(article, cache_status="HIT" if hit else "MISS")


@bp.get(render.RESULT_EPUB_ROUTE.replace("{result_id}", "<result_id>"))
def result_epub(result_id: str) -> Response:
    """The EPUB of a page POSTed to the API, by its private result id."""
    return epub_answer(service.read_result(result_id), cache_status=None)


def epub_answer(article: Article, *, cache_status: str | None) -> Response:
    """An article's EPUB as a download, with the ETag and 304 every article answer has."""
    response = headers.article_answer(article, lambda a: epub.build(a, _load_image),
                                      epub.MEDIA_TYPE, cache_status=cache_status, variant="epub")
    response.headers["Content-Disposition"] = f'attachment; filename="{epub.filename(article)}"'
    return response


def _load_image(url: str) -> tuple[str, bytes] | None:
    """An image for the book, or None when it cannot be had (the book is made without it)."""
    try:
        media_type, data, _ = image_proxy.load(url)
    except DeclutterError as error:
        log.info("EPUB without the image %s: %s", url, error.message)
        return None
    return media_type, data


@bp.errorhandler(DeclutterError)
def _error_page(error: DeclutterError) -> Response:
    """A failure as the reader's error page: these links are opened by people, not programs."""
    return Response(render.error_html(error, request.args.get("url")), status=error.status,
                    content_type=render.MEDIA_TYPES["html"])
