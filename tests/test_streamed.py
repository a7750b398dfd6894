"""streamed: the segments a streaming server renderer sends at the end of the page, put in place."""

from __future__ import annotations

import lxml.html

from proxy.content import htmltree, streamed


def _placed(body: str) -> str:
    doc = htmltree.document(f"<html><body>{body}</body></html>")
    streamed.place_segments(doc)
    return lxml.html.tostring(doc.find("body"), encoding="unicode")


def test_a_boundary_gets_its_segment_and_loses_its_fallback() -> None:
    html = _placed(
        '<div class="story"><!--$?--><template id="B:0"></template><p>Loading…</p><!--/$-->'
        "<p>After.</p></div>"
        '<div hidden id="S:0"><p>The article.</p></div>'
    )
    assert html == (
        '<body><div class="story"><!--$?--><p>The article.</p><!--/$--><p>After.</p></div></body>'
    )


def test_a_postponed_segment_replaces_its_placeholder_with_its_text() -> None:
    html = _placed('<p>One <template id="P:3"></template> three.</p><div hidden id="S:3">two</div>')
    assert html == "<body><p>One two three.</p></body>"


def test_segments_inside_segments_are_placed_whatever_their_order() -> None:
    html = _placed(
        '<main><template id="P:1"></template></main>'
        '<div hidden id="S:2"><em>inner</em></div>'
        '<div hidden id="S:1"><p>Outer <template id="P:2"></template>.</p></div>'
    )
    assert html == "<body><main><p>Outer <em>inner</em>.</p></main></body>"


def test_a_nested_boundary_in_the_fallback_goes_with_it() -> None:
    html = _placed(
        '<div><template id="B:0"></template><!--$--><span>spinner</span><!--/$-->'
        "<span>skeleton</span><!--/$--><p>kept</p></div>"
        '<div hidden id="S:0"><p>Body.</p></div>'
    )
    assert html == "<body><div><p>Body.</p><!--/$--><p>kept</p></div></body>"


def test_hidden_content_without_a_slot_stays_hidden() -> None:
    html = _placed('<div hidden id="S:9"><p>Not placed.</p></div><div hidden id="menu">x</div>')
    assert (
        html
        == '<body><div hidden id="S:9"><p>Not placed.</p></div><div hidden id="menu">x</div></body>'
    )


def test_a_slot_inside_its_own_segment_is_left_alone() -> None:
    html = _placed('<div hidden id="S:1"><div><template id="P:1"></template></div></div>')
    assert (
        html == '<body><div hidden id="S:1"><div><template id="P:1"></template></div></div></body>'
    )


def test_only_pages_that_name_a_segment_are_walked() -> None:
    assert streamed.present('<div hidden id="S:0">')
    assert not streamed.present("<div hidden>")
