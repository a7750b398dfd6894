"""Find the article in a page: readability-lxml chooses it, the page's own metadata describes it.

Workflow of ``extract``:
1. parse the page once; read its metadata (``metadata.read_metadata``: JSON-LD, Open Graph, meta
   tags, bylines and dates in the page) before anything is removed (readability-lxml 0.9 finds no
   date, site name, language or lead image, and JSON-LD lives in the scripts it drops);
2. media a script would have shown made visible (streamed.py, hidden.py, media.py, maths.py):
   parts a streaming server sent hidden after the page's shell put in their places (React's
   and Marko's), hidden panels the page's controls open and a page hidden until its scripts ran
   shown, lazy-loaded images
   (``data-src``), <noscript> images beside a placeholder, embeds as links, maths as MathML or
   TeX, <br> in <pre> as line breaks;
3. ``clean.prune_page`` removes page chrome, so readability cannot choose a share bar or a widget
   (on a product page, the dialogs inside its main landmark stay: shop.py; a FAQ's questions
   written as buttons become text first: questions.py; a thread's posts become their messages,
   each headed by its author's name and date: threads.py), and quotations that
   repeat the page's own text go (echoes.py: a reply quoting an earlier post, a pull quote);
4. readability-lxml chooses the article (links are made absolute later, by sanitise); it drops
   the page's hidden elements, so the later steps do not read them either;
5. when the page's own paragraphs hold much more text than that choice, they (with the headings,
   short paragraphs, lists and tables beside them) are the article instead: readability-lxml
   sometimes chooses a caption, a teaser or nothing at all; else the other parts of a split
   article (blocks of the chosen block's tag and class at the same place in the layout, parts.py)
   join its choice, and blocks readability joined come with the items holding them (a how-to's
   steps with their photos, captions and lists); a page whose markup is a shell its scripts fill
   gives way to the article its JSON-LD holds, when that is many times longer (structured.py),
   and a recipe's blocks of ingredients and steps, found by its JSON-LD, join it (recipes.py);
6. the headline is dropped from the body (the title is its own field) and a standfirst that
   readability left outside (the block that is the page's description, one named as a lead
   under the headline and before the article's first paragraph, or the headline's long <h2>
   subtitle and the opening paragraph between the headline and the article) is put back in
   front;
7. the article and its title are given in composed Unicode (NFC).

A choice that is some of the <section>s of the page's one main landmark gives way to the landmark
(runs.py: a documentation page of which readability took one section).

Steps 2-5 run again on a fresh parse, pruned by tags and roles alone, when they found next to
nothing: on a listing, a shop or a forum, what the names call teasers, tiles or comments is the
page's main text; when even that finds nothing, the page's largest run of same-shape items is
(runs.py: a collection without a landmark).
"""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement
from readability.readability import shorten_title

from proxy import htmltree
from proxy.content import (
    clean,
    echoes,
    grids,
    hidden,
    implied,
    maths,
    media,
    parts,
    recipes,
    rules,
    runs,
    shop,
    streamed,
    structured,
    threads,
)
from proxy.content.charset import Decoded
from proxy.content.lead import add_lead, find_lead
from proxy.content.meta import walks
from proxy.content.metadata import by_tag, heading_text, read_metadata, squash
from proxy.content.paragraphs import prefer_paragraphs
from proxy.content.questions import keep_questions
from proxy.content.readable import choose_article, prepare_page, prune_article
from proxy.siterules import apply as siterules
from proxy.siterules.parse import SiteRules
from proxy.siterules.tidy import tidy

# Bytes that crash lxml or readability (NUL and other C0 controls but tab, newline, return), and
# the same as characters: looking for each with ``in`` (memchr) is 4x faster than the regex's scan
# on pages that have none, which is nearly all of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_CHARS = tuple(chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F))
CONTROL_BYTES = tuple(c.encode() for c in CONTROL_CHARS)
# An XML declaration, which lxml refuses in a str (XHTML pages start with one).
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
# An article shorter than this (characters) is looked for again on the page pruned by tags and roles
# alone, and that one taken when it is this many times longer (modern-web-dev: 9 listings, forums
# and shops from next to nothing to their main text; on boilerplate-990 short news items gained
# 2-4.6 times their length in teasers at 2, none at 5).
RETRY_CHARS = 500
RETRY_GAIN = 5
# A page whose article is shorter than this (characters) by every other means is given its largest
# run of linked items (runs.item_grid: modern-web-dev, a collection from nothing to its grid; on
# boilerplate-990 a short post of 250 characters lost to its sidebar's list at 500).
GRID_BELOW_CHARS = 100
# Where a page says its content is, read when neither readability nor the paragraphs find any:
# <main> and role=main (its elements found by their attribute: a third faster than testing every
# element's, the same nodes).
LANDMARKS = etree.XPath("//main | //@role[. = 'main']/..")
# The page's <article>s, where it has no main landmark (``_landmark``).
_ARTICLES = etree.XPath("//article")
# A choice shorter than this (characters) gives way to the page's one main landmark when that holds
# this many times its text, and less than this share of link text (modern-web-dev: 7 shop, service,
# listing and collection pages better, none worse; no article nor boilerplate-990 page changed).
LANDMARK_BELOW_CHARS = 2000
LANDMARK_GAIN = 2
LANDMARK_LINK_SHARE = 0.3
# ... and that holds this many times the text of a choice that is a landing page's feature cards
# (runs.feature_cards: Readability.js's mozilla-2 0.72 -> 0.89 at 1.53 times, modern-web-dev 0326
# 0.76 -> 0.94 at 1.26; at 1.5 for every choice, four boilerplate-990 articles lost 0.14 each).
LANDMARK_CARDS_GAIN = 1.2
# What an empty or whitespace-only page parses as.
EMPTY_PAGE = "<html><body></body></html>"


@dataclass(frozen=True)
class Extracted:
    """The article readability-lxml chose (a tree in a <div>, None when there is none), and what
    the page says about it."""

    article: HtmlElement | None
    title: str
    byline: str | None = None
    site_name: str | None = None
    published: str | None = None
    modified: str | None = None
    lang: str | None = None
    lead_image: str | None = None
    canonical_url: str | None = None
    excerpt: str | None = None
    feed_url: str | None = None  # the feed the page declares (<link rel="alternate">)
    native_ad: bool = False  # a site rule's native_ad_clue matched: the page is paid content
    # the article is the page's main landmark, taken for want of prose, or a grid of linked items
    # that brought back the titles readability left out (_grid_links): its links are its content
    links_are_content: bool = False


def extract(
    html: str, url: str, content_language: str | None = None, *, site: SiteRules | None = None
) -> Extracted:
    """Choose the article of a page and read its metadata; ``html`` is the decoded page."""
    html = siterules.replace(html, site)
    doc, meta, ruled, scripts = _ruled_page(html, url, content_language, site)
    title = meta.pop("title", None) or _page_title(doc)
    lead = find_lead(doc, meta.get("excerpt"))
    body = _pruned(ruled.body, ruled.prune, html)
    links_are_content = False
    if body is not None or ruled.autodetect:
        written = structured.structured_body(html, doc, scripts)  # before pruning drops them
        recipe = recipes.recipe_blocks(html, doc, scripts)
        heuristic, doc, no_prose = _main_text(doc, html)
        if structured.replaces(written, heuristic):  # a shell its scripts fill
            heuristic, no_prose = written, False
        heuristic = recipes.add_blocks(heuristic, recipe)
        body = siterules.trusted(body, heuristic)  # a body rule's pick, unless implausible
        links_are_content = no_prose and body is heuristic
    if body is not None:
        drop_headline(body, title)
        body = add_lead(body, lead, doc, title)
        _compose(body)
    return Extracted(
        article=body,
        title=unicodedata.normalize("NFC", title),
        native_ad=ruled.native_ad,
        links_are_content=links_are_content,
        **meta,
    )


def _main_text(doc: HtmlElement, html: str) -> tuple[HtmlElement | None, HtmlElement, bool]:
    """The article, the page it was taken from, and whether its links are its content (the
    page's landmark taken for want of prose, a listing's grid: ``_grid_links``): pruned by names
    first, and when that leaves next to nothing (a listing, a shop,
    a home page whose teasers are its content), pruned by tags and roles alone from a fresh parse,
    if that finds much more. Last, a choice that was one item of a grid of linked items gives way
    to the grid when that holds more than all of this (``_whole_grid``)."""
    has_maths = maths.present(html)
    body, grid = _choose(doc, True, has_maths, shop.product_dialogs(doc))
    length = _length(body)
    if length >= RETRY_CHARS:
        landmarks = LANDMARKS(doc)  # found once: adding the parts leaves the page as it is
        whole = _whole_landmark(body, doc, landmarks)
        if whole is body:  # the other parts of a split article, then a doc page's sections
            whole = _whole_sections(parts.whole_items(parts.add_parts(body, doc), doc), landmarks)
        items = _whole_grid(whole, grid)
        return items, doc, _grid_links(items, whole)
    again = parse(html)
    (other, _), no_prose = _choose(again, False, has_maths), False
    if _length(other) < RETRY_CHARS:
        other, no_prose = _landmark(again), True  # a shop's specs or a page of short blocks
    if _length(other) < RETRY_CHARS and length < GRID_BELOW_CHARS:
        items = runs.item_grid(again)  # a collection's items, on a page with no landmark
        if _length(items) > _length(other):
            other = items
    if _length(other) > RETRY_GAIN * length:
        whole = _whole_grid(other, grid)
        return (
            (other, again, no_prose) if whole is other else (whole, doc, _grid_links(whole, other))
        )
    items = _whole_grid(body, grid)
    return items, doc, _grid_links(items, body)


def _whole_grid(body: HtmlElement | None, grid: grids.Grid | None) -> HtmlElement | None:
    """A copy of the grid of linked items readability chose one item of (grids.py), in a <div>,
    instead of the article every other step made of that choice, when it holds
    ``rules.GRID_GAIN`` times its text: the paragraph fallback's blurbs without their titles, one
    card, a landmark of fewer cards."""
    if grid is None or grid.length <= rules.GRID_GAIN * _length(body):
        return body
    root = htmltree.PARSER.makeelement("div")
    root.append(copy.deepcopy(grid.element))
    return root


def _grid_links(items: HtmlElement | None, body: HtmlElement | None) -> bool:
    """Whether ``items``, the grid ``_whole_grid`` gave for ``body``, is a listing whose linked
    titles are its text: it holds ``rules.GRID_LINKS_GAIN`` times the text of the choice it
    replaced (a run of prices and blurbs whose titles readability left out). A grid barely
    longer than the choice was that choice's own cards, which the article pass judges as it
    judges any (a video's row of other episodes)."""
    if items is body:
        return False
    return _length(items) >= rules.GRID_LINKS_GAIN * _length(body)


def _whole_landmark(
    body: HtmlElement | None, doc: HtmlElement, landmarks: list[HtmlElement]
) -> HtmlElement | None:
    """The page's one main landmark, pruned, instead of a short choice inside it that it holds
    many times over: a shop's or a service's page is several short blocks (description, specs,
    features) of which readability takes one. Not when its text is mostly links (a menu, a grid
    of teasers). A page without a landmark has its implied one (implied.py) judged the same way,
    whatever the choice's length: there no <main> says where the page's text is, and a choice of
    under half of the wrapper holding all of it, not at its start, is one block of several.
    A choice of feature cards (runs.feature_cards) gives way to less: a landing page's row of
    cards is one block of several. ``landmarks`` is ``LANDMARKS(doc)``."""
    text = _text(body)
    length = len(text)
    found = landmarks
    if not found:  # a page of blocks without one: its implied landmark, however long the choice
        found = implied.main_wrapper(doc, text, LANDMARK_CARDS_GAIN * length)
    elif length >= LANDMARK_BELOW_CHARS:
        return body
    if len(found) != 1:
        return body
    main, total = found[0], _length(found[0])
    if total < LANDMARK_CARDS_GAIN * length:
        return body
    links = sum(len(squash(a.text_content())) for a in main.iter("a"))
    if links > LANDMARK_LINK_SHARE * total:
        return body
    if total < LANDMARK_GAIN * length and (body is None or not runs.feature_cards(body)):
        return body
    root = htmltree.PARSER.makeelement("div")
    root.append(copy.deepcopy(main))
    return root


def _whole_sections(body: HtmlElement | None, landmarks: list[HtmlElement]) -> HtmlElement | None:
    """The page's one main landmark instead of a choice of some of its sections (runs.py): a
    documentation page whose reference or steps readability took one of. ``landmarks`` is
    ``LANDMARKS`` of the page (found once for this and ``_whole_landmark``: speed shortcut)."""
    if len(landmarks) != 1:
        return body
    return runs.whole_sections(body, landmarks[0], LANDMARK_LINK_SHARE)


def _ruled_page(
    html: str, url: str, content_language: str | None, site: SiteRules | None
) -> tuple[HtmlElement, dict[str, str], siterules.Ruled, list[HtmlElement]]:
    """The page parsed, its metadata read and the site's rules applied (metadata, strips, a body's
    pick), and the <script>s the metadata read (the rules may have removed some since). With body
    rules and ``tidy`` on (the format's default) they read the page tidied (siterules/tidy.py),
    and the page untidied when none selects anything there (graby's smart tidy); without body
    rules the page is left as parsed."""
    tidied = site is not None and site.switches["tidy"] and bool(site.xpath("body"))
    for tidy_now in (True, False) if tidied else (False,):
        doc = parse(html)
        if tidy_now:
            tidy(doc)
        page = siterules.before_metadata(doc, site)
        walked = by_tag(page)
        meta = read_metadata(page, url, content_language, walked)
        ruled = siterules.apply(doc, site, meta, html)
        if ruled.body is not None:
            break
    return doc, meta, ruled, walked["script"]


def _pruned(body: HtmlElement | None, prune: bool, html: str) -> HtmlElement | None:
    """A site rule's pick of the article with Declutter's page chrome removed by names, as the
    heuristics' page is (kept whole when that leaves next to nothing: a listing's teasers are its
    content); with the rule's ``prune`` (Full-Text RSS's default) also readability's cleaning, which
    Full-Text RSS and graby run on a body rule's pick."""
    if body is None:
        return None
    _show_media(body, maths.present(html))  # as on the heuristics' page: lazy images, <pre> lines
    whole = copy.deepcopy(body)
    clean.prune_page(body, True)
    length = _length(body)
    if length < RETRY_CHARS and _length(whole) > RETRY_GAIN * length:
        body = whole
    if prune:
        prune_article(body)
    return body


def _landmark(doc: HtmlElement) -> HtmlElement | None:
    """A copy of the page's main landmark (<main>, role=main, or else its longest <article>), in a
    <div>: where the page itself says its content is."""
    found = LANDMARKS(doc) or _ARTICLES(doc)
    if not found:
        return None
    root = htmltree.PARSER.makeelement("div")
    root.append(copy.deepcopy(max(found, key=_length)))
    return root


def _choose(
    doc: HtmlElement,
    by_names: bool,
    has_maths: bool,
    keep: frozenset[HtmlElement] = frozenset(),
) -> tuple[HtmlElement | None, grids.Grid | None]:
    """Steps 2-5: media made visible, the page pruned (but for ``keep``: a product page's own
    dialogs), readability's choice or the paragraphs; and the grid of linked items readability's
    choice is one item of, if it is (grids.py)."""
    _show_media(doc, has_maths)
    keep_questions(doc)  # a FAQ's questions are buttons: before the buttons go
    threads.tidy_posts(doc)  # a thread's posts as their messages: before their cards go
    outline = clean.outline_targets(doc)  # before pruning removes the table of contents
    clean.prune_page(doc, by_names, outline, keep)
    echoes.drop_echoes(doc)
    chosen = choose_article(prepare_page(doc), outline)
    return prefer_paragraphs(chosen.html, doc), chosen.grid


def _length(body: HtmlElement | None) -> int:
    return len(_text(body))


def _text(body: HtmlElement | None) -> str:
    return squash(body.text_content()) if body is not None else ""


def _compose(article: HtmlElement) -> None:
    """The article's text in Unicode's composed form (NFC), in place: some pages write "ü" or
    Bengali letters as a base and combining marks, while rules, search, comparison and some fonts
    expect the one composed form. Checked on the article only (the whole page cost 2% of the
    time), on its text as one string made in C (``text_content``: the texts ``itertext`` gives,
    joined; a quarter of the time; speed shortcut)."""
    if unicodedata.is_normalized("NFC", article.text_content()):
        return
    for element in article.iter():
        if element.text:
            element.text = unicodedata.normalize("NFC", element.text)
        if element.tail and element is not article:
            element.tail = unicodedata.normalize("NFC", element.tail)


def parse(html: str) -> HtmlElement:
    """Parse a page after removing the control characters that crash readability-lxml.

    A page read from UTF-8 (``charset.Decoded``) is looked through and parsed as those bytes
    while nothing but white space at its ends is removed (see ``_stripped_utf8``)."""
    read = html.utf8 if isinstance(html, Decoded) else None
    if _has_controls(html, read):
        html, read = _CONTROL.sub("", html), None
    page = _XML_DECLARATION.sub("", html)
    text = page.strip()
    utf8 = _stripped_utf8(page, text, read) if len(page) == len(html) else None
    try:
        return htmltree.document(text or EMPTY_PAGE, utf8)
    except etree.ParserError:  # only markup debris, such as "<!": libxml2 finds no document
        return htmltree.document(EMPTY_PAGE)


def _has_controls(html: str, utf8: bytes | None) -> bool:
    """Whether the page holds a control character; looked for in its UTF-8 bytes when it has
    them, where each is the one byte of the same value and no other character has such a byte."""
    if utf8 is not None:
        return any(c in utf8 for c in CONTROL_BYTES)
    return any(c in html for c in CONTROL_CHARS)


def _stripped_utf8(page: str, text: str, utf8: bytes | None) -> bytes | None:
    """``text``, which is ``page`` stripped of white space, as UTF-8, cut from ``utf8`` (the
    page's own UTF-8) when what was stripped is ASCII: the same bytes as ``text.encode()``, as
    UTF-8 writes a text piece by piece and an ASCII character as one byte. None otherwise.

    ``text`` begins where ``text[0]`` first occurs in ``page``: what comes before is white space,
    which ``text[0]`` is not."""
    if utf8 is None or not text:
        return None
    start = page.index(text[0])
    end = start + len(text)
    if not (page[:start].isascii() and page[end:].isascii()):
        return None
    return utf8[start : len(utf8) - (len(page) - end)]


def drop_headline(root: HtmlElement, title: str) -> None:
    """Remove the first heading when it repeats the title (the title is shown on its own)."""
    wanted = squash(title).casefold()
    for heading in root.iter("h1", "h2"):
        if squash(heading_text(heading)).casefold() == wanted:
            heading.drop_tree()
        break


def _page_title(doc: HtmlElement) -> str:
    """The first <h1> when the <title> names it, else the <title> without the site's name.

    An <h1> alone is not trusted: many pages open with a hidden "Navigation" or site-name heading.
    """
    heading = walks.first(doc, "h1")
    text = squash(heading_text(heading)) if heading is not None else ""
    page_title = squash(walks.first_text(doc, "title"))
    if text and (not page_title or text.casefold() in page_title.casefold()):
        return text
    return squash(shorten_title(doc)) or page_title or text


def _show_media(doc: HtmlElement, has_maths: bool) -> None:
    """What the page's scripts would have shown, as markup that needs none (before pruning drops
    the <noscript>, <iframe> and <script> elements it comes from)."""
    streamed.place_streamed(doc)
    streamed.place_fragments(doc)
    hidden.show_hidden_content(doc)
    if has_maths:
        maths.recover(doc)
    media.recover_noscript_images(doc)
    media.promote_lazy_images(doc)
    media.embeds_to_links(doc)
    media.pre_line_breaks(doc)
