"""The paragraph fallback: the page's own prose paragraphs, when they hold far more text than
readability-lxml's choice (it sometimes chooses a caption, a teaser or nothing at all).

Forum posts and old blogs write paragraphs as text and <br> inside a <div> or <td>, so a paragraph
here is any block whose own text (with its inline children) is long enough and not mostly links.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator

import lxml.html
from lxml.html import HtmlElement

from proxy import htmltree
from proxy.content import clean, rules, teasers
from proxy.content.further import Further
from proxy.content.metadata import squash

# The page's paragraphs replace readability's choice when they hold this many times its text
# (boilerplate-990: readability-lxml alone picks too little on about one page in ten).
FALLBACK_RATIO = 1.5
# A paragraph counts as prose from this many characters, with less than this share of link text.
MIN_PARAGRAPH_CHARS = 30
MAX_PARAGRAPH_LINK_SHARE = 0.5
# Elements whose own text (with their inline children) can be a paragraph, and the inline tags.
PROSE_BLOCKS = ("p", "pre", "div", "td", "li", "dd", "blockquote", "section", "article")
# Blocks kept with the page's paragraphs when they sit beside one, or beside the block holding one
# (a parent or grandparent of theirs): subheadings, short paragraphs, lists and tables (of short
# cells: prices, dates, facts) are the article's too.
BESIDE_PROSE = ("h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "dl", "table")
# Paragraphs inside these are the page's, not the article's: a sidebar's blurbs, a footer's
# address, a menu's or a dialog's text (boilerplate-990: the fallback took a magazine's sidebar).
OUTSIDE_ARTICLE_TAGS = frozenset({"aside", "footer", "nav", "dialog"})
OUTSIDE_ARTICLE_ROLES = frozenset({"complementary", "contentinfo", "navigation", "dialog"})
# ... and inside a popover (an element with the ``popover`` attribute, hidden until a control opens
# it; modern-web-dev: a forum's "install this app" and notification-settings cards).
# ... and inside a comment section (class or id tokens), when the article's prose outweighs it.
COMMENT_TOKENS = frozenset(rules.BOILERPLATE_TOKENS["comments"])
# ... and inside another <article> than the one holding this share of the prose in articles.
MAIN_ARTICLE_SHARE = 2 / 3
# ... and in a grid of teaser cards (teasers.py), when the rest outweighs it; their blurbs leave
# readability's choice too when this many characters of it come before them and this share of
# them end cut off by an ellipsis ("... work with other […]").
MIN_TEXT_BEFORE_TEASERS = 200
MIN_CUT_SHARE = 0.5
INLINE_TAGS = htmltree.INLINE_TAGS


def prefer_paragraphs(chosen: str, doc: HtmlElement) -> HtmlElement | None:
    """The article as a tree in a <div>: readability's choice, or the page's prose paragraphs
    when they hold far more text; None when the choice is empty and the paragraphs are not more.

    The paragraphs are copied only when they win (most pages keep readability's choice).
    """
    found = _once((el, *prose_of(el)) for el in doc.iter(*PROSE_BLOCKS))
    seen: dict[HtmlElement, bool] = {}
    outside = {el: text for el, (_, text) in found.items() if _outside_article(el, seen)}
    outside |= _comments(found, outside)
    outside |= _other_articles(found, outside)
    blurbs, titles = teasers.grid(
        {el: text for el, (_, text) in found.items() if el not in outside}
    )
    if sum(map(len, blurbs.values())) < sum(
        len(text) for el, (_, text) in found.items() if el not in outside and el not in blurbs
    ):
        outside |= blurbs  # the rest outweighs them (on a listing, the teasers are the page)
    for el in outside:
        del found[el]
    chosen_root = _fragment(chosen) if chosen.strip() else None
    chosen_text = squash(chosen_root.text_content()) if chosen_root is not None else ""
    # readability's choice counts without the sidebar's paragraphs it took (its choice may be
    # the sidebar: a blog post of one video and a caption beside a column of poems)
    chosen_length = len(chosen_text) - sum(len(t) for t in outside.values() if t in chosen_text)
    if sum(len(text) for _, text in found.values()) <= FALLBACK_RATIO * chosen_length:
        if chosen_root is not None and blurbs:
            _drop_blurbs(chosen_root, set(blurbs.values()), titles, chosen_text)
        return chosen_root
    root = htmltree.PARSER.makeelement("div")
    root.extend(
        _page_blocks(
            doc,
            {el: inline for el, (inline, _) in found.items()},
            {text for _, text in found.values()},
        )
    )
    return _fragment(
        lxml.html.tostring(root, encoding="unicode")
    )  # as parsed before: libxml2 may nest


def _outside_article(el: HtmlElement, seen: dict[HtmlElement, bool]) -> bool:
    """Whether the block is in a sidebar, footer, menu, dialog or popover (not the article's);
    ``seen`` as in ``_in_comments``."""
    return _under(el.getparent(), _is_outside_article, seen)


def _is_outside_article(el: HtmlElement) -> bool:
    return (
        el.tag in OUTSIDE_ARTICLE_TAGS
        or el.get("role") in OUTSIDE_ARTICLE_ROLES
        or el.get("popover") is not None
    )


def _comments(
    found: dict[HtmlElement, tuple[set[HtmlElement], str]], outside: dict[HtmlElement, str]
) -> dict[HtmlElement, str]:
    """The paragraphs of a comment section (its house rules, its comments), when they hold less
    prose than the paragraphs outside it: a thread's posts named "comment" hold more and stay."""
    seen: dict[HtmlElement, bool] = {}
    named = {
        el: text
        for el, (_, text) in found.items()
        if el not in outside and _in_comments(el.getparent(), seen)
    }
    rest = sum(
        len(text) for el, (_, text) in found.items() if el not in outside and el not in named
    )
    return named if sum(map(len, named.values())) < rest else {}


def _in_comments(el: HtmlElement | None, seen: dict[HtmlElement, bool]) -> bool:
    """Whether the element or one above it is named as a comment section. ``seen`` holds the
    answer for the elements asked about and those above them: the page's paragraphs share their
    ancestors, and asking about each one of them for every paragraph (some 400 a page) was 1.5% of
    a page's time under cProfile."""
    return _under(el, _names_comments, seen)


def _names_comments(el: HtmlElement) -> bool:
    return not COMMENT_TOKENS.isdisjoint(clean.tokens(el))


def _under(
    el: HtmlElement | None, test: Callable[[HtmlElement], bool], seen: dict[HtmlElement, bool]
) -> bool:
    """Whether ``test`` holds for the element or one above it; ``seen`` keeps the answer for
    each element walked (one ``seen`` per test), so the ancestors the page's paragraphs share
    are tested once. Speed shortcut: see ``_in_comments``."""
    chain: list[HtmlElement] = []  # the elements walked up
    answer = False
    while el is not None:
        known = seen.get(el)
        if known is not None:
            answer = known
            break
        chain.append(el)
        if test(el):
            answer = True
            break
        el = el.getparent()
    for passed in chain:
        seen[passed] = answer
    return answer


def _other_articles(
    found: dict[HtmlElement, tuple[set[HtmlElement], str]], outside: dict[HtmlElement, str]
) -> dict[HtmlElement, str]:
    """The paragraphs of other <article>s than the page's own, when one holds most of the prose
    in articles (``MAIN_ARTICLE_SHARE``): the teasers of other stories. A thread's or a
    listing's articles are alike in size and all stay."""
    inner: dict[HtmlElement, HtmlElement] = {}
    for el in found:
        if el not in outside:
            article = next(el.iterancestors("article"), None)
            if article is not None:
                inner[el] = article
    sizes: dict[HtmlElement, int] = {}
    for el, article in inner.items():
        sizes[article] = sizes.get(article, 0) + len(found[el][1])
    if len(sizes) < 2:
        return {}
    main = max(sizes, key=sizes.__getitem__)
    if sizes[main] < MAIN_ARTICLE_SHARE * sum(sizes.values()):
        return {}
    related = {main, *main.iterancestors("article")}
    return {
        el: found[el][1]
        for el, article in inner.items()
        if article not in related and main not in article.iterancestors()
    }


def _drop_blurbs(root: HtmlElement, blurbs: set[str], titles: set[str], text: str) -> None:
    """Remove from readability's choice the teaser cards' blurbs it took after an article of
    ``MIN_TEXT_BEFORE_TEASERS`` characters (it scores a run of blurbs under a short post like the
    post's own paragraphs), when ``MIN_CUT_SHARE`` of them end in an ellipsis, with the card
    around a blurb when nothing but its thumbnail is left of it. A choice that opens with the
    teasers is a listing, and whole sentences under linked headings a list of things the article
    presents (courses, books): they stay, as do cards whose titles readability kept (it drops a
    run of headings that are all link, the other stories' headlines, and keeps a listing's)."""
    first = min((i for blurb in blurbs if (i := text.find(blurb)) >= 0), default=-1)
    cut = sum(rules.TEASER_END.search(blurb) is not None for blurb in blurbs)
    if first < MIN_TEXT_BEFORE_TEASERS or cut < MIN_CUT_SHARE * len(blurbs):
        return
    if any(title in text for title in titles):
        return
    for el in list(root.iter(*PROSE_BLOCKS)):
        inline, prose = prose_of(el)
        if inline is None or squash(prose) not in blurbs:
            continue
        parent = el.getparent()
        el.drop_tree()
        if parent is not None and parent is not root and not squash(parent.text_content()):
            parent.drop_tree()


def _once(
    found: Iterable[tuple[HtmlElement, set[HtmlElement] | None, str]],
) -> dict[HtmlElement, tuple[set[HtmlElement], str]]:
    """The prose blocks, their inline children and text, each text once: carousels repeat their
    slides (copies for the endless scroll) and responsive pages write a table or a box twice, once
    for small screens; readability's choice, one part of the page, holds one copy, so this does."""
    seen: set[str] = set()
    kept: dict[HtmlElement, tuple[set[HtmlElement], str]] = {}
    for el, inline, prose in found:
        if inline is None:
            continue
        text = squash(prose)
        if text not in seen:
            seen.add(text)
            kept[el] = (inline, text)
    return kept


def _page_blocks(
    doc: HtmlElement, prose: dict[HtmlElement, set[HtmlElement]], texts: set[str]
) -> Iterator[HtmlElement]:
    """Copies of the page's prose paragraphs, in page order, with the headings, short paragraphs,
    lists and tables that sit beside them (the subheadings and facts of the article they make),
    and the spec sheets and headings over prose one level further out (further.py).

    A block inside one already copied (a <p> in a <span> libxml2 left inline) is not copied again,
    nor one whose text, as long as a paragraph, was copied already (``texts``: the paragraphs').
    """
    beside = {el.getparent() for el in prose}
    beside |= {el.getparent() for el in beside if el is not None}  # beside the block holding them
    further = Further(beside, prose)  # one level out: spec sheets, headings over prose
    copied: set[HtmlElement] = set()
    for el in doc.iter(*PROSE_BLOCKS, *BESIDE_PROSE):
        if not copied.isdisjoint(el.iterancestors()):
            continue
        if el in prose:
            copied.update(prose[el])
            yield _prose_block(el, prose[el])
        elif (
            el.tag in BESIDE_PROSE
            and (el.getparent() in beside or further.keeps(el))
            and _new_text(el, texts)
        ):
            copied.add(el)
            yield copy.deepcopy(el)


def _new_text(el: HtmlElement, texts: set[str]) -> bool:
    """Whether the block has text, not copied already when it is as long as a paragraph."""
    text = squash(el.text_content())
    if len(text) < MIN_PARAGRAPH_CHARS:
        return bool(text)
    if text in texts:
        return False
    texts.add(text)
    return True


def prose_of(el: HtmlElement) -> tuple[set[HtmlElement] | None, str]:
    """The element's inline children when its own prose (its text and those children) makes a
    paragraph, else None; and then the text of ``_prose_block(el, inline)`` without building it
    (else "").

    Forum posts and old blogs write paragraphs as text and <br> inside a <div> or <td>. Speed
    shortcut: the children are read in one walk for both answers, as the paragraph fallback asks
    this of every block of the page (the two walks were 5% of the pipeline's time on
    modern-web-dev under cProfile).
    """
    inline: set[HtmlElement] = set()
    own = [el.text or ""]  # its text with its inline children's
    prose = [own[0]]  # the same with a space for each other child (``prose_text``)
    for child in el:
        tail = child.tail or ""
        if child.tag in INLINE_TAGS:  # a comment's tag is a function: in no set of names
            inline.add(child)
            words = child.text_content() + tail
            own.append(words)
            prose.append(words)
        else:
            own.append(tail)
            prose.append(" " + tail)
    text = "".join(own)
    if len(text) < MIN_PARAGRAPH_CHARS:  # squash makes no text longer
        return None, ""
    text = squash(text)
    if len(text) < MIN_PARAGRAPH_CHARS or next(el.iterancestors("pre", "p"), None) is not None:
        return None, ""
    links = sum(len(squash(a.text_content())) for c in inline for a in c.iter("a"))
    if links >= len(text) * MAX_PARAGRAPH_LINK_SHARE:
        return None, ""
    return inline, "".join(prose)


def _prose_block(el: HtmlElement, inline: set[HtmlElement]) -> HtmlElement:
    """A copy of the element's own prose as a paragraph: its text and inline children."""
    if el.tag in ("p", "pre") and len(inline) == len(el):
        return copy.deepcopy(el)
    block = htmltree.PARSER.makeelement("p")
    block.text = el.text
    for child in el:
        if child in inline:
            block.append(copy.deepcopy(child))
        elif len(block):
            block[-1].tail = (block[-1].tail or "") + " " + (child.tail or "")
        else:
            block.text = (block.text or "") + " " + (child.tail or "")
    return block


def _fragment(html: str) -> HtmlElement:
    return htmltree.fragment(html)
