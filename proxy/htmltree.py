"""One lxml parser for every HTML tree the pipeline builds, pages and article fragments alike.

lxml.html's own parser chooses each element's Python class in Python (forms get classes of their
own): a function call for every element each time a tree is walked, which was a tenth of the
pipeline's time. ``PARSER`` gives every element the plain ``HtmlElement``, chosen in C; nothing in
Declutter or readability-lxml uses the form classes' helpers. lxml.html itself shares one parser
between threads the same way.
"""

from __future__ import annotations

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

PARSER = lxml.html.HTMLParser()
PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity))


def document(html: str) -> HtmlElement:
    """The <html> element of a whole page, with a <head> and a <body> even when the page has none
    (libxml2 makes none for "<html></html>", and readability-lxml then returns the whole page)."""
    return lxml.html.document_fromstring(html, parser=PARSER, ensure_head_body=True)


def fragment(html: str) -> HtmlElement:
    """An HTML fragment parsed into a <div> (lxml.html.fragment_fromstring with ``PARSER``)."""
    return lxml.html.fragment_fromstring(html, create_parent="div", parser=PARSER)
