"""The ad, promo and boilerplate rules, as data. ``clean.py`` applies them; nothing here runs.

Two kinds of rule, because boilerplate shows itself in two ways:

- structure: tags, ARIA roles and class/id *tokens* (``post-share-bar`` holds the token ``share``)
  that mark navigation, share bars, related-post widgets, comment sections, ad slots and banners.
  They prune the whole page before readability-lxml chooses the article, so it cannot choose them.
- text: phrases, per language, that mark a block *inside* the article as a promo ("READ MORE:",
  "Lesen Sie auch", "[ad_1]", "Source link"). They apply to short blocks only, so a paragraph that
  merely mentions reading more, sharing or subscribing stays.

Every group says what it removes and where the pattern was seen. Change ``RULES_VERSION`` with any
change here: it is part of the cache key, so articles cleaned by older rules are not served.
"""

from __future__ import annotations

import re

RULES_VERSION = "32"

# --- Structure: removed from the whole page before extraction ----------------------------------

# Elements that never hold article prose: scripts, forms (comment and newsletter forms), embeds,
# and page chrome (navigation, footers). <aside> holds sidebars and "related" boxes on news sites.
DROP_TAGS: tuple[str, ...] = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "form",
    "button",
    "input",
    "select",
    "textarea",
    "label",
    "nav",
    "footer",
    "aside",
    "dialog",
    "menu",
)

# ARIA landmark roles of page chrome (WAI-ARIA), used where sites build navigation from <div>s.
DROP_ROLES: tuple[str, ...] = (
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "menu",
    "menubar",
    "dialog",
    "alertdialog",
    "toolbar",
    "tablist",
)

# Class/id tokens (split on "-", "_", space and case changes, lower-cased) of boilerplate blocks.
# Grouped by the kind of boilerplate they mark; a token matches only as a whole token.
BOILERPLATE_TOKENS: dict[str, tuple[str, ...]] = {
    # ad slots and their wrappers (Google Ad Manager, AdSense, ad-inserter plugins)
    "ads": (
        "ad",
        "ads",
        "adv",
        "advert",
        "adverts",
        "advertisement",
        "advertising",
        "adsense",
        "adslot",
        "adunit",
        "dfp",
        "gpt",
        "sponsor",
        "sponsored",
        "anzeige",
        "werbung",
        "banner",
        "billboard",
        "commercial",
        "outstream",
        "teads",
    ),
    # related / recommended / promoted link widgets (Taboola, Outbrain, YARPP, Jetpack)
    "related": (
        "related",
        "relatedposts",
        "recommended",
        "recommendations",
        "taboola",
        "outbrain",
        "yarpp",
        "plista",
        "ligatus",
        "morelinks",
        "readmore",
        "promo",
        "promos",
        "promotion",
        "trending",
        "popular",
        "mostread",
        "rp4wp",
        "crp",
    ),
    # share bars and "follow us" boxes (sharedaddy, AddToAny, ShareThis, social icons)
    "share": (
        "share",
        "shares",
        "sharing",
        "sharedaddy",
        "sharethis",
        "addtoany",
        "a2a",
        "social",
        "socials",
        "follow",
        "shariff",
        "likes",
        "sociallinks",
    ),
    # newsletter, subscription, app and donation boxes, paywalls
    "subscribe": (
        "newsletter",
        "subscribe",
        "subscription",
        "signup",
        "optin",
        "mailchimp",
        "donate",
        "donation",
        "membership",
        "cta",
    ),
    # comment sections, comment forms and counts (WordPress, Disqus)
    "comments": ("comment", "comments", "disqus", "respond", "reply", "discussion", "commentlist"),
    # cookie and consent banners, popups and their close buttons
    "consent": (
        "cookie",
        "cookies",
        "consent",
        "gdpr",
        "privacy",
        "popup",
        "modal",
        "overlay",
        "lightbox",
        "notice",
        "interstitial",
    ),
    # navigation, breadcrumbs, menus, pagination, sidebars, site headers and footers
    "chrome": (
        "nav",
        "navbar",
        "navigation",
        "breadcrumb",
        "breadcrumbs",
        "menu",
        "submenu",
        "sidebar",
        "footer",
        "masthead",
        "pagination",
        "pager",
        "skip",
        "toolbar",
        "topbar",
        "search",
        "login",
    ),
    # tag clouds, category lists, author boxes, bylines
    "meta": (
        "tags",
        "tagcloud",
        "categories",
        "keywords",
        "authorbox",
        "bio",
        "rating",
        "byline",
        "timestamp",
        "postmeta",
        "entrymeta",
        "author",
        "published",
        "updated",
        "credits",
    ),
}

# Blocks that make a link wrapped around them a teaser card for another article ("<a href=...>
# <h2>Headline</h2></a>", "<a><div>title</div></a>" on news and magazine sites): article text links
# words, never headings or paragraphs.
CARD_BLOCKS: tuple[str, ...] = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "figure", "li")

# Tags never pruned by their tokens: WordPress puts "tag-politics" and "category-news" on <article>.
KEEP_TAGS: tuple[str, ...] = ("html", "body", "article", "main")

# A block holding more than this share of the page's prose (text outside links) is never pruned by
# its tokens: class names like "hasRightSidebar" or "nav_menu" sit on article wrappers too.
MAX_PRUNED_SHARE = 0.25
# Blocks of one shape (tag and class), at least this many, that together hold more than this share
# of the page's prose are its main text whatever their names say: a forum's posts named "comment".
MIN_REPEATS = 3
# A listing (a blog's front page, a recipe index) keeps its teaser cards in page pruning: at least
# this many cards in its main landmark (modern-web-dev: listings of 13 to 75; a home page's six
# feature tiles lost its headings to readability when kept), each block holding one with at most
# this much prose (a blurb), and article paragraphs (of this many characters) outside them
# holding less text than the cards.
MIN_LISTING_CARDS = 8
# ... and on a page without a main landmark, outside these tags and roles (its header, menus and
# sidebars: modern-web-dev, a documentation page's mega-menu of product cards in its <header>).
CARD_CHROME_TAGS: tuple[str, ...] = ("header", "nav", "footer", "aside")
CARD_CHROME_ROLES: tuple[str, ...] = ("banner", "navigation", "contentinfo", "complementary")
CARD_HOLDER_PROSE = 600
ARTICLE_PARAGRAPH_CHARS = 150
REPEATED_SHARE = 0.5
# ... and none of them holds more than this share of their text (else: one block and its crumbs).
MAX_ITEM_SHARE = 2 / 3
# ... and their longest holds this many times the prose left outside every pruned block: a forum's
# first post is one of them, while a blog's article stays outside its comments (boilerplate-990: a
# post of 2,300 characters under comments of up to 3,060 was taken for a thread at 1).
OUTSIDE_MARGIN = 1.5
# ... a margin a page that says it is a discussion thread does without (threads.py): its schema.org
# types (JSON-LD @type or microdata itemtype, lower-cased) of a thread, and of a thread's posts
# (modern-web-dev: a forum's replies, named "reply" or "DiscussionBoard", pruned as comments
# below a first post written apart from them).
DISCUSSION_TYPES: tuple[str, ...] = ("discussionforumposting", "qapage")
POST_TYPES: tuple[str, ...] = ("comment", "answer")
# A thread without schema.org markup (phpBB, punBB, MyBB, XenForo's and Invision's templates
# without microdata) is found by its shape (threads._shaped_posts): at least MIN_REPEATS sibling
# blocks of one tag and first class token, the same descendant in each (by its path of tags and
# classes) holding POST_MESSAGE_SHARE of their text at least (the message; their median of
# POST_MESSAGE_CHARS at least), each post showing outside it a name of at most POST_NAME_CHARS and
# a date (a <time>, a clock time or a year) in POST_LABELLED_SHARE of the posts (modern-web-dev:
# shops' carousels and facets, a news site's search results, are runs of one shape without both);
# on a page that declares no story and shows less prose (<p>) before the posts than their longest
# message (a blog post's comments stay comments).
POST_MESSAGE_SHARE = 0.6
POST_MESSAGE_CHARS = 100
POST_NAME_CHARS = 40
POST_LABELLED_SHARE = 0.8
# Tags and roles of the page's end, pruned whatever share of the prose they hold: shops keep their
# privacy policy and terms in dialogs inside the footer (modern-web-dev: 41,000 characters on a
# product page), which the share above kept and the paragraph fallback then took.
PAGE_END_TAGS: tuple[str, ...] = ("footer",)
PAGE_END_ROLES: tuple[str, ...] = ("contentinfo",)
# The box around an e-mail or message field goes with it: the largest block around one holding at
# most this many characters of prose (outside links, spaces left out), this share of the page's
# and this many paragraphs of this length (a heading, a pitch and a consent line; boilerplate-990:
# short posts with a comment form or a sign-up field inside them hold as little prose as a box,
# but more paragraphs, or a tenth to a fifth of their page).
FORM_BOX_CHARS = 500
FORM_BOX_SHARE = 0.08
FORM_BOX_PARAGRAPHS = 2
FORM_PARAGRAPH_CHARS = 30
# An id linked from the page and made of this many words of its section's heading, or more, is an
# anchor of the article's outline, not a name of page chrome (modern-web-dev: 12 sections and
# headings of articles and docs, such as "commercial-spending", "social-auth" or
# "run-command-at-login"; one word is not enough: "#comments" links to a page's comments, unless
# the section's own heading links to it too, as documentation generators' permalinks do: a Sphinx
# page's "commentary" and "tooling" sections, modern-web-dev 2874).
MIN_ANCHOR_WORDS = 2
# Class names a site builder gives an element it never displays, on any screen, so that no script
# or control shows it either: Webflow's conditional visibility hides a CMS field or a layout
# variant whose condition is false with "w-condition-invisible" (modern-web-dev: a gated copy of
# a whole article beside the open one, empty bylines, stylesheets as text, "Book a call" buttons
# and newsletter boxes on 11 pages of several sites). Whole class names, matched exactly.
NEVER_SHOWN_CLASSES: tuple[str, ...] = ("w-condition-invisible",)
# A page without a main landmark keeps its text, once pruned, in the innermost element that holds
# at least this share of the body's text (implied.py): a service page built from a site builder's
# blocks, of which readability-lxml took the longest (modern-web-dev: a staffing service's FAQ, 40%
# of its text; collections of cards without <main>).
IMPLIED_MAIN_SHARE = 0.9
# ... taken only when readability's choice (found by this many of its first characters) starts
# after this share of that element's text: an article opens its page's text, and what follows it
# is not its own (boilerplate-990: news and blog posts starting in the first 18% of theirs, with
# comments and teasers after them; modern-web-dev: a service's FAQ at 57%, a collection's largest
# group of cards at 45%).
IMPLIED_OPENING_CHARS = 80
IMPLIED_BEFORE_SHARE = 0.3
# A grid of linked items (grids.py): readability-lxml's choice is one item of it, or inside one,
# when it or one of its ancestors up to GRID_DEPTH above it is one of GRID_MIN_ITEMS siblings or
# more of its tag and class (numbers aside), each giving GRID_LINK_SHARE of its text to links (a
# linked title) and none holding over GRID_ITEM_SHARE of their text; a choice of GRID_CHOICE_CHARS
# or more is an article's body, not a card's title and blurb (modern-web-dev: the cards chosen
# held 68-530 characters). A forum's posts link 1-5% of their text (a poster's name), a
# listing's cards 16-100% (modern-web-dev: a forum lost 0.12 when its thread was read as a grid).
GRID_CHOICE_CHARS = 1000
GRID_DEPTH = 5
GRID_MIN_ITEMS = 3
GRID_LINK_SHARE = 0.15
GRID_ITEM_SHARE = 0.5
# ... taken instead of the article when it holds this many times its text, the article being what
# every other step made of the choice: the paragraph fallback's blurbs without their titles, a
# landmark, a page's other parts (modern-web-dev: a listing at 1.16 times 0.90 -> 0.99; one at
# 1.01 times, where the other steps had found the same cards, 0.97 -> 0.93).
GRID_GAIN = 1.1
# ... and its links (the cards' titles) are its content when it holds this many times that text:
# the choice was the cards' prices or blurbs without their titles (modern-web-dev: a shop's
# collection 0.19 -> 0.51, a news section 0.68 -> 0.70, each at 2.7-2.8 times); a grid barely
# longer than the choice is its own cards, judged by the article pass as any (boilerplate-990: a
# video page's row of other episodes, at 1.1 times, went whole into its text at any gain).
GRID_LINKS_GAIN = 2


# --- Text: promo blocks inside the article -----------------------------------------------------

# Whole blocks that are ad labels or ad-inserter leftovers, in any language seen on news sites.
AD_LABELS = re.compile(
    r"^(?:\[ad_?\d*\]|advertisement|advertising|ad|ads|sponsored(?: content)?|anzeige|werbung|"
    r"publicidad|publicité|pubblicità|publicidade|реклама|reklama|mainos|annonse|annons|"
    r"advertentie|advertorial|paid content|continue reading below|"
    r"(?:story|article) continues (?:below|after)(?: (?:this )?(?:ad|advertisement))?|"
    r"weiterlesen nach der anzeige|lesen sie nach der anzeige weiter)\W*$",
    re.IGNORECASE,
)

# Ad-inserter shortcodes left as text inside paragraphs ("[ad_1]", seen on seed-page.txt).
AD_SHORTCODE = re.compile(r"\[ad_?\d+\]", re.IGNORECASE)

# An inline element named as chrome stays inside a sentence: its block holds this many words
# besides it (boilerplate-990: a byline's "Von <span class=author>", "Follow <a class=social>",
# a photo credit are shorter; a glossary's "popup" links and a wine's "tag" links sit in prose).
RUNNING_TEXT_WORDS = 12
# ... and it is a few words of that sentence, not one of its own ("Would you like to leave us a
# review?" in a <a class=click_to_login> is a call to act, boilerplate-990 nestle-family-com).
RUNNING_TEXT_PART_WORDS = 5

# A template's filler text, left in a page's unfilled module ("Lorem ipsum dolor sit amet, ...",
# a "Lorem Ipsum" heading, "Lorem ipsum 2" list items; modern-web-dev: four modules of a report's
# page, 0.40 F1). The placeholder is the same in every language; a block that opens with it is
# removed whatever its length, and a sentence that mentions it stays.
PLACEHOLDER_TEXT = re.compile(r"^\W*lorem ipsum(?: dolor\b|\W*\d*\W*$)", re.IGNORECASE)
# ... unless the article itself is written in the filler's words (a template's demo page, a
# reader's test page of "Lorem ipsum" paragraphs, some of which open otherwise): then the filler is
# the page's text and removing it leaves nothing. FILLER_WORDS are the two common filler passages'
# words (the same in every language); at FILLER_SHARE of the article's words in them the page is
# written in filler (Readability.js's test pages: 0.91 to 1.00); below, the article has prose of
# its own beside unfilled modules (modern-web-dev 0285: 0.64, its report's prose 36%).
_FILLER_PASSAGES = """
    lorem ipsum dolor sit amet consectetur consetetur adipiscing adipisicing sadipscing elit elitr
    sed diam do eiusmod eirmod nonumy tempor incididunt invidunt ut labore et dolore dolores magna
    aliqua aliquyam erat voluptua enim ad minim veniam quis nostrud exercitation ullamco laboris
    nisi aliquip ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse
    cillum eu fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt culpa qui
    officia deserunt mollit anim id est laborum at vero eos accusam justo duo rebum stet clita kasd
    gubergren no sea takimata sanctus
"""
FILLER_WORDS = frozenset(_FILLER_PASSAGES.split())
FILLER_SHARE = 0.8

# Leads of inline promos between paragraphs: the block starts with one and is short or mostly
# a link ("READ MORE: <headline>", "See also <headline>", "Lesen Sie auch: ...").
PROMO_LEADS = re.compile(
    r"^\W*(?:read more|read also|also read|see also|related|recommended|more on this|"
    r"more from|watch|listen|related articles?|related stories|related coverage|don't miss|"
    r"editor'?s pick|you may also like|you might also like|click here|"
    r"if you (?:liked|enjoyed) this|"
    r"lesen sie auch|lesen sie mehr|lesen sie hier|mehr zum thema|auch interessant|mehr themen|"
    r"(?:das|dieses thema|diese themen) könnten? (?:sie|dich) auch interessieren|siehe auch|"
    r"zum thema|empfohlene beiträge|weitere beiträge|schon gelesen|hier geht es zu|auch auf|"
    r"à lire aussi|a lire aussi|lire aussi|voir aussi|à voir aussi|sur le même sujet|"
    r"lee también|lea también|leer más|(?:te|le) puede interesar|ver también|relacionad[oa]s?|"
    r"leia também|leia mais|veja também|saiba mais|"
    r"leggi anche|leggi pure|"
    r"читайте также|смотрите также|читать также|по теме|"
    r"czytaj (?:też|także|więcej)|zobacz (?:też|także)|"
    r"lue myös|läs också|les også|lees ook|lees meer|dowiedz się więcej)\b",
    re.IGNORECASE,
)

# Whole short blocks that are boilerplate on their own: source and syndication lines, share and
# like widgets' text, comment-form prompts, popup close buttons, "follow us" and newsletter calls.
BOILERPLATE_BLOCKS = re.compile(
    r"^\W*(?:source link|source|originally published (?:at|on|in)\b.*|"
    r"this (?:article|story|post) (?:was )?(?:first|originally) (?:appeared|published)\b.*|"
    r"like this:?|loading\.*|share this:?|share this (?:article|story|post)|share|tweet|"
    r"related posts?:?|related articles:?|leave a reply|leave a comment|post a comment|"
    r"\d+ comments?|no comments(?: yet)?|comments?|"
    r"your email address will not be published\..*|required fields are marked.*|"
    r"follow us on\b.*|sign up for (?:our|the)\b.*newsletter.*|subscribe to (?:our|the)\b.*|"
    r"×|x|close|schließen|fermer|cerrar|закрыть|"
    r"teilen|artikel teilen|partager|compartir|compartilhar|поделиться|udostępnij|"
    r"kommentare?|kommentieren|commentaires?|comentarios?|comentários?|комментарии|reply|antworten|"
    r"quelle|fuente|fonte|источник)\W*$",
    re.IGNORECASE,
)

# Leads of credit, date and legal lines: photo credits ("Foto: dpa"), source lines, update stamps
# and copyright notices, which sit between paragraphs and under images on news pages.
CREDIT_LEADS = re.compile(
    r"^\W*(?:fotos?|bild(?:er|quelle)?|titelbild|abbildung|photos?|image|credits?|crédits? photos?|"
    r"crédito|foto(?:grafia)?|quelle|source|fuente|fonte|источник|źródło|"
    r"aktualisiert am|erstellt am|veröffentlicht am|zuletzt (?:aktualisiert|geändert)|"
    r"last (?:modified|updated)|updated|published|posted (?:on|in)|publié le|mis à jour|"
    r"publicado (?:el|em)|actualizado|atualizado|опубликовано|обновлено|"
    r"verfasst von|geschrieben von|posted by|written by|autor(?:in)?:|author:|"
    r"©|copyright|all rights reserved|alle rechte vorbehalten|alle angaben ohne gewähr|"
    r"tous droits réservés|todos los derechos reservados)\b\s*:?",
    re.IGNORECASE,
)

# Credits at the end of a short block: the caption-and-credit lines news pages put under images
# as plain paragraphs ("... Foto: GdP/Hagen Immel", "... | © Getty Images", "(REUTERS/...)").
# Real <figcaption>s are kept whole (the issue asks for figure captions).
# (One \b before the words' group, not one per word: re then tries them only where a word starts.)
CREDIT_TAILS = re.compile(
    r"(?:©|\(c\)|\((?:reuters|afp|ap|dpa|epa|getty images)\b|"
    r"\b(?:fotos?:|photos?:|bild:|quelle:|credits?:|crédits?:|source:|getty images\b|"
    r"istock(?:photo)?\b|shutterstock\b|fotolia\b|unsplash\b|pixabay\b|stock\.adobe\.com\b))"
    r"[^.!?]{0,80}$",
    re.IGNORECASE,
)

# Dates opening a short block: datelines and "posted" stamps outside the text ("12.12.2022 - Empa",
# "24. März 2004, 19:49 | Genesis", "2021-10-16 | Botschaft").
_MONTHS = r"(?:jan|feb|mär|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|dez|dec)\w*\.?"
DATE_LEADS = re.compile(
    rf"^\W*(?:\d{{1,4}}[./-]\s?\d{{1,2}}[./-]\s?\d{{2,4}}|\d{{1,2}}\.? ?{_MONTHS},? \d{{4}}|"
    # month first, as English writes it ("Nov 30, 2025", "August 16, 2019 - Updated ...")
    rf"{_MONTHS} \d{{1,2}}(?:st|nd|rd|th)?, \d{{4}})\b",
    re.IGNORECASE,
)
DATE_BLOCK_WORDS = 8

# Affiliate notices: "Für Links auf dieser Seite erhält X eine Provision", "This post contains
# affiliate links", and the disclosures of review sites.
_AFFILIATE = (
    r"affiliate[- ]?links?|partnerlinks?|provision vom händler|eine provision|"
    r"(?:earn|receive) (?:us |me )?(?:an? )?(?:small )?(?:affiliate )?commission|"
    r"(?:may|might) (?:receive|earn) (?:a )?compensation|advertisers do not influence|"
    r"products from one or more of our advertisers"
)
AFFILIATE_NOTICES = re.compile(rf"\b(?:{_AFFILIATE})", re.IGNORECASE)
# Affiliate, licence and other notices ("Inhalte dieser Website stehen unter CC-BY").
NOTICES = re.compile(
    rf"\b(?:{_AFFILIATE}|cc[- ]by\b|creative commons|"
    # comment policies and empty comment or rating counts
    r"comments? (?:are|is|will be) (?:moderated|reviewed)|we welcome (?:reader )?comments|"
    r"be the first to (?:comment|review)|kommentare erscheinen erst|"
    r"(?:noch )?keine (?:kommentare|bewertungen)|no (?:ratings|reviews) yet|"
    # copyright, reprint and disclaimer lines
    r"copyrighted (?:property|material)|written permission (?:is required|must be obtained)|"
    r"without (?:prior )?written permission|"
    r"(?:may|must) not be (?:reproduced|republished|reprinted)|"
    r"is not responsible for the (?:opinions|content)|n'engagent que (?:leurs|son) auteurs?|"
    # reading-time stamps ("5 min read", "Lesezeit: 3 Minuten", "Ten tekst przeczytasz w ...")
    r"\d+\s*min(?:ute)?s?\.? read|lesezeit|reading time|temps de lecture|tiempo de lectura|"
    r"tempo de leitura|время чтения|przeczytasz w|"
    # where a reprinted article first appeared
    r"dieser (?:beitrag|artikel|text) (?:stammt aus|erschien (?:zuerst |erstmals )?(?:in|im|bei)))",
    re.IGNORECASE,
)

# Labels of page furniture opening a short block, alone or before a colon ("Kontakt:", "Tags: a, b",
# "Von: Name", "Themen: ...", "Release Date:"), and the lines blog engines print under a post.
LABELS = re.compile(
    r"^\W*(?:(?:kontakt|contact|ansprechpartner(?:in)?(?: zum thema)?|weitere informationen|"
    r"more information|further information|zusatzinformationen|zum weiterlesen|further reading|"
    r"tags|schlagw[öo]rter|schlagworte|stichw[öo]rter|themen|topics|kategorien?|categories|category|"
    r"aufrufe|views|von|by|veröffentlichung|publiziert|release date|news date|"
    r"last modified)\s*(?::|$)|"
    r"this entry was posted\b|der beitrag wurde am\b|filed under\b|über den autor\b|"
    r"weitere infos(?:rmationen)? (?:unter|auf|bei)\b|suggested citation\b|zitiervorschlag\b|"
    r"zitierweise\b|how to cite\b|"
    r"über die autorin\b|about the author\b)",
    re.IGNORECASE,
)

# Calls to action anywhere in a short block: subscribe, sign up, download the app, follow us,
# donate, become a member, in the languages of the pages seen.
CALLS_TO_ACTION = re.compile(
    r"\b(?:subscribe (?:now|today|to (?:our|the)\b.{0,30}\b(?:newsletter|channel|podcast|edition))|"
    r"please subscribe|sign up (?:for|to|now|here|below)|already a subscriber|"
    r"first-time subscribers|"
    r"if you (?:enjoyed|liked) (?:reading )?this (?:post|article|story)|consider supporting|"
    r"we need your (?:help|support)|help us (?:continue|keep)|submit (?:your|a) letter|"
    r"(?:straight|directly) to your (?:email )?(?:phone|inbox)|"
    r"teilen sie uns ihre (?:erfahrungen|meinung) mit|"
    r"als e-?paper\b|"
    r"(?:our|my|we have an?|nuestro|mi|tenemos|unser(?:em|en)?|mein(?:em|en)?|haben einen|notre|"
    r"ma|nosso|meu|temos|nostro|abbiamo un) "
    r"(?:canal|channel|kanal) (?:de|on|auf|su|no|em|sur) (?:telegram|youtube|whatsapp)|"
    r"(?:besuchen sie|visit) (?:unseren|our)\b.{0,30}\bshop|"
    r"(?:aus|in) (?:dem|unserem)\b.{0,30}-shop\b|"
    r"(?:als pdf|pdf) herunterladen|download (?:as|this|the) pdf|"
    # lead magnets: "Download our guide to ...", "Laden Sie unseren Ratgeber herunter"
    r"download (?:our|my) (?:free )?(?:guide|e-?book|checklist|template|whitepaper)|"
    r"laden sie (?:unseren|unser|unsere) (?:kostenlosen? )?"
    r"(?:leitfaden|ratgeber|e-?book|checkliste)|"
    r"téléchargez (?:notre|mon) (?:guide|e-?book|livre blanc)|"
    r"descarga (?:nuestra|mi) (?:guía|plantilla)|"
    r"scarica (?:la nostra|il nostro) (?:guida|e-?book)|"
    r"baixe (?:nosso|meu) (?:guia|e-?book)|"
    r"download (?:the|our)\b.*\bapps?|get the app|follow (?:us|\w+ \w+) on|join (?:us|now)|"
    r"become a (?:paid |premium )?(?:member|subscriber)|"
    r"werden sie (?:zahlende[rn]? )?(?:abonnent|mitglied)|devenez (?:abonné|membre)|"
    r"hazte suscriptor|diventa (?:abbonato|socio)|torne-se (?:assinante|membro)|"
    r"word (?:betalend )?(?:abonnee|lid)|"
    r"support (?:us|our (?:journalism|mission|work))|donate\s*(?:now|today|here|:)|"
    r"make a donation|"
    r"newsletter abonnieren|abonnieren sie|melden? (?:sie )?(?:dich |sich )?(?:für|zu)\w* "
    r"(?:unseren|den) newsletter|folgen? (?:sie )?uns|app (?:jetzt )?(?:laden|herunterladen)|"
    r"unterstützen? (?:sie )?uns|unterstütze \w+ (?:bereits |schon )?mit|"
    r"meld(?:e|en sie) (?:dich|sich)\b.{0,30}\bnewsletter|in (?:deinen|ihren) posteingang|"
    r"abonnez-vous|inscrivez-vous|suivez-nous|téléchargez (?:notre|l'application)|"
    r"suscríbete|suscribirse|s[ií]guenos|hazte (?:miembro|socio)|descarga (?:nuestra|la) app|"
    r"assine|siga-nos|inscreva-se|baixe o app|iscriviti|seguici|"
    r"подписывайтесь|подпишитесь|"
    r"zapisz się|obserwuj nas|zapraszamy (?:też )?do subskrypcji|"
    # messenger channels: "Join our WhatsApp channel", "Rejoignez-nous sur Telegram"
    r"join (?:our|us on|the)\b.{0,20}\b(?:whatsapp|telegram|discord)|"
    r"(?:whatsapp|telegram)[- ](?:channel|kanal|gruppe|group|community)|"
    r"rejoignez(?:-nous)?\b.{0,30}\b(?:whatsapp|telegram)|únete a nuestro canal|"
    r"unisciti al nostro canale|entre (?:no|em) nosso canal|"
    # tip jars and sponsors: Patreon, Ko-fi, "buy me a coffee", GitHub Sponsors
    r"buy me a coffee|ko-?fi\b|patreon\b|become a (?:patron|sponsor)|sponsor (?:me|us) on github|"
    r"spendier(?:e|en sie)? (?:mir|uns) einen kaffee|offrez-moi un café|invítame a un café|"
    # "save to Pinterest", affiliate price buttons
    r"(?:save|pin) (?:it|this)\b.{0,20}\bpinterest|"
    r"check (?:the )?(?:current |latest )?price|see (?:the )?(?:current |latest )?price|"
    r"view (?:the )?deal|preis prüfen|zum angebot|voir le prix|ver (?:el )?precio|"
    r"vedi (?:il )?prezzo|"
    # event ticket promos, in the imperative
    r"(?:get|buy|book|grab) your tickets|jetzt tickets sichern|réservez vos billets|"
    r"compra tus entradas|acquista i tuoi biglietti|garanta (?:já )?(?:o )?seu ingresso|"
    # "send us your photo or video" boxes
    r"send us your (?:photos?|videos?|pictures?|stories|story|tips?)|"
    r"schicken sie uns ihre (?:fotos|bilder|videos)|envoyez-nous vos (?:photos|vidéos)|"
    r"envíanos tus (?:fotos|vídeos|videos)|mandaci (?:le tue )?(?:foto|video)|"
    r"envie (?:suas|sua) (?:fotos?|vídeos?)|"
    # broadcasters' station plugs
    r"for the latest (?:local )?(?:news|headlines), weather)",
    re.IGNORECASE,
)

# A box (div, section, paragraph) with a call to action is removed whole when it has at most this
# many words and holds less than this share of the article's words (newsletter and app boxes,
# membership appeals); the share keeps a short article with a "follow us" line whole.
PROMO_BOX_WORDS = 80
PROMO_BOX_SHARE = 0.5

# Ad disclosures and labels followed by their ad text ("*Werbung. Dieser Beitrag enthält...",
# "ANZEIGE - Heute mal ausgehen?"): the label, then a separator.
AD_LEADS = re.compile(
    r"^\W*(?:advertisement|sponsored|anzeige|werbung|publicidad|publicité|pubblicità|publicidade|"
    r"реклама|reklama)\s*[-:.,|–—*]",
    re.IGNORECASE,
)

# Words that make a very short block (see TINY_BLOCK_WORDS) a promo, login or feedback prompt:
# "Mit unserem Newsletter bleiben Sie informiert", "Sie sind nicht eingeloggt", "Hier klicken".
TINY_PROMO_WORDS = re.compile(
    r"\b(?:\w*newsletter|subscribe|subscription|sign up|sign in|log ?in|logged in|donat\w*|"
    r"click here|"
    r"learn more|next (?:article|post|story)|previous (?:article|post|story)|nächste[nr]? artikel|"
    r"vorherige[nr]? artikel|article (?:suivant|précédent)|(?:siguiente|anterior) artículo|"
    r"find out more|was this (?:article|page) helpful|rate this|"
    r"abonnier\w*|spende\w*|einloggen|eingeloggt|anmelden|hier klicken|mehr erfahren|weiter zu|"
    r"findest du hier|finden sie hier|"
    r"(?:artikel|beitrag) (?:mit anderen )?(?:nützlich|hilfreich|teilen)|"
    r"s'abonner|abonnez|connectez-vous|en savoir plus|suscr[ií]b\w*|más información|inicia sesión|"
    r"assin\w+|saiba mais|iscriviti|подпи\w+|войдите|subskrypcj\w*|zaloguj)\b",
    re.IGNORECASE,
)
TINY_BLOCK_WORDS = 12

# A block is "short" (so lead and whole-block rules may remove it) up to this many words.
SHORT_BLOCK_WORDS = 25
# ... and an affiliate notice (``AFFILIATE_NOTICES``) up to this many, in a block holding no other
# block (two sentences of disclosure: 26 and 27 words on modern-web-dev; a licence or a credit
# this long is a caption or the page's own subject).
NOTICE_BLOCK_WORDS = 40
# The caption of a figure written without <figure> (figures.py: an image and one block of text in a
# wrapper of their own) is at most this many words (a longer block beside a photo is the article's)
# and at least this many (fewer are a name under an avatar or a credit alone, "Getty Images").
CAPTION_MAX_WORDS = 60
CAPTION_MIN_WORDS = 4
# A quotation whose words the article holds elsewhere repeats them (echoes.py: a reply quoting an
# earlier post of the thread, a pull quote): judged from this many words, it goes when this share
# of its runs of four words is found outside it.
ECHO_MIN_WORDS = 8
ECHO_SHARE = 0.8
# Recirculation: this many blocks in a row (short headlines between them allowed) that end cut off
# by an ellipsis are teasers of other stories (modern-web-dev: a press release followed by six). The
# cut may fall after a comma or a colon ("Emulgate,..."), and WordPress ends its excerpts with a
# bracketed ellipsis ("[…]"). clean._TEASER_ENDINGS lists how a text it finds ends: change both.
TEASER_END = re.compile(r"[\w,;:] ?(?:\.\.\.|…|\[(?:\.\.\.|…)\])$")
MIN_TEASER_RUN = 3
# A heading that is this share link text (to another page) is the headline of another story; the
# blocks of a teaser card between two headlines: at most this many, each at most this many words.
HEADLINE_LINK_SHARE = 0.9
TEASER_CARD_BLOCKS = 3
# A teaser's text cut off mid-sentence by its card: it ends in a word or a comma, not a stop.
CUT_SHORT = re.compile(r"[\w,]$")
TEASER_WORDS = 90
# ... and goes when the article before it is longer, or when its teasers are linked headlines (the
# surer sign) and the article holds more than this many words per word of the run (on a listing
# the teasers are the page, with little before them; modern-web-dev: a blog post of 300 words
# and its four "recent posts" cards of 370).
HEADLINE_RUN_BEFORE = 0.5
# A headline's kicker: a label of its card before the link, in elements of its own within the
# heading ("<h4><strong class=kicker>Editorial</strong> <a>Fraser's lasting legacy</a></h4>"),
# of at most TINY_BLOCK_WORDS words; the link share of the heading is taken without it.
# Recirculation whose teasers are whole sentences (a news site's "Other Opinion Columns", the
# issue's check page: five cards of kicker, linked headline and a one-sentence standfirst;
# boilerplate-990: a magazine's three "more posts" cards, each in a box of its own): a run of at
# least MIN_TEASER_RUN cards ending the article, each a linked headline and one blurb of at most
# TEASER_WORDS words, all of one shape. A linked subheading described by a sentence is as often
# the article's own (a page of webcams, a listicle of tools), so the cards must show that they
# are cards, every one with a kicker or in a box of its own (an element holding the card and at
# most TINY_BLOCK_WORDS words more), the article may link no heading of that tag before them,
# and it must hold this many times the run's words (boilerplate-990: a post of 626 words before
# cards of 60; modern-web-dev's webcam page, its boxes gone, has 155 before 85 and its own
# linked headings before them).
CARD_RUN_BEFORE = 2

# A promo lead without a link is a promo when the block is no longer than this ("Auch
# interessant:").
LEAD_ONLY_WORDS = 8

# A short block whose text is this share (or more) link text is an inline promo link.
PROMO_LINK_SHARE = 0.8

# Such a heading near the article's end goes with everything after it when that is cards: blocks
# of teaser length (``TEASER_WORDS`` at most), together no more than this share of the article's
# words ("Related articles that may interest you" with headline, picture and teaser cards;
# "Recommended Reading" with two headings and their blurbs; modern-web-dev: 4 articles).
END_SECTION_SHARE = 0.25
# Headings that open a trailing section of boilerplate: the heading and what follows it, up to the
# next heading, are removed ("Related posts:" with its list on seed-page.txt, "Comments", "Tags").
SECTION_HEADINGS = re.compile(
    r"^\W*(?:related(?: posts| articles| stories| content| coverage| reading)?"
    r"(?: (?:that|which) (?:may|might) interest you)?|more (?:stories|news|articles)|"
    r"recommended(?: for you| reading| articles)?|you (?:may|might) also like|read next|"
    r"you (?:may|might) (?:also )?be interested in(?: the following(?: topics| articles)?)?"
    r"(?: as well)?|"
    r"more from\b.*|popular|most read|trending|leave a reply|comments?|\d+ comments?|"
    r"share this(?: article| story| post)?|tags?|topics|like this|"
    r"das könnte (?:sie|dich) auch interessieren|mehr zum thema|weitere artikel|"
    r"meistgelesen|kommentare|ähnliche artikel|lesetipps?|zum weiterlesen|"
    r"à lire aussi|sur le même sujet|articles similaires|dans la même rubrique|"
    r"te puede interesar|noticias relacionadas|notas relacionadas|artículos relacionados|"
    r"leia também|notícias relacionadas|veja também|"
    r"читайте также|похожие статьи|по теме|"
    r"czytaj także|zobacz także|podobne artykuły|"
    r"empfohlene artikel|"
    r"vous aimerez aussi|vous (?:pourriez|pouvez) aussi aimer|"
    r"también te puede interesar|te podría interesar|"
    r"articoli correlati|leggi anche|potrebbe interessarti(?: anche)?|"
    r"artigos relacionados|você também pode gostar|"
    r"gerelateerde artikelen|lees ook|meer lezen|dit vind je misschien ook leuk)\W*$",
    re.IGNORECASE,
)

# A list (ul/ol) whose text is at least this share link text is a link list (related posts,
# tag clouds, share buttons), unless its items are long enough to be prose.
LINK_LIST_SHARE = 0.7
# ... where "long enough to be prose" means the average item exceeds this many words.
PROSE_ITEM_WORDS = 12

# The page's own mark of where its article ends: an empty element whose class or id value reads
# as one of these (its words, split as class tokens are); what follows it in the article is the
# page's recirculation ("article-end" before watson.ch's "story-recommendations" and a teaser
# of the next story; theatlantic.com's id="article-end", sueddeutsche.de's "endofarticle").
END_MARKS = frozenset(
    frozenset(words)
    for words in (
        ("article", "end"),
        ("articleend",),
        ("end", "of", "article"),
        ("endofarticle",),
        ("story", "end"),
        ("end", "of", "story"),
        ("post", "end"),
        ("end", "of", "post"),
        ("entry", "end"),
        ("content", "end"),
    )
)
# ... unless what follows holds more than this share of the article's words (then the mark is
# misplaced, or the page goes on with the article's own text).
END_MARK_SHARE = 0.4

# A newsletter's closing self-promotion (closing.py): where following, subscribing, donating and
# sponsoring happen.
# By host (a host's subdomains too).
SUPPORT_HOSTS = frozenset(
    {
        "patreon.com",
        "ko-fi.com",
        "buymeacoffee.com",
        "paypal.me",
        "liberapay.com",
        "opencollective.com",
        "steadyhq.com",
        "facebook.com",
        "twitter.com",
        "x.com",
        "instagram.com",
        "youtube.com",
        "tiktok.com",
        "linkedin.com",
        "pinterest.com",
        "threads.net",
        "bsky.app",
        "t.me",
        "wa.me",
        "whatsapp.com",
        "discord.gg",
    }
)
# ... and by the words of the address's path, in several languages.
SUPPORT_PATH = re.compile(
    r"(?:^|[/_.-])(?:subscribe|subscription|signup|sign-up|newsletter|donate|donation|"
    r"support-us|membership|sponsors?|sponsorship|advertise|advertising|abonnement|abonnieren|"
    r"abo|spenden|unterstuetzen|soutenir|adherer|suscripcion|suscribete|donar|iscriviti|"
    r"abbonamento|assinatura|assine)(?:$|[/_.?-])",
    re.IGNORECASE,
)
