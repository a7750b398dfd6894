"""readable_clean.ReadabilityCleaner gives the tree lxml_html_clean's cleaner gives, as
readability-lxml configures it: on the fixture pages and on markup made to trip each step."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from readability.cleaners import html_cleaner as library_cleaner

from proxy.content import extract, readable  # noqa: F401  (readable installs the stand-in)
from proxy.content.readable_clean import ReadabilityCleaner

PAGES = sorted((Path(__file__).parent / "pages").glob("*/source.html"))
FAST = ReadabilityCleaner(library_cleaner)

# One piece of markup per step of the cleaner (and a few that must come through untouched).
PIECES = [
    "<p onclick='x()' onmouseover=\"y\" title='t'>events</p>",
    '<a href="javascript:alert(1)">js</a>',
    '<a href="  https://news.example/a  ">spaces</a>',
    '<a href="java%0Ascript:alert(1)">encoded</a>',
    '<a href=" JaVaScRiPt:alert(1)">case</a>',
    '<img src="data:image/png;base64,AAAA"><img src="data:image/svg+xml,<svg/>">',
    '<form action="vbscript:x"><button formaction="javascript:y">b</button></form>',
    '<object codebase="https://cdn.example/" data="movie.swf" archive="a.jar b.jar"></object>',
    '<object data="javascript:alert(1)">'
    '<param name="m" valuetype="ref" value="javascript:z"></object>',
    '<meta http-equiv="refresh" content="0; url=javascript:alert(1)">',
    '<meta http-equiv="refresh" content="5;URL=\'https://news.example/next\'">',
    "<div style=\"background: url('javascript:alert(1)')\">styled</div>",
    "<style>@import 'javascript:x'; p { background: url(javascript:y) }</style>",
    '<link rel="stylesheet" href="https://news.example/s.css"><script src="a.js">x</script>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;" src="https://v.example/"></iframe>',
    '<svg><a href="#"><set attributeName="href" to="javascript:alert(1)"/>'
    '<animate attributename="xlink:href" values="javascript:1;javascript:2"/></a></svg>',
    "<fieldset><legend>set</legend><input onfocus='x'></fieldset>",
    "<!-- a comment --><?php echo 1 ?><p>after</p>",
    "<image src='https://news.example/i.png'>",
    '<td background="javascript:x" lowsrc=" y ">cell</td>',
    '<blockquote cite="https://news.example/q"><p>quoted</p></blockquote>',
    '<a xlink:href="javascript:x" usemap="#m" longdesc=" d ">xlink</a>',
]


def cleaned(html: str, cleaner) -> str:
    """The page ``html`` as the cleaner leaves it, serialised whole (comments, attribute order)."""
    return etree.tostring(cleaner.clean_html(extract.parse(html)), encoding="unicode")


@pytest.mark.parametrize("piece", PIECES)
def test_each_step_as_the_library_does_it(piece):
    html = f"<html><body><div>{piece}</div><p>text</p></body></html>"
    assert cleaned(html, FAST) == cleaned(html, library_cleaner)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.parent.name)
def test_fixture_pages_as_the_library_cleans_them(page):
    html = page.read_text(encoding="utf-8")
    assert cleaned(html, FAST) == cleaned(html, library_cleaner)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES + ["<div>", "</div>", "<p>", "<a href='x'>", "</a>"])))
def test_mixed_markup_as_the_library_cleans_it(pieces):
    html = "<html><body>" + "".join(pieces) + "</body></html>"
    assert cleaned(html, FAST) == cleaned(html, library_cleaner)


def test_readability_uses_the_stand_in():
    import readability.readability

    assert isinstance(readability.readability.html_cleaner, ReadabilityCleaner)


def test_a_string_is_cleaned_by_the_library_itself():
    html = "<div><p onclick='x'>a</p></div>"
    assert FAST.clean_html(html) == library_cleaner.clean_html(html)
