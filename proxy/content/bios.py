"""The author's biography after the article, removed.

Many articles end with a few lines about who wrote them ("Rebecca Norris is a full-time freelance
writer living in...", "Alice Wu fell down the rabbit hole of politics aged 12...", "Jossi Loibl
(Jahrgang 1962) schreibt seit..."): a box about the writer, not part of the story, which readers
and the benchmarks' annotators leave out. Its class names give no hint on many sites, and its
words are the writer's own, in any language; what marks it is that it opens with the name the page
gives as the article's author, among the last few blocks. The name comes from the page's metadata
(the byline), so the rule needs no word of any language. It goes with what follows it, when that
is short and a small part of the article (a page about a person, which opens paragraphs with their
name, stays).
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from proxy.content.text import last_blocks, squash, word_count

# The bio is looked for among this many last blocks of the article (a bio, the co-author's bio,
# a line under them).
BIO_BLOCKS = 3
# ... and goes, with what follows it, when that holds at most this many words and at most this
# share of the article's (modern-web-dev: bios of 26 and 105 words; boilerplate-990: 46 and 65).
BIO_WORDS = 150
BIO_SHARE = 0.2
# A name is two to this many words: one word is a handle or a first name ("Cortyn", "Matthias"),
# which an article's own sentences may open with.
NAME_MAX_WORDS = 4
# Where a byline lists several authors: commas, semicolons, ampersands, "and" in a few languages.
_AUTHORS_SPLIT = re.compile(r"\s*(?:[,;&/|]|\b(?:and|und|et|y|e|i|en|och|og)\b)\s*", re.I)
# What may stand before the name in its block: a dash, a bullet, quotation marks, spaces.
_LEAD = re.compile(r"^[\W_]+")
# The blocks a bio is written in.
_BLOCKS = ("p", "div", "li", "dd", "blockquote", "section", "figcaption")


def drop_author_bio(article: HtmlElement, byline: str | None) -> None:
    """Remove, in place, the last blocks of the article from one that opens with an author's
    name, when they are short (see the module docstring)."""
    names = author_names(byline)
    if not names:
        return
    tail = last_blocks(article, _BLOCKS, BIO_BLOCKS)
    for i, (_, text) in enumerate(tail):
        if _opens_with(text, names):
            _drop_if_short(article, [el for el, _ in tail[i:]])
            return


def author_names(byline: str | None) -> tuple[str, ...]:
    """The names of the byline's authors, casefolded: those of two to ``NAME_MAX_WORDS`` words."""
    parts = (squash(part).casefold() for part in _AUTHORS_SPLIT.split(byline or ""))
    return tuple(part for part in parts if 2 <= len(part.split()) <= NAME_MAX_WORDS)


def _opens_with(text: str, names: tuple[str, ...]) -> bool:
    """Whether the text's first words are one of the names (a whole word each)."""
    text = _LEAD.sub("", text).casefold()
    return any(
        text.startswith(name) and not text[len(name) : len(name) + 1].isalnum() for name in names
    )


def _drop_if_short(article: HtmlElement, doomed: list[HtmlElement]) -> None:
    words = sum(word_count(el.text_content()) for el in doomed)
    if words > BIO_WORDS or words > BIO_SHARE * word_count(article.text_content()):
        return
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()  # keeps its tail
