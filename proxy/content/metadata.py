"""Metadata of a page: title, byline, dates, site name, language, lead image, description.

The one entry point of the metadata code (its parts live in ``proxy.content.meta``).
readability-lxml 0.9 finds no date, site name, language or lead image, and JSON-LD lives in the
scripts it drops, so ``extract`` calls ``read_metadata`` on the whole page before anything is
removed. Workflow:
1. JSON-LD objects, read by a bounded walk (``meta.jsonld``), and the meta tags, read once;
2. the site's name (declared, else the host), then the title without its " | Site" part;
3. the byline (``meta.byline``; none on a site's front page, which lists other people's stories),
   then the published and modified dates (``meta.dates``), weighed by what the page says it is (a
   story, a listing; who wrote it), a date in numbers read in its language's order (so the
   language, ``meta.lang``, is found before them);
4. the lead image, the canonical URL and the description.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin

from lxml.html import HtmlElement

from proxy.content.meta import byline, datefmt, dates, jsonld, lang, title, walks
from proxy.content.meta.title import heading_text as heading_text  # extract's headings read so too
from proxy.content.text import squash as squash  # one whitespace rule for all the content rules

# Meta tags per field, in order of trust (name=, property=, itemprop= or http-equiv=).
META_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("og:title", "twitter:title", "dc.title", "sailthru.title"),
    "site_name": ("og:site_name", "application-name", "publisher", "dc.publisher"),
    "lead_image": (
        "og:image",
        "og:image:url",
        "og:image:secure_url",
        "twitter:image",
        "twitter:image:src",
        "thumbnailurl",
    ),
    "excerpt": ("og:description", "description", "twitter:description", "dc.description"),
    "lang": ("og:locale", "content-language", "language", "dc.language"),
    "canonical_url": ("og:url",),
}
# The elements metadata is read from beside the page's text: meta tags, links (the canonical URL,
# feeds) and scripts (JSON-LD); and the headings and <time> elements its parts look for.
WALKED_TAGS = ("meta", "link", "script", *walks.MARK_TAGS)
# Media types a page names its feeds with in <link rel="alternate" type=...> (the feed_url field).
FEED_LINK_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json"}
)


def read_metadata(
    doc: HtmlElement,
    url: str,
    content_language: str | None = None,
    walked: dict[str, list[HtmlElement]] | None = None,
) -> dict[str, str]:
    """The page's metadata by field (``doc`` is the parsed page; ``walked``: its ``by_tag``, when
    the caller walked it); fields the page does not give are left out."""
    walked = by_tag(doc) if walked is None else walked
    marks = walks.Marks.of(walked)
    objects = jsonld.from_scripts(walked["script"])
    article = jsonld.article(objects) or {}
    tags = meta_tags(walked["meta"])
    site = title.site_name(_first(tags, "site_name") or _publisher(article, objects), url)
    declared = [jsonld.text(article.get("headline")), *(tags.get(k) for k in META_FIELDS["title"])]
    index = jsonld.by_id(objects)
    story = jsonld.is_story(objects)
    host = next(iter(title.site_names(None, url)), None)
    publisher = next(iter(jsonld.names(article.get("publisher"), index)), None)
    webpage = not story and jsonld.any_of(objects, {"webpage"})
    og_type = tags.get("og:type", "").strip().lower()
    og_article = (
        og_type == "article" and not article and not jsonld.any_of(objects, dates.OFFER_TYPES)
    )
    titles = tuple(t for t in (*declared, walks.first_text(doc, "title")) if t)
    signed = byline.Declared(
        article, index, tags, site, host, story or og_article, publisher, webpage, titles
    )
    author = None if byline.front_page(url) else byline.find(doc, signed, marks)
    declared_lang = jsonld.text(article.get("inLanguage")) or _first(tags, "lang")
    language = lang.find(doc, content_language, declared_lang)
    page = dates.Page(
        story=story,
        person=jsonld.any_of(objects, {"person"}),
        author=byline.declared(signed),
        collection=not story and jsonld.any_of(objects, dates.COLLECTION_TYPES),
        byline=bool(author),
        og_article=og_article,
        og_website=og_type == "website",
        month_first=datefmt.month_first(doc.get("lang"), content_language, declared_lang, language),
    )
    published, modified = dates.find(doc, url, article, tags, page, marks)
    found = {
        "title": title.find(doc, declared, site, url, marks),
        "byline": author,
        "site_name": site,
        "published": published,
        "modified": modified,
        "lang": language,
        "lead_image": _absolute(
            url,
            jsonld.url(article.get("image") or article.get("thumbnailUrl"))
            or _first(tags, "lead_image"),
        ),
        "canonical_url": _absolute(
            url, _canonical(walked["link"]) or _first(tags, "canonical_url")
        ),
        "excerpt": jsonld.text(article.get("description")) or _first(tags, "excerpt"),
        "feed_url": _feed(walked["link"], url),
    }
    return {k: squash(v) for k, v in found.items() if v and squash(v)}


def by_tag(doc: HtmlElement) -> dict[str, list[HtmlElement]]:
    """The page's ``WALKED_TAGS`` elements by tag, each in page order. Speed shortcut: one walk
    for the three, where a walk for each took three times as long (0.27 ms each, 0.30 ms the
    three, on a modern-web-dev page); then the headings and <time> elements (``walks.Marks``)."""
    return walks.by_tag(doc, WALKED_TAGS)


def meta_tags(metas: Iterable[HtmlElement]) -> dict[str, str]:
    """Each meta tag's content by its lower-cased name, the first of each name kept (``metas``:
    the page's <meta> elements in order). A tag without ``content`` may give it in ``value``
    (``<meta value="article" name="og:type">``: 9 pages of modern-web-dev write some tags so, and
    a page saved by the peer parser, which rewrites ``content`` to ``value``, all of them)."""
    values: dict[str, str] = {}
    for tag in metas:
        key = (
            tag.get("property")
            or tag.get("name")
            or tag.get("itemprop")
            or tag.get("http-equiv")
            or ""
        ).lower()
        content = tag.get("content") or tag.get("value")
        if key and content and content.strip() and key not in values:
            values[key] = content
    return values


def _first(tags: dict[str, str], field: str) -> str | None:
    return next((tags[name] for name in META_FIELDS[field] if tags.get(name)), None)


def _publisher(article: dict[str, Any], objects: list[dict[str, Any]]) -> str | None:
    """The publisher's name: the article's, else a WebSite or Organization object's."""
    named = jsonld.name(article.get("publisher"))
    if named:
        return named
    site = next((o for o in objects if jsonld.types(o) & {"website", "organization"}), None)
    return jsonld.text(site.get("name")) if site else None


def feed_link(doc: HtmlElement, base: str) -> str | None:
    """The first feed a page declares with ``<link rel="alternate" type=...>``, made absolute."""
    return _feed(doc.iter("link"), base)


def _feed(links: Iterable[HtmlElement], base: str) -> str | None:
    for link in links:
        rels = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        if "alternate" in rels and kind in FEED_LINK_TYPES and link.get("href"):
            return _absolute(base, link.get("href"))
    return None


def _canonical(links: Iterable[HtmlElement]) -> str | None:
    for link in links:
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return link.get("href")
    return None


def _absolute(base: str, value: str | None) -> str | None:
    """``value`` made absolute; None when it is no URL at all ("http://[x/" raises in urljoin)."""
    try:
        return urljoin(base, value) if value else None
    except ValueError:
        return None
