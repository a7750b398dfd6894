"""Figures written without <figure>: an image and its caption in a wrapper of their own.

Many news and blog systems put a photo and its caption in a plain wrapper rather than a
<figure> (WordPress's classic ``div.wp-caption`` around an <img> and a ``p.wp-caption-text``,
a newspaper CMS's ``div.inline-photo`` around an <img> and a ``span`` caption). The article pass
keeps a real <figcaption> and strips only the credit that ends it ("... Foto: dpa/Muster"), but it
takes such a caption for a credit line and drops it whole when it ends with one ("Pittsburgh's
mayor near the synagogue. (Dustin Franz/AFP/Getty Images)"), and the photo loses the sentence
that says what it shows, often the article's first words. Told by structure, in any language:
a wrapper whose only content is one image (an <img> or <picture>, maybe in its link) and, after
it, one short block of text; the block becomes a <figcaption> (and a <div> wrapper a <figure>),
so that the article pass treats it as the caption it is. A <figure> whose caption is written
as a plain paragraph is read the same way.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from proxy.content import rules
from proxy.htmltree import HEADINGS, has_text

# The image of a figure, and the elements that may hold it alone (a link to the full size, a
# <noscript> copy already shown by media.py, a <span> or <div> of the layout).
_IMAGES = frozenset({"img", "picture"})
_IMAGE_HOLDERS = frozenset({"a", "span", "div", "p", "noscript"})
# Content without text: beside one of these, the image and its text are not a figure alone
# (empty elements are: a line break, an anchor to link to the photo, a paragraph left empty).
_MEDIA = ("img", "picture", "video", "audio", "iframe", "object", "embed", "svg", "canvas", "table")
# Tags a caption is written in, and those of a wrapper that may be named <figure>. A caption is
# one block of text: holding blocks of its own, it is a box of several parts (a caption, its
# credit and the buttons that show and hide it).
_CAPTIONS = frozenset({"p", "span", "div", "small", "em", "i", "cite"})
_INNER_BLOCKS = (
    "p",
    "div",
    "section",
    "ul",
    "ol",
    "dl",
    "table",
    "blockquote",
    "figure",
    *HEADINGS,
)
_BLOCK_WRAPPERS = frozenset({"div"})


def name_implied_figures(article: HtmlElement) -> None:
    """Make, in place, each image's caption written in a plain wrapper a <figcaption> (and the
    wrapper, when a <div>, a <figure>): see the module docstring."""
    found = []
    for image in article.iter(*_IMAGES):
        parent = image.getparent()
        if image.tag == "img" and parent is not None and parent.tag == "picture":
            continue  # the <picture> is the image
        figure = _implied_figure(image)
        if figure is not None:
            found.append(figure)
    for wrapper, caption in found:
        caption.tag = "figcaption"
        if wrapper.tag in _BLOCK_WRAPPERS:
            wrapper.tag = "figure"


def _implied_figure(image: HtmlElement) -> tuple[HtmlElement, HtmlElement] | None:
    """(wrapper, caption) when the image's holder is followed by one short block of text and
    nothing else of substance, in a wrapper that has no <figcaption> yet. Each search stops at
    the first text that rules the image out: a page's many images cost a few small reads each."""
    holder = _holder(image)
    wrapper = holder.getparent()
    if wrapper is None or wrapper.tag == "figcaption" or _own_text(wrapper):
        return None
    if wrapper.tag == "figure" and wrapper.find(".//figcaption") is not None:
        return None
    children = _elements(wrapper)
    position = children.index(holder)
    if any(has_text(child) or _has_media(child) for child in children[:position]):
        return None
    after = (child for child in children[position + 1 :] if has_text(child) or _has_media(child))
    caption, other = next(after, None), next(after, None)
    if caption is None or other is not None or not _is_caption(caption):
        return None
    return wrapper, caption


def _holder(image: HtmlElement) -> HtmlElement:
    """The outermost element around the image that holds nothing else with text (its link, a
    <span> or <div> of the layout)."""
    holder = image
    while (parent := holder.getparent()) is not None and parent.tag in _IMAGE_HOLDERS:
        if _own_text(parent) or any(
            has_text(child) for child in _elements(parent) if child is not holder
        ):
            break
        holder = parent
    return holder


def _is_caption(el: HtmlElement) -> bool:
    """One short block of text, no media: a caption's shape."""
    if el.tag not in _CAPTIONS or _has_media(el):
        return False
    if next(el.iterdescendants(*_INNER_BLOCKS), None) is not None:
        return False
    return rules.CAPTION_MIN_WORDS <= len(el.text_content().split()) <= rules.CAPTION_MAX_WORDS


def _elements(el: HtmlElement) -> list[HtmlElement]:
    """The element's children that are elements (not comments nor processing instructions)."""
    return list(el.iterchildren(etree.Element))


def _own_text(el: HtmlElement) -> bool:
    """Whether the element has words of its own, outside its children (its text or their tails)."""
    return bool((el.text or "").strip()) or any((child.tail or "").strip() for child in el)


def _has_media(el: HtmlElement) -> bool:
    return next(el.iter(*_MEDIA), None) is not None
