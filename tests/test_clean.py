"""The boilerplate rules: one case per fixture page, plus the rules that must leave prose alone."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from proxy.content import clean, pipeline
from proxy.content.text import word_count
from tests.conftest import PAGES

QUALITY = Path(__file__).parent / "quality"


def _fixture_pages() -> list[tuple[str, bytes, str, list[str], list[str]]]:
    """Every page under tests/pages/<slug>/ and every page of the tests/quality dataset."""
    found = []
    for expect_file in sorted(PAGES.glob("*/expect.json")):
        expect = json.loads(expect_file.read_text(encoding="utf-8"))
        source = (expect_file.parent / "source.html").read_bytes()
        found.append(
            (expect_file.parent.name, source, expect["url"], expect["with"], expect["without"])
        )
    for key, item in json.loads(
        (QUALITY / "expectations.json").read_text(encoding="utf-8")
    ).items():
        source = (QUALITY / "html" / item["file"]).read_bytes()
        found.append((key, source, item["url"], item["with"], item["without"]))
    return found


@pytest.mark.parametrize(
    ("slug", "source", "url", "with_", "without"),
    _fixture_pages(),
    ids=[page[0] for page in _fixture_pages()],
)
def test_fixture_page_keeps_its_article_and_loses_its_promos(
    slug: str, source: bytes, url: str, with_: list[str], without: list[str]
) -> None:
    text = re.sub(r"\s+", " ", pipeline.process(source, url).text)
    missing = [s for s in with_ if re.sub(r"\s+", " ", s) not in text]
    left = [s for s in without if s in text]
    assert (missing, left) == ([], [])


def _cleaned(body: str) -> str:
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    return clean.block_text(clean.clean(root))


@pytest.mark.parametrize(
    "sentence",
    [
        "Readers who want to read more about the dispute can find the full report in the library.",
        "The station stopped selling advertising on its buses, which earned less than it cost.",
        "Residents are asked to share their views and to subscribe to the same slow hobby of "
        "letters.",
        "Sponsors of the festival said they would not renew their contracts next year.",
        "Lesen Sie auch die Stellungnahme des Ministeriums, sagte der Sprecher vor Journalisten "
        "im Saal.",
        "Kontakt mit dem Virus hatten nach Angaben der Behörde vor allem Reisende aus dem Süden.",
        "Für die Challenge nutzen wir die Sequenzen meines Youtube-Kanals, die ich "
        "zusammengestellt habe.",
        "The comments were moderated by the panel's chair, who asked for written submissions.",
        "Tickets for the final sold out within an hour, the club said on Monday morning.",
        "The museum asked visitors to share photos of the old building for its archive.",
        "Prices were checked at three shops, and the cheapest charged half as much as the dearest.",
        "Her channel on Telegram grew to a million followers during the war, she told the court.",
        "Creative Commons helps you share your knowledge and creativity legally, to build a more "
        "equitable, accessible and innovative world; it was founded in 2001 in Massachusetts.",
    ],
)
def test_sentences_that_merely_mention_promo_words_stay(sentence: str) -> None:
    assert _cleaned(
        f"<p>{sentence}</p><p>Another paragraph of the article stays here too.</p>"
    ).startswith(sentence)


@pytest.mark.parametrize(
    "promo",
    [
        "<p>[ad_1]</p>",
        "<div><span>Advertisement</span></div>",
        "<p>Anzeige</p>",
        "<p>Реклама</p>",
        "<p>Continue reading below</p>",
        "<p>READ MORE: <a href='/x'>Another story entirely</a></p>",
        "<p>Lesen Sie auch: <a href='/x'>Eine andere Geschichte</a></p>",
        "<p>À lire aussi : <a href='/x'>Une autre histoire</a></p>",
        "<p>Читайте также: <a href='/x'>Другая история</a></p>",
        "<p>Source link</p>",
        "<p>Originally published at example.org.</p>",
        "<p>Like this:</p><p>Loading...</p>",
        "<p>Foto: dpa / Max Muster</p>",
        "<p>×</p>",
        "<h3>Related posts:</h3><ul><li><a href='/a'>One</a></li><li><a "
        "href='/b'>Two</a></li></ul>",
        "<div><h4>Newsletter</h4><p>Sign up for our newsletter and never miss a story.</p></div>",
        "<p>Der Minister bei der Pressekonferenz am Montag. Foto: dpa/Max Muster</p>",
        "<p>12.12.2022 - Forschungsanstalt</p>",
        "<p>Anzeige, enthält Affiliate Links</p>",
        "<p>Für Links auf dieser Seite erhält die Redaktion ggf. eine Provision vom Händler.</p>",
        "<p>Verfasst von: Redaktion | 31. Dezember 2008</p>",
        # comment policies, copyright and disclaimer lines, affiliate disclosures
        "<p>Please understand that comments are moderated and not all can be published.</p>",
        "<p>Keine Kommentare (Kommentare erscheinen erst nach unserer Freigabe)</p>",
        "<p>This article is the copyrighted property of The Daily. Written permission must be "
        "obtained "
        "before reprint.</p>",
        "<p>Les opinions exprimées dans ce blog n'engagent que leurs auteurs.</p>",
        "<p>We may receive compensation when you click on links to those products.</p>",
        # subscription, support, app, channel and shop calls
        "<p>If you're seeing this message but you're already a subscriber, you can log in.</p>",
        "<p>If you enjoyed reading this post, would you consider supporting our work?</p>",
        "<p>Get the latest news straight to your phone with our app.</p>",
        "<p>¡Mira lo que tiene nuestro canal de YouTube!</p>",
        "<p>Jetzt neu! Besuchen Sie unseren Fan-Shop!</p>",
        "<p>Lust auf mehr? Melde dich hier für unseren Newsletter an!</p>",
        "<p>Dieses Skript als PDF herunterladen</p>",
        # labels of page furniture and blog engines' post lines
        "<p>Kontakt:</p>",
        "<p>Tags: python, docker, getting started</p>",
        "<p>Von: Max Muster</p>",
        "<p>Themen: Kritik aus dem Internet, Neue Prognosen</p>",
        "<p>Release Date:</p>",
        "<p>This entry was posted in Allgemein. Bookmark the permalink.</p>",
        "<p>Filed under politics</p>",
        "<p>Dee Dee Myers Getty Images</p>",
        "<p>Ten tekst przeczytasz w mniej niż minutę</p>",
        "<p>Lesezeit: 4 Minuten</p>",
        "<p>Dowiedz się więcej: <a href='/x'>Kto jak głosował?</a></p>",
        "<p>Vorschau auf den nächsten Artikel</p>",
        "<p>SUGGESTED CITATION Muster, Max: Ein Titel, Blog, 2020/4/09.</p>",
        "<p>Weitere Infos unter www.example.de.</p>",
        "<p>Sie möchten mehr? Schauen Sie in unseren Musiknewsletter!</p>",
        "<p>Die aktuelle Ausgabe jetzt am Kiosk, im Abo und als e-Paper erhältlich.</p>",
        # messenger channels, tip jars, Pinterest, price buttons, tickets, reader photos, plugs
        "<p>Join our WhatsApp channel for the day's top stories.</p>",
        "<p>Folgen Sie unserem WhatsApp-Kanal!</p>",
        "<p>Rejoignez-nous sur Telegram pour ne rien manquer.</p>",
        "<p>Únete a nuestro canal de WhatsApp</p>",
        "<p>Like my work? Buy me a coffee or support me on Patreon.</p>",
        "<p>Save this recipe to Pinterest for later!</p>",
        "<p><a href='/go/1'>Check the current price</a></p>",
        "<p>Get your tickets before they sell out.</p>",
        "<p>Jetzt Tickets sichern!</p>",
        "<div><h4>Were you there?</h4><p>Send us your photos and videos.</p></div>",
        "<p>Schicken Sie uns Ihre Fotos!</p>",
        "<p>For the latest news, weather, sports, and streaming video, head to WXYZ.</p>",
        # paywall pitches
        "<p>Become a paid subscriber to unlock this piece and the archive.</p>",
        "<p>Werden Sie Abonnent und lesen Sie weiter.</p>",
        "<p>Devenez abonné pour lire la suite.</p>",
        "<p>Diventa abbonato per continuare a leggere.</p>",
        "<p>Word betalend abonnee en lees verder.</p>",
        # a course pitch, an affiliate disclosure that earns "us" the commission
        "<p>Just sign up below to have the lessons sent directly to your email inbox.</p>",
        "<p>Purchases made through our links may earn us a commission.</p>",
        "<p>If you buy through this link, we may earn an affiliate commission.</p>",
        # a lead magnet's box
        "<div><h3>Free guide</h3><p>Download our guide to the key features of each product.</p>"
        "</div>",
        # an affiliate disclosure of two sentences, longer than a short block
        "<p><em>(By using the affiliate links and codes in this blog post you support the studio. "
        "We may get a small kick back when you buy, at no extra cost to you at all.)</em></p>",
    ],
)
def test_promo_blocks_are_removed(promo: str) -> None:
    body = (
        f"<p>The first paragraph of the article is here.</p>{promo}<p>The last paragraph stays.</p>"
    )
    assert _cleaned(body) == "The first paragraph of the article is here. The last paragraph stays."


def test_a_trailing_label_with_nothing_after_it_is_removed() -> None:
    body = (
        "<p>The article's paragraph, long enough to read as prose.</p>"
        "<p>Weitere Beiträge aus der Kolumne:</p>"
    )
    assert _cleaned(body) == "The article's paragraph, long enough to read as prose."


def test_a_trailing_heading_with_nothing_after_it_is_removed() -> None:
    body = (
        "<p>The article's paragraph, long enough to read as prose.</p><h3>More on this topic</h3>"
    )
    assert _cleaned(body) == "The article's paragraph, long enough to read as prose."


@pytest.mark.parametrize(
    "caption",
    [
        "The minister at Monday's press conference. Photo: Max Muster",
        "The minister at Monday's press conference. <span class='credit'>© Getty Images</span>",
        "The minister at Monday's press conference. (Quelle: Muster/Unsplash)",
    ],
)
def test_figure_captions_stay_without_their_credit(caption: str) -> None:
    body = (
        "<p>The article's paragraph.</p>"
        f"<figure><img src='a.jpg'><figcaption>{caption}</figcaption></figure>"
    )
    assert _cleaned(body) == "The article's paragraph. The minister at Monday's press conference."


@pytest.mark.parametrize(
    "figure",
    [
        # WordPress's classic caption
        "<div class='wp-caption'><img src='a.jpg'><p class='wp-caption-text'>{}</p></div>",
        # a CMS's photo box: an empty anchor, the image in its link, a line break, a <span>
        "<div class='inline-photo'><a name='p1'></a><a href='a.jpg'><img src='a.jpg'></a><br>"
        "<span class='pb-caption'>{}</span></div>",
        # a <figure> whose caption is a paragraph
        "<figure><img src='a.jpg'><p class='caption'>{}</p></figure>",
    ],
)
def test_a_caption_beside_its_image_in_a_plain_wrapper_stays_without_its_credit(
    figure: str,
) -> None:
    """A figure written without <figure>: its caption is not a credit line, only its end is."""
    caption = "The minister at Monday's press conference. (Max Muster/AFP/Getty Images)"
    body = figure.format(caption) + "<p>The article's paragraph, long enough to read as prose.</p>"
    assert _cleaned(body) == (
        "The minister at Monday's press conference. "
        "The article's paragraph, long enough to read as prose."
    )


def test_a_credit_line_beside_an_image_and_other_text_is_no_caption() -> None:
    """An image among the article's paragraphs: the credit line after it is not its caption."""
    body = (
        "<div><p>The article's paragraph, long enough to read as prose.</p><img src='a.jpg'>"
        "<p>Photo: Max Muster</p><p>Another paragraph, long enough to read as prose.</p></div>"
    )
    assert "Max Muster" not in _cleaned(body)


def test_a_call_to_action_repeated_in_one_article_is_removed() -> None:
    cta = "<p><a href='https://builder.example/?ref=42'>Build a website that pays you back.</a></p>"
    body = f"{cta}<p>The article's only paragraph, long enough to read as prose.</p>{cta}"
    assert _cleaned(body) == "The article's only paragraph, long enough to read as prose."


@pytest.mark.parametrize(
    ("verse", "label"),
    [
        ("Every night I wait for the morning train to bring you home.", "Repeat Chorus"),
        ("Small gold hoops look best with a single cuff on the other ear.", "Earcuff: Zoeca"),
    ],
)
def test_a_short_line_an_article_repeats_without_a_link_stays(verse: str, label: str) -> None:
    body = f"<p>{verse}</p><p>{label}</p><p>{verse} Again, with feeling.</p><p>{label}</p>"
    assert _cleaned(body).count(label) == 2


@pytest.mark.parametrize(
    ("attrs", "expected"),
    [
        ('class="post-share_barTop"', {"post", "share", "bar", "top"}),
        ('id="relatedPosts"', {"related", "posts"}),
        ('class="TestReport__Section--Ads"', {"test", "report", "section"}),
    ],
)
def test_class_and_id_tokens(attrs: str, expected: set[str]) -> None:
    assert clean.tokens(lxml.html.fragment_fromstring(f"<div {attrs}></div>")) == expected


def test_page_pruning_keeps_an_article_wrapper_whatever_its_name() -> None:
    prose = "<p>" + "A sentence of the article that carries on. " * 20 + "</p>"
    doc = lxml.html.document_fromstring(
        f"<html><body><div class='hasRightSidebar'>{prose}</div>"
        "<div class='share-bar'><a href='/s'>Share</a></div></body></html>"
    )
    clean.prune_page(doc)
    assert "A sentence of the article" in doc.text_content()
    assert "Share" not in doc.text_content()


def test_page_pruning_keeps_a_subheading_whose_anchor_id_holds_a_chrome_word() -> None:
    prose = "<p>" + "A sentence of the article that carries on. " * 20 + "</p>"
    doc = lxml.html.document_fromstring(
        f"<html><body><article>{prose}"
        "<h3 class='subheading' id='nav_only_the_foil_remains__1'>Only the foil remains</h3>"
        f"{prose}</article><h3 class='nav-title'>Sections</h3></body></html>"
    )
    clean.prune_page(doc)
    assert "Only the foil remains" in doc.text_content()
    assert "Sections" not in doc.text_content()


def test_page_pruning_keeps_a_section_of_one_word_its_heading_links_to() -> None:
    """A one-word id with a chrome word ("comment") is an anchor when the section's own heading
    links to it (a documentation generator's permalink); without that link it is not trusted."""

    def page(permalink: str) -> lxml.html.HtmlElement:
        return lxml.html.document_fromstring(
            "<html><body><ul><li><a href='#comment'>Comment</a></li></ul><main>"
            f"{_PROSE * 4}<section id='comment'><h2>Comment{permalink}</h2>"
            "<p>The commit message's comment goes after the marker line.</p></section>"
            "</main></body></html>"
        )

    linked, unlinked = page("<a href='#comment'>¶</a>"), page("")
    for doc in (linked, unlinked):
        clean.prune_page(doc)
    assert "marker line" in linked.text_content()
    assert "marker line" not in unlinked.text_content()


def test_page_pruning_removes_teaser_cards_linking_to_other_articles() -> None:
    prose = "<p>" + "A sentence of the article that carries on. " * 20 + "</p>"
    doc = lxml.html.document_fromstring(
        f"<html><body><article>{prose}<a href='/other-story'><h2>Another story entirely</h2></a>"
        "<a href='#part-2'><h2>Part two</h2></a><p>See <a href='/x'>the report</a>.</p></article>"
        "</body></html>"
    )
    clean.prune_page(doc)
    text = doc.text_content()
    assert "Another story" not in text and "Part two" in text and "the report" in text


def test_an_article_inside_an_open_noscript_is_kept_on_a_page_heavy_with_scripts() -> None:
    script = "<script>var config = " + "'x'," * 3000 + ";</script>"
    prose = "<p>" + "A sentence of the article that carries on. " * 20 + "</p>"
    doc = lxml.html.document_fromstring(
        f"<html><head>{script}</head><body><noscript>{prose}</body></html>"
    )
    clean.prune_page(doc)
    assert "A sentence of the article" in doc.text_content()


def test_a_noscript_notice_goes_on_a_page_of_little_prose_and_many_links() -> None:
    """The notice holds more than a quarter of the page's prose but not of its text: it is no
    <noscript> left open (the page pass counts the page's text only for such a suspect)."""
    menu = "<ul>" + "<li><a href='/x'>A section of the site</a></li>" * 80 + "</ul>"
    doc = lxml.html.document_fromstring(
        f"<html><body><nav-menu>{menu}</nav-menu><p>A short post of two sentences. It ends here."
        "</p><noscript>Please enable JavaScript to see the comments.</noscript></body></html>"
    )
    clean.prune_page(doc, by_names=False)
    text = doc.text_content()
    assert "A short post" in text and "enable JavaScript" not in text


def _thread(article_sentences: int) -> lxml.html.HtmlElement:
    """A page of five posts named "comment", after an article of so many sentences."""
    article = (
        "<article><p>" + "The article itself says this. " * article_sentences + "</p></article>"
    )
    posts = "".join(
        f"<div class='comment' id='c{n}'><p>"
        + f"Reply number {n} answers at length. " * 12
        + "</p></div>"
        for n in range(5)
    )
    return lxml.html.document_fromstring(
        f"<html><body>{article}<section>{posts}</section></body></html>"
    )


def test_page_pruning_keeps_a_threads_posts_named_comments() -> None:
    doc = _thread(article_sentences=1)
    clean.prune_page(doc)
    assert doc.text_content().count("answers at length") == 5 * 12


def test_page_pruning_removes_the_comments_under_an_article_longer_than_each() -> None:
    doc = _thread(article_sentences=30)
    clean.prune_page(doc)
    assert "answers at length" not in doc.text_content()
    assert "The article itself" in doc.text_content()


_PROSE = "<p>" + "A sentence of the article that carries on for a while. " * 12 + "</p>"


def test_a_trailing_run_of_linked_headlines_with_cut_teasers_is_removed() -> None:
    cards = "".join(
        f"<div><span>Region</span><h3><a href='/story-{n}'>Another story number {n}</a></h3>"
        f"<p>The first words of another story, cut off by its card where the</p></div>"
        for n in range(3)
    )
    assert _cleaned(f"{_PROSE}{cards}") == clean.block_text(lxml.html.fragment_fromstring(_PROSE))


def test_a_trailing_run_of_teasers_cut_with_a_bracketed_ellipsis_is_removed() -> None:
    cards = "".join(
        f"<h3>Another story number {n}</h3>"
        f"<p>The first words of another story, cut off by its card after a comma, [&hellip;]</p>"
        for n in range(3)
    )
    last_line = "<p>Ring: Stella Hoops</p>"
    kept = _cleaned(f"{_PROSE}{last_line}{cards}")
    assert "Another story" not in kept and "first words" not in kept
    assert kept.endswith("Ring: Stella Hoops")  # the article's last short line is not a card's


def test_a_long_run_of_linked_headlines_with_ellipsis_teasers_is_removed() -> None:
    # seven cards of more words than the article: linked headlines, the surer sign, with it
    cards = "".join(
        f"<h4><a href='/story-{n}'>Another story number {n}</a></h4>"
        f"<p>The first words of another story, cut off by its card after a few more of its...</p>"
        for n in range(7)
    )
    assert _cleaned(f"{_PROSE}{cards}") == clean.block_text(lxml.html.fragment_fromstring(_PROSE))


def test_linked_subheadings_followed_by_whole_sentences_stay() -> None:
    sections = "".join(
        f"<h2><a href='/webcam-{n}'>Webcam {n}</a></h2><p>Camera {n} looks over the valley.</p>"
        for n in range(4)
    )
    assert "Webcam 3 Camera 3 looks over the valley." in _cleaned(f"{_PROSE}{sections}")


_WHOLE_BLURB = "The first words of another story, which its card gives as one whole sentence."


@pytest.mark.parametrize(
    "card",
    [
        # a news site's "Other Opinion Columns", its boxes gone: kicker, headline, standfirst
        "<h4><strong>Kicker {n}</strong> <a href='/story-{n}'>Another story {n}</a></h4>"
        "<p>{blurb}</p>",
        # a magazine's "more posts": each card in a box of its own, no kicker
        "<div class='post-card'><h3><a href='/story-{n}'>Another story {n}</a></h3>"
        "<div class='excerpt'><p>{blurb}</p></div></div>",
    ],
    ids=["kicker", "boxed"],
)
def test_a_trailing_run_of_cards_with_whole_sentence_teasers_is_removed(card: str) -> None:
    cards = "".join(card.format(n=n, blurb=_WHOLE_BLURB) for n in range(5))
    article = _PROSE * 3
    assert _cleaned(f"<div>{article}</div><div>{cards}</div>") == _cleaned(article)


def _listicle(section: str, numbers: range, intro: str = "") -> str:
    description = "Tool {n} keeps the notes of a team in one place and syncs them at night."
    return intro + "".join(
        section.format(n=n, description=description.format(n=n)) for n in numbers
    )


_TOOL = "<h3><span>{n}.</span> <a href='https://tool-{n}.example/'>Tool {n}</a></h3>"


@pytest.mark.parametrize(
    "listicle",
    [
        # the article is its linked sections, each in a box with a sentence: no article before
        _listicle(
            "<section class='tool'><h3><a href='https://tool-{n}.example/'>Tool {n}</a></h3>"
            "<p>{description}</p></section>",
            range(6),
            intro="<p>Tools we tried this year.</p>",
        ),
        # numbered sections after a long introduction, the first described at length: the
        # article links its own headings before the last ones, of one paragraph each
        _listicle(_TOOL + "<p>{description}</p>" * 4, range(2), intro=_PROSE * 3)
        + _listicle(_TOOL + "<p>{description}</p>", range(2, 6)),
    ],
    ids=["boxed-sections", "numbered-after-intro"],
)
def test_a_listicles_linked_subheadings_with_descriptions_stay(listicle: str) -> None:
    kept = _cleaned(listicle)
    assert "Tool 5 Tool 5 keeps the notes of a team in one place and syncs them at night." in kept


def test_pruning_drops_a_text_field_box_but_not_a_page_wrapped_in_a_form() -> None:
    prose = "<p>" + "A sentence of the article that carries on. " * 40 + "</p>"
    box = (
        "<div><h3>The morning letter</h3><p>Our best stories every day at seven.</p>"
        "<input type='email'><p>Unsubscribe with one click.</p></div>"
    )
    doc = lxml.html.document_fromstring(
        f"<html><body><form action='/aspx'><div>{prose}{box}</div>"
        "<input type='text' name='viewstate'></form></body></html>"
    )
    clean.prune_page(doc)
    text = doc.text_content()
    assert "A sentence of the article" in text
    assert "morning letter" not in text and "one click" not in text


def test_pruning_drops_a_texted_deals_box_but_not_a_quantity_asked_for_with_a_keypad() -> None:
    prose = "<p>" + "A sentence of the review that carries on. " * 40 + "</p>"
    box = (
        "<div><h3>Be the first to know!</h3><p>Get the editors' deals texted to your phone.</p>"
        "<input type='tel' placeholder='Phone number'><p>Msg and data rates may apply.</p></div>"
    )
    cart = "<div><p>Price: $1,299.00 until Sunday.</p><input type='tel' name='qty' value='1'></div>"
    doc = lxml.html.document_fromstring(f"<html><body><div>{prose}{box}{cart}</div></body></html>")
    clean.prune_page(doc)
    text = doc.text_content()
    assert "A sentence of the review" in text and "$1,299.00" in text
    assert "first to know" not in text and "texted" not in text and "data rates" not in text


def test_a_templates_filler_text_goes_but_a_sentence_about_it_stays() -> None:
    filler = (
        "<h3>Lorem Ipsum</h3><p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do "
        + "eiusmod tempor incididunt ut labore et dolore magna aliqua. " * 4
        + "</p><ul><li>Lorem ipsum 1</li><li>Lorem ipsum 2</li></ul>"
    )
    mention = "<p>Lorem ipsum, the printers' filler, stands in for text since the 1500s.</p>"
    kept = _cleaned(f"{_PROSE}{filler}{mention}")
    assert "A sentence of the article" in kept and "the printers' filler" in kept
    assert "dolor sit amet" not in kept and "Lorem Ipsum" not in kept and "ipsum 2" not in kept


def test_a_link_named_as_chrome_inside_a_sentence_keeps_its_words() -> None:
    """A glossary's "popup" notes and a shop's "tag" links sit inside sentences: pruning them by
    their names cut words out ("I am a rather elderly man" read "I am a man"). A byline's
    named author, a login call of its own sentence and a share bar still go."""
    body = (
        "<div><p>I am a <a class='popup' href='#n1'>rather elderly</a> man. The nature of my "
        "<a class='popup' href='#n2'>avocations</a> for the last thirty years has brought me "
        "into more than ordinary contact with a singular set of men.</p>"
        "<p>By <span class='author-name'>Ann Lee</span> and staff</p>"
        "<p>Hope you enjoyed the recipe, and tell us what you made of it. <a class='login-link' "
        "href='/login'>Would you like to leave us a review of it?</a></p>"
        "<div class='share-bar'><a href='/s'>Share</a> this</div></div>"
    )
    doc = lxml.html.document_fromstring(f"<html><body>{body}</body></html>")
    clean.prune_page(doc)
    text = " ".join(doc.text_content().split())
    assert "I am a rather elderly man. The nature of my avocations for the last" in text
    assert "Ann Lee" not in text and "leave us a review" not in text and "Share" not in text


def test_an_article_written_in_filler_text_is_kept_whole() -> None:
    """A template's demo page or a reader's test page is "Lorem ipsum" paragraphs: the filler is
    the page's text, and removing its opening paragraph (or all of it) leaves the reader less."""
    latin = (
        "Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea "
        "commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse. "
    )
    page = (
        "<h2>Lorem</h2><p>Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do "
        f"eiusmod tempor.</p><p>{latin * 2}</p><h2>Foo</h2><p>Tempor incididunt ut labore et "
        f"dolore magna aliqua. {latin}</p>"
    )
    kept = _cleaned(page)
    assert "Lorem ipsum dolor sit amet" in kept and "Tempor incididunt" in kept


def test_line_breaks_inside_a_paragraph_stay_between_its_lines() -> None:
    """An empty <br> is not an empty block: dropping it glued "Violets are blue" to the line
    before; a paragraph of nothing but <br>s still goes."""
    root = lxml.html.fragment_fromstring(
        f"<div>{_PROSE}<p>Roses are red<br>Violets are blue<br>Sugar is sweet</p>"
        "<p><br><br></p></div>"
    )
    html = lxml.html.tostring(clean.clean(root), encoding="unicode")
    assert "Roses are red<br>Violets are blue<br>Sugar is sweet" in html
    assert "<p><br><br></p>" not in html


@pytest.mark.parametrize(
    "heading",
    [
        "Related articles that may interest you",
        "You may be interested in the following topics as well:",
        "Recommended Reading",
        "Empfohlene Artikel",
        "Vous aimerez aussi",
        "También te puede interesar",
        "Potrebbe interessarti anche",
        "Você também pode gostar",
        "Gerelateerde artikelen",
    ],
)
def test_a_related_articles_heading_goes_with_the_cards_after_it(heading: str) -> None:
    cards = "".join(
        f"<div><img src='/card-{n}.jpg' alt=''><h3>Another guide number {n}</h3>"
        f"<p>A line that sells another guide of the site, number {n}, to the reader.</p></div>"
        for n in range(3)
    )
    prose = _PROSE * 3
    kept = _cleaned(f"{prose}<section><h2>{heading}</h2>{cards}")
    assert "A sentence of the article" in kept
    assert heading not in kept and "Another guide" not in kept and "sells" not in kept


def test_a_more_on_this_heading_over_one_sentence_of_the_article_keeps_the_sentence() -> None:
    closing = "<h2>Mehr zum Thema</h2><p>Einen Überblick finden Sie im Hilfe-Center der Kammer.</p>"
    assert "Einen Überblick finden Sie" in _cleaned(f"{_PROSE}{closing}")


def test_a_more_on_this_heading_over_a_sentence_introducing_its_links_keeps_them() -> None:
    closing = (
        "<h2>Mehr zum Thema</h2><p>Einen detaillierten Überblick finden Sie im Hilfe-Center und "
        "weitere Informationen auf den Seiten des Herstellers:</p><ul>"
        + "".join(
            f"<li><a href='https://maker.example/{n}'>Seite {n} des Herstellers</a></li>"
            for n in range(3)
        )
        + "</ul>"
    )
    kept = _cleaned(f"{_PROSE * 3}{closing}")
    assert "Einen detaillierten Überblick" in kept and "Seite 2 des Herstellers" in kept


def test_a_list_of_links_a_sentence_introduces_stays_and_a_promos_goes() -> None:
    items = "".join(f"<li><a href='https://w{n}.example/'>Work {n}</a></li>" for n in range(5))
    own = "<p>For the background of these tools you can read about the prior art, including:</p>"
    assert "Work 4" in _cleaned(f"{_PROSE}{own}<ul>{items}</ul>")
    promo = "<p>If you liked this post you might also like:</p>"
    assert "Work" not in _cleaned(f"{_PROSE}{promo}<ul>{items}</ul>")


def test_a_term_linked_to_the_page_it_documents_stays_with_its_definition() -> None:
    terms = "".join(
        f"<dt><a href='/docs/shelf/{name}'><code>Shelf.{name}()</code></a></dt>"
        f"<dd><p>What the method {name} does to the shelf, told in a sentence.</p></dd>"
        for name in ("close", "open", "move")
    )
    kept = _cleaned(f"{_PROSE}<dl>{terms}</dl>")
    assert "Shelf.close()" in kept and "Shelf.move()" in kept


def test_a_link_the_paragraph_before_introduces_with_a_colon_stays() -> None:
    body = (
        f"{_PROSE}<p>The new fees may close many clubs, so please sign this petition:</p>"
        "<p><a href='https://petition.example/clubs'>https://petition.example/clubs</a></p>"
    )
    assert _cleaned(body).endswith("https://petition.example/clubs")


@pytest.mark.parametrize(
    "lead", ["<p>Read more:</p>", "<p>Lesen Sie auch:</p>", "<p>Related posts:</p>"]
)
def test_a_link_after_a_promo_lead_ending_in_a_colon_still_goes(lead: str) -> None:
    body = f"{_PROSE}{lead}<p><a href='/another-story'>The headline of another story</a></p>"
    assert "another story" not in _cleaned(body)


def test_a_list_item_opening_with_a_promo_lead_word_is_the_lists_own() -> None:
    # "Watch" opens what an add-on lets you do; a lone "Watch:" label before a link still goes
    items = "<li>Read the latest news</li><li>Manage your downloads</li><li>Watch videos</li>"
    kept = _cleaned(f"{_PROSE}<ul>{items}</ul><p>Watch:</p>")
    assert "Watch videos" in kept and "Watch:" not in kept


def test_a_list_of_a_programs_fields_goes_whole() -> None:
    fields = "".join(f"<dt>retail_price_tier{n}:</dt><dd>${n}0.00_1-9 items</dd>" for n in range(6))
    kept = _cleaned(f"{_PROSE}<dl><dt>Fabric:</dt><dd>Cotton</dd>{fields}</dl>")
    assert "retail_price" not in kept and "items" not in kept
    assert "A sentence of the article" in kept


def test_a_run_of_bare_image_addresses_goes_and_a_glossary_stays() -> None:
    urls = "".join(
        f"<dt>Colour {n}:</dt><dd>https://cdn.example/images/tee_{n}.jpg</dd>" for n in range(6)
    )
    glossary = "<dl><dt>Fabric</dt><dd>Combed cotton</dd><dt>Fit</dt><dd>Regular</dd></dl>"
    kept = _cleaned(f"{_PROSE}<dl>{urls}</dl>{glossary}<p>Write to https://shop.example/help</p>")
    assert "cdn.example" not in kept and "Colour 3" not in kept
    assert "Combed cotton" in kept and "https://shop.example/help" in kept


def _cards(count: int = 9) -> str:
    return "".join(
        f"<div class='card'><a href='/recipes/{n}'><h3>Dinner recipe number {n}</h3></a>"
        f"<p>A quick dinner for a weeknight, ready in {n + 10} minutes.</p></div>"
        for n in range(count)
    )


def _listing(head: str = "", intro: str = "", main: str = "main") -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(
        f"<html><head>{head}</head><body><nav><a href='/'>Home</a></nav><{main}>{intro}"
        f"{_cards()}</{main}></body></html>"
    )


def test_a_listing_keeps_its_cards_headlines() -> None:
    doc = _listing(intro="<p>What's for dinner? These are our readers' favourites.</p>")
    clean.prune_page(doc)
    assert all(f"Dinner recipe number {n}" in doc.text_content() for n in range(9))


def test_a_listing_without_a_landmark_keeps_its_cards_headlines() -> None:
    # a shop's collection page: its grid of cards in a <div>, no <main> anywhere
    doc = _listing(intro="<p>Our winter range, all in stock.</p>", main="div")
    clean.prune_page(doc)
    assert all(f"Dinner recipe number {n}" in doc.text_content() for n in range(9))


def test_a_mega_menus_cards_in_the_header_of_a_page_without_a_landmark_go() -> None:
    prose = "".join(f"<p>{'A sentence of the guide, long enough to be prose. ' * 4}</p>" * 3)
    doc = lxml.html.document_fromstring(
        f"<html><body><header><div class='menu'>{_cards(12)}</div></header>"
        f"<div class='guide'>{prose}</div></body></html>"
    )
    clean.prune_page(doc)
    assert "Dinner recipe number" not in doc.text_content()


def test_a_description_over_cards_without_a_landmark_loses_them() -> None:
    # a video's page: its description, then a row of the programme's other episodes
    about = "<p>" + "What the episode shows, and who speaks in it, told at some length. " * 3
    doc = _listing(intro=about + "</p>", main="div")
    clean.prune_page(doc)
    assert "Dinner recipe number" not in doc.text_content()


def test_a_page_that_declares_a_story_loses_the_teaser_cards_around_it() -> None:
    story = '<script type="application/ld+json">{"@type": "NewsArticle"}</script>'
    doc = _listing(head=story, intro="<p>A short news item of two lines, no more.</p>")
    clean.prune_page(doc)
    assert "Dinner recipe number" not in doc.text_content()


# Articles for the article pass's measures: nested blocks, links in links' places, comments with
# tails, text between elements, spaces of every kind, a block longer than the measures keep.
_MEASURED = [
    "<div><p>One <a href='/x'>two <b>three</b></a> four.</p><!-- note -->tail <p>five</p></div>",
    "<section><div><h2><a href='/a'>Headline</a></h2><p>Teaser cut…</p></div>x<div> </div>"
    "<ul><li><a href='#top'>up</a></li><li>item,\u00a0two</li></ul></section>",
    "<div>lead<span>in</span>side<div><p>a-b c_d</p><a><span>only</span></a></div>end</div>",
    "<div><p>" + "word " * 300 + "</p><figcaption>Foto: dpa</figcaption></div>",
    "<blockquote>\n  <p>  spaced\tout \n</p>\n</blockquote><p></p><div><br>line<br></div>",
]


def _same_as_read_directly(texts: clean._Texts, root: lxml.html.HtmlElement) -> None:
    for el in root.iter(lxml.etree.Element):
        assert texts.block_text(el) == clean.block_text(el)
        assert texts.words(el) == word_count(clean.block_text(el))
        assert texts.short(el, 3) == (
            None
            if texts.words(el) > 3
            else (clean.block_text(el), word_count(clean.block_text(el)))
        )
        assert texts.chars(el) == clean._text_length(el)
        assert texts.link_share(el) == clean._link_share(el)
        assert texts.is_leaf(el) == clean._is_leaf_block(el)
        assert texts.has_link(el) == clean._has_link(el)


@pytest.mark.parametrize("asked_every", [1, 3])
@pytest.mark.parametrize("body", _MEASURED)
def test_the_article_pass_measures_text_as_reading_it_does(body: str, asked_every: int) -> None:
    """``_Texts`` answers as reading each element's subtree does, before and after drops (the
    ancestors of a dropped block are measured again when next asked: its tail joins their
    text), whether asked after each drop or after a few."""
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    texts = clean._Texts(root)
    _same_as_read_directly(texts, root)
    for number, el in enumerate(list(root.iter("span", "a", "p", "b"))[::-1]):
        texts.drop(el)
        if number % asked_every == 0:
            _same_as_read_directly(texts, root)
    _same_as_read_directly(texts, root)


def test_promos_dropped_from_one_wide_parent_take_linear_time() -> None:
    """Thousands of promos dropped from one parent: each drop only marks the parent stale."""
    prose = "<p>" + "The council debated the timetable at length and noted it. " * 3 + "</p>"
    body = (prose + "<p>Subscribe now to our newsletter</p>") * 3000
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    texts = clean._Texts(root)
    measured = []
    texts._measure = lambda el, measure=texts._measure: measured.append(el) or measure(el)  # type: ignore[method-assign]
    for promo in list(root.iter("p"))[1::2]:
        texts.drop(promo)
        texts.words(promo)
    assert texts.words(root) == 3000 * 30 and measured == [root]


def test_empty_elements_go_and_text_after_a_comment_keeps_its_holder() -> None:
    """``_drop_empty`` removes what holds neither text nor media, the topmost empty one whole;
    text after a comment, an image or text after an empty child keeps its holders."""
    root = lxml.html.fragment_fromstring(
        "<div><p>a</p><div><span> </span><b></b></div>x<section><!-- c -->kept</section>"
        "<section><!-- c --> </section><div><span><img src='i'></span></div>"
        "<p><span><em> </em></span>tail</p><ul><li><!-- only a comment --></li></ul></div>"
    )
    clean._drop_empty(root)
    assert lxml.html.tostring(root, encoding="unicode") == (
        '<div><p>a</p>x<section><!-- c -->kept</section><div><span><img src="i"></span></div>'
        "<p>tail</p></div>"
    )


@pytest.mark.parametrize(
    "date", ["Nov 30, 2025", "15 Dec, 2025", "August 16, 2019 - Updated July 9"]
)
def test_a_date_line_above_the_article_goes_in_the_order_english_writes_it(date: str) -> None:
    prose = "<p>The harbour gets a new lock after two years of planning and a long debate.</p>"
    assert _cleaned(f"<p>{date}</p>{prose * 3}").startswith("The harbour gets a new lock")
