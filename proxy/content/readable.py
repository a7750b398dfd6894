"""readability-lxml as Declutter uses it: the base that chooses the article.

``choose_article`` hands readability-lxml the pruned page (``prepare_page`` trims it) and runs
``_Readability``, a subclass that changes these of its steps: no removal of "unlikely candidates"
(``clean.prune_page`` judged every class and id already, by whole tokens), lists weighed as content
and the ids of the article's own sections not weighed down by their words, the headings between the
parts of a split article kept with them, the blocks before its best one that open the article
(a <div> of a paragraph or a few under a heading, a block of its kind) kept, headings and code
samples kept whatever their names and permalinks (documentation), and its turning of <div>s into
paragraphs made on the tree (the same result, a fraction of the time).

Speed shortcuts that keep readability-lxml's results and skip work (each with its figure at the
code): its ``clean`` (the whitespace collapse behind every text length it measures) runs a regex
only where one can match; its retry of a short article is skipped, as it would repeat the same
steps to the same result; its scoring measures each link once; its search for quote leads judges
each ancestor once; the <div> it moves the article into is made by our parser, so the article's
elements keep their class lookup in C; its weighing of class and id names searches an ASCII name
in lower case, without its patterns' slow case-insensitivity; its final cleaning (``sanitize``)
takes each element's text once and counts only what its tests reach; its preparation of the
page (``_parse``) finds the hidden elements by their attributes and the <base> by its tag.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterator
from itertools import repeat
from typing import Any, Literal, NamedTuple, cast

import lxml.html
import readability.readability
from lxml import etree
from lxml.html import HtmlElement
from readability import Document
from readability.readability import REGEXES, Unparseable

from proxy import htmltree
from proxy.content import clean, grids
from proxy.content.caseless import Caseless
from proxy.content.metadata import squash
from proxy.content.pageclean import FastCleaner

# readability-lxml weighs an element by its class and id (+-25 for each name that says content or
# boilerplate) and removes a list of weight under 25 whose links pass a fifth of its text (a half at
# 25): lists get this much, as in-article lists of shops, sources and people link a few words each.
LIST_WEIGHT = 25
LIST_TAGS = frozenset({"ul", "ol"})
# A code sample's wrapper holds at most this many times its <pre>'s text, plus this many characters
# (a file name, a language label, a "Copy" button): readability-lxml keeps it whatever its class.
CODE_WRAPPER_SHARE = 1.5
CODE_WRAPPER_CHARS = 50
# readability-lxml's weight for a name that says boilerplate, and its pattern for such names.
NEGATIVE_WEIGHT = 25
# A linked heading followed by a paragraph of at least this many words heads the article's own
# section (modern-web-dev: listicles linking each item's heading to its course or product); a
# teaser card's text under its headline is a line or two.
SECTION_PROSE_WORDS = 40
_WORDS = re.compile(r"\w+")
# A <div> around one paragraph of at least this many words that links at most this share of its
# text is prose, kept: readability-lxml removes a <div> whose links pass a fifth of its text, and a
# blog's paragraph linking three of its phrases did (seen on three modern-web-dev pages).
PROSE_WRAPPER_WORDS = 15
PROSE_WRAPPER_LINK_SHARE = 0.35
# A paragraph class carried by at least this many paragraphs of PROSE_WRAPPER_WORDS or more, each
# alone in a <div>, is the article's prose style: the short paragraphs of that style are kept.
BODY_CLASS_PARAGRAPHS = 5
_NEGATIVE = REGEXES["negativeRe"]
_POSITIVE = REGEXES["positiveRe"]
# readability-lxml turns a <div> into a <p> unless its children hold an element whose tag begins
# like one of these: it searches their serialisation for
# "<(blockquote|dl|div|img|ol|p|pre|table|ul)" (so an SVG <path> counts, as "<p" begins it).
_BLOCK_START = re.compile(r"blockquote|dl|div|img|ol|p|pre|table|ul", re.IGNORECASE)
# White space as XPath's normalize-space reads it: the layout between tags.
_XML_SPACE = " \t\n\r"
# The inline children readability-lxml gathers into new paragraphs inside a remaining <div>.
_GATHERED = frozenset(
    {"a", "b", "cite", "code", "em", "font", "i", "small", "span", "strong", "sub", "sup", "u"}
)
# readability-lxml retries an article shorter than this (characters) without its removal of
# "unlikely candidates"; ours removes none, so the retry repeats the same steps to the same result.
# 0 skips it (modern-web-dev: 40 of 576 runs were such repeats). Speed shortcut.
NO_RETRY = 0
# Readability's test of a paragraph beside the article's best block: over this many characters
# with a link density under SIBLING_LINK_DENSITY, or shorter, linkless and ending a sentence.
SIBLING_PARAGRAPH_CHARS = 80
SIBLING_LINK_DENSITY = 0.25
# A block before the best one that shares this share of its class names is of its kind, and taken
# with it when it holds prose (modern-web-dev 0332's "intro" rich-text block, 3 of 3 names; a
# listicle's items, 3 of 5: the type names differ).
KIND_SHARED_NAMES = 0.5
# The elements around the best block's parent that hold at most this share of its text (a photo's
# credit more) wrap it alone, at most this many of them: the block of a wrapper's kind just before
# it opens the article (a CMS's content elements, one per part: boilerplate-990 demokratiewebstatt,
# modern-web-dev 0145, 0288, 0346, 2218) when it holds this share of its text in paragraphs of
# prose (``_holds_prose``; a headline over a photo and its caption, a box of phone numbers and
# opening hours hold less) and is the only block of that shape before it (a forum's posts, a
# landing page's cards are a run of items, each its own).
WRAPPER_SHARE = 1.1
MAX_WRAPPERS = 5
OPENING_PROSE_SHARE = 0.5
_SENTENCE_END = re.compile(r"\.( |$)").search
# readability-lxml's ``clean``, the whitespace collapse of every text it measures, as compiled
# regexes (its own passes the pattern strings to ``re.sub`` each call).
_LONG_SPACE = re.compile(r"\s{255,}")
# A run of 255 white space characters or more holds one of the text's aligned blocks of 128
# characters (from position 0, 128, 256...) whole: only a text with a block of white space can
# hold a run for ``_LONG_SPACE``, whose attempt at every white space character of every long
# text was 70% of ``_collapse_space``'s instructions. Speed shortcut.
_SPACE_BLOCK = 128
_WHITE_BLOCK = re.compile(rf"\s{{{_SPACE_BLOCK}}}")
_TAB_OR_SPACES = re.compile(r"\t|[ \t]{2,}")


class Choice(NamedTuple):
    """readability-lxml's choice of article as HTML ("" when it found nothing to choose) and,
    when it chose one item of a grid of linked items, that grid (grids.py)."""

    html: str
    grid: grids.Grid | None = None


def choose_article(page: HtmlElement, outline: frozenset[str] = frozenset()) -> Choice:
    """readability-lxml's choice of article, and the grid it is one item of (see ``Choice``).

    Given a tree, readability-lxml uses it instead of serialising and re-parsing the page: it
    removes the page's hidden elements from it, then works on its own copy (lxml_html_clean's
    ``clean_html`` copies), so the page stays usable for the later steps. It gets no
    URL: it would make every link of the page absolute, a twentieth of our time, while sanitise
    does so for the few links the article keeps (a <base> is still applied by readability).
    """
    try:
        chooser = _Readability(page, retry_length=NO_RETRY)
        chooser.outline = outline
        return Choice(chooser.summary(html_partial=True), chooser.grid)
    except Unparseable:
        return Choice("")


class _Readability(Document):
    """readability-lxml without its removal of "unlikely candidates": ``clean.prune_page`` has
    judged every class and id by whole tokens already, while readability's regex matches parts of
    names and removes quoted posts ("twitter-tweet"), article headers ("post-header") and more.

    Headings are not weighed by their names at all (readability drops a heading whose weight is
    negative, as "scroll-mt-20" or "media-heading" made it), nor by the links to their own place
    on the page; code samples are kept whatever their wrapper's name (``_code_blocks``).

    Lists weigh as if their name said "content" (see ``LIST_WEIGHT``), and the headings between the
    parts of a split article are kept with the parts (readability keeps siblings that score as
    content or are long paragraphs, so a "headline" <div> between two text <div>s was lost), as
    are the blocks before the best one that open the article: a paragraph wrapped alone in a
    <div> (or a few under their heading), a block of the best one's kind, a block of prose of the
    kind of a wrapper around it.
    """

    def remove_unlikely_candidates(self) -> None:
        """Remove nothing (see the class docstring)."""

    def tags(self, node: HtmlElement, *tag_names: str) -> Iterator[HtmlElement]:
        """readability-lxml's elements of these tags below ``node``, tag by tag, each tag's found
        when its turn comes (``findall(".//tag")``, a list): found by lxml's walk of the tag,
        without ElementPath's parsing and generators around it (speed shortcut, the same
        elements)."""
        for tag_name in tag_names:
            yield from list(node.iterdescendants(tag_name))

    def reverse_tags(self, node: HtmlElement, *tag_names: str) -> Iterator[HtmlElement]:
        """``tags``, each tag's elements in reverse page order."""
        for tag_name in tag_names:
            yield from reversed(list(node.iterdescendants(tag_name)))

    def _parse(self, input: Any) -> HtmlElement:
        """readability-lxml's preparation of a page given as a tree, the same steps: its hidden
        elements dropped, a cleaned copy made, its <base> applied to the copy's links. The
        elements are found by their attributes (``_HIDDEN_ELEMENTS``, ``_STYLED``) and the
        <base> by lxml's walk of one tag, where readability-lxml's XPaths tested every element
        (and lxml's ``resolve_base_href`` every element twice, once for XHTML's namespace, which
        no element of an HTML parser's has). Speed shortcut, the same nodes in the same order."""
        if not isinstance(input, HtmlElement) or self.url:
            return cast(HtmlElement, super()._parse(input))
        self.encoding = "utf-8"
        for elem in _HIDDEN_ELEMENTS(input):
            elem.drop_tree()
        for elem in _STYLED(input):
            if _DISPLAY_NONE(elem.get("style")):
                elem.drop_tree()
        doc = cast(HtmlElement, readability.readability.html_cleaner.clean_html(input))
        _resolve_base_href(doc, self.handle_failures)
        htmltree.keep(doc)  # its many walks reuse the elements' objects (htmltree.keep)
        return doc

    def transform_misused_divs_into_paragraphs(self) -> None:
        """readability-lxml's step with the same result, its test made on the tree: it serialised
        the children of every <div> to search them for block tags, the whole page again for each
        outer <div> (a fifth of its time)."""
        holders = _block_holders(self.html)
        for div in self.tags(self.html, "div"):
            if holders.isdisjoint(div):
                div.tag = "p"  # still a holder: "<p" begins like a block too
        for div in self.tags(self.html, "div"):
            _paragraphs_in_div(div, holders)

    # The ids the page links to from within itself (``clean.outline_targets``), read before
    # pruning removed its table of contents.
    outline: frozenset[str] = frozenset()
    # The grid of linked items the chosen element is one item of (``get_article``).
    grid: grids.Grid | None = None
    # readability-lxml's weight of a class and id pair (its regexes; no keywords are given to it)
    # and whether the id has a negative word, judged once per distinct pair: pages repeat their
    # class names (on median dev pages 63% of its weighings repeat a pair). Speed shortcut, kept
    # for the one page this instance reads.
    _name_weights: dict[tuple[str | None, str | None], tuple[float, bool]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._name_weights = {}
        self._openings: set[HtmlElement] = set()

    def class_weight(self, e: HtmlElement) -> float:
        """readability-lxml's weight, lists weighed up, and the negative words in the id of a
        section of the article's outline forgiven (``clean.is_outline_section``:
        "social-media-marketing" names no media widget). Headings weigh nothing: their names
        were judged by whole tokens in prune_page (see the class docstring)."""
        if e.tag in htmltree.HEADINGS:
            return 0
        if self.positive_keywords or self.negative_keywords:  # they weigh the tag too
            return self._weight(e)
        names = (_without_utilities(e.get("class")), e.get("id"))
        if names not in self._name_weights:  # speed shortcut: see ``_name_weights``
            self._name_weights[names] = (
                _name_weight(names),
                bool(names[1] and _NEGATIVE_NAMES.search(names[1])),
            )
        weight, negative_id = self._name_weights[names]
        weight += LIST_WEIGHT if e.tag in LIST_TAGS else 0
        if negative_id and clean.is_outline_section(e, self.outline):
            weight += NEGATIVE_WEIGHT
        return weight

    def _weight(self, e: HtmlElement) -> float:
        """``class_weight`` without the shortcut."""
        weight = super().class_weight(e) + (LIST_WEIGHT if e.tag in LIST_TAGS else 0)
        ident = e.get("id")
        if ident and _NEGATIVE.search(ident) and clean.is_outline_section(e, self.outline):
            weight += NEGATIVE_WEIGHT
        return weight

    # Speed shortcuts: readability-lxml measures the same elements again and again within one
    # step that changes nothing (its scoring, its search for quote leads); those measures are
    # kept for the step's length. modern-web-dev: link density was 4.3% of the pipeline's time,
    # the quote leads 2.5%.
    _link_lengths: dict[HtmlElement, int] | None = None
    _quote_leads: dict[HtmlElement, bool] | None = None
    # The links of the lists a sentence introduces (``_introduced_lists``), found with the
    # elements ``sanitize`` keeps: from then on they count against no block around them.
    _introduced_links: frozenset[HtmlElement] | set[HtmlElement] = frozenset()

    def score_paragraphs(self) -> dict:
        """readability-lxml's scoring, each link's text length measured once (see above)."""
        self._link_lengths = {}
        try:
            return super().score_paragraphs()
        finally:
            self._link_lengths = None

    def get_link_density(self, elem: HtmlElement) -> float:
        """readability-lxml's link density: link text over all text, by its measure."""
        if elem.tag in htmltree.HEADINGS:
            return _heading_link_density(elem)
        lengths = self._link_lengths
        if lengths is None and self._introduced_links:  # in ``sanitize``, after they are found
            length = readability.readability.text_length
            introduced = self._introduced_links
            links = sum(length(a) for a in elem.iterdescendants("a") if a not in introduced)
            return float(links) / max(length(elem), 1)
        if lengths is None:
            return super().get_link_density(elem)
        link_length = 0
        for link in elem.iterdescendants("a"):
            if link not in lengths:
                lengths[link] = readability.readability.text_length(link)
            link_length += lengths[link]
        return float(link_length) / max(readability.readability.text_length(elem), 1)

    def get_preserved_elements(self, node: HtmlElement) -> dict:
        """readability-lxml's table-of-contents lists and quote leads, each ancestor judged once,
        with the wrappers of code samples, data tables and linked prose paragraphs, the lists
        a sentence introduces, and the article's opening blocks taken beside its best one (their
        names weigh nothing there: "el__leafmedia" says "media")."""
        self._quote_leads = {}
        try:
            kept = super().get_preserved_elements(node)
            kept.update(dict.fromkeys(_code_blocks(node), True))
            kept.update(dict.fromkeys(_prose_wrappers(node), True))
            kept.update(dict.fromkeys(_body_paragraph_wrappers(node), True))
            kept.update(dict.fromkeys(self._openings, True))
            introduced = _introduced_lists(node)
            kept.update(dict.fromkeys(introduced, True))
            self._introduced_links = {a for items in introduced for a in items.iter("a")}
            return kept
        finally:
            self._quote_leads = None

    def is_quote_lead(self, elem: HtmlElement) -> bool:
        """readability-lxml's test: the element or an ancestor ends in ":" (and is long enough)
        and the next sibling holds a <blockquote>; each ancestor's verdict is kept."""
        verdicts = self._quote_leads
        if verdicts is None:
            return super().is_quote_lead(elem)
        for lead in (elem, *elem.iterancestors()):
            if lead not in verdicts:
                verdicts[lead] = self._leads_quote(lead)
            if verdicts[lead]:
                return True
        return False

    def _leads_quote(self, lead: HtmlElement) -> bool:
        following = lead.getnext()
        if following is None or not following.findall(".//blockquote"):
            return False
        text = readability.readability.clean(lead.text_content() or "")
        return len(text) >= self.min_text_length and text.endswith(":")

    def sanitize(self, node: HtmlElement, candidates: dict, keep_all_images: bool = False) -> str:
        """readability-lxml's cleaning of the chosen article, the same steps and verdicts, each
        element's text taken once per turn of its last loop and each count made only when its
        test is reached (``_conditionally_removed``). Speed shortcut: readability-lxml took
        every table, list and <div>'s text three times (its comma count, its length and its link
        density's) and counted six kinds of descendants and its hidden inputs whatever its
        tests needed (5.6% of the pipeline's time on modern-web-dev under cProfile)."""
        for header in self.tags(node, "h1", "h2", "h3", "h4", "h5", "h6"):
            if self.class_weight(header) < 0 or self.get_link_density(header) > 0.33:
                header.drop_tree()
        for elem in self.tags(node, "p"):
            if _CALL_TO_ACTION(elem.text_content()) and self.get_link_density(elem) > 0.2:
                elem.drop_tree()
        for elem in self.tags(node, "form", "textarea"):
            elem.drop_tree()
        for elem in self.tags(node, "iframe"):
            if "src" in elem.attrib and readability.readability.is_video_url(elem.attrib["src"]):
                elem.attrib.pop("srcdoc", None)
                elem.text = "VIDEO"  # as readability-lxml: <iframe></iframe> written in full
            else:
                elem.drop_tree()
        allowed = self.get_preserved_elements(node)
        conditional = ("table", "ul", "div", "aside", "header", "footer", "section")
        for el in self.reverse_tags(node, *conditional):  # found tag by tag, as the drops go
            if el in allowed:
                continue
            weight = self.class_weight(el)
            content_score = candidates[el]["content_score"] if el in candidates else 0
            if weight + content_score < 0:
                _debug("Removed %s with score %6.3f and weight %-3s", el, content_score, weight)
                el.drop_tree()
                continue
            text = el.text_content()
            if text.count(",") >= 10:
                continue
            reason = self._conditionally_removed(el, text, weight, keep_all_images, allowed)
            if reason:
                _debug("Removed %s with weight %s cause it has %s.", el, weight, reason)
                el.drop_tree()
            elif reason is not None:
                _debug("Not removing %s", el)
        self.html = node
        return self.get_clean_html()

    def _conditionally_removed(
        self,
        el: HtmlElement,
        text: str,
        weight: float,
        keep_all_images: bool,
        allowed: dict,
    ) -> str | None:
        """readability-lxml's reason to remove a table, list or <div> of under ten commas, its
        tests in its order; "" when it keeps it, None when it skips it (``keep_all_images``).
        ``text`` is the element's ``text_content``; ``allowed`` gains what a long neighbour
        saves, as readability-lxml's does."""
        text_length = readability.readability.text_length
        tag = el.tag
        paragraphs = _count(el, "p")
        images = _count(el, "img")
        content_length = len(readability.readability.clean(text))
        if keep_all_images and tag == "div" and images >= 1:
            return None
        if paragraphs and images > 1 + paragraphs * 1.3:
            return "too many images"
        if tag not in ("ol", "ul") and _count(el, "li") - 100 > paragraphs:
            return "more <li>s than <p>s"
        inputs = _count(el, "input")
        if inputs > paragraphs / 3:  # hidden ones only lower the count
            inputs -= len(el.findall('.//input[@type="hidden"]'))
            if inputs > paragraphs / 3:
                return "less than 3x <p>s than <input>s"
        if content_length < self.min_text_length and (images == 0 or images > 2):
            return "too short content length"
        introduced = self._introduced_links  # an introduced list's links are the article's
        links = sum(text_length(a) for a in el.iterdescendants("a") if a not in introduced)
        link_density = float(links) / max(content_length, 1)  # readability-lxml's get_link_density
        if weight < 25:
            within = tag in ("ul", "section") and _IN_MAIN_OR_ARTICLE(el)
            if link_density > (0.25 if within else 0.2):
                return "too many links"
        elif link_density > 0.5:
            return "too many links"
        embeds = _count(el, "embed")
        if (embeds == 1 and content_length < 75) or embeds > 1:
            return "<embed>s with too short content length, or too many <embed>s"
        if content_length:
            return ""
        # No content: kept when the nearest non-empty sibling after it and the one before it
        # hold over 1000 characters between them, and the tables, lists and <div>s in it too.
        siblings = []
        for following in (el.itersiblings(), el.itersiblings(preceding=True)):
            for sib in following:
                sib_length = text_length(sib)
                if sib_length:
                    siblings.append(sib_length)
                    break
        if siblings and sum(siblings) > 1000:
            for kept in self.tags(el, "table", "ul", "div", "section"):
                allowed[kept] = True
            return ""
        return "no content"

    def get_article(
        self, candidates: dict, best_candidate: dict, html_partial: bool = False
    ) -> HtmlElement:
        """readability's article with the headings between the siblings it took, the
        paragraphs it misjudged (``_reads_as_paragraph``) and the blocks before the best one that
        open the article (``_opens_article``, ``_same_kind``), or before a wrapper of it
        (``_outer_openings``), in page order. The grid its best
        element is one item of is found first, before the article is moved out of the page."""
        self.grid = grids.holding_grid(best_candidate["elem"], self.input)
        parent = best_candidate["elem"].getparent()
        siblings = list(parent) if parent is not None else []
        wrappers = _wrappers(parent) if parent is not None else []
        article = super().get_article(candidates, best_candidate, html_partial)
        best = best_candidate["elem"]
        taken = [i for i, s in enumerate(siblings) if s.getparent() is not parent]
        if taken:
            root = article if html_partial else article.find("body/div")
            before = True
            for i, s in enumerate(siblings):
                before = before and s is not best
                between = taken[0] <= i <= taken[-1] and _is_heading_block(s)
                opening = before and (self._opens_article(s) or self._same_kind(s, best))
                if opening:
                    self._openings.add(s)
                if s.getparent() is not parent or between or opening or self._reads_as_paragraph(s):
                    root.append(s)  # appended again one by one: page order
            outer = [s for w in reversed(wrappers) for s in self._outer_openings(w)]
            self._openings.update(outer)
            for i, s in enumerate(outer):  # before all it took: page order
                root.insert(i, s)
        return article

    def _outer_openings(self, wrapper: HtmlElement) -> list[HtmlElement]:
        """The block just before ``wrapper`` (the best block's parent or a wrapper around it,
        ``_wrappers``) when it is of its kind and opens the article (see ``WRAPPER_SHARE``): a
        CMS puts each part of an article in a content element of its own, the opening one
        (the headline and a first paragraph) beside the one around readability's best block."""
        before = [s for s in wrapper.itersiblings(preceding=True) if htmltree.has_text(s)]
        if not before or not self._same_kind(before[0], wrapper) or not _holds_prose(before[0]):
            return []
        if any(_shape(s) == _shape(wrapper) for s in before[1:]):
            return []  # one of a run of items (posts, cards), not an opening
        return before[:1]

    def _same_kind(self, sibling: HtmlElement, best: HtmlElement) -> bool:
        """Whether a block before the best one is of its kind: its tag and at least
        ``KIND_SHARED_NAMES`` of its class names. A site builder's rich-text blocks, the first
        ("intro" added to its names) holding the article's introduction, shorter and so scored
        lower than the body; a listicle's items, named for their type ("item_image",
        "item_text"), the best one an item near the end. Prose, with few links."""
        names = set((best.get("class") or "").split())
        if not names or sibling.tag != best.tag:
            return False
        shared = names & set((sibling.get("class") or "").split())
        if len(shared) < KIND_SHARED_NAMES * len(names):
            return False
        if readability.readability.text_length(sibling) <= SIBLING_PARAGRAPH_CHARS:
            return False  # a byline, a date line, an empty frame of the same kind
        return self.get_link_density(sibling) < SIBLING_LINK_DENSITY

    def _opens_article(self, sibling: HtmlElement) -> bool:
        """Whether a block before the best one is the article's opening paragraph wrapped alone
        in a <div>: Readability.js unwraps such a <div> before it scores and takes it beside the
        best block as a paragraph, where readability-lxml judged it by its score alone (a news
        site's first paragraph set apart from the rest, below a lead photo's slot). So is a
        <div> of long paragraphs under their heading and nothing else (a review's "Quick
        insight", a guide's opening section)."""
        if sibling.tag != "div" or (sibling.text or "").strip():
            return False
        children = [c for c in sibling if isinstance(c.tag, str)]
        if any((c.tail or "").strip() for c in children):
            return False
        paras = [c for c in children if c.tag == "p"]
        if not paras or any(c.tag != "p" and c.tag not in htmltree.HEADINGS for c in children):
            return False
        for para in paras:  # long, as an opening is (a short one is a date line, a label)
            if readability.readability.text_length(para) <= SIBLING_PARAGRAPH_CHARS:
                return False
        return self.get_link_density(sibling) < SIBLING_LINK_DENSITY

    def _reads_as_paragraph(self, sibling: HtmlElement) -> bool:
        """Readability's test of a sibling <p> on its whole text, as Readability.js makes it:
        readability-lxml reads only the text before the paragraph's first child (``p.text``), so
        a paragraph opening with a drop cap, a bold dateline or a link was judged empty and the
        article's first paragraph left out."""
        if sibling.tag != "p" or not len(sibling):
            return False  # text alone: readability-lxml judged it whole
        text = sibling.text_content()
        if len(text) > SIBLING_PARAGRAPH_CHARS:
            return self.get_link_density(sibling) < SIBLING_LINK_DENSITY
        return bool(text) and self.get_link_density(sibling) == 0 and bool(_SENTENCE_END(text))


def _holds_prose(el: HtmlElement) -> bool:
    """Whether a block holds a paragraph of prose (see ``SIBLING_PARAGRAPH_CHARS``) outside a
    figure, with a sentence's end: an opening, not a headline over a photo and its caption, nor
    a box of contact lines."""
    length = readability.readability.text_length
    prose = sum(
        length(p)
        for p in el.iter("p")
        if length(p) > SIBLING_PARAGRAPH_CHARS
        and _SENTENCE_END(p.text_content())
        and next(p.iterancestors("figure", "figcaption"), None) is None
    )
    return prose >= OPENING_PROSE_SHARE * length(el)


def _shape(el: HtmlElement) -> tuple[str, frozenset[str]]:
    return str(el.tag), frozenset((el.get("class") or "").split())


def _wrappers(parent: HtmlElement) -> list[HtmlElement]:
    """The best block's parent and the elements around it that hold little more text (see
    ``WRAPPER_SHARE``), innermost first."""
    length = above_length = readability.readability.text_length(parent)
    found = [parent]
    for above in parent.iterancestors():
        if above.tag in ("body", "html") or len(found) > MAX_WRAPPERS:
            break
        if not _wraps_alone(above, found[-1]):  # else the same text, the same length
            above_length = readability.readability.text_length(above)
        if above_length > WRAPPER_SHARE * length:
            break
        found.append(above)
    return found


def _wraps_alone(above: HtmlElement, inner: HtmlElement) -> bool:
    """Whether ``inner`` is ``above``'s only child and only white space is around it: their
    ``text_length`` is the same (the white space collapse strips what is at a text's ends), so it
    is not measured again (speed shortcut: most wrappers wrap one element)."""
    return len(above) == 1 and not (above.text or "").strip() and not (inner.tail or "").strip()


_CALL_TO_ACTION = REGEXES["callToActionRe"].search
# The elements readability-lxml drops as hidden (``//*[@hidden]``, then those of ``//*[@style]``
# whose style hides them), found by their attributes: less than half the time (speed shortcut).
_HIDDEN_ELEMENTS = etree.XPath("//@hidden/..")
# The head's elements but <base> (``prepare_page``), and an element's <main> or <article> above it
# (a list's link density): compiled once, as ``el.xpath(string)`` compiles its string each call
# (16 us a call against 8 us; the article's cleaning asks it of each list and section).
_HEAD_METADATA = etree.XPath("/html/head/*[not(self::base)]")
_IN_MAIN_OR_ARTICLE = etree.XPath("ancestor::main | ancestor::article")
_STYLED = etree.XPath("//@style/..")
_DISPLAY_NONE = REGEXES["displayNoneRe"].search


def _resolve_base_href(
    doc: HtmlElement, handle_failures: Literal["ignore", "discard"] | None
) -> None:
    """lxml's ``resolve_base_href``: every <base href> of the page removed and the last one's
    link applied to the links (none when it is empty); its <base> elements found by lxml's walk
    of that tag (see ``_Readability._parse``)."""
    base_href = None
    bases = [b for b in doc.getroottree().getroot().iter("base") if b.get("href") is not None]
    for base in bases:
        base_href = base.get("href")
        base.drop_tree()
    if base_href:
        doc.make_links_absolute(base_href, resolve_base_href=False, handle_failures=handle_failures)


def _debug(message: str, el: HtmlElement, *args: object) -> None:
    """A line of readability-lxml's debug log about ``el``, made only when that log is on."""
    if readability.readability.log.isEnabledFor(logging.DEBUG):
        readability.readability.log.debug(message, _DESCRIBE(el), *args)


def _count(el: HtmlElement, tag: str) -> int:
    """How many elements of the tag are below ``el``: readability-lxml's ``len(el.findall(".//"
    + tag))`` by lxml's walk of the tag (see ``_Readability.tags``)."""
    return len(list(el.iterdescendants(tag)))


def _without_utilities(name: str | None) -> str | None:
    """A class without Tailwind's scroll margin and padding utilities ("scroll-mt-8"), which say
    where the page scrolls to a section, not that it is a scroller: readability-lxml's "scroll"
    weighed them down, and sanitize dropped a short opening section beside its long siblings."""
    if name is None or "scroll-" not in name:
        return name
    return _SCROLL_UTILITY.sub("", name)


def _name_weight(names: tuple[str | None, str | None]) -> float:
    """readability-lxml's ``class_weight`` of an element with this class and id when it is given
    no keywords: -25 for each name that says boilerplate, +25 for each that says content."""
    weight = 0
    for name in names:
        if name:
            weight += 25 * (_POSITIVE_NAMES.search(name) - _NEGATIVE_NAMES.search(name))
    return weight


# readability-lxml's patterns of words asked as ``caseless`` asks rules.py's: an ASCII or Latin-1
# name lower-cased once, of the pattern compiled case-sensitive (a case-insensitive search tries
# both cases of every letter: its two weighings of a page's class and id names were 1% of the
# pipeline's time under cProfile, Tailwind names run to thousands of characters). Speed shortcut.
_NEGATIVE_NAMES = Caseless(_NEGATIVE)
_POSITIVE_NAMES = Caseless(_POSITIVE)
# Tailwind's scroll-margin and scroll-padding utilities, with their variants ("md:scroll-mt-8",
# "scroll-pt-[72px]"): a whole class token.
_SCROLL_UTILITY = re.compile(r"(?<!\S)(?:[\w-]+:)*scroll-[mp][trblxyse]?-\S*")


def _code_blocks(node: HtmlElement) -> list[HtmlElement]:
    """The wrappers of the article's code samples and data tables: each ancestor of a <pre> or
    a <table> whose text is little more than the block's (a file name, a language tab, a "Copy"
    button). readability-lxml judges a wrapper by its class by substring ("scroll" in a Tailwind
    "scroll-mt-2" or a "scrollable-table", "tool" in "toolbar") and drops it, and the
    documentation's code or the article's table goes with it. A table in or around another
    table is the page's layout, not data: its holders are left to readability-lxml.

    Each ancestor's text is measured once (the tree does not change meanwhile): a documentation
    page's code samples share their ancestors, and the article around fifty samples was measured
    fifty times (2% of the pipeline's time on modern-web-dev under cProfile). Speed shortcut."""
    found = []
    lengths: dict[HtmlElement, int] = {}
    for pre in node.iter("pre", "table"):
        code = readability.readability.text_length(pre)
        if not code or (pre.tag == "table" and _is_layout_table(pre)):
            continue
        for el in pre.iterancestors():
            if el is node:
                break
            if el not in lengths:
                lengths[el] = readability.readability.text_length(el)
            if lengths[el] > CODE_WRAPPER_SHARE * code + CODE_WRAPPER_CHARS:
                break
            found.append(el)
    return found


def _prose_wrappers(node: HtmlElement) -> list[HtmlElement]:
    """The <div>s around one paragraph of prose that links some of its words (see
    ``PROSE_WRAPPER_WORDS``); a paragraph without links is left to readability-lxml's other
    tests (a shop's banner text)."""
    found = []
    for div in node.iter("div"):
        children = [c for c in div if isinstance(c.tag, str)]
        if len(children) != 1 or children[0].tag != "p" or (div.text or "").strip():
            continue
        para = children[0]
        if len(_WORDS.findall(para.text_content())) < PROSE_WRAPPER_WORDS:
            continue
        text = readability.readability.text_length(para)
        links = sum(readability.readability.text_length(a) for a in para.iter("a"))
        if 0 < links <= PROSE_WRAPPER_LINK_SHARE * text:
            found.append(div)
    return found


def _body_paragraph_wrappers(node: HtmlElement) -> list[HtmlElement]:
    """The <div>s around one paragraph styled as the article's prose: an editor that wraps each
    paragraph in a <div> of its own (a site builder's blog) gives its short paragraphs, a linked
    name heading a part, a label before a list, a line asking a question, the same class as its
    long ones, and readability-lxml removed their wrappers as too short or all link."""
    classes = Counter(
        para.get("class")
        for para in node.iter("p")
        if para.get("class")
        and _is_lone_child(para)  # before the words: the cheaper test
        and len(_WORDS.findall(para.text_content())) >= PROSE_WRAPPER_WORDS
    )
    body = {name for name, count in classes.items() if count >= BODY_CLASS_PARAGRAPHS}
    if not body:
        return []
    return [
        parent
        for para in node.iter("p")
        if para.get("class") in body
        and _is_lone_child(para)
        and (parent := para.getparent()) is not None
        and parent.tag == "div"
    ]


def _introduced_lists(node: HtmlElement) -> list[HtmlElement]:
    """The lists a paragraph introduces ("..., see the following pages:"): the article's own
    list of sources, references or prior art, all links as it may be, kept as the article pass
    keeps it (``clean.introduces``). A menu or a "Read more:" box has no such sentence before
    it."""
    found = []
    for items in node.iter(*LIST_TAGS):
        before = items.getprevious()
        while before is not None and not isinstance(before.tag, str):
            before = before.getprevious()
        if before is None or before.tag != "p":
            continue
        text = squash(before.text_content())
        if clean.introduces(text, len(_WORDS.findall(text))):
            found.append(items)
    return found


def _is_lone_child(el: HtmlElement) -> bool:
    """Whether the element is its parent's only child and the parent has no text of its own."""
    parent = el.getparent()
    return (
        parent is not None
        and len(parent) == 1
        and not (parent.text or "").strip()
        and not (el.tail or "").strip()
    )


def _is_layout_table(table: HtmlElement) -> bool:
    nested = next(table.iterdescendants("table"), None) is not None
    return nested or next(table.iterancestors("table"), None) is not None


def _heading_link_density(heading: HtmlElement) -> float:
    """A heading's link density without its links to places on the same page ("#..."): docs
    wrap each heading's text in a link to itself (its permalink), which readability-lxml took for
    a linked headline (over a third link) and dropped. A heading followed by a paragraph of whole
    prose (``SECTION_PROSE_WORDS``) heads a section of the article, linked or not: a listicle links
    each item's heading to the course or product it describes; a card's teaser is shorter."""
    if _opens_prose(heading):
        return 0.0
    links = [a for a in heading.iter("a") if not (a.get("href") or "").startswith("#")]
    total = readability.readability.text_length(heading)
    return sum(readability.readability.text_length(a) for a in links) / max(total, 1)


def _opens_prose(heading: HtmlElement) -> bool:
    following = heading.getnext()
    if following is None or following.tag != "p":
        return False
    return len(_WORDS.findall(following.text_content())) >= SECTION_PROSE_WORDS


def _block_holders(root: HtmlElement) -> set[HtmlElement]:
    """The elements that are or hold a block for readability-lxml: each block and the elements
    above it up to ``root``, each tag's verdict made once (a regex per element and a look at
    every element's children were 2% of the pipeline's time under cProfile; speed shortcut).

    Its own steps keep this true: they rename <div>s to <p>s and wrap inline runs in new <p>s."""
    holders: set[HtmlElement] = set()
    blocks: dict[str, bool] = {}
    for element in root.iter(etree.Element):
        tag = cast(str, element.tag)  # str, as parsed (lxml types it wider)
        block = blocks.get(tag)
        if block is None:
            block = blocks[tag] = _BLOCK_START.match(tag) is not None
        if not block:
            continue
        above: HtmlElement | None = element
        while above is not None and above not in holders:  # those above a holder are holders
            holders.add(above)
            above = None if above is root else above.getparent()
    return holders


def _paragraphs_in_div(div: HtmlElement, holders: set[HtmlElement]) -> None:
    """Text and runs of inline elements loose in a <div> become paragraphs; its <br>s go."""
    children = list(div)
    paragraph = None
    if div.text and div.text.strip():
        paragraph = _paragraph(div.text)
        div.text = None
        div.insert(0, paragraph)
    for child in children:
        if child.tag == "br" or child.tag not in _GATHERED or child in holders:
            paragraph = None
            continue
        if paragraph is None:
            paragraph = _paragraph(None)
            child.addprevious(paragraph)
        paragraph.append(child)
    for position, child in reversed(list(enumerate(div))):
        if child.tail and child.tail.strip():
            div.insert(position + 1, _paragraph(child.tail))
            child.tail = None
        if child.tag == "br":
            child.drop_tree()


def _paragraph(text: str | None) -> HtmlElement:
    paragraph = htmltree.PARSER.makeelement("p")
    paragraph.text = text
    return paragraph


def _is_heading_block(el: HtmlElement) -> bool:
    """A heading, or a block holding just one (a CMS's "headline" <div> or <p>)."""
    if not isinstance(el.tag, str):
        return False
    if el.tag in htmltree.HEADINGS:
        return True
    heading = next(el.iter(*htmltree.HEADINGS), None)
    return heading is not None and squash(heading.text_content()) == squash(el.text_content()) != ""


def prepare_page(doc: HtmlElement) -> HtmlElement:
    """The page, in place, without the head's metadata, which readability-lxml never reads (only
    <base> changes its result, through the links): a third fewer elements to walk."""
    for el in _HEAD_METADATA(doc):
        el.drop_tree()
    _shorten_layout_space(doc)
    return doc


def _shorten_layout_space(page: HtmlElement) -> None:
    """Whitespace-only text between tags (a page's indentation) cut to one newline or space.

    readability-lxml collapses whitespace with two regexes every time it measures an element's
    text, the text of every enclosing element again: on indented pages that was a tenth of its
    time. What it measures is the same after this, as its regexes make any run with a newline
    one newline and any other run one space; <pre> keeps its layout.

    The texts are read in one walk of the body rather than found by XPath (whose test of each
    text's ancestors for a <pre> made this 2% of the pipeline's time; speed shortcut): white space
    is XPath's (``normalize-space``: space, tab, newline, return; a no-break space is text)."""
    root = page.getroottree().getroot()
    if root.tag != "html":
        return
    for body in root.findall("body"):
        pres = set(body.iter("pre"))
        inside = {el for pre in pres for el in pre.iterdescendants()}
        for el in body.iter():
            if el in inside:
                continue
            if isinstance(el.tag, str) and el not in pres:  # a comment's text is no text node
                short = _short_space(el.text)
                if short is not None:
                    el.text = short
            if el is not body:
                short = _short_space(el.tail)
                if short is not None:
                    el.tail = short


def _short_space(text: str | None) -> str | None:
    """The newline or space that whitespace-only ``text`` is cut to; None when it is text, none
    or short already."""
    if not text or text.strip(_XML_SPACE) or text in ("\n", " "):
        return None
    return "\n" if "\n" in text else " "


class _Pruner(_Readability):
    """readability-lxml's cleaning of a chosen article (``sanitize``) alone, without the HTML
    string it makes of the result."""

    def get_clean_html(self) -> str:
        return ""


def prune_article(root: HtmlElement) -> None:
    """readability-lxml's cleaning of an article, in place, on an article found by other means (a
    site rule's ``prune``): headings and blocks whose names or links say boilerplate, forms,
    iframes but videos, and lists, tables and <div>s that look like no content (many links, inputs
    or images, little text). ``root`` itself is kept."""
    holder = htmltree.PARSER.makeelement("div")
    holder.append(root)  # sanitize may drop any <div> it walks, ``root`` too: it needs a parent
    _Pruner(holder).sanitize(root, {})
    if root.getparent() is holder:
        holder.remove(root)


def _collapse_space(text: str) -> str:
    """readability-lxml's ``clean``, the same result: each of its regexes runs only when the text
    holds what it needs (an aligned block of white space, a newline, a tab or two spaces), and
    the commonest two are done without one. Speed shortcut: its three ``re.sub`` calls on every
    measured text were 6% of the pipeline's time on modern-web-dev; most texts are short, one
    line and singly spaced.

    Its ``\\s*\\n\\s*`` makes each run of white space holding a newline one newline: the same as
    stripping each line and dropping the lines left empty (``str.strip`` strips what ``\\s``
    matches; the empty first or last line only loses white space the last ``strip`` drops).
    Without a tab, its ``\\t|[ \\t]{2,}`` makes each run of spaces one space, as joining the
    text's non-empty pieces between spaces does (a leading or trailing space is stripped
    anyway). With a tab its own regex runs: "\\t\\t" gives two spaces there, " \\t" one."""
    if len(text) >= 255 and _has_white_block(text):
        text = _LONG_SPACE.sub(" " * 255, text)
    if "\n" in text:
        text = "\n".join(filter(None, [line.strip() for line in text.split("\n")]))
    if "\t" in text:
        text = _TAB_OR_SPACES.sub(" ", text)
    elif "  " in text:
        text = " ".join(filter(None, text.split(" ")))
    return text.strip()


def _has_white_block(text: str) -> bool:
    """Whether one of the text's aligned blocks of ``_SPACE_BLOCK`` characters is all white
    space (see ``_WHITE_BLOCK``), each tried where it starts by the regex in C."""
    starts = range(0, len(text) - _SPACE_BLOCK + 1, _SPACE_BLOCK)
    return any(map(_WHITE_BLOCK.match, repeat(text), starts))


# readability-lxml calls ``clean`` by its module-level name (from text_length, score_paragraphs,
# sanitize and others), so the faster equivalent replaces it there.
readability.readability.clean = _collapse_space
# readability-lxml cleans its copy of the page with its module-level ``html_cleaner``: the same
# result in C on plain pages (pageclean.py). Speed shortcut.
readability.readability.html_cleaner = FastCleaner(readability.readability.html_cleaner)

_DESCRIBE = readability.readability.describe
_DEBUG_TEXT = readability.readability.text_content


def _describe(node: HtmlElement, depth: int = 1) -> str:
    """readability-lxml's name of an element for its debug log, made only when that log is on:
    its scoring and ``sanitize`` format their debug lines whether or not they are logged. Speed
    shortcut (0.6% of the pipeline's time on median pages)."""
    return _DESCRIBE(node, depth) if readability.readability.log.isEnabledFor(logging.DEBUG) else ""


def _debug_text(elem: HtmlElement, length: int = 40) -> Any:
    """readability-lxml's text of an element for its debug log, made only when that log is on."""
    if readability.readability.log.isEnabledFor(logging.DEBUG):
        return _DEBUG_TEXT(elem, length)
    return ""


readability.readability.describe = _describe
readability.readability.text_content = _debug_text


def _fragment_fromstring(html: str) -> HtmlElement:
    """lxml.html's ``fragment_fromstring`` with ``htmltree.PARSER``: readability-lxml makes the
    <div> it moves the article into with it, and with lxml.html's parser every element of the
    article then had its class chosen in Python each time it was walked (its cleaning, our
    serialising). Speed shortcut, the same tree.

    That empty <div> (its one call left: ``get_article``'s "<div/>") is made, not parsed: a parse
    builds a whole document around it (27 against 2 us; 1% of a small page). Nothing reads the
    <body> the parse puts above it: readability-lxml walks its descendants, serialises it alone
    and asks its elements' ancestors only for <main> or <article>."""
    if html in _EMPTY_ELEMENTS:
        return htmltree.PARSER.makeelement(_EMPTY_ELEMENTS[html])
    return lxml.html.fragment_fromstring(html, parser=htmltree.PARSER)


# The empty elements readability-lxml parses from a string, and their tags.
_EMPTY_ELEMENTS = {"<div/>": "div", "<p/>": "p"}


readability.readability.fragment_fromstring = _fragment_fromstring
