"""The byline: who wrote the article, from every place a reader would look, most trusted first.

Order of trust: JSON-LD ``author`` (and ``creator``; the Persons of a list that adds an
Organization), microdata ``itemprop="author"``, meta author tags, ``rel="author"`` links, byline
elements (class or id ``byline``, ``author-name``...; of an author's card too long to be one, the
name heading its bio), "By X" / "Von X" / "Par X" / "Por X" /
"Article by X" lines near the top of the page or in the date line under the headline (the
longest heading the page's declared titles hold, else the first <h1> that is not the site's
logo), a name standing alone over that date line's date ("Travis Haney - 4 hours ago"), and
last links to an author's page ("/author/jo-smith/"). A source that names more than four people
is a listing of other stories, but for the first names beside the headline (the story's own
byline above its "more stories" cards).
The first source that gives a name that passes ``clean`` wins (but for a "By X" line under the
headline naming another person than the one author JSON-LD or a meta tag declares: that one is the
account that posted the story); several authors are joined with ", ". A handle ("@name"), a URL,
an e-mail address and placeholders ("admin", "staff") are never names (a handle or an address
beside a name goes, the name stays: "Jo Smith (@josmith)"): an empty byline is better than a
wrong one. Nor is the site's own name, or its publisher's, where the page declares its author
(publishing systems fill it in there; a news group's byline adds the paper, "Ann Lee, The
Daily"), unless a person's name is only part of the site's: a site named after its author
("Myles Katherine Photography", "jefftk.com" of "Kaufman, Jeff T."; not on a company's page). A
name the page signs with in its body is taken even when the site bears it (a personal site,
"Kristian Larsen" on kristian-larsen.com; a company's blog signed "By Help Net Security": 10
more right on modern-web-dev, none invented), and so is a microdata ``Person`` whose name the
page shows (a personal blog's theme marks its author so; a name given only in a ``content``
attribute is declared, the site's name there a publishing system's). A microdata author belongs
to its item, whatever stands between: a story item's own <aside> or <footer> (the line of author
and date after a post) holds its author, not another thing's.
A page whose declared author is a sponsor's label ("Sponsored by X") is an advertorial: no byline.
Nor is an organisation's name a person's: a one-word byline that is the host's name ("CDC" on
cdc.gov), or a group's ("Enrollment Team") on a page that does not declare itself a story.
Names in the reader's account widget and the site's menu are not looked at (a "username" is a
forum post's poster, but the reader's own in the page's banner <header>).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice, takewhile
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from proxy.content.clean import name_words, tokens
from proxy.content.meta import jsonld, microdata, walks
from proxy.content.meta.title import DOMAINS, same_site
from proxy.content.meta.title import SEPARATOR as TITLE_SEPARATOR

# Meta tags that name the author (name=, property= or itemprop=), most trusted first;
# twitter:creator is left out: it holds a handle.
AUTHOR_META = (
    "author",
    "article:author",
    "dc.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
    "citation_author",
)
# Link previews' label and value pairs (``twitter:label1`` "Written by", ``twitter:data1`` the
# name; publishing systems write two to four), and the labels that name the author in English,
# German, French and Spanish.
LABELLED_META = 4
_AUTHOR_LABEL = re.compile(
    r"^\s*(?:written by|author|by|geschrieben von|autor|autorin|von|écrit par|auteur|par"
    r"|escrito por|por)\s*:?\s*$",
    re.I,
)
# Class or id words of an element that holds the byline (whole words, see PITFALLS), and of ones
# that only sit beside it (an author's photo, the bio box at the end).
BYLINE_TOKENS = frozenset(
    {"byline", "author", "authors", "authorname", "writer", "contributor", "username"}
)
NOT_BYLINE_TOKENS = frozenset(
    {
        "bio",
        "box",
        "avatar",
        "image",
        "img",
        "photo",
        "description",
        "about",
        "more",
        "posts",
        "label",
        "title",
        # an author's card shown over the page on a click or a hover ("author-overlay"), whose
        # first words are its controls' ("Close Follow on Twitter")
        "overlay",
        "popup",
        "popover",
        "tooltip",
        "modal",
    }
)
# A class that says what an element has or is ("has-bio", "is-open"): a state, not what it is.
_STATE_CLASS = re.compile(r"(?<![\w-])(?:has|is|with)-[\w-]+", re.I)
# The byline token that names an account: a forum post's poster in the post, but the reader's own
# in the site's banner (``in_banner``: wapo's sign-in widget shows a "Username" placeholder there).
ACCOUNT_TOKEN = "username"
# Class words that name a post's poster together, in one element's class: Flarum's "PostUser-name"
# over each post of a thread (its first post's is the thread starter's), "post-user", "postUser".
POSTER_TOKENS = frozenset({"post", "user"})
# Elements that make a <header> a story's or a post's, not the page's banner.
SECTIONING_TAGS = frozenset({"article", "main", "section"})
# Any byline token inside a lower-cased text (``_names_byline``'s first look: one search, not one
# test per token).
_BYLINE_SUBSTRING = re.compile("|".join(sorted(BYLINE_TOKENS | {"user"})))
# The path of an author's page, where a byline's name links to: "/author/jo-smith/" (English,
# German, French, Italian, Spanish).
_AUTHOR_HREF = re.compile(
    r"/(?:author|authors|autor|autoren|auteur|auteurs|autore|autores)/[^/?#]+/?(?:[?#]|$)", re.I
)
# The path of a member's page on a forum or a community blog ("/users/jsteinhardt"), and an
# account's name as one word ("jsteinhardt", "archuser38013").
_ACCOUNT_HREF = re.compile(r"/(?:users?|members?|profiles?|u)/[^/?#]+/?(?:[?#]|$)", re.I)
_ACCOUNT_NAME = re.compile(r"[^\W_][\w.-]{1,29}")
# A link to a listing of the site's stories by subject, which a byline box may hold beside the
# author's name ("Paul" + the category "Scifly"): never a name.
_LISTING_HREF = re.compile(r"/(?:category|categories|tag|tags|topic|topics|section)/", re.I)
# Tags a byline element is.
BYLINE_TAGS = ("span", "div", "p", "a", "address", "li")
# Containers whose names are other people's: comments, related stories, reviews, footers, the
# reader's account.
FOREIGN_TOKENS = frozenset(
    {
        "comment",
        "comments",
        "related",
        "reply",
        "replies",
        "review",
        "reviews",
        "footer",
        "sidebar",
        "recommended",
        "testimonial",
        "testimonials",
        "quote",
        "widget",
        "promo",
        "newsletter",
        # the reader's own account in the site's header ("username-my-account", "Sign in")
        "account",
        "login",
        "signin",
        "signup",
    }
)
# The foreign tokens of a sign-up box: one without a field to fill is a newsletter issue's own
# part ("newsletter-details-wrapper" around the date under its title).
SIGNUP_TOKENS = frozenset({"newsletter"})
# Containers of other things' names, as tags (and "footer" as a class word, in FOREIGN_TOKENS);
# inside a story's microdata item they are its own parts (a blog theme's <aside> or <footer>
# after the text holds the post's author and date).
CONTAINER_TAGS = frozenset({"footer", "aside"})
# Class names of a post embedded from a social network (a quoted tweet, an Instagram or Facebook
# post, a TikTok, Bluesky, Threads, Reddit or Mastodon post), as the networks' embed codes write
# them on a <blockquote>: its author and date are the post's ("— Jo Smith (@jo) August 22,
# 2013" under a tweet, a <time> in an Instagram post), never the page's.
EMBED_CLASSES = frozenset(
    {
        "twitter-tweet",
        "twitter-video",
        "instagram-media",
        "fb-xfbml-parse-ignore",
        "tiktok-embed",
        "bluesky-embed",
        "text-post-media",
        "reddit-embed-bq",
        "mastodon-embed",
    }
)
# The site's navigation: a menu's "latest insights" cards carry other stories' bylines.
# ("nav" alone is left out: layouts name their offsets after it, "offset-nav" on <main>.)
MENU_TOKENS = frozenset({"navigation", "menu", "dropdown", "megamenu", "navbar"})
# Placeholder names that publishing systems fill in; never a real author.
PLACEHOLDERS = frozenset(
    {
        "admin",
        "administrator",
        "staff",
        "editor",
        "editors",
        "editorial",
        "editorial staff",
        "editorial team",
        "the editors",
        "webmaster",
        "user",
        "guest",
        "anonymous",
        "unknown",
        "author",
        "the author",
        "written by",
        "posted by",
        "team",
        "null",
        "none",
        "root",
        "wpadmin",
        "by",
        "von",
        "par",
        "por",
        "contributor",
        "contributors",
        "redaktion",
        "rédaction",
        "redacción",
    }
)
# Words that make a byline a group's, not a person's ("Enrollment Team", "Redaktion Wien",
# "Équipe éditoriale"), in English, German, French and Spanish. A group names who wrote only on
# a page that declares itself a story; elsewhere (a service page's meta author) it is a contact.
GROUP_WORDS = frozenset(
    {
        "team",
        "staff",
        "desk",
        "newsroom",
        "department",
        "office",
        "redaktion",
        "équipe",
        "equipe",
        "rédaction",
        "redaction",
        "equipo",
        "redacción",
        "departamento",
    }
)
# Lower-case words after a name that make it a group's ("The Currency editors", "Daily Planet
# staff"): the group words and the plural of who writes, in English, German, French and Spanish.
GROUP_FOLLOWERS = GROUP_WORDS | frozenset(
    {"editors", "reporters", "writers", "redakteure", "rédacteurs", "redactores", "editores"}
)
# "By X" in English, German, French and Spanish, and label words before a name (and Chinese
# "作者：", "记者：", "文：").
BY_LINE = re.compile(
    r"^\s*(?:(?:written\s+by|posted\s+by|article\s+by|story\s+by|by|von|par|por|author|autor"
    r"|auteur)\s*(?::\s*|\s)|(?:作者|记者|文)\s*[:：]\s*)",
    re.I,
)
# A sponsor's label given as the author, in English, German, French and Spanish ("Sponsored by
# StackCommerce", "Paid content by ...", "Gesponsert von ...", "Sponsorisé par ...").
_SPONSOR = re.compile(
    r"^\s*(?:sponsored|presented|paid\s+(?:content|post)|brought\s+to\s+you)\s+by\b"
    r"|^\s*(?:gesponsert|präsentiert)\s+von\b|^\s*(?:sponsorisé|présenté)\s+par\b"
    r"|^\s*patrocinado\s+por\b",
    re.I,
)
# Where one author ends and the next begins in a byline.
_SEPARATOR = re.compile(r"\s*(?:,|;|\|)\s*")
# "And" between two names, in the same four languages; inside a name it is no separator ("Center
# for Drug Evaluation and Research" is one name, and no person's).
_AND = re.compile(r"\s*(?:&|\band\b|\bund\b|\bet\b|\by\b)\s*")
# A run of letters starting with a capital: how a name in running text starts, particles inside
# it whole words ("van der Merwe", not "van de" + "r"); or a Chinese name,
# two to four ideographs standing alone ("谢若含 2017-03-01").
_NAME = re.compile(
    r"^(?:[A-ZÀ-Þ][\w.'’-]*(?:\s+(?:[A-ZÀ-Þ][\w.'’-]*|(?:van|von|de|der|da|del|la|le|di)(?=\s)))"
    r"{0,4}|[\u4e00-\u9fff]{2,4}(?![\u4e00-\u9fff]))"
)
# What joins the names of a list of authors, as a text of its own between their links.
_LIST_JOINT = re.compile(r"\s*(?:,|;|&|and|und|et|y)\s*", re.I)
# "And" before another name in a byline line, in English, German, French and Spanish.
_JOINED_NAME = re.compile(r"\s*(?:&|and|und|et|y)\s+(?=[A-ZÀ-Þ])")
# A degree or certification written after a name: "Ph.D.", "M.Sc.", "MD", "CEPF®".
_CREDENTIAL = re.compile(r"^(?:[A-Z]{2,6}|(?:[A-Za-z]{1,3}\.){2,4})[®™]?$")
# An account name: lower-case words joined by dots ("andrew.keaveney").
_LOGIN = re.compile(r"^[a-z][a-z0-9]*(?:\.[a-z0-9]+)+$")
# A name that ends with an initial ("Jeff T."), whose full stop is part of the name.
_INITIAL_LAST = re.compile(r"\s[^\W\d_]\.$")
# How a word of a person's name is written: capitalised, then lower-case letters (a second capital
# after "Mc" or a hyphen: "McIntyre", "Munoz-Mantilla"), or an initial ("T.").
_PERSON_WORD = re.compile(r"^(?:[A-ZÀ-Þ][a-zß-ÿ'’]+(?:[-A-ZÀ-Þ][a-zß-ÿ'’]+)*|[A-ZÀ-Þ]\.)$")
# A title before a person's name, in English ("Dr Jo Smith", "Prof. Ann Lee").
_HONORIFIC = re.compile(r"^(?:Dr|Prof|Mr|Mrs|Ms|Mx)\.?\s+(?=\S)")
# A site named after its author names them with at most this many words.
PERSON_WORDS = 4
# A host's name as a site's name gives: "www." before it, its top-level domain after it.
_DOMAIN_ENDS = re.compile(r"^www\.|\.[a-z]{2,6}$", re.I)
# A handle or an e-mail address written beside a name ("Jo Smith (@josmith)", "Jo Smith
# <jo@paper.example>"), and an address with the name in brackets after it ("jo@paper.example (Jo
# Smith)"), as feeds write an author.
_BESIDE_NAME = re.compile(r"\s*(?:\(\s*@\w+\s*\)|<[^<>\s]+@[^<>\s]+>|(?<=\w)\s+@\w+$)")
_MAILBOX = re.compile(r"^[^\s@()]+@[^\s@()]+\.\w+\s*\(([^()@]+)\)$")
# A handle, a URL, an e-mail address, a number, a site's address: no one's name.
_HANDLE = re.compile(rf"^@|^https?:|^www\.|/|@\S+\.\w+|^\d+$|^[\w-]+(?:\.[\w-]+)*\.(?:{DOMAINS})$")
# A name has at most this many words and characters; anything longer is a sentence.
MAX_NAME_WORDS = 5
MAX_NAME_CHARS = 60
# Elements marked ``itemprop="author"``, found from their attributes (speed shortcut: XPath's
# ``//*[@itemprop="author"]`` asks every element of the page).
_AUTHOR_ITEMS = etree.XPath('//@itemprop[. = "author"]/..')
# The headings that title a card: its <h2> and <h3>.
_CARD_TITLES = etree.XPath(".//h2 | .//h3")
# An author item's elements marked as its name.
_ITEM_NAMES = etree.XPath('.//*[@itemprop="name"]')
# Links marked ``rel="author"``, found from the links' rel attributes (speed shortcut: XPath's
# ``//a[contains(concat(" ", normalize-space(@rel), " "), " author ")]`` asks every link).
_AUTHOR_LINKS = etree.XPath(
    '//a/@rel[contains(concat(" ", normalize-space(.), " "), " author ")]/..'
)
# How many text nodes from the top of the body a "By X" line may be, and those texts by XPath
# (``_top_texts`` walks to them).
BY_LINE_SCAN = 240
# The texts after the last of those that are read for its name ("By" + the linked name).
NAME_TEXTS = 1
_TOP_TEXTS = etree.XPath(f"(//body//text())[position() <= {BY_LINE_SCAN + NAME_TEXTS}]")
# An author's card names its person again within this many words of its bio.
BIO_WORDS = 12
# Byline elements tried in turn until one holds a believable name.
MAX_BYLINE_ELEMENTS = 8
# A story's card on a listing (its heading, byline, date and a line of text) is shorter than this.
TEASER_CHARS = 600
# The first sources (JSON-LD, microdata) are trusted with any number of authors; the page's other
# parts name at most this many, or they are a listing of other stories' authors.
TRUSTED_SOURCES = 1
# The sources that declare an author a publishing system fills in from the account that posted
# the story (JSON-LD, meta tags): a "By X" line of another name near the top is the signature.
ACCOUNT_SOURCES = (0, 2)
# The sources from this one on read the page's body (byline elements, "By X" lines).
BODY_SOURCES = 4
MAX_BODY_AUTHORS = 4
# Words that end a name in a byline line or are no name alone: months, weekdays, labels.
NOT_NAMES = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "updated",
        "update",
        "last",
        "published",
        "posted",
        "on",
        "min",
        "read",
        "share",
        "follow",
        "email",
        "reviewed",
        "edited",
        "fact",
        "checked",
        "from",
    ]
)
# Lower-case words inside a person's name ("Marna van der Merwe").
PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "da",
        "das",
        "del",
        "della",
        "di",
        "du",
        "la",
        "le",
        "bin",
        "al",
        "ibn",
        "y",
        "e",
    ]
)
# A contributor's role in brackets after a name: how a shop credits a book's or an album's
# makers ("by Ann Lee (Author), Bo Chen (Illustrator)"); the page is the product's, and its
# body names no one who wrote the page. English, German, French and Spanish.
_CREDIT = re.compile(
    r"\(\s*(?:author|editor|illustrator|translator|narrator|foreword|autor|autorin|herausgeber"
    r"|übersetzer|auteur|traducteur|illustrateur|traductor|ilustrador)\s*\)",
    re.I,
)
# Legal forms that end a company's name.
COMPANY_SUFFIXES = frozenset(["inc", "llc", "ltd", "gmbh", "corp", "plc", "ag", "sa", "srl", "bv"])
# A text node that opens a byline: "By", "Von", "Par", "Por" as written at a line's start.
_BY_WORD = re.compile(
    r"^\s*(?:By|BY|Von|VON|Par|PAR|Por|POR|Written by|Posted by|Article by|Story by)\b"
)
# The same words in any case: how a byline line under the headline opens ("by Amanda · Dec 20"),
# or goes on after the date, behind a separator ("December 21, 2016 | by Lauren Briggs").
_BY_ANY_CASE = re.compile(
    r"^\s*(?:[|·•–—-]\s*)?(?:by|von|par|por|written by|posted by|article by|story by)\b", re.I
)
# An <h2> that labels the author's name in the heading after it, in English, German, French and
# Spanish ("Article written by:").
_HEADING_LABEL = re.compile(
    r"^\s*(?:(?:article\s+|post\s+)?written by|authors?|geschrieben von|verfasst von|autor|autorin"
    r"|écrit par|auteure?|escrito por)\s*:?\s*$",
    re.I,
)
# A separator before a byline line's "by".
_LEADING_SEPARATOR = re.compile(r"^\s*[|·•–—-]\s*")
# "by" after a date in one line: "Posted on March 5, 2013 by Jo Smith", "2025-09-13, von Jo".
_BY_AFTER_DATE = re.compile(r"(?<!\d)(?:19|20)\d\d\W{0,3}\s(?P<by>by|von|par|por)\s", re.I)
# How many texts after the headline a "by X" line may be (a kicker's or a subtitle's between),
# and how many texts on either side of it its date line may reach.
HEADLINE_TEXTS = 8
DATE_LINE_TEXTS = 3
# The headings: a text in one under the headline is another item's title.
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# A date line's date and an author's role beside it are shorter than this.
DATE_LINE_CHARS = 40
# What ``_squeeze`` drops.
_NOT_ALNUM = re.compile(r"[\W_]+")
# A year, as a date line writes it ("Dec 20, 2025", "2025-09-13", "03/01/2017").
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


@dataclass(frozen=True)
class Declared:
    """What the page declares about who wrote it, read once by ``metadata``."""

    ld_article: dict | None  # the JSON-LD article object
    ld_index: dict[str, dict]  # the JSON-LD objects by @id (authors given as references)
    meta: dict[str, str]  # the meta tags
    site: str | None  # the site's name: never an author
    host: str | None = None  # the host's name ("cdc" of www.cdc.gov): a one-word byline that is
    # it names the site ("CDC"), not a person
    story: bool = True  # the page declares itself a story, where a group may sign ("Editorial
    # Team", "BWW News Desk"): a JSON-LD story type, or og:type "article" without JSON-LD (as
    # ``dates.Page.og_article``); elsewhere a group's name is a contact's
    publisher: str | None = None  # the JSON-LD publisher's name: never an author either
    webpage: bool = False  # the JSON-LD declares a WebPage and no story: a company's page
    titles: tuple[str, ...] = ()  # the titles the page declares (JSON-LD, meta tags, <title>):
    # the one of its headings they hold is its headline


def find(doc: HtmlElement, page: Declared, marks: walks.Marks | None = None) -> str | None:
    """The byline of the page, or None when no source gives a believable name (``marks``: the
    page's, when the caller has them)."""
    site = page.site
    sites = tuple(name for name in (site, page.publisher) if name)
    elements: list[HtmlElement] = []  # the byline elements, found once the body is read
    persons = _ld_persons(page.ld_article, page.ld_index)
    # Each source with the names it must not give: the site's, but where the page signs with it
    # in its body, or marks it as a Person (``_microdata`` looks at the site's name itself).
    sources: tuple[tuple[Callable[[], Iterable[str]], tuple[str, ...]], ...] = (
        (lambda: _not_logins(_from_json_ld(page.ld_article, page.ld_index)), sites),
        (lambda: _microdata(doc, sites), ()),
        (lambda: _not_logins(_meta(page.meta)), sites),
        (lambda: _rel_author(doc), sites),
        (lambda: _elements(elements, site), ()),
        (lambda: _by_lines(doc, page, walks.marks(doc) if marks is None else marks), ()),
        (lambda: _author_links(doc, site), ()),
    )
    if _sponsored(page):
        return None  # a sponsor's advertorial: the names in its body are other stories' authors
    for number, (source, unlike) in enumerate(sources):
        if number == BODY_SOURCES:
            elements = list(islice(_byline_elements(doc), MAX_BYLINE_ELEMENTS))
            if any(_CREDIT.search(_text(element)) for element in elements):
                return None  # a product's page: the names in its body are the product's makers
        declared = number < BODY_SOURCES
        names = [
            n for n in clean(source(), unlike, persons) if not _organisation(n, page, declared)
        ]
        if number >= TRUSTED_SOURCES and len(names) > MAX_BODY_AUTHORS:
            # a listing of other stories: any name further down is one of theirs, but the first
            # may be the story's own, at its headline
            found = _at_headline(names, walks.marks(doc) if marks is None else marks, page)
            return ", ".join(found) if found else None
        if len(names) == 1 and number in ACCOUNT_SOURCES:
            names = _signed_otherwise(names[0], page, marks or walks.marks(doc)) or names
        if len(names) == 1 and number < TRUSTED_SOURCES:
            names = _with_coauthors(names[0], doc)
        if names:
            return ", ".join(names)
    return None


def _sponsored(page: Declared) -> bool:
    """Whether the author JSON-LD or a meta tag declares is a sponsor's label ("Sponsored by
    StackCommerce"): the page is an advertorial that no person signs."""
    declared = [*_from_json_ld(page.ld_article, page.ld_index), *_meta(page.meta)]
    return any(_SPONSOR.match(name) for name in declared)


def _signed_otherwise(name: str, page: Declared, marks: walks.Marks) -> list[str]:
    """The names of a "By X" line under the headline (``_by_line``) that names someone else
    than the one author the JSON-LD or a meta tag declares (``name``): the declared one is the
    publishing system's account that posted the story, the line the story's signature ("By: Paul
    Fenaroli" where the SEO plugin declares the poster "Luke Daigle"), each written as a person's
    (``_person``); else []. One name holding the other is the same person ("Dr Marna van der
    Merwe")."""
    headline = _headline(marks, page.site, page.titles)
    texts = [] if headline is None else walks.following_words(headline, HEADLINE_TEXTS)
    line = _by_line(texts, _BY_WORD)
    shown = [n for n in clean([line] if line else []) if _person(n) and not _organisation(n, page)]
    short = _squeeze(name)
    same = any(short in _squeeze(n) or _squeeze(n) in short for n in shown)
    return [] if same else shown


def _with_coauthors(name: str, doc: HtmlElement) -> list[str]:
    """The authors a byline element lists with ``name``, the one author the JSON-LD declares (a
    publishing system's SEO plugin declares the post's first author alone; the page shows all:
    "Written by Dr Marna van der Merwe, Dr Dieter Veldsman, Erik van Vulpen"), as the page
    writes them; else ``name``."""
    short = _squeeze(name)
    for element in islice(_byline_elements(doc), MAX_BYLINE_ELEMENTS):
        listed = clean(_listed_children(element))
        if len(listed) > 1 and any(_squeeze(n).endswith(short) for n in listed):
            return listed
    return [name]


def front_page(url: str) -> bool:
    """Whether ``url`` is a site's front page, which lists other stories and has no author of its
    own (16 front pages on modern-web-dev, none with one; the names there are teasers')."""
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def declared(page: Declared) -> bool:
    """Whether the page's JSON-LD or meta tags name a believable author, a person's where
    ``find`` wants one (a byline found in the body alone may be a teaser's or a contact's)."""
    sites = tuple(name for name in (page.site, page.publisher) if name)
    found = [
        *clean(_from_json_ld(page.ld_article, page.ld_index), sites),
        *clean(_meta(page.meta), sites),
    ]
    return any(not _organisation(name, page, declared=True) for name in found)


def clean(
    candidates: Iterable[str], sites: tuple[str, ...] = (), persons: frozenset[str] = frozenset()
) -> list[str]:
    """The believable names in ``candidates``: labels stripped, several split, junk dropped, and
    the names of ``sites`` (the site's, its publisher's), whole or in part; but for the names
    of ``persons`` (declared a Person) that are only a part of the site's."""
    names: dict[str, str] = {}
    for candidate in candidates:
        byline = BY_LINE.sub("", _without_addresses(" ".join(candidate.split())))
        if any(_squeeze(byline) == _squeeze(site) for site in sites):
            continue  # the site's name whole, before "&" splits "Mac & i" into "Mac" and "i"
        for part in _parts(byline):
            credential = _CREDENTIAL.match(part.strip(" :-–—·•"))
            if credential and names:  # "Genevieve Carlton, Ph.D.": kept as the page writes it
                names.setdefault(credential.group(0).casefold(), credential.group(0))
                continue
            name = part.strip(" .:-–—·•")
            if _INITIAL_LAST.search(part.rstrip(" :-–—·•")):
                name += "."  # "Kaufman, Jeff T.": an initial keeps its full stop
            person = name.casefold() in persons
            if _believable(name) and not any(_site(name, site, person) for site in sites):
                names.setdefault(name.casefold(), name)
    return list(names.values())


def _without_addresses(byline: str) -> str:
    """The byline without the handle or e-mail address written beside a name: "Jo Smith
    (@josmith)", "Jo Smith <jo@paper.example>", "jo@paper.example (Jo Smith)" (a feed's form)."""
    mailbox = _MAILBOX.match(byline)
    return _BESIDE_NAME.sub("", mailbox.group(1) if mailbox else byline).strip()


def _parts(byline: str) -> Iterator[str]:
    """The byline's parts between commas, each split at "and" unless a piece is a phrase."""
    for part in _SEPARATOR.split(byline):
        pieces = _AND.split(part)
        yield from [part] if any(map(_phrase, pieces)) else pieces


def _phrase(text: str) -> bool:
    """Whether ``text`` has a lower-case word inside, as phrases do and names do not ("Visit the
    Apple Store"; "Marna van der Merwe" is a name)."""
    words = text.split()
    return len(words) > 1 and any(w.islower() and w not in PARTICLES for w in words)


def _believable(name: str) -> bool:
    folded = name.casefold()
    if not name or len(name) > MAX_NAME_CHARS or len(name.split()) > MAX_NAME_WORDS:
        return False
    if folded in NOT_NAMES or (name.isupper() and len(name) > 3):
        return False  # a month, a label; "COMPANY TYPE" is a heading
    words = name.split()
    if _phrase(name):
        return False  # "Visit the Apple Store" is a sentence (one lower-case word is a username)
    if words[-1].strip(".,").casefold() in COMPANY_SUFFIXES:
        return False  # a company, not a person who wrote
    return not (_HANDLE.search(name) or folded in PLACEHOLDERS or not any(map(str.isalpha, name)))


def _organisation(name: str, page: Declared, declared: bool = False) -> bool:
    """Whether a believable name is an organisation's: the host's own name in one word, a
    group's name off a story page (see ``Declared``), or, ``declared`` by a company's page (a
    JSON-LD WebPage, no story), a name inside the site's (a firm named after its founders,
    "Warren Averett CPAs & Advisors")."""
    words = name.casefold().split()
    if page.host and len(words) == 1 and _squeeze(name) == _squeeze(page.host):
        return True
    if declared and page.webpage and page.site and same_site(name, page.site):
        return True
    return not page.story and bool({words[0], words[-1]} & GROUP_WORDS)


def _squeeze(text: str) -> str:
    """The text's letters and digits (``str.isalnum``: what ``\\w`` matches but "_"), folded; a
    regex rather than a test per character (speed shortcut)."""
    return _NOT_ALNUM.sub("", text.casefold())


def _not_logins(names: Iterable[str]) -> Iterator[str]:
    """The names a publishing system filled in, without its account names ("andrew.keaveney"):
    the byline the page shows is looked for next. (On a forum the account name is the name
    shown, and comes from the posts.)"""
    return (name for name in names if not _LOGIN.match(name.strip()))


def _from_json_ld(article: dict | None, index: dict[str, dict]) -> Iterator[str]:
    if article:
        authors = jsonld.people(article.get("author") or article.get("creator"), index)
        yield from jsonld.names(authors, index)


def _ld_persons(article: dict | None, index: dict[str, dict]) -> frozenset[str]:
    """The names of the JSON-LD article's authors typed Person, folded."""
    value = (article or {}).get("author") or (article or {}).get("creator")
    items = value if isinstance(value, list) else [value]
    return frozenset(
        name.casefold()
        for item in items
        if isinstance(item, dict) and "person" in jsonld.types(jsonld.resolved(item, index))
        for name in jsonld.names(item, index)
    )


def _microdata(doc: HtmlElement, sites: tuple[str, ...]) -> Iterator[str]:
    """The authors of the first item that names any: on a forum or Q&A page every post and
    comment is an item of its own with its author, and only the first post's is the page's.
    A ``Person`` whose name the page shows is the page signing, even with the site's name (a
    personal site's theme marks its author so); a name given only in a ``content`` attribute is
    cleaned of the site's (``sites``), as the meta tags' are: publishing systems fill in the
    site's name there ("El Colombiano" as a Person, "JuraForum.de-Redaktion")."""
    first = None
    for element in _AUTHOR_ITEMS(doc):
        item = microdata.item(element)
        if foreign(element, item):
            continue
        first = item if first is None else first
        if item is not first:
            continue
        named = _ITEM_NAMES(element)
        source = named[0] if named else element
        content = source.get("content")
        signed = microdata.person(element) and not content
        yield from clean([content or _text(source)], () if signed else sites)


def _meta(meta: dict[str, str]) -> Iterator[str]:
    for key in AUTHOR_META:
        if meta.get(key):
            yield meta[key]
    for number in range(1, LABELLED_META + 1):  # a link preview's "Written by" | "Tyler Brown"
        if _AUTHOR_LABEL.match(meta.get(f"twitter:label{number}", "")):
            yield meta.get(f"twitter:data{number}", "")


def _rel_author(doc: HtmlElement) -> Iterator[str]:
    for link in _AUTHOR_LINKS(doc):
        if not foreign(link):
            yield _text(link)


def _elements(elements: list[HtmlElement], site: str | None) -> Iterator[str]:
    """The names in the first byline element, outside comments and related stories, that has
    any other than the site's name (a logo's "PhillyVoice" before "By Adam Aaronson"), else in
    the first that has the site's name: its links, else the name its text starts with. A
    byline that labels the site's name as the author ("Author Venteur", "By Help Net Security")
    signs the page with it: the names of later ones are other stories' (a "more posts" list)."""
    found = []
    for at, element in enumerate(elements):
        names = clean(_element_names(elements, at))
        if names and all(_site(n, site) for n in names) and BY_LINE.match(_text(element)):
            found = [names]
            break
        found.append(names)
    others = (names for names in found if names and not all(_site(n, site) for n in names))
    yield from next(others, None) or next((names for names in found if names), [])


def _element_names(elements: list[HtmlElement], at: int) -> list[str]:
    """What ``elements[at]`` gives as names: nothing for a box around a later one ("Insights
    from" + photo + name, or a "By" line whose box goes on with the author's role or links to
    their archive: "By Oli Coleman View author archive", "by Steve Gillman Contributor"; the
    name's own element is read)."""
    element = elements[at]
    text = _text(element)
    links = [
        _text(a)
        for a in element.iter("a")
        if _text(a) and not _LISTING_HREF.search(a.get("href") or "")
    ]  # not an avatar's link, which has no text
    by_line = text.lower().startswith("by")
    if (by_line or not links) and any(_holds(element, inner) for inner in elements[at + 1 :]):
        return []
    if links and not by_line:
        return links
    if _poster(element) and _ACCOUNT_NAME.fullmatch(text):
        return [text]  # a forum's account name, as the post shows it ("antonjw")
    listed = _listed_children(element)
    return listed if len(listed) > 1 else [_first_name(text)]


def _poster(element: HtmlElement) -> bool:
    """Whether a byline element is a post's poster (``ACCOUNT_TOKEN``, ``POSTER_TOKENS``): its
    whole text is an account's name, in any case."""
    words = tokens(element)
    return ACCOUNT_TOKEN in words or words >= POSTER_TOKENS


def _listed_children(element: HtmlElement) -> list[str]:
    """The names of a byline element's children when they are a list of people, one name to a
    child and a list joint between each two ("Written by <span>Ann Lee</span>, <span>Bo
    Chen</span>"), as a byline with several authors marks each; else [] (a name over a role,
    "Brinda Gulati" / "Content Editor", has none)."""
    children = [child for child in element if isinstance(child.tag, str)]
    names = [_text(child) for child in children]
    joints = [child.tail or "" for child in children[:-1]]
    if all(map(_person, names)) and all(_LIST_JOINT.fullmatch(j) for j in joints):
        return names[:MAX_BODY_AUTHORS]
    return []


def _site(name: str, site: str | None, person: bool = False) -> bool:
    """Whether ``name`` is the site's (``site``): its name or a piece of it, but for a person's
    name that is only part of it (a site named after its author; ``person``: declared a
    Person)."""
    return bool(site) and same_site(name, site or "") and not _named_after(name, site or "", person)


def _named_after(name: str, site: str, person: bool = False) -> bool:
    """Whether ``site`` is named after the person ``name``: a part of the site's name holds it
    and more ("Myles Katherine Photography", "public voit - Web-page of Karl Voit", "jefftk.com"
    of "Jeff T."), and it is written as a person's (``_person``). A whole part between
    separators, or the host's name without its ending, is the site's own ("Infoportal - Diakonie
    Deutschland", "El Colombiano" of "www.elcolombiano.com"): no mark tells a brand's two words
    from a person's there, but where the page declares it a Person and it is one of several
    parts as written ("Dan Davies" of "Dan Davies - Back of Mind", a newsletter's ``person``; a
    publishing system declares the host's name a Person too: "El Colombiano")."""
    short = _squeeze(name)
    written = TITLE_SEPARATOR.split(site)
    parts = [_squeeze(_DOMAIN_ENDS.sub("", part)) for part in written]
    declared = person and len(written) > 1 and short in map(_squeeze, written)  # not a host's
    return short in _squeeze(site) and (declared or short not in parts) and _person(name)


def _person(name: str) -> bool:
    """Whether ``name`` is written as a person's: two to four words, each capitalised or an
    initial (particles and a title before it aside: "Dr Marna van der Merwe"), no group's or
    company's word."""
    words = _HONORIFIC.sub("", name).split()
    return (
        2 <= len(words) <= PERSON_WORDS
        and all(_PERSON_WORD.match(w) or w in PARTICLES for w in words)
        and not {w.casefold() for w in words} & (GROUP_WORDS | COMPANY_SUFFIXES)
    )


def _holds(outer: HtmlElement, inner: HtmlElement) -> bool:
    return any(ancestor is outer for ancestor in inner.iterancestors())


def _byline_elements(doc: HtmlElement) -> Iterator[HtmlElement]:
    named: dict[tuple[str | None, str | None], bool] = {}  # verdicts by class and id
    for element in doc.iter(BYLINE_TAGS):
        names = (element.get("class"), element.get("id"))
        if names == (None, None):
            continue  # most elements: no need to split names into words
        if names not in named:  # pages repeat their names: each pair judged once (speed shortcut)
            named[names] = _names_byline(element, names)
        if not named[names]:
            continue
        found = element if len(_text(element)) <= MAX_NAME_CHARS * 2 else _name_over_bio(element)
        if found is None:
            continue
        if not (foreign(found) or in_control(found) or _readers_account(found)):
            yield found  # not in comments or menus, not a topic's button


def _name_over_bio(element: HtmlElement) -> HtmlElement | None:
    """The first child of a byline element too long to be a byline, when its whole text is a
    person's name (``_person``) over the rest: an author's card, the name above the bio ("Lauren
    Vetter" / "Lauren Vetter is a growth-focused marketing professional ..."); else None."""
    child = next((c for c in element if isinstance(c.tag, str) and _text(c)), None)
    name = _text(child) if child is not None else ""
    if not _person(name):
        return None
    bio = _text(element)[len(name) :].split()  # a bio names its person again: "Lauren is ..."
    return child if set(_HONORIFIC.sub("", name).split()) & set(bio[:BIO_WORDS]) else None


def _readers_account(element: HtmlElement) -> bool:
    """Whether a byline element shows the reader's own account: a username in the page's banner,
    where a sign-in widget puts it (a "Username" placeholder)."""
    return ACCOUNT_TOKEN in tokens(element) and in_banner(element)


def _author_page(link: HtmlElement) -> bool:
    """Whether a link goes to an author's page ("/author/jo-smith/"), as publishing systems
    link the byline's name."""
    href = link.get("href") or ""
    return "/aut" in href and bool(_AUTHOR_HREF.search(href))


def _names_byline(element: HtmlElement, names: tuple[str | None, str | None]) -> bool:
    """Whether the element's class and id (``names``) name a byline element. Speed shortcut:
    a byline token is a run of letters in the names' lower-cased text, so names without one as a
    substring are not split into words (most are not: splitting the names of every element of
    the page was 3% of the pipeline's time on modern-web-dev)."""
    text = " ".join(name for name in names if name is not None).lower()
    if not _BYLINE_SUBSTRING.search(text):
        return False
    words = tokens(element)
    if not (words & BYLINE_TOKENS or words >= POSTER_TOKENS):
        return False
    if _STATE_CLASS.search(text):  # "author has-bio": the byline has a bio, it is not one
        words = name_words(_STATE_CLASS.sub(" ", " ".join(n for n in names if n is not None)))
    return not words & NOT_BYLINE_TOKENS


def _by_lines(doc: HtmlElement, page: Declared, marks: walks.Marks) -> Iterator[str]:
    """A short "By X" text near the top of the body (the name may be in the next element), not
    in a teaser (containers' names are not looked at: a page's body or grid may be called
    "sidebar-right"); else a "by X" line, in any case, just under the headline in a date line
    (a byline that a long menu puts further down, or one written "by Amanda · Dec 20, 2025"; a
    shop's "By Brand" under a product's name stands beside its rating, not a date). The site's
    name is not taken from there."""
    site = page.site
    # a "By" that opens no name ("By continuing ...") is none
    found = _by_line(_top_texts(doc), _BY_WORD, openers=BY_LINE_SCAN) or None
    if found is None:
        headline = _headline(marks, site, page.titles)
        texts = [] if headline is None else walks.following_words(headline, HEADLINE_TEXTS)
        found = _by_line(texts, _BY_ANY_CASE, dated=True) or _name_dated(texts)
        found = None if found and _site(found, site) else found
    found = found or _labelled_heading(marks)
    if found is not None:
        yield found


def _labelled_heading(marks: walks.Marks) -> str | None:
    """The name in the heading after an <h2> that only labels it ("Article written by:" over
    the author's card at the end of a health site's article), outside comments and teasers."""
    for heading in marks.h2:
        if not _HEADING_LABEL.match(_text(heading)) or foreign(heading):
            continue
        following = walks.following_words(heading, 1)
        if following:
            text, holder = following[0]
            if any(e.tag in HEADINGS for e in (holder, *holder.iterancestors())):
                return " ".join(text.split())
    return None


def _name_dated(texts: list[walks.Text]) -> str | None:
    """An element under the headline whose whole text is a person's name (an icon before it
    aside), with a date in the next two texts (a <time> element or a year; a separator or the
    author's role between): a byline without "By" ("Travis Haney - 4 hours ago", "Elliot Raba"
    over "23.07.2025", "Jack Shepherd" / "Co-Founder" / "Updated on 23 Oct 2025"), before any
    other heading; or a line that lists several people so (a paper's authors over its date)."""
    for at, (text, holder) in enumerate(texts):
        if any(e.tag in HEADINGS for e in (holder, *holder.iterancestors())):
            return None
        name = " ".join(text.split())
        owner = holder if holder.text == text else holder.getparent()  # a tail's: "<i/> Jo Lee"
        listed = _persons_in_one(name)
        if owner is None or _text(owner) != name or not (_person(name) or listed):
            continue
        after = [(t, h) for t, h in texts[at + 1 : at + 4] if not _LEADING_SEPARATOR.fullmatch(t)]
        if _date_next(after) and not (in_teaser(holder) or in_menu(holder) or _quoted(holder)):
            return ", ".join(listed or _listed_before(texts, at))
    return None


def _persons_in_one(text: str) -> list[str]:
    """The names of a text that lists two to ``MAX_BODY_AUTHORS`` people and nothing else, between
    commas and "and" ("Naftali Tishby, Fernando C. Pereira, William Bialek": a paper's authors
    over its date); else []."""
    names = [n for part in _SEPARATOR.split(text) for n in _AND.split(part) if n]
    return names if 2 <= len(names) <= MAX_BODY_AUTHORS and all(map(_person, names)) else []


def _listed_before(texts: list[walks.Text], at: int) -> list[str]:
    """The name of ``texts[at]`` with the names a list joins to it before ("Ann Lee", ",", "Bo
    Chen", "and", "Cy Park": the last of several authors is dated), at most
    ``MAX_BODY_AUTHORS``."""
    names = [" ".join(texts[at][0].split())]
    while at >= 2 and len(names) < MAX_BODY_AUTHORS and _LIST_JOINT.fullmatch(texts[at - 1][0]):
        name = " ".join(texts[at - 2][0].split())
        if not _person(name):
            break
        names.insert(0, name)
        at -= 2
    return names


def _quoted(element: HtmlElement) -> bool:
    """Whether ``element`` sits in a <blockquote>: a quoted post's "Posted by SPÖ on Monday,
    February 7, 2022" names the post's author, not the page's."""
    return any(ancestor.tag == "blockquote" for ancestor in element.iterancestors())


def _date_next(texts: list[walks.Text]) -> bool:
    """Whether ``texts`` open with a date line's date, a short line of the author's role before
    it at most: a <time> element, or a short text with a year (a paragraph of the story that
    mentions a year is none, nor a script)."""
    for at, (text, holder) in enumerate(texts[:2]):
        short = len(text.strip()) <= DATE_LINE_CHARS and holder.tag not in ("script", "style")
        if holder.tag == "time" or (short and _YEAR.search(text)):
            return True
        if not short or at:
            return False
    return False


def _author_links(doc: HtmlElement, site: str | None) -> Iterator[str]:
    """The names of the first link to an author's page ("/author/jo-smith/") outside menus,
    comments and teasers whose text is only people's names, not the site's, as publishing systems
    link a byline's name without a label or a class ("Zur Artikelübersicht" and "© Kathrin
    Führes" of a photo credit link there too, hence last of all the sources)."""
    for link in doc.iter("a"):
        if _author_page(link) and not foreign(link) and not in_menu(link):
            names = clean([_text(link)], (site,) if site else ())
            if names and all(map(_person, names)):
                yield from names
                return


def _by_line(
    texts: list[walks.Text],
    by_word: re.Pattern[str],
    dated: bool = False,
    openers: int | None = None,
) -> str | None:
    """The name of the first short text in ``texts`` (in its first ``openers``) that ``by_word``
    opens, outside teasers and menus (the name may be in the next text); with ``dated``, only in
    a date line (a year in the texts around it)."""
    for at, (line, holder) in enumerate(texts[:openers]):
        after_date = _BY_AFTER_DATE.search(line) if dated else None
        if after_date and not by_word.match(line):
            line = line[after_date.start("by") :]  # "Posted on March 5, 2013 by Jo Smith"
        opened = by_word.match(line)
        if opened and len(line) < MAX_NAME_CHARS * 2:
            if in_teaser(holder) or in_menu(holder) or _quoted(holder):
                continue
            around = texts[max(at - DATE_LINE_TEXTS, 0) : at + 4]
            if dated and not _dated(around):
                continue
            line = _LEADING_SEPARATOR.sub("", line)
            following = " ".join([line, *(text for text, _ in texts[at + 1 : at + 2])])
            name = _first_name(line if line[opened.end() :].strip() else following)
            if not name and not line[opened.end() :].strip() and at + 1 < len(texts):
                name = _account(*texts[at + 1])  # "by" + a linked "jsteinhardt"
            return name.title() if name.isupper() else name  # "By JOHN SMITH": a name
    return None


def _account(text: str, holder: HtmlElement) -> str:
    """The account name that ``text`` is, as a forum or a community blog writes its author after
    "by": one word, linked to the account's page ("/users/jsteinhardt"); else ""."""
    name = text.strip()
    href = holder.get("href") or "" if holder.tag == "a" and holder.text == text else ""
    return name if _ACCOUNT_NAME.fullmatch(name) and _ACCOUNT_HREF.search(href) else ""


def _at_headline(names: list[str], marks: walks.Marks, page: Declared) -> list[str]:
    """The first of a listing's ``names`` (in page order) that stand beside the page's headline,
    within ``HEADLINE_TEXTS`` texts before or after it and no other heading between: the story's
    own byline above a list of other stories with theirs (a site's "more from" cards, a live
    blog's other posts). A listing page's title has its first card's byline under a heading of
    the card's own."""
    headline = _headline(marks, page.site, page.titles)
    if headline is None:
        return []
    before = walks.preceding_words(headline, HEADLINE_TEXTS)[::-1]
    near = [
        *_up_to_heading(before, names),
        *_up_to_heading(walks.following_words(headline, HEADLINE_TEXTS), names),
    ]
    found = list(takewhile(lambda name: any(name in text for text in near), names))
    return found[:MAX_BODY_AUTHORS]


def _up_to_heading(texts: list[walks.Text], names: list[str]) -> Iterator[str]:
    """The ``texts`` (walked away from the headline) up to the first in a heading, but for a
    heading that is one of ``names`` (a byline set as a heading)."""
    for text, holder in texts:
        text = " ".join(text.split())
        if text not in names and any(e.tag in HEADINGS for e in (holder, *holder.iterancestors())):
            return
        yield text


def _dated(texts: list[walks.Text]) -> bool:
    """Whether ``texts`` are a date line: a year among them, or a <time> element holding one (a
    date written "10/04/16 05:07 AM EDT")."""
    return bool(_YEAR.search(" ".join(text for text, _ in texts))) or any(
        holder.tag == "time" for _, holder in texts
    )


def _headline(
    marks: walks.Marks, site: str | None, titles: tuple[str, ...] = ()
) -> HtmlElement | None:
    """The page's <h1> or <h2> that the page's declared ``titles`` hold, the longest (a
    "Trending" box's <h1> above the story's; a logo's <h1> whose name ends the <title>, above
    the post's <h2>), else its first <h1> that is not the site's name (a logo's <h1> above the
    story's), else its first such <h2> (a blog whose theme sets the post's title in one)."""
    named = [_squeeze(title) for title in titles]
    held, fallback = None, None
    for headings in (marks.h1, marks.h2):
        for heading in headings:
            text = _text(heading)
            if not text or (site and same_site(text, site)):
                continue
            fallback = heading if fallback is None else fallback
            short = _squeeze(text)
            if any(short in title for title in named) and len(short) > len(held[0] if held else ""):
                held = (short, heading)
    return held[1] if held else fallback


def _top_texts(doc: HtmlElement) -> list[walks.Text]:
    """The first ``BY_LINE_SCAN`` texts of the page's body and the ``NAME_TEXTS`` after them (a
    "By" at the end of the scan names the author in its next text), each with the element it is
    the text or the tail of, as XPath's ``_TOP_TEXTS`` gives them. Speed shortcut: walked from
    the first <body> and stopped there, instead of XPath's list of all the page's texts; XPath's
    when that body has fewer (a short page, or one whose second <body> is outside the first)."""
    body = walks.first(doc.getroottree().getroot(), "body")
    if body is not None:
        texts = list(islice(walks.texts(body), BY_LINE_SCAN + NAME_TEXTS))
        if len(texts) == BY_LINE_SCAN + NAME_TEXTS:
            return texts
    return [(str(text), text.getparent()) for text in _TOP_TEXTS(doc)]


def _first_name(text: str) -> str:
    """The capitalised run of words at the start of ``text`` (a byline line's name), up to a
    word that is no name ("Updated", "March"), with the names "and" joins to it ("Jo Smith and
    Bo Chen"; a comma may start a role instead: "Jo Smith, Staff Writer")."""
    rest = BY_LINE.sub("", " ".join(text.split()))
    names = []
    while name := _name_at_start(rest):
        names.append(name)
        joined = _JOINED_NAME.match(rest, len(name))
        if joined is None or len(names) == MAX_BODY_AUTHORS:
            break
        rest = rest[joined.end() :]
    return " and ".join(names)


def _name_at_start(text: str) -> str:
    """The name ``text`` opens with; none where the capitalised words name a group by the
    lower-case word after them ("The Currency editors", "Daily Planet staff")."""
    match = _NAME.match(text)
    after = text[match.end() :].split()[:1] if match else []
    if after and after[0].casefold() in GROUP_FOLLOWERS:
        return ""
    words = match.group(0).split() if match else []
    for at, word in enumerate(words):
        if word.casefold().strip(".,") in NOT_NAMES:
            words = words[:at]
            break
    return " ".join(words)


def _text(element: HtmlElement) -> str:
    """The element's text with its parts spaced apart ("Luke Kim" + "December" stay two words)."""
    return " ".join(" ".join(element.itertext()).split())


def foreign(
    element: HtmlElement, item: HtmlElement | None = None, headline: HtmlElement | None = None
) -> bool:
    """Whether the element sits in comments, related stories, another such container, an
    embedded post (``embedded``), the site's menu (``in_menu``, read in the same walk), or in a
    teaser of another story. ``item``: the microdata item the element is a property of; inside
    a story's item, its <aside> and <footer> are its own (a blog theme's line of author and date
    after the text), not another thing's. ``headline``: the page's; a container that holds it
    is the story's own, whatever its class says (a newsletter issue's "section-hero
    cc-newsletter" around its title and date)."""
    menus = True  # a menu is looked for below <main> only ("offset-nav" on <main>)
    own = CONTAINER_TAGS if microdata.story(item) else frozenset()  # until the item is passed
    story = frozenset(headline.iterancestors()) if headline is not None else frozenset()
    for ancestor in element.iterancestors():
        tag = ancestor.tag
        if tag == "body" or ancestor in story:
            break  # the body's classes name the page's template ("...-sidebar-right"), no container
        if ancestor is item:
            own = frozenset()
        menus = menus and tag != "main"
        if (tag in CONTAINER_TAGS and tag not in own) or (menus and tag == "nav"):
            return True
        words = tokens(ancestor)
        hits = FOREIGN_TOKENS.intersection(words - own if own else words)
        if hits and not (hits <= SIGNUP_TOKENS and _no_field(ancestor)):
            return True
        if menus and not MENU_TOKENS.isdisjoint(words):
            return True
        if tag == "blockquote" and embedded(ancestor):
            return True
    return in_teaser(element)


def _no_field(element: HtmlElement) -> bool:
    """Whether the element holds no form field (a sign-up box holds one to type an address in)."""
    return next(element.iter("input", "form", "button"), None) is None


def embedded(element: HtmlElement) -> bool:
    """Whether ``element`` is a post embedded from a social network (``EMBED_CLASSES``)."""
    return not EMBED_CLASSES.isdisjoint((element.get("class") or "").split())


def in_control(element: HtmlElement) -> bool:
    """Whether the element sits in a button: its text is a control's label (a topic filter, a
    version switcher's "2026-02-25.clover"), not the page's byline or date line (a link may be
    either: blogs link the date under the headline to the story's own address)."""
    return any(
        e.tag == "button" or e.get("role") == "button" for e in (element, *element.iterancestors())
    )


def in_menu(element: HtmlElement) -> bool:
    """Whether the element sits in the site's navigation (a <nav>, a menu or a dropdown)."""
    for ancestor in element.iterancestors():
        if ancestor.tag in ("body", "main"):
            break  # the page's content, whatever its classes ("offset-nav" on <main>)
        if ancestor.tag == "nav" or tokens(ancestor) & MENU_TOKENS:
            return True
    return False


def in_banner(element: HtmlElement) -> bool:
    """Whether the element sits in the page's banner: a <header> outside any <article>, <main>
    or <section> (a story's or a post's own <header> is inside one of them)."""
    tags = {ancestor.tag for ancestor in element.iterancestors()}
    return "header" in tags and not tags & SECTIONING_TAGS


def in_teaser(element: HtmlElement) -> bool:
    """Whether the element sits in another story's card: a short <article> or <li> with a
    heading of its own that does not hold the page's headline, or a short <article> whose title
    is a linked paragraph (a forum post, or the article itself, holds no other heading, holds the
    headline, or is long). A heading inside the element is its own, not a card's title (a forum
    post's poster set as a heading: "<h3 class="PostUser-name">")."""
    for ancestor in element.iterancestors("article", "li"):
        if ancestor.find(".//h1") is not None:
            return False
        # speed shortcut: the first heading, and all of them only when the element holds it
        heading = ancestor.find(".//h2")
        heading = ancestor.find(".//h3") if heading is None else heading
        if heading is not None and (
            not _within(heading, element)
            or any(not _within(h, element) for h in _CARD_TITLES(ancestor))
        ):
            return len(_text(ancestor)) <= TEASER_CHARS
        if ancestor.tag == "article" and _linked_title(ancestor):
            return len(_text(ancestor)) <= TEASER_CHARS
    return False


def _within(inner: HtmlElement, outer: HtmlElement) -> bool:
    return inner is outer or _holds(outer, inner)


def _linked_title(article: HtmlElement) -> bool:
    """Whether an <article> opens with a paragraph that is one link of a few words: a card's
    title written without a heading ("latest insights" under a service page)."""
    first = next((e for e in article.iter("p") if _text(e)), None)
    if first is None:
        return False
    link = first.find("a")
    return link is not None and _text(link) == _text(first) and len(_text(first).split()) > 3
