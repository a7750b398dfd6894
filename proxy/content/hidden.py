"""Content a page hides until a control or a script shows it, shown.

readability-lxml drops every element with a ``hidden`` attribute or an inline ``display: none``
(or ``visibility: hidden``), which is right for menus, templates and data a script reads, and wrong
for two kinds of hidden text that a reader of the page sees:

- panels the page's own controls open: accordions and tabs, named by a control's
  ``aria-controls`` or marked ``role="tabpanel"`` (a product's description and specs, a service's
  features, the code tabs of a quick-start guide);
- a page kept hidden until its scripts have run: the element that hides the page's only headline
  and a large share of its text is its content, unless it is named as page chrome (a "republish
  this article" dialog holds a copy of the article and its headline).

What the page's site builder marks as never displayed, whatever the screen (``rules.NEVER_SHOWN_
CLASSES``), goes instead: its stylesheet hides it for good, not until a control opens it, and
readability-lxml, which reads no stylesheet, would otherwise take it for text (a gated copy of the
whole article beside the open one).
"""

from __future__ import annotations

import re
from typing import Any, cast

from lxml import etree
from lxml.html import HtmlElement

from proxy.content import clean, rules
from proxy.content.metadata import squash

# The inline styles readability-lxml drops an element for (its own pattern, case-insensitive).
HIDING_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.I)
# Roles of a panel a control shows.
PANEL_ROLES = frozenset({"tabpanel"})
# The headline's hidden holder is the page's content when it holds this share of the page's text
# at least (modern-web-dev: a shop's whole product, 32% of the page; a hidden "follow us" heading
# alone holds next to nothing).
HOLDER_SHARE = 0.25
# Elements whose class holds a never-shown name, by their class attributes (whole names are
# checked after: "w-condition-invisible-not" is another name).
_NEVER_SHOWN = etree.XPath(
    " | ".join(f"//@class[contains(., '{name}')]/.." for name in rules.NEVER_SHOWN_CLASSES)
)
_NEVER_SHOWN_NAMES = frozenset(rules.NEVER_SHOWN_CLASSES)
# Found by their attributes: a third faster than testing every element's, the same nodes in the
# same order (speed shortcut).
_CONTROLS = etree.XPath("//@aria-controls")
_HIDDEN = etree.XPath("(//@hidden | //@style)/..")
# The page's texts, and the elements whose texts are no text of the page (their own and their
# descendants'): what ``//body//text()[not(ancestor::script or ancestor::style or ...)]`` gives,
# without testing every text's ancestors (on a deeply nested page that test took 40 ms, as long
# as the rest of the page's extraction; speed shortcut).
_BODY_TEXTS = etree.XPath("//body//text()")
NOT_TEXT_TAGS = ("script", "style", "noscript", "template")


def show_hidden_content(doc: HtmlElement) -> None:
    """Show, in place, the panels the page's controls open and the hidden holder of its
    headline, and remove what the page never shows (see the module docstring)."""
    _drop_never_shown(doc)
    _show_controlled_panels(doc)
    _show_headline_holder(doc)


def is_hidden(el: HtmlElement) -> bool:
    """Whether readability-lxml drops the element as hidden."""
    return el.get("hidden") is not None or bool(HIDING_STYLE.search(el.get("style") or ""))


def show(el: HtmlElement) -> None:
    """Remove what hides the element (its ``hidden`` and ``aria-hidden`` attributes, a hiding
    inline style)."""
    for name in ("hidden", "aria-hidden"):
        if el.get(name) is not None:
            del el.attrib[name]
    style = el.get("style")
    if style and HIDING_STYLE.search(style):
        el.set("style", HIDING_STYLE.sub(";", style))


def _drop_never_shown(doc: HtmlElement) -> None:
    """Remove the elements whose class says the page never displays them, keeping their tails."""
    for el in _NEVER_SHOWN(doc):
        never = not _NEVER_SHOWN_NAMES.isdisjoint((el.get("class") or "").split())
        if never and el.getparent() is not None:
            el.drop_tree()


def _show_controlled_panels(doc: HtmlElement) -> None:
    """A hidden panel named by a control's ``aria-controls`` or marked as a tab panel, or the
    hidden wrapper right around one (a collapsing accordion body)."""
    controlled = {name for value in _CONTROLS(doc) for name in str(value).split()}
    for el in _HIDDEN(doc):
        panel = is_hidden(el) and any(_is_panel(part, controlled) for part in (el, *el))
        if panel and not any(_closed(up) for up in el.iterancestors()):
            show(el)


def _closed(el: HtmlElement) -> bool:
    """A popover or a <dialog> not open: the panels inside are not on the page until it opens
    (the browser-support tabs of a documentation page's "compatibility" popover)."""
    return el.get("popover") is not None or (el.tag == "dialog" and el.get("open") is None)


def _is_panel(el: HtmlElement, controlled: set[str]) -> bool:
    if not isinstance(el.tag, str):
        return False
    return el.get("id") in controlled or (el.get("role") or "").lower() in PANEL_ROLES


def _show_headline_holder(doc: HtmlElement) -> None:
    """The hidden elements around the page's only headline, when the outermost holds
    ``HOLDER_SHARE`` of the page's text and none is named as chrome."""
    headlines = [h for h in doc.iter("h1") if squash(h.text_content())]
    if len(headlines) != 1:
        return
    hiding = [el for el in (headlines[0], *headlines[0].iterancestors()) if is_hidden(el)]
    if not hiding or any(clean.is_chrome(el) for el in hiding):
        return
    page = len(squash(" ".join(page_texts(doc))))
    if len(squash(hiding[-1].text_content())) < HOLDER_SHARE * page:
        return
    for el in hiding:
        show(el)


def page_texts(doc: HtmlElement) -> list[str]:
    """The texts of the page's body, in page order, but those inside ``NOT_TEXT_TAGS`` (each text
    node once, as XPath gives them)."""
    root = doc.getroottree().getroot()
    excluded = {el for holder in root.iter(*NOT_TEXT_TAGS) for el in holder.iter()}
    if not excluded:
        return cast(list[str], _BODY_TEXTS(doc))
    return [text for text in _BODY_TEXTS(doc) if _text_parent(text) not in excluded]


def _text_parent(text: Any) -> HtmlElement:
    """The element a text node of XPath's is in: lxml gives a tail's element, whose parent it
    is in."""
    owner = text.getparent()
    return owner.getparent() if text.is_tail else owner
