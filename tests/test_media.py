"""Faithful content: code with <br>, MathML, KaTeX and MathJax, <noscript> and lazy images, embeds.

Each kind has a fixture page written for it under tests/pages/faithful-*/, whose expect.json
lists, besides the text test_clean.py checks, markup the article's HTML must hold (``html_with``)
and must not (``html_without``).
"""

from __future__ import annotations

import json

import lxml.html
import pytest

from proxy.content import media, pipeline, streamed
from proxy.content.sanitise import sanitise, violations
from tests.conftest import PAGES

FAITHFUL = sorted(PAGES.glob("faithful-*"))


@pytest.mark.parametrize("folder", FAITHFUL, ids=[folder.name for folder in FAITHFUL])
def test_fixture_page_keeps_what_its_scripts_showed(folder) -> None:
    expect = json.loads((folder / "expect.json").read_text(encoding="utf-8"))
    html = pipeline.process((folder / "source.html").read_bytes(), expect["url"]).content_html
    missing = [part for part in expect["html_with"] if part not in html]
    left = [part for part in expect["html_without"] if part in html]
    assert (missing, left, violations(html)) == ([], [], [])


def test_the_fixtures_cover_every_lazy_attribute() -> None:
    source = (PAGES / "faithful-lazy" / "source.html").read_text(encoding="utf-8")
    assert [name for name in media.LAZY_SRC + media.LAZY_SRCSET if f"{name}=" not in source] == []


def test_code_lines_survive_into_the_text_and_markdown() -> None:
    folder = PAGES / "faithful-code-br"
    article = pipeline.process((folder / "source.html").read_bytes(), "https://river.example/c")
    assert "    total = sum(readings)\n    return total / len(readings)" in article.text


def test_a_pre_inside_a_pre_turns_each_line_break_once() -> None:
    """A broken page nests one <pre> in another, so the outer one's <br>s include the inner one's:
    each was turned twice, and the second time it had no parent (found by tests/fuzz)."""
    root = lxml.html.fromstring("<div><pre>a<pre>b<br>c</pre><br>d</pre></div>")
    media.pre_line_breaks(root)
    assert root.text_content() == "ab\nc\nd"
    broken = b"<html><body><article><pre>for x in y:<pre>" + b"line<br>" * 3 + b"</pre></pre>"
    article = pipeline.process(
        broken + b"<p>" + b"word " * 80 + b"</p></article>", "https://r.example/"
    )
    assert "line\nline\nline" in article.text


@pytest.mark.parametrize(
    ("embed", "label"),
    [
        (
            '<iframe src="https://www.youtube-nocookie.com/embed/abcdefgh" title="T"></iframe>',
            "Video",
        ),
        ('<iframe src="https://w.soundcloud.com/player/?url=x" title="T"></iframe>', "Audio"),
        ('<iframe src="https://www.instagram.com/p/x/embed" title="T"></iframe>', "Post"),
        ('<video src="/clip.webm" aria-label="T"></video>', "Video"),
        ('<audio><source src="/clip.ogg"></audio>', "Audio"),
    ],
)
def test_each_embed_kind_becomes_a_labelled_link(embed: str, label: str) -> None:
    html = sanitise(f"<p>Before.</p>{embed}<p>After.</p>", "https://site.example/a")
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    assert tree.find(".//iframe") is None and tree.find(".//video") is None
    assert label + ": " in tree.text_content()
    assert tree.find(".//a").get("href").startswith("https://")


@pytest.mark.parametrize(
    "embed",
    [
        '<iframe src="javascript:alert(1)" title="x"></iframe>',
        '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
        '<video><source src="data:video/mp4;base64,AAAA"></video>',
    ],
)
def test_an_embed_without_a_safe_address_is_dropped(embed: str) -> None:
    html = sanitise(f"<p>Before.</p>{embed}<p>After.</p>", "https://site.example/a")
    assert html == "<p>Before.</p><p>After.</p>"


@pytest.mark.parametrize(
    ("img", "placeholder"),
    [
        ('<img src="data:image/gif;base64,R0lGOD">', True),
        ('<img src="/spacer.gif">', True),
        ("<img>", True),
        ('<img src="data:," data-src="/real.jpg">', False),
        ('<img src="/photo.jpg">', False),
        ('<img srcset="/photo.jpg 2x">', False),
    ],
)
def test_placeholders_are_told_from_real_images(img: str, placeholder: bool) -> None:
    assert media.is_placeholder(lxml.html.fragment_fromstring(img)) is placeholder


def test_a_formula_is_in_the_text_once_without_its_tex_annotation() -> None:
    folder = PAGES / "faithful-katex"
    article = pipeline.process((folder / "source.html").read_bytes(), "https://river.example/k")
    assert "quote eiπ+1=0 as a check" in article.text and "\\pi" not in article.text


def test_streamed_parts_take_their_placeholders_place_and_drop_the_fallback() -> None:
    doc = lxml.html.document_fromstring(
        "<html><body><div id='shell'><h1>Title</h1>"
        "<!--$?--><template id='B:0'></template><p>Loading</p><!--/$-->"
        "<p>After</p></div>"
        "<div hidden id='S:0'><p>First</p><template id='P:1'></template></div>"
        "<div hidden id='S:1'><p>Second</p></div>"
        "<div hidden id='S:9'><p>Orphan</p></div></body></html>"
    )
    streamed.place_streamed(doc)
    shell = doc.get_element_by_id("shell")
    assert [p.text for p in shell.iter("p")] == ["First", "Second", "After"]
    assert doc.xpath("//template | //*[@hidden]") == []
    assert doc.xpath("//p[. = 'Orphan']")  # no placeholder: shown where it is
