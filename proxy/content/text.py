"""HTML to plain text for ``Article.text``: what the API's ``text`` field, the text format and the
benchmark read.

One block per paragraph-like element, blocks separated by one blank line, whitespace collapsed
inside a block (``<pre>`` excepted, ``<br>`` kept as a line break). Table cells are separated by a
space and each row is its own block.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from proxy import htmltree

# A word, as the content's length rules count them.
_WORD = re.compile(r"\w+")
# Elements that start and end a block of text.
BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        *htmltree.HEADINGS,
        "header",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
        "caption",
    }
)
# Elements whose text is not prose: a MathML <annotation> repeats its formula as TeX source, and
# a ruby's <rt> is a reading printed above its base text (Japanese furigana), which plain text
# would run into the word it annotates ("子こども" for "子ども"); <rp> is its fallback bracket.
SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "head", "title", "annotation", "rt", "rp"}
)
# A soft hyphen only marks where a browser may break a word (German and Dutch sites hyphenate
# whole articles): left in plain text it splits every such word for search, copying and counting.
SOFT_HYPHEN = "\u00ad"
# Cells end with a space so neighbouring cells do not run together.
CELL_TAGS = frozenset({"td", "th"})
# A <br>'s line break while a block's texts are gathered (no text holds it: XML forbids it), so that
# the source's own line breaks can be the spaces a browser shows ("Prepared by Ann\n  Woodlief").
BREAK = "\x00"
# Where two inline siblings meet with nothing between them inside an element that holds no words of
# its own (fields a shop's stylesheet shows as blocks: a brand and a product's name, a label and its
# value): a space when words of two letters or more meet there ("HOKA" "Clifton"), nothing
# otherwise (a price's "$5" "/mo", a styled initial's "S" "pecific", a word split "f" "or"), nor
# in scripts written without spaces (Thai; CJK and after: ruby after ruby).
FIELD_EDGE = "\x01"
_SPACED_WORD = r"[^\W_\u0e00-\u0e7f\u2e80-\uffff]"
_NOT_FIELDS = BLOCK_TAGS | {"br", "sup", "sub"}
_FIELD_WORDS = re.compile(rf"(?<={_SPACED_WORD}{{2}})\x01+(?={_SPACED_WORD}{{2}})")
_SPACES = re.compile(r"[^\S\n]+")
_LINE_EDGES = re.compile(r" *\n *")


def to_text(html: str) -> str:
    """Plain text of an HTML fragment: paragraphs separated by blank lines."""
    if not html.strip():
        return ""
    return tree_text(htmltree.fragment(html))


def tree_text(root: HtmlElement) -> str:
    """Plain text of a parsed tree (see the module docstring for the layout)."""
    blocks: list[str] = []
    current: list[str] = []
    _walk(root, blocks, current, in_pre=False)
    _flush(blocks, current, in_pre=False)
    return "\n\n".join(blocks)


def _walk(el: HtmlElement, blocks: list[str], current: list[str], in_pre: bool) -> None:
    tag = el.tag
    if not isinstance(tag, str) or tag in SKIP_TAGS:  # a comment, or no prose: its tail only
        if el.tail:
            current.append(el.tail)
        return
    is_block, pre = tag in BLOCK_TAGS, in_pre or tag == "pre"
    if is_block:
        _flush(blocks, current, in_pre)
    if tag == "br":
        current.append(BREAK)
    elif text := el.text:
        current.append(text if pre else text.replace("\n", " "))  # the source's wrap
    fields = not pre and len(el) > 1 and _holds_fields(el)
    for child in el:
        if fields and _meets_inline(child):
            current.append(FIELD_EDGE)
        _walk(child, blocks, current, pre)
    if is_block:
        _flush(blocks, current, pre)
    if tag in CELL_TAGS:
        current.append(" ")
    if tail := el.tail:
        current.append(tail if in_pre else tail.replace("\n", " "))


def _holds_fields(el: HtmlElement) -> bool:
    """Whether ``el`` holds elements and no words of its own, only spaces between them: a row
    of fields, where prose would have words between its inline elements."""
    if el.text and el.text.strip():
        return False
    return not any(child.tail and child.tail.strip() for child in el)


def _meets_inline(child: HtmlElement) -> bool:
    """Whether ``child`` is an inline field right after another, nothing between them; neither a
    superscript or subscript (they mark the word: "3<sup>rd</sup>")."""
    before = child.getprevious()
    while before is not None and not isinstance(before.tag, str):  # a comment between them
        before = before.getprevious()
    if before is None or not isinstance(child.tag, str) or not isinstance(before.tag, str):
        return False
    return child.tag not in _NOT_FIELDS and before.tag not in _NOT_FIELDS


def _flush(blocks: list[str], current: list[str], in_pre: bool) -> None:
    if not current:  # most blocks end where another ended
        return
    raw = "".join(current).replace(SOFT_HYPHEN, "").replace(BREAK, "\n")
    if FIELD_EDGE in raw:
        raw = _FIELD_WORDS.sub(" ", raw).replace(FIELD_EDGE, "")
    current.clear()
    text = raw.strip("\n") if in_pre else _collapsed(raw)
    if text.strip():
        blocks.append(text)


def _collapsed(raw: str) -> str:
    """White space collapsed to one space within each line, none around a line break, none at
    either end: what ``_LINE_EDGES.sub("\n", _SPACES.sub(" ", raw)).strip()`` gives, with
    ``str.split``, which splits where \\s matches, line by line instead of two regexes over the
    block (they were a third of the text's time). Speed shortcut (proxy/web/shortcuts.py)."""
    if "\n" not in raw:
        return " ".join(raw.split())
    return "\n".join(" ".join(line.split()) for line in raw.split("\n")).strip()


def word_count(text: str) -> int:
    """The words of a text, as every length rule of the content counts them: runs of word
    characters, in any script (``pieces_word_count`` counts them)."""
    return pieces_word_count(text.split())


def pieces_word_count(pieces: list[str]) -> int:
    """``word_count`` of a text from its pieces between spaces (``str.split()``): no space is a
    word character, so no word spans two pieces, and a piece of word characters only is one word,
    as is one whose characters but the last are ("end.": the last one ends the word or goes on
    with it). A word character (\\w) is what ``str.isalnum`` calls one, or "_"; only the other
    pieces ("(", "it's", "foo_bar") are searched for their words, where ``findall`` over the
    text made every word a string to count them (nine pieces in ten of modern-web-dev's articles
    are a word, or a word and a stop). Speed shortcut (proxy/web/shortcuts.py)."""
    words = len(pieces)
    for piece in pieces:
        if not (piece.isalnum() or piece[:-1].isalnum()):
            words += len(_WORD.findall(piece)) - 1
    return words


def last_blocks(
    root: HtmlElement, tags: tuple[str, ...], count: int
) -> list[tuple[HtmlElement, str]]:
    """The last ``count`` elements of ``tags`` in ``root`` that hold text and no other of
    ``tags``, with their text squashed, in document order: where an article's closing (its
    writer's biography, a paragraph of other stories' links) is looked for; only those are read."""
    found: list[tuple[HtmlElement, str]] = []
    for el in reversed(list(root.iter(*tags))):
        if el is root or next(el.iterdescendants(*tags), None) is not None:
            continue
        if text := squash(el.text_content()):
            found.insert(0, (el, text))
            if len(found) == count:
                break
    return found


def squash(value: str | None) -> str:
    """Whitespace runs become one space; None becomes the empty string (metadata and the content
    rules compare texts this way)."""
    return " ".join((value or "").split())  # str.split() splits where \s+ matches, 4x faster
