"""One lxml parser for every HTML tree the pipeline builds, pages and article fragments alike.

Below every package that parses HTML (``content``, ``siterules``, ``formats``): it imports only
``errors`` and lxml, so site rules can build their trees with it without reaching up into the
pipeline.

lxml.html's own parser chooses each element's Python class in Python (forms get classes of their
own): a function call for every element each time a tree is walked, which was a tenth of the
pipeline's time. ``PARSER`` gives every element one class, chosen in C: ``PageElement``, the plain
``HtmlElement`` with a faster ``text_content``; nothing in Declutter or readability-lxml uses the
form classes' helpers. lxml.html itself shares one parser between threads the same way.

A whole page is refused (``PageTooComplex``) when it holds more elements than ``MAX_ELEMENTS``:
each element costs 25-100 microseconds on the way through extraction and sanitising, so a 5 MB
page of ``<b>x</b>`` took half a minute, while parsing and counting it takes a quarter of a second.
A page nested as deep as libxml2 reads is refused too, instead of being read without its end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from proxy.errors import PageTooComplex


class PageElement(HtmlElement):
    """lxml.html's element with its text taken by libxml2's serialiser instead of XPath.

    ``text_content`` is lxml.html's XPath ``string()``: each call sets up an XPath evaluation, some
    four times the cost of the text itself on the short blocks readability-lxml and every pass
    measure (hundreds of calls a page). libxml2's text serialiser gathers the same text
    (``xmlNodeBufGetContent``, the function behind XPath's string value of a node: the element's
    text nodes in page order, without comments' and processing instructions', nor its tail) and
    lxml gives it as a plain ``str``, as the XPath does. Speed shortcut, the same text."""

    def text_content(self) -> str:
        """The text of the element and its descendants (see the class docstring)."""
        return _text_of(self, method="text", encoding="unicode", with_tail=False)


_text_of = etree.tostring


def has_text(el: HtmlElement) -> bool:
    """Whether ``el`` is an element with words in it (any text but white space, its descendants'
    included): the content passes' one test for an empty block beside the one they look at."""
    return isinstance(el.tag, str) and bool(el.text_content().strip())


def common_ancestor(elements: list[HtmlElement], inclusive: bool = True) -> HtmlElement | None:
    """The nearest element holding all of ``elements``: one of them when ``inclusive`` (a recipe's
    block of lines, which may be one line's own element), else one above them all (the list
    holding a thread's posts); None for no elements or none in common."""
    if not elements:
        return None
    holder = elements[0] if inclusive else elements[0].getparent()
    for el in elements[1:]:
        while (
            holder is not None
            and not (inclusive and holder is el)
            and holder not in el.iterancestors()
        ):
            holder = holder.getparent()
    return holder


PARSER = lxml.html.HTMLParser()
# The same parser for text given to it as UTF-8 bytes: lxml hands libxml2 a str's own buffer, in
# UCS-2 or UCS-4 on nearly every page (one curly quote is enough), and libxml2 converts it as it
# reads; Python's encoder is faster at that (median pages: 1.28 -> 0.98 ms a parse, the same
# tree). Speed shortcut.
UTF8_PARSER = lxml.html.HTMLParser(encoding="utf-8")
# The heading tags, for the tag lists of every pass (one list, not six lines in each).
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# The inline tags: what runs inside a sentence (the paragraph fallback's inline runs, and the
# elements no class name prunes from the middle of one).
INLINE_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "br",
        "cite",
        "code",
        "em",
        "font",
        "i",
        "kbd",
        "mark",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "wbr",
    }
)
for _parser in (PARSER, UTF8_PARSER):
    _parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=PageElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )

# The most elements a page may hold: three times the largest of boilerplate-990's 990 real pages
# (10,106 elements, read in 0.3 s; the median page has 696). A long page of 30,000 in sections
# takes 3.5 s of CPU; 14,000 paragraphs under one parent take 0.3 s to sanitise.
MAX_ELEMENTS = 30_000
# libxml2 stops reading a page at this depth of nesting and keeps what it has read (the deepest of
# boilerplate-990 nests 43): a page that reaches it has lost its end, so it is refused too.
LIBXML2_MAX_DEPTH = 256
# Counted by libxml2 in C: 20-40 ms for a million elements, against 90-170 ms for a Python loop.
_COUNT_ELEMENTS = etree.XPath("count(//*)")
# Characters libxml2 keeps in a page's text but lxml refuses to set from Python, as XML forbids
# them: a later step copying such text (a page's leading text into a fragment) raised ValueError.
# Removed before parsing, as extract.parse removes control characters (found by fuzz_pipeline.py).
NON_XML_CHARS = ("\ufffe", "\uffff")
# Numeric references to those and to the control characters but tab, newline and return, which
# libxml2 decodes into the tree just the same ("&#1;" next to an "&" was a 500 in sanitise).
_REFUSED_REFERENCE = re.compile(
    r"&#(?:0*(?:[1-8]|1[124-9]|2[0-9]|3[01]|6553[45])(?![0-9])"
    r"|x0*(?:[1-8bcef]|1[0-9a-f]|fff[ef])(?![0-9a-f]));?",
    re.I,
)


def document(html: str, utf8: bytes | None = None) -> HtmlElement:
    """The <html> element of a whole page, with a <head> and a <body> even when the page has none
    (libxml2 makes none for "<html></html>", and readability-lxml then returns the whole page).

    ``utf8``, when given, must be ``html.encode()`` (the bytes a page was read from): parsed as
    they are unless a character has to be removed (speed shortcut: the page not encoded again).

    Raises PageTooComplex for more than MAX_ELEMENTS elements, or nesting to libxml2's limit.
    """
    text = _xml_chars(html)
    source: str | bytes
    if utf8 is not None and len(text) == len(html):  # _xml_chars only removes: nothing was
        source, parser = utf8, UTF8_PARSER
    else:
        source, parser = _encoded(text)
    root = lxml.html.document_fromstring(source, parser=parser, ensure_head_body=True)
    if _COUNT_ELEMENTS(root) > MAX_ELEMENTS:
        raise PageTooComplex(
            f"This page is built of more than {MAX_ELEMENTS:,} elements, far more "
            f"than any article needs; Declutter does not read it."
        )
    if _last_depth(root) >= LIBXML2_MAX_DEPTH:
        raise PageTooComplex(
            f"This page nests its elements {LIBXML2_MAX_DEPTH} levels deep, where "
            f"the HTML parser stops reading; Declutter does not read it."
        )
    keep(root)
    return root


@contextmanager
def elements_kept() -> Iterator[None]:
    """Within the block, every element of each tree given to ``keep`` keeps its Python object.

    lxml makes an element's Python object when a walk reaches it and frees it when nothing holds
    it any more, so each pass that walks the page (the metadata, the media, the pruning, the
    paragraph fallback; readability-lxml's on its copy) made every element's object again, and
    freed it: a walk of a page took four times as long as a walk of one whose objects are held
    (0.05 against 0.012 ms for 570 elements). The objects are the same lxml would make (one class
    for all, ``PARSER``'s), so every answer is the same; the elements a pass removes stay in
    memory until the block ends. Figure: instructions per page x0.969 on modern-web-dev and
    boilerplate-990, x0.967 on tests/quality. Speed shortcut (proxy/web/shortcuts.py)."""
    token = _KEPT.set([])
    try:
        yield
    finally:
        _KEPT.reset(token)


def keep(root: HtmlElement) -> None:
    """Hold the Python object of every element of ``root`` until ``elements_kept``'s block ends
    (nothing outside one)."""
    kept = _KEPT.get()
    if kept is not None:
        kept.append(list(root.iter()))


# The element lists ``keep`` holds, per thread of the web server and per page (``elements_kept``).
_KEPT: ContextVar[list[list[HtmlElement]] | None] = ContextVar("kept_elements", default=None)


def _last_depth(root: HtmlElement) -> int:
    """The depth of the page's last element: where libxml2 stopped, if it stopped early."""
    depth = 1
    while len(root):
        root, depth = root[-1], depth + 1
    return depth


def fragment(html: str) -> HtmlElement:
    """An HTML fragment parsed into a <div>: lxml.html.fragment_fromstring's, with ``PARSER``.

    The <div> is made by ``PARSER`` too: lxml.html makes it with its own parser, and the parsed
    elements moved into it then took that parser's class lookup in Python (about 70,000 calls on
    52 median pages; speed shortcut, the same tree)."""
    source, parser = _encoded(_xml_chars(html))
    parsed = lxml.html.fragments_fromstring(source, parser=parser)
    root = PARSER.makeelement("div")
    root.text = next((text for text in parsed[:1] if isinstance(text, str)), None)  # before all
    root.extend(el for el in parsed if not isinstance(el, str))
    return root


def replace(old: HtmlElement, new: HtmlElement) -> None:
    """Put ``new`` where ``old`` is, keeping the text that followed ``old``."""
    parent = old.getparent()
    if parent is None:  # a root has no place for another element
        raise ValueError("only an element with a parent can be replaced")
    new.tail = old.tail
    parent.replace(old, new)


def _encoded(html: str) -> tuple[str | bytes, lxml.html.HTMLParser]:
    """``html`` as UTF-8 bytes with the parser that reads them (see ``UTF8_PARSER``), or as it is
    when it holds a lone surrogate, which has no UTF-8 form."""
    try:
        return html.encode("utf-8"), UTF8_PARSER
    except UnicodeEncodeError:
        return html, PARSER


def _xml_chars(html: str) -> str:
    """``html`` without NON_XML_CHARS and references to the characters lxml refuses (each looked
    for with ``in`` first: few pages have any)."""
    for char in NON_XML_CHARS:
        if char in html:
            html = html.replace(char, "")
    return _REFUSED_REFERENCE.sub("", html) if "&#" in html else html
