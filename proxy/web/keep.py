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
import time

from flask import Blueprint, Response, request

from proxy import service
from proxy.article import Article
from proxy.errors import DeclutterError
from proxy.formats import epub, render
from proxy.web import headers, image_proxy

bp = Blueprint("keep", __name__)
log = logging.getLogger(__name__)

# Seconds a book may spend fetching its images (each also has the fetch timeout); images still to
# load then are left out, so a site that drips its images cannot hold a download for minutes.
IMAGES_SECONDS = 20.0


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

    def book(article: Article) -> bytes:
        return epub.build(article, _image_loader(time.monotonic() + IMAGES_SECONDS))

    response = headers.article_answer(
        article, book, epub.MEDIA_TYPE, cache_status=cache_status, variant="epub"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{epub.filename(article)}"'
    return response


def _image_loader(deadline: float) -> epub.Loader:
    """Loads the book's images until ``deadline`` (time.monotonic); later ones are left out."""

    def load(url: str) -> tuple[str, bytes] | None:
        if time.monotonic() >= deadline:
            log.info("EPUB without the image %s: the book's time for images is spent", url)
            return None
        try:
            media_type, data, _ = image_proxy.load(url)
        except DeclutterError as error:
            log.info("EPUB without the image %s: %s", url, error.message)
            return None
        return media_type, data

    return load
