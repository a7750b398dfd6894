"""The article's title and the site's name.

The title is the visible headline (the first ``<h1>`` that is not the site's name) when the
declared titles (JSON-LD ``headline``, ``og:title``, ``twitter:title``, ``<title>``) back it: one
holds it, other than as its last part, or it rewords one (``find``). An ``<h1>`` alone is not
trusted, as many pages open with a "Navigation" or site-name heading. Otherwise it is the
declared title the most declared titles repeat (the most trusted on a tie), without the " | Site
name" part when that part is the site's name (a home page keeps a leading "Site | ": its title is
the site's name and tagline), and without the section a forum's "Topic / Section / Site" files
it under when the page links to that section. The site's name is ``og:site_name`` (or another
declared one), else JSON-LD ``publisher``, else the host; a title may also name the site by its
host's name ("Raspberry Pi Forums" on forums.raspberrypi.com), by a last part written as a
host's name ("Salon.com", whatever host the page was read from), or by the heading that is its
last part (a book's name over a chapter).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from proxy.content.meta import walks

# Separators between a title and the site's name ("Title | Site", "Site - Title", "Site › Section
# › Title", "Title ~ Site"), and the full-width bar that Chinese and Japanese titles set without
# spaces ("記事の見出し｜サイト名").
SEPARATOR = re.compile(r"\s+[|\-–—·•:»«/~›‹∙⋅]{1,2}\s+|\s*｜\s*")
# Headings looked at for the visible headline, and the longest one believed to be a title.
MAX_HEADINGS = 3
MAX_TITLE_CHARS = 300
# Headings looked at for one that shows a declared title as it is, after a menu set in headings
# (the eighth <h1> of a news page whose first seven are its menu's and footer's).
MAX_LATER_HEADINGS = 12
# Host labels that are not the site's name.
_HOST_NOISE = ("www.", "m.", "amp.", "blog.", "news.")
_NON_WORD = re.compile(r"\W+")
# Words the last part of a title may add to the site's name and still name the site ("Raspberry
# Pi Forums" on raspberrypi.com, "Protiviti US", "Cornell Garden-Based Learning" on cornell.edu).
SITE_EXTRA_WORDS = 2
# Labels this short before the top-level domain are a second level ("co.uk", "com.au", "gov.in").
SECOND_LEVEL_CHARS = 3
# Top-level domains of a site's address written as its name ("Salon.com", "LWN.net", "przepisy.pl");
# an account name's last word ("andrew.keaveney", "jo.smith") is not among them.
DOMAINS = "com|net|org|info|io|co|dev|app|blog|eu|uk|de|at|ch|fr|be|nl|es|it|pl|us|ca|au|in"
# A title's last part written as a host's name ("... libertarians - Salon.com", "... [LWN.net]"
# without its brackets): the site's name, whatever host the page was read from (a saved copy, a
# mirror, a test host), so a logo's heading "Salon" is known as the site's.
_HOST_NAME = re.compile(rf"^[\w-]+(?:\.[\w-]+)*\.(?:{DOMAINS})$", re.I)
_WORD = re.compile(r"\w+")
# A <title> of this many parts, none known as the site's name, may be "Site | Section | Title":
# readability's shortening picks the title part; one of fewer parts is kept whole ("2025 Top P&C
# Insurance Company Performance Rankings - Infographic").
MIN_SECTIONED_PARTS = 3
# Elements inside a heading whose text no reader sees: CSS-in-JS libraries put each component's
# <style> next to it, inside the heading too ("Wool socks .css-1q2w{font-weight:700}").
NOT_SHOWN = frozenset(["style", "script", "template", "noscript"])
# What a cut-short title may end with.
_CUT_MARKS = " .…"
# What a broken encoding leaves of a character in a heading ("Planning? Beginner? Guide" of
# "Planning: Beginner's Guide"): a question mark before more text, or the replacement character;
# and how many characters each may stand for.
_LOST = re.compile("[?\ufffd](?=.)")
LOST_CHARS = 3
# Permalink marks that documentation generators put at a heading's end (Sphinx's pilcrow).
_ANCHOR_MARKS = "¶#§ "
# A declared title inside a longer headline stands for it when it is this much of it (a date or a
# counter added); a much shorter one is a cut-down title for search engines.
WITHIN_SHARE = 0.6
# The share of a headline's words a declared title must share for a reworded headline.
SHARED_WORDS = 0.5
# Words too common to say two titles are about the same thing.
SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "for",
        "and",
        "or",
        "on",
        "with",
        "at",
        "by",
        "from",
        "how",
        "what",
        "why",
        "is",
        "are",
        "your",
        "you",
        "vs",
    ]
)


def find(
    doc: HtmlElement,
    declared: list[str | None],
    site: str | None,
    url: str,
    marks: walks.Marks | None = None,
) -> str | None:
    """The title: the visible headline when the declared titles back it, else the first declared
    title (the <title> last), trimmed of the site's name; None when only the <title> is there and
    no part of it names the site (``extract`` shortens that one, knowing "Site | Section | Title").

    A headline is backed when a declared title (or the <title>) holds it, or, for the first
    headline only, when it shares most of its words with one: pages reword the headline for
    search engines ("How Machine Learning Personalizes..." shown, "Using Machine Learning To..."
    declared), and a reader sees the shown one. A headline that holds a whole declared title
    and a little more ("Dec 18 2025 Preparing a transition", "... (latimes.com) 87") gives that
    title, unless other declared titles hold the rest (``_pieced``). A headline that shows a
    declared title with characters a broken encoding made "?" (``_restored``), or runs on from
    its first part into a tagline without a space (``_glued``), gives that declared title.
    ``marks``: the page's, when the caller has them."""
    page_title = walks.first_text(doc, "title")
    named = _whole([_unescape(t) for t in (*declared, page_title) if t and t.strip()])
    headings = _headings(walks.marks(doc) if marks is None else marks)
    names = site_names(site, url) + _hosts_named(named)
    named = [t for t in named if not _only_site(t, names)] or named
    names += [h for h in headings if _ends(named, h, names)]
    trimmed = [strip_site(t, names, lead=not _home(url)) for t in named]
    first = True
    for heading in headings:
        if strip_site(heading, names) != heading or any(names_site(heading, n) for n in names):
            continue
        key = heading.casefold()
        if any(t.casefold() == key for t in trimmed):
            return _as_declared(heading, named)
        labelled = (rest for label, rest in _labels(trimmed) if f"{label} {rest}".casefold() == key)
        if rest := next(labelled, None):
            return rest
        inside = [
            t
            for t in trimmed
            if len(t.split()) > 1 and WITHIN_SHARE * len(heading) <= len(t) < len(heading)
        ]
        pieces = [t for t in inside if t.casefold() in key]
        if pieces and not _pieced(key, pieces):
            return pieces[0]
        if any(_names(t, heading) for t in named):
            return _as_declared(heading, named)
        if any(t.casefold() in key for t in trimmed):
            return heading  # a declared title cut down from it ("Networking", "... in Compose")
        if shown := _restored(heading, trimmed) or _glued(heading, trimmed):
            return shown
        if first and not heading.isupper() and _rewords(heading, named):
            return heading
        first = False
    if shown := _declared_later(marks or walks.marks(doc), trimmed, named):
        return shown
    if any(t and t.strip() for t in declared) or trimmed[:1] != named[:1]:
        return _agreed(_unsectioned(doc, named, trimmed))
    if named and len(SEPARATOR.split(named[0])) < MIN_SECTIONED_PARTS:
        return named[0]
    return None  # "Site | Section | Title", no part known as the site's: ``extract`` shortens it


def _home(url: str) -> bool:
    """Whether the page is a site's home page: its title "TechCrunch | Startup and Technology News"
    is the site's name and what the site is, with no other title to stand for."""
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def _unsectioned(doc: HtmlElement, named: list[str], trimmed: list[str]) -> list[str]:
    """The trimmed titles without a last part that a link on the page shows, when the site's name
    was trimmed after it: "Topic / Section / Forum" names the section the page is filed under, and
    the page links to it (its breadcrumb), as it does not link to a title's own second part ("...
    Pipeline - Part 1 | Blog")."""
    split = [SEPARATOR.split(t) if t != n else [t] for t, n in zip(trimmed, named, strict=True)]
    if all(len(parts) < 2 for parts in split):
        return trimmed
    links = {_squeeze(a.text_content()) for a in doc.iter("a")}
    return [
        _rejoin(t, parts[:-1]) if len(parts) > 1 and _squeeze(parts[-1]) in links else t
        for t, parts in zip(trimmed, split, strict=True)
    ]


def _hosts_named(titles: list[str]) -> list[str]:
    """The declared titles' last parts that are written as a host's name ("Salon.com" of
    "Headline - Salon.com"): each names the site, as its declared name does."""
    parts = [SEPARATOR.split(title) for title in titles]
    return [p[-1] for p in parts if len(p) > 1 and _HOST_NAME.match(p[-1])]


def _restored(heading: str, titles: list[str]) -> str | None:
    """The declared title that the heading shows with characters a broken encoding turned into
    "?" or "\ufffd" ("What Are The Basics Of Event Planning? Beginner? Guide" shown, "...
    Planning: Beginner's Guide" declared)."""
    if not _LOST.search(heading):
        return None
    pieces = map(re.escape, _LOST.split(heading.casefold()))
    shown = re.compile(f".{{1,{LOST_CHARS}}}?".join(pieces))
    return next((t for t in titles if shown.fullmatch(t.casefold())), None)


def _glued(heading: str, titles: list[str]) -> str | None:
    """The first part of a declared title that the heading runs on from without a space, into a
    capital ("Black EditionComplete high-protein powder meal" shown, "Black Edition | Meal
    Replacement" declared): the rest is a tagline in an element of its own, set on its own line."""
    for title in titles:
        part = SEPARATOR.split(title)[0]
        end, on = part[-1:], heading[len(part) : len(part) + 1]
        if heading.casefold().startswith(part.casefold()) and end.islower() and on.isupper():
            return heading[: len(part)]
    return None


def _pieced(key: str, pieces: list[str]) -> bool:
    """Whether the declared titles inside a headline (``key``, case-folded) make all of it: each
    was cut from it another way ("Software Development Price Guide & Hourly Rate Comparison" and
    "2025 Software Development Price Guide & Hourly Rate" of "2025 Software Development Price
    Guide & Hourly Rate Comparison"), so no part of it is a date or counter added to the title."""
    covered = [not c.isalnum() for c in key]  # what no piece needs to hold: spaces, marks
    for piece in (p.casefold() for p in pieces):
        at = key.find(piece)
        covered[at : at + len(piece)] = [True] * len(piece)
    return all(covered)


def _agreed(trimmed: list[str]) -> str:
    """The declared title the most others repeat, the most trusted on a tie: a JSON-LD headline
    that words the title its own way loses to the ``og:title`` and ``<title>`` that agree."""
    keys = [t.casefold() for t in trimmed]
    return max(trimmed, key=lambda t: keys.count(t.casefold()))


def _only_site(title: str, names: list[str]) -> bool:
    """Whether a declared title is only the site's name (a shop's twitter:title "Bombas" on every
    page): no title of this page."""
    return any(_squeeze(title) == _squeeze(name) for name in names)


def _ends(titles: list[str], heading: str, names: list[str]) -> bool:
    """Whether a title's last part is the heading, and its first part not the site's name: then
    the heading is the site's name ("Defining Shared Behavior with Traits - The Rust Programming
    Language" under a heading "The Rust Programming Language"; not "Discord - Group chat ..."), and
    no declared title is the heading alone (a story's og:title "The harbour reopens" under a
    <title> "Weekend interview - The harbour reopens": a kicker, then the title), and no declared
    title holds it before its last part (an og:title "Opinion | Enough platitudes" beside a <title>
    "Enough platitudes - The Washington Post": the <title> names the site after it)."""
    key = heading.casefold()
    if any(title.casefold() == key or _names(title, heading) for title in titles):
        return False
    return any(
        len(parts) > 1
        and parts[-1].casefold() == key
        and not any(names_site(parts[0], name, 0) for name in names)
        for parts in map(SEPARATOR.split, titles)
    )


def _labels(titles: list[str]) -> Iterator[tuple[str, str]]:
    """Each declared title split into its first part and the rest ("News", "Digital Cameras: a
    2024 status symbol?"): a heading that shows both without the separator ("News Digital
    Cameras: ...") opens with a label (a forum's thread prefix, a category), not with its title."""
    for title in titles:
        parts = SEPARATOR.split(title)
        rest = _rejoin(title, parts[1:]) if len(parts) > 1 else ""
        if len(parts[0].split()) < len(rest.split()):  # a label is shorter than what it labels
            yield parts[0], rest


def _whole(titles: list[str]) -> list[str]:
    """The declared titles with one cut short (a JSON-LD headline cut at 110 characters, "... Find
    Solutions (Including") replaced by a later one that goes on from it."""
    whole = []
    for i, title in enumerate(titles):
        key = title.rstrip(_CUT_MARKS).casefold()
        longer = (t for t in titles[i + 1 :] if _goes_on(t, key))
        whole.append(next(longer, title))
    return whole


def _goes_on(title: str, start: str) -> bool:
    """Whether ``title`` goes on from ``start`` with more words, not with a separator and the
    site's name ("... Discussion - Squarespace products")."""
    if not title.casefold().startswith(start):
        return False
    rest = title[len(start) :]
    return rest[:1].isalnum() or (rest[:1] == " " and rest[1:2].isalnum())


def _as_declared(heading: str, named: list[str]) -> str:
    """A heading in capitals as a declared title writes it: "TIPS FOR ONLINE SUCCESS" shown,
    "Tips for Online Success" declared; the first declared title that writes it otherwise than in
    capitals (a twitter:title copies the heading's capitals where the <title> does not)."""
    if not heading.isupper():
        return heading
    key = heading.casefold()
    for title in named:
        at = title.casefold().find(key)
        if at < 0 or len(title.casefold()) != len(title):  # a letter changed length: no slice
            continue
        written = title[at : at + len(heading)]
        if not written.isupper():
            return written
    return heading


def _rewords(heading: str, named: list[str]) -> bool:
    """Whether the heading shares at least ``SHARED_WORDS`` of its words, and two at least (small
    words aside), with one of the declared titles."""
    words = _words(heading)
    if len(words) < 2:
        return False
    return any(
        len(shared) > 1 and len(shared) >= SHARED_WORDS * len(words)
        for shared in (words & _words(t) for t in named)
    )


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.casefold()) if w not in SMALL_WORDS}


def _names(declared: str, heading: str) -> bool:
    """Whether a declared title holds the heading, not as its last part (the site's name)."""
    key, parts = heading.casefold(), SEPARATOR.split(declared)
    if len(parts) > 1 and parts[-1].casefold() == key:
        return False
    return key in declared.casefold()


def heading_text(heading: HtmlElement) -> str:
    """A heading's text as a reader sees it: a line break is a space ("Harbour reopens<br>after
    the storm", not "reopensafter"), and style or script inside it is no text."""
    texts: list[str] = []
    hidden = 0  # how many unseen elements the walk is inside (a walk, not recursion: any depth)
    for event, node in etree.iterwalk(heading, events=("start", "end", "comment", "pi")):
        unseen = node.tag in NOT_SHOWN
        if event == "start" and not (hidden := hidden + unseen):
            texts.append(" " if node.tag == "br" else node.text or "")
        elif event == "end":
            hidden -= unseen
        if event != "start" and not hidden and node is not heading:
            texts.append(node.tail or "")
    return "".join(texts)


def _declared_later(marks: walks.Marks, trimmed: list[str], named: list[str]) -> str | None:
    """A later <h1> (after the first ``MAX_HEADINGS``, up to ``MAX_LATER_HEADINGS``) that shows a
    declared title as it is: a page whose menu is set in headings ("Sections", "Shows", "Live")
    shows its headline further down, and a reader sees that one of its declared titles."""
    keys = {t.casefold() for t in trimmed}
    later = _headings(marks, MAX_LATER_HEADINGS)[MAX_HEADINGS:]
    shown = next((h for h in later if h.casefold() in keys), None)
    return _as_declared(shown, named) if shown else None


def _headings(marks: walks.Marks, limit: int = MAX_HEADINGS) -> list[str]:
    found = []
    for heading in marks.h1:
        text = _unescape(heading_text(heading)).rstrip(_ANCHOR_MARKS).strip()
        if text and len(text) <= MAX_TITLE_CHARS:
            found.append(text)
        if len(found) == limit:
            break
    return found


def strip_site(title: str, names: list[str], lead: bool = True) -> str:
    """``title`` without a trailing part that names the site (``names_site``), or else (``lead``)
    a leading part that is one of its ``names``."""
    parts = SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    if any(names_site(parts[-1], name) for name in names):
        return _rejoin(title, parts[:-1])
    if lead and any(names_site(parts[0], name, 0) for name in names):
        return _rejoin(title, parts[1:])
    return title


def _rejoin(title: str, kept: list[str]) -> str:
    """The kept parts as they were written, separators included."""
    start = title.index(kept[0])
    end = title.rindex(kept[-1]) + len(kept[-1])
    return title[start:end]


def same_site(part: str, site: str) -> bool:
    """Whether ``part`` is the site's name, a piece of it, or holds it (a byline "Cookshack Staff"
    is the site's)."""
    a, b = _squeeze(part), _squeeze(site)
    return bool(a and b) and (a == b or (len(a) > 3 and (a in b or b in a)))


def names_site(part: str, site: str, extra_words: int = SITE_EXTRA_WORDS) -> bool:
    """Whether a part of a title names the site: its name, a piece of it ("Professional Tutoring"
    of "Julia Ross Professional Tutoring"), or its name with at most ``extra_words`` words added
    ("Protiviti US", "Raspberry Pi Forums" on forums.raspberrypi.com, "REI Co-op" of "REI"); not
    a sentence that mentions it ("Test your website for free with Seobility")."""
    words, name = part.casefold().split(), site.casefold().split()
    if name and words[: len(name)] == name:  # a short name too ("REI", which ``same_site`` skips)
        return len(words) - len(name) <= extra_words
    if not same_site(part, site):
        return False
    a, b = _squeeze(part), _squeeze(site)
    if a == b or a in b:
        return True
    return len(b) > 3 and len(part.split()) - len(site.split()) <= extra_words


def site_names(site: str | None, url: str) -> list[str]:
    """The names a title may give the site: its declared name and its host's name ("raspberrypi"
    of "forums.raspberrypi.com", "amazon" of "www.amazon.co.uk")."""
    labels = (urlsplit(url).hostname or "").split(".")
    top = labels.pop() if len(labels) > 1 else ""  # the top-level domain
    if len(top) == 2 and len(labels) > 1 and len(labels[-1]) <= SECOND_LEVEL_CHARS:
        labels.pop()  # "co" of "co.uk"; a country's code has two letters ("cdc" of cdc.gov stays)
    return [name for name in (site, labels[-1]) if name]


def _squeeze(text: str) -> str:
    return _NON_WORD.sub("", text.casefold())


def site_name(declared: str | None, url: str) -> str | None:
    """The site's declared name, else its host without "www." and the like."""
    if declared and declared.strip():
        return _unescape(declared)
    host = urlsplit(url).hostname or ""
    for noise in _HOST_NOISE:
        host = host.removeprefix(noise)
    return host or None


def _unescape(text: str) -> str:
    """Text with entities a page escaped twice ("&amp;#8217;") read as characters."""
    text = " ".join(text.split())
    return html.unescape(text) if "&" in text else text
