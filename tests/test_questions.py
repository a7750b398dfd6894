"""questions: a FAQ's questions written as the buttons that open their answers stay as text."""

from __future__ import annotations

import lxml.html

from proxy.content import pipeline, questions

URL = "https://guide.example/how-to-choose"
PROSE = "".join(
    f"<p>Paragraph {n} of the guide carries on with enough words to be read as prose.</p>"
    for n in range(6)
)
ANSWER = "It depends on the size of the home, the distance and the season you move in."


def _accordion(question: str, answer: str = ANSWER) -> str:
    return (
        '<div class="faq-item"><button type="button" class="faq-toggle" aria-expanded="false">'
        f'<img src="/icons/expand.svg" alt="Expand"><span>{question}</span></button>'
        f'<div class="faq-answer"><p>{answer}</p></div></div>'
    )


def test_the_questions_of_an_accordion_faq_stay_with_their_answers() -> None:
    faq = _accordion("How much does a move cost?") + _accordion("¿Cuánto cuesta una mudanza?")
    page = f"<html><body><article><h1>Choosing</h1>{PROSE}<h2>FAQ</h2>{faq}</article></body></html>"
    article = pipeline.process(page.encode(), URL)
    assert "How much does a move cost?" in article.text
    assert "¿Cuánto cuesta una mudanza?" in article.text
    assert article.text.index("How much does a move cost?") < article.text.index(ANSWER)
    assert "expand.svg" not in article.content_html


def test_a_control_that_asks_without_an_answer_after_it_stays_a_control() -> None:
    doc = lxml.html.document_fromstring(
        "<html><body><div><button>Can't scan the QR code?</button></div>"
        "<p><button>Forgot your password?</button> Short.</p>"
        f"<div><button>Load more</button><p>{ANSWER}</p></div></body></html>"
    )
    questions.keep_questions(doc)
    assert len(doc.findall(".//button")) == 3


def test_a_question_button_inside_a_heading_is_answered_after_the_heading() -> None:
    doc = lxml.html.document_fromstring(
        "<html><body><div><h3><button aria-controls='a1'>What is included in the price?"
        f"</button></h3><div id='a1'>{ANSWER}</div></div></body></html>"
    )
    questions.keep_questions(doc)
    heading = doc.find(".//h3")
    assert heading is not None and heading.find("button") is None
    assert heading.text_content() == "What is included in the price?"


def test_a_button_holding_a_heading_is_a_title_whatever_its_words() -> None:
    doc = lxml.html.document_fromstring(
        "<html><body><div><button aria-controls='a1'><h3>How long it takes</h3><svg></svg>"
        f"</button></div><div id='a1'>{ANSWER}</div>"
        "<div><button><h3>Wie lange es dauert</h3></button></div>"
        f"<div><button><h3>A course</h3><p>3 units, $695</p></button></div><div>{ANSWER}</div>"
        "</body></html>"
    )
    questions.keep_questions(doc)
    left = [b.text_content() for b in doc.iter("button")]
    assert left == ["Wie lange es dauert", "A course3 units, $695"]  # no answer; a card
    assert doc.find(".//svg") is None and doc.find(".//h3").text == "How long it takes"
