"""readability-lxml's lxml_html_clean step, the same result in C where it is plain.

readability-lxml copies the page and runs its lxml_html_clean ``Cleaner`` on the copy (scripts,
javascript, comments, styles, links and processing instructions off). That Cleaner walks every
element in Python four times: for ``on...`` attributes, for links, for attributes that bypass
link cleaning (``srcdoc``, SVG animations of ``href``) and for the tags it removes. On nearly
every page all that changes is this: <script>, <style> and <link> elements, comments and
processing instructions removed (each one's tail kept), ``on...`` and ``style`` attributes
removed. ``FastCleaner.clean_html`` does those in C (lxml's ``strip_elements`` and
``strip_attributes``) when two XPath looks in C find nothing else the Cleaner would change: no
element it renames or treats apart (XHTML, <image>, <object>, <param>, a refreshing <meta>, SVG
animations, a ``srcdoc``), and no link that its link cleaning would rewrite (a script scheme, or
space around the link). Any other page goes through the Cleaner itself.

Speed shortcut (proxy/web/shortcuts.py): the step took 4-5% of the pipeline's time on median
pages; a test compares the two on pages that take each way.
"""

from __future__ import annotations

import copy
from typing import cast

from lxml import etree
from lxml.html import HtmlElement, defs
from lxml_html_clean import Cleaner

# The Cleaner's settings this fast way reproduces (readability-lxml 0.9's ``html_cleaner``); a
# Cleaner set otherwise always runs itself.
PLAIN_SETTINGS = {
    "scripts": True,
    "javascript": True,
    "comments": True,
    "style": True,
    "inline_style": True,
    "links": True,
    "processing_instructions": True,
    "meta": False,
    "page_structure": False,
    "embedded": False,
    "frames": False,
    "forms": False,
    "annoying_tags": False,
    "remove_tags": None,
    "allow_tags": (),
    "kill_tags": (),
    "remove_unknown_tags": False,
    "safe_attrs_only": False,
    "add_nofollow": False,
}
# What the Cleaner removes as elements (each one's tail kept, as ``drop_tree`` keeps it).
KILLED = ("script", "style", "link", etree.Comment, etree.ProcessingInstruction)
# Elements the Cleaner treats apart (renames, reads links of, removes attributes of): any of them
# sends the page to the Cleaner. Looking for tags the page never names costs nothing (lxml looks
# them up in the document's dictionary first).
TREATED_APART = ("image", "object", "param", "set", "animate", "animatetransform")
# The attributes the Cleaner cleans as links.
_LINK_NAMES = frozenset(defs.link_attrs)


class FastCleaner:
    """A stand-in for readability-lxml's ``html_cleaner``: ``clean_html`` as the Cleaner's, in C
    on plain pages (see the module docstring)."""

    def __init__(self, cleaner: Cleaner) -> None:
        self.cleaner = cleaner
        self.plain = all(getattr(cleaner, k) == v for k, v in PLAIN_SETTINGS.items())

    def clean_html(self, page: HtmlElement) -> HtmlElement:
        """A cleaned copy of ``page`` (the Cleaner's ``clean_html`` given a tree)."""
        doc = copy.deepcopy(page)
        events = self._events(doc) if self.plain else None
        if events is None:
            self.cleaner(doc)
            return doc
        for element, name in events:
            del element.attrib[name]
        etree.strip_attributes(doc, "style")
        etree.strip_elements(doc, *KILLED, with_tail=False)
        return doc

    def _events(self, doc: HtmlElement) -> list[tuple[HtmlElement, str]] | None:
        """The event attributes the Cleaner removes, or None when it would do more than remove
        them, styles and the ``KILLED`` elements: an element treated apart, a refreshing <meta>
        (its link), a prefixed or namespaced name (XHTML, SVG's ``svg:set``), a ``srcdoc``, or a
        link it rewrites."""
        if next(doc.iter(*TREATED_APART), None) is not None or any(
            meta.get("http-equiv") is not None for meta in doc.iter("meta")
        ):
            return None
        events = []
        for element in doc.iter(etree.Element):
            if ":" in cast(str, element.tag):  # str, as parsed (lxml types it wider)
                return None
            for name in element.keys():  # noqa: SIM118 (iterating an element gives its children)
                if name.startswith("on"):
                    events.append((element, name))
                elif name in _LINK_NAMES:
                    if self._rewrites(element.attrib[name]):
                        return None
                elif ":" in name or name == "srcdoc":
                    return None
        return events

    def _rewrites(self, link: str) -> bool:
        """Whether the Cleaner's link cleaning changes ``link`` (lxml's ``rewrite_links`` gives
        its function the link stripped and keeps it when that returns it unchanged). A link
        without ":" or "%" names no scheme even unquoted, so it is not looked at further."""
        stripped = link.strip()
        if stripped == link and ":" not in link and "%" not in link:
            return False
        cleaned = self.cleaner._remove_javascript_link(stripped)  # type: ignore[attr-defined]
        return bool(cleaned != link)
