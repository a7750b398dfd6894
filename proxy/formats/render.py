"""An Article in the four forms Declutter serves: the reader page, JSON, Markdown and plain text.

Templates render through a Jinja environment of our own (autoescaped, no Flask needed), so the CLI
renders exactly what the web routes serve. ``content_html`` is marked safe only because
sanitise.py produced it; every other field is escaped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape

from proxy.article import Article
from proxy.content import markdown_body
from proxy.errors import DeclutterError
from proxy.formats import readersettings
from proxy.formats.imagelinks import ImageLinks

# The templates of proxy/templates, autoescaped; rendered outside Flask too (CLI).
_ENV = Environment(
    loader=PackageLoader("proxy", "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
STYLESHEET = "/static/reader.css"  # where the web app serves reader.css; the CLI passes a file: URL
# The media type of each format, each with its charset.
MEDIA_TYPES = {
    "json": "application/json; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "text": "text/plain; charset=utf-8",
}
META_SEPARATOR = " · "  # between byline, site, date and reading time in Markdown and text
# Errors for which a link to the original page helps (the site answered, but not with an article).
LINK_ORIGINAL_ON = frozenset({404, 410, 413, 415, 422, 502, 504})
# Where a reader page's EPUB link points (keep.py's routes; the API's format=epub wants a token),
# and that of a POSTed page's private result, by its id.
EPUB_ROUTE = "/epub"
RESULT_EPUB_ROUTE = "/epub/r/{result_id}"
# Reader pages kept rendered per worker: a hot article comes back as the same value many times a
# second.
RENDERED_PAGES = 256


def render(
    article: Article,
    fmt: str,
    *,
    cached: bool = False,
    extra: Mapping[str, Any] | None = None,
    stylesheet: str = STYLESHEET,
    images: ImageLinks | None = None,
) -> str:
    """The article in ``fmt`` (one of MEDIA_TYPES); ``images`` serves the HTML's images."""
    renderers = {
        "json": lambda: as_json(article, cached=cached, extra=extra),
        "html": lambda: as_html(article, stylesheet=stylesheet, images=images),
        "markdown": lambda: as_markdown(article),
        "text": lambda: as_text(article),
    }
    return renderers[fmt]()


@lru_cache(maxsize=RENDERED_PAGES)
def as_html(
    article: Article,
    *,
    stylesheet: str = STYLESHEET,
    controls: bool = False,
    images: ImageLinks | None = None,
    epub_href: str | None = None,
) -> str:
    """The reader page: header (site, title, byline, date, reading time), the article, the source.

    ``controls`` adds the reader's tools (settings form, EPUB link, per-reader stylesheet): the
    same bytes for every reader still, as their settings come from that stylesheet alone.
    ``images`` serves the article's images through the image proxy (image_proxy.py);
    ``epub_href`` is where the EPUB link points (by default the shared article's, by its URL).
    """
    lead = article.lead_image
    original = article.canonical_url or article.url
    return page(
        "reader.html",
        stylesheet=stylesheet,
        article=article,
        host=_host(original),  # the host the link goes to, not the one the page was read from
        original=original,
        date=display_date(article.published),
        updated=updated_date(article),
        show_lead=bool(lead and lead not in article.content_html),
        content=images.rewrite(article.content_html) if images else article.content_html,
        lead_src=images.address(lead) if images and lead else lead,
        **(_controls(article, epub_href) if controls else {}),
    )


def _controls(article: Article, epub_href: str | None) -> dict[str, Any]:
    """What the reader template needs for its tools (readersettings.py, the EPUB route)."""
    return {
        "controls": True,
        "settings": readersettings.form(),
        "prefs_stylesheet": readersettings.STYLESHEET,
        "epub_href": epub_href or f"{EPUB_ROUTE}?url={quote(article.url, safe='')}",
    }


def as_json(
    article: Article, *, cached: bool = False, extra: Mapping[str, Any] | None = None
) -> str:
    """Every field of the article, ``cached``, and whatever ``extra`` adds (a POST's result id)."""
    return json.dumps({**article.to_dict(), "cached": cached, **(extra or {})}, ensure_ascii=False)


def as_markdown(article: Article) -> str:
    """The article as Markdown: the title as a # heading, a metadata line, the original's URL, the
    body.

    The body was converted once, by the pipeline; every field is escaped (markdown_body.py).
    """
    meta = markdown_body.inline(META_SEPARATOR.join(_meta_parts(article)))
    source = markdown_body.autolink(article.canonical_url or article.url)
    parts = [
        f"# {markdown_body.inline(article.title)}",
        f"*{meta}*" if meta else "",
        source,
        markdown_body_of(article),
    ]
    return "\n\n".join(part for part in parts if part) + "\n"


def markdown_body_of(article: Article) -> str:
    """The article's body as Markdown: the one kept with it, or converted now for an older copy."""
    if article.markdown is not None:
        return article.markdown
    return markdown_body.convert_body(article.content_html)


def as_text(article: Article) -> str:
    """The article as plain text: title, metadata line, the original's URL, then the text."""
    head = [
        article.title,
        META_SEPARATOR.join(_meta_parts(article)),
        article.canonical_url or article.url,
    ]
    return "\n".join(part for part in head if part) + "\n\n" + article.text.strip() + "\n"


def error_html(
    error: DeclutterError, url: str | None = None, *, stylesheet: str = STYLESHEET
) -> str:
    """A readable page for a failure, with a link to the original when the site itself answered."""
    original = url if url and error.status in LINK_ORIGINAL_ON else None
    return page("error.html", stylesheet=stylesheet, error=error, url=url, original=original)


def page(template: str, **context: Any) -> str:
    """Render one of proxy/templates."""
    context.setdefault("stylesheet", STYLESHEET)
    return _ENV.get_template(template).render(**context)


def display_date(published: str | None) -> str | None:
    """``2026-11-29T08:00:00Z`` as ``29 November 2026``; anything unparsable as given."""
    if not published:
        return None
    try:
        when = datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        return published
    return f"{when.day} {when:%B %Y}"


def updated_date(article: Article) -> str | None:
    """The day of the last change as shown, when it is another day than the publication's."""
    updated = display_date(article.modified)
    return updated if updated != display_date(article.published) else None


def _meta_parts(article: Article) -> list[str]:
    updated = updated_date(article)
    parts = [
        f"By {article.byline}" if article.byline else "",
        article.site_name or "",
        display_date(article.published) or "",
        f"updated {updated}" if updated else "",
        f"{article.reading_minutes} min read",
    ]
    return [part for part in parts if part]


def _host(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")
