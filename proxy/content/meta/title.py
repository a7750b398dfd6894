"""The article's title and the site's name.

The title is the visible headline (an ``<h1>``) when a declared title (JSON-LD ``headline``,
``og:title``, ``twitter:title``, ``<title>``) names it, other than as the site's name: an
``<h1>`` alone is not trusted, as many pages open with a "Navigation" or site-name heading. Otherwise it is the most trusted
declared title, without the " | Site name" part when that part is the site's name. The site's
name is ``og:site_name`` (or another declared one), else JSON-LD ``publisher``, else the host.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

# Separators between a title and the site's name ("Title | Site", "Site - Title").
_SEPARATOR = re.compile(r"\s+[|\-–—·•:»«/]{1,2}\s+")
# Headings looked at for the visible headline, and the longest one believed to be a title.
MAX_HEADINGS = 3
MAX_TITLE_CHARS = 300
# Host labels that are not the site's name.
_HOST_NOISE = ("www.", "m.", "amp.", "blog.", "news.")
_NON_WORD = re.compile(r"\W+")


def find(doc: HtmlElement, declared: list[str | None], site: str | None) -> str | None:
    """The title: a headline a declared title or the <title> names, else the first declared
    title, trimmed; None when only the <title> is there (``extract`` shortens that one)."""
    titles = [_unescape(t) for t in declared if t and t.strip()]
    named = [*titles, _unescape(doc.findtext(".//title") or "")]
    for heading in _headings(doc):
        if not (site and same_site(heading, site)) and any(_names(t, heading) for t in named if t):
            return heading
    return strip_site(titles[0], site) if titles else None


def _names(declared: str, heading: str) -> bool:
    """Whether a declared title holds the heading, not as its last part (where the site's name goes)."""
    key, parts = heading.casefold(), _SEPARATOR.split(declared)
    if len(parts) > 1 and parts[-1].casefold() == key:
        return False
    return key in declared.casefold()


def _headings(doc: HtmlElement) -> list[str]:
    found = []
    for heading in doc.iter("h1"):
        text = " ".join(heading.text_content().split())
        if text and len(text) <= MAX_TITLE_CHARS:
            found.append(text)
        if len(found) == MAX_HEADINGS:
            break
    return found


def strip_site(title: str, site: str | None) -> str:
    """``title`` without a leading or trailing part that is the site's name."""
    parts = _SEPARATOR.split(title)
    if len(parts) < 2 or not site:
        return title
    if same_site(parts[-1], site):
        return _rejoin(title, parts[:-1])
    if same_site(parts[0], site):
        return _rejoin(title, parts[1:])
    return title


def _rejoin(title: str, kept: list[str]) -> str:
    """The kept parts as they were written, separators included."""
    start = title.index(kept[0])
    end = title.rindex(kept[-1]) + len(kept[-1])
    return title[start:end]


def same_site(part: str, site: str) -> bool:
    a, b = _squeeze(part), _squeeze(site)
    return bool(a and b) and (a == b or (len(a) > 3 and (a in b or b in a)))


def _squeeze(text: str) -> str:
    return _NON_WORD.sub("", text.casefold())


def site_name(declared: str | None, url: str) -> str | None:
    """The site's declared name, else its host without "www." and the like."""
    if declared and declared.strip():
        return _unescape(declared)
    host = urlsplit(url).hostname or ""
    for noise in _HOST_NOISE:
        host = host.removeprefix(noise)
    return host or None


def _unescape(text: str) -> str:
    """Text with entities a page escaped twice ("&amp;#8217;") read as characters."""
    text = " ".join(text.split())
    return html.unescape(text) if "&" in text else text
