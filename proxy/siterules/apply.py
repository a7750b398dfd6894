"""Apply one host's rules to a page, in the order Full-Text RSS does.

1. ``replace``         find_string/replace_string on the decoded text, before parsing;
2. ``before_metadata`` skip_json_ld drops the JSON-LD scripts, src_lazy_load_attr makes images real;
3. ``apply``           title/author/date rules read (before anything is stripped), then strip,
                       strip_id_or_class, strip_image_src, strip_attr and dissolve on the whole page
                       (so they hold whether the body comes from a rule or from readability), then
                       the first body rule that selects something picks the article.

An XPath that fails at evaluation (an unknown function, a wrong result type) is logged once per
file and expression and then treated as selecting nothing.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import etree
from lxml.html import HtmlElement

from proxy import htmltree
from proxy.siterules.parse import Link, SiteRules

log = logging.getLogger(__name__)

# The metadata fields the rules feed, by directive (Extracted's names).
META_FIELDS = {"title": "title", "author": "byline", "date": "published"}
_reported: set[tuple[str, str]] = set()
# A body rule's article is kept when its words are within these shares of the heuristics' article
# (measured on the dev sets' pages with a rule file of their own: see the README's site rules).
MIN_SHARE, MAX_SHARE = 0.5, 2.0
# ...and only when the two share this much of the smaller one's vocabulary (one holds the other).
SAME_REGION = 0.8
# A string written in a page's source as it is (no character an attribute would escape).
_LITERAL = re.compile(r"^[^&<>\"']+$")
# strip_id_or_class's test, with the string as a variable (so quotes in it need no escaping).
_ID_OR_CLASS = etree.XPath("//*[contains(@class, $part) or contains(@id, $part)]")


@dataclass(frozen=True)
class Ruled:
    """What the rules decided: the article they picked (None: let the heuristics choose) and
    whether the heuristics may choose at all."""

    body: HtmlElement | None = None
    autodetect: bool = True
    native_ad: bool = False
    prune: bool = True  # readability's cleaning of the body's pick too (Full-Text RSS's prune)


NO_RULES = Ruled()


def replace(html: str, rules: SiteRules | None) -> str:
    """The page text with the rule's find/replace pairs applied in order."""
    for find, replacement in rules.replacements if rules else ():
        html = html.replace(find, replacement)
    return html


def before_metadata(doc: HtmlElement, rules: SiteRules | None) -> HtmlElement:
    """skip_json_ld and src_lazy_load_attr, which must act before metadata and images are read."""
    if rules is None:
        return doc
    if rules.switches["skip_json_ld"]:
        for script in doc.xpath("//script[@type='application/ld+json']"):
            script.drop_tree()
    if rules.src_lazy_load_attr:
        for img in doc.iter("img"):
            if img.get(rules.src_lazy_load_attr):
                img.set("src", img.get(rules.src_lazy_load_attr))
    return doc


def apply(doc: HtmlElement, rules: SiteRules | None, meta: dict[str, str], html: str) -> Ruled:
    """Metadata into ``meta``, strips on ``doc``, and the article a body rule picks; ``html`` is
    the page's source, where a strip's class or id string must appear for the rule to be tried."""
    if rules is None:
        return NO_RULES
    _metadata(doc, rules, meta)
    native_ad = any(_select(doc, rules, xpath) for xpath in rules.xpath("native_ad_clue"))
    if native_ad:  # the Article says so (API field, a note on the reader page), as graby flags it
        log.info("site rule %s: the page is a native ad (native_ad_clue)", rules.source)
    _strip(doc, rules, html)
    body = next(
        (
            found
            for xpath in rules.xpath("body")
            if (found := _body(_select(doc, rules, xpath))) is not None
        ),
        None,
    )
    return Ruled(body, rules.switches["autodetect_on_failure"], native_ad, rules.switches["prune"])


def _metadata(doc: HtmlElement, rules: SiteRules, meta: dict[str, str]) -> None:
    """A host's title, author and date rules override the page's metadata; global.txt's only fill
    what is missing. The elements a value was read from leave the page, as graby has it (a byline
    or headline read into its field is not repeated in the body): the first for title and date,
    every one for author."""
    for directive, name in META_FIELDS.items():
        xpaths = rules.xpath(directive)
        own = [x for x in xpaths if (directive, x.path) not in rules.from_global]
        fill = [x for x in xpaths if (directive, x.path) in rules.from_global]
        for group in (own, [] if meta.get(name) else fill):
            if read := _first_read(doc, rules, group):
                meta[name], found = read
                _drop_read(found if directive == "author" else found[:1])
                break


def _first_read(
    doc: HtmlElement, rules: SiteRules, xpaths: list[etree.XPath]
) -> tuple[str, list] | None:
    """The text of the first XPath that selects some, and what it selected."""
    for xpath in xpaths:
        found = _select(doc, rules, xpath)
        if text := _text(found):
            return text, found
    return None


def _drop_read(found: list) -> None:
    """The elements a metadata value came from, out of the page (attributes and strings stay)."""
    for element in _elements(found):
        if element.tag not in ("html", "body"):
            element.drop_tree()


def _strip(doc: HtmlElement, rules: SiteRules, html: str) -> None:
    for xpath in rules.xpath("strip"):
        if rules.needles.get(xpath.path, "") not in html:
            continue
        for found in _elements(_select(doc, rules, xpath)):
            found.drop_tree()
    _strip_id_or_class(
        doc,
        [
            part
            for part in rules.string("strip_id_or_class")
            if part in html or not _LITERAL.match(part)
        ],
    )
    for img in list(doc.iter("img")) if rules.string("strip_image_src") else ():
        if any(part in (img.get("src") or "") for part in rules.string("strip_image_src")):
            img.drop_tree()
    for xpath in rules.xpath("strip_attr"):
        for value in _select(doc, rules, xpath):
            if getattr(value, "is_attribute", False):
                value.getparent().attrib.pop(value.attrname, None)
    for xpath in rules.xpath("dissolve"):
        for found in _elements(_select(doc, rules, xpath)):
            found.drop_tag()


def _strip_id_or_class(doc: HtmlElement, parts: list[str]) -> None:
    """Elements whose id or class contains any of ``parts`` (a substring, as Full-Text RSS has it);
    found by one compiled XPath a part, in C (a Python walk of the page cost 5% of the pipeline)."""
    for part in parts:
        for element in _ID_OR_CLASS(doc, part=part):
            if element.getparent() is not None:
                element.drop_tree()


def _body(found: list) -> HtmlElement | None:
    """The selected elements, outermost only, moved into one <div>; None when none were selected."""
    elements = list(_elements(found))
    chosen = set(elements)
    outer = [e for e in elements if not any(a in chosen for a in e.iterancestors())]
    if not outer or not any(
        e.text_content().strip() or e.find(".//img") is not None for e in outer
    ):
        return None
    wrapper = htmltree.PARSER.makeelement("div")
    for element in outer:  # copies: the page stays whole for the heuristics to compare with
        wrapper.append(copy.deepcopy(element))
        wrapper[-1].tail = None
    return wrapper


def trusted(body: HtmlElement | None, found: HtmlElement | None) -> HtmlElement | None:
    """A body rule's article ``body``, unless it is a small part of the heuristics' ``found`` or
    holds it and much more: a rule written for an older layout picks a teaser or the whole page."""
    if body is None or found is None:
        return body if body is not None else found
    ours, theirs = _words(body), _words(found)
    common = len(set(ours) & set(theirs)) / max(1, min(len(set(ours)), len(set(theirs))))
    if common < SAME_REGION:  # a different part of the page: the rule's author knew the site
        return body
    share = len(ours) / max(1, len(theirs))
    return body if MIN_SHARE <= share <= MAX_SHARE else found


def _words(element: HtmlElement) -> list[str]:
    return element.text_content().lower().split()


def link(doc: HtmlElement, rules: SiteRules, links: list[Link], base_url: str) -> str | None:
    """The absolute URL the first matching page link (whose condition holds) points to."""
    for candidate in links:
        condition = candidate.if_page_contains
        if condition is not None and not _select(doc, rules, condition):
            continue
        found = _select(doc, rules, candidate.xpath)
        href = next((_href(value) for value in found if _href(value)), None)
        if href:
            return urljoin(base_url, href)
    return None


def _href(value: object) -> str | None:
    if isinstance(value, etree._Element):
        return (value.get("href") or "").strip() or None
    return str(value).strip() or None


def _select(doc: HtmlElement, rules: SiteRules, xpath: etree.XPath) -> list:
    """The XPath's results as a list; an evaluation error is logged once and selects nothing."""
    try:
        result = xpath(doc)
    except etree.XPathError as exc:
        if (rules.source, xpath.path) not in _reported:
            _reported.add((rules.source, xpath.path))
            log.warning("site rule %s: XPath %r fails (%s); skipped", rules.source, xpath.path, exc)
        return []
    if isinstance(result, list):
        return result
    return [result] if isinstance(result, str) and result else []


def _elements(found: list) -> Iterator[HtmlElement]:
    return (
        value for value in found if isinstance(value, HtmlElement) and value.getparent() is not None
    )


def _text(found: list) -> str | None:
    """The first non-blank text among the results (elements give their text content)."""
    for value in found:
        text = value.text_content() if isinstance(value, HtmlElement) else str(value)
        if " ".join(text.split()):
            return " ".join(text.split())
    return None
