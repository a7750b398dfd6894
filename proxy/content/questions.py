"""The questions of a FAQ, kept as the titles of their answers.

Many FAQs are accordions: each question is the ``<button>`` that opens its answer. The page pass
removes buttons as controls (``rules.DROP_TAGS``: "Subscribe", "Load more", "Menu"), which kept
the answers and lost the questions (modern-web-dev: 24 pages of articles, services, shops and
collections, whose ground truth holds their FAQ whole). A button is a question's title when its
text asks a question (it ends in a question mark, in any script) of a few words, and text follows
it: its answer, or the panel holding it (right after the button, or after the wrapper around it).
Such a button becomes a plain block of its text; its icons (expand and collapse arrows) go. A
control that asks without an answer after it stays a control ("Can't scan the QR code?", a
search toggle's "Find what you're looking for?"). A button that is a heading (and its icons) is a
section's title whatever its words ("How long does it take to earn a certificate", no question
mark): it is kept the same way when answered.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from proxy.content.metadata import squash

# A question ends in one of these: Latin and most scripts, full-width (CJK), Arabic, Greek.
QUESTION_MARKS = ("?", "\uff1f", "\u061f", "\u037e")
# Fewer words than this is a prompt of a form or a dialog ("Passwort vergessen?"), not a FAQ's
# question.
QUESTION_MIN_WORDS = 3
# The text after the question that makes it a title: an answer of at least this many characters
# (modern-web-dev: 76 questions in the ground truth had 77 to 2,000; the controls that ask without
# answering had 0 to 27).
ANSWER_MIN_CHARS = 40
# How far up from the button its answer is looked for: the button, its heading, the accordion
# item's header.
ANSWER_LEVELS = 3
# Headings that make a button the title of the panel it opens (an <h1> is the page's).
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
# The button's own pictures: arrows and plus signs that open and close the answer.
_ICONS = ("img", "svg", "picture")
# A button's visible text (a style sheet inside it is not).
_TEXT = etree.XPath("descendant-or-self::text()[not(ancestor::style or ancestor::script)]")


def keep_questions(doc: HtmlElement) -> None:
    """Turn the buttons that are a FAQ's questions (or hold a heading) into blocks of their text,
    in place, before the page pass removes buttons."""
    for button in list(doc.iter("button")):
        if (_asks(button) or _titles(button)) and _answered(button):
            _as_block(button)


def _asks(button: HtmlElement) -> bool:
    whole = button.text_content()
    if not any(mark in whole for mark in QUESTION_MARKS):  # most buttons: no XPath (speed)
        return False
    text = squash(" ".join(_TEXT(button)))
    return text.endswith(QUESTION_MARKS) and len(text.split()) >= QUESTION_MIN_WORDS


def _titles(button: HtmlElement) -> bool:
    """Whether the button is a heading and its icons: the title of what it opens (a card that
    opens more, its heading among other lines, is not)."""
    heading = next(button.iter(*_HEADINGS), None)
    if heading is None:
        return False
    return squash(heading.text_content()) == squash(" ".join(_TEXT(button)))


def _answered(button: HtmlElement) -> bool:
    """Whether text follows the button, or the wrapper it ends."""
    el: HtmlElement | None = button
    for _ in range(ANSWER_LEVELS):
        if el is None or squash(el.tail):  # words after it: a control inside a sentence
            return False
        after = _next_element(el)
        if after is not None:
            return len(squash(after.text_content())) >= ANSWER_MIN_CHARS
        el = el.getparent()
    return False


def _next_element(el: HtmlElement) -> HtmlElement | None:
    after = el.getnext()
    while after is not None and not isinstance(after.tag, str):  # comments
        after = after.getnext()
    return after


def _as_block(button: HtmlElement) -> None:
    """The button as a <div> of its text: no icons, no control's attributes (a class naming it a
    toggle would have the page pass prune it)."""
    for icon in [el for el in button.iter(*_ICONS) if el is not button]:
        icon.drop_tree()  # keeps its tail
    button.attrib.clear()
    button.tag = "div"
