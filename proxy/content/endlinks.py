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

from lxml.html import HtmlElement

from proxy.content.text import last_blocks, squash, word_count

# At least this many links to other pages ...
MIN_LINKS = 3
# ... making at least this share of the block's text ...
LINK_SHARE = 0.9
# ... in a block holding at most this share of the article's words (boilerplate-990: 34 to 41
# words of articles of 190 to 1,100).
ARTICLE_SHARE = 0.25
# The blocks such a paragraph is written in.
_BLOCKS = ("p", "div", "li", "dd", "blockquote", "section")


def drop_end_links(article: HtmlElement) -> None:
    """Remove, in place, the article's last block when it is a paragraph of links (see the module
    docstring)."""
    for last, text in last_blocks(article, _BLOCKS, 1):
        if _is_link_paragraph(last, text, article):
            last.drop_tree()  # keeps its tail


def _is_link_paragraph(block: HtmlElement, text: str, article: HtmlElement) -> bool:
    """Whether the block (its text squashed) is mostly links to other pages, a small part of the
    article."""
    links = [a for a in block.iter("a") if not (a.get("href") or "#").startswith("#")]
    if len(links) < MIN_LINKS:
        return False
    linked = sum(len(squash(a.text_content())) for a in links)
    if linked < LINK_SHARE * len(text):
        return False
    return word_count(text) <= ARTICLE_SHARE * word_count(article.text_content())
