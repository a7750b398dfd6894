"""Tab panels a page hides until their tab is clicked, shown as a reader would see them after
clicking each tab.

Documentation shows one code sample per language in tabs, shops their description and specs,
services their plans: the panel on show is one of several, chosen by a script, and the others are
marked hidden (the ``hidden`` attribute or an inline ``display: none``). readability-lxml drops
every hidden element, so the page's text was whichever tab the page opened on. The panels are
found by their ARIA role, ``tabpanel``, which is what makes them tabs for screen readers in any
language; other hidden elements (menus, dialogs, templates) stay hidden.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

# A panel hidden by an inline style: the declaration readability-lxml drops elements for.
_HIDING_STYLE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important\s*)?(?=;|$)",
    re.IGNORECASE,
)
# The panels: their role, as XPath (a page may write it in capitals).
_PANELS = "//*[@role][translate(@role, 'TABPNEL', 'tabpnel') = 'tabpanel']"


def _closed(el: HtmlElement) -> bool:
    """Whether an element is hidden itself: by attribute or style, or as a popover or a dialog
    not open."""
    if el.get("hidden") is not None or el.get("popover") is not None:
        return True
    if el.tag == "dialog" and el.get("open") is None:
        return True
    style = el.get("style")
    return bool(style and _HIDING_STYLE.search(style))


def reveal_tab_panels(doc: HtmlElement) -> None:
    """Show every hidden tab panel of the page, in place (the hiding attribute and style go)."""
    for panel in doc.xpath(_PANELS):
        if any(_closed(el) for el in panel.iterancestors()):
            continue  # the tabs of a closed dialog or popover: not on the page until opened
        panel.attrib.pop("hidden", None)
        style = panel.get("style")
        if style and _HIDING_STYLE.search(style):
            panel.set("style", _HIDING_STYLE.sub("", style))
