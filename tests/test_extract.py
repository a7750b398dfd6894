"""extract: readability-lxml's choice of article and the metadata the page declares."""

from __future__ import annotations

import json
import re

import lxml.html
import pytest

from proxy.content import extract, paragraphs, pipeline

URL = "https://news.example/section/story"
PROSE = "".join(
    f"<p>Paragraph {n} of the story carries on with enough words to be read as prose.</p>"
    for n in range(6)
)


def _html(found: extract.Extracted) -> str:
    return (
        lxml.html.tostring(found.article, encoding="unicode") if found.article is not None else ""
    )


def _text(found: extract.Extracted) -> str:
    return found.article.text_content().strip() if found.article is not None else ""


def _page(head: str = "", body: str = PROSE, lang: str = "en") -> str:
    return f"<html lang='{lang}'><head>{head}</head><body><article>{body}</article></body></html>"


def test_json_ld_article_fills_the_metadata() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Not This"},
            {
                "@type": ["NewsArticle"],
                "headline": "The Headline",
                "datePublished": "2025-01-02",
                "author": [{"@type": "Person", "name": "Ana Ruiz"}, {"name": "Bo Chen"}],
                "publisher": {"@type": "Organization", "name": "The Paper"},
                "image": {"url": "/img/lead.jpg"},
                "description": "What it is about.",
            },
        ],
    }
    found = extract.extract(
        _page(f"<script type='application/ld+json'>{json.dumps(ld)}</script>"), URL
    )
    assert (found.title, found.byline, found.site_name, found.published) == (
        "The Headline",
        "Ana Ruiz, Bo Chen",
        "The Paper",
        "2025-01-02",
    )
    assert found.lead_image == "https://news.example/img/lead.jpg"
    assert found.excerpt == "What it is about."


def test_open_graph_and_meta_tags_when_there_is_no_json_ld() -> None:
    head = (
        "<meta property='og:title' content='OG Title'><meta property='og:site_name' content='Site'>"
        "<meta property='article:published_time' content='2024-05-06T07:00:00Z'>"
        "<meta property='article:author' content='https://social.example/someone'>"
        "<meta name='author' content='Kim Lee'><meta property='og:image' "
        "content='//cdn.example/a.png'>"
        "<link rel='canonical' href='/section/story-canonical'>"
    )
    found = extract.extract(_page(head, lang="de"), URL)
    assert (found.title, found.site_name, found.byline, found.lang) == (
        "OG Title",
        "Site",
        "Kim Lee",
        "de",
    )
    assert found.published == "2024-05-06T07:00:00+00:00"  # normalised ISO 8601
    assert found.lead_image == "https://cdn.example/a.png"
    assert found.canonical_url == "https://news.example/section/story-canonical"


def test_malformed_json_ld_is_ignored() -> None:
    head = "<script type='application/ld+json'>{not json</script><title>Plain title</title>"
    assert extract.extract(_page(head), URL).title == "Plain title"


def test_the_headline_is_dropped_from_the_body() -> None:
    found = extract.extract(
        _page("<title>The Headline | Daily Example</title>", "<h1>The Headline</h1>" + PROSE), URL
    )
    assert found.title == "The Headline"
    assert "The Headline" not in _html(found) and "Paragraph 5" in _html(found)


def test_a_navigation_heading_the_title_does_not_name_is_not_the_title() -> None:
    title = "<title>Daily Example | Speeches | The council agrees on next year's budget</title>"
    found = extract.extract(_page(title, "<h1>Navigation and service</h1>" + PROSE), URL)
    assert found.title == "The council agrees on next year's budget"


def test_a_standfirst_outside_the_chosen_body_is_put_first() -> None:
    lead = "The council met on Tuesday and agreed on a budget for the coming year."
    page = (
        f"<html><head><meta property='og:description' content='{lead}'></head><body>"
        f"<div class='intro'><p>{lead}</p></div><div class='main'>{PROSE}</div></body></html>"
    )
    assert _text(extract.extract(page, URL)).startswith(lead)


def test_a_standfirst_after_an_image_and_quoted_otherwise_than_its_description_is_put_first() -> (
    None
):
    described = "An official said that 'anyone with determination' could escape from the prison."
    written = "An official said that “anyone with determination” could escape from the prison."
    page = (
        f"<html><head><meta property='og:description' content=\"{described}\"></head><body>"
        f"<div class='body'><div><div><p><img src='logo.jpg'>{written}</p></div></div></div>"
        f"<div class='main'>{PROSE}</div></body></html>"
    )
    assert _text(extract.extract(page, URL)).startswith(written)


def test_a_standfirst_named_as_one_is_put_first_when_the_description_differs() -> None:
    lead = "The council met on Tuesday and agreed on a budget for the coming year."
    page = (
        f"<html><head><meta property='og:description' content='A budget at last.'></head><body>"
        f"<div class='intro'><p>{lead}</p></div><div class='main'>{PROSE}</div></body></html>"
    )
    assert _text(extract.extract(page, URL)).startswith(lead)


def test_a_named_standfirst_wins_over_a_short_description_found_in_the_page() -> None:
    # the description is the site's tagline (or a one-line dek) that a block of the page reads:
    # the block named as the lead under the headline is the standfirst
    lead = "The council met on Tuesday and agreed on a budget for the coming year."
    tagline = "Weekly Harbour News of the Coast"
    page = (
        f"<html><head><meta property='og:description' content='{tagline}'></head>"
        f"<body><p>{tagline}</p><h1>Budget agreed</h1><p class='lead teasertext'>{lead}</p>"
        f"<article><div class='main'>{PROSE}{PROSE}</div></article><footer>About</footer>"
        "</body></html>"
    )
    text = _text(extract.extract(page, URL))
    assert text.startswith(lead) and "Weekly Harbour News" not in text


def test_a_standfirst_in_an_unclosed_block_is_its_own_text() -> None:
    # <h2>...</h3>: the subtitle runs on over the advertisement after it
    lead = "Whether for or against the plan, the harbour master has become a household name."
    page = (
        f"<html><head><meta property='og:description' content='{lead}'></head><body>"
        f"<header><h1>Budget agreed</h1><h2 class='excerpt'> {lead} </h3><div>Advertisement"
        f"</div></header><article><div class='main'>{PROSE}{PROSE}</div></article>"
        f"<footer>About</footer></body></html>"
    )
    text = _text(extract.extract(page, URL))
    assert text.startswith(lead) and "Advertisement" not in text


def test_a_long_paragraph_named_as_the_lead_is_put_first() -> None:
    lead = (
        "The council met on Tuesday and, after a long night of talks, agreed on a budget for next "
        "year."
    )
    page = (
        f"<html><body><div><p class='lead'>{lead}</p></div>"
        f"<div class='main'>{PROSE}</div></body></html>"
    )
    assert _text(extract.extract(page, URL)).startswith(lead)


@pytest.mark.parametrize("headline", ["<h1>Budget agreed</h1>", "<h3>Budget agreed</h3>"])
def test_a_block_named_as_a_description_above_the_headline_is_no_standfirst(headline: str) -> None:
    # an editor's dialog, a menu's blurb: the headline (the first <h1>, or else the heading that
    # is the title) has the standfirst under it
    dialog = "<div class='editor-description'>Change the title, subtitle and visibility here</div>"
    lead = "<p class='lead'>The council met on Tuesday and agreed on a budget at last.</p>"
    page = (
        f"<html><head><title>Budget agreed</title></head><body>{dialog}{headline}{lead}"
        f"<div class='main'>{PROSE}</div></body></html>"
    )
    text = _text(extract.extract(page, URL))
    assert "Change the title" not in text and text.startswith("The council met on Tuesday")


def test_a_short_caption_named_as_a_subtitle_is_no_standfirst() -> None:
    page = (
        f"<html><body><div class='image-subtitle'>The town hall (archive)</div>"
        f"<div class='main'>{PROSE}</div></body></html>"
    )
    assert "town hall" not in _html(extract.extract(page, URL))


_OPENING = (
    "The council met on Tuesday night and, after six hours of talks that ran past midnight, "
    "agreed on a budget for next year that keeps every branch library open and adds new buses."
)


def _hero_page(hero: str) -> str:
    return (
        f"<html><body><section class='hero'><h1>Budget agreed</h1>{hero}</section>"
        f"<section class='body'><div class='main'>{PROSE}</div></section></body></html>"
    )


def test_an_opening_paragraph_between_the_headline_and_the_body_is_put_first() -> None:
    page = _hero_page(f"<div class='hx'><p>{_OPENING}</p></div>")
    assert _text(extract.extract(page, URL)).startswith(_OPENING)


def test_a_one_sentence_subtitle_after_the_headline_is_no_opening() -> None:
    subtitle = "<p>How the council found the money for libraries and buses in a hard year.</p>"
    assert "found the money" not in _text(extract.extract(_hero_page(subtitle), URL))


def _subtitled_page(subtitle: str) -> str:
    """A story whose headline has an <h2> subtitle, a byline line between it and the body."""
    return (
        "<html><head><title>Budget agreed</title></head><body><article><h1>Budget agreed</h1>"
        f"<h2>{subtitle}</h2><ul class='info'><li>By A. Writer</li><li>May 3</li></ul>"
        f"<div class='main'>{PROSE}</div></article></body></html>"
    )


def test_a_standfirst_written_as_the_headlines_subtitle_is_put_first() -> None:
    subtitle = (
        "The council found the money for libraries and buses in a hard year, and its members "
        "warn that next year will be harder"
    )
    assert _text(extract.extract(_subtitled_page(subtitle), URL)).startswith(subtitle)


def test_a_short_dek_under_the_headline_is_no_standfirst() -> None:
    subtitle = "Libraries and buses keep their money"
    assert subtitle not in _text(extract.extract(_subtitled_page(subtitle), URL))


def test_lazy_images_keep_their_real_address() -> None:
    body = (
        PROSE + "<figure><img src='data:image/gif;base64,R0l' data-src='/img/real.jpg' alt='x'>"
        "<figcaption>The caption</figcaption></figure>" + PROSE
    )
    html = pipeline.process(_page(body=body).encode(), URL).content_html
    assert '<img src="https://news.example/img/real.jpg" alt="x">' in html


def test_the_page_paragraphs_replace_a_choice_that_holds_far_less() -> None:
    doc = lxml.html.document_fromstring(f"<html><body><div>{PROSE}</div></body></html>")
    chosen = "<div><p>Only a caption.</p></div>"
    assert "Paragraph 5" in lxml.html.tostring(
        paragraphs.prefer_paragraphs(chosen, doc), encoding="unicode"
    )
    kept = paragraphs.prefer_paragraphs(
        f"<div>{PROSE}</div>", doc
    )  # the choice, parsed into a <div>
    assert lxml.html.tostring(kept, encoding="unicode") == f"<div><div>{PROSE}</div></div>"


def test_the_page_paragraphs_keep_the_headings_and_lists_beside_them() -> None:
    body = (
        f"<h2>The first part</h2>{PROSE}<ul><li>one item</li><li>another</li></ul><h3>The end</h3>"
        f"{PROSE}<table><tr><th>Price</th><td>12 EUR</td></tr></table>"
    )
    doc = lxml.html.document_fromstring(f"<html><body><div>{body}</div></body></html>")
    text = paragraphs.prefer_paragraphs("<div><p>Only a caption.</p></div>", doc).text_content()
    assert all(
        part in text for part in ("The first part", "one item", "The end", "Paragraph 5", "12 EUR")
    )


def test_the_page_paragraphs_keep_a_heading_beside_the_block_holding_them() -> None:
    body = f"<h2>First module</h2><div>{PROSE}</div><h2>Second module</h2><div>{PROSE}</div>"
    doc = lxml.html.document_fromstring(f"<html><body><article>{body}</article></body></html>")
    text = paragraphs.prefer_paragraphs("<div><p>Only a caption.</p></div>", doc).text_content()
    assert "First module" in text and "Second module" in text


# A product page's parts nested one level deeper than an article's: the paragraphs are list
# items in a box, under a bold line and above a spec sheet.
FEATURES = "".join(
    f"<li><p>Feature {n} of the product is described here in enough words.</p></li>"
    for n in range(3)
)
PRODUCT = (
    f"<div class='box'><p><strong>Built to last</strong></p><ul>{FEATURES}</ul>"
    "<dl><dt>Width</dt><dd>30 cm</dd><dt>Max load</dt><dd>13 kg</dd></dl></div>"
)


def test_the_page_paragraphs_keep_a_spec_sheet_and_a_heading_one_level_further_out() -> None:
    doc = lxml.html.document_fromstring(f"<html><body><main>{PRODUCT}</main></body></html>")
    text = paragraphs.prefer_paragraphs("<div><p>Only a caption.</p></div>", doc).text_content()
    assert "Feature 2" in text
    assert "Built to last" in text and "Max load" in text and "13 kg" in text


def test_lists_and_headings_over_no_prose_one_level_further_out_stay_out() -> None:
    links = "<ul><li><a href='/a'>Shop all</a></li><li><a href='/b'>Gift cards</a></li></ul>"
    form = "<h2>Get in touch</h2><form><input name='email'></form>"
    person = "<div><b>Ann Lee</b>, senior project manager, Oslo</div>"  # a paragraph, but short
    card = f"<h3>Ask our expert</h3><div><div>{person}</div></div>"
    story = "Another story, told at length in a paragraph of its own, and then at more length."
    related = f"<h3>Related articles</h3><div><div><div>{story}</div></div></div>"
    layout = "<table><tr><td><h4>Elsewhere</h4><a href='/x'>A story</a></td></tr></table>"
    product = PRODUCT.replace("<dl>", f"{links}{form}{card}{related}{layout}<dl>")
    doc = lxml.html.document_fromstring(f"<html><body><main>{product}</main></body></html>")
    text = paragraphs.prefer_paragraphs("<div><p>Only a caption.</p></div>", doc).text_content()
    assert "Max load" in text
    assert "Shop all" not in text and "Get in touch" not in text and "Ask our" not in text
    assert "Another story" in text and "Related articles" not in text
    assert "Elsewhere" not in text


def test_the_page_paragraphs_keep_an_accordion_question_wrapped_beside_its_answer() -> None:
    answer = "It depends on the size of the home, the distance and the season you move in, mostly."
    item = (
        "<div class='faq-title'><div class='toggle'><div class='title'><h3>{q}</h3>"
        "<div class='icon'></div></div></div></div><div class='panel'><div><p>{a}</p></div></div>"
    )
    faq = "".join(
        item.format(q=f"Question {n} about moving?", a=f"{n}: {answer}") for n in (0, 1, 2)
    )
    related = item.format(q="Related articles", a=answer.replace("It", "Another story"))
    doc = lxml.html.document_fromstring(
        f"<html><body><article><div>{PROSE}</div><div>{faq}{related}</div></article></body></html>"
    )
    text = paragraphs.prefer_paragraphs("<div><p>Only a caption.</p></div>", doc).text_content()
    assert "Question 2 about moving?" in text
    assert text.index("Question 0 about moving?") < text.index("It depends on the size")
    assert "Related articles" not in text


SIDEBAR = (
    "<aside class='widget-area'><div class='textwidget'>Our magazine was a journal for amateur"
    " astronomers, published six times a year until its last issue in the spring.</div>"
    "<div class='textwidget'>The beginners' guide explains how to choose a first telescope and"
    " where to find the brightest star clusters.</div></aside>"
    "<footer><p>The publisher's address, its register number and the editors' names, long.</p>"
    "</footer>"
)


def test_the_page_paragraphs_leave_the_sidebar_and_footer_out() -> None:
    doc = lxml.html.document_fromstring(
        f"<html><body><article>{PROSE}</article>{SIDEBAR}</body></html>"
    )
    text = paragraphs.prefer_paragraphs("<div><p>Only a caption.</p></div>", doc).text_content()
    assert "Paragraph 5" in text
    assert "amateur" not in text and "telescope" not in text and "publisher" not in text


def test_the_page_paragraphs_leave_a_popover_out() -> None:
    popover = (
        "<i-card popover id='install'><p>To install this app, tap the Share icon and then"
        " choose Add to Home Screen from the menu.</p></i-card>"
    )
    doc = lxml.html.document_fromstring(
        f"<html><body><article>{PROSE}</article>{popover}</body></html>"
    )
    text = paragraphs.prefer_paragraphs("<div><p>Only a caption.</p></div>", doc).text_content()
    assert "Paragraph 5" in text and "Home Screen" not in text


def test_a_choice_of_the_sidebar_gives_way_to_the_articles_paragraphs() -> None:
    doc = lxml.html.document_fromstring(
        f"<html><body><article>{PROSE}</article>{SIDEBAR}</body></html>"
    )
    chosen = lxml.html.tostring(doc.find(".//aside"), encoding="unicode")
    text = paragraphs.prefer_paragraphs(chosen, doc).text_content()
    assert "Paragraph 5" in text and "telescope" not in text


def test_the_page_paragraphs_leave_a_shorter_comment_section_out() -> None:
    comments = (
        "<div id='article_comments'><ol><li>We welcome reader comments on the stories of the"
        " day, moderated before they appear.</li><li>Please keep comments civil and do not"
        " write in block capitals.</li></ol></div>"
    )
    doc = lxml.html.document_fromstring(
        f"<html><body><article>{PROSE}{comments}</article></body></html>"
    )
    text = paragraphs.prefer_paragraphs("<div><p>Only a caption.</p></div>", doc).text_content()
    assert "Paragraph 5" in text and "welcome" not in text and "civil" not in text


def test_every_paragraph_of_a_comment_section_is_left_out_whatever_its_depth() -> None:
    """The section's paragraphs share their ancestors with each other and with the article's."""
    reply = "<p>A reply that agrees with the article at some length, and adds a point.</p>"
    comments = (
        f"<section class='comments'><div>{reply}<div class='thread'>{reply}{reply}</div></div>"
        f"<p>Another reply, written by a second reader, who disagrees with it.</p></section>"
    )
    doc = lxml.html.document_fromstring(
        f"<html><body><main><article>{PROSE}</article>{comments}"
        f"<p>The article's closing note, after its comments, is the article's own.</p>"
        f"</main></body></html>"
    )
    text = paragraphs.prefer_paragraphs("<div><p>Only a caption.</p></div>", doc).text_content()
    assert "Paragraph 5" in text and "closing note" in text
    assert "reply" not in text.lower() and "second reader" not in text


def test_a_thread_of_posts_named_comment_is_still_taken() -> None:
    posts = "".join(f"<div class='comment'>{PROSE}</div>" for _ in range(2))
    doc = lxml.html.document_fromstring(
        f"<html><body><div><p>The question of the thread, asked at some length here.</p>"
        f"{posts}</div></body></html>"
    )
    text = paragraphs.prefer_paragraphs("<div><p>Only a caption.</p></div>", doc).text_content()
    assert "Paragraph 5" in text


def test_the_page_paragraphs_leave_the_teasers_of_other_stories_out() -> None:
    teasers = "".join(
        f"<article class='node teaser'><p>Teaser {n}: another story of the magazine, told in"
        f" one line.</p></article>"
        for n in range(2)
    )
    doc = lxml.html.document_fromstring(
        f"<html><body><article class='node'>{PROSE}</article>{teasers}</body></html>"
    )
    text = paragraphs.prefer_paragraphs("<div><p>Only a caption.</p></div>", doc).text_content()
    assert "Paragraph 5" in text and "Teaser" not in text


def test_a_page_of_articles_alike_in_size_keeps_them_all() -> None:
    posts = "".join(f"<article>{PROSE.replace('story', f'post {n}')}</article>" for n in range(3))
    doc = lxml.html.document_fromstring(f"<html><body>{posts}</body></html>")
    text = paragraphs.prefer_paragraphs("<div><p>Only a caption.</p></div>", doc).text_content()
    assert all(f"post {n}" in text for n in range(3))


def _cards(count: int) -> str:
    """A run of teaser cards of plain <div>s: a linked title, a thumbnail and a short blurb."""
    return "".join(
        f"<div class='views-row views-row-{n}'><h4><a href='/other-{n}'>Other story {n}</a></h4>"
        f"<a href='/other-{n}'><img src='/t{n}.jpg'></a><div class='body'><p>Blurb {n} of another"
        f" story of the site, in two lines of a sidebar and [&hellip;]</p></div></div>"
        for n in range(count)
    )


def test_the_page_paragraphs_leave_a_grid_of_teaser_cards_out() -> None:
    doc = lxml.html.document_fromstring(
        f"<html><body><div id='content'>{PROSE}</div><div>{_cards(4)}</div></body></html>"
    )
    text = paragraphs.prefer_paragraphs("<div><p>Only a caption.</p></div>", doc).text_content()
    assert "Paragraph 5" in text and "Blurb" not in text


def test_teaser_cards_readability_took_after_a_short_post_go() -> None:
    post = "<p>" + "The post itself, a few lines on a cartoon worth seeing. " * 5 + "</p>"
    doc = lxml.html.document_fromstring(
        f"<html><body><div id='story'>{post}<div>{_cards(5)}</div></div></body></html>"
    )
    # readability keeps the blurbs and drops the other stories' headlines, all link
    chosen = re.sub("<h4>.*?</h4>", "", f"<div id='story'>{post}<div>{_cards(5)}</div></div>")
    text = paragraphs.prefer_paragraphs(chosen, doc).text_content()
    assert "The post itself" in text and "Blurb" not in text


def test_a_listing_of_teaser_cards_keeps_them() -> None:
    doc = lxml.html.document_fromstring(f"<html><body><div>{_cards(8)}</div></body></html>")
    chosen = lxml.html.tostring(doc.find(".//div"), encoding="unicode")
    text = paragraphs.prefer_paragraphs(chosen, doc).text_content()
    assert all(f"Blurb {n}" in text for n in range(8))


def test_the_page_paragraphs_copy_a_paragraph_once() -> None:
    inner = "<p>The paragraph libxml2 leaves inside an inline span carries on for a while.</p>"
    doc = lxml.html.document_fromstring(
        f"<html><body><div>Some text of the block itself, long enough."
        f"<span>{inner}</span></div></body></html>"
    )
    text = paragraphs.prefer_paragraphs("", doc).text_content()
    assert text.count("The paragraph libxml2 leaves") == 1


def test_text_after_a_comment_counts_as_the_blocks_prose() -> None:
    teaser = (
        "The teaser of a paywalled story, written between reading-aid comments, goes on a while."
    )
    doc = lxml.html.document_fromstring(
        f"<html><body><div><!-- speak -->{teaser}<!-- stop --></div></body></html>"
    )
    found = paragraphs.prefer_paragraphs("<div><p>Only a caption.</p></div>", doc)
    assert teaser in found.text_content()


def test_a_quoted_post_the_article_cites_is_kept() -> None:
    quote = (
        "<blockquote class='twitter-tweet'>"
        "<p>The minister wrote that the plan was ready.</p></blockquote>"
    )
    assert "the plan was ready" in _html(extract.extract(_page(body=PROSE + quote + PROSE), URL))


def test_a_list_in_the_article_that_links_a_few_words_is_kept() -> None:
    items = "".join(
        f"<li>The dog beach at <a href='/p{n}'>Stein number {n}</a> on the coast</li>"
        for n in range(4)
    )
    assert "Stein number 3" in _html(
        extract.extract(_page(body=PROSE + f"<ul>{items}</ul>" + PROSE), URL)
    )


def test_a_subheading_between_the_parts_readability_takes_is_kept() -> None:
    part = f"<div class='text-block'>{PROSE}</div>"
    body = f"{part}<div class='headline'><h3>The second part begins</h3></div>{part}"
    assert "The second part begins" in _html(extract.extract(_page(body=f"<div>{body}</div>"), URL))


def test_a_linked_heading_over_a_paragraph_of_prose_is_kept_but_a_cards_is_not() -> None:
    item = (
        "<h3><a href='https://course.example/basics'>Six Parts Design Basics</a></h3>"
        "<p>This beginner-friendly course teaches the basics of design without draining your "
        "wallet, and I recommend you start with this one. It was made by teachers who know the "
        "craft, it covers a broad range of skills, and it stays free for anyone who wants to learn "
        "it, which is rare among the courses in this list.</p>"
    )
    card = "<h3><a href='/other-story'>Another story of the site</a></h3><p>Its first line.</p>"
    html = _html(extract.extract(_page(body=PROSE + item + PROSE + card), URL))
    assert "Six Parts Design Basics" in html and "Another story of the site" not in html


def test_a_data_table_is_kept_whatever_its_wrappers_class_says() -> None:
    rows = "".join(
        f"<tr><td>Ingredient {n}</td><td>{n * 80}g per person</td><td>{n * 160}g for two</td></tr>"
        for n in range(1, 8)
    )
    table = f"<div class='scrollable-table'><div class='scrollable-table'><table>{rows}</table>"
    html = _html(
        extract.extract(_page(body=PROSE + "<h2>Shopping list</h2>" + table + "</div></div>"), URL)
    )
    assert "Ingredient 7" in html and "560g per person" in html


def test_a_paragraph_that_links_a_fifth_of_its_words_is_kept_in_its_wrapper() -> None:
    linked = (
        "<div><p>This fad spread throughout <a href='https://video.example/1'>the video apps</a>, "
        "where creators shared their setups. Some designers even got "
        "<a href='https://post.example/2'>rich</a> <a href='https://shop.example/3'>selling "
        "icon packs</a>.</p></div>"
    )
    wrapped = PROSE.replace("<p>", "<div><p>").replace("</p>", "</p></div>")
    body = f"<div>{wrapped}{linked}{wrapped}</div>"
    assert "This fad spread throughout" in _html(extract.extract(_page(body=body), URL))


def test_the_article_and_title_are_in_composed_unicode() -> None:
    decomposed = "gepru\u0308ft"  # u and a combining diaeresis
    found = extract.extract(
        _page(f"<title>{decomposed}</title>", PROSE + f"<p>{decomposed} and more.</p>"), URL
    )
    assert "geprüft and more" in _html(found) and found.title == "geprüft"


def test_control_characters_and_xml_declarations_are_parsed() -> None:
    page = "<?xml version='1.0' encoding='utf-8'?>\n" + _page(
        body=PROSE.replace("story", "st\x00ory\x0b")
    )
    assert "Paragraph 1 of the story" in _html(extract.extract(page, URL))


def test_an_empty_page_gives_an_empty_body() -> None:
    assert _text(extract.extract("", URL)) == ""


def test_metadata_urls_that_are_not_urls_are_left_out() -> None:
    head = (
        "<link rel='canonical' href='http://[x/'>"
        "<meta property='og:image' content='https://[::1/lead.png'>"
    )
    found = extract.extract(_page(head), URL)
    assert (found.canonical_url, found.lead_image) == (None, None)


def _shop(specs: str) -> tuple[lxml.html.HtmlElement, lxml.html.HtmlElement]:
    """A page whose <main> holds a description and a specs block, and the description alone."""
    story = "<p>" + "The chair folds flat and opens into a deep seat. " * 12 + "</p>"
    doc = lxml.html.document_fromstring(
        f"<html><body><nav><a href='/'>Home</a></nav><main><section>{story}</section>"
        f"<section>{specs}</section></main></body></html>"
    )
    chosen = lxml.html.fragment_fromstring(f"<div>{story}</div>")
    return chosen, doc


def test_a_short_choice_gives_way_to_the_main_landmark_holding_it_many_times_over() -> None:
    specs = "<dl>" + "<dt>Frame</dt><dd>Oiled ash wood with brass pins</dd>" * 30 + "</dl>"
    chosen, doc = _shop(specs)
    text = extract._whole_landmark(chosen, doc, extract.LANDMARKS(doc)).text_content()
    assert "Oiled ash wood" in text and "folds flat" in text and "Home" not in text


def test_a_main_landmark_of_links_leaves_the_choice_alone() -> None:
    specs = "<ul>" + "<li><a href='/x'>Another chair in the shop</a></li>" * 30 + "</ul>"
    chosen, doc = _shop(specs)
    assert extract._whole_landmark(chosen, doc, extract.LANDMARKS(doc)) is chosen


def test_a_choice_of_feature_cards_gives_way_to_its_landing_pages_main() -> None:
    # a landing page: the pitch and a notice beside a row of cards readability took (half of it)
    card = "<li class='tool'><h2>{}</h2><p>Inspect and change any page as you read it.</p></li>"
    cards = "<ul>" + "".join(card.format(f"Tool {n}") for n in range(6)) + "</ul>"
    pitch = "<p>" + "Every tool a web developer needs, in the browser. " * 4 + "</p>"
    doc = lxml.html.document_fromstring(
        f"<html><body><main><section>{pitch}</section><section>{cards}</section></main></body></html>"
    )
    chosen = lxml.html.fragment_fromstring(f"<div>{cards}</div>")
    text = extract._whole_landmark(chosen, doc, extract.LANDMARKS(doc)).text_content()
    assert "Every tool a web developer needs" in text and "Tool 5" in text


def _blocks_page(cards: str) -> str:
    """A service page of a site builder's blocks, without <main>: a pitch, cards, steps and a
    long FAQ (readability-lxml's choice), each block in wrappers of wrappers (readability scores
    a paragraph's parent and grandparent only: no block's score reaches the others)."""
    pitch = "<p>We place accountants and analysts with firms of every size, often in two days.</p>"
    steps = "".join(
        f"<div class='row'><h3>Step {n}</h3><p>We meet, shortlist and introduce people.</p></div>"
        for n in range(1, 4)
    )
    answer = "Our recruiters answer what clients ask about contracts, fees, notice and terms, "
    faq = f"<div class='row'><h2>Questions</h2>{f'<p>{answer * 3}</p>' * 4}</div>"
    blocks = "".join(
        f"<div class='block'><div class='container'>{block}</div></div>"
        for block in (f"<div class='row'>{pitch}</div>", cards, steps, faq)
    )
    return (
        "<html><head><title>Staffing</title></head><body>"
        "<header><nav><a href='/'>Home</a><a href='/jobs'>Jobs</a></nav></header>"
        f"<div class='root'><div class='grid'>{blocks}</div></div>"
        "<footer><p>Copyright and the terms of the site.</p></footer></body></html>"
    )


def test_a_page_of_blocks_without_a_landmark_is_read_whole() -> None:
    card = (
        "<div class='row'><h3>{}</h3><p>Specialists who keep pay on time and accurate, "
        "with tax and benefits handled by people who know them.</p></div>"
    )
    cards = "".join(card.format(name) for name in ("Payroll", "Audit", "Billing", "Tax") * 3)
    text = _text(extract.extract(_blocks_page(cards), URL))
    assert "keep pay on time" in text and "two days" in text and "Step 2" in text
    assert "Our recruiters answer" in text and "Copyright" not in text


def test_a_post_opening_its_page_of_blocks_keeps_the_choice() -> None:
    # what follows the text an article opens with is not its own (a carousel of testimonials)
    advice = "Water the seedlings only once the compost feels dry, then slowly, at the base, "
    post = f"<div class='block'><div class='text'>{f'<p>{advice * 4}</p>' * 4}</div></div>"
    quote = (
        "<div class='slide'><div><p>The seed kit came in two days and all came up.</p></div></div>"
    )
    page = (
        "<html><head><title>Seedlings</title></head><body><div class='page'>"
        f"{post}<div class='block'><div class='carousel'>{quote * 30}</div></div>"
        "</div></body></html>"
    )
    text = _text(extract.extract(page, URL))
    assert "Water the seedlings" in text and "seed kit" not in text


def test_a_page_of_blocks_whose_rest_is_links_keeps_the_choice() -> None:
    links = "<ul>" + "<li><a href='/x'>Another service of ours, read more</a></li>" * 60 + "</ul>"
    text = _text(extract.extract(_blocks_page(f"<div class='row'>{links}</div>"), URL))
    assert "Our recruiters answer" in text and "Another service" not in text


def test_a_first_paragraph_opening_with_a_drop_cap_stays_beside_the_story() -> None:
    # readability-lxml judged a sibling paragraph by its text before its first child: a drop cap
    # (or a bold dateline, a link) left it judged empty and the article lost its first paragraph
    intro = (
        "<p><span class='capital'>T</span>he harbour board met on Monday night and agreed, "
        "after three hours of argument, to rebuild the northern pier before the storms.</p>"
    )
    ad = "<div class='pub-container'></div>"
    gallery = "".join(
        f"<h2>Slide {n}</h2><div><p>Slide {n} says a good deal about the pier, the boats "
        f"and the people of the town, in sentences long enough to score.</p></div>"
        for n in range(12)
    )
    story = f"<div class='story'><p></p>{intro}{ad}<div>{gallery}</div></div>"
    page = f"<html><body>{story}</body></html>"
    found = extract.extract(page, URL)
    text = _text(found)
    assert "he harbour board met on Monday night" in text
    assert text.index("harbour board") < text.index("Slide 0 says")


def _scoring_paragraphs(kind: str) -> str:
    """Twelve paragraphs that readability scores as an article's body."""
    return "".join(
        f"<p>Paragraph {n} of the {kind} carries on, in sentences long enough, with commas, "
        f"and more words, to score well as the body of the article.</p>"
        for n in range(12)
    )


def test_a_first_paragraph_wrapped_alone_in_a_div_stays_beside_the_story() -> None:
    # a news site sets its first paragraph apart, alone in a <div> named for the lead photo's
    # slot ("media"): readability-lxml judged the <div> by its score, not as the paragraph it is
    intro = (
        "<div class='el__leafmedia el__leafmedia--sourced-paragraph'><p>(Wire) Winning the "
        "vote did not change the mayor, and it is increasingly clear that running the city "
        "will not change him either.</p></div>"
    )
    paragraphs = _scoring_paragraphs("story")
    body = f"<div class='zn-body__read-all'>{paragraphs}</div>"
    story = f"<div class='l-container'>{intro}{body}</div>"
    text = _text(extract.extract(f"<html><body>{story}</body></html>", URL))
    assert "Winning the vote did not change the mayor" in text
    assert text.index("Winning the vote") < text.index("Paragraph 0 of the story")


def test_an_opening_summary_under_its_own_heading_stays_beside_the_story() -> None:
    # a "quick insight" before the review: a <div> of a heading and one paragraph of prose
    summary = (
        "<div id='insight'><h3>How we squeeze meaning, made simple</h3><p>Imagine a photo and "
        "you only want the parts that tell you who is in it: this method keeps those parts, "
        "and tosses the rest away.</p></div>"
    )
    paragraphs = _scoring_paragraphs("review")
    story = f"<article>{summary}<h2>Review</h2><div class='review'>{paragraphs}</div></article>"
    text = _text(extract.extract(f"<html><body>{story}</body></html>", URL))
    assert "Imagine a photo and you only want" in text


def test_an_opening_block_beside_a_wrapper_of_the_story_stays() -> None:
    # a CMS puts each part of the article in a content element of its own: the opening one holds
    # the headline and a short paragraph, the next one a photo beside the body; the opening sits
    # beside a wrapper of the best block, not beside the best block itself
    intro = (
        "<p>One of the biggest problems of our cities is the air we breathe. But where does "
        "the thick air come from?</p>"
    )
    opening = f"<article><h1>Thick air</h1><div>{intro}</div></article>"
    picture = "<div class='ce-image'><img src='a.jpg'>Traffic, photo agency</div>"
    text = f"<div class='ce-text'>{_scoring_paragraphs('story')}</div>"
    story = f"<article><div class='ce-textpic'>{picture}{text}</div></article>"
    column = (
        f"<div class='ce-default'>{opening}</div><div class='anchor'></div>"
        f"<div class='ce-default'>{story}</div>"
    )
    page = f"<html><body><div class='col'>{column}</div></body></html>"
    text = _text(extract.extract(page, URL))
    assert "One of the biggest problems" in text
    assert text.index("One of the biggest") < text.index("Paragraph 0 of the story")


def test_the_items_of_a_list_before_its_best_item_stay() -> None:
    # a numbered listicle, each item a block of one kind (its class names shared but for the
    # item's type): readability-lxml took its best item and those after it that scored well
    kinds = ["video", "image", "image", "image", "image", "text"]
    long = "with more words, " * 20 + "and an end."  # the last item scores best
    items = "".join(
        f"<div class='list_item list-item list_item_{kind} list_item_wide'><h2>{n}. Item {n} "
        f"opens with its own sentence, long enough to be read as the list's prose.</h2>"
        f"<p>Item {n} goes on {'for a while and then it ends.' if n < 6 else long}</p></div>"
        for n, kind in enumerate(kinds, 1)
    )
    page = f"<html><body><div class='intro'></div><div id='list'>{items}</div></body></html>"
    text = _text(extract.extract(page, URL))
    assert "1. Item 1 opens" in text and "6. Item 6 opens" in text


def test_a_sibling_paragraph_of_links_is_still_left_out() -> None:
    links = "".join(f"<a href='/s{n}'>Another story number {n} to read</a> " for n in range(5))
    page = f"<html><body><div><p><b>More:</b> {links}</p><div>{PROSE}</div></div></body></html>"
    assert "Another story" not in _text(extract.extract(page, URL))


def _listing(card: str) -> str:
    """A blog's front page: rows of three cards (readability scores each card's excerpt for the
    card and its column, so it chooses the card with the longest), each ``card`` formatted with
    its number and excerpt."""
    blurb = "A short look at how the team ships its app, what broke, and what we changed since."
    longest = (
        "The longest teaser on the page, which says more: how the team ships, tests, reviews, "
        "and rolls back, with numbers."
    )
    cards = [card.format(n=n, blurb=longest if n == 4 else blurb) for n in range(1, 10)]
    rows = "".join(f"<div class='row'>{''.join(cards[i : i + 3])}</div>" for i in range(0, 9, 3))
    return (
        "<html><head><title>Engineering blog</title></head><body>"
        "<header><nav><a href='/'>Home</a></nav></header>"
        f"<div class='page'><h1>Engineering blog</h1><div class='posts'>{rows}</div></div>"
        "<footer><p>Copyright and the terms of the site.</p></footer></body></html>"
    )


def test_a_listing_whose_card_readability_chose_is_read_whole() -> None:
    # readability-lxml took the card with the longest excerpt; the page's paragraphs (its
    # excerpts) held under 1.5 times that card, so two cards were all the article held
    card = (
        "<div class='col col-{n}'><div class='card'><h3><a href='/posts/{n}'>Title of post "
        "number {n} on the blog</a></h3><p class='excerpt'>{blurb}</p>"
        "<span class='date'>May {n}, 2026</span></div></div>"
    )
    text = _text(extract.extract(_listing(card), URL))
    for n in range(1, 10):
        assert f"Title of post number {n} on the blog" in text and f"May {n}, 2026" in text
    assert text.count("A short look") == 8 and "Copyright" not in text


def _shell(ld: dict, shown: str) -> str:
    """A page whose markup shows ``shown`` and whose JSON-LD is ``ld``."""
    data = json.dumps(ld).replace("</", "<\\/")  # as pages write it: no "</script>" inside
    script = f"<script type='application/ld+json'>{data}</script>"
    return f"<html><head>{script}</head><body><article><p>{shown}</p></article></body></html>"


def test_a_shell_its_scripts_fill_gives_the_article_its_structured_data_holds() -> None:
    # the markup holds a photo's caption; the story is the JSON-LD's articleBody, filled in by
    # the page's scripts
    story = "The council voted on Monday to rebuild the pier, after a long night. " * 30
    ld = {"@type": "NewsArticle", "headline": "Pier", "articleBody": story}
    found = extract.extract(_shell(ld, "The old pier at dawn. Photo: Agency"), URL)
    assert "The council voted on Monday" in _text(found)


def test_a_how_to_shell_gives_its_steps() -> None:
    steps = [
        {
            "@type": "HowToStep",
            "name": f"Step {n}: cut the cloth",
            "itemListElement": {
                "@type": "HowToDirection",
                "text": f"<p>Step {n} tells you to measure the table twice, then cut once. "
                + "Take your time with it. " * 8
                + "</p>",
            },
        }
        for n in range(1, 8)
    ]
    ld = {"@type": "HowTo", "name": "Tablecloth", "description": "A round cloth.", "step": steps}
    text = _text(extract.extract(_shell(ld, "Your browser is out of date."), URL))
    assert "Step 1: cut the cloth" in text and "Step 7 tells you to measure" in text
    assert "browser is out of date" not in text


def test_a_teaser_whose_structured_data_holds_a_few_times_more_stays() -> None:
    # a paywalled story shows its opening; the JSON-LD's whole body is a few times longer
    shown = "The council voted on Monday to rebuild the pier, after a long night. " * 10
    ld = {"@type": "NewsArticle", "headline": "Pier", "articleBody": shown * 3}
    text = _text(extract.extract(_shell(ld, shown), URL))
    assert len(text) < 2 * len(shown)


def test_a_recipes_ingredients_linked_line_by_line_join_its_article() -> None:
    # the ingredients are a table of short lines, each linking to the shop: readability-lxml
    # judged it a list of links; the page's JSON-LD names them, so its block is the recipe's
    ingredients = [("500 ml", "milk"), ("200 g", "sugar"), ("3 cups", "cream"), ("2 tins", "figs")]
    ld = {"@type": "Recipe", "recipeIngredient": [f"{a} {thing}" for a, thing in ingredients]}
    rows = "".join(
        f"<tr><td>{amount}</td><td><a href='/shop/{thing}'>{thing}</a></td></tr>"
        for amount, thing in ingredients
    )
    steps = _scoring_paragraphs("recipe")
    page = (
        f"<html><head><script type='application/ld+json'>{json.dumps(ld)}</script></head><body>"
        f"<div class='ingredients'><h2>Ingredients</h2><table>{rows}</table></div>"
        f"<div class='steps'>{steps}</div></body></html>"
    )
    text = pipeline.process(page.encode(), URL).text
    assert "2 tins" in text and "figs" in text and "Paragraph 0 of the recipe" in text


def test_a_structured_body_written_as_html_is_sanitised_as_any_article() -> None:
    story = "<p>The council voted on Monday to rebuild the pier, after a long night.</p>" * 30
    hostile = "<script>alert(1)</script><img src='x' onerror='alert(1)'>"
    ld = {"@type": "NewsArticle", "headline": "Pier", "articleBody": story + hostile}
    html = pipeline.process(_shell(ld, "The pier. Photo: Agency").encode(), URL).content_html
    assert "The council voted on Monday" in html
    assert "<script" not in html and "onerror" not in html


def test_a_listing_read_whole_keeps_its_linked_titles() -> None:
    # the grid taken for the card readability chose: each title a short block of one link, which
    # the article pass drops as a promo in an article, and which is the listing's own text here
    card = (
        "<div class='col col-{n}'><div class='card'><div class='title'><a href='/posts/{n}'>"
        "Title of post number {n} on the blog</a></div><p class='excerpt'>{blurb}</p></div></div>"
    )
    text = pipeline.process(_listing(card).encode(), URL).text
    assert all(f"Title of post number {n} on the blog" in text for n in range(1, 10))
