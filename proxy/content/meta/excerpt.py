"""The excerpt: the page's description when it is a real sentence, else the article's opening.

A description that is a site's slogan, a list of keywords or a shortcode is no summary; the
article's first paragraph is, once what is not prose is skipped: shortcodes (``[ad_1]``), bylines
("By Ana Ruiz"), date lines and paragraphs too short to say anything. A dateline that opens the
first paragraph ("BERLIN (dpa) –") is cut off.
"""

from __future__ import annotations

import re

from proxy.content.meta.byline import BY_LINE
from proxy.content.rules import AD_SHORTCODE

# A description or paragraph with fewer words is a label, not a sentence.
MIN_WORDS = 8
# An excerpt made from the text is cut to about this many characters.
EXCERPT_CHARS = 200
# "[...]", "…", "Read more" left at the end of a description by a blogging system.
_TRAILER = re.compile(
    r"\s*(?:\[(?:…|\.\.\.|&hellip;)\]|(?:read|continue reading|more)\W*$)\s*$", re.I
)
# A dateline: a place in capitals, an optional agency in brackets, a dash ("PARIS (AFP) — ").
_DATELINE = re.compile(r"^[A-ZÀ-Þ][A-ZÀ-Þ .,'-]{1,40}(?:\([^)]{1,20}\))?\s*[—–-]\s+")
# A line that only dates the article ("Published 5 March 2025 · Updated ...").
_DATE_LINE = re.compile(r"^(?:published|updated|posted|last updated|veröffentlicht|publié)\b", re.I)
# A byline paragraph has at most this many words ("By Ana Ruiz, science editor, in Lisbon").
BYLINE_WORDS = 20
# Any shortcode left in the text ("[caption id=...]", "[/embed]").
_SHORTCODE = re.compile(r"\[/?[a-z_][\w-]*(?:\s[^\]]*)?\]")


def find(description: str | None, text: str, title: str) -> str | None:
    """The description if it reads as a sentence, else the opening of the article's text."""
    if description and _is_sentence(description, title):
        return _TRAILER.sub("", description).strip()
    return from_text(text)


def from_text(text: str) -> str | None:
    """The first paragraph of ``text`` that is prose, cut to about ``EXCERPT_CHARS``."""
    for paragraph in text.split("\n\n"):
        paragraph = _DATELINE.sub("", _SHORTCODE.sub("", AD_SHORTCODE.sub("", paragraph))).strip()
        if not _is_prose(paragraph):
            continue
        if len(paragraph) <= EXCERPT_CHARS:
            return paragraph
        return paragraph[:EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"
    return None


def _is_prose(paragraph: str) -> bool:
    words = len(paragraph.split())
    if words < MIN_WORDS or _DATE_LINE.match(paragraph):
        return False
    return not (BY_LINE.match(paragraph) and words <= BYLINE_WORDS)


def _is_sentence(description: str, title: str) -> bool:
    words = description.split()
    if len(words) < MIN_WORDS or description.strip().casefold() == title.strip().casefold():
        return False
    return not _SHORTCODE.search(description) and any(w.islower() for w in words)
