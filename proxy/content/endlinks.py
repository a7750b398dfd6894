"""A paragraph of links that ends the article, removed: other stories, written as one block.

Recirculation is often a list; the article pass removes link lists (``<ul>``/``<ol>``) and short
all-link blocks. Some sites write it as one paragraph of links, one after another, separated by
line breaks or dashes ("Auch auf gofeminin.de" with four headlines, "Más noticias de Colombia",
WordPress's "Siehe auch" with eight): too long for a short block, no list. What marks it is its
place and its make-up, in any language: the article's last block, holding several links to other
pages and next to nothing else, a small part of the article. Its heading, left last, goes with
the trailing labels (``clean``). In the article's middle such a paragraph may be the text's own
(a list of sources it cites); a listing's links are its content, so the caller skips those pages.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from proxy.content.text import squash

# At least this many links to other pages ...
MIN_LINKS = 3
# ... making at least this share of the block's text ...
LINK_SHARE = 0.9
# ... in a block holding at most this share of the article's words (boilerplate-990: 34 to 41
# words of articles of 190 to 1,100).
ARTICLE_SHARE = 0.25
# The blocks such a paragraph is written in.
_BLOCKS = ("p", "div", "li", "dd", "blockquote", "section")
_WORD = re.compile(r"\w+")


def drop_end_links(article: HtmlElement) -> None:
    """Remove, in place, the article's last block when it is a paragraph of links (see the module
    docstring)."""
    last = _last_block(article)
    if last is not None and _is_link_paragraph(last, article):
        last.drop_tree()  # keeps its tail


def _last_block(article: HtmlElement) -> HtmlElement | None:
    """The last block holding text and no other block."""
    for el in reversed(list(article.iter(*_BLOCKS))):
        if el is article or next(el.iterdescendants(*_BLOCKS), None) is not None:
            continue
        if squash(el.text_content()):
            return el
    return None


def _is_link_paragraph(block: HtmlElement, article: HtmlElement) -> bool:
    links = [a for a in block.iter("a") if not (a.get("href") or "#").startswith("#")]
    if len(links) < MIN_LINKS:
        return False
    text = squash(block.text_content())
    linked = sum(len(squash(a.text_content())) for a in links)
    if linked < LINK_SHARE * len(text):
        return False
    words, total = _words(text), _words(article.text_content())
    return words <= ARTICLE_SHARE * total


def _words(text: str) -> int:
    return len(_WORD.findall(text))
