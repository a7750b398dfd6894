"""The article's title and the site's name.

The title is the visible headline (the first ``<h1>`` that is not the site's name) when the
declared titles (JSON-LD ``headline``, ``og:title``, ``twitter:title``, ``<title>``) back it: one
holds it, other than as its last part, or it rewords one (``find``). An ``<h1>`` alone is not
trusted, as many pages open with a "Navigation" or site-name heading. Otherwise it is the most
trusted declared title, without the " | Site name" part when that part is the site's name. The
site's name is ``og:site_name`` (or another declared one), else JSON-LD ``publisher``, else the
host.
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
_WORD = re.compile(r"\w+")
# Permalink marks that documentation generators put at a heading's end (Sphinx's pilcrow).
_ANCHOR_MARKS = "¶#§ "
# A declared title inside a longer headline stands for it when it is this much of it (a date or a
# counter added); a much shorter one is a cut-down title for search engines.
WITHIN_SHARE = 0.6
# The share of a headline's words a declared title must share for a reworded headline.
SHARED_WORDS = 0.5
# Words too common to say two titles are about the same thing.
SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "for",
        "and",
        "or",
        "on",
        "with",
        "at",
        "by",
        "from",
        "how",
        "what",
        "why",
        "is",
        "are",
        "your",
        "you",
        "vs",
    ]
)


def find(doc: HtmlElement, declared: list[str | None], site: str | None) -> str | None:
    """The title: the visible headline when the declared titles back it, else the first declared
    title, trimmed; None when only the <title> is there (``extract`` shortens that one).

    A headline is backed when a declared title (or the <title>) holds it, or, for the first
    headline only, when it shares most of its words with one: pages reword the headline for
    search engines ("How Machine Learning Personalizes..." shown, "Using Machine Learning To..."
    declared), and a reader sees the shown one. A headline that holds a whole declared title
    and a little more ("Dec 18 2025 Preparing a transition", "... (latimes.com) 87") gives that
    title."""
    titles = [_unescape(t) for t in declared if t and t.strip()]
    named = [t for t in (*titles, _unescape(doc.findtext(".//title") or "")) if t]
    trimmed = [strip_site(t, site) for t in named]
    first = True
    for heading in _headings(doc):
        if site and same_site(heading, site):
            continue
        key = heading.casefold()
        inside = [
            t
            for t in trimmed
            if len(t.split()) > 1 and WITHIN_SHARE * len(heading) <= len(t) < len(heading)
        ]
        within = next((t for t in inside if t.casefold() in key), None)
        if within:
            return within
        if any(_names(t, heading) for t in named) or (first and _rewords(heading, named)):
            return heading
        first = False
    return strip_site(titles[0], site) if titles else None


def _rewords(heading: str, named: list[str]) -> bool:
    """Whether the heading shares at least ``SHARED_WORDS`` of its words, and two at least (small
    words aside), with one of the declared titles."""
    words = _words(heading)
    if len(words) < 2:
        return False
    return any(
        len(shared) > 1 and len(shared) >= SHARED_WORDS * len(words)
        for shared in (words & _words(t) for t in named)
    )


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.casefold()) if w not in SMALL_WORDS}


def _names(declared: str, heading: str) -> bool:
    """Whether a declared title holds the heading, not as its last part (the site's name)."""
    key, parts = heading.casefold(), _SEPARATOR.split(declared)
    if len(parts) > 1 and parts[-1].casefold() == key:
        return False
    return key in declared.casefold()


def _headings(doc: HtmlElement) -> list[str]:
    found = []
    for heading in doc.iter("h1"):
        text = _unescape(heading.text_content()).rstrip(_ANCHOR_MARKS).strip()
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
