"""The standfirst: the lead paragraph news pages set apart from the body, which readability-lxml
often leaves out. Found as the block that is the page's description (og:description), or else as
a block named as a lead ("intro", "teaser", "chapo") under the headline and before the article's
first paragraph, or else by place: the headline's <h2> subtitle when it is long, and the opening
paragraph between the headline and the article's first paragraph.

A description shorter than a standfirst (``MIN_STANDFIRST_CHARS``: a site's tagline "Reiterrevue
International", a one-line dek) that a block reads is taken only when no block is named as the
lead (boilerplate-990: 2 news pages whose named lead was left out for it). A block whose own text
is the description is the standfirst even when an unclosed tag runs it on over what follows
("<h2>...</h3>" and an advertisement: boilerplate-990 thelocal).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from proxy import htmltree
from proxy.content import clean
from proxy.content.metadata import heading_text, squash
from proxy.content.paragraphs import MAX_PARAGRAPH_LINK_SHARE, prose_of

# Blocks a standfirst is written in, and the shortest description worth looking for in the page.
LEAD_TAGS = ("p", "div", "h2", "span", "strong", "b", "em", "section", "header")
MIN_LEAD_CHARS = 20
# The description and its block are compared by their words alone: a CMS writes the description with
# other quotes, dashes or spacing than the page ("'anyone ...'" against "“anyone ...”").
_WORD = re.compile(r"\w+")
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
# The opening: prose blocks (at most this many, each at least this long: a subtitle of one sentence
# is shorter, and whether a page counts it as its article's varies) between the headline and the
# article's first paragraph, in blocks of these tags and outside these (modern-web-dev articles:
# openings of 160 to 600 characters left out by readability on 6 pages, subtitles of 110 to 150
# on 8).
MAX_OPENING_BLOCKS = 2
MIN_OPENING_CHARS = 160
OPENING_TAGS = frozenset({"p", "div", "section"})
# A subtitle: the <h2> right after the headline (the page's first <h1>, reading as the title), at
# least this long, is the standfirst (boilerplate-990 neues-deutschland, die-tagespost,
# modern-web-dev 0036: 108 to 208 characters; a shorter one is a one-line dek that pages count in
# or out, "Learn how to choose the right camera with our beginner's guide", 79). An <h1> that is
# the site's name is not the headline: its <h2> is the site's description.
MIN_SUBTITLE_CHARS = 100
SET_APART = frozenset({"figure", "figcaption", "blockquote", "li", "table", "aside"})


def find_lead(doc: HtmlElement, description: str | None) -> str | None:
    """The standfirst: the page block whose words are the page's description (og:description),
    as the page writes it."""
    if len(squash(description)) < MIN_LEAD_CHARS:
        return None
    wanted = _words(description)
    if not wanted:
        return None  # no block's words start so
    for el in doc.iter(*LEAD_TAGS):
        opening = _opening_text(el)  # most blocks: none to read
        if opening and _opens_as(opening, wanted):
            if _words(el.text_content()) == wanted:
                return squash(el.text_content())
            if _words(opening) == wanted:  # its own text, and an unclosed tag's run-on after it
                return squash(opening)
    return None


def _opens_as(opening: str, wanted: str) -> bool:
    """Whether the words of a block's ``opening`` start as ``wanted`` does (their first
    ``MIN_LEAD_CHARS`` characters). Speed shortcut: the first word's first letter is compared
    before all the words are read, which most blocks fail (0.84 -> 0.64 ms a modern-web-dev
    page for ``find_lead``)."""
    first = _WORD.search(opening.casefold())
    if first is None or first.group()[0] != wanted[0]:
        return False
    return wanted.startswith(_words(opening)[:MIN_LEAD_CHARS])


def _words(text: str | None) -> str:
    return " ".join(_WORD.findall(text.casefold())) if text else ""


def _opening_text(el: HtmlElement) -> str | None:
    """The block's first text: its own, or the text after an image it opens with (a thumbnail
    floated into a paywalled article's only paragraph)."""
    text = el.text  # lxml makes a new str at each read
    if text and not text.isspace():
        return text
    return el[0].tail if len(el) and el[0].tag == "img" else None


def find_standfirst(doc: HtmlElement, body_text: str, title: str = "") -> str | None:
    """The standfirst by its name ("intro", "teaser", "chapo", ...): the first such block under
    the headline and before the article's first paragraph, when the page's description finds
    none outside the article. The headline is the page's first <h1>, or on a page without one
    the <h2> or <h3> that is the ``title``; a block above it is a dialog's or a menu's
    ("listingEditor-description": an editor's instructions; modern-web-dev 0063, a mover's
    "dedicated team" line above its headline)."""
    wanted = squash(title).casefold()
    above_headline = doc.find(".//h1") is not None or _holds_heading(doc, wanted)
    for el in doc.iter("h1", *LEAD_BLOCKS):  # (<p> among them; no other tag is looked at)
        if above_headline:
            above_headline = not _is_headline(el, wanted)  # what follows it is under it
        elif not LEAD_TOKENS.isdisjoint(clean.tokens(el)):
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


def _is_headline(el: HtmlElement, title: str) -> bool:
    """Whether ``el`` is an <h1>, or an <h2> or <h3> reading ``title`` (casefolded)."""
    if el.tag == "h1":
        return True
    return el.tag in ("h2", "h3") and squash(el.text_content()).casefold() == title


def _holds_heading(doc: HtmlElement, title: str) -> bool:
    """Whether the page has an <h2> or <h3> reading ``title`` (casefolded)."""
    return bool(title) and any(_is_headline(el, title) for el in doc.iter("h2", "h3"))


def _is_linkish(el: HtmlElement, text: str) -> bool:
    links = sum(len(squash(a.text_content())) for a in el.iter("a"))
    return links >= len(text) * MAX_PARAGRAPH_LINK_SHARE


def find_opening(doc: HtmlElement, body_text: str) -> list[str]:
    """The prose between the page's headline (its first <h1>) and the article's first paragraph,
    when readability chose the body without it: an opening paragraph set in a hero, a header or
    a box of its own beside the body's. Found by place alone, so in any language and under any
    name; empty when the article's start is not found after the headline, or when more than
    ``MAX_OPENING_BLOCKS`` blocks or one longer than ``MAX_LEAD_CHARS`` sit there (then it is not
    an opening but another part)."""
    found: list[str] = []
    for el in _after_headline(doc):
        if el.tag not in OPENING_TAGS or _is_set_apart(el):
            continue
        inline, prose = prose_of(el)
        if inline is None:
            continue
        text = squash(prose)
        if text in body_text:  # the article has started
            return found
        if len(text) > MAX_LEAD_CHARS:
            return []  # a part of the page of its own (a forum's first post), not an opening
        if len(text) >= MIN_OPENING_CHARS:
            found.append(text)
        if len(found) > MAX_OPENING_BLOCKS:
            return []
    return []


def _after_headline(doc: HtmlElement) -> Iterator[HtmlElement]:
    """The page's ``OPENING_TAGS`` elements (and later <h1>s) after its headline, its first <h1>,
    and outside it, in page order; none when it has no <h1>. Speed shortcut: the headline is
    found in the same walk, not by ``find(".//h1")``, which walks on through the whole page for
    a second one; the walk makes no element of other tags."""
    elements = doc.iterdescendants("h1", *OPENING_TAGS)
    headline = next((el for el in elements if el.tag == "h1"), None)
    if headline is None:
        return
    inside = set(headline.iter())
    for el in elements:
        if el not in inside:
            yield el


def _is_set_apart(el: HtmlElement) -> bool:
    """Inside a caption, quote, list or table: not the article's opening paragraph."""
    return any(a.tag in SET_APART for a in el.iterancestors())


def find_subtitle(doc: HtmlElement, body_text: str, title: str) -> str | None:
    """The standfirst written as the headline's subtitle (see ``MIN_SUBTITLE_CHARS``), when the
    article does not hold it: readability-lxml keeps an <h2> just before its best block, not one
    under the headline with a byline or a photo between."""
    wanted = squash(title).casefold()
    headline = next(doc.iter("h1"), None)
    if not wanted or headline is None or squash(heading_text(headline)).casefold() != wanted:
        return None
    following = next((el for el in headline.itersiblings() if htmltree.has_text(el)), None)
    if following is None or following.tag != "h2":
        return None
    text = squash(heading_text(following))
    if not MIN_SUBTITLE_CHARS <= len(text) <= MAX_LEAD_CHARS or text in body_text:
        return None
    return None if _is_linkish(following, text) else text


def add_lead(root: HtmlElement, lead: str | None, doc: HtmlElement, title: str = "") -> HtmlElement:
    """Put the standfirst first when readability chose the body without it (it often sits apart).

    With a standfirst the article gets one more <div> around it, as it always has: cached and
    compared outputs stay the same.
    """
    body_text = squash(root.text_content())
    if not lead or lead in body_text:
        lead = find_standfirst(doc, body_text, title)
    elif len(lead) < MIN_STANDFIRST_CHARS:  # a site's tagline or a one-line dek, not a standfirst
        lead = find_standfirst(doc, body_text, title) or lead
    subtitle = None if lead else find_subtitle(doc, body_text, title)
    leads = [lead] if lead else [*filter(None, [subtitle]), *find_opening(doc, body_text)]
    if not leads:
        return root
    wrapper = htmltree.PARSER.makeelement("div")
    for text in leads:
        paragraph = htmltree.PARSER.makeelement("p")
        paragraph.text = text
        wrapper.append(paragraph)
    wrapper.append(root)
    return wrapper
