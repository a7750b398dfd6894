"""Quotations that repeat what the article already says: a thread's replies quoting earlier posts,
a pull quote lifted from the story's own paragraphs.

A forum page quotes the post a reply answers inside the reply, so a thread of twenty posts can
hold the same paragraphs three or four times; a magazine sets a sentence of its story in large
type beside the paragraph it comes from. The reader already has that text once. The signal is
the repetition itself, not a class name nor a "wrote:" in one language: a <blockquote> whose words
are nearly all found elsewhere in the article goes, and the text it repeats stays where it was
first written. A quote of something the page does not hold (a post on an earlier page of the
thread, a speech an article cites) stays.

The copy that stays is the one outside any quotation, where the text was written: quotes are
compared with the rest of the page only, so the slides a carousel repeats for its loop (each a
<blockquote> of a testimonial) are not judged echoes of one another. Words are compared as runs
of four (shingles), so a quote of a part of a post, or one whose attribution line differs, is
still recognised. This runs on the pruned page, before the article is chosen: readability-lxml
and the paragraph fallback turn a quote's <div> into a paragraph and lose the <blockquote>.
"""

from __future__ import annotations

import re
from collections import Counter

from lxml.html import HtmlElement

from proxy.content import rules

# Words, as the rest of the content pipeline counts them (any script: \w is Unicode).
_WORD = re.compile(r"\w+")
# Words in a run compared between a quote and the rest of the page.
SHINGLE = 4

Shingles = Counter[tuple[str, ...]]


def drop_echoes(root: HtmlElement) -> None:
    """Remove, in place, the quotations whose words the page holds outside any quotation."""
    quotes = [q for q in root.iter("blockquote") if q is not root]
    if not quotes:
        return
    outside = _shingles(root)
    read = {quote: _shingles(quote) for quote in _outermost(quotes)}
    for own in read.values():
        outside.subtract(own)
    for quote in quotes:
        if _detached(quote, root):
            continue
        # An outermost quote still attached is as first read: only quotes before it, none
        # inside it, were dropped (a drop keeps its tail outside it).
        own = read[quote] if quote in read else _shingles(quote)
        if _is_echo(own, outside):
            quote.drop_tree()  # its tail stays with its parent


def _outermost(quotes: list[HtmlElement]) -> list[HtmlElement]:
    """The quotes not inside another one."""
    inner = {q for quote in quotes for q in quote.iterdescendants("blockquote")}
    return [q for q in quotes if q not in inner]


def _is_echo(own: Shingles, outside: Shingles) -> bool:
    """Whether enough of a quote's shingles occur outside every quote."""
    total = sum(own.values())
    if total < rules.ECHO_MIN_WORDS - SHINGLE + 1:
        return False  # a short quote ("Exactly.") says too little to tell a repeat
    found = sum(min(count, max(outside[gram], 0)) for gram, count in own.items())
    return found >= rules.ECHO_SHARE * total


def _shingles(el: HtmlElement) -> Shingles:
    """The element's words as a multiset of runs of SHINGLE, lower-cased."""
    words = _WORD.findall(" ".join(el.itertext()).lower())
    runs = zip(*(words[i:] for i in range(SHINGLE)), strict=False)  # the shorter ones end it
    return Counter(runs)  # counted in C: a page is long


def _detached(el: HtmlElement, root: HtmlElement) -> bool:
    """Whether ``el`` is no longer under ``root`` (an ancestor of it was removed)."""
    return not any(parent is root for parent in el.iterancestors())
