"""pipeline.process end to end on fixture pages: bytes and URL in, a clean Article out."""

from __future__ import annotations

import json
import re

import pytest

from proxy import errors
from proxy.content import pipeline
from proxy.content.text import to_text
from tests.conftest import PAGES

SEED_URL = "https://coastal.example/news/ferry-talks/"


def _seed() -> tuple[bytes, dict]:
    folder = PAGES / "seed-like"
    return (folder / "source.html").read_bytes(), json.loads((folder / "expect.json").read_text())


def test_seed_like_page_keeps_the_article_whole_and_drops_every_promo() -> None:
    body, expect = _seed()
    article = pipeline.process(body, SEED_URL)
    text = re.sub(r"\s+", " ", article.text)
    missing = [s for s in expect["with"] if s not in text]
    left = [s for s in expect["without"] if s in text]
    assert (missing, left) == ([], [])


def test_seed_like_page_metadata_comes_from_json_ld_and_open_graph() -> None:
    body, expect = _seed()
    article = pipeline.process(body, SEED_URL)
    for field in ("title", "byline", "site_name", "published", "lang"):
        assert getattr(article, field) == expect[field], field
    assert article.canonical_url == SEED_URL
    assert article.lead_image == "https://coastal.example/wp-content/uploads/ferry.jpg"


def test_text_has_paragraphs_separated_by_blank_lines() -> None:
    article = pipeline.process(_seed()[0], SEED_URL)
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith("The meeting will be held in Northport")


def test_content_html_is_sanitised_with_safe_links() -> None:
    page = (
        b"<html><body><article><h1>T</h1><p onclick='x()'>A paragraph long enough to be an "
        b"article, with <a href='/more'>an inline link</a> that the reader keeps in place.</p>"
        b"<script>alert(1)</script></article></body></html>"
    )
    article = pipeline.process(page, "https://news.example/a/b")
    assert "onclick" not in article.content_html and "<script" not in article.content_html
    assert 'href="https://news.example/more"' in article.content_html
    assert "noopener" in article.content_html


def test_control_characters_do_not_crash_extraction() -> None:
    page = (
        "<html><body><p>Nul\x00 and bell\x07 characters inside a real paragraph of text.</p>"
        "</body></html>"
    )
    article = pipeline.process(page.encode(), "https://news.example/ctl")
    assert "Nul and bell characters" in article.text


def test_charset_comes_from_the_content_type_header() -> None:
    page = "<html><body><p>Читайте новости о погоде в Москве и области.</p></body></html>"
    article = pipeline.process(
        page.encode("koi8-r"),
        "https://news.example/ru",
        {"Content-Type": "text/html; charset=koi8-r"},
    )
    assert "Читайте новости о погоде" in article.text


@pytest.mark.parametrize(
    "page",
    [
        b"",
        b"<html><body></body></html>",
        b"<html><body><script>var a = 1;</script><nav><a href='/'>Home</a></nav></body></html>",
    ],
)
def test_a_page_without_an_article_raises_no_article(page: bytes) -> None:
    with pytest.raises(errors.NoArticle):
        pipeline.process(page, "https://news.example/empty")


@pytest.mark.parametrize(
    ("text", "too_few"), [("", True), ("  \n ", True), ("- - ...", True), ("word", False)]
)
def test_a_body_without_a_word_is_too_few_words(text: str, too_few: bool) -> None:
    assert pipeline._too_few_words(text) is too_few


def test_furigana_stays_above_its_word_in_html_and_out_of_the_text() -> None:
    # a Japanese page for learners prints each kanji's reading in <rt>: the reader page keeps the
    # ruby, plain text reads the words alone, Markdown gives the reading in brackets
    words = "<ruby>子<rt>こ</rt></ruby>どもへの<ruby>虐待<rt>ぎゃくたい</rt></ruby>"
    words += "をなくすための法律"
    page = f"<html><body><article><p>{words}ができました。</p></article></body></html>"
    article = pipeline.process(page.encode(), "https://news.example/easy/1.html")
    assert "<ruby>子<rt>こ</rt></ruby>" in article.content_html
    assert article.text == "子どもへの虐待をなくすための法律ができました。"
    assert "虐待(ぎゃくたい)" in article.markdown


def test_a_shops_fields_shown_as_blocks_keep_their_words_apart_in_the_text() -> None:
    """A product card writes its brand and name as sibling <span>s with nothing between them (its
    stylesheet shows them as blocks): the text reads two words, as the page shows, not one;
    prose's inline elements, a price's pieces, a styled initial, an ordinal's suffix, a word split
    in two and ruby after ruby run on as written."""
    card = (
        '<li><a href="/p/1"><span><span>Trailco</span><!----><span>Ridge 3 Boots</span></span></a>'
        "<div><span>$124.93</span><span>/pair</span></div></li>"
    )
    prose = "<p>The boots were <em>re</em><b>soled</b> twice.</p>"
    prose += "<p><span><b>S</b><span>oled</span></span> <span>on the 3<sup>rd</sup></span></p>"
    prose += "<p><span>and resoled f</span><span>or free</span></p>"
    ruby = "<p><span><ruby>子<rt>こ</rt></ruby><ruby>虐待<rt>ぎゃくたい</rt></ruby></span></p>"
    assert to_text(f"<ul>{card}</ul>{prose}{ruby}").split("\n\n") == [
        "Trailco Ridge 3 Boots",
        "$124.93/pair",
        "The boots were resoled twice.",
        "Soled on the 3rd",
        "and resoled for free",
        "子虐待",
    ]


def test_soft_hyphens_leave_the_text_but_not_the_html() -> None:
    word = "Mit\u00adtel\u00adal\u00adter"
    prose = f"<p>Schon im {word} war der Wein bekannt.</p>"
    page = f"<html><body><article>{prose}</article></body></html>"
    article = pipeline.process(page.encode(), "https://wein.example/artikel")
    assert article.text == "Schon im Mittelalter war der Wein bekannt."
    assert word in article.content_html  # the browser still breaks the word there


def test_the_text_breaks_lines_where_the_page_shows_a_break_not_where_its_source_wraps() -> None:
    """A browser shows the source's line breaks inside a paragraph as spaces; a <br> breaks the
    line (a poem, an address). The text format and the feeds read as the page is shown."""
    prose = (
        "<p>The river authority published its survey on Monday,\n      and the figures"
        " surprised\n  even the engineers who had collected them.</p>"
        "<p>Roses are red<br>Violets are blue<br>\n   Sugar is sweet</p>"
        "<pre>line one\n  line two</pre>"
    )
    page = f"<html><body><article>{prose}</article></body></html>"
    article = pipeline.process(page.encode(), "https://river.example/survey")
    assert article.text.split("\n\n") == [
        "The river authority published its survey on Monday, and the figures surprised even the"
        " engineers who had collected them.",
        "Roses are red\nViolets are blue\nSugar is sweet",
        "line one\n  line two",
    ]
