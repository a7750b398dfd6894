"""echoes: a quotation repeating the page's own text goes, one of text the page lacks stays."""

from __future__ import annotations

import lxml.html

from proxy.content import clean, echoes, pipeline

FIRST = (
    "The pump in the cellar started again at night and the fuse held this time, "
    "so the wiring was never the fault."
)
SECOND = "Then the float switch is sticking; lift it by hand and watch whether the pump stops."
ELSEWHERE = "A float switch wears out after ten years or so, whatever the brand of the pump."


def _post(author: str, body: str) -> str:
    return (
        f"<article class='message'><div class='message-user'>{author}</div>"
        f"<div class='message-body'>{body}</div></article>"
    )


def _quote(author: str, text: str) -> str:
    return f"<blockquote><cite>{author} said:</cite><p>{text}</p></blockquote>"


def _apply(body: str) -> str:
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    echoes.drop_echoes(root)
    return clean.block_text(root)


def test_a_reply_quoting_an_earlier_post_keeps_the_post_and_loses_the_quote() -> None:
    text = _apply(_post("ana", f"<p>{FIRST}</p>") + _post("ben", _quote("ana", FIRST) + SECOND))
    assert text.count(FIRST) == 1 and SECOND in text and "ana said" not in text


def test_a_quote_of_part_of_a_post_is_an_echo_too() -> None:
    part = FIRST.split(",")[0]  # "The pump in the cellar started again at night"
    text = _apply(_post("ana", f"<p>{FIRST}</p>") + _post("ben", _quote("ana", part) + SECOND))
    assert text.count(part) == 1 and SECOND in text


def test_a_quote_of_a_quote_goes_with_the_quote_that_holds_it() -> None:
    reply = _post("ben", f"<blockquote><cite>ana said:</cite><p>{FIRST}</p></blockquote>{SECOND}")
    nested = (
        f"<blockquote><cite>ben said:</cite><blockquote><cite>ana said:</cite><p>{FIRST}</p>"
        f"</blockquote><p>{SECOND}</p></blockquote>"
    )
    text = _apply(_post("ana", f"<p>{FIRST}</p>") + reply + _post("cy", nested + ELSEWHERE))
    assert (text.count(FIRST), text.count(SECOND), text.count(ELSEWHERE)) == (1, 1, 1)


def test_a_quote_of_text_the_page_does_not_hold_stays() -> None:
    text = _apply(_post("ben", _quote("ana", FIRST) + SECOND))
    assert FIRST in text and "ana said" in text


def test_a_short_quote_found_elsewhere_stays() -> None:
    text = _apply(f"<p>{SECOND}</p>{_quote('ana', 'the float switch')}<p>{FIRST}</p>")
    assert "ana said: the float switch" in text


def test_a_pull_quote_of_the_storys_own_sentence_goes() -> None:
    pull = f"<blockquote class='pull'>{ELSEWHERE}</blockquote>"
    story = f"<p>{ELSEWHERE} {SECOND}</p>{pull}<p>{FIRST}</p>"
    assert _apply(story).count(ELSEWHERE) == 1


def test_slides_a_carousel_repeats_are_not_echoes_of_one_another() -> None:
    slide = f"<div class='slide'><blockquote>{ELSEWHERE}</blockquote></div>"
    assert _apply(f"<p>{FIRST}</p>{slide}{slide}").count(ELSEWHERE) == 2


def test_a_thread_read_through_the_pipeline_gives_each_post_once() -> None:
    """Posts written as text and <br>, as old forums do: readability-lxml turns the quote's
    <div> into a paragraph, so the repeat must go before it chooses."""
    more = "We had the same model in the old house and it ran for twelve winters without a fault."

    def post(author: str, body: str) -> str:
        byline = f"<div class='author'>{author}</div>"
        return f"<div class='post'>{byline}<div>{body}<br><br>{more}</div></div>"

    def quote(author: str, text: str) -> str:
        return f"<blockquote><div><cite>{author} wrote:</cite>{text}</div></blockquote>"

    posts = [
        post("ana", f"{FIRST}<br><br>{ELSEWHERE}"),
        post("ben", quote("ana", FIRST) + SECOND),
        post("cy", quote("ben", SECOND) + "Mine did the same; a new switch fixed it for good."),
    ]
    page = (
        "<html><head><title>Cellar pump runs at night</title></head><body><div id='page'>"
        "<h1>Cellar pump runs at night</h1>" + "".join(posts) + "</div></body></html>"
    )
    text = pipeline.process(page.encode(), "https://forum.example/t/cellar-pump").text
    assert (text.count(FIRST), text.count(SECOND), "a new switch fixed it" in text) == (1, 1, True)
