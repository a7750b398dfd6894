"""The standfirst: the lead paragraph news pages set apart from the body, which readability-lxml
often leaves out. Found as the block that is the page's description (og:description), or else as
a block named as a lead ("intro", "teaser", "chapo") before the article's first paragraph.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from proxy.content import clean, htmltree
from proxy.content.metadata import squash
from proxy.content.paragraphs import MAX_PARAGRAPH_LINK_SHARE

# Blocks a standfirst is written in, and the shortest description worth looking for in the page.
LEAD_TAGS = ("p", "div", "h2", "span", "strong", "b", "em", "section", "header")
MIN_LEAD_CHARS = 20
# When the description finds no standfirst, a block named as one is (boilerplate-990: 20 leads that
# readability left outside): its class/id tokens, the blocks it is written in (an image's
# "imageDescription" <span> is a caption), its shortest (shorter ones, an "image-subtitle" or a
# blog's "site-description", are captions and taglines) and longest (a longer block holds more).
LEAD_TOKENS = frozenset(
    {
        "intro",
        "lead",
        "teaser",
        "excerpt",
        "abstract",
        "standfirst",
        "chapo",
        "summary",
        "description",
        "subline",
        "dek",
        "deck",
        "leader",
        "subtitle",
        "subheadline",
    }
)
LEAD_BLOCKS = frozenset({"p", "div", "h2", "h3", "section", "header"})
MIN_STANDFIRST_CHARS = 40
MAX_LEAD_CHARS = 800
# A page paragraph this long that the article holds marks where the article starts.
MIN_BODY_PARAGRAPH_CHARS = 80


def find_lead(doc: HtmlElement, description: str | None) -> str | None:
    """The standfirst: the page block whose text is the page's description (og:description)."""
    wanted = squash(description)
    if len(wanted) < MIN_LEAD_CHARS:
        return None
    for el in doc.iter(*LEAD_TAGS):
        start = squash(el.text)
        if (
            start
            and wanted.startswith(start[:MIN_LEAD_CHARS])
            and squash(el.text_content()) == wanted
        ):
            return wanted
    return None


def find_standfirst(doc: HtmlElement, body_text: str) -> str | None:
    """The standfirst by its name ("intro", "teaser", "chapo", ...): the first such block before
    the article's first paragraph, when the page's description finds none outside the article."""
    for el in doc.iter(etree.Element):
        if el.tag in LEAD_BLOCKS and not LEAD_TOKENS.isdisjoint(clean.tokens(el)):
            text = squash(el.text_content())
            if (
                MIN_STANDFIRST_CHARS <= len(text) <= MAX_LEAD_CHARS
                and el.find(".//h1") is None
                and not _is_linkish(el, text)
            ):
                return None if text in body_text else text
        elif el.tag == "p":
            text = squash(el.text_content())
            if len(text) >= MIN_BODY_PARAGRAPH_CHARS and text in body_text:
                return None  # the article has started
    return None


def _is_linkish(el: HtmlElement, text: str) -> bool:
    links = sum(len(squash(a.text_content())) for a in el.iter("a"))
    return links >= len(text) * MAX_PARAGRAPH_LINK_SHARE


def add_lead(root: HtmlElement, lead: str | None, doc: HtmlElement) -> HtmlElement:
    """Put the standfirst first when readability chose the body without it (it often sits apart).

    With a standfirst the article gets one more <div> around it, as it always has: cached and
    compared outputs stay the same.
    """
    body_text = squash(root.text_content())
    if not lead or lead in body_text:
        lead = find_standfirst(doc, body_text)
    if not lead:
        return root
    wrapper = htmltree.PARSER.makeelement("div")
    paragraph = htmltree.PARSER.makeelement("p")
    paragraph.text = lead
    wrapper.extend((paragraph, root))
    return wrapper
