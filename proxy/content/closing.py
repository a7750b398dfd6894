"""A newsletter's or blog's closing self-promotion after the article's last rules, removed.

Many posts end with the writer's own promotion set off from the text by horizontal rules: "More
ways I can help you" with links to a Patreon shop, "Want to advertise in ...?", "Follow us on
Facebook, X, Instagram", "Hat dir dieser Artikel gefallen? ... Jetzt Supporter werden!". Readers
and the benchmarks' annotators leave it out, but a rule alone says nothing: on about half the
pages that have one, the text after the last rule is the article's own (a conclusion, footnotes,
an update, a credit). What marks the promotion is, section by section (the runs of blocks between
rules), a call to action in its words (``rules.CALLS_TO_ACTION``, several languages) or links that
all lead where one subscribes, donates, sponsors or follows: a support platform, a social network,
or a page whose address says so ("/support-us/", "/subscribe"). The closing goes from the first
such section after which every section is one too or a line or two ("We are close to 50k
subscribers, thank you!"), when it is a small part of the article.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from proxy.content import rules
from proxy.content.caseless import Caseless
from proxy.content.text import squash, word_count

# A section after a promotion stays part of the closing when it holds at most this many words
# (a thank-you line and a "share it with your friends" button under the promotion).
TAIL_WORDS = 60
# The closing goes when it holds at most this many words and this share of the article's
# (modern-web-dev: 358 words of 4,990 on a newsletter's post; 9 of 2,174 on a magazine's).
CLOSING_WORDS = 500
CLOSING_SHARE = 0.15
_CALLS_TO_ACTION = Caseless(rules.CALLS_TO_ACTION)

Section = list[HtmlElement]


def drop_closing_promotion(article: HtmlElement) -> None:
    """Remove, in place, the sections of self-promotion that close the article after its last
    rules (see the module docstring)."""
    sections = _closing_sections(article)
    if not sections:
        return
    words = [_words(section) for section in sections]
    start = _closing_start(sections, words)
    if start is None:
        return
    closing = sum(words[start:])
    if closing > CLOSING_WORDS or closing > CLOSING_SHARE * word_count(article.text_content()):
        return
    for section in sections[start:]:
        for el in section:
            el.drop_tree()  # keeps its tail


def _closing_sections(article: HtmlElement) -> list[Section]:
    """The runs of elements after each rule that shares a parent with the article's last rule,
    each opened by its rule; none when text follows that parent (the rules are not the end)."""
    rules_ = list(article.iter("hr"))
    if not rules_:
        return []
    parent = rules_[-1].getparent()
    if parent is None or _text_after(parent, article):
        return []
    sections: list[Section] = []
    for child in parent.iterchildren(etree.Element):  # comments hold no text
        if child.tag == "hr":
            sections.append([])
        if sections:
            sections[-1].append(child)
    return sections


def _text_after(el: HtmlElement, article: HtmlElement) -> bool:
    """Whether any text follows ``el`` inside the article."""
    for above in (el, *el.iterancestors()):
        if above is article:
            break
        if squash(above.tail or ""):
            return True
        if any(squash(sibling.text_content()) for sibling in above.itersiblings(etree.Element)):
            return True
    return False


def _closing_start(sections: list[Section], words: list[int]) -> int | None:
    """The index of the first promotion from which every section is a promotion or a short line
    (``TAIL_WORDS``); None when the last sections are not such a run."""
    start = None
    for i in range(len(sections) - 1, -1, -1):
        if _is_promotion(sections[i]):
            start = i
        elif words[i] > TAIL_WORDS:
            break
    return start


def _is_promotion(section: Section) -> bool:
    """A section asking to subscribe, donate, sponsor or follow, by its words or its links."""
    text = squash(" ".join(el.text_content() for el in section))
    if text and _CALLS_TO_ACTION.search(text):
        return True
    links = [a.get("href") or "" for el in section for a in el.iter("a")]
    links = [href for href in links if href and not href.startswith("#")]
    return bool(links) and all(_leads_to_support(href) for href in links)


def _leads_to_support(href: str) -> bool:
    """Whether a link leads where readers follow, subscribe, donate or sponsor."""
    parts = urlsplit(href)
    host = (parts.hostname or "").removeprefix("www.")
    if any(host == known or host.endswith(f".{known}") for known in rules.SUPPORT_HOSTS):
        return True
    return bool(rules.SUPPORT_PATH.search(parts.path))


def _words(section: Section) -> int:
    return sum(word_count(el.text_content()) for el in section)
