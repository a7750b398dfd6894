"""A recipe's ingredients and steps, found by the page's own description of them.

A recipe page describes its recipe in JSON-LD (schema.org's Recipe): its ingredients, one string
each, and its steps. readability-lxml often chooses the recipe's introduction or its steps and
leaves the ingredients out: a table or list of short lines, each linking to a shop or a glossary,
which it judges a list of links. The page's blocks that hold those strings are the recipe's own,
in any language and under any name: the block around most of the ingredients (their nearest
common ancestor, little longer than they are), and the one around most of the steps, are added
to the article when it lacks them.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import Any

from lxml.html import HtmlElement

from proxy import htmltree
from proxy.content.meta import jsonld
from proxy.content.metadata import squash

# Keys only a page describing a recipe has (speed shortcut: the JSON-LD is read again only then).
_MARKERS = ("recipeIngredient", "recipeInstructions")
# At least this many of a recipe's lines, and this share of them, found in one block make it the
# recipe's (a page may write a line otherwise than its JSON-LD: "2 eggs" against "2 large eggs").
MIN_LINES = 2
MIN_SHARE = 0.5
# The block holds at most this many times the text of the lines it holds, plus this many
# characters (headings, servings, a "print" button): more is the page around the recipe.
MAX_BLOCK_GAIN = 2
MAX_BLOCK_EXTRA = 300
# The first this many words of a line identify it (a page may shorten or split a long step).
STEP_WORDS = 8
# Elements a line is written in.
_LINE_TAGS = ("li", "tr", "p", "dd", "div", "span")
_WORD = re.compile(r"\w+")
# A tag in a step written as HTML.
_TAG = re.compile(r"<[^>]*>")


def recipe_blocks(
    html: str, doc: HtmlElement, scripts: Iterable[HtmlElement] | None = None
) -> list[tuple[HtmlElement, list[str]]]:
    """Copies of the page's blocks of ingredients and of steps, in page order, each with the
    lines (their words) it was found by; none when the page describes no recipe or they are not
    found. ``doc`` is the parsed page, its scripts still in it; ``scripts``: its <script>
    elements, when known (or more)."""
    scripts = doc.getroottree().getroot().iter("script") if scripts is None else scripts
    if not jsonld.may_hold(scripts, ("recipe",)) or not any(marker in html for marker in _MARKERS):
        return []
    recipe = next((o for o in jsonld.objects(doc) if "recipe" in jsonld.types(o)), None)
    if recipe is None:
        return []
    found: list[tuple[HtmlElement, list[str]]] = []
    for lines in (_ingredients(recipe), _steps(recipe)):
        block = _block(doc, lines)
        if block is not None and all(block is not other for other, _ in found):
            found.append((block, lines))
    position = {el: i for i, el in enumerate(doc.iter())}
    found.sort(key=lambda item: position[item[0]])
    return [(copy.deepcopy(block), lines) for block, lines in found]


def add_blocks(
    body: HtmlElement | None, blocks: list[tuple[HtmlElement, list[str]]]
) -> HtmlElement | None:
    """``body`` with each block it lacks (fewer than half its lines in it) appended."""
    if body is None or not blocks:
        return body
    have = _words(" ".join(body.itertext()))
    for block, lines in blocks:
        if sum(line in have for line in lines) < MIN_SHARE * len(lines):
            body.append(block)
    return body


def _ingredients(recipe: dict[str, Any]) -> list[str]:
    value = recipe.get("recipeIngredient")
    items = value if isinstance(value, list) else []
    return [_words(item) for item in items if isinstance(item, str) and _words(item)]


def _steps(recipe: dict[str, Any]) -> list[str]:
    """The words of each step (a HowToStep's text, a section's steps, or plain strings)."""
    found: list[str] = []
    stack = [recipe.get("recipeInstructions")]
    while stack and len(found) < 200:
        item = stack.pop(0)
        if isinstance(item, list):
            stack[:0] = item
        elif isinstance(item, dict):
            if isinstance(item.get("text"), str):
                stack.insert(0, item["text"])
            elif item.get("itemListElement") is not None:
                stack.insert(0, item["itemListElement"])
        elif isinstance(item, str) and _words(_TAG.sub(" ", item)):
            found.append(_words(_TAG.sub(" ", item)))
    return found


def _block(doc: HtmlElement, lines: list[str]) -> HtmlElement | None:
    """The nearest common ancestor of the page elements holding the lines, when it holds enough
    of them and little else (see ``MAX_BLOCK_GAIN``)."""
    if len(lines) < MIN_LINES:
        return None
    holders: list[HtmlElement] = []
    wanted = set(lines)
    for el in doc.iter(*_LINE_TAGS):
        if not wanted:
            break
        words = _words(" ".join(el.itertext()))  # cells apart: "500 ml" "milk"
        line = next((w for w in wanted if words.startswith(_opening(w))), None)
        if line is not None and len(words) <= 2 * len(line) + 40:
            wanted.discard(line)
            holders.append(el)
    if len(holders) < max(MIN_LINES, MIN_SHARE * len(lines)):
        return None
    block = htmltree.common_ancestor(holders)
    if block is None or block.tag in ("body", "html"):
        return None
    length = len(squash(block.text_content()))
    lines_length = sum(len(squash(el.text_content())) for el in holders)
    return block if length <= MAX_BLOCK_GAIN * lines_length + MAX_BLOCK_EXTRA else None


def _opening(line: str) -> str:
    """A line's first words, which identify it (a page may shorten or split a long step)."""
    return " ".join(line.split()[:STEP_WORDS])


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))
