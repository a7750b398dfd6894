"""grids: the grid of linked items readability-lxml's choice is one item of, or none."""

from __future__ import annotations

import copy

import lxml.html
import pytest

from proxy.content import grids, rules


def _page(items: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(
        f"<html><body><div class='page'><div class='list'>\n{items}\n</div></div></body></html>"
    )


def _chosen(page: lxml.html.HtmlElement, n: int) -> lxml.html.HtmlElement:
    """The ``n``th item's text block in a copy of ``page``, as readability-lxml's copy holds it."""
    return copy.deepcopy(page).find_class("text")[n]


CARD = (
    "<div class='item item-{n}'><div class='text'><h3><a href='/p/{n}'>The title of item {n}"
    "</a></h3><p>One line about item {n}, what it is and why to read it.</p></div></div>"
)
POST = (
    "<div class='item item-{n}'><div class='text'><p><a href='/u/{n}'>poster{n}</a> wrote:</p>"
    "<p>{reply}</p></div></div>"
)
UNLINKED = "<div class='item item-9'><div class='text'><p>One line, no link.</p></div></div>"
REPLY = "I had the same problem after the update and fixed it by clearing the cache first. " * 3


def test_the_grid_of_the_chosen_card_is_the_page_s_own_element() -> None:
    page = _page("\n".join(CARD.format(n=n) for n in range(6)))
    grid = grids.holding_grid(_chosen(page, 2), page)
    assert grid is not None and grid.element is page.find_class("list")[0]
    assert grid.length == len(" ".join(grid.element.text_content().split()))


@pytest.mark.parametrize(
    ("items", "why"),
    [
        ([POST.format(n=n, reply=REPLY) for n in range(6)], "posts link a poster's name only"),
        ([CARD.format(n=n) for n in range(2)], "two cards are no grid"),
        ([CARD.format(n=n) for n in range(3)] + [UNLINKED], "an item without a link"),
    ],
)
def test_no_grid(items: list[str], why: str) -> None:
    page = _page("\n".join(items))
    assert grids.holding_grid(_chosen(page, 0), page) is None, why


def test_a_long_choice_is_an_article_not_a_card() -> None:
    long = "word " * rules.GRID_CHOICE_CHARS
    page = _page("\n".join(CARD.format(n=n).replace("One line", long) for n in range(6)))
    assert grids.holding_grid(_chosen(page, 0), page) is None


def test_numbered_classes_are_one_shape_and_other_classes_are_not() -> None:
    cards = [CARD.format(n=n) for n in range(4)]
    other = [CARD.format(n=n).replace("item item-", "promo promo-") for n in range(4, 6)]
    page = _page("\n".join(cards + other))
    grid = grids.holding_grid(_chosen(page, 0), page)
    assert grid is not None and "item 5" in grid.element.text_content()  # the holder is whole
    assert grids._same_shape(page.find_class("list")[0], page.find_class("item")[0]) == (
        page.find_class("item")
    )
