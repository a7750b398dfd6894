"""Applies the boilerplate rules of ``rules.py``; holds no rule of its own. Pure: trees in, trees
out.

Two passes, because boilerplate is caught best at two moments:

1. ``prune_page`` runs on the whole page before readability-lxml chooses the article: it removes
   page chrome by tag, ARIA role and class/id token, so a share bar or a "related" widget can
   neither be chosen nor dragged in as a sibling of the article.
2. ``clean`` runs on the chosen article: it removes the promos that sit between paragraphs with
   class names that give no hint, recognised by their text (ad labels, "READ MORE:" leads,
   "Source link", repeated calls to action, sections opened by "Related posts:") and by their
   links (short all-link paragraphs, link lists).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from lxml import etree
from lxml.html import HtmlElement

from proxy import htmltree
from proxy.content import bios, carriers, closing, endlinks, figures, permalinks, rules, threads
from proxy.content.caseless import Caseless
from proxy.content.meta import jsonld
from proxy.content.text import pieces_word_count, word_count

# Splits class and id values into tokens: "post-share_barTop" -> post, share, bar, top.
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_BEM_MODIFIER = re.compile(r"--[\w-]*")
# Distinct class/id values whose tokens are remembered: a page repeats a few hundred of them, and
# splitting each again was a third of the page pass.
NAME_CACHE_SIZE = 4096
# Every boilerplate token, whatever its group, for one set lookup per element.
_ALL_TOKENS = frozenset(token for group in rules.BOILERPLATE_TOKENS.values() for token in group)
# The page pass's tag and role rules as sets: it asks about every element of the page.
_DROP_TAGS, _KEEP_TAGS = frozenset(rules.DROP_TAGS), frozenset(rules.KEEP_TAGS)
_DROP_ROLES = frozenset(rules.DROP_ROLES)
# Tags whose removal needs no guard: they hold no visible prose.
_ALWAYS_DROP = frozenset({"script", "style", "noscript", "template"})
# Blocks the article pass judges one by one, innermost first.
_BLOCKS = (
    "p",
    "div",
    "li",
    *htmltree.HEADINGS,
    "dd",
    "dt",
    "section",
    "blockquote",
    "figcaption",
)
# Containers judged as promo boxes (a lone paragraph is judged as a block, by stricter rules).
_BOXES = ("div", "section", "aside", "form")
_HEADINGS = frozenset(htmltree.HEADINGS)
# Elements that hold content although they have no text.
_MEDIA = ("img", "picture", "video", "audio", "figure", "table", "pre", "svg", "iframe", "hr")
_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")
# Where a listing's cards are not, on a page without a main landmark (rules.py).
_CARD_CHROME_TAGS = frozenset(rules.CARD_CHROME_TAGS)
_CARD_CHROME_ROLES = frozenset(rules.CARD_CHROME_ROLES)
# Where a page says its content is (as extract.LANDMARKS).
_LANDMARKS = etree.XPath("//main | //*[@role='main']")
# Elements whose text is not prose, nor that of anything inside them (a country <select> of a
# newsletter box holds more text than many articles).
_NOT_PROSE = frozenset({"a", "script", "style", "select", "textarea"})
# The article pass's text rules, asked of every short block: fast on ASCII text (caseless.py).
_PROMO_WHOLE = Caseless(
    rules.AD_LABELS, rules.BOILERPLATE_BLOCKS, rules.LABELS, rules.CREDIT_LEADS, rules.AD_LEADS
)
_CALLS_TO_ACTION, _NOTICES = Caseless(rules.CALLS_TO_ACTION), Caseless(rules.NOTICES)
_AFFILIATE_NOTICES = Caseless(rules.AFFILIATE_NOTICES)
_CREDIT_TAILS, _TINY_PROMO_WORDS = Caseless(rules.CREDIT_TAILS), Caseless(rules.TINY_PROMO_WORDS)
_DATE_LEADS, _PROMO_LEADS = Caseless(rules.DATE_LEADS), Caseless(rules.PROMO_LEADS)
_SECTION_HEADINGS = Caseless(rules.SECTION_HEADINGS)
# How a text that rules.TEASER_END finds ends: in "...", "…" or "]", or in one of these and a line
# break (its ``$`` matches before a last one); tests/test_speedpaths.py checks the two agree.
_TEASER_ENDINGS = ("...", "…", "]", "...\n", "…\n", "]\n")


def prune_page(
    doc: HtmlElement,
    by_names: bool = True,
    outline: frozenset[str] | None = None,
    keep: frozenset[HtmlElement] = frozenset(),
) -> None:
    """Remove page chrome (tags, roles, class/id tokens) from a whole page, in place.

    An element holding a large share of the page's prose is kept whatever its name says: the
    article's own wrappers carry names like "hasRightSidebar", "isPaywall" or "widget Blog".
    Without ``by_names``, only tags and roles are judged: on a listing, a shop or a home page the
    teaser cards and the "product-tile"s are the page's content. Elements in ``keep`` are never
    judged chrome (a product page's own dialogs, shop.py).
    """
    elements = list(doc.iter(etree.Element))  # one walk for measuring and judging
    prose = _prose_lengths(elements)
    if _unwrap_page_noscript(doc, prose[doc]):
        elements = list(doc.iter(etree.Element))
        prose = _prose_lengths(elements)
    limit = max(1, prose[doc]) * rules.MAX_PRUNED_SHARE
    judge = is_chrome if by_names else _is_chrome_tag
    doomed = [el for el in elements if judge(el) and el not in keep]
    if by_names:
        doomed = _outside_outline(doomed, outline_targets(doc) if outline is None else outline)
    doomed = _listing_cards_kept(doomed, prose)
    doomed += _form_boxes(doc, prose)
    repeated = _dominant_repeats(doomed, prose, prose[doc])
    _drop_all(
        el
        for el in doomed
        if el.tag in _ALWAYS_DROP or (prose[el] <= limit and el not in repeated) or _is_page_end(el)
    )


def _drop_all(doomed: Iterable[HtmlElement]) -> None:
    """``_drop`` each element, but for those that left the page with one dropped before them: the
    page is the same as when each is dropped (a menu's items went with the menu), while dropping
    them from the removed subtree rewrote its tails and walked it again, four drops in five on
    modern-web-dev. Speed shortcut (proxy/web/shortcuts.py)."""
    gone: set[HtmlElement] = set()
    for el in doomed:
        if gone.isdisjoint(el.iterancestors()):
            _drop(el)
            gone.add(el)


def _listing_cards_kept(
    doomed: list[HtmlElement], prose: dict[HtmlElement, int]
) -> list[HtmlElement]:
    """``doomed`` less the teaser cards (links around a headline) in the page's one main
    landmark on a listing: a blog's front page or a recipe index, whose cards' headlines are its
    content (a mega-menu's cards sit outside the landmark); on a page without a landmark, the
    cards outside its chrome landmarks (``_in_listing``: a shop's collection page). It is a
    listing when it holds ``MIN_LISTING_CARDS`` cards or more, the blocks holding the cards (a
    headline and a blurb, ``CARD_HOLDER_PROSE`` characters of prose at most) hold more than
    ``REPEATED_SHARE`` of the text the rest of the pruning leaves, more than the article
    paragraphs outside them (without a landmark: no such paragraph at all, as a video's
    description over a row of other episodes has), and the page declares no story in JSON-LD
    (a short news item among many teasers of other stories)."""
    cards = {el for el in doomed if el.tag == "a" and _is_teaser_card(el)}
    if len(cards) < rules.MIN_LISTING_CARDS:  # too few before they are sifted
        return doomed
    landmarks = _LANDMARKS(next(iter(cards)))
    if len(landmarks) > 1:
        return doomed
    others = [el for el in doomed if el not in cards]
    gone = set(others)
    cards = {
        el
        for el in cards
        if gone.isdisjoint(el.iterancestors())
        and _in_listing(el, landmarks)
        and (parent := el.getparent()) is not None
        and prose[parent] <= rules.CARD_HOLDER_PROSE  # a card, not the article around a link
    }
    holders = {parent for el in cards if (parent := el.getparent()) is not None}
    if len(cards) < rules.MIN_LISTING_CARDS:
        return doomed
    outer = [el for el in holders if holders.isdisjoint(el.iterancestors())]
    root = outer[0].getroottree().getroot()
    removed = gone.union(root.iter("script", "style"))
    page = _text_length(root) - sum(
        _text_length(el) for el in removed if removed.isdisjoint(el.iterancestors())
    )
    cards_text = sum(_text_length(el) for el in outer)
    if cards_text <= rules.REPEATED_SHARE * page:
        return doomed
    # an article's paragraphs outside the cards outweigh them: the cards are other stories'
    inside = set(outer) | gone
    article = sum(
        prose[p]
        for p in root.iter("p")
        if prose[p] >= rules.ARTICLE_PARAGRAPH_CHARS and inside.isdisjoint(p.iterancestors())
    )
    if article >= (cards_text if landmarks else 1) or jsonld.is_story(jsonld.objects(root)):
        return doomed  # a page that declares itself an article: a short story among teasers
    return others


def _dominant_repeats(
    doomed: list[HtmlElement], prose: dict[HtmlElement, int], page: int
) -> set[HtmlElement]:
    """The doomed blocks that repeat one shape (tag and class, numbers aside), none nested in
    another nor holding most of their text, together hold most of the page's prose, and leave
    outside every doomed block clearly less prose than their longest one (``OUTSIDE_MARGIN``): a
    thread's posts named "comment", whose first post is one of them. Each is small, so the share
    that keeps an article's wrapper never keeps them; an article's comments leave the article
    outside them.

    A run's outermost blocks hold no more prose than all its blocks, nor these than all the
    doomed: when those add up to no more than the share, no run can hold more, and neither the
    shapes nor the ancestors are read (most pages: their chrome is menus and links, with little
    prose). Speed shortcut (proxy/web/shortcuts.py)."""
    share = page * rules.REPEATED_SHARE
    if sum(prose[el] for el in doomed) <= share:
        return set()
    groups: dict[tuple[str, str], list[HtmlElement]] = {}
    for el in doomed:
        if el.tag not in _ALWAYS_DROP:
            groups.setdefault(shape(el), []).append(el)
    candidates = [g for g in groups.values() if len(g) >= rules.MIN_REPEATS]  # a quick first cut
    if not candidates:
        return set()
    all_doomed = set(doomed)
    outside = None  # the prose outside every doomed block, read when a run holds enough
    declared: list[bool] = []  # whether the page says it is a thread, read when a run needs it
    kept: set[HtmlElement] = set()
    for members in candidates:
        if sum(prose[el] for el in members) <= share:
            continue  # its outermost blocks hold no more (the shortcut above)
        inside = set(members)
        outer = [prose[el] for el in members if inside.isdisjoint(el.iterancestors())]
        if len(outer) < rules.MIN_REPEATS or max(outer) > sum(outer) * rules.MAX_ITEM_SHARE:
            continue  # nested, or one block and its crumbs: not a run of items
        if sum(outer) <= share:
            continue
        if outside is None:
            outside = page - sum(
                prose[el] for el in doomed if all_doomed.isdisjoint(el.iterancestors())
            )
        if outside * rules.OUTSIDE_MARGIN < max(outer) or _thread(members, declared):
            kept |= inside
    return kept | {a for el in kept for a in el.iterancestors() if a in all_doomed}


def _thread(members: list[HtmlElement], declared: list[bool]) -> bool:
    """Whether the page says it is a discussion thread, or says ``members`` are its posts
    (threads.py); ``declared`` keeps the page's answer, read once."""
    doc = members[0].getroottree().getroot()
    if not declared:
        declared.append(threads.declared(doc))
    return declared[0] or threads.posts_of_thread(members, doc)


def shape(el: HtmlElement) -> tuple[str, str]:
    """An element's tag and class (its id when it has none) without numbers: the posts of a thread
    share one, whatever their ids."""
    return str(el.tag), shape_names(el.get("class") or el.get("id") or "")


@functools.lru_cache(maxsize=NAME_CACHE_SIZE)
def shape_names(names: str) -> str:
    """A class or id value without numbers, its names sorted; asked once per distinct value."""
    return " ".join(sorted({_DIGITS.sub("", name) for name in names.split()}))


def _outside_outline(doomed: list[HtmlElement], targets: frozenset[str]) -> list[HtmlElement]:
    """``doomed`` less the article's own sections that only their id put there: an id made from
    the section's heading ("commercial-spending" for "Commercial spending continues to lead") and
    linked from the page (a table of contents) is an anchor, whose words say what the section is
    about, not what part of the page it is. A name of one word ("comments") is not trusted: pages
    link to their comments and their "related" boxes too."""
    if not targets:
        return doomed
    return [el for el in doomed if not is_outline_section(el, targets)]


def outline_targets(doc: HtmlElement) -> frozenset[str]:
    """The ids the page links to from within itself ("#commercial-spending")."""
    return frozenset(
        href[1:] for a in doc.iter("a") if (href := a.get("href") or "").startswith("#")
    )


def is_outline_section(el: HtmlElement, targets: frozenset[str]) -> bool:
    """A section or heading whose id is linked in the page and made of its heading's words, and
    whose class, if any, names no boilerplate."""
    ident = el.get("id")
    if ident is None or ident not in targets or _names_are_chrome(el.get("class") or ""):
        return False
    words = {word for word in _name_tokens(ident) if len(word) > 1}
    if not words:
        return False
    heading = el if el.tag in _HEADINGS else next(el.iter(*_HEADINGS), None)
    if heading is None or not words <= set(_WORD.findall(heading.text_content().lower())):
        return False
    return len(words) >= rules.MIN_ANCHOR_WORDS or _links_to(heading, ident)


def _links_to(heading: HtmlElement, ident: str) -> bool:
    """Whether the heading holds a permalink to ``ident``: documentation generators (Sphinx's
    "¶", MkDocs, Docusaurus's "#", rustdoc's "§") give every heading of the outline one, so a
    section named "tooling" or "commentary" with it is the article's own, while a page's comment
    box is linked to from its top, not from its own heading."""
    target = "#" + ident
    return any(a.get("href") == target for a in heading.iter("a"))


def _form_boxes(doc: HtmlElement, prose: dict[HtmlElement, int]) -> list[HtmlElement]:
    """The boxes around the page's address and message fields: from each, the largest block
    around it that holds at most ``FORM_BOX_CHARS`` of prose, ``FORM_BOX_SHARE`` of the page's
    and ``FORM_BOX_PARAGRAPHS`` paragraphs. A newsletter, comment or "send us your photo" box is
    such a field with a heading, a pitch and a consent line, whatever its name or language: the
    form itself goes by its tag, the words around it stayed. A short post with a sign-up field
    inside it has more paragraphs or a larger share of its page; other fields (a recipe's number
    of servings, a search box) are left to the other rules."""
    limit = min(rules.FORM_BOX_CHARS, prose[doc] * rules.FORM_BOX_SHARE)
    boxes = []
    for field in doc.iter("input", "textarea"):
        if not _is_address_or_message(field):
            continue
        box = field
        for parent in field.iterancestors():
            if parent.tag in _KEEP_TAGS or prose[parent] > limit:
                break
            if sum(prose[p] >= rules.FORM_PARAGRAPH_CHARS for p in parent.iter("p")) > (
                rules.FORM_BOX_PARAGRAPHS
            ):
                break
            box = parent
        if box is not field:
            boxes.append(box)
    return boxes


def _is_address_or_message(field: HtmlElement) -> bool:
    """An e-mail address field (by its type, or its name saying so), a phone number field (a
    sign-up for texted deals) or a message box. A "tel" field with a value or a minimum set is a
    quantity (shops ask for it so with a numeric keypad), not a phone number."""
    if field.tag == "textarea":
        return True
    kind = (field.get("type") or "text").lower()
    if kind == "tel":
        return field.get("min") is None and not (field.get("value") or "").strip()
    names = f"{field.get('name') or ''} {field.get('autocomplete') or ''}".lower()
    return kind == "email" or (kind == "text" and "mail" in names)


def _is_page_end(el: HtmlElement) -> bool:
    """The page's footer by tag or role: however much it holds (a shop's footer carries its legal
    pages in hidden dialogs, twice the product's text), it is never the page's main text."""
    role = el.get("role")
    if el.tag in rules.PAGE_END_TAGS:
        return True
    return role is not None and role.lower() in rules.PAGE_END_ROLES


def _unwrap_page_noscript(doc: HtmlElement, prose: int) -> bool:
    """A <noscript> left open swallows the page (lxml nests the rest in it): keep its content.
    Whether one did; ``prose`` is the page's (``_prose_lengths``)."""
    # the page's text outside scripts holds at least its prose: a <noscript> holding less than the
    # share of that needs no count of the page's text (the usual case: a pixel, "enable JS")
    noscripts = [
        (el, length)
        for el in doc.iter("noscript")
        if (length := _text_length(el)) > prose * rules.MAX_PRUNED_SHARE
    ]
    if not noscripts:
        return False
    total = max(1, _text_length(doc) - sum(_text_length(el) for el in doc.iter("script", "style")))
    swallowing = [el for el, length in noscripts if length > total * rules.MAX_PRUNED_SHARE]
    for el in swallowing:
        el.drop_tag()
    return bool(swallowing)


def clean(
    article: HtmlElement, *, links_are_content: bool = False, byline: str | None = None
) -> HtmlElement:
    """Remove inline promos from an extracted article, in place; returns it for chaining.

    With ``links_are_content`` (the page's landmark, taken for want of prose: a shop's category
    page, a grid of cards) lists and blocks of links are kept: they are what the page holds.
    ``byline`` names the writer whose biography may close the article (bios.py)."""
    permalinks.drop_permalinks(article)
    _drop_after_end_mark(article)
    closing.drop_closing_promotion(article)
    bios.drop_author_bio(article, byline)
    if not links_are_content:  # a listing's links are its content
        endlinks.drop_end_links(article)
    _strip_shortcodes(article)
    figures.name_implied_figures(article)
    _strip_caption_credits(article)
    texts = _Texts(article)  # the passes below change the article only through texts.drop
    _drop_end_sections(article, texts)
    carriers.drop_carriers(article, texts.drop)
    _drop_sections(article, texts)
    if not links_are_content:
        _drop_link_lists(article, texts)
    _drop_promo_boxes(article, texts)
    _drop_promo_blocks(article, texts, links_are_content)
    _drop_repeated_blocks(article, texts)
    _drop_teaser_runs(article, texts)
    _drop_empty(article)
    _drop_trailing_labels(article)
    return article


# --- page pass ---------------------------------------------------------------------------------


def _is_chrome_tag(el: HtmlElement) -> bool:
    """Chrome by its tag or ARIA role alone."""
    if el.tag in _DROP_TAGS:
        return True
    role = el.get("role")
    return el.tag not in _KEEP_TAGS and role is not None and role.lower() in _DROP_ROLES


def is_chrome(el: HtmlElement) -> bool:
    """Page chrome by its tag, ARIA role, class/id tokens, or as a teaser card."""
    tag = el.tag
    if tag in _DROP_TAGS:
        return True
    if tag in _KEEP_TAGS:
        return False
    role = el.get("role")
    if role is not None and role.lower() in _DROP_ROLES:
        return True
    if tag == "a" and _is_teaser_card(el):
        return True
    names = el.get("class")
    if names is not None and _names_are_chrome(names):
        return not _in_running_text(el)
    # a heading's id is its anchor, written from its text for a table of contents to link to
    # ("nav_nur_die_folie__1"), not a name for its role: its class alone is judged
    ident = None if tag in _HEADINGS else el.get("id")
    return ident is not None and _names_are_chrome(ident) and not _in_running_text(el)


def _in_running_text(el: HtmlElement) -> bool:
    """An inline element with words of the sentence around it: a glossary's "popup" link, an
    "affiliate" link on a product's name. Its name says what it does, not that it is chrome, and
    removing it cuts words out of the sentence ("I am a <a class=popup>rather elderly</a> man"
    read "I am a man"). A sentence's: its block holds ``RUNNING_TEXT_WORDS`` words besides it (a
    byline's "By <span class=author>", a "Follow <a class=social>" line are short). Asked only of
    the elements whose names are chrome."""
    if el.tag not in htmltree.INLINE_TAGS:
        return False
    before, parent = el.getprevious(), el.getparent()
    if not _has_words(el.tail) and not (
        _has_words(before.tail)
        if before is not None
        else parent is not None and _has_words(parent.text)
    ):
        return False
    own = word_count(el.text_content())
    if own > rules.RUNNING_TEXT_PART_WORDS:  # a sentence of its own: a call to log in, a pitch
        return False
    block = next((a for a in el.iterancestors() if a.tag not in htmltree.INLINE_TAGS), None)
    if block is None:
        return False
    needed, found = rules.RUNNING_TEXT_WORDS + own, 0
    for piece in block.itertext():  # counted until enough: a long block is not read whole
        found += word_count(piece)
        if found >= needed:
            return True
    return False


def _has_words(text: str | None) -> bool:
    return text is not None and _WORD.search(text) is not None


@functools.lru_cache(maxsize=NAME_CACHE_SIZE)
def _names_are_chrome(names: str) -> bool:
    """Whether class and id values hold a boilerplate token; asked once per distinct value.

    A class and an id are asked one at a time (their tokens are those of both together, as
    ``tokens`` reads them): the same class recurs on many elements, while a class with an id was
    a value of its own to split on nearly every element that had an id. Speed shortcut
    (proxy/web/shortcuts.py)."""
    return not _ALL_TOKENS.isdisjoint(_name_tokens(names))


def _in_listing(card: HtmlElement, landmarks: list[HtmlElement]) -> bool:
    """Whether a teaser card can be a listing's: inside the page's one main landmark, or, on a
    page without one, outside the page's header and other chrome landmarks (a mega-menu's cards
    sit in its <header>, kept when it holds a large share of the page's prose)."""
    if landmarks:
        return landmarks[0] in card.iterancestors()
    return not any(
        up.tag in _CARD_CHROME_TAGS or (up.get("role") or "").lower() in _CARD_CHROME_ROLES
        for up in card.iterancestors()
    )


def _is_teaser_card(link: HtmlElement) -> bool:
    """A link to another page wrapped around a headline or a block: a teaser for another article."""
    if not len(link):  # most links hold only words
        return False
    href = link.get("href") or ""
    return (
        bool(href)
        and not href.startswith("#")
        and next(link.iter(*rules.CARD_BLOCKS), None) is not None
    )


def tokens(el: HtmlElement) -> frozenset[str]:
    """The lower-cased words of an element's class and id ("postShare-bar" -> post, share, bar).

    BEM modifiers ("Section--Ads") are left out: they style a block, they do not name it.
    """
    names = _names(el)
    return _name_tokens(names) if names is not None else frozenset()


def name_words(names: str) -> frozenset[str]:
    """The words of class and id values given as one string, split as ``tokens`` splits them."""
    return _name_tokens(names)


def _names(el: HtmlElement) -> str | None:
    """The element's class and id values in one string; None when it has neither (most have)."""
    names, ident = el.get("class"), el.get("id")
    if ident is not None:
        names = ident if names is None else f"{names} {ident}"
    return names


@functools.lru_cache(maxsize=NAME_CACHE_SIZE)
def _name_tokens(names: str) -> frozenset[str]:
    if "--" in names:
        names = _BEM_MODIFIER.sub("", names)
    if not names.islower():  # camelCase to be split (islower: no capitals, at least one letter)
        names = _CAMEL.sub(r"\1 \2", names).lower()
    return frozenset(_TOKEN_SPLIT.split(names)) - {""}


# --- article pass ------------------------------------------------------------------------------


def _strip_shortcodes(article: HtmlElement) -> None:
    for el in article.iter():
        if el.text and "[" in el.text:
            el.text = rules.AD_SHORTCODE.sub("", el.text)
        if el.tail and "[" in el.tail:
            el.tail = rules.AD_SHORTCODE.sub("", el.tail)


def _strip_caption_credits(article: HtmlElement) -> None:
    """A credit ending a figure caption goes, the caption stays ("The minister. Foto: dpa/Muster"):
    the credit is the caption's last text, in its own element or after the caption's words."""
    for caption in article.iter("figcaption"):
        slots = [
            (el, kind) for el, kind in _text_slots(caption) if (getattr(el, kind) or "").strip()
        ]
        if not slots:
            continue
        el, kind = slots[-1]
        text = getattr(el, kind)
        match = rules.CREDIT_TAILS.search(text.rstrip())
        if match:
            kept = text[: match.start()]
            opened = kept.rfind("(")
            if opened > kept.rfind(")"):  # the credit's own "(": "(Max Muster/Getty Images)"
                kept = kept[:opened]
            setattr(el, kind, kept.rstrip(" -–—|/,(") or None)


def _text_slots(el: HtmlElement) -> Iterator[tuple[HtmlElement, str]]:
    """Where an element's text lives, in reading order: (element, "text" or "tail") pairs."""
    yield el, "text"
    for child in el:
        if isinstance(child.tag, str):
            yield from _text_slots(child)
        yield child, "tail"


def _drop_sections(article: HtmlElement, texts: _Texts) -> None:
    """A "Related posts:" opener goes with the link-ish blocks after it, up to the first prose."""
    for el in list(_blocks(article)):
        if el.getparent() is None:
            continue
        short = texts.short(el, rules.SHORT_BLOCK_WORDS)
        if short is None or not _SECTION_HEADINGS.match(short[0]):
            continue
        follower = el.getnext()
        while follower is not None and _is_linkish(follower, texts):
            gone, follower = follower, follower.getnext()
            texts.drop(gone)
        texts.drop(el)


def _drop_end_sections(article: HtmlElement, texts: _Texts) -> None:
    """A "Related articles" heading goes with all after it when that is cards of other pages: a
    few blocks (``MIN_TEASER_RUN``), each a teaser's length at most, together a small share of
    the article (``END_SECTION_SHARE``): recirculation after the article's end, whatever its
    cards' links look like. A "more on this" heading over one sentence of the article stays."""
    blocks = [el for el in article.iter(*_BLOCKS) if el is not article and texts.is_leaf(el)]
    for i, el in enumerate(blocks):
        if texts.words(el) > rules.TINY_BLOCK_WORDS or not rules.SECTION_HEADINGS.match(
            texts.block_text(el)
        ):
            continue
        rest = blocks[i + 1 :]
        words = sum(texts.words(b) for b in rest)
        limit = texts.words(article) * rules.END_SECTION_SHARE
        if _are_cards(rest, texts) and words <= limit:
            for gone in (el, *rest):
                texts.drop(gone)
        return


def _are_cards(blocks: list[HtmlElement], texts: _Texts) -> bool:
    """A few blocks (``MIN_TEASER_RUN``), none longer than a teaser, not opening with the
    article's own sentence introducing them ("... finden Sie auf den Seiten von e.Consult:")."""
    if len(blocks) < rules.MIN_TEASER_RUN:
        return False
    if introduces(texts.block_text(blocks[0]), texts.words(blocks[0])):
        return False
    return not any(texts.words(b) > rules.TEASER_WORDS for b in blocks)


def _drop_link_lists(article: HtmlElement, texts: _Texts) -> None:
    for el in list(article.iter("ul", "ol")):
        items = el.findall("li")
        words = texts.words(el)
        if (
            items
            and texts.link_share(el) >= rules.LINK_LIST_SHARE
            and words / len(items) <= rules.PROSE_ITEM_WORDS
            and not _introduced(el, texts)
        ):
            texts.drop(el)


def _drop_promo_blocks(article: HtmlElement, texts: _Texts, links_are_content: bool) -> None:
    filler_is_boilerplate: bool | None = None  # decided at the first block of filler text
    for el in list(_blocks(article)):
        if el.getparent() is None:
            continue
        if texts.is_leaf(el) and _is_placeholder(el):
            if filler_is_boilerplate is None:
                filler_is_boilerplate = _filler_is_minority(article, texts)
            if filler_is_boilerplate:
                texts.drop(el)
                continue
        if _is_promo(el, texts, links_are_content):
            texts.drop(el)


def _filler_is_minority(article: HtmlElement, texts: _Texts) -> bool:
    """Whether the template's filler text is a module beside the article's own prose, and so
    boilerplate, rather than what the whole article is written in (a template's demo page, a
    test page of "Lorem ipsum" paragraphs), which a reader must not empty. Asked once, at the
    first block of filler, which few real pages hold."""
    words = texts.block_text(article).lower().split()
    filler = sum(1 for word in words if word.strip(".,;:!?()") in rules.FILLER_WORDS)
    return filler < len(words) * rules.FILLER_SHARE


def _is_promo(el: HtmlElement, texts: _Texts, links_are_content: bool) -> bool:
    if _is_notice(el, texts):
        return True
    short = texts.short(el, rules.SHORT_BLOCK_WORDS)
    if short is None or not short[0]:
        return False
    text, words = short
    if _PROMO_WHOLE.match(text) or _CALLS_TO_ACTION.search(text) or _NOTICES.search(text):
        return True
    if el.tag != "figcaption" and _CREDIT_TAILS.search(text):
        return True
    if words <= rules.DATE_BLOCK_WORDS and _DATE_LEADS.match(text):
        return True
    if words <= rules.TINY_BLOCK_WORDS and _TINY_PROMO_WORDS.search(text):
        return True
    if el.tag in _HEADINGS:
        return False
    if _PROMO_LEADS.match(text) and (
        texts.has_link(el) or (words <= rules.LEAD_ONLY_WORDS and not _is_list_item(el))
    ):
        return True
    if links_are_content or _introduced(el, texts) or _is_defined_term(el):
        return False
    return texts.link_share(el) >= rules.PROMO_LINK_SHARE


def _is_list_item(el: HtmlElement) -> bool:
    """An item of a list of several: a promo's lead word opening it without a link is the
    item's own verb ("Watch videos & view photos" among what an add-on does, Readability.js's
    mozilla-1), while a lone promo label ("Watch:", "Auch interessant:") stands alone."""
    owner = el.getparent()
    return el.tag == "li" and owner is not None and len(owner.findall("li")) > 1


def _is_defined_term(el: HtmlElement) -> bool:
    """A definition list's term with its definition after it: a reference page's entry (MDN,
    javadoc, Sphinx) links its name to the page it documents, and that name is what the
    definition below it describes, not a link to another story."""
    if el.tag != "dt":
        return False
    following = el.getnext()
    while following is not None and following.tag == "dt":  # several terms, one definition
        following = following.getnext()
    return following is not None and following.tag == "dd"


def _is_notice(el: HtmlElement, texts: _Texts) -> bool:
    """An affiliate notice a little longer than a short block: a leaf block of at most
    ``NOTICE_BLOCK_WORDS`` words (two sentences of disclosure)."""
    if not texts.is_leaf(el):
        return False
    short = texts.short(el, rules.NOTICE_BLOCK_WORDS)
    return (
        short is not None
        and short[1] > rules.SHORT_BLOCK_WORDS
        and _AFFILIATE_NOTICES.search(short[0])
    )


def _introduced(el: HtmlElement, texts: _Texts) -> bool:
    """Whether the block before it is a sentence that ends in a colon and is no promo's or
    section's lead: the article introduces the link ("..., so sign this petition:"), while a
    promo is announced by a label of a few words ("Mehr lesen:", "Teilnehmende Blogs:"; more
    than ``LEAD_ONLY_WORDS`` make a sentence) or not at all (boilerplate-990: a petition's
    address). A list's item is introduced with its list: the article's own list of links
    ("..., including:" and the works it names)."""
    if el.tag == "li" and (owner := el.getparent()) is not None:
        el = owner
    before = el.getprevious()
    while before is not None and not isinstance(before.tag, str):
        before = before.getprevious()
    if before is None:
        return False
    return introduces(texts.block_text(before), texts.words(before))


def introduces(text: str, words: int) -> bool:
    """Whether a block's text (of ``words`` words) is a sentence that ends in a colon and is no
    promo's or section's lead: the article's own introduction of what follows it."""
    return (
        text.endswith((":", "\uff1a"))
        and words > rules.LEAD_ONLY_WORDS
        and not rules.PROMO_LEADS.match(text)
        and not rules.SECTION_HEADINGS.match(text)
        and not rules.LABELS.match(text)
    )


def _is_placeholder(el: HtmlElement) -> bool:
    """A block of a template's filler text (``rules.PLACEHOLDER_TEXT``), judged by its first
    words; a block holding others is judged after them, innermost first (its caller asks
    whether it is a leaf block first)."""
    first = el.text or ""  # itertext's first piece, most often the one
    if not first or first.isspace():
        first = next((piece for piece in el.itertext() if not _blank(piece)), "")
    return bool(rules.PLACEHOLDER_TEXT.match(first))


def _drop_promo_boxes(article: HtmlElement, texts: _Texts) -> None:
    """Newsletter, app and membership boxes: a small box with a call to action goes whole."""
    limit = _box_words(article, texts)
    for el in list(article.iter(*_BOXES)):
        if el is article or el.getparent() is None:
            continue
        short = texts.short(el, limit)
        if short is not None and _CALLS_TO_ACTION.search(short[0]):
            texts.drop(el)


def _box_words(article: HtmlElement, texts: _Texts) -> float:
    """The most words a promo box holds: ``PROMO_BOX_WORDS``, and less than ``PROMO_BOX_SHARE``
    of a short article."""
    words = texts.words(article)
    if words > rules.PROMO_BOX_WORDS / rules.PROMO_BOX_SHARE:
        return rules.PROMO_BOX_WORDS
    return min(rules.PROMO_BOX_WORDS, words * rules.PROMO_BOX_SHARE)


def _drop_repeated_blocks(article: HtmlElement, texts: _Texts) -> None:
    """A short linked block seen twice in one article is a call to action, not prose.

    Only linked ones: a call to action leads somewhere, while a short block an article repeats
    without a link is its own (a song's "Repeat Chorus", a fashion post's "Earcuff: Brand" under
    each picture; boilerplate-990 and modern-web-dev both gained on both halves)."""
    short = [
        (el, texts.block_text(el))
        for el in article.iter("p", "div", "h2", "h3", "h4")
        if texts.is_leaf(el)
        and texts.has_link(el)
        and 0 < texts.words(el) <= rules.SHORT_BLOCK_WORDS
    ]
    seen = Counter(text for _, text in short)  # a block's text stays: none holds a later one
    for el, text in short:
        if seen[text] > 1 and el.getparent() is not None:
            texts.drop(el)


def _drop_teaser_runs(article: HtmlElement, texts: _Texts) -> None:
    """Recirculation: the "more stories" modules after the article's last paragraph go whole.

    Their mark is a run of teasers: blocks that stop short with an ellipsis (the cut teasers of
    other stories, "... 1,500 Christmas hampers on Tuesday, December 1...") or headings that are
    all link (the headline of another story), with the short blocks of each card between them
    (a kicker, a date, a one- or two-line teaser). The run goes when it ends the article, holds
    ``MIN_TEASER_RUN`` teasers and the article before it is longer (or, when that many teasers
    are linked headlines, the surer sign, not much shorter): an article ends a paragraph with an
    ellipsis or links a subheading once in a while, not in a row, and on a listing the teasers
    are the page. Failing that, a run of cards whose teasers are whole sentences goes
    (``_card_run``), when the article before it is ``CARD_RUN_BEFORE`` times longer.
    """
    blocks = [b for b in article.iter(*_BLOCKS) if b is not article and texts.is_leaf(b)]
    run, ratio = _teaser_run(blocks, texts)
    if not _drop_run(article, run, ratio, texts):
        _drop_run(article, _card_run(article, blocks, texts), rules.CARD_RUN_BEFORE, texts)


def _teaser_run(blocks: list[HtmlElement], texts: _Texts) -> tuple[list[HtmlElement], float]:
    """The trailing run of teasers (``_teasers``) and the card blocks between them, and how many
    times its words the article before it must hold; no run when it holds too few teasers."""
    teaser = _teasers(blocks, texts)
    run: list[HtmlElement] = []
    between: list[HtmlElement] = []  # blocks since the last teaser found, walking back
    card_blocks = rules.TEASER_CARD_BLOCKS  # the fewest blocks seen between two of its teasers
    for el in reversed(blocks):
        if el in teaser:
            card_blocks = min(card_blocks, len(between)) if run else card_blocks
            run, between = run + between + [el], []
        elif len(between) < rules.TEASER_CARD_BLOCKS and texts.words(el) <= rules.TEASER_WORDS:
            between.append(el)  # a block of a card: kicker, date, teaser text
        else:
            break
    # the kicker or date of the first card, before its headline: no more blocks than the other
    # cards have (the article's last short lines, a fashion post's "Brand: Name", stay)
    for el in between[:card_blocks]:
        if texts.words(el) > rules.TINY_BLOCK_WORDS:
            break
        run.append(el)
    found = teaser.intersection(run)
    if len(found) < rules.MIN_TEASER_RUN:
        return [], 1
    headlines = sum(el.tag in _HEADINGS for el in found)
    return run, rules.HEADLINE_RUN_BEFORE if headlines >= rules.MIN_TEASER_RUN else 1


def _drop_run(article: HtmlElement, run: list[HtmlElement], ratio: float, texts: _Texts) -> bool:
    """Drop a trailing run when the article before it holds more than ``ratio`` times its words,
    with its cards' crumbs outside its blocks (a kicker <span>, a date); whether it went."""
    words = sum(texts.words(el) for el in run)
    if not run or texts.words(article) - words <= ratio * words:
        return False
    cards = {parent for el in run if (parent := el.getparent()) is not None} - {article}
    for gone in run:
        texts.drop(gone)
    for card in cards:
        if not _has_block(card) and texts.words(card) <= rules.TINY_BLOCK_WORDS:
            texts.drop(card)
    return True


def _card_run(article: HtmlElement, blocks: list[HtmlElement], texts: _Texts) -> list[HtmlElement]:
    """The blocks from the first of the trailing cards whose teasers are whole sentences, or
    none: at least ``MIN_TEASER_RUN`` cards, each a linked headline and one blurb, all of one
    shape (``_card_shape``: each shows it is a card), and no heading of their tag linked in the
    article before them (a page of webcams, a listicle of tools: its own sections). Empty blocks
    (a thumbnail's box) are read past and go with the run."""
    filled = ((i, blocks[i]) for i in range(len(blocks) - 1, -1, -1) if texts.chars(blocks[i]))
    shapes: list[tuple[object, ...]] = []
    start = len(blocks)
    # one iterator zipped with itself: the filled blocks two by two, walking back (a blurb, then
    # its headline)
    for (_, blurb), (i, headline) in zip(filled, filled, strict=False):
        shape = _card_shape(article, headline, blurb, texts)
        if shape is None or (shapes and shape != shapes[0]):
            break
        shapes.append(shape)
        start = i
    if len(shapes) < rules.MIN_TEASER_RUN:
        return []
    tag = blocks[start].tag
    linked = (el for el in blocks[:start] if el.tag == tag and texts.chars(el))
    if any(_kicker_chars(el, texts) is not None for el in linked):
        return []
    return blocks[start:]


def _card_shape(
    article: HtmlElement, headline: HtmlElement, blurb: HtmlElement, texts: _Texts
) -> tuple[object, ...] | None:
    """The shape of a card of a linked headline and its blurb (their tags, whether the headline
    has a kicker, the card's box), or None when they are not one that shows it is a card: a
    kicker or a box of its own."""
    if headline.tag not in _HEADINGS or blurb.tag in _HEADINGS:
        return None
    if texts.words(blurb) > rules.TEASER_WORDS:
        return None
    kicker = _kicker_chars(headline, texts)
    if kicker is None:
        return None
    box = _card_box(article, headline, blurb, texts)
    if not kicker and box is None:
        return None
    return headline.tag, blurb.tag, bool(kicker), None if box is None else shape(box)


def _card_box(
    article: HtmlElement, headline: HtmlElement, blurb: HtmlElement, texts: _Texts
) -> HtmlElement | None:
    """The element holding a headline and its blurb, when it holds little else: the card's own
    box (a wrapper holding the whole article, or several cards, is none)."""
    above = set(itertools.takewhile(lambda el: el is not article, headline.iterancestors()))
    for box in blurb.iterancestors():
        if box is article:
            return None
        if box in above:
            rest = texts.words(box) - texts.words(headline) - texts.words(blurb)
            return box if rest <= rules.TINY_BLOCK_WORDS else None
    return None


def _teasers(blocks: list[HtmlElement], texts: _Texts) -> set[HtmlElement]:
    """The blocks that read as teasers of other stories: cut with an ellipsis, or a headline that
    is all link to another page (but for a kicker) followed by nothing, by another such headline
    or by a text cut off mid-sentence, with or without an ellipsis (the card's teaser). A linked
    subheading followed by whole sentences is the article's own (a page of webcams, each heading
    linking to its camera), but for a run of cards that show they are cards (``_card_run``)."""
    said = [texts.block_text(el) for el in blocks]
    headline = [_is_linked_headline(el, text, texts) for el, text in zip(blocks, said, strict=True)]
    cut = [_cut_with_ellipsis(text) for text in said]
    headline.append(True)  # after the last block: nothing, as good as another headline
    said.append("")
    cut.append(False)
    return {
        el
        for i, el in enumerate(blocks)
        if cut[i]
        or (headline[i] and (headline[i + 1] or cut[i + 1] or rules.CUT_SHORT.search(said[i + 1])))
    }


def _cut_with_ellipsis(text: str) -> bool:
    """Whether ``rules.TEASER_END`` is found in the text, searched only when the text ends as a
    match of it must: the search tries every character of a paragraph (some 40 us for one of 500
    characters, on every block of every article), while few blocks end in an ellipsis. Speed
    shortcut (proxy/web/shortcuts.py)."""
    return text.endswith(_TEASER_ENDINGS) and rules.TEASER_END.search(text) is not None


def _is_linked_headline(el: HtmlElement, text: str, texts: _Texts) -> bool:
    """A heading that is all link to another page, but for a kicker."""
    return el.tag in _HEADINGS and bool(text) and _kicker_chars(el, texts) is not None


def _kicker_chars(heading: HtmlElement, texts: _Texts) -> int | None:
    """The characters of a linked headline's kicker (0 without one), or None when the heading is
    not all link to another page but for a kicker: its elements before the link, holding no link
    and no more than ``TINY_BLOCK_WORDS`` words, with no text of the heading's own before them."""
    links = [a for a in _links(heading) if not (a.get("href") or "#").startswith("#")]
    linked, whole = sum(texts.chars(a) for a in links), texts.chars(heading)
    if not links or linked >= rules.HEADLINE_LINK_SHARE * whole:
        return 0 if links else None
    if heading.text and not heading.text.isspace():
        return None
    kicker: list[HtmlElement] = []
    for child in heading:
        if child is links[0] or links[0] in child.iterdescendants("a"):
            break
        if child.tail and not child.tail.isspace():
            return None
        if isinstance(child.tag, str):  # not a comment
            if texts.has_link(child):
                return None
            kicker.append(child)
    chars = sum(texts.chars(el) for el in kicker)
    if sum(texts.words(el) for el in kicker) > rules.TINY_BLOCK_WORDS:
        return None
    return chars if chars and linked >= rules.HEADLINE_LINK_SHARE * (whole - chars) else None


def _drop_after_end_mark(article: HtmlElement) -> None:
    """Remove what follows the page's own empty mark of the article's end (``rules.END_MARKS``):
    recirculation the page set after its article ("Die fünf Stadien der Trunkenheit ...", the
    next story's teaser), in any language, when it is a small part of the article."""
    mark = next((el for el in article.iter(*_BOXES, "p", "span") if _is_end_mark(el)), None)
    if mark is None:
        return
    after = [
        sibling
        for above in (mark, *mark.iterancestors())
        if above is not article
        for sibling in above.itersiblings()
        if isinstance(sibling.tag, str)
    ]
    words = sum(word_count(el.text_content()) for el in after)
    if words > rules.END_MARK_SHARE * word_count(article.text_content()):
        return
    for el in after:
        _drop(el)


def _is_end_mark(el: HtmlElement) -> bool:
    """An empty element named as the mark of the article's end, by one class or id value."""
    names = _names(el)
    if names is None or "end" not in names.lower() or len(el) or _has_words(el.text):
        return False
    return any(name_words(value) in rules.END_MARKS for value in names.split())


def _drop_trailing_labels(article: HtmlElement) -> None:
    """A heading, or a short label ending in a colon, with nothing after it introduced something
    removed ("Mehr zum Thema", "Weitere Beiträge aus der Kolumne:")."""
    while (last := _last_block(article)) is not None:
        text = block_text(last)
        label = text.endswith(":") and word_count(text) <= rules.LEAD_ONLY_WORDS
        if not (label or last.tag in _HEADINGS):
            return
        _drop(last)


def _last_block(article: HtmlElement) -> HtmlElement | None:
    return next((el for el in _blocks(article) if _is_leaf_block(el)), None)


def _drop_empty(article: HtmlElement) -> None:
    """Remove the elements holding neither text nor media, in time linear in the article.

    A ``<br>`` holds nothing yet stays where its parent does: between two lines of a paragraph
    (a poem, an address, a test page's "Lorem ipsum<br>dolor") it is what keeps the words apart;
    it fills nothing, so a block of nothing but ``<br>`` goes whole.

    Emptiness is found in one pass from the leaves up, and each parent's surviving text is joined
    once: dropping thousands of empty siblings one by one (``<br>`` after ``<br>``) merged their
    tails again at each drop, quadratic (29,000 ``<br>`` in one ``<p>`` took 14 s).
    """
    full: dict[HtmlElement, bool] = {}
    doomed: dict[HtmlElement, list[HtmlElement]] = {}  # parent -> its empty children, in order
    filled: set[HtmlElement | None] = set()  # with a child holding content or text after one
    for node in reversed(list(article.iter())):  # children before their parents, comments too
        if isinstance(node.tag, str):
            full[node] = node in filled or node.tag in _MEDIA or not _blank(node.text)
        if (full.get(node, False) or not _blank(node.tail)) and node is not article:
            filled.add(node.getparent())
    for el, has_content in full.items():
        if has_content or el is article or el.tag == "br":  # a line break in text is the text's
            continue
        parent = el.getparent()  # asked of the empty ones only (most hold something)
        if parent is not None and (parent is article or full[parent]):
            doomed.setdefault(parent, []).append(el)  # the topmost empty ones (and their subtrees)
    for parent, children in doomed.items():
        _remove_keeping_tails(parent, set(children))


def _blank(text: str | None) -> bool:
    return not text or text.isspace()


def _remove_keeping_tails(parent: HtmlElement, doomed: set[HtmlElement]) -> None:
    """Remove ``doomed`` children of ``parent``, their tails joined to the text before them."""
    pieces, keeper = [parent.text or ""], None  # keeper: the child whose tail the pieces become
    for child in list(parent):
        if child not in doomed:
            _set_text_before(parent, keeper, pieces)
            pieces, keeper = [child.tail or ""], child
            continue
        if not len(child):  # a space of its own ("<span class='w'> </span>" in code) stays
            pieces.append(child.text or "")
        pieces.append(child.tail or "")
        parent.remove(child)  # lxml takes the child's tail with it: kept in pieces
    _set_text_before(parent, keeper, pieces)


def _set_text_before(parent: HtmlElement, keeper: HtmlElement | None, pieces: list[str]) -> None:
    if len(pieces) == 1:
        return  # nothing was removed here
    joined = "".join(pieces) or None
    if keeper is None:
        parent.text = joined
    else:
        keeper.tail = joined


# --- what the article pass asks of its blocks' text --------------------------------------------


class _Measure(NamedTuple):
    """An element's text as the article pass reads it (all of it, its descendants' included)."""

    words: int  # words of ``block_text`` (``_word_count``)
    chars: int  # characters but spaces (``_text_length``)
    link_chars: int  # characters but spaces of the links inside it (``_link_share``)
    tokens: list[str] | None  # ``block_text``'s words between spaces; None past TOKENS_KEPT
    holds_block: bool  # a <p> or <div> inside it (not ``_is_leaf_block``)
    holds_link: bool  # an <a> inside it (``_has_link``)


# The most space-separated pieces of text a _Measure keeps for ``block_text``: the passes want
# the text of short blocks; a longer one is read from its element when asked.
TOKENS_KEPT = 200
# The tags ``_is_leaf_block`` looks for.
_LEAF_BREAKERS = frozenset({"p", "div"})


class _Texts:
    """The article pass's questions about a block's text (``block_text``, ``_word_count``,
    ``_text_length``, ``_link_share``, ``_is_leaf_block``, ``_has_link``), answered for every
    element of the article from one walk from the leaves up, each element's from its children's.

    The passes asked them of every block, some of every block again, each time reading the
    block's whole subtree (nested blocks read their text once per wrapper). A pass changes the
    article only through ``drop``, which marks the removed block's ancestors stale; a stale
    element is measured again when next asked (not at each drop: thousands of promos dropped
    from one wide parent would measure it thousands of times), so every answer is the one its
    subtree gives then. Elements outside the article are read directly. Speed shortcut
    (proxy/web/shortcuts.py).
    """

    def __init__(self, article: HtmlElement) -> None:
        self._known: dict[HtmlElement, _Measure] = {}
        self._stale: set[HtmlElement] = set()  # with all their ancestors in the article
        for el in reversed(list(article.iter(etree.Element))):  # children before their parents
            self._known[el] = self._measure(el)

    def _measure(self, el: HtmlElement) -> _Measure:
        """``el``'s measure from its own text, its children's measures and their tails (what
        ``itertext`` reads: a comment's tail, not its text)."""
        words, chars, pieces = _read(el.text)
        tokens: list[str] | None = pieces
        link_chars, holds_block, holds_link = 0, False, False
        for child in el:
            inner = self._known.get(child)
            if inner is not None:
                words, chars = words + inner.words, chars + inner.chars
                link_chars += inner.link_chars
                tag = child.tag
                if tag == "a":
                    link_chars, holds_link = link_chars + inner.chars, True
                holds_link = holds_link or inner.holds_link
                holds_block = holds_block or inner.holds_block or tag in _LEAF_BREAKERS
                if inner.tokens is None:
                    tokens = None
                elif tokens is not None:  # a list of this element's own, extended in place
                    tokens.extend(inner.tokens)
            if (tail := child.tail) and not tail.isspace():  # most tails are a line break
                tail_words, tail_chars, pieces = _read(tail)
                words, chars = words + tail_words, chars + tail_chars
                if tokens is not None:
                    tokens.extend(pieces)
            if tokens is not None and len(tokens) > TOKENS_KEPT:
                tokens = None
        return _Measure(words, chars, link_chars, tokens, holds_block, holds_link)

    def drop(self, el: HtmlElement) -> None:
        """``_drop``, its ancestors marked stale (it leaves them, and its tail joins their text)."""
        if el.getparent() is None:
            return
        for above in el.iterancestors():
            if above in self._stale or above not in self._known:
                break  # the rest above are stale already, or outside the article
            self._stale.add(above)
        el.drop_tree()

    def _get(self, el: HtmlElement) -> _Measure | None:
        """``el``'s measure (None outside the article), its stale descendants and it measured
        again first if it is stale, children before their parents."""
        if el in self._stale:
            order, stack = [], [el]
            while stack:
                stale = stack.pop()
                order.append(stale)
                stack.extend(child for child in stale if child in self._stale)
            for stale in reversed(order):
                self._known[stale] = self._measure(stale)
                self._stale.discard(stale)
        return self._known.get(el)

    def block_text(self, el: HtmlElement) -> str:
        measure = self._get(el)
        if measure is None or measure.tokens is None:
            return block_text(el)
        return " ".join(measure.tokens)

    def words(self, el: HtmlElement) -> int:
        measure = self._get(el)
        return word_count(block_text(el)) if measure is None else measure.words

    def short(self, el: HtmlElement, limit: float) -> tuple[str, int] | None:
        """``block_text(el)`` and its word count, or None past ``limit`` words."""
        words = self.words(el)
        return None if words > limit else (self.block_text(el), words)

    def chars(self, el: HtmlElement) -> int:
        measure = self._get(el)
        return _text_length(el) if measure is None else measure.chars

    def link_share(self, el: HtmlElement) -> float:
        """The share of its text (spaces aside) that is link text."""
        measure = self._get(el)
        if measure is None:
            return _link_share(el)
        links = measure.chars if el.tag == "a" else measure.link_chars
        return links / measure.chars if measure.chars else 0.0

    def is_leaf(self, el: HtmlElement) -> bool:
        measure = self._get(el)
        return _is_leaf_block(el) if measure is None else not measure.holds_block

    def has_link(self, el: HtmlElement) -> bool:
        measure = self._get(el)
        if measure is None:
            return _has_link(el)
        return el.tag == "a" or measure.holds_link


def _read(text: str | None) -> tuple[int, int, list[str]]:
    """A text's words (``_word_count``), characters but spaces (``_nonspace``) and its pieces
    between spaces, split once."""
    if not text or text.isspace():  # most texts of elements holding others: a line break
        return 0, 0, []
    pieces = text.split()
    return pieces_word_count(pieces), len("".join(pieces)), pieces


# --- helpers -----------------------------------------------------------------------------------


def _blocks(article: HtmlElement) -> Iterator[HtmlElement]:
    """Blocks innermost first, so a promo paragraph goes before its wrapper is judged."""
    found = [el for el in article.iter(*_BLOCKS) if el is not article]
    return reversed(found)


def _has_block(el: HtmlElement) -> bool:
    return next(el.iterdescendants(*_BLOCKS), None) is not None


def _is_leaf_block(el: HtmlElement) -> bool:
    return next(el.iterdescendants("p", "div"), None) is None  # one walk, not one per tag


def _is_linkish(el: HtmlElement, texts: _Texts) -> bool:
    if not isinstance(el.tag, str) or el.tag in _HEADINGS:
        return False
    return not texts.chars(el) or texts.words(el) <= 3 or texts.link_share(el) >= 0.5


def block_text(el: HtmlElement) -> str:
    """The element's text with whitespace collapsed; a space between elements ("<h4>A</h4><p>B")."""
    return " ".join(" ".join(el.itertext()).split())  # str.split() splits where \s+ matches


def _prose_lengths(elements: list[HtmlElement]) -> dict[HtmlElement, int]:
    """Characters of text outside links and scripts (what an article is made of, unlike menus)
    of every element of a page (``elements``: the page's, in document order), whitespace left
    out: one pass from the leaves up, as reading each element's subtree again is quadratic on
    deep pages.
    """
    # elements whose own text (and their children's tails) is not prose: links, scripts and all in
    # them
    excluded = {
        inner for outer in elements[0].iter(*_NOT_PROSE) for inner in outer.iter(etree.Element)
    }
    lengths = dict.fromkeys(excluded, 0)
    known = lengths.get
    for el in reversed(elements):
        if el in excluded:
            continue
        text = el.text
        total = len("".join(text.split())) if text and not text.isspace() else 0
        for child in el:  # the children's lengths and tails added one by one: no list joined
            total += known(child, 0)
            if (tail := child.tail) and not tail.isspace():  # most tails are a line break
                total += len("".join(tail.split()))
        lengths[el] = total
    return lengths


def _nonspace(text: str | None) -> int:
    return len("".join(text.split())) if text else 0


def _text_length(el: HtmlElement) -> int:
    return _nonspace(el.text_content())


def _link_share(el: HtmlElement) -> float:
    total = _text_length(el)
    links = sum(_text_length(a) for a in _links(el))
    return links / total if total else 0.0


def _links(el: HtmlElement) -> Iterable[HtmlElement]:
    return [el] if el.tag == "a" else el.iter("a")


def _has_link(el: HtmlElement) -> bool:
    return el.tag == "a" or el.find(".//a") is not None


def _drop(el: HtmlElement) -> None:
    """Remove an element but keep its tail text, which belongs to the parent."""
    if el.getparent() is not None:
        el.drop_tree()
