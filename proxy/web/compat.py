"""The extraction APIs feed readers already call, answered from the same cached article service.

- Mercury (Postlight) parser: ``GET /parser?url=`` and ``POST /parse-html`` (``{"url", "html"}``),
  as the Tiny Tiny RSS and FreshRSS plugins call it. The plugins append the article URL without
  encoding it, so it is rebuilt from the raw query string (rawquery.py). ``contentType=html|
  markdown|text`` picks the form of ``content``; the markdown and text are render.py's.
- FiveFilters Full-Text RSS: ``GET /extract.php?url=``.
- Feedbin's extract service: ``GET|POST /parser/<user>/<signature>?base64_url=``, the signature
  the hex HMAC-SHA1 of the URL keyed with the user's secret (credentials.py). A POST with
  ``{"body": html}`` cleans the caller's copy, which, like every POSTed page, stays out of the
  shared cache.

Every failure answers Mercury's error shape ``{"error": true, "messages": "..."}``, with the status
errors.py gives it (always 400 on the Feedbin route, as Feedbin's own service does): failures.py
answers it, as on every route.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, current_app, jsonify, request

from proxy import service
from proxy.article import Article
from proxy.config import Settings
from proxy.errors import BadRequest, BadURL, Unauthorized
from proxy.formats import render
from proxy.web import credentials, rawquery

bp = Blueprint("compat", __name__)

EXTENSION = "declutter.extract_users"  # key in app.extensions: the Feedbin-style users
# Mercury's contentType values and what makes each from an article.
CONTENT_TYPES = {
    "html": lambda article: article.content_html,
    "markdown": render.as_markdown,
    "text": render.as_text,
}
# Languages written right to left, for Mercury's "direction".
RTL_LANGUAGES = frozenset(
    {"ar", "arc", "dv", "fa", "ha", "he", "khw", "ks", "ku", "ps", "sd", "ur", "yi"}
)


@bp.get("/parser")
def mercury() -> Response:
    """Mercury's parser: the article at ``?url=`` (unencoded or not) as Mercury's JSON."""
    content_type = _content_type()
    article, _ = service.read_article(_target())
    return jsonify(mercury_json(article, content_type))


@bp.post("/parse-html")
def mercury_html() -> Response:
    """Mercury's parse of a page the caller already has: ``{"url": ..., "html": ...}``."""
    content_type = _content_type()
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("html"), str):
        raise BadRequest('POST a JSON object {"url": "https://...", "html": "<html>..."}.')
    article, _ = service.clean_posted(str(data.get("url") or ""), data["html"])
    return jsonify(mercury_json(article, content_type))


@bp.get("/extract.php")
def ftr_extract() -> Response:
    """FiveFilters Full-Text RSS's extract endpoint."""
    asked = _target()
    article, _ = service.read_article(asked)
    return jsonify(
        {
            "title": article.title,
            "excerpt": article.excerpt,
            "date": article.published,
            "author": article.byline,
            "language": article.lang,
            "url": asked,
            "effective_url": article.url,
            "content": article.content_html,
        }
    )


@bp.route("/parser/<user>/<signature>", methods=["GET", "POST"])
def feedbin(user: str, signature: str) -> Response:
    """Feedbin's extract service: a base64url URL signed with the user's secret."""
    url = _base64_url(request.args.get("base64_url", ""))
    users: dict[str, str] = current_app.extensions[EXTENSION]
    if not credentials.feedbin_signed(user, signature, url, users):
        raise Unauthorized("The signature does not match this user and URL.")
    if request.method == "POST":
        data = request.get_json(silent=True)
        if not isinstance(data, dict) or not isinstance(data.get("body"), str):
            raise BadRequest('POST a JSON object {"body": "<html>..."}.')
        article, _ = service.clean_posted(url, data["body"])
    else:
        article, _ = service.read_article(url)
    return jsonify(mercury_json(article, "html"))


def mercury_json(article: Article, content_type: str) -> dict[str, object]:
    """An article in Mercury's shape: every field present, ``None`` for what is not known."""
    lang = (article.lang or "").split("-")[0].lower()
    return {
        "title": article.title or None,
        "content": CONTENT_TYPES[content_type](article),
        "author": article.byline,
        "date_published": article.published,
        "lead_image_url": article.lead_image,
        "dek": None,
        "next_page_url": None,
        "url": article.url,
        "domain": urlsplit(article.url).hostname,
        "excerpt": article.excerpt,
        "word_count": article.word_count,
        "direction": "rtl" if lang in RTL_LANGUAGES else "ltr",
        "total_pages": 1,
        "rendered_pages": 1,
    }


def _target() -> str:
    return rawquery.target(request.query_string.decode("utf-8", "replace"))


def _content_type() -> str:
    asked = request.args.get("contentType", "html").lower()
    if asked not in CONTENT_TYPES:
        raise BadRequest(f"Unknown contentType {asked!r}; use html, markdown or text.")
    return asked


def _base64_url(value: str) -> str:
    """The URL in a base64url parameter (padding optional); BadURL if it does not decode."""
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadURL("base64_url is not a base64url-encoded URL.") from None


def init_app(app: Flask) -> None:
    """Load the Feedbin-style users and add the routes."""
    settings: Settings = app.config["SETTINGS"]
    app.extensions[EXTENSION] = credentials.load_users(settings)
    app.register_blueprint(bp)
