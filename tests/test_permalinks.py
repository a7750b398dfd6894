"""permalinks: the "¶", "#" and icon links documentation generators put beside headings."""

from __future__ import annotations

import lxml.html
import pytest

from proxy.content import permalinks


def _dropped(body: str) -> lxml.html.HtmlElement:
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    permalinks.drop_permalinks(root)
    return root


@pytest.mark.parametrize(
    "heading",
    [
        "<h2>Installation<a class='headerlink' href='#installation'>¶</a></h2>",  # Sphinx
        "<h2><a class='anchor' href='#installation'>#</a>Installation</h2>",  # Docusaurus
        "<h2>Installation <a href='#installation'><svg><path d='M0'/></svg></a></h2>",  # an icon
        "<h3>Installation<a href='#installation' class='anchor'>§</a></h3>",  # rustdoc
        "<dl><dt>Installation<a href='#installation'>¶</a></dt><dd>Steps.</dd></dl>",  # Sphinx API
        "<div id='id3'><div class='caption'>Installation<a href='#id3'>¶</a></div><pre>x</pre>"
        "</div>",  # a captioned code sample, linking to itself
    ],
)
def test_a_headings_wordless_link_to_its_place_goes(heading: str) -> None:
    root = _dropped(heading)
    assert root.find(".//a") is None
    assert "Installation" in root.text_content() and "¶" not in root.text_content()


@pytest.mark.parametrize(
    "body",
    [
        "<h2><a href='#installation'>Installation</a></h2>",  # mdBook: a heading that is all link
        "<h2>Installation <a href='/docs/install'>→</a></h2>",  # a link to another page
        "<p>As footnote <a href='#fn1'>¹</a> says.</p>",  # a note's mark in the text
        "<ol><li id='fn1'>The note. <a href='#ref1'>↩</a></li></ol>",  # its backlink
    ],
)
def test_links_with_words_to_other_pages_or_in_the_text_stay(body: str) -> None:
    assert _dropped(body).find(".//a") is not None
