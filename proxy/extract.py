"""Find the article in a page: readability-lxml chooses it, the page's own metadata describes it.

Workflow of ``extract``:
1. parse the page once; read metadata from JSON-LD, Open Graph and meta tags (readability-lxml 0.9
   finds no date, site name, language or lead image, and JSON-LD lives in the scripts it drops);
2. promote lazy-loaded images (``data-src``) so they survive as real images;
3. ``clean.prune_page`` removes page chrome, so readability cannot choose a share bar or a widget;
4. readability-lxml chooses the article (links are made absolute later, by sanitise);
5. when the page's own paragraphs hold much more text than that choice, they (with the headings,
   short paragraphs, lists and tables beside them) are the article instead: readability-lxml
   sometimes chooses a caption, a teaser or nothing at all;
6. the headline is dropped from the body (the title is its own field) and a standfirst that
   readability left outside (the block that is the page's description, or one named as a lead
   before the article's first paragraph) is put back in front;
7. the article and its title are given in composed Unicode (NFC).
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import lxml.html
from lxml import etree
from lxml.html import HtmlElement
from readability import Document
from readability.readability import Unparseable, shorten_title

from . import clean, htmltree
from .metadata import read_metadata, squash

# Attributes lazy-loading scripts keep the real image address in, most specific first.
LAZY_SRC = ("data-src", "data-lazy-src", "data-original", "data-lazy", "data-url", "data-hi-res-src")
LAZY_SRCSET = ("data-srcset", "data-lazy-srcset")
# A src that is only a placeholder (a data: URI, a spacer GIF) while the real one waits in data-src.
_PLACEHOLDER = re.compile(r"^(?:data:|about:)|(?:blank|spacer|placeholder|pixel|lazy|1x1)\.", re.I)
# Blocks a standfirst is written in, and the shortest description worth looking for in the page.
LEAD_TAGS = ("p", "div", "h2", "span", "strong", "b", "em", "section", "header")
MIN_LEAD_CHARS = 20
# When the description finds no standfirst, a block named as one is (boilerplate-990: 20 leads that
# readability left outside): its class/id tokens, the blocks it is written in (an image's
# "imageDescription" <span> is a caption), its shortest (shorter ones, an "image-subtitle" or a
# blog's "site-description", are captions and taglines) and longest (a longer block holds more).
LEAD_TOKENS = frozenset({"intro", "lead", "teaser", "excerpt", "abstract", "standfirst", "chapo",
                         "summary", "description", "subline", "dek", "deck", "leader", "subtitle",
                         "subheadline"})
LEAD_BLOCKS = frozenset({"p", "div", "h2", "h3", "section", "header"})
MIN_STANDFIRST_CHARS = 40
MAX_LEAD_CHARS = 800
# A page paragraph this long that the article holds marks where the article starts.
MIN_BODY_PARAGRAPH_CHARS = 80
# The page's paragraphs replace readability's choice when they hold this many times its text
# (boilerplate-990: readability-lxml alone picks too little on about one page in ten).
FALLBACK_RATIO = 1.5
# A paragraph counts as prose from this many characters, with less than this share of link text.
MIN_PARAGRAPH_CHARS = 30
MAX_PARAGRAPH_LINK_SHARE = 0.5
# Elements whose own text (with their inline children) can be a paragraph, and the inline tags.
PROSE_BLOCKS = ("p", "pre", "div", "td", "li", "dd", "blockquote", "section", "article")
# Blocks kept with the page's paragraphs when they sit beside one, or beside the block holding one
# (a parent or grandparent of theirs): subheadings, short paragraphs, lists and tables (of short
# cells: prices, dates, facts) are the article's too.
BESIDE_PROSE = ("h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "dl", "table")
INLINE_TAGS = frozenset({"a", "abbr", "b", "bdi", "br", "cite", "code", "em", "font", "i", "kbd",
                         "mark", "q", "s", "small", "span", "strong", "sub", "sup", "time", "u", "wbr"})
# readability-lxml weighs an element by its class and id (+-25 for each name that says content or
# boilerplate) and removes a list of weight under 25 whose links pass a fifth of its text (a half at
# 25): lists get this much, as in-article lists of shops, sources and people link a few words each.
LIST_WEIGHT = 25
LIST_TAGS = frozenset({"ul", "ol"})
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Bytes that crash lxml or readability (NUL and other C0 controls but tab, newline, return), and
# the same as characters: looking for each with ``in`` (memchr) is 4x faster than the regex's scan
# on pages that have none, which is nearly all of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_CHARS = tuple(chr(c) for c in (*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f))
# An XML declaration, which lxml refuses in a str (XHTML pages start with one).
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
# What an empty or whitespace-only page parses as.
EMPTY_PAGE = "<html><body></body></html>"


@dataclass(frozen=True)
class Extracted:
    """The article HTML readability-lxml chose, and what the page says about it."""

    html: str
    title: str
    byline: str | None = None
    site_name: str | None = None
    published: str | None = None
    lang: str | None = None
    lead_image: str | None = None
    canonical_url: str | None = None
    excerpt: str | None = None


def extract(html: str, url: str) -> Extracted:
    """Choose the article of a page and read its metadata; ``html`` is the decoded page."""
    doc = parse(html)
    meta = read_metadata(doc, url)
    title = meta.pop("title", None) or _page_title(doc)
    lead = find_lead(doc, meta.get("excerpt"))
    _promote_lazy_images(doc)
    clean.prune_page(doc)
    body = prefer_paragraphs(choose_article(_readability_copy(doc)), doc)
    if body is not None:
        drop_headline(body, title)
        body = add_lead(body, lead, doc)
    html = lxml.html.tostring(body, encoding="unicode") if body is not None else ""
    return Extracted(html=_composed(html), title=_composed(title), **meta)


def _composed(text: str) -> str:
    """The text in Unicode's composed form (NFC): some pages write "ü" or Bengali letters as base
    and combining marks, and search, comparison and some fonts expect the one composed form. Only
    the article is normalised: the whole page took 0.3 ms, 2% of the pipeline's median time."""
    return unicodedata.normalize("NFC", text)


def choose_article(page: str | HtmlElement) -> str:
    """readability-lxml's choice of article as HTML; empty when it finds nothing to choose.

    Given a tree, readability-lxml uses it as it is instead of serialising and re-parsing the
    page (it removes hidden elements from it, so pass a copy of a tree still in use). It gets no
    URL: it would make every link of the page absolute, a twentieth of our time, while sanitise
    does so for the few links the article keeps (a <base> is still applied by readability).
    """
    try:
        return _Readability(page).summary(html_partial=True)
    except Unparseable:
        return ""


class _Readability(Document):
    """readability-lxml without its removal of "unlikely candidates": ``clean.prune_page`` has
    judged every class and id by whole tokens already, while readability's regex matches parts of
    names and removes quoted posts ("twitter-tweet"), article headers ("post-header") and more.

    Lists weigh as if their name said "content" (see ``LIST_WEIGHT``), and the headings between the
    parts of a split article are kept with the parts (readability keeps siblings that score as
    content or are long paragraphs, so a "headline" <div> between two text <div>s was lost).
    """

    def remove_unlikely_candidates(self) -> None:
        """Remove nothing (see the class docstring)."""

    def class_weight(self, e: HtmlElement) -> float:
        return super().class_weight(e) + (LIST_WEIGHT if e.tag in LIST_TAGS else 0)

    def get_article(self, candidates: dict, best_candidate: dict,
                    html_partial: bool = False) -> HtmlElement:
        """readability's article with the headings between the siblings it took, in page order."""
        parent = best_candidate["elem"].getparent()
        siblings = list(parent) if parent is not None else []
        article = super().get_article(candidates, best_candidate, html_partial)
        taken = [i for i, s in enumerate(siblings) if s.getparent() is not parent]
        if taken:
            root = article if html_partial else article.find("body/div")
            for s in siblings[taken[0]:taken[-1] + 1]:
                if s.getparent() is not parent or _is_heading_block(s):
                    root.append(s)  # appended again one by one: page order
        return article


def _is_heading_block(el: HtmlElement) -> bool:
    """A heading, or a block holding just one (a CMS's "headline" <div> or <p>)."""
    if not isinstance(el.tag, str):
        return False
    if el.tag in HEADINGS:
        return True
    heading = next(el.iter(*HEADINGS), None)
    return heading is not None and squash(heading.text_content()) == squash(el.text_content()) != ""


def _readability_copy(doc: HtmlElement) -> HtmlElement:
    """A copy of the page for readability-lxml without the head's metadata, which it never reads
    (only <base> changes its result, through the links): a third fewer elements to walk."""
    page = copy.deepcopy(doc)
    for el in page.xpath("/html/head/*[not(self::base)]"):
        el.drop_tree()
    return page


def prefer_paragraphs(chosen: str, doc: HtmlElement) -> HtmlElement | None:
    """The article as a tree in a <div>: readability's choice, or the page's prose paragraphs
    when they hold far more text; None when the choice is empty and the paragraphs are not more.

    The paragraphs are copied only when they win (most pages keep readability's choice).
    """
    found = [(el, inline) for el, inline in map(_prose_inline, doc.iter(*PROSE_BLOCKS))
             if inline is not None]
    chosen_root = _fragment(chosen) if chosen.strip() else None
    chosen_length = len(squash(chosen_root.text_content())) if chosen_root is not None else 0
    if sum(len(squash(_block_text(el, inline))) for el, inline in found) <= FALLBACK_RATIO * chosen_length:
        return chosen_root
    root = htmltree.PARSER.makeelement("div")
    root.extend(_page_blocks(doc, dict(found)))
    return _fragment(lxml.html.tostring(root, encoding="unicode"))  # as parsed before: libxml2 may nest


def _page_blocks(doc: HtmlElement,
                 prose: dict[HtmlElement, set[HtmlElement]]) -> Iterator[HtmlElement]:
    """Copies of the page's prose paragraphs, in page order, with the headings, short paragraphs,
    lists and tables that sit beside them (the subheadings and facts of the article they make).

    A block inside one already copied (a <p> in a <span> libxml2 left inline) is not copied again.
    """
    beside = {el.getparent() for el in prose}
    beside |= {el.getparent() for el in beside if el is not None}  # beside the block holding them
    copied: set[HtmlElement] = set()
    for el in doc.iter(*PROSE_BLOCKS, *BESIDE_PROSE):
        if not copied.isdisjoint(el.iterancestors()):
            continue
        if el in prose:
            copied.update(prose[el])
            yield _prose_block(el, prose[el])
        elif el.tag in BESIDE_PROSE and el.getparent() in beside and squash(el.text_content()):
            copied.add(el)
            yield copy.deepcopy(el)


def _prose_inline(el: HtmlElement) -> tuple[HtmlElement, set[HtmlElement] | None]:
    """The element and its inline children when its own prose (its text and those children) makes
    a paragraph; the children are None when it does not.

    Forum posts and old blogs write paragraphs as text and <br> inside a <div> or <td>.
    """
    inline = {c for c in el if isinstance(c.tag, str) and c.tag in INLINE_TAGS}
    own = (el.text or "") + "".join(c.text_content() + (c.tail or "") if c in inline else (c.tail or "")
                                    for c in el)
    text = squash(own)
    if len(text) < MIN_PARAGRAPH_CHARS or any(a.tag in ("pre", "p") for a in el.iterancestors()):
        return el, None
    links = sum(len(squash(a.text_content())) for c in inline for a in c.iter("a"))
    if links >= len(text) * MAX_PARAGRAPH_LINK_SHARE:
        return el, None
    return el, inline


def _block_text(el: HtmlElement, inline: set[HtmlElement]) -> str:
    """The text of ``_prose_block(el, inline)`` without building it."""
    return (el.text or "") + "".join(
        c.text_content() + (c.tail or "") if c in inline else " " + (c.tail or "") for c in el)


def _prose_block(el: HtmlElement, inline: set[HtmlElement]) -> HtmlElement:
    """A copy of the element's own prose as a paragraph: its text and inline children."""
    if el.tag in ("p", "pre") and len(inline) == len(el):
        return copy.deepcopy(el)
    block = htmltree.PARSER.makeelement("p")
    block.text = el.text
    for child in el:
        if child in inline:
            block.append(copy.deepcopy(child))
        elif len(block):
            block[-1].tail = (block[-1].tail or "") + " " + (child.tail or "")
        else:
            block.text = (block.text or "") + " " + (child.tail or "")
    return block


def _fragment(html: str) -> HtmlElement:
    return htmltree.fragment(html)


def parse(html: str) -> HtmlElement:
    """Parse a page after removing the control characters that crash readability-lxml."""
    if any(c in html for c in CONTROL_CHARS):
        html = _CONTROL.sub("", html)
    text = _XML_DECLARATION.sub("", html).strip()
    try:
        return htmltree.document(text or EMPTY_PAGE)
    except etree.ParserError:  # only markup debris, such as "<!": libxml2 finds no document
        return htmltree.document(EMPTY_PAGE)


def drop_headline(root: HtmlElement, title: str) -> None:
    """Remove the first heading when it repeats the title (the title is shown on its own)."""
    wanted = squash(title).casefold()
    for heading in root.iter("h1", "h2"):
        if squash(heading.text_content()).casefold() == wanted:
            heading.drop_tree()
        break


def find_lead(doc: HtmlElement, description: str | None) -> str | None:
    """The standfirst: the page block whose text is the page's description (og:description)."""
    wanted = squash(description)
    if len(wanted) < MIN_LEAD_CHARS:
        return None
    for el in doc.iter(*LEAD_TAGS):
        start = squash(el.text)
        if start and wanted.startswith(start[:MIN_LEAD_CHARS]) and squash(el.text_content()) == wanted:
            return wanted
    return None


def find_standfirst(doc: HtmlElement, body_text: str) -> str | None:
    """The standfirst by its name ("intro", "teaser", "chapo", ...): the first such block before
    the article's first paragraph, when the page's description finds none outside the article."""
    for el in doc.iter(etree.Element):
        if el.tag in LEAD_BLOCKS and not LEAD_TOKENS.isdisjoint(clean.tokens(el)):
            text = squash(el.text_content())
            if MIN_STANDFIRST_CHARS <= len(text) <= MAX_LEAD_CHARS and el.find(".//h1") is None \
                    and not _is_linkish(el, text):
                return None if text in body_text else text
        elif el.tag == "p":
            text = squash(el.text_content())
            if len(text) >= MIN_BODY_PARAGRAPH_CHARS and text in body_text:
                return None  # the article has started
    return None


def _is_linkish(el: HtmlElement, text: str) -> bool:
    links = sum(len(squash(a.text_content())) for a in el.iter("a"))
    return links >= len(text) * MAX_PARAGRAPH_LINK_SHARE


def add_lead(root: HtmlElement, lead: str | None, doc: HtmlElement) -> HtmlElement:
    """Put the standfirst first when readability chose the body without it (it often sits apart).

    With a standfirst the article gets one more <div> around it, as it always has: cached and
    compared outputs stay the same.
    """
    body_text = squash(root.text_content())
    if not lead or lead in body_text:
        lead = find_standfirst(doc, body_text)
    if not lead:
        return root
    wrapper = htmltree.PARSER.makeelement("div")
    paragraph = htmltree.PARSER.makeelement("p")
    paragraph.text = lead
    wrapper.extend((paragraph, root))
    return wrapper


def _page_title(doc: HtmlElement) -> str:
    """The first <h1> when the <title> names it, else the <title> without the site's name.

    An <h1> alone is not trusted: many pages open with a hidden "Navigation" or site-name heading.
    """
    heading = doc.find(".//h1")
    text = squash(heading.text_content()) if heading is not None else ""
    page_title = squash(doc.findtext(".//title"))
    if text and (not page_title or text.casefold() in page_title.casefold()):
        return text
    return squash(shorten_title(doc)) or page_title or text


def _promote_lazy_images(doc: HtmlElement) -> None:
    for img in doc.iter("img", "source"):
        lazy = next((img.get(a) for a in LAZY_SRC if img.get(a)), None)
        if lazy and (not img.get("src") or _PLACEHOLDER.search(img.get("src"))):
            img.set("src", lazy)
        lazy_set = next((img.get(a) for a in LAZY_SRCSET if img.get(a)), None)
        if lazy_set and not img.get("srcset"):
            img.set("srcset", lazy_set)
