"""runs: a documentation page's sections and a collection's items, told by structure."""

from __future__ import annotations

import lxml.html

from proxy.content import runs

STEP = "Run the command, wait for the answer and check that the shelf it names is the new one. "


def _section(n: int) -> str:
    return f"<section class='step step-{n}'><h2>Step {n}</h2><p>{STEP * 3}(step {n})</p></section>"


def _reference() -> lxml.html.HtmlElement:
    sections = "".join(_section(n) for n in range(1, 6))
    return lxml.html.fragment_fromstring(f"<main><p>A guide in five steps.</p>{sections}</main>")


def test_a_choice_of_one_section_gives_way_to_the_landmark_holding_all() -> None:
    main = _reference()
    chosen = lxml.html.fragment_fromstring(f"<div><p>{STEP * 3}(step 3)</p></div>")
    text = runs.whole_sections(chosen, main, 0.3).text_content()
    assert all(f"(step {n})" in text for n in range(1, 6)) and "five steps" in text


def test_a_choice_holding_every_section_is_kept() -> None:
    main = _reference()
    chosen = lxml.html.fragment_fromstring(
        "<div>" + "".join(f"<p>{STEP * 3}(step {n})</p>" for n in range(1, 6)) + "</div>"
    )
    assert runs.whole_sections(chosen, main, 0.3) is chosen


def test_teasers_in_divs_beside_an_article_are_not_sections() -> None:
    teasers = "".join(f"<div class='teaser'><p>{STEP * 2}(other {n})</p></div>" for n in range(5))
    main = lxml.html.fragment_fromstring(
        f"<main><div class='story'><p>{STEP * 5}</p></div>{teasers}</main>"
    )
    chosen = lxml.html.fragment_fromstring(f"<div><p>{STEP * 5}</p></div>")
    assert runs.whole_sections(chosen, main, 0.3) is chosen


def test_a_landmark_of_links_leaves_the_choice_alone() -> None:
    linked = "".join(
        f"<section class='card'><a href='/s/{n}'>{STEP * 2}(card {n})</a></section>"
        for n in range(5)
    )
    main = lxml.html.fragment_fromstring(f"<main>{linked}</main>")
    chosen = lxml.html.fragment_fromstring(f"<div><p>{STEP * 2}(card 2)</p></div>")
    assert runs.whole_sections(chosen, main, 0.3) is chosen


def test_item_grid_finds_the_largest_run_of_items() -> None:
    items = "".join(
        f"<li class='item'><a href='/i/{n}'>Stoneware mug number {n}</a> 24.00</li>"
        for n in range(8)
    )
    doc = lxml.html.document_fromstring(
        f"<html><body><div class='menu'><span>Sell</span><span>Help</span><span>Home</span></div>"
        f"<ul class='results'>{items}</ul></body></html>"
    )
    grid = runs.item_grid(doc)
    assert grid is not None and grid[0].tag == "ul" and "mug number 7" in grid.text_content()


def test_item_grid_is_none_without_a_run() -> None:
    doc = lxml.html.document_fromstring("<html><body><p>One</p><div>Two</div></body></html>")
    assert runs.item_grid(doc) is None


def _cards(body: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(f"<div><p>Tools for the web.</p>{body}</div>")


FEATURE = "See and change the layout of any page, and keep what you changed. "


def test_a_run_of_short_headed_cards_is_feature_cards() -> None:
    cards = "".join(f"<li class='feature'><h2>Tool {n}</h2><p>{FEATURE}</p></li>" for n in range(4))
    assert runs.feature_cards(_cards(f"<ul>{cards}</ul>"))


def test_steps_of_prose_and_headings_alone_are_no_feature_cards() -> None:
    steps = "".join(f"<div class='step'><h3>Step {n}</h3><p>{STEP * 6}</p></div>" for n in range(4))
    headings = "".join(f"<h2>Part {n}</h2><p>{FEATURE}</p>" for n in range(4))
    assert not runs.feature_cards(_cards(steps)) and not runs.feature_cards(_cards(headings))
