"""Articles split over several pages: which page comes next, and the pages joined into one.

The service fetches (each hop through fetch.fetch: address guard, host lists, per-host slots);
this module only decides. A host's ``single_page_link`` is preferred: when it points somewhere,
that one page is read instead. Otherwise ``next_page_link`` is followed, or, without such a rule,
a ``<link rel="next">`` / ``<a rel="next">`` on a page that declares itself an article (an
``<article>`` element or ``og:type`` article), to the same host only. At most ``MAX_PAGES``
pages; a URL already read ends the chain (a loop of next links), and so does any failure of a
later page: the pages read so far are kept.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from proxy.content import charset
from proxy.content.extract import extract, parse
from proxy.errors import DeclutterError
from proxy.net import urls
from proxy.siterules.apply import link, replace
from proxy.siterules.parse import SiteRules

log = logging.getLogger(__name__)

# Pages of one article read at most (Full-Text RSS stops at 10 too); each is a fetch.
MAX_PAGES = 10
# A page without a next_page_link rule is followed only if it carries one of these and looks
# like an article: cheap byte tests before any parse.
_REL_NEXT = re.compile(rb"""rel\s*=\s*["']?next\b""", re.I)
_ARTICLE = re.compile(rb"""<article\b|og:type["']\s+content\s*=\s*["']article""", re.I)
_REL_NEXT_XPATH = "(//link[@rel='next']/@href | //a[@rel='next']/@href)[1]"

Page = tuple[bytes, str, Mapping[str, str]]  # body, final URL, response headers
Fetch = Callable[[str], Page]


def follow(first: Page, site: SiteRules | None, fetch: Fetch) -> tuple[Page, list[Page]]:
    """The page to read first (the single-page version when there is one) and the pages after it."""
    single = _single_page(first, site)
    if single:
        try:
            return fetch(single), []
        except DeclutterError as exc:
            log.info("single-page version %s not read (%s); using the page", single, exc.message)
    return first, _next_pages(first, site, fetch)


def _next_pages(first: Page, site: SiteRules | None, fetch: Fetch) -> list[Page]:
    seen = {urls.normalise(first[1])}
    more: list[Page] = []
    page = first
    while len(more) + 1 < MAX_PAGES and (target := next_url(page, site)):
        try:
            if urls.normalise(target) in seen:  # a loop of next links
                break
            seen.add(urls.normalise(target))
            page = fetch(target)
        except DeclutterError as exc:  # refused, gone, too slow: keep what was read
            log.info(
                "next page %s not read (%s); %d page(s) kept", target, exc.message, len(seen) - 1
            )
            break
        more.append(page)
    return more


def next_url(page: Page, site: SiteRules | None) -> str | None:
    """The next page's URL by the host's rule, or by an obvious rel=next without one."""
    body, url, headers = page
    if site is not None and site.next_page_link:
        return link(_doc(page, site), site, site.next_page_link, url)
    if not (_REL_NEXT.search(body) and _ARTICLE.search(body)):
        return None
    found = _doc(page, site).xpath(_REL_NEXT_XPATH)
    target = urljoin(url, str(found[0]).strip()) if found else None
    same_host = target and urlsplit(target).hostname == urlsplit(url).hostname
    return target if same_host else None


def _single_page(page: Page, site: SiteRules | None) -> str | None:
    if site is None or not site.single_page_link:
        return None
    target = link(_doc(page, site), site, site.single_page_link, page[1])
    return target if target and target.split("#")[0] != page[1].split("#")[0] else None


def _doc(page: Page, site: SiteRules | None) -> HtmlElement:
    body, _, headers = page
    text = charset.decode(body, _content_type(headers))
    return parse(replace(text, site))


def _content_type(headers: Mapping[str, str]) -> str | None:
    return next((v for k, v in headers.items() if k.lower() == "content-type"), None)


def join(article: HtmlElement | None, more: Sequence[Page], site: SiteRules | None) -> int:
    """The articles of the ``more`` pages appended to ``article`` in order; how many were joined."""
    joined = 0
    for body, url, headers in more:
        found = extract(charset.decode(body, _content_type(headers)), url, site=site).article
        if article is None or found is None:
            continue
        for child in found:
            article.append(child)
        joined += 1
    return joined
