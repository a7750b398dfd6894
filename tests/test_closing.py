"""closing: a newsletter's self-promotion after the article's last rules goes; the article's own
text after a rule stays."""

from __future__ import annotations

import lxml.html

from proxy.content import closing

PROSE = "".join(
    f"<p>Paragraph {n} of the post carries on with enough words to be read as the writer's prose "
    "about the subject, one sentence after another, as long posts go on.</p>"
    for n in range(12)
)
SOCIAL = (
    '<p>Follow the magazine on <a href="https://www.facebook.com/mag">Facebook</a>, '
    '<a href="https://twitter.com/mag">X</a> and <a href="https://www.instagram.com/mag/">'
    "Instagram</a></p>"
)


def _closed(body: str) -> str:
    article = lxml.html.fragment_fromstring(f"<div>{body}</div>")
    closing.drop_closing_promotion(article)
    return article.text_content()


def test_links_to_social_networks_after_the_last_rule_go() -> None:
    text = _closed(f"{PROSE}<hr>{SOCIAL}")
    assert "Follow the magazine" not in text and "Paragraph 11" in text


def test_an_appeal_in_words_goes_with_the_short_lines_after_it() -> None:
    appeal = "<p>Support our mission to keep this site free: join the readers' club.</p>"
    text = _closed(f"{PROSE}<hr>{appeal}<hr><p>Thank you for reading!</p>")
    assert "Support our mission" not in text and "Thank you" not in text


def test_the_articles_own_text_after_a_rule_stays() -> None:
    notes = (
        '<p>1. The survey is <a href="https://stats.example/survey-2024">published here</a>; '
        '2. the earlier figures <a href="https://archive.example/1998">in the archive</a>.</p>'
    )
    text = _closed(f"{PROSE}<hr><p>Update: the council replied on Monday.</p><hr>{notes}")
    assert "Update: the council" in text and "published here" in text


def test_a_promotion_followed_by_more_of_the_article_stays() -> None:
    text = _closed(f"{PROSE}<hr>{SOCIAL}<hr>{PROSE}")
    assert "Follow the magazine" in text


def test_a_short_posts_closing_is_too_large_a_part_to_be_promotion() -> None:
    text = _closed(f"<p>A short note of two sentences. It ends here.</p><hr>{SOCIAL}")
    assert "Follow the magazine" in text
