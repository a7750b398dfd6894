"""readable: Declutter's readability-lxml subclass keeps readability's results where it only speeds
them up."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import lxml.html
import pytest
import readability.readability
from hypothesis import given, settings
from hypothesis import strategies as st
from readability import Document

from proxy import htmltree
from proxy.content import readable
from proxy.content.readable import _collapse_space, _Readability

DIVS = [
    "<div>Loose text <b>bold</b> more<br>after a break</div>",
    "<div><span>inline <em>only</em></span> tail text</div>",
    "<div><p>A paragraph</p> tail <a href='/x'>link</a> and text</div>",
    "<div><span><img src='a.jpg'></span> text beside an image</div>",
    "<div><svg><path d='M0'></path></svg> an icon's path begins like a paragraph</div>",
    "<div><div>nested <i>div</i></div><span>then inline</span>text<br><br>end</div>",
    "<div><section><ul><li>item</li></ul></section> words <code>code</code></div>",
    "<div><table><tr><td>cell</td></tr></table><font>old</font> tail</div>",
]


@pytest.mark.parametrize("body", DIVS)
def test_divs_become_paragraphs_as_readability_makes_them(body: str) -> None:
    page = htmltree.document(f"<html><body>{body}{body}</body></html>")
    ours, theirs = _Readability(copy.deepcopy(page)), Document(copy.deepcopy(page))
    for document in (ours, theirs):
        document.html = document.input
        document.transform_misused_divs_into_paragraphs()
    assert lxml.html.tostring(ours.html) == lxml.html.tostring(theirs.html)


def test_layout_whitespace_is_shortened_outside_pre_for_readability() -> None:
    from proxy.content.readable import prepare_page

    page = htmltree.document(
        "<html><body><div>\n    \n  <p>Text</p>   <pre>  keep\n   this  </pre>"
        "<pre> <b>x</b>   </pre></div></body></html>"
    )
    html = lxml.html.tostring(prepare_page(page), encoding="unicode")
    assert "<div>\n<p>Text</p> <pre>  keep\n   this  </pre><pre> <b>x</b>   </pre></div>" in html


def _readability_clean(text: str) -> str:
    """readability-lxml 0.9's ``clean`` as it reads, the reference for the faster one."""
    text = re.sub(r"\s{255,}", " " * 255, text)
    text = re.sub(r"\s*\n\s*", "\n", text)
    text = re.sub(r"\t|[ \t]{2,}", " ", text)
    return text.strip()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "one line, single spaces",
        "  padded  ",
        "a\tb",
        "a \t b",
        "line\n  next\r\n\n last",
        "nbsp\u00a0\u00a0and\u2003em space",
        "x" + " " * 300 + "y",
        "\n" * 300,
        " \x0b\x0c\r ",
        "a" * 254 + "  b",
        "\t\tx",
        "a\t\tb",
        " \u00a0  a  b ",
        "\x85\nq\x1c",
        "x\u2028\ny",
        "a \n\t\n b",
        "lines\n\n\n  with   spaces  \n",
    ],
)
def test_whitespace_collapse_gives_readabilitys_result(text: str) -> None:
    assert readability.readability.clean is _collapse_space  # what readability-lxml now calls
    assert _collapse_space(text) == _readability_clean(text)


# White space of several kinds, ASCII and not, for the runs below.
WHITE = " \t\n\r\x0b\x0c\x85\xa0\u2028\u3000"


@pytest.mark.parametrize("run", [127, 128, 254, 255, 256, 300])
def test_a_run_for_the_long_space_regex_holds_a_block_of_white_space(run: int) -> None:
    """Wherever a run of white space starts, ``_has_white_block`` finds it when the regex it
    guards would shorten it (255 or more), and the collapse is readability-lxml's."""
    spaces = (WHITE * run)[:run]
    for offset in range(2 * readable._SPACE_BLOCK + 1):
        raw = "x" * offset + spaces + "y" * 200
        assert readable._has_white_block(raw) or not readable._LONG_SPACE.search(raw)
        assert _collapse_space(raw) == _readability_clean(raw)


def test_debug_names_are_made_only_for_readabilitys_debug_log(caplog) -> None:
    """readability-lxml formats a debug line for every scored element; the element's name is
    made only when its debug log is on."""
    page = htmltree.document("<html><body><div id='main' class='post body'>x</div></body></html>")
    div = page.find(".//div")
    assert readability.readability.describe(div) == ""
    with caplog.at_level("DEBUG", logger="readability.readability"):
        assert readability.readability.describe(div) == "body>#main.post.body"
        assert readability.readability.text_content(div) == "x"


QUOTES_AND_LINKS = (
    "<html><body><div class='post'><div class='sidebar'><p>He said the following, in full, as "
    "quoted here:</p></div><div><blockquote><p>A quotation long enough to count for something."
    "</p></blockquote></div><p>Text with <a href='/a'>a link</a>, and <a href='/b'>another "
    "link</a>, and more words, enough words, to be a paragraph.</p><ul><li><a href='/c'>nav</a>"
    "</li></ul></div><div id='sidebar'><p>Short <a href='/d'>link</a> text in a side box, "
    "commas, commas.</p></div></body></html>"
)


def test_scoring_and_pruning_shortcuts_keep_readabilitys_choice() -> None:
    """The link lengths kept while scoring and the quote leads judged once per ancestor give
    the article readability-lxml's own steps give (the subclass with them switched off)."""
    page = htmltree.document(QUOTES_AND_LINKS)

    class _Plain(_Readability):
        score_paragraphs = Document.score_paragraphs
        get_preserved_elements = Document.get_preserved_elements

    fast = _Readability(copy.deepcopy(page)).summary(html_partial=True)
    assert fast == _Plain(copy.deepcopy(page)).summary(html_partial=True)
    assert "quoted here:" in fast and "A quotation long enough" in fast


def test_names_are_weighed_once_per_pair_as_readability_weighs_them() -> None:
    """The weights kept per class and id pair give the article the weighing of each element
    gives, and weighings of a pair seen before come from what was kept."""
    page = htmltree.document(QUOTES_AND_LINKS.replace("<div>", "<div class='post'>"))

    class _Plain(_Readability):
        class_weight = _Readability._weight

    fast = _Readability(copy.deepcopy(page))
    assert fast.summary(html_partial=True) == _Plain(copy.deepcopy(page)).summary(html_partial=True)
    assert fast._name_weights[("post", None)] == (25, False)
    assert fast._name_weights[(None, "sidebar")] == (-25, True)


# Names of readability-lxml's words in any case, with letters its case-insensitive search matches
# to ASCII ones ("ſ" to "s", the Kelvin sign to "k", "İ" and "ı" to "i").
NAME_PARTS = st.sampled_from(
    ["Sidebar", "POST", "entry-ContENT", "ſidebar", "\u212aey", "wıdget", "İtem", "tags", "x", " "]
)
# Any other text an attribute can hold.
NAME_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.none(), st.lists(NAME_PARTS, max_size=4).map("-".join), NAME_TEXT),
    st.one_of(st.none(), st.lists(NAME_PARTS, max_size=4).map("".join), NAME_TEXT),
)
def test_names_are_weighed_as_readability_weighs_them(cls: str | None, ident: str | None) -> None:
    """The weight of a class and id searched in lower case without case-insensitivity (ASCII
    names) is readability-lxml's ``class_weight``, and so is the negative word of an id."""
    element = htmltree.PARSER.makeelement("div")
    for name, value in (("class", cls), ("id", ident)):
        if value is not None:
            element.set(name, value)
    names = (element.get("class"), element.get("id"))
    assert readable._name_weight(names) == Document(element).class_weight(element)
    for name in filter(None, names):
        negative = readability.readability.REGEXES["negativeRe"].search(name) is not None
        assert readable._NEGATIVE_NAMES.search(name) is negative


# Pages with tables, lists, forms, images, embeds and link lists: the fixture pages and the
# quality set's pages.
_TESTS = Path(__file__).parent
SANITIZED_PAGES = sorted(_TESTS.glob("pages/*/source.html")) + sorted(
    _TESTS.glob("quality/html/*.html")
)


class _PlainSanitize(_Readability):
    sanitize = Document.sanitize


@pytest.mark.parametrize("path", SANITIZED_PAGES, ids=lambda p: p.parent.name + "/" + p.name)
def test_sanitize_gives_readabilitys_result(path: Path) -> None:
    """``sanitize`` with each element's text taken once and its counts made as its tests need
    them leaves what readability-lxml's own leaves: on the chosen article, and on the whole
    body (where far more is removed), with and without ``keep_all_images``."""
    page = htmltree.document(path.read_text(encoding="utf-8", errors="replace"))
    fast = _Readability(copy.deepcopy(page)).summary(html_partial=True)
    assert fast == _PlainSanitize(copy.deepcopy(page)).summary(html_partial=True)
    for keep_all_images in (False, True):
        results = []
        for kind in (_Readability, _PlainSanitize):
            body = copy.deepcopy(page).find("body")
            results.append(kind(body).sanitize(body, {}, keep_all_images))
        assert results[0] == results[1]


# Blocks readability-lxml's sanitize judges, and what its tests count in them.
_WORDS_OF = st.sampled_from(["", "word", "words, a comma", "x" * 30, "y " * 60, "z" * 500])
_LEAF = st.one_of(
    _WORDS_OF,
    _WORDS_OF.map(lambda text: f"<a href='/l'>{text}</a>"),
    st.sampled_from(
        [
            "<img src='/i.png'>",
            "<embed src='/e'>",
            "<input type='hidden'>",
            "<input type='text'>",
            "<li>item</li>",
            "<p>paragraph</p>",
            ",,,,,",
            "<div><img src='/i.png'><img src='/i.png'><img src='/i.png'></div>",
            "<p>" + "w" * 1100 + "</p><div><img src='/i.png'></div>",
            "<div><input type='hidden'><input><p>one</p></div>",
        ]
    ),
)
_BLOCK = st.recursive(
    _LEAF,
    lambda inner: st.tuples(
        st.sampled_from(["div", "ul", "table", "section", "aside", "header", "footer", "p"]),
        st.sampled_from(["", " class='sidebar'", " class='content'", " id='comments'"]),
        st.lists(inner, max_size=5),
    ).map(lambda t: f"<{t[0]}{t[1]}>{''.join(t[2])}</{t[0]}>"),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_BLOCK, min_size=1, max_size=5), st.booleans(), st.booleans())
def test_sanitize_judges_blocks_as_readability_does(
    blocks: list[str], in_article: bool, keep_all_images: bool
) -> None:
    """On generated blocks (images, inputs, embeds, list items, links and text of every
    length), ``sanitize`` removes what readability-lxml's own removes."""
    html = "".join(blocks) + "<li>x</li>" * (101 if keep_all_images else 0)
    wrapped = f"<article>{html}</article>" if in_article else f"<div>{html}</div>"
    page = htmltree.document(f"<html><body>{wrapped}</body></html>")
    results = []
    for kind in (_Readability, _PlainSanitize):
        body = copy.deepcopy(page).find("body")
        results.append(kind(body).sanitize(body, {}, keep_all_images))
    assert results[0] == results[1]


PARSED_PAGES = [
    "<html><head><base href='http://a.example/x/'><base><title>T</title></head><body>"
    "<div hidden><p hidden>nested</p></div><p style='color: red'>shown <a href='y'>y</a></p>"
    "<section style='DISPLAY: none'><div style='visibility:hidden'>gone</div></section>"
    "<p><img src='i.png' style='width: 1px'></p><base href='http://b.example/z/'>"
    "<p hidden='' style='display:none'>both</p><a href='/root'>r</a></body></html>",
    "<html><body><base href=''><p>an empty base href applies to nothing</p>"
    "<a href='rel'>rel</a></body></html>",
    "<html><body><p style='display: block'>no base, <a href='rel'>a link</a></p></body></html>",
]


@pytest.mark.parametrize("page", PARSED_PAGES)
def test_the_page_is_prepared_as_readability_prepares_it(page: str) -> None:
    """``_Readability._parse`` finds the hidden elements and the <base>s by their attributes and
    tag and gives the tree readability-lxml's ``_parse`` gives (and leaves the page as it does)."""
    ours, theirs = htmltree.document(page), htmltree.document(page)
    fast = _Readability(ours)._parse(ours)
    plain = Document(theirs)._parse(theirs)
    assert lxml.html.tostring(fast) == lxml.html.tostring(plain)
    assert lxml.html.tostring(ours) == lxml.html.tostring(theirs)


def test_elements_by_tag_are_those_readabilitys_findall_gives() -> None:
    """``_Readability.tags`` and ``reverse_tags`` (lxml's walk of each tag) give readability-lxml's
    elements in its order, each tag's found when its turn comes (elements dropped meanwhile are
    not found), and ``readable._count`` its counts."""
    page = (
        "<html><body><div><p>a</p><div><p>b</p><ul><li>c</li></ul></div></div>"
        "<table><tr><td><div>d</div></td></tr></table><p>e</p></body></html>"
    )
    for walk in ("tags", "reverse_tags"):
        found = []
        for document in (_Readability, Document):
            doc = htmltree.document(page)
            names = []
            for el in getattr(document, walk)(document(doc), doc, "div", "p", "li"):
                names.append(lxml.html.tostring(el))
                if el.tag == "div":
                    el.drop_tree()  # its paragraphs, found after it, go with it
            found.append(names)
        assert found[0] == found[1] and found[0]
    doc = htmltree.document(page)
    for tag in ("p", "div", "li", "img", "body"):
        assert readable._count(doc, tag) == len(doc.findall(f".//{tag}"))


@pytest.mark.parametrize(
    ("cls", "weight"),
    [
        ("mb-16 relative scroll-mt-8", 0),
        ("mb-4 md:scroll-pt-[72px]", 0),
        ("post scroll-mt-", 25),
        ("scroller", -25),
        ("infinite-scroll", -25),
        ("scroll-smooth", -25),
    ],
)
def test_tailwinds_scroll_margins_weigh_nothing(cls: str, weight: int) -> None:
    """A section's Tailwind scroll margin says where the page scrolls to it, not that it is a
    scroller: only readability-lxml's other uses of "scroll" weigh a block down."""
    element = htmltree.PARSER.makeelement("section")
    element.set("class", cls)
    assert (
        _Readability(htmltree.document("<html><body></body></html>")).class_weight(element)
        == weight
    )
