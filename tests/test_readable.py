"""readable: Declutter's readability-lxml subclass keeps readability's results where it only speeds
them up."""

from __future__ import annotations

import copy

import lxml.html
import pytest
from readability import Document

from proxy.content import htmltree
from proxy.content.readable import _Readability

DIVS = [
    "<div>Loose text <b>bold</b> more<br>after a break</div>",
    "<div><span>inline <em>only</em></span> tail text</div>",
    "<div><p>A paragraph</p> tail <a href='/x'>link</a> and text</div>",
    "<div><span><img src='a.jpg'></span> text beside an image</div>",
    "<div><svg><path d='M0'></path></svg> an icon's path begins like a paragraph</div>",
    "<div><div>nested <i>div</i></div><span>then inline</span>text<br><br>end</div>",
    "<div><section><ul><li>item</li></ul></section> words <code>code</code></div>",
    "<div><table><tr><td>cell</td></tr></table><font>old</font> tail</div>",
]


@pytest.mark.parametrize("body", DIVS)
def test_divs_become_paragraphs_as_readability_makes_them(body: str) -> None:
    page = htmltree.document(f"<html><body>{body}{body}</body></html>")
    ours, theirs = _Readability(copy.deepcopy(page)), Document(copy.deepcopy(page))
    for document in (ours, theirs):
        document.html = document.input
        document.transform_misused_divs_into_paragraphs()
    assert lxml.html.tostring(ours.html) == lxml.html.tostring(theirs.html)


def test_layout_whitespace_is_shortened_outside_pre_for_readability() -> None:
    from proxy.content.readable import prepare_page

    page = htmltree.document(
        "<html><body><div>\n    \n  <p>Text</p>   <pre>  keep\n   this  </pre>"
        "<pre> <b>x</b>   </pre></div></body></html>"
    )
    html = lxml.html.tostring(prepare_page(page), encoding="unicode")
    assert "<div>\n<p>Text</p> <pre>  keep\n   this  </pre><pre> <b>x</b>   </pre></div>" in html
