"""Whether a page is a discussion thread, as its own schema.org markup says.

Page pruning keeps a run of same-shape blocks named "comment" or "reply" when they hold most of
the page's prose and leave less outside them than their longest holds: a forum's posts, whose
first is one of them (clean.py). A thread whose first post is written apart from the replies
(another block, often long) fails that margin, and its replies, all but the first post, were
pruned as comments. The margin guards a blog post or a news story against its comment section;
a page that says it is a discussion needs no such guard: its posts are its text. It says so by
schema.org, in any language and on any platform:

- JSON-LD or a microdata item of a discussion type (``rules.DISCUSSION_TYPES``: a forum's
  ``DiscussionForumPosting``, a Q&A site's ``QAPage``);
- or the run's own blocks are posts' microdata items (``rules.POST_TYPES``: ``Comment``,
  ``Answer``), and the page declares no article, post or report (a blog's comments are items
  of this type too, under a ``BlogPosting``).
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree
from lxml.html import HtmlElement

from proxy.content import rules
from proxy.content.meta import jsonld, microdata

_DISCUSSION_TYPES = frozenset(rules.DISCUSSION_TYPES)
_POST_TYPES = frozenset(rules.POST_TYPES)
# The page's microdata items, found by their attributes (as shop.py's).
_ITEMS = etree.XPath("//@itemscope/parent::*[@itemtype]")


def declared(doc: HtmlElement) -> bool:
    """Whether the page's JSON-LD or microdata says it is a discussion thread."""
    if jsonld.any_of(jsonld.objects(doc), _DISCUSSION_TYPES):
        return True
    return any(microdata.types(el) & _DISCUSSION_TYPES for el in _ITEMS(doc))


def posts_of_thread(blocks: Iterable[HtmlElement], doc: HtmlElement) -> bool:
    """Whether every one of ``blocks`` is, or holds, a post's microdata item and the page
    declares no story (JSON-LD or microdata) other than a discussion."""
    for block in blocks:
        if not any(_POST_TYPES & microdata.types(el) for el in _items_in(block)):
            return False
    stories = jsonld.STORY_TYPES - _DISCUSSION_TYPES
    if jsonld.any_of(jsonld.objects(doc), stories):
        return False
    return not any(microdata.types(el) & stories for el in _ITEMS(doc))


def _items_in(block: HtmlElement) -> Iterable[HtmlElement]:
    """``block`` and its descendants that are microdata items."""
    return (el for el in block.iter(etree.Element) if el.get("itemscope") is not None)
