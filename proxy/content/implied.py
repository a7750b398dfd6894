"""Where a page without a main landmark keeps its text: its implied landmark.

A service's or a shop's page assembled from a site builder's blocks (the pitch, a row of service
cards, the industries served, the steps, the case studies, the FAQ) often has no <main>, no
role="main" and no <article>. readability-lxml takes its longest block (the FAQ) and the rest of
the page is lost; with a landmark, extract.py gives a short choice way to it. Once page pruning has
removed the header, the menus and the footer, such a page's text sits in one wrapper: the
innermost element that holds nearly all of the body's text (``rules.IMPLIED_MAIN_SHARE``), found by
walking down from <body> while one child holds that share. It stands in for the missing landmark,
and the same tests (much more text than the choice, little of it links) decide whether it is taken.

Only when the choice sits well inside it, after a share of its text: an article opens the text of
its page, and what follows it there (testimonials, comments, teasers of other posts, a carousel)
is not the article's, while a service page's longest block (its FAQ) comes after the others.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from proxy.content import rules
from proxy.content.metadata import squash

_BODY = etree.XPath("/html/body")


def main_wrapper(doc: HtmlElement, choice: str, at_least: float) -> list[HtmlElement]:
    """The pruned page's implied main landmark, in a list as the landmark XPath gives them, when
    ``choice`` (readability's text, squashed) sits in it after ``rules.IMPLIED_BEFORE_SHARE`` of its
    text at least; none when the page's body holds fewer than ``at_least`` characters (no wrapper
    inside it could hold more: most pages end here, after one count of the body's text)."""
    bodies = _BODY(doc)
    if len(bodies) != 1:
        return []
    wrapper, lengths = bodies[0], _child_lengths(bodies[0])
    length = _own_length(wrapper) + sum(n for _, n in lengths)  # the body's, counted once
    if length < at_least:  # raw lengths count spaces: an upper bound of the squashed length
        return []
    while True:
        inner = [(c, n) for c, n in lengths if n >= rules.IMPLIED_MAIN_SHARE * length]
        if len(inner) != 1:
            break
        wrapper, length = inner[0]
        lengths = _child_lengths(wrapper)
    text = squash(wrapper.text_content())
    start = text.find(choice[: rules.IMPLIED_OPENING_CHARS])  # -1: not found as it is
    return [wrapper] if start >= rules.IMPLIED_BEFORE_SHARE * len(text) else []


def _raw_length(el: HtmlElement) -> int:
    """The length of an element's text, white space included (the walk compares shares only):
    of its text as one string made in C (``text_content``: the texts ``itertext`` gives, joined),
    not of each of its texts made into a string of its own (five times the time; speed shortcut)."""
    return len(el.text_content())


def _child_lengths(el: HtmlElement) -> list[tuple[HtmlElement, int]]:
    """The element's child elements with their raw lengths."""
    return [(child, _raw_length(child)) for child in el.iterchildren(etree.Element)]


def _own_length(el: HtmlElement) -> int:
    """What an element's raw length holds beside its child elements': its text and its
    children's tails (a comment's too; a comment's own text is none of its text). With
    ``_child_lengths`` the element's raw length, each text counted once: the body's was counted
    again in its children's (speed shortcut)."""
    return len(el.text or "") + sum(len(child.tail or "") for child in el)
