"""readability-lxml's lxml_html_clean step, the same result in C where it is plain.

readability-lxml copies the page and runs its lxml_html_clean ``Cleaner`` on the copy (scripts,
javascript, comments, styles, links and processing instructions off). That Cleaner walks every
element in Python four times: for ``on...`` attributes, for links, for attributes that bypass
link cleaning (``srcdoc``, SVG animations of ``href``) and for the tags it removes. On nearly
every page all it changes is this: <script>, <style> and <link> elements, comments and
processing instructions removed (each one's tail kept), ``on...`` and ``style`` attributes
removed, a few links rewritten (a script scheme emptied, the space around a link stripped) and
<image> read as <img>. ``FastCleaner.clean_html`` finds the attributes to change in one walk and
does the rest in C (lxml's ``strip_elements`` and ``strip_attributes``) when that walk finds
nothing else the Cleaner would change: an element it treats apart (<object>, <param>, a
refreshing <meta>, SVG animations, a prefixed tag) or a ``srcdoc``. Those pages go through the
Cleaner itself.

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
# Elements the Cleaner treats apart (reads links of in their own way, removes attributes of): any
# of them sends the page to the Cleaner. Looking for tags the page never names costs nothing (lxml
# looks them up in the document's dictionary first).
TREATED_APART = ("object", "param", "set", "animate", "animatetransform")
# The attributes the Cleaner cleans as links.
_LINK_NAMES = frozenset(defs.link_attrs)
# The beginnings of a plain web address (``_is_plain_web_link``).
_WEB_SCHEMES = ("https://", "http://")


class FastCleaner:
    """A stand-in for readability-lxml's ``html_cleaner``: ``clean_html`` as the Cleaner's, in C
    on plain pages (see the module docstring)."""

    def __init__(self, cleaner: Cleaner) -> None:
        self.cleaner = cleaner
        self.plain = all(getattr(cleaner, k) == v for k, v in PLAIN_SETTINGS.items())

    def clean_html(self, page: HtmlElement) -> HtmlElement:
        """A cleaned copy of ``page`` (the Cleaner's ``clean_html`` given a tree)."""
        doc = copy.deepcopy(page)
        changes = self._changes(doc) if self.plain else None
        if changes is None:
            self.cleaner(doc)
            return doc
        events, links = changes
        for element in doc.iter("image"):  # as browsers read it
            element.tag = "img"
        for element, name in events:
            del element.attrib[name]
        for element, name, link in links:
            element.set(name, link)
        etree.strip_attributes(doc, "style")
        etree.strip_elements(doc, *KILLED, with_tail=False)
        return doc

    def _changes(
        self, doc: HtmlElement
    ) -> tuple[list[tuple[HtmlElement, str]], list[tuple[HtmlElement, str, str]]] | None:
        """The event attributes the Cleaner removes and the links it rewrites (with the new
        link), or None when it would do more than that, rename <image>s and remove styles and the
        ``KILLED`` elements: an element treated apart, a refreshing <meta> (its link), a prefixed
        tag (SVG's ``svg:set``) or a ``srcdoc``, prefixed or not."""
        if next(doc.iter(*TREATED_APART), None) is not None or any(
            meta.get("http-equiv") is not None for meta in doc.iter("meta")
        ):
            return None
        events = []
        links = []
        for element in doc.iter(etree.Element):
            if ":" in cast(str, element.tag):  # str, as parsed (lxml types it wider)
                return None
            for name in element.keys():  # noqa: SIM118 (iterating an element gives its children)
                if name in _LINK_NAMES:  # no link's name begins with "on"
                    link = self._rewritten(cast(str, element.get(name)))
                    if link is not None:
                        links.append((element, name, link))
                elif name.startswith("on"):
                    events.append((element, name))
                elif name == "srcdoc" or (":" in name and "srcdoc" in name.lower()):
                    return None
        return events, links

    def _rewritten(self, link: str) -> str | None:
        """The link as the Cleaner's link cleaning leaves it, None when unchanged (lxml's
        ``rewrite_links`` gives its function the link stripped and keeps the link when that
        returns it as it was). A link without ":" or "%" names no scheme even unquoted, so it
        is not looked at further."""
        if ":" in link and _is_plain_web_link(link):
            return None
        stripped = link.strip()
        if stripped == link and ":" not in link and "%" not in link:
            return None
        cleaned = self.cleaner._remove_javascript_link(stripped)  # type: ignore[attr-defined]
        return None if cleaned == link else str(cleaned)


def _is_plain_web_link(link: str) -> bool:
    """Whether the Cleaner leaves the link as it is because it is plainly a web address: it
    begins "http://" or "https://" and holds no other ":", no "%" or "+" (``unquote_plus``
    changes nothing) and nothing the Cleaner strips or removes as white space (``isprintable``
    is False for every white space character but " ", and for every control character). Its one
    scheme is then "http" or "https", neither of which ends in a scheme the Cleaner refuses, and
    it holds no "data:image/". Speed shortcut: most of a page's links that reach the Cleaner's
    test (unquoting and three regexes) are such."""
    return (
        link.startswith(_WEB_SCHEMES)
        and link.count(":") == 1
        and "%" not in link
        and "+" not in link
        and " " not in link
        and link.isprintable()
    )
