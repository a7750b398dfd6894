"""The content pipeline: page bytes and their URL in, a clean Article out. Pure: no network, no
Redis.

Workflow:
1. charset.decode   bytes -> text (HTTP header, BOM, <meta>, detection)
2. extract.extract  readability-lxml finds the article; metadata from JSON-LD, Open Graph, meta tags
3. clean.clean      ad and promo boilerplate removed by the rules in rules.py, the headings'
                   permalinks (permalinks.py), a newsletter's closing promotion (closing.py),
                   the author's biography (bios.py) and a paragraph of links ending the
                   article (endlinks.py)
4. sanitise         bleach allowlist, absolute URLs, safe srcset, rel=noopener
5. Article          text and Markdown (made here, once per article), word count and the rest

The web routes, the CLI and the benchmark all call ``process``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import islice

from lxml.html import HtmlElement

from proxy import errors, htmltree, siterules
from proxy.article import Article
from proxy.content import clean, extract, markdown_body, sanitise, text
from proxy.content import pages as pages_mod
from proxy.content.charset import decode
from proxy.content.meta import excerpt

# Fewer words than this in the cleaned body is not an article (a login wall, an empty shell).
MIN_ARTICLE_WORDS = 1
_WORD = re.compile(r"\w+")


def process(
    body: bytes,
    url: str,
    headers: Mapping[str, str] | None = None,
    more: Sequence[tuple[bytes, str, Mapping[str, str]]] = (),
) -> Article:
    """Turn one page (and the ``more`` pages of the same article after it) into an Article;
    raises NoArticle when nothing reads as an article."""
    site = siterules.for_url(url)  # the host's rule file, if any (siterules/)
    try:
        with htmltree.elements_kept():  # the page's walks reuse its elements' objects
            return _process(body, url, headers, more, site)
    except errors.PageTooComplex:
        raise
    except errors.NoArticle:  # rules written for another layout of the site stripped it all
        if site is None or not site.switches["autodetect_on_failure"]:
            raise
        with htmltree.elements_kept():
            return _process(body, url, headers, more, None)


def _process(
    body: bytes,
    url: str,
    headers: Mapping[str, str] | None,
    more: Sequence[tuple[bytes, str, Mapping[str, str]]],
    site: siterules.SiteRules | None,
) -> Article:
    content_type = _header(headers, "content-type")
    found = extract.extract(
        decode(body, content_type), url, _header(headers, "content-language"), site=site
    )
    pages = 1 + pages_mod.join(found.article, more, site)
    html = _clean_and_sanitise(found.article, url, found.links_are_content, found.byline)
    body_text = text.to_text(html)
    if _too_few_words(body_text):
        raise errors.NoArticle()
    return Article(
        url=url,
        title=found.title,
        content_html=html,
        text=body_text,
        canonical_url=_safe_url(found.canonical_url, url),
        byline=found.byline,
        site_name=found.site_name,
        published=found.published,
        modified=found.modified,
        lang=found.lang,
        lead_image=_safe_url(found.lead_image, url),
        excerpt=excerpt.find(found.excerpt, body_text, found.title),
        feed_url=_safe_url(found.feed_url, url),
        markdown=markdown_body.convert_body(html),
        pages=pages,
        native_ad=found.native_ad,
    )


def _clean_and_sanitise(
    article: HtmlElement | None,
    url: str,
    links_are_content: bool = False,
    byline: str | None = None,
) -> str:
    """The article cleaned and sanitised, one tree handed from extraction to the last step."""
    if article is None:
        return ""
    wrapper = htmltree.PARSER.makeelement("div")
    wrapper.append(article)
    htmltree.keep(wrapper)  # the cleaning's and the sanitiser's walks reuse its elements' objects
    content = htmltree.PARSER.makeelement(
        "div"
    )  # sanitise_tree serialises its children: the article's <div>
    content.append(clean.clean(wrapper, links_are_content=links_are_content, byline=byline))
    return sanitise.sanitise_tree(content, url)


def _too_few_words(body_text: str) -> bool:
    """Whether the body has fewer than MIN_ARTICLE_WORDS words: counted up to that number only
    (a list of every word of the article was 1.5% of the pipeline's time). Speed shortcut."""
    return len(list(islice(_WORD.finditer(body_text), MIN_ARTICLE_WORDS))) < MIN_ARTICLE_WORDS


def _safe_url(value: str | None, base_url: str) -> str | None:
    """A metadata URL made absolute, or None unless http(s): it reaches readers outside the
    article."""
    return sanitise.safe_url(value, base_url) if value else None


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    """A header by case-insensitive name (fetch lower-cases keys; callers may not)."""
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return value
    return None
