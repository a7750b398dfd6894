"""Shop pages and hidden content: which pages declare one product, what a page hides and shows."""

from __future__ import annotations

import lxml.html
import pytest

from proxy.content import hidden, pipeline, shop
from tests.conftest import PAGES

_LD = '<script type="application/ld+json">{}</script>'


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        (_LD.format('{"@type": "Product", "name": "Kettle"}'), "", True),
        (_LD.format('{"@graph": [{"@type": "WebPage"}, {"@type": "ProductGroup"}]}'), "", True),
        ('<meta property="og:type" content="product">', "", True),
        ("", '<div itemscope itemtype="https://schema.org/Product"><b>Kettle</b></div>', True),
        # a review names its product, and says it is a review
        (
            _LD.format('[{"@type": "Review"}, {"@type": "NewsArticle"}, {"@type": "Product"}]'),
            "",
            False,
        ),
        # a category page lists many
        (
            _LD.format('[{"@type": "Product"}, {"@type": "Product"}, {"@type": "Product"}]'),
            "",
            False,
        ),
        (
            "",
            '<div itemscope itemtype="https://schema.org/Offer">'
            '<div itemprop="itemOffered" itemscope itemtype="https://schema.org/Product"></div></div>',
            False,
        ),
        ('<meta property="og:type" content="article">', "", False),
    ],
)
def test_a_product_page_declares_one_product(head: str, body: str, expected: bool) -> None:
    doc = lxml.html.document_fromstring(
        f"<html><head>{head}</head><body>{body}<p>x</p></body></html>"
    )
    assert shop.is_product_page(doc) is expected


def test_a_product_pages_own_dialogs_are_kept_but_not_those_repeated_per_item() -> None:
    doc = lxml.html.document_fromstring(
        '<html><head><meta property="og:type" content="product"></head><body>'
        '<div class="cookie-modal" role="dialog">Cookies</div><main>'
        '<div class="size-drawer" hidden><div class="modal-body">Sizes</div></div>'
        + '<div class="ad-lightbox" role="dialog">Why this ad</div>' * 3
        + "</main></body></html>"
    )
    kept = shop.product_dialogs(doc)
    assert sorted(el.text_content() for el in kept) == ["Sizes", "Sizes"]  # the drawer, its body
    assert not any(hidden.is_hidden(el) for el in kept)


def test_panels_the_pages_controls_open_are_shown_and_other_hidden_blocks_are_not() -> None:
    doc = lxml.html.document_fromstring(
        "<html><body><h1>Title</h1><p>Text of the page, long enough to be most of it.</p>"
        '<button aria-controls="specs">Specs</button><div id="specs" hidden>Specs</div>'
        '<div style="display:none"><div role="tabpanel">Tab</div></div>'
        '<div style="display: none">Data for a script</div></body></html>'
    )
    hidden.show_hidden_content(doc)
    assert [el.text_content() for el in doc.iter("div") if hidden.is_hidden(el)] == [
        "Data for a script"
    ]


@pytest.mark.parametrize(
    ("holder", "shown"),
    [
        ('<div class="product-wrapper" style="display: none">', True),
        ('<div class="republish-modal" style="display: none">', False),  # named as chrome
    ],
)
def test_a_page_hidden_until_its_scripts_ran_is_shown(holder: str, shown: bool) -> None:
    doc = lxml.html.document_fromstring(
        f"<html><body><p>Menu</p>{holder}<h1>Almond thins</h1>"
        "<p>Baked in small batches from almonds, flour and dried cranberries.</p></div>"
        "</body></html>"
    )
    hidden.show_hidden_content(doc)
    assert (not hidden.is_hidden(doc.find(".//h1").getparent())) is shown


def test_hidden_tab_panels_are_shown_but_not_those_of_a_closed_popover() -> None:
    doc = lxml.html.document_fromstring(
        "<html><body><div role='tabpanel'>Python</div>"
        "<div role='TabPanel' hidden style='color: red; display: none'>Ruby</div>"
        "<div popover><div role='tabpanel' hidden>Firefox</div></div>"
        "<div hidden>Menu</div></body></html>"
    )
    hidden.show_hidden_content(doc)
    shown = [el.text for el in doc.iter("div") if el.get("hidden") is None]
    assert "Ruby" in shown and "Firefox" not in shown and "Menu" not in shown
    assert "display" not in (doc.xpath("//div[.='Ruby']")[0].get("style") or "")


def test_what_the_site_builder_never_shows_is_removed_but_not_a_merely_hidden_panel() -> None:
    doc = lxml.html.document_fromstring(
        "<html><body><h1>Title</h1><p>The open article.</p>"
        '<div class="layout w-condition-invisible"><p>The gated copy.</p></div>'
        '<p class="w-condition-invisible-not">A lookalike name.</p>'
        '<button aria-controls="faq">FAQ</button><div id="faq" hidden>Answers</div>'
        "</body></html>"
    )
    hidden.show_hidden_content(doc)
    text = doc.text_content()
    assert "The gated copy." not in text
    assert "The open article." in text and "A lookalike name." in text and "Answers" in text


def test_a_copy_of_the_article_the_page_never_shows_is_not_read_twice() -> None:
    source = (PAGES / "never-shown-copy" / "source.html").read_bytes()
    text = pipeline.process(source, "https://studio.example/blog/pottery-class-prices").text
    assert text.count("Firing is the cost most new teachers forget.") == 1
