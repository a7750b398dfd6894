"""readability-lxml's cleaning of the page (lxml_html_clean's ``Cleaner`` as readability-lxml 0.9
configures it, ``readability.cleaners.html_cleaner``), the same result in a fraction of the time.

readability-lxml runs that cleaner on a copy of every page before it chooses the article: scripts,
styles, <link>s, comments and processing instructions go, as do ``on*`` attributes, ``style``
attributes, ``srcdoc``, SVG animations of a link and ``javascript:``-like links (made empty;
links are also stripped of surrounding spaces). The cleaner finds them with Python loops over every
element of the page, three times over, which was 7% of Declutter's time on median pages. Here
XPath (in C) finds the few elements each step can change, and the cleaner's own code changes them:
``iterlinks`` for their links, ``_remove_attrs_that_bypass_link_cleaning`` for the rest.
The result is the same tree (tests/test_readable_clean.py compares it with the cleaner's on pages
and on fixtures made to trip each step). Speed shortcut (proxy/web/shortcuts.py): checked
against lxml_html_clean 0.4.7 and lxml 6.2; on an upgrade, diff ``Cleaner.__call__`` and
``HtmlMixin.iterlinks`` and run that test.
"""

from __future__ import annotations

import copy
from typing import Any

import lxml.html
from lxml import etree
from lxml.html import HtmlElement, defs
from lxml_html_clean.clean import (  # type: ignore[attr-defined]  # private: see the docstring
    _remove_attrs_that_bypass_link_cleaning,
)

# Elements with an attribute whose name starts "on" (the cleaner's test for an event handler).
_EVENT_HOLDERS = etree.XPath("descendant-or-self::*[@*[starts-with(name(), 'on')]]")
# Elements ``iterlinks`` finds a link on, but for links it finds in ``style`` attributes and
# <style> texts: the cleaner removes those attributes and elements whole after it rewrote them.
_LINK_HOLDERS = etree.XPath(
    "descendant-or-self::*[self::object or self::meta or self::param or @*["
    + " or ".join(f"name() = '{name}'" for name in sorted(defs.link_attrs))
    + "]]"
)
# A superset of the elements ``_remove_attrs_that_bypass_link_cleaning`` changes: a ``srcdoc``
# attribute, or an SVG <set>/<animate>/<animateTransform> (names compared in lower case).
_LOWER = "translate(name(), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
_BYPASS_SUSPECTS = etree.XPath(
    f"descendant-or-self::*[@*[contains({_LOWER}, 'srcdoc')] or contains({_LOWER}, 'set')"
    f" or contains({_LOWER}, 'animate')]"
)
# What the cleaner removes with its content (scripts, styles and links; comments and processing
# instructions), in page order as it does.
_KILLED = ("script", "style", "link", etree.Comment, etree.ProcessingInstruction)


class ReadabilityCleaner:
    """A stand-in for ``readability.cleaners.html_cleaner``: ``clean_html`` gives what the
    cleaner gives for a tree (its copy, cleaned)."""

    def __init__(self, cleaner: Any) -> None:
        self._cleaner = cleaner  # the replaced cleaner, for ``_remove_javascript_link``

    def clean_html(self, html: Any) -> Any:
        """The cleaner's own result for a string; for a tree, a cleaned copy."""
        if isinstance(html, (str, bytes)):
            return self._cleaner.clean_html(html)
        doc = copy.deepcopy(html)
        self.clean(doc)
        return doc

    def clean(self, doc: HtmlElement) -> None:
        """The cleaner's steps for readability-lxml's settings, in its order, on ``doc``."""
        lxml.html.xhtml_to_html(doc)
        for image in doc.iter("image"):
            image.tag = "img"
        for element in _EVENT_HOLDERS(doc):
            for name in list(element.attrib):
                if name.startswith("on"):
                    del element.attrib[name]
        for element in _LINK_HOLDERS(doc):
            self._rewrite_links(element)
        for element in _BYPASS_SUSPECTS(doc):
            _remove_attrs_that_bypass_link_cleaning(element)
        etree.strip_attributes(doc, "style")
        for doomed in list(doc.iter(*_KILLED)):
            doomed.drop_tree()

    def _rewrite_links(self, element: HtmlElement) -> None:
        """``rewrite_links(cleaner._remove_javascript_link)`` for the links of ``element`` alone:
        ``iterlinks`` yields an element's own links before its descendants'."""
        for found, attribute, link, position in element.iterlinks():
            if found is not element:
                return
            new_link = self._cleaner._remove_javascript_link(link.strip())
            if new_link == link:
                continue
            if attribute is None:
                text = found.text or ""
                found.text = text[:position] + new_link + text[position + len(link) :]
            else:
                current = found.get(attribute) or ""
                if not position and len(current) == len(link):
                    found.set(attribute, new_link)
                else:
                    value = current[:position] + new_link + current[position + len(link) :]
                    found.set(attribute, value)
