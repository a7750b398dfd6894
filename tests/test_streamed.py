"""streamed: parts a streaming server renderer sends hidden after the page's shell, put in place."""

from __future__ import annotations

import lxml.html

from proxy import htmltree
from proxy.content import streamed


def _placed(body: str) -> str:
    doc = htmltree.document(f"<html><body>{body}</body></html>")
    streamed.place_streamed(doc)
    streamed.place_fragments(doc)
    return lxml.html.tostring(doc.find("body"), encoding="unicode")


def test_parts_inside_parts_are_placed_whatever_their_order() -> None:
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


def test_a_placeholder_inside_its_own_part_is_left_alone() -> None:
    html = _placed('<div hidden id="S:1"><div><template id="P:1"></template></div></div>')
    assert html == '<body><div id="S:1"><div><template id="P:1"></template></div></div></body>'


def test_marko_fragments_replace_their_placeholders_and_skeletons() -> None:
    html = _placed(
        '<div class="grid"><span id="afshopph2"><div class="skeleton"></div></span>'
        '<noscript id="afshopph3"></noscript></div>'
        '<div id="afshop2" style="display:none"><ul><li>Item one</li></ul></div>'
        '<div id="afshop3" style="display:none">Tail text<p>Filters</p></div>'
        '<div id="afshop4" style="display:none"><p>No placeholder</p></div>'
    )
    assert html == (
        '<body><div class="grid"><ul><li>Item one</li></ul>Tail text<p>Filters</p></div>'
        '<div id="afshop4" style="display:none"><p>No placeholder</p></div></body>'
    )
