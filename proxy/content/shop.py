"""A shop's product page: its dialogs (size guide, product details, measurements) are its text.

A page that declares one product (one schema.org ``Product`` in JSON-LD or microdata, or Open
Graph's ``og:type`` "product") and is not an article keeps the product's details in dialogs and
drawers that its buttons open: the size guide, the full description, the measurements, the
certificates. Page pruning drops dialogs by role and by names (``modal``, ``overlay``...), right
for cookie banners, newsletter pop-ups and cart drawers. On such a page the dialogs inside its one
main landmark are kept and shown instead; those outside it (banners, carts, log-ins) are not, nor
dialogs repeated with one shape (a "why am I seeing this ad" box on every sponsored item).
"""

from __future__ import annotations

import re
from collections import Counter

from lxml import etree
from lxml.html import HtmlElement

from proxy.content import clean, hidden, rules
from proxy.content.meta import jsonld

# schema.org types of one product (JSON-LD @type, lower-cased, or microdata itemtype).
PRODUCT_TYPES = frozenset({"product", "productgroup", "individualproduct", "productmodel"})
_PRODUCT_ITEMTYPE = re.compile(
    r"^https?://schema\.org/(?:Product|ProductGroup|IndividualProduct|ProductModel)/?$", re.I
)
# Open Graph types of a product page.
OG_PRODUCT_TYPES = frozenset({"product", "og:product", "product.item"})
# Where a page says its content is (as extract.LANDMARKS).
_LANDMARKS = etree.XPath("//main | //@role[. = 'main']/..")
# Microdata items, JSON-LD scripts and og:type found by their attributes, as the landmarks are:
# XPath reads only the attributes of those names rather than testing every element of the page for
# them (the same nodes; speed shortcut).
_ITEMS = etree.XPath("//@itemscope/parent::*[@itemtype]")
# JSON-LD is parsed only on a page whose JSON-LD names a product at all (most pages: none).
_LD_NAMES_PRODUCT = etree.XPath(
    "boolean(//@type[. = 'application/ld+json']/parent::script[contains(., 'Product')])"
)
_OG_TYPE = etree.XPath("string(//@property[. = 'og:type']/parent::meta/@content)")
# What makes an element a dialog: its tag, its role, or a token of its names.
DIALOG_TAGS = frozenset({"dialog"})
DIALOG_ROLES = frozenset({"dialog", "alertdialog"})
DIALOG_TOKENS = frozenset({"modal", "popup", "overlay", "lightbox", "drawer"})


def product_dialogs(doc: HtmlElement) -> frozenset[HtmlElement]:
    """The dialogs inside the main landmark of a one-product page, shown (in place) and to be
    kept by page pruning; none on other pages."""
    landmarks = _LANDMARKS(doc)
    if len(landmarks) != 1 or not is_product_page(doc):
        return frozenset()
    found = [el for el in landmarks[0].iter(etree.Element) if _is_dialog(el)]
    every = set(found)
    outer = [el for el in found if every.isdisjoint(el.iterancestors())]
    shapes = Counter(clean.shape(el) for el in outer)
    single = {el for el in outer if shapes[clean.shape(el)] < rules.MIN_REPEATS}
    kept = frozenset(
        el for el in found if el in single or not single.isdisjoint(el.iterancestors())
    )
    for el in kept:
        hidden.show(el)
    return kept


def is_product_page(doc: HtmlElement) -> bool:
    """Whether the page declares one product and is not an article (a review names its product
    too, and says it is a review)."""
    objects = jsonld.objects(doc) if _LD_NAMES_PRODUCT(doc) else []
    if jsonld.is_story(objects):
        return False
    declared = sum(1 for obj in objects if jsonld.types(obj) & PRODUCT_TYPES)
    items = sum(1 for el in _ITEMS(doc) if _is_product_item(el))
    og_type = str(_OG_TYPE(doc)).strip().lower()
    return declared == 1 or items == 1 or og_type in OG_PRODUCT_TYPES


def _is_product_item(el: HtmlElement) -> bool:
    """A top-level microdata item of a product type (not an offer's or a review's part)."""
    types = (el.get("itemtype") or "").split()
    if not any(_PRODUCT_ITEMTYPE.match(kind) for kind in types):
        return False
    return all(parent.get("itemscope") is None for parent in el.iterancestors())


def _is_dialog(el: HtmlElement) -> bool:
    if el.tag in DIALOG_TAGS or (el.get("role") or "").lower() in DIALOG_ROLES:
        return True
    return not DIALOG_TOKENS.isdisjoint(clean.tokens(el))
