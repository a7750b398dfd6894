"""bios: the author's biography after the article goes, known by the byline's name."""

from __future__ import annotations

import lxml.html

from proxy.content import bios, pipeline

URL = "https://news.example/section/story"
PROSE = "".join(
    f"<p>Paragraph {n} of the story carries on with enough words to be read as prose.</p>"
    for n in range(8)
)
BIO = (
    "Rebecca Norris is a full-time freelance writer living in the Washington, D.C. metro area "
    "who has covered travel, home and wellness for ten years."
)


def _page(author: str, after: str) -> bytes:
    head = f'<meta name="author" content="{author}">'
    body = f"<article><h1>Story</h1>{PROSE}{after}</article>"
    return f"<html><head>{head}</head><body>{body}</body></html>".encode()


def test_the_authors_bio_after_the_article_goes() -> None:
    after = f'<div class="box"><img src="/me.jpg" alt=""><p>{BIO}</p></div>'
    article = pipeline.process(_page("Rebecca Norris", after), URL)
    assert article.byline == "Rebecca Norris"
    assert "freelance writer" not in article.text
    assert "Paragraph 7 of the story" in article.text


def test_a_co_authors_bio_after_the_first_goes_with_it() -> None:
    doc = lxml.html.fragment_fromstring(
        f"<div>{PROSE}<p>— Manoj Jain is adjunct faculty at Emory University.</p>"
        "<p>Jagpreet Chhatwal is an Associate Professor at Harvard Medical School.</p></div>"
    )
    bios.drop_author_bio(doc, "Manoj Jain, Jagpreet Chhatwal, The Commercial Appeal")
    text = doc.text_content()
    assert "Emory" not in text and "Harvard" not in text and "Paragraph 7" in text


def test_the_authors_name_opening_the_articles_own_paragraph_or_a_long_ending_stays() -> None:
    ending = "<p>Rebecca Norris said the band had played until dawn, and then " + (
        "the guests went on dancing in the garden. " * 30
    )
    doc = lxml.html.fragment_fromstring(f"<div>{PROSE}{ending}</p></div>")
    bios.drop_author_bio(doc, "Rebecca Norris")
    assert "played until dawn" in doc.text_content()


def test_a_one_word_byline_or_none_names_no_bio() -> None:
    assert bios.author_names("Cortyn") == ()
    assert bios.author_names(None) == ()
    assert bios.author_names("Fiona Bornhöft und Mariam Hofbeck") == (
        "fiona bornhöft",
        "mariam hofbeck",
    )
