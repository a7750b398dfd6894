"""endlinks: a paragraph of links to other stories that ends the article goes."""

from __future__ import annotations

import lxml.html

from proxy.content import endlinks, pipeline

URL = "https://news.example/section/story"
PROSE = "".join(
    f"<p>Paragraph {n} of the story carries on with enough words to be read as prose.</p>"
    for n in range(8)
)
# too long for a short all-link block (clean's rule): four headlines of other stories
LINKS = (
    '<p><a href="/a">Warum nehme ich nicht ab? Vier mögliche Gründe und was dagegen hilft</a><br>'
    '<a href="/b">Zwanzig Kilo abnehmen: mit dieser Strategie klappt es ganz bestimmt</a><br>'
    '<a href="/c">Endlich schlank! Mit diesen acht Tipps richtig erfolgreich abnehmen</a><br>'
    '<a href="/d">Home Gym: so gelingt auch zu Hause das perfekte Workout</a></p>'
)


def test_a_paragraph_of_links_ending_the_article_goes_with_its_heading() -> None:
    page = f"<html><body><article><h1>Story</h1>{PROSE}<h2>Auch auf example.de</h2>{LINKS}"
    article = pipeline.process(f"{page}</article></body></html>".encode(), URL)
    assert "Zwanzig Kilo" not in article.text and "Auch auf" not in article.text
    assert "Paragraph 7 of the story" in article.text


def test_the_same_paragraph_in_the_middle_or_with_words_of_its_own_stays() -> None:
    middle = lxml.html.fragment_fromstring(f"<div>{LINKS}{PROSE}</div>")
    endlinks.drop_end_links(middle)
    assert "Zwanzig Kilo" in middle.text_content()
    sentence = LINKS.replace("<p>", "<p>The three studies we read for this story were ")
    cited = lxml.html.fragment_fromstring(f"<div>{PROSE}{sentence}</div>")
    endlinks.drop_end_links(cited)
    assert "Zwanzig Kilo" in cited.text_content()
