"""parts: the other blocks of a split article, found by the shape of readability-lxml's choice."""

from __future__ import annotations

import lxml.html

from proxy import htmltree
from proxy.content import parts

PROSE = (
    "Store the cured fruits at ten to fifteen degrees in a dry room, on a shelf or in a crate, "
    "not touching each other. A cold, damp shed is the worst place for them. Check them once a "
    "week and cook any fruit that shows a soft or dark patch straight away."
)
INTRO = (
    "A good squash harvest can feed a household well into March, but only if the fruits are "
    "cured and stored with some care. Most losses over the winter come from three mistakes: "
    "picking too early, skipping the curing and keeping the fruits somewhere damp."
)
LATER = (
    "Thin-skinned kinds such as acorn and delicata keep for a month or two, so eat them first. "
    "Hard-skinned kinds such as Crown Prince and the blue Hubbards often keep until April, and "
    "their flesh grows sweeter in store."
)


def _page(*blocks: str) -> tuple[str, lxml.html.HtmlElement]:
    body = "".join(blocks)
    return body, htmltree.document(f"<html><body><div class='grid'>{body}</div></body></html>")


def _choice(html: str) -> lxml.html.HtmlElement:
    """A choice as readability-lxml hands it over: its block inside a <div>, inside a <div>."""
    return htmltree.fragment(f"<div>{html}</div>")


def _texts(root: lxml.html.HtmlElement) -> list[str]:
    return [p.text_content() for p in root.iter("p")]


def test_parts_of_the_same_kind_join_the_choice_in_page_order() -> None:
    chosen = f"<div class='rich-text'><p>{PROSE}</p></div>"
    _, doc = _page(
        f"<div class='rich-text'><p>{INTRO}</p></div>",
        "<div class='cta'><p><a href='/calendar'>Get the planting calendar</a></p></div>",
        chosen,
        "<div class='wide'><table><tr><td>Butternut</td></tr></table></div>",
        f"<div class='rich-text'><p>{LATER}</p></div>",
    )
    root = parts.add_parts(_choice(chosen), doc)
    assert root is not None
    assert _texts(root) == [INTRO, PROSE, LATER]


def test_a_block_of_the_same_kind_elsewhere_in_the_layout_is_not_a_part() -> None:
    chosen = f"<div class='rich-text'><p>{PROSE}</p></div>"
    _, doc = _page(chosen, f"<aside><div class='rich-text'><p>{LATER}</p></div></aside>")
    root = parts.add_parts(_choice(chosen), doc)
    assert root is not None
    assert _texts(root) == [PROSE]


def test_a_block_of_links_or_a_copy_of_the_choice_is_not_a_part() -> None:
    chosen = f"<div class='rich-text'><p>{PROSE}</p></div>"
    links = "".join(
        f"<a href='/story/{n}'>Another story about winter squash {n}</a> " for n in range(8)
    )
    _, doc = _page(
        chosen,
        f"<div class='rich-text'><p>{links}</p></div>",
        f"<div class='rich-text'><p>{PROSE}</p></div>",  # the same block for small screens
    )
    root = parts.add_parts(_choice(chosen), doc)
    assert root is not None
    assert _texts(root) == [PROSE]


def test_a_part_whose_lists_link_each_item_under_its_own_prose_joins_the_choice() -> None:
    """A report's section naming the patches it sent, each a link, is a part by its prose: its
    lists are mostly links, the sentences around them are not."""
    chosen = f"<div class='sectionbody'><p>{PROSE}</p></div>"
    patches = "".join(
        f"<li><a href='/patch/{n}'>storage: keep the fruit crate number {n} off the floor</a></li>"
        for n in range(12)
    )
    _, doc = _page(
        chosen,
        f"<div class='sectionbody'><p>{LATER}</p><ul>{patches}</ul><p>{INTRO}</p></div>",
    )
    root = parts.add_parts(_choice(chosen), doc)
    assert root is not None
    assert _texts(root) == [PROSE, LATER, INTRO]


def test_the_parts_of_an_outline_come_with_their_section_headings() -> None:
    """An outline's sections hold a heading, then a body of the kind: readability-lxml takes one
    body, and each part comes back under its own heading (the choice's too)."""
    chosen = f"<div class='sectionbody'><p>{PROSE}</p></div>"
    _, doc = _page(
        f"<div class='sect1'><h2>Curing</h2><div class='sectionbody'><p>{INTRO}</p></div></div>",
        f"<div class='sect1'><h2>Storing</h2>{chosen}</div>",
        f"<div class='sect1'><h2>Eating</h2><div class='sectionbody'><p>{LATER}</p></div></div>",
    )
    root = parts.add_parts(_choice(chosen), doc)
    assert root is not None
    found = [el.text_content() for el in root.iter("h2", "p")]
    assert found == ["Curing", INTRO, "Storing", PROSE, "Eating", LATER]


def test_a_part_that_sums_up_the_choice_in_some_of_its_words_joins_it() -> None:
    """A reference page's "Description" names the clauses its "Parameters" part explains: a
    third of its word trigrams are in the choice, and it is a part of its own all the same."""
    summary = (
        "This guide answers three questions in turn: where to store the cured fruits, how warm the"
        " room should be, and what to do when a fruit shows a soft or dark patch. A cold, damp"
        " shed is the worst place for them."
    )
    chosen = f"<div class='refsect1'><p>{PROSE}</p></div>"
    _, doc = _page(f"<div class='refsect1'><p>{summary}</p></div>", chosen)
    root = parts.add_parts(_choice(chosen), doc)
    assert root is not None
    assert _texts(root) == [summary, PROSE]


def test_a_choice_without_a_class_is_left_as_it_is() -> None:
    chosen = f"<div><p>{PROSE}</p></div>"
    _, doc = _page(chosen, f"<div><p>{LATER}</p></div>")
    root = parts.add_parts(_choice(chosen), doc)
    assert root is not None
    assert _texts(root) == [PROSE]


def _steps(extra: str = "") -> tuple[str, lxml.html.HtmlElement]:
    """A how-to whose steps each hold a text block, a photo and its caption, one step a list
    alone; and readability's choice: the text blocks alone, merged."""
    supplies = "<div class='step'><span>What you need:</span><ul><li>A crate</li></ul></div>"
    steps, blocks = [], []
    for n, text in enumerate((INTRO, PROSE, LATER)):
        block = f"<div class='content'><p>{text}</p></div>"
        caption = f"<figure><img src='{n}.jpg'></figure><figcaption>Photo {n}</figcaption>"
        steps.append(f"<div class='step'>{block}{caption}{extra}</div>")
        blocks.append(block)
    _, doc = _page(steps[0], supplies, *steps[1:])
    return "".join(blocks), doc


def test_steps_whose_text_blocks_were_chosen_come_whole_with_photos_and_captions() -> None:
    chosen, doc = _steps()
    root = parts.whole_items(_choice(chosen), doc)
    text = root.text_content()
    assert all(f"Photo {n}" in text for n in range(3)) and len(list(root.iter("img"))) == 3
    assert INTRO[:40] in text and LATER[:40] in text and "A crate" in text


def test_items_adding_prose_of_their_own_leave_the_choice_alone() -> None:
    # a forum's posts: each item adds a signature, which is no caption, list or label
    signature = "<div class='sig'>Send me a message if you want to sponsor my next plugin.</div>"
    chosen, doc = _steps(signature)
    choice = _choice(chosen)
    assert parts.whole_items(choice, doc) is choice
