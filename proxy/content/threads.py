"""Discussion threads, as their own schema.org markup says they are: whether a page is one, and
who wrote each post.

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

A post is its message; what its item holds around it is the post's chrome: the author's card,
the attribution bar, a preview of the post it answers, the signature, reactions and "Reply" or
"Quote" buttons, the same on every post and the thread's own text nowhere. ``tidy_posts`` runs
before pruning, on a page of posts' microdata items that declares no story (an article's
comments are left to pruning): it keeps of each post its message (``itemprop="text"``) and the
posts inside it, and writes before the message one short line of its author's name and the date
it shows (``author``, ``name``, ``datePublished``): who wrote what, and when. A page without
such items may list its posts in its JSON-LD instead (a ``DiscussionForumPosting``'s ``text``
and its ``comment``s', each with its ``author``): each post's message is then the block showing
its text, the post the block around it among the others', and its date the post's <time>. All of
it is read from schema.org and the page's texts, never from class names.

A thread without schema.org (phpBB, punBB, MyBB, XenForo's or Invision's templates without
microdata) is found by its shape, on a page that declares no story: a run of sibling posts of one
tag and first class token (their classes compared, never read for words), the same descendant
of each holding most of their text (the message), each showing beside it a name and a date or a
time, and no more prose before them than their longest message holds (a blog post's comments
stay comments). Its label line goes inside the message (readability-lxml drops a short line
beside it there).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from lxml import etree
from lxml.html import HtmlElement

from proxy import htmltree
from proxy.content import rules
from proxy.content.meta import jsonld, microdata
from proxy.content.text import squash

_DISCUSSION_TYPES = frozenset(rules.DISCUSSION_TYPES)
_POST_TYPES = frozenset(rules.POST_TYPES)
# The types of a story that is no discussion (a blog's post with its comments).
_STORY_TYPES = jsonld.STORY_TYPES - _DISCUSSION_TYPES
# The page's microdata items, found by their attributes (as shop.py's).
_ITEMS = etree.XPath("//@itemscope/parent::*[@itemtype]")
# The items whose author and date head their message (a thread's posts, a Q&A's answers).
_LABELLED_TYPES = _POST_TYPES | _DISCUSSION_TYPES
# A JSON-LD's posts are looked for only on a page whose JSON-LD names a comment ("omment": in
# "Comment" and "comment"; speed shortcut, ``_ld_names_posts``).
_POSTS_WORD = "omment"
# A post the JSON-LD lists is found by an element whose own text opens it, at least this many
# characters (or all of a shorter post), and its message is the largest block that opens with it
# and holds at most this many times its text (an "Edited" note, a quote's attribution), when it
# shows this share of the text at least.
LISTED_OPENING_CHARS = 20
LISTED_SLACK = 1.2
LISTED_COVER = 0.8
# A post's date or time as its template shows it, in any language: a clock time or a year.
_CLOCK_OR_YEAR = re.compile(r"\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b")
# ... in a text whose elements' texts are run together ("2026Verified").
_CLOCK_OR_YEAR_ANYWHERE = re.compile(r"\d:\d{2}|(?:19|20)\d{2}")
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
# The page's elements with a class (a post's shape is its tag and first class token).
_CLASSED = etree.XPath("//*[@class]")
# The elements with ``rules.MIN_REPEATS`` classed children at least (a run's parent can be one).
# (``/descendant::*``, the elements ``//*`` gives, in the same order: 2.57M against 3.05M
# instructions a page of the speed sample.)
_REPEAT_PARENTS = etree.XPath(f"/descendant::*[*[@class][{rules.MIN_REPEATS}]]")
# The longest text of an element shown as a post's date.
DATE_CHARS = 60
# The properties holding the date a post shows.
DATE_PROPS = ("datePublished", "dateCreated")


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
    return not _declares_story(doc)


def _declares_story(doc: HtmlElement) -> bool:
    """Whether the page's JSON-LD or microdata declares an article, a post or a report."""
    if jsonld.any_of(jsonld.objects(doc), _STORY_TYPES):
        return True
    return any(microdata.types(el) & _STORY_TYPES for el in _ITEMS(doc))


def _items_in(block: HtmlElement) -> Iterable[HtmlElement]:
    """``block`` and its descendants that are microdata items."""
    return (el for el in block.iter(etree.Element) if el.get("itemscope") is not None)


def tidy_posts(doc: HtmlElement) -> None:
    """Each post of a thread, in place, as its message headed by a line of its author's name and
    the date it shows (see the module's docstring); on a page of at least ``rules.MIN_REPEATS``
    posts' microdata items, or posts its JSON-LD lists, that declares no story."""
    # the page's items and their types, read once for the posts and the page's kind (speed
    # shortcut: the XPath walked the page twice)
    items = [(el, microdata.types(el)) for el in _ITEMS(doc)]
    found = _marked_posts(items)
    if not found and _ld_names_posts(doc):
        found = _listed_posts(doc)
    shaped = not found
    if shaped:
        # speed shortcut: a page that is no thread's is not searched for posts' shapes (the
        # answer is no posts either way)
        if not _thread_page(doc, [types for _, types in items]):
            return
        found = _shaped_posts(doc)
        if len(found) < rules.MIN_REPEATS:
            return
    elif len(found) < rules.MIN_REPEATS or not _thread_page(doc, [types for _, types in items]):
        return
    kept: set[HtmlElement] = set()
    for post, message, label in found:
        if message is None:
            kept.add(post)  # not one post and its message: left whole
            continue
        kept.add(message)
        parent = message.getparent()
        if parent is None or not label:
            continue
        line = doc.makeelement("p", {})
        line.text = label
        if shaped:  # inside its message: readability keeps a shaped post's message, not its line
            line.tail, message.text = message.text, None
            message.insert(0, line)
        else:
            parent.insert(parent.index(message), line)
            kept.add(line)
    paths = {a for el in kept for a in el.iterancestors()}
    for post, _, _ in found:
        if post not in kept:
            _strip(post, kept, paths)


Post = tuple[HtmlElement, HtmlElement | None, str]


def _marked_posts(items: list[tuple[HtmlElement, set[str]]]) -> list[Post]:
    """The posts the page's microdata marks: each item, its one message (None when it has
    none or several), and its author's name and the date it shows."""
    found: list[Post] = []
    for post, types in items:  # the page's microdata items and their types
        if not types & _LABELLED_TYPES:
            continue
        props = _own_props(post)
        messages = props.get("text", [])
        parts = [p for p in (_author(props), _date(props)) if p is not None]
        label = " · ".join(text for _, text in parts)
        found.append((post, messages[0] if len(messages) == 1 else None, label))
    return found


def _ld_names_posts(doc: HtmlElement) -> bool:
    """Whether a JSON-LD script of the page holds ``_POSTS_WORD``. Speed shortcut: lxml's walk
    to each <script>, as ``jsonld.objects`` finds them, where XPath's ``//@type`` read every
    element's attributes (0.70M against 0.15M instructions a page of the speed sample)."""
    for script in doc.getroottree().getroot().iter("script"):
        if script.get("type") == jsonld.LD_MEDIA_TYPE and _POSTS_WORD in (script.text or ""):
            return True
    return False


def _listed_posts(doc: HtmlElement) -> list[Post]:
    """The posts the page's JSON-LD lists (a ``DiscussionForumPosting``'s text and its
    ``comment``s'), found on the page by their texts: each message, the block holding it among
    the others' (the child of their nearest common ancestor), and its author's name with the
    date that block shows. None unless every block holds one message and they are of one tag."""
    listed = _listed(doc)
    if len(listed) < rules.MIN_REPEATS:
        return []
    openings = [(el, squash(el.text)) for el in doc.iter(etree.Element) if el.text]
    messages: list[tuple[HtmlElement, str]] = []
    for text, author in listed:
        message = _message_of(text, openings)
        if message is not None:
            messages.append((message, author))
    holder = htmltree.common_ancestor([m for m, _ in messages], inclusive=False)
    if len(messages) < rules.MIN_REPEATS or holder is None:
        return []
    posts = [
        next(a for a in (m, *m.iterancestors()) if a.getparent() is holder) for m, _ in messages
    ]
    if len(set(posts)) != len(posts) or len({p.tag for p in posts}) != 1:
        return []
    return [
        (post, message, " · ".join(t for t in (author, _shown_date(post, message)) if t))
        for post, (message, author) in zip(posts, messages, strict=True)
    ]


def _shaped_posts(doc: HtmlElement) -> list[Post]:
    """The posts of a thread without schema.org markup, found by their shape: the run of sibling
    blocks of one tag and first class token whose messages hold the most text, each message the
    same descendant of its post (by its path of tags and classes), each post labelled by the
    linked name and the date it shows outside it (see ``rules.POST_MESSAGE_SHARE``). None when
    the page shows more prose before the posts than their longest message (an article's
    comments).

    Speed shortcut: the runs are read parent by parent (``_runs_by_parent``), not in the order
    of their first blocks; the best run is the same in either order unless two runs hold the
    same most text, where the runs are read again in their first blocks' order (the first of
    them wins)."""
    best, tied = _best_run(_runs_by_parent(doc))
    if tied:
        best, _ = _best_run(_runs_in_order(doc))
    if not best:
        return []
    longest = max(_length(m) for _, m, _ in best if m is not None)
    return best if _prose_before(best[0][0], doc) < longest else []


Run = tuple[str, str, list[HtmlElement]]


def _runs_in_order(doc: HtmlElement) -> Iterable[Run]:
    """The runs of sibling blocks of one tag and first class token, in their first blocks'
    order, each its tag, its token and its blocks."""
    runs: dict[tuple[HtmlElement | None, str, str], list[HtmlElement]] = {}
    for el in _CLASSED(doc):  # one pass over the classed elements (speed shortcut)
        tokens = el.get("class", "").split()
        if tokens:
            runs.setdefault((el.getparent(), el.tag, tokens[0]), []).append(el)
    return ((tag, token, run) for (_, tag, token), run in runs.items())


def _runs_by_parent(doc: HtmlElement) -> Iterator[Run]:
    """The runs of ``_runs_in_order`` of ``rules.MIN_REPEATS`` blocks at least, parent by parent
    in the parents' order: only the children of the elements with that many classed children
    are read (speed shortcut: most classed elements have fewer siblings)."""
    for parent in _REPEAT_PARENTS(doc):
        runs: dict[tuple[str, str], list[HtmlElement]] = {}
        for el in parent.iterchildren(etree.Element):
            tokens = (el.get("class") or "").split()
            if tokens:
                runs.setdefault((el.tag, tokens[0]), []).append(el)
        for (tag, token), run in runs.items():
            if len(run) >= rules.MIN_REPEATS:
                yield tag, token, run


def _best_run(runs: Iterable[Run]) -> tuple[list[Post], bool]:
    """The posts of the first of ``runs`` whose messages hold the most text, and whether a later
    run's hold as much (a tie, which the runs' order decides)."""
    best: list[Post] = []
    best_size = 0
    tied = False
    for tag, token, run in runs:
        if len(run) < rules.MIN_REPEATS:
            continue
        # speed shortcut: a run whose median post holds less than a message, whose text is less
        # than the best run's messages, or too few of whose posts show a date anywhere, is
        # passed over before its paths are read
        texts = [post.text_content() for post in run]
        raw = sorted(map(len, texts))
        if raw[len(raw) // 2] < rules.POST_MESSAGE_CHARS or sum(raw) < best_size:
            continue
        if not _dated_enough(texts):
            continue  # a <time> shows its date as text too
        if _nested(run, (tag, token)):
            continue
        found = _run_posts(run)
        size = sum(_length(m) for _, m, _ in found if m is not None)
        if size > best_size:
            best, best_size, tied = found, size, False
        elif size and size == best_size:
            tied = True
    return best, tied


def _dated_enough(texts: list[str]) -> bool:
    """Whether ``rules.POST_LABELLED_SHARE`` of ``texts`` at least show a clock time or a year.

    Speed shortcut: a text holding no ":", "19" nor "20" is not searched (no match can be in
    it), and the count stops once the share is reached or out of reach."""
    need = rules.POST_LABELLED_SHARE * len(texts)
    dated = 0
    for seen, text in enumerate(texts, 1):
        if ("19" in text or "20" in text or ":" in text) and _CLOCK_OR_YEAR_ANYWHERE.search(text):
            dated += 1
            if dated >= need:
                return True
        elif dated + len(texts) - seen < need:  # were all the texts after this one dated
            return False
    return dated >= need


def _nested(run: list[HtmlElement], shape: tuple[str, str]) -> bool:
    """Whether a post of ``run`` holds a block of the run's shape (a nested reply: kept whole)."""
    for post in run:
        for el in post.iterdescendants(shape[0]):
            if (el.get("class") or "").split()[:1] == [shape[1]]:
                return True
    return False


def _run_posts(run: list[HtmlElement]) -> list[Post]:
    """The posts of ``run`` with their messages and labels, or none when ``run`` is no thread's:
    no descendant in the same place in every post holding ``rules.POST_MESSAGE_SHARE`` of their
    text, their median shorter than ``rules.POST_MESSAGE_CHARS``, or fewer than
    ``rules.POST_LABELLED_SHARE`` of the posts showing a name and a date outside it."""
    total = sum(_length(post) for post in run)
    if not total:
        return []
    placed = [_first_by_path(post) for post in run]
    common = set(placed[0]).intersection(*placed[1:])
    shares = {path: sum(_length(p[path]) for p in placed) for path in common}
    shared = [path for path, size in shares.items() if size >= rules.POST_MESSAGE_SHARE * total]
    if not shared:
        return []
    path = max(shared, key=len)  # the innermost: the message without its post's chrome
    found: list[Post] = []
    labelled = 0
    for post, places in zip(run, placed, strict=True):
        message = places[path]
        name, date = _shown_name(post, message), _date_near(post, message)
        labelled += bool(name and date)
        found.append((post, message, " · ".join(t for t in (name, date) if t)))
    lengths = sorted(_length(places[path]) for places in placed)
    if lengths[len(lengths) // 2] < rules.POST_MESSAGE_CHARS:
        return []  # a list of links or teasers, each a line under its title
    return found if labelled >= rules.POST_LABELLED_SHARE * len(run) else []


def _length(el: HtmlElement) -> int:
    return len(squash(el.text_content()))


def _first_by_path(post: HtmlElement) -> dict[tuple[str, ...], HtmlElement]:
    """The descendants of ``post`` alone at their path of tags and classes from it (a path
    several share, a block of several stories or messages, holds no one message)."""
    found: dict[tuple[str, ...], HtmlElement | None] = {}

    def walk(el: HtmlElement, path: tuple[str, ...]) -> None:
        for child in el:
            if isinstance(child.tag, str):
                classes = " ".join(sorted((child.get("class") or "").split()))
                here = (*path, f"{child.tag}.{classes}")
                found[here] = None if here in found else child
                walk(child, here)

    walk(post, ())
    return {path: el for path, el in found.items() if el is not None}


def _outside(post: HtmlElement, message: HtmlElement) -> Iterator[HtmlElement]:
    """The elements of ``post`` (itself included) outside ``message``, in document order."""
    inside = set(message.iter())
    return (el for el in post.iter(etree.Element) if el not in inside)


def _shown_name(post: HtmlElement, message: HtmlElement) -> str:
    """The first name a post shows outside its message: a link's text (to another page, not to
    a post) or an element's own text outside headings (the post's title), having letters and no
    date, at most ``rules.POST_NAME_CHARS``; or ""."""
    for el in _outside(post, message):
        if el.tag == "a":
            href = el.get("href") or ""
            text = squash(el.text_content()) if href and "#" not in href else ""
        elif any(a.tag in _HEADINGS for a in (el, *el.iterancestors())):
            continue
        else:
            text = squash(el.text)
        if (
            1 < len(text) <= rules.POST_NAME_CHARS
            and any(ch.isalpha() for ch in text)
            and not _CLOCK_OR_YEAR.search(text)
        ):
            return text
    return ""


def _date_near(post: HtmlElement, message: HtmlElement) -> str:
    """The date a post shows outside its message: its first <time>'s text, else the first own
    text of an element (at most ``DATE_CHARS``) showing a clock time, else one showing a year."""
    year = ""
    for el in _outside(post, message):
        if el.tag == "time" and (text := squash(el.text_content())):
            return text
        text = squash(el.text)  # its own text: a "Joined" date in a child is the user card's
        if len(text) > DATE_CHARS or not (found := _CLOCK_OR_YEAR.search(text)):
            continue
        if ":" in found.group():
            return text
        year = year or text
    return year


def _prose_before(post: HtmlElement, doc: HtmlElement) -> int:
    """The characters of the paragraphs before ``post`` in document order."""
    size = 0
    for el in doc.iter(etree.Element):
        if el is post:
            break
        if el.tag == "p":
            size += _length(el)
    return size


def _listed(doc: HtmlElement) -> list[tuple[str, str]]:
    """The texts and authors' names of the posts the page's JSON-LD lists."""
    for obj in jsonld.objects(doc):
        if jsonld.types(obj) & _DISCUSSION_TYPES:
            comments = obj.get("comment")
            items = [obj, *(comments if isinstance(comments, list) else [])]
            return [(squash(str(o.get("text"))), _ld_name(o)) for o in items if _has_text(o)]
    return []


def _has_text(obj: object) -> bool:
    return isinstance(obj, dict) and isinstance(obj.get("text"), str) and bool(obj["text"].strip())


def _ld_name(obj: dict[str, object]) -> str:
    """A JSON-LD post's author's name, or ""."""
    author = obj.get("author")
    name = author.get("name") if isinstance(author, dict) else author
    return squash(name) if isinstance(name, str) else ""


def _message_of(text: str, openings: list[tuple[HtmlElement, str]]) -> HtmlElement | None:
    """The element showing ``text``: the first whose own text opens it (at least
    ``LISTED_OPENING_CHARS`` of it, or all), widened to the largest ancestor whose text still
    opens with it and holds at most ``LISTED_SLACK`` times its length; None unless it shows
    ``LISTED_COVER`` of the text (a message opening with a quote the JSON-LD leaves out)."""
    need = min(len(text), LISTED_OPENING_CHARS)
    start = next((el for el, own in openings if len(own) >= need and text.startswith(own)), None)
    if start is None:
        return None
    found, limit = start, LISTED_SLACK * len(text)
    for ancestor in start.iterancestors():
        whole = squash(ancestor.text_content())
        if len(whole) > limit or not whole.startswith(text[:need]):
            break
        found = ancestor
    shown = len(squash(found.text_content()))
    return found if shown >= LISTED_COVER * len(text) else None


def _shown_date(post: HtmlElement, message: HtmlElement) -> str:
    """The text of the first <time> of a post outside its message, or ""."""
    for time in post.iter("time"):
        if message not in time.iterancestors() and (text := squash(time.text_content())):
            return text
    return ""


def _strip(post: HtmlElement, kept: set[HtmlElement], paths: set[HtmlElement]) -> None:
    """Remove, in place, what a post holds around its message, its label and the posts inside
    it (``kept``; ``paths`` are their ancestors): its author's card, its attribution bar, a
    preview of the post it answers, its signature, its reactions and buttons."""
    for child in list(post):
        if child in kept or not isinstance(child.tag, str):
            continue
        if child in paths:
            _strip(child, kept, paths)
        else:
            child.drop_tree()  # its tail stays with the post


def _thread_page(doc: HtmlElement, items: list[set[str]]) -> bool:
    """Whether the page says it is a thread, or declares no story at all: ``declared(doc) or not
    _declares_story(doc)``, its JSON-LD and its microdata items (``items``, their types) read
    once (speed shortcut)."""
    objects = jsonld.objects(doc)
    if jsonld.any_of(objects, _DISCUSSION_TYPES):
        return True
    if any(types & _DISCUSSION_TYPES for types in items):
        return True
    return not jsonld.any_of(objects, _STORY_TYPES) and not any(
        types & _STORY_TYPES for types in items
    )


def _own_props(post: HtmlElement) -> dict[str, list[HtmlElement]]:
    """The properties of ``post``'s own item (not of the items inside it), by name."""
    found: dict[str, list[HtmlElement]] = {}
    for el in post.iterdescendants(etree.Element):
        names = el.get("itemprop")
        if names and microdata.item(el) is post:
            for name in names.split():
                found.setdefault(name, []).append(el)
    return found


def _author(props: dict[str, list[HtmlElement]]) -> tuple[HtmlElement, str] | None:
    """The element showing a post's author's name, and the name: its item's ``name``, or the
    author element's text."""
    for author in props.get("author", [])[:1]:
        if author.get("itemscope") is None:
            return _shown(author, author.text_content())
        for name in _own_props(author).get("name", [])[:1]:
            return _shown(author, name.get("content") or name.text_content())
    return None


def _date(props: dict[str, list[HtmlElement]]) -> tuple[HtmlElement, str] | None:
    """The <time> showing a post's date, and the date as it shows it."""
    for name in DATE_PROPS:
        for el in props.get(name, []):
            if el.tag == "time" and squash(el.text_content()):
                return el, squash(el.text_content())
    return None


def _shown(el: HtmlElement, text: str) -> tuple[HtmlElement, str] | None:
    """``el`` and ``text`` squashed, or None when the text is empty."""
    text = squash(text)
    return (el, text) if text else None
