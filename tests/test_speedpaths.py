"""Speed shortcuts in parsing, metadata and extraction give what the slower way gave: the page
parsed from UTF-8 bytes (its text's, or those it was read from), the elements walked beside the
headline, elements found by their attributes (landmarks, hidden panels, a shop's microdata,
JSON-LD and og:type), the layout space cut in one walk, an element's text taken by libxml2's
serialiser, readability's block holders found from the blocks up, a byline element's names
judged by a substring first, the page's texts outside scripts found without testing each one's
ancestors, a promo rule's answer remembered per text, the body's
first texts and the texts around an element walked to, author links found by their rel, the
metadata's tags found in one walk, the lead's blocks compared by their first letter and walked to
after the headline, fragments and readability's article holder made by our parser, an article's
text for its NFC check made in C, the Markdown converter's styles given as its values, an
element inside one dropped before not dropped again, a text's words counted from its pieces between
spaces, a quote's words read once, the page's runs of repeated chrome blocks skipped by their
prose, a thread's runs of posts read parent by parent and their dates counted until decided."""

from __future__ import annotations

import dataclasses
import itertools
import re
import sys
import weakref

import html_to_markdown
import lxml.html
import pytest
import readability.readability
from hypothesis import example, given
from hypothesis import strategies as st
from lxml import etree

from proxy import htmltree
from proxy.content import (
    charset,
    clean,
    echoes,
    extract,
    hidden,
    implied,
    lead,
    markdown_body,
    maths,
    metadata,
    readable,
    rules,
    sanitise,
    shop,
    structured,
    teasers,
    text,
    threads,
)
from proxy.content.caseless import Caseless
from proxy.content.meta import byline, dateline, jsonld, lang, microdata, walks

PAGE = (
    "<html><head><title>T</title></head><body><header><nav><a href='/'>Home</a></nav>"
    "<p class='kicker'><time datetime='2025-01-02'>2 Jan</time></p></header>"
    "<main><article><div><span itemprop='datePublished' content='2025-01-03'>3 Jan</span>"
    "<h1>The headline – “quoted”</h1><p>By <a href='/a'>A. Writer</a> · "
    "<time datetime='2025-01-04T10:00'>4 Jan</time></p>"
    + "".join(f"<p>Paragraph {i} <b>bold</b> <i>it</i></p>" for i in range(30))
    + "<time datetime='2025-02-01'>far below</time></div></article></main>"
    "<div role='main' hidden><p aria-controls='x y'>tab</p><div id='x' style='display:none'>"
    "panel</div></div></body></html>"
)
# XPath's own answers, the reference for the walks and the faster expressions.
NEAR_TITLE = "preceding::*[position() <= 20] | following::*[position() <= 45]"


def test_a_page_parsed_from_utf8_is_the_page_parsed_from_its_text() -> None:
    source, parser = htmltree._encoded(PAGE)
    assert isinstance(source, bytes) and parser is htmltree.UTF8_PARSER
    old = lxml.html.document_fromstring(PAGE, parser=htmltree.PARSER)
    assert lxml.html.tostring(htmltree.document(PAGE)) == lxml.html.tostring(old)
    assert htmltree.fragment("<p>“x”</p>")[0].text == "“x”"


# Pages read from UTF-8 whose text extract.parse changes, or not, before parsing: white space at
# the ends (ASCII or not), control characters, an XML declaration, characters and references
# libxml2 must not see.
READ_PAGES = [
    PAGE,
    f"\n  {PAGE}\n\n",
    f"\u3000{PAGE}",
    f"{PAGE}\xa0\n",
    f"\t{PAGE[:40]}\x01{PAGE[40:]} ",
    f"<?xml version='1.0'?>\n{PAGE}",
    f"{PAGE[:60]}\ufffe{PAGE[60:]}",
    f"{PAGE[:60]}&#1;&#x1f;{PAGE[60:]}",
    "",
    " \n ",
    "“”",
]


@pytest.mark.parametrize("page", READ_PAGES)
def test_a_page_read_from_utf8_is_parsed_from_its_bytes_as_from_its_text(page: str) -> None:
    read = charset.decode(page.encode())
    assert read == page and (isinstance(read, charset.Decoded) or page.isascii())
    if isinstance(read, charset.Decoded):
        assert read.utf8 == page.encode()
    assert lxml.html.tostring(extract.parse(read)) == lxml.html.tostring(extract.parse(str(page)))


def test_only_a_page_as_read_from_utf8_keeps_its_bytes() -> None:
    assert not isinstance(
        charset.decode(PAGE.encode("cp1252"), "text/html; charset=cp1252"), charset.Decoded
    )
    assert extract._stripped_utf8(" “x” ", "“x”", " “x” ".encode()) == "“x”".encode()
    assert extract._stripped_utf8("\xa0“x”", "“x”", "\xa0“x”".encode()) is None
    assert extract._stripped_utf8("“x”", "“x”", None) is None


@pytest.mark.parametrize(
    "html",
    [
        PAGE,
        "<div>a<!-- c -->b<?pi x?>c<script>d</script>e<p>f<b>g</b>h</p>i</div>",
        "<div><p>Cafe\u0301</p><p>\u09a8\u09bc</p></div>",
        "<div>only text</div>",
        "<div></div>",
    ],
)
def test_an_article_text_in_c_is_its_texts_joined(html: str) -> None:
    root = htmltree.fragment(html)
    article = root[0] if len(root) else root
    article.tail = "tail, not the article's"
    assert article.text_content() == "".join(article.itertext())


def test_a_lone_surrogate_is_parsed_from_the_text() -> None:
    assert htmltree._encoded("<p>\ud800</p>")[1] is htmltree.PARSER
    htmltree.fragment("<p>a\ud800b</p>")  # parses as before


@pytest.mark.parametrize("at", [0, 1, 5])
def test_the_elements_beside_the_headline_are_the_xpath_axes(at: int) -> None:
    page = htmltree.document(PAGE.replace("<h1>", "<b></b>" * at + "<h1>"))
    headline = dateline.first_headline(page)
    assert headline is page.xpath("(//h1)[1]")[0]
    assert dateline._elements_near(headline) == headline.xpath(NEAR_TITLE)
    dated = [el.get("datetime") or el.get("content") for el in dateline._elements_near(headline)]
    assert "2025-01-04T10:00" in dated and "2025-02-01" not in dated


def test_elements_found_by_their_attributes_are_those_found_by_testing_each() -> None:
    page = htmltree.document(PAGE)
    assert hidden._HIDDEN(page) == page.xpath("//*[@hidden or @style]")
    assert hidden._CONTROLS(page) == page.xpath("//*[@aria-controls]/@aria-controls")
    landmarks = page.xpath("//main | //*[@role='main']")
    assert extract.LANDMARKS(page) == landmarks == shop._LANDMARKS(page)
    assert len(landmarks) == 2 and isinstance(extract.LANDMARKS, etree.XPath)


PRODUCT = (
    "<html><head><meta property='og:title' content='x'><meta property='og:type' content='A'>"
    "<meta property='og:type' content='B'><script type='text/plain'>Product</script>"
    "<script type='application/ld+json'>{}</script></head><body><div itemscope>"
    "<div itemtype='https://schema.org/Offer'></div>"
    "<p itemscope itemtype='https://schema.org/Product'>"
    "<span itemscope itemtype='https://schema.org/Brand'></span></p></div>"
    "<script type='application/ld+json'>{'@type': 'Product'}</script></body></html>"
)


def test_a_shops_marks_found_by_their_attributes_are_those_found_by_testing_each() -> None:
    page = htmltree.document(PRODUCT)
    items = page.xpath("//*[@itemscope][@itemtype]")
    assert shop._ITEMS(page) == items and len(items) == 2
    ld = "boolean(//script[@type='application/ld+json'][contains(., 'Product')])"
    assert shop._LD_NAMES_PRODUCT(page) is page.xpath(ld) is True
    assert shop._OG_TYPE(page) == page.xpath("string(//meta[@property='og:type']/@content)") == "A"
    page.find(".//body/script").drop_tree()
    assert shop._LD_NAMES_PRODUCT(page) is page.xpath(ld) is False


def test_authors_and_datetimes_found_by_their_attributes_are_those_of_every_element() -> None:
    page = htmltree.document(
        PAGE.replace("<body>", "<body datetime='x'><b itemprop='author'>Jo</b>")
        .replace("<h1>", "<h1 itemprop='author' datetime='2025-01-05'>")
        .replace("<i>it</i>", "<i itemprop='Author'>it</i>")
    )
    authors = page.xpath('//*[@itemprop="author"]')
    assert byline._AUTHOR_ITEMS(page) == authors and len(authors) == 2
    datetimes = page.xpath("//body//*[@datetime]")
    assert dateline._DATETIMES(page) == datetimes and len(datetimes) == 4


# Layout space of every kind: indentation, a no-break space (text to XPath), a comment's text and
# tail, <pre> (and a <pre> in a <pre>) whose own white space stays, a <pre>'s tail that does not.
SPACED = (
    "<html><body>\n  <div>\n\t<p>a</p>\xa0<!-- \n  --> \n <pre>\n  x <b> </b>\n <pre> \n </pre> "
    "</pre>\n\n <span> </span>  <p>\r\n</p></div>\n</body></html>"
)


def test_layout_space_is_cut_where_the_xpath_finds_it() -> None:
    by_xpath = htmltree.document(SPACED)
    for space in by_xpath.xpath("/html/body//text()[not(normalize-space())][not(ancestor::pre)]"):
        owner, short = space.getparent(), "\n" if "\n" in space else " "
        if space.is_tail:
            owner.tail = short
        else:
            owner.text = short
    walked = htmltree.document(SPACED)
    readable._shorten_layout_space(walked)
    assert lxml.html.tostring(walked) == lxml.html.tostring(by_xpath)
    assert b"\xc2\xa0" in lxml.html.tostring(walked, encoding="utf-8")


def test_block_holders_are_the_blocks_and_what_holds_them() -> None:
    page = htmltree.document(PAGE + "<svg><path d='x'/></svg>")
    expected = {
        el
        for el in page.iter(etree.Element)
        if any(readable._BLOCK_START.match(str(d.tag)) for d in el.iter(etree.Element))
    }
    assert readable._block_holders(page) == expected


@pytest.mark.parametrize(
    "names",
    [
        ("byline", None),
        ("post-Author", "x"),
        (None, "authorBox"),
        ("byline--bio", None),
        ("c", "d"),
        ("Contributors", None),
        ("USERNAME", "writer_name"),
        ("authority", None),
    ],
)
def test_a_byline_elements_names_are_judged_as_their_words_say(names) -> None:
    element = lxml.html.fragment_fromstring("<span>x</span>")
    for attribute, value in zip(("class", "id"), names, strict=True):
        if value is not None:
            element.set(attribute, value)
    words = clean.tokens(element)
    expected = bool(words & byline.BYLINE_TOKENS) and not words & byline.NOT_BYLINE_TOKENS
    assert byline._names_byline(element, names) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Published March 3, 2025 by Jo",
        "3. März 2025",
        "le 12 juin 2024",
        "Last updated 2025-12-18 UTC",
        "3 de marzo de 2025",
        "no date here, only 12 March",
        "in the year 1999",
    ],
)
def test_dates_are_read_only_where_a_year_is_written(text: str) -> None:
    plain = [m.group(0) for m in dateline._ANY_DATE.finditer(text)]
    assert [m.group(0) for m in dateline._dates_in(text)] == plain
    assert not plain or dateline._YEAR.search(text)


@pytest.mark.parametrize(
    "text", ["Subscribe to our newsletter", "SUBSCRIBE to our Newsletter", "Da"]
)
def test_a_rules_remembered_answer_is_the_rules_answer(text: str) -> None:
    caseless = Caseless(rules.CALLS_TO_ACTION)
    for _ in range(2):  # asked, then answered from the memo
        assert caseless.search(text) == (rules.CALLS_TO_ACTION.search(text) is not None)
        assert caseless.match(text) == (rules.CALLS_TO_ACTION.match(text) is not None)
    assert caseless._found.cache_info().hits == caseless._matched.cache_info().hits == 1


# Texts of every kind: in and after a script, a style, a <noscript> holding elements, a
# <template> in a <div>, a comment's tail, text above <body> (none of the page's) and nested tails.
TEXTS = (
    "<html><head><title>T</title><script>h()</script></head><body>a<script>s()</script>b"
    "<div>c<style>x{}</style>d<noscript><p>e<b>f</b>g</p>h</noscript>i<!-- j -->k"
    "<template><p>l</p>m</template>n<span>o<i>p</i>q</span>r</div>s</body></html>"
)


def test_the_page_texts_are_those_xpath_finds_outside_scripts_and_styles() -> None:
    page = htmltree.document(TEXTS)
    expected = page.xpath(
        "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript"
        " or ancestor::template)]"
    )
    assert hidden.page_texts(page) == expected
    assert "".join(hidden.page_texts(page)) == "abcdiknopqrs"
    plain = htmltree.document("<p>a<b>b</b>c</p>")
    assert hidden.page_texts(plain) == ["a", "b", "c"]


def test_the_bodys_first_texts_are_those_xpath_finds() -> None:
    """``byline._top_texts`` gives the texts of XPath's ``_TOP_TEXTS`` and their holders (tails
    of elements and comments, scripts' and styles' texts): walked on a long page, XPath's on a
    short one and where a second <body> follows a short first one."""
    long = htmltree.document(
        TEXTS.replace("</body>", "<p>t<!-- c -->u<b>v</b></p>" * 80 + "</body>")
    )
    short = htmltree.document(TEXTS)
    two_bodies = htmltree.document(TEXTS)
    etree.SubElement(two_bodies, "body").text = "second"
    for page in (long, short, two_bodies):
        plain = [(str(text), text.getparent()) for text in byline._TOP_TEXTS(page)]
        assert byline._top_texts(page) == plain
    assert len(byline._top_texts(long)) == byline.BY_LINE_SCAN + byline.NAME_TEXTS
    assert byline._top_texts(two_bodies)[-1][0] == "second"


@pytest.mark.parametrize("count", [1, 3, 8, 40, 400])
def test_the_texts_walked_to_around_an_element_are_those_of_the_xpath_axes(count: int) -> None:
    """``walks.preceding``, ``walks.texts``, ``walks.following`` and the ``_words`` walks each
    way give XPath's texts and their holders around every node of a page with comments, tails,
    scripts and nested blocks."""
    page = htmltree.document(PAGE.replace("</header>", "</header>" + TEXTS.split("<body>")[1]))
    for node in page.iter():
        before = node.xpath(f"preceding::text()[position() <= {count}]")
        after = node.xpath(f"following::text()[position() <= {count}]")
        inside = node.xpath(".//text()") if isinstance(node.tag, str) else []
        assert walks.preceding(node, count) == [(str(t), t.getparent()) for t in before]
        assert walks.following(node, count) == [(str(t), t.getparent()) for t in after]
        words = node.xpath(f"following::text()[normalize-space()][position() <= {count}]")
        assert walks.following_words(node, count) == [(str(t), t.getparent()) for t in words]
        words = node.xpath(f"preceding::text()[normalize-space()][position() <= {count}]")
        assert walks.preceding_words(node, count) == [(str(t), t.getparent()) for t in words]
        if inside:
            assert list(walks.texts(node)) == [(str(t), t.getparent()) for t in inside]


def test_the_first_element_walked_to_is_the_first_of_lxmls_walk() -> None:
    page = htmltree.document(PAGE.replace("</main>", "</main><h1>Another</h1><i>x</i>"))
    for tag in ("h1", "html", "i", "time", "nowhere"):
        assert walks.first(page, tag) is next(page.iter(tag), None)
    assert walks.first(page, "h1").text.startswith("The headline")


def test_the_first_text_walked_to_is_what_findtext_gives() -> None:
    """``walks.first_text`` answers as ``findtext(".//tag")``: the first one's text, "" for an
    empty one, None for none (extract._page_title and title.find read the <title> with it)."""
    empty = htmltree.document("<html><head><title></title></head><body><title>B</title></body>")
    page = htmltree.document(PAGE.replace("</main>", "</main><h1>Another</h1>"))
    for doc in (page, empty):
        for tag in ("title", "h1", "nowhere"):
            assert walks.first_text(doc, tag) == doc.findtext(f".//{tag}")
    assert walks.first_text(empty, "title") == ""


def test_author_links_found_by_their_rel_are_those_of_every_link() -> None:
    more = (
        "<a rel='author' href='/a'>A</a><a rel=' nofollow  Author'>B</a><a rel='me\nauthor'>C</a>"
        "<a rel='authors'>D</a><link rel='author' href='/l'><span rel='author'>E</span>"
    )
    page = htmltree.document(PAGE.replace("</body>", more + "</body>"))
    plain = page.xpath('//a[contains(concat(" ", normalize-space(@rel), " "), " author ")]')
    assert byline._AUTHOR_LINKS(page) == plain and len(plain) == 2


def test_the_metadatas_elements_found_in_one_walk_are_those_of_a_walk_per_tag() -> None:
    """``metadata.by_tag``'s lists are each tag's walk; JSON-LD read from <script> elements by
    their type is what XPath's ``//script[@type=...]`` finds."""
    ld = '<script type=\'application/ld+json\'>{"@type": "%s"}</script>'
    head = "<meta property='og:title' content='A'><link rel='canonical' href='/c'>" + ld % "Thing"
    body = "<script>f()</script><meta name='author' content='B'><link rel='x'>" + ld % "Article"
    page = htmltree.document(
        PAGE.replace("</head>", head + "</head>").replace("</body>", body + "</body>")
    )
    walked = metadata.by_tag(page)
    assert all(walked[tag] == list(page.iter(tag)) for tag in metadata.WALKED_TAGS)
    scripts = page.xpath('//script[@type="application/ld+json"]')
    assert jsonld.objects(page) == jsonld.from_scripts(scripts)
    assert [o["@type"] for o in jsonld.objects(page)] == ["Thing", "Article"]


def test_json_ld_that_may_not_hold_a_word_has_no_object_holding_it() -> None:
    """``jsonld.may_hold``, read before structured.py and recipes.py search the whole page: it
    says no only where no object ``from_scripts`` reads has the key or type (an escaped one, a
    type's URL or case, a script of another type passed over)."""
    ld = "<script type='application/ld+json'>%s</script>"
    cases = {
        '{"@type": "NewsArticle", "articleBody": "Text"}': True,
        '{"@type": "https://schema.org/HowTo", "step": []}': True,
        '{"@type": "Recipe", "name": "Soup"}': True,
        '{"@type": "NewsArticle", "\\u0061rticleBody": "Text"}': True,
        '{"@type": "NewsArticle", "headline": "A"}': False,
    }
    for written, held in cases.items():
        page = htmltree.document(PAGE.replace("</body>", ld % written + "</body>"))
        scripts = list(page.iter("script"))
        objects = jsonld.from_scripts(scripts)
        present = any("articleBody" in o or jsonld.types(o) & {"howto", "recipe"} for o in objects)
        assert jsonld.may_hold(scripts, ("articlebody", "howto", "recipe")) is held
        assert held or not present
    other = '<script type=\'text/plain\'>{"articleBody": "x"}</script>'
    page = htmltree.document(PAGE.replace("</body>", other + "</body>"))
    assert not jsonld.may_hold(page.iter("script"), ("articlebody",))
    assert structured.structured_body(etree.tostring(page, encoding="unicode"), page) is None


def test_the_elements_after_the_headline_are_those_after_the_first_h1() -> None:
    """``lead._after_headline`` (one walk of the opening's tags and <h1>) gives the elements of
    those tags that the walk of every element gives after the first <h1> and outside it."""
    more = "<h1>Second</h1><section><div>d</div></section><p>p</p>"
    page = htmltree.document(PAGE.replace("</body>", more + "</body>"))
    headline = page.find(".//h1")
    elements = page.iter(etree.Element)
    before = list(itertools.takewhile(lambda el: el is not headline, elements))
    inside = set(headline.iter())
    wanted = {"h1", *lead.OPENING_TAGS}
    plain = [el for el in elements if el not in inside and el.tag in wanted]
    assert before and list(lead._after_headline(page)) == plain and len(plain) > 30
    assert list(lead._after_headline(htmltree.document("<p>no headline</p>"))) == []


def test_the_standfirst_blocks_are_the_elements_of_their_tags() -> None:
    page = htmltree.document(PAGE)
    plain = [el for el in page.iter(etree.Element) if el.tag in lead.LEAD_BLOCKS]
    assert list(page.iter(*lead.LEAD_BLOCKS)) == plain


# Letters whose case folding changes their number or kind ("ß" -> "ss", "İ" -> "i" and a combining
# dot, U+0345 -> "ι"), beside plain letters, digits, punctuation and spaces.
FOLDING = "aAbß İ\u0345ιi\u0307.-1_ "


@given(st.text(alphabet=FOLDING, max_size=12), st.text(alphabet=FOLDING, max_size=24))
def test_a_blocks_opening_is_judged_as_its_words_say(opening: str, description: str) -> None:
    """``lead._opens_as`` (the first letter compared first) is the comparison of all words."""
    wanted = lead._words(description)
    start = lead._words(opening)
    plain = bool(start) and wanted.startswith(start[: lead.MIN_LEAD_CHARS])
    assert not wanted or lead._opens_as(opening, wanted) == plain


# White space of every kind: the ASCII spaces and line breaks, no-break, ideographic and line
# separator spaces, vertical tab, form feed and the C1 next line, next to text and each other.
SPACES = " \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000"


@given(st.text(alphabet=SPACES + "ab\u200b", max_size=40))
def test_a_blocks_space_collapses_as_the_regexes_collapse_it(raw: str) -> None:
    """``text._collapsed`` (str.split, line by line) is the two regexes it replaced."""
    plain = text._LINE_EDGES.sub("\n", text._SPACES.sub(" ", raw)).strip()
    assert text._collapsed(raw) == plain


def test_the_url_holders_are_the_elements_with_a_url_attribute() -> None:
    """The parents of the URL attributes are the elements the plain test finds, in order, once."""
    more = "<img src='a' srcset='b 1x'><blockquote cite='c'><a href='d'>e</a></blockquote>"
    page = htmltree.document(PAGE.replace("</body>", more + "</body>"))
    plain = page.xpath("descendant-or-self::*[@href or @src or @cite or @srcset]")
    assert sanitise._URL_HOLDERS(page) == plain
    assert len(plain) == 5


# Class and id values of every kind the token split reads differently: camelCase, BEM
# modifiers, digits, capitals and letters outside ASCII (the Kelvin sign lower-cases to "k").
NAME_PIECES = ["nav", "Share", "bar", "--ads", "-", "_", "Top", "x1", "É", "\u212a", "ΣΑ", "ad"]


@given(
    st.lists(st.sampled_from(NAME_PIECES), max_size=5),
    st.lists(st.sampled_from(NAME_PIECES), max_size=5),
)
def test_a_class_and_an_id_asked_apart_are_chrome_as_asked_together(
    class_pieces: list[str], id_pieces: list[str]
) -> None:
    """``is_chrome`` asks an element's class and id one at a time: the answer is the one their
    joined value (``clean._names``, the plain way) gets."""
    names, ident = "".join(class_pieces), "".join(id_pieces)
    apart = clean._names_are_chrome(names) or clean._names_are_chrome(ident)
    assert apart == clean._names_are_chrome(f"{names} {ident}")
    assert clean._name_tokens(f"{names} {ident}") == (
        clean._name_tokens(names) | clean._name_tokens(ident)
    )


def test_the_chrome_of_a_page_is_what_its_joined_names_say() -> None:
    """Every element of a page is judged chrome as it is with its class and id joined."""
    more = (
        "<div class='post' id='share-bar'>a</div><h2 id='nav_anchor' class='title'>b</h2>"
        "<section class='relatedPosts' id='x'>c</section><span class='Top--Ads'>d</span>"
        "<nav>e</nav><main class='menu'>f</main><div role='navigation'>g</div>"
    )
    page = htmltree.document(PAGE.replace("</body>", more + "</body>"))

    def plain(el: lxml.html.HtmlElement) -> bool:
        if el.tag in rules.DROP_TAGS:
            return True
        if el.tag in rules.KEEP_TAGS:
            return False
        role = (el.get("role") or "").lower()
        if role in rules.DROP_ROLES or (el.tag == "a" and clean._is_teaser_card(el)):
            return True
        names = el.get("class") if el.tag in htmltree.HEADINGS else clean._names(el)
        return names is not None and clean._names_are_chrome(names)

    judged = [clean.is_chrome(el) for el in page.iter(etree.Element)]
    assert judged == [plain(el) for el in page.iter(etree.Element)]
    assert sum(judged) >= 5


@given(st.text(alphabet="a ,;:.…[]\n", max_size=12))
def test_a_teaser_end_is_searched_only_where_it_can_be_found(raw: str) -> None:
    """``clean._cut_with_ellipsis`` (the endings checked first) answers as the plain search."""
    assert clean._cut_with_ellipsis(raw) == (rules.TEASER_END.search(raw) is not None)
    assert clean._cut_with_ellipsis("Emulgate, ...") and clean._cut_with_ellipsis("word [\u2026]\n")


def test_a_fragment_is_lxmls_fragment_with_plain_elements() -> None:
    """``htmltree.fragment`` gives lxml.html's fragment, its <div> and elements made by
    ``PARSER`` (lxml.html's own <div> gave them lxml.html's classes, chosen in Python)."""
    source = "lead <form><input name='q'></form><p>a</p> tail <!-- c --> end"
    ours = htmltree.fragment(source)
    plain = lxml.html.fragment_fromstring(source, create_parent="div", parser=htmltree.PARSER)
    assert lxml.html.tostring(ours) == lxml.html.tostring(plain)
    assert type(plain.find("form")) is lxml.html.FormElement
    assert {type(el) for el in ours.iter(etree.Element)} == {htmltree.PageElement}
    assert lxml.html.tostring(htmltree.fragment("  <p>x</p>")) == b"<div><p>x</p></div>"


def test_readabilitys_empty_holder_is_made_not_parsed() -> None:
    """readability-lxml's empty <div> for the article is made by ``htmltree.PARSER`` without a
    parse: the same markup and class, with no document's <body> built around it."""
    holder = readability.readability.fragment_fromstring("<div/>")
    assert holder.getparent() is None
    assert lxml.html.tostring(holder) == lxml.html.tostring(lxml.html.fragment_fromstring("<div/>"))
    assert type(holder) is htmltree.PageElement
    parsed = readability.readability.fragment_fromstring("<p>a</p>")  # any other is parsed
    assert lxml.html.tostring(parsed) == b"<p>a</p>"


def test_a_pages_elements_keep_their_objects_while_kept() -> None:
    """Within ``htmltree.elements_kept`` a parsed page's walks give the objects of its first walk
    (lxml makes none again); after it, nothing holds them."""
    page = "<html><body><div><p>a <b>b</b></p><!-- c --><p>d</p></div></body></html>"
    with htmltree.elements_kept():
        doc = htmltree.document(page)
        walked = [weakref.ref(el) for el in doc.iter()]
        assert [ref() for ref in walked] == list(doc.iter())
        assert all(ref() is el for ref, el in zip(walked, doc.iter(), strict=True))
    assert all(ref() is None for ref in walked[1:])  # the page's root is still held: ``doc``
    outside = htmltree.document(page)
    assert all(ref() is None for ref in [weakref.ref(el) for el in outside.iter()][1:])


def test_readabilitys_article_holder_keeps_plain_elements() -> None:
    """readability-lxml's <div> for the article, made with ``htmltree.PARSER``: the elements
    moved into it stay plain elements (``htmltree.PageElement``, no form classes), the same
    markup."""
    holder = readability.readability.fragment_fromstring("<div/>")
    plain = lxml.html.fragment_fromstring("<div/>")
    assert lxml.html.tostring(holder) == lxml.html.tostring(plain)
    holder.append(htmltree.fragment("<form><input></form>")[0])
    assert type(holder[0]) is htmltree.PageElement


# The Markdown converter's named styles as convert() reads them from their names.
MARKDOWN_STYLES = {
    "heading_style": "atx",
    "list_indent_type": "spaces",
    "highlight_style": "double_equal",
    "whitespace_mode": "normalized",
    "newline_style": "spaces",
    "code_block_style": "backticks",
    "inline_data_media": "keep",
    "hidden_content": "drop",
    "url_escape_style": "angle",
    "link_style": "inline",
    "output_format": "markdown",
    "tier_strategy": "auto",
}
# An article using every style: headings, nested lists, highlights, line breaks, code, an inline
# data image, hidden text, a link whose URL needs escaping, a table.
MARKDOWN_ARTICLE = (
    "<h2>Head</h2><p>a <mark>b</mark> c<br>d  e</p><ul><li>one<ul><li>two</li></ul></li></ul>"
    "<pre><code>x = 1\n</code></pre><p><img src='data:image/png;base64,AAAA' alt='dot'>"
    "<span hidden>gone</span> <a href='https://example.org/a b(c)'>link</a></p>"
    "<table><tr><th>k</th><td>v</td></tr></table><h1>Top</h1>"
)


def test_markdown_styles_given_as_values_convert_as_their_names() -> None:
    """``markdown_body.OPTIONS`` holds the converter's own values for what it reads from names."""
    named = dataclasses.replace(markdown_body.OPTIONS, **MARKDOWN_STYLES)
    assert all(not isinstance(getattr(markdown_body.OPTIONS, k), str) for k in MARKDOWN_STYLES)
    for html in (MARKDOWN_ARTICLE, PAGE):
        plain = (html_to_markdown.convert(html, named).content or "").strip()
        assert markdown_body.convert_body(html) == plain


NESTED = (
    "<div id='a'>one <ul id='b'><li id='c'>two <b id='d'>x</b> tail</li> after</ul> more"
    "<p id='e'>three <span id='f'>y</span> z</p></div> end <nav id='g'><i id='h'>w</i> v</nav>"
)


@given(st.permutations("abcdefgh"), st.integers(min_value=1, max_value=8))
def test_elements_dropped_with_one_dropped_before_are_dropped_each(order: str, count: int) -> None:
    """``clean._drop_all`` leaves the page as dropping each element does (``_drop``), whatever
    the order and however they nest: those inside one dropped before are skipped."""
    ours, plain = htmltree.fragment(NESTED), htmltree.fragment(NESTED)
    clean._drop_all([ours.get_element_by_id(i) for i in order[:count]])
    for el in [plain.get_element_by_id(i) for i in order[:count]]:
        clean._drop(el)
    assert lxml.html.tostring(ours) == lxml.html.tostring(plain)


_WORD = re.compile(r"\w+")
_PIECE = st.text(alphabet="aZ9_ſ²½ßİı字.,'’-–()\u0301\u200b", max_size=6)


@given(st.lists(st.tuples(_PIECE, st.sampled_from(" \n\t\xa0\u3000\x1c\u2028")), max_size=8))
def test_words_counted_from_pieces_are_the_runs_of_word_characters(
    parts: list[tuple[str, str]],
) -> None:
    """``text.word_count`` and ``text.pieces_word_count`` (a piece of word characters only is
    one word, the others searched) count as ``findall`` of \\w+ over the text does."""
    raw = "".join(piece + space for piece, space in parts)
    assert text.word_count(raw) == len(_WORD.findall(raw))
    assert text.pieces_word_count(raw.split()) == len(_WORD.findall(raw))


def test_a_word_character_is_alphanumeric_or_an_underscore_and_never_a_space() -> None:
    """What ``pieces_word_count`` rests on, for every character this Python knows."""
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        word = _WORD.fullmatch(char) is not None
        assert word == (char.isalnum() or char == "_"), hex(code)
        assert not (word and char.isspace()), hex(code)


_SAID = "The pump in the cellar started again at night and the fuse held this time, so"
_ELSE = "A float switch wears out after ten years or so, whatever the brand of the pump."
_BLOCKS = (
    f"<p>{_SAID}</p>",
    f"<blockquote>{_SAID}</blockquote>tail words here",
    f"<blockquote><cite>ana:</cite><blockquote>{_SAID}</blockquote><p>{_ELSE}</p></blockquote>",
    f"<blockquote><p>{_ELSE}</p></blockquote>",
    f"<div><blockquote>{_ELSE} <b>{_SAID}</b></blockquote> and {_ELSE}</div>",
)


@given(st.lists(st.sampled_from(_BLOCKS), max_size=6))
def test_an_outermost_quotes_words_read_once_judge_it_as_read_again(blocks: list[str]) -> None:
    """``echoes.drop_echoes`` judges an outermost quote by the words it read before the drops
    (none inside it, none of its text moved into it): the page is the one reading each quote
    again when it is judged gives."""
    ours = lxml.html.fragment_fromstring("".join(blocks), create_parent="div")
    plain = lxml.html.fragment_fromstring("".join(blocks), create_parent="div")
    echoes.drop_echoes(ours)
    quotes = [q for q in plain.iter("blockquote") if q is not plain]
    if quotes:
        outside = echoes._shingles(plain)
        for quote in echoes._outermost(quotes):
            outside.subtract(echoes._shingles(quote))
        for quote in quotes:
            if not echoes._detached(quote, plain) and echoes._is_echo(
                echoes._shingles(quote), outside
            ):
                quote.drop_tree()
    assert lxml.html.tostring(ours) == lxml.html.tostring(plain)


# Texts of every kind for ``PageElement.text_content``: comments and processing instructions
# (whose text is none of the element's), tails inside and after, references, no text at all,
# characters beyond the BMP, white space.
ELEMENT_TEXTS = (
    "<html><body><div id='d'>lead <!-- a comment --><p>para <b>bold</b> tail<?pi x?> after</p>"
    "&amp; &foo; &#233; \U0001f600<span></span>\n\t<em> </em></div> the div's tail"
    "<p id='e'></p><p id='c'><!-- only a comment --></p></body></html>"
)


@given(st.lists(st.sampled_from(["<p>", "</p>", "<b>", "</b>", "x", " ", "é", "<!--c-->", "<br>"])))
def test_an_elements_text_is_lxml_htmls_xpath_string(pieces: list[str]) -> None:
    """``PageElement.text_content`` (libxml2's text serialiser) gives what lxml.html's
    ``text_content`` (XPath ``string()``) gives, a plain ``str``, for every element."""
    generated = "<html><body><div>" + "".join(pieces) + "</div>tail</body></html>"
    for source in (ELEMENT_TEXTS, generated):
        page = htmltree.document(source)
        for el in page.iter(etree.Element):
            assert type(el) is htmltree.PageElement
            text = el.text_content()
            assert text == lxml.html.HtmlMixin.text_content(el) and type(text) is str
    assert htmltree.document(ELEMENT_TEXTS).get_element_by_id("d").text_content().endswith("\n\t ")


@given(st.lists(st.sampled_from(["<div>", "</div>", "<p>", "</p>", "x", " ", "<!--c-->", "<?p?>"])))
def test_the_implied_landmarks_body_is_measured_once_as_its_text(pieces: list[str]) -> None:
    """``implied._own_length`` with ``_child_lengths`` is an element's raw length (its whole
    text), for every element of a page of texts, tails, comments and processing instructions."""
    page = htmltree.document(ELEMENT_TEXTS.replace("<span></span>", "".join(pieces)))
    for el in page.iter(etree.Element):
        children = implied._child_lengths(el)
        assert implied._own_length(el) + sum(n for _, n in children) == implied._raw_length(el)
        assert [n for _, n in children] == [implied._raw_length(c) for c in el.iterchildren("*")]
        assert implied._raw_length(el) == sum(map(len, el.itertext()))


# Pages with and without each marker of rendered maths: at either end, twice, cut short, after a
# NUL byte (which ends the C library's search), around non-ASCII text.
MATHS_PAGES = ["", "plain text", "\0katex", "é " * 50, "x" * 5000]
MATHS_PAGES += [
    f"{before}{marker}{after}"
    for marker in maths.MARKERS
    for before, after in (
        ("", ""),
        ("<p class='", "'>"),
        ("é\0", ""),
        ("“", "”" * 300),
        (marker[:-1], marker[1:]),
    )
]
MATHS_PAGES += [marker[:-1] + " " + marker[1:] for marker in maths.MARKERS]


@pytest.mark.parametrize("page", MATHS_PAGES)
def test_maths_markers_are_found_in_a_pages_bytes_as_in_its_text(page: str) -> None:
    """``maths.present`` answers as ``in`` on the text does, for a page read from UTF-8 (its bytes
    searched by strstr), an ASCII page and another."""
    plain = any(marker in page for marker in maths.MARKERS)
    decoded = charset.decode(page.encode(), "text/html; charset=utf-8")
    assert maths.present(decoded) == maths.present(page) == plain
    assert maths.present(page.encode("utf-16").decode("utf-16")) == plain


def test_a_page_read_from_utf8_is_searched_by_strstr() -> None:
    """The C library's strstr is there to search with (else ``present`` falls back to ``in``)."""
    assert maths._STRSTR is not None
    assert maths._STRSTR(b"xx katex", b"katex") and not maths._STRSTR(b"xx kate", b"katex")


def test_the_bodys_texts_for_changes_are_the_plain_xpaths_as_strings() -> None:
    """``dateline._BODY_TEXT`` (one ``descendant::`` walk, plain strings) gives the texts of
    ``//body//text()`` without scripts' and styles', as the plain expression does."""
    for html in (TEXTS, PAGE, "<p>a<b>b</b>c</p>", "<html><head><title>T</title></head></html>"):
        page = htmltree.document(html)
        texts = dateline._BODY_TEXT(page)
        assert texts == page.xpath(dateline.BODY_TEXT_PLAIN)
        assert all(type(text) is str for text in texts)


@given(st.lists(st.text(alphabet="ab ", max_size=50), max_size=8))
def test_the_text_before_a_date_is_what_a_walk_keeping_it_holds(nodes: list[str]) -> None:
    before = ""
    for at, node in enumerate(nodes):
        assert dateline.text_before(nodes, at) == before
        before = (before + " " + node)[-dateline.LABEL_CHARS :]


def test_the_changes_a_page_labels_are_those_of_the_plain_walk() -> None:
    """``changes`` reads the text before a date only beside it: the days it finds are those of
    the walk that keeps the text before every text (labels split over several texts, far and
    near)."""
    html = (
        "<body><p>Published 2025-01-02</p><p>Last</p><p>updated</p> <b>2025-12-18</b>"
        + "<p>Filler text of some length without a date in it at all.</p>" * 3
        + "<footer>Updated:<i></i> <span>March 5, 2024</span><script>'Updated 2023-01-01'</script>"
        "Modified 03/04/2022</footer></body>"
    )
    page = htmltree.document(html)
    for month_first in (None, True, False):
        days = set()
        before = ""
        for node in page.xpath(dateline.BODY_TEXT_PLAIN):
            for match in dateline._dates_in(node):
                value = dateline._day_of(match, month_first)
                if value and dateline._label(before + " " + node[: match.start()]) == "change":
                    days.add(value[:10])
            before = (before + " " + node)[-dateline.LABEL_CHARS :]
        assert dateline.changes(page, month_first) == days
    assert "2025-12-18" in dateline.changes(page) and "2025-01-02" not in dateline.changes(page)


def test_a_pages_times_walked_to_are_those_xpath_finds() -> None:
    """``dates._listing`` reads the page's <time> elements from ``walks.Marks``, found by lxml's
    walk, as ``//time`` finds them (those in a comment's place and in <head> too)."""
    page = htmltree.document(
        PAGE.replace("<title>T</title>", "<title>T</title><time>h</time>") + "<!-- <time> -->"
    )
    walked = walks.marks(page).time
    assert walked == page.xpath("//time") and len(walked) == 4


@pytest.mark.parametrize(
    "html",
    [
        PAGE,
        TEXTS,
        "<body><h2>a</h2><div><h1>b</h1><h2>c</h2></div><h1>d</h1></body>",
        "<body><p>x</p><h2>only h2</h2><h2>another</h2></body>",
        "<body><p>no heading</p></body>",
    ],
)
def test_the_marks_found_in_one_walk_are_each_tags_walk(html: str) -> None:
    """``walks.Marks`` (found in the metadata's one walk) holds what each tag's walk finds, and
    its headline is ``dateline.first_headline``'s: the first <h1> walked to, else the first
    <h2>."""
    page = htmltree.document(html)
    marks = walks.Marks.of(metadata.by_tag(page))
    assert marks == walks.marks(page)
    assert (marks.h1, marks.h2) == (list(page.iter("h1")), list(page.iter("h2")))
    plain = walks.first(page, "h1")
    assert marks.headline is (walks.first(page, "h2") if plain is None else plain)
    assert dateline.first_headline(page) is marks.headline


# Cards with linked headlines, headings that are no headline (too short, unlinked, a link to a
# place on the page) and blurbs holding headings of their own, nested a few levels deep.
HEADING_PAGES = st.lists(
    st.sampled_from(
        [
            "<h3><a href='/story'>A linked headline of several words</a></h3>",
            "<h3>An unlinked heading of several words</h3>",
            "<h2><a href='/x'>Short</a></h2>",
            "<h4><a href='#top'>A link to a place on this page</a></h4>",
            "<p>A blurb of a few words about the story.</p>",
            "<div><p>A nested blurb</p>"
            "<h3><a href='/in'>A headline inside the blurb here</a></h3></div>",
            "<div>",
            "</div>",
        ]
    ),
    max_size=30,
)


def _title_read_in_full(card, blurb, headlines) -> str | None:
    """``teasers._title`` as it was: every heading of the block read in turn, for each question."""
    inside = set(headlines.headings(blurb)) if blurb is not None else set()
    for heading in headlines.headings(card):
        if heading not in inside and (text := teasers._headline(heading)) is not None:
            return text
    return None


@given(HEADING_PAGES)
def test_a_blocks_first_headline_outside_a_blurb_is_the_one_read_in_full(parts: list[str]) -> None:
    page = lxml.html.document_fromstring(
        "<html><body><div>" + "".join(parts) + "</div></body></html>"
    )
    headlines = teasers._Headlines()
    blocks = list(page.body.iter(etree.Element))
    for card in blocks:
        for blurb in [None, *card.iterdescendants(etree.Element)]:
            assert teasers._title(card, blurb, headlines) == _title_read_in_full(
                card, blurb, teasers._Headlines()
            )


def _plain_dominant_repeats(
    doomed: list[lxml.html.HtmlElement], prose: dict[lxml.html.HtmlElement, int], page: int
) -> set[lxml.html.HtmlElement]:
    """``clean._dominant_repeats`` as it was, every run's shapes and ancestors read."""
    groups: dict[tuple[str, str], list[lxml.html.HtmlElement]] = {}
    for el in doomed:
        if el.tag not in clean._ALWAYS_DROP:
            groups.setdefault(clean.shape(el), []).append(el)
    candidates = [g for g in groups.values() if len(g) >= rules.MIN_REPEATS]
    all_doomed, kept, outside = set(doomed), set(), None
    for members in candidates:
        inside = set(members)
        outer = [prose[el] for el in members if inside.isdisjoint(el.iterancestors())]
        if len(outer) < rules.MIN_REPEATS or max(outer) > sum(outer) * rules.MAX_ITEM_SHARE:
            continue
        if sum(outer) <= page * rules.REPEATED_SHARE:
            continue
        if outside is None:
            outside = page - sum(
                prose[el] for el in doomed if all_doomed.isdisjoint(el.iterancestors())
            )
        if outside * rules.OUTSIDE_MARGIN < max(outer):
            kept |= inside
    return kept | {a for el in kept for a in el.iterancestors() if a in all_doomed}


_POST = st.tuples(
    st.sampled_from(["comment", "comment c2", "post-1", "post-22", "menu", ""]),
    st.integers(min_value=0, max_value=40),  # words of its own
    st.integers(min_value=0, max_value=2),  # posts nested in it
)


@given(
    st.lists(_POST, max_size=10),
    st.integers(min_value=0, max_value=300),
    st.lists(st.booleans(), min_size=40, max_size=40),
)
@example([("comment", 10, 0)] * 3, 0, [False] * 40)  # a thread of most of the page's prose
@example([("post-1", 10, 0), ("post-22", 30, 0), ("comment", 9, 1)] * 2, 20, [False] * 40)
def test_repeated_runs_skipped_by_their_prose_are_the_runs_kept_by_reading_them(
    posts: list[tuple[str, int, int]], article: int, chosen: list[bool]
) -> None:
    """``clean._dominant_repeats`` skips a page, or a run, whose doomed blocks hold no more
    prose than the share: it keeps the blocks the plain reading of every run keeps, on threads of
    posts nested or not, long and short, beside an article of any length."""
    html = "".join(
        f"<div class='{name}'><p>{'word ' * words}</p>"
        + f"<div class='{name}'><p>{'reply ' * (words // 2)}</p></div>" * nested
        + "</div>"
        for name, words, nested in posts
    )
    doc = lxml.html.document_fromstring(
        f"<html><body><article><p>{'text ' * article}x</p></article>{html}</body></html>"
    )
    elements = list(doc.iter(etree.Element))
    prose = clean._prose_lengths(elements)
    posts_and_blocks = elements[4:]  # after <html>, <body>, <article> and its <p>
    doomed = [  # the named posts, and any other block
        el
        for el, pick in zip(posts_and_blocks, chosen, strict=False)
        if pick or (el.tag == "div" and el.get("class"))
    ]
    assert clean._dominant_repeats(doomed, prose, prose[doc]) == _plain_dominant_repeats(
        doomed, prose, prose[doc]
    )


@given(st.lists(st.sampled_from(["the", "der", "de", "la", "und", "and", "y", "word", "il", "e"])))
def test_a_languages_score_counted_by_distinct_words_is_its_words_counted(words: list[str]) -> None:
    """``lang._scores`` counts each distinct word once per language: the scores of counting
    every word, in the same order (a tie goes to the same language)."""
    plain = {name: sum(w in common for w in words) for name, common in lang.STOPWORDS.items()}
    assert list(lang._scores(words).items()) == list(plain.items())


@given(
    st.lists(st.sampled_from([" ", "\n", "\t", "\xa0", "  ", "x", "a b", "\t\t"]), max_size=8),
    st.lists(st.sampled_from([" ", "\n", "\t", "\xa0", "\u3000"]), max_size=4),
    st.lists(st.sampled_from([" ", "\n", "\t", "\xa0", "\u3000"]), max_size=4),
)
@example(["\t", " x", "\t\t"], ["\n", " "], ["\t"])
def test_an_element_wrapped_alone_has_its_wrappers_text_length(
    inner: list[str], before: list[str], after: list[str]
) -> None:
    """``readable._wraps_alone``: a wrapper holding one element and white space around it has the
    element's ``text_length``, however the white space and the element's text are written."""
    wrapper = htmltree.fragment("<div><p></p></div>")
    wrapper.text = "".join(before)
    child = wrapper[0]
    child.text = "".join(inner)
    child.tail = "".join(after)
    assert readable._wraps_alone(wrapper, child)
    length = readability.readability.text_length
    assert length(wrapper) == length(child)


def test_a_squeezed_name_keeps_the_characters_isalnum_keeps() -> None:
    """``byline._squeeze``'s regex keeps what a test of every character with ``str.isalnum``
    keeps, for every character (folded)."""
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    folded = every.casefold()
    assert byline._squeeze(every) == "".join(c for c in folded if c.isalnum())


_SHAPES = st.sampled_from(["post", "post bg1", "card", "row x", "", " "])


@given(
    st.recursive(
        st.tuples(st.sampled_from(["div", "li", "p"]), _SHAPES, st.just([])),
        lambda kids: st.tuples(st.sampled_from(["div", "li"]), _SHAPES, st.lists(kids, max_size=6)),
        max_leaves=40,
    )
)
def test_a_threads_runs_read_parent_by_parent_are_the_runs_in_order(tree: tuple) -> None:
    """``threads._runs_by_parent`` gives the runs of ``_runs_in_order`` of ``MIN_REPEATS``
    blocks at least, each with its blocks in order (only the runs' order differs)."""

    def markup(node: tuple) -> str:
        tag, names, kids = node
        attr = f" class='{names}'" if names else ""
        return f"<{tag}{attr}><!-- c -->{''.join(map(markup, kids))}x</{tag}>"

    doc = lxml.html.document_fromstring(f"<html><body>{markup(tree)}</body></html>")
    plain = [r for r in threads._runs_in_order(doc) if len(r[2]) >= rules.MIN_REPEATS]
    fast = list(threads._runs_by_parent(doc))
    key = lambda run: tuple(map(id, run[2]))  # noqa: E731
    assert sorted(fast, key=key) == sorted(plain, key=key)


@given(
    st.lists(st.sampled_from(["", "a 10:45", "x 2019", "18", "2:3", "1920", "a:b"]), max_size=12)
)
def test_a_runs_dates_counted_until_decided_are_the_plain_count(texts: list[str]) -> None:
    """``threads._dated_enough`` answers what counting every text's match answers."""
    dated = sum(bool(threads._CLOCK_OR_YEAR_ANYWHERE.search(t)) for t in texts)
    assert threads._dated_enough(texts) == (dated >= rules.POST_LABELLED_SHARE * len(texts))


def test_a_tie_between_runs_goes_to_the_first_in_the_pages_order() -> None:
    """Two runs of posts holding as much text: the first in the page's order wins, as when the
    runs were read in that order, though the later one's parent comes first."""
    post = (
        "<div class='{0}'><a href='/u/{1}'>member{1}</a><span>10:4{1}</span>"
        "<div class='msg'>{2}</div></div>"
    )
    words = "word " * 40
    inner = "".join(post.format("reply", n, words) for n in range(3))
    outer = "".join(post.format("post", n, words) for n in range(3))
    page = (
        "<html><body><div class='thread'><div class='lead'>"
        f"<div class='box'>{inner}</div></div>{outer}</div></body></html>"
    )
    doc = lxml.html.document_fromstring(page)
    first = doc.xpath("//div[@class='reply']")
    assert [p for p, _, _ in threads._shaped_posts(doc)] == first
    assert threads._best_run(threads._runs_by_parent(doc))[1]  # a tie, read again in order


@pytest.mark.parametrize(
    "head, body",
    [
        ("", "<div itemscope itemtype='https://schema.org/Comment'>x</div>"),
        ('<script type="application/ld+json">{"@type": "BlogPosting"}</script>', ""),
        ('<script type="application/ld+json">{"@type": "QAPage"}</script>', ""),
        ("", "<div itemscope itemtype='https://schema.org/NewsArticle'>x</div>"),
        (
            '<script type="application/ld+json">{"@type": "Article"}</script>',
            "<div itemscope itemtype='https://schema.org/DiscussionForumPosting'>x</div>",
        ),
    ],
)
def test_a_thread_page_read_once_is_the_two_questions(head: str, body: str) -> None:
    """``threads._thread_page`` reads the JSON-LD and the items once: ``declared`` or not
    ``_declares_story``, as asked apart."""
    doc = lxml.html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")
    plain = threads.declared(doc) or not threads._declares_story(doc)
    items = [microdata.types(el) for el in threads._ITEMS(doc)]
    assert threads._thread_page(doc, items) == plain


_LD_NAMES_POSTS = etree.XPath(
    "boolean(//@type[. = 'application/ld+json']/parent::script[contains(., 'omment')])"
)


@pytest.mark.parametrize(
    "scripts",
    [
        "",
        '<script type="application/ld+json">{"@type": "Comment"}</script>',
        '<script type="application/ld+json">{"x": "' + "y" * 50_000 + '", "comment": []}</script>',
        '<script type="text/javascript">var comment = 1;</script>',
        '<script type="application/ld+json "> {"comment": 1}</script>',
        '<script type="application/ld+json"><!-- {"comment": 1} --></script>',
        '<script type="application/ld+json">{}</script><script>comment</script>',
    ],
)
def test_a_json_ld_naming_comments_found_by_the_walk_is_the_one_xpath_finds(scripts: str) -> None:
    """``threads._ld_names_posts`` answers XPath's ``contains(., 'omment')`` over the page's
    JSON-LD scripts, on a long script too (its text one node), in <head> or <body>."""
    for page in (f"<head>{scripts}</head><body>x</body>", f"<body><p>x</p>{scripts}</body>"):
        doc = htmltree.document(f"<html>{page}</html>")
        assert threads._ld_names_posts(doc) == _LD_NAMES_POSTS(doc)
