"""Images and embeds as a page's scripts would have shown them, made visible without the scripts.

This module owns what pages do to defer or embed media, so extraction and the sanitiser apply the
same lists (they kept two different ones before):

- lazy loading keeps the real address in ``data-src`` and friends (``LAZY_SRC``), with a
  placeholder in ``src``: the lazy attribute wins whenever it is there;
- many sites repeat the real image inside ``<noscript>`` next to a placeholder: when the visible
  image is a placeholder (or there is none) the ``<noscript>`` image takes its place;
- a video, audio or tweet embed (``<iframe>``, ``<video>``, ``<audio>``) cannot be shown without
  running someone else's page, so it becomes a visible link with its title ("Video: ..."), never
  a frame.

Code written with ``<br>`` between its lines (Medium and many CMSs do) is also mended here, before
extraction can lose the breaks: each ``<br>`` in a ``<pre>`` becomes the line break it shows.

Everything here works on lxml trees in place and is idempotent: extraction runs it on the page
(before the page's chrome, <noscript> and <iframe> included, is pruned) and sanitise on whatever
reaches it by other ways.
"""

from __future__ import annotations

import re
from typing import cast
from urllib.parse import parse_qs, urlsplit

from lxml.html import HtmlElement

from proxy import htmltree

# Attributes lazy-loading scripts keep the real image address in, most specific first.
LAZY_SRC = (
    "data-src",
    "data-lazy-src",
    "data-original",
    "data-lazy",
    "data-url",
    "data-hi-res-src",
)
LAZY_SRCSET = ("data-srcset", "data-lazy-srcset")
# A src that is only a placeholder (a data: URI, a spacer GIF) while the real one waits elsewhere.
PLACEHOLDER = re.compile(r"^(?:data:|about:)|(?:blank|spacer|placeholder|pixel|lazy|1x1)\.", re.I)
# An image whose declared width or height is at most this many pixels is a tracking pixel.
PIXEL_MAX = 1

# Hosts of embeds by the kind of thing they show (subdomains included), for the link's label.
EMBED_KINDS: dict[str, tuple[str, ...]] = {
    "Video": (
        "youtube.com",
        "youtube-nocookie.com",
        "youtu.be",
        "vimeo.com",
        "dailymotion.com",
        "twitch.tv",
        "ted.com",
        "wistia.net",
        "brightcove.net",
        "jwplayer.com",
    ),
    "Audio": (
        "spotify.com",
        "soundcloud.com",
        "podcasts.apple.com",
        "anchor.fm",
        "simplecast.com",
        "buzzsprout.com",
        "megaphone.fm",
        "libsyn.com",
        "bandcamp.com",
    ),
    "Tweet": ("twitter.com", "x.com"),
    "Post": ("instagram.com", "facebook.com", "mastodon.social", "bsky.app", "threads.net"),
}
# The label of an embed from a host not listed above, and of the <video>/<audio> elements.
EMBED_LABEL = "Embedded content"
MEDIA_LABELS = {"video": "Video", "audio": "Audio"}
# Parents in which an embed's link stands alone; elsewhere it is a <figure> of its own (a figure
# is media to the cleaning rules, where a paragraph that is all link reads as a promo).
INLINE_PARENTS = frozenset(
    {
        "p",
        "span",
        "em",
        "strong",
        "b",
        "i",
        "li",
        "td",
        "th",
        "figcaption",
        "figure",
        *htmltree.HEADINGS,
        "dt",
        "dd",
        "small",
        "label",
    }
)
# Attributes that may name an embed, in order of preference.
TITLE_ATTRIBUTES = ("title", "aria-label", "data-title", "alt")
# Names players give every embed and a browser's excuses, which say nothing about this one (the
# host is named instead).
GENERIC_TITLE = re.compile(
    r"^(?:(?:youtube|vimeo|spotify|soundcloud|twitter|x|video|audio)"
    r"(?: video)?(?: player| embed| post| tweet)?|embedded content|embed"
    r"|.*\b(?:your browser|not supported|does not support|download)\b.*)$",
    re.I,
)
# Player addresses rewritten to the page a reader can open (a YouTube embed to its watch page).
_YOUTUBE_EMBED = re.compile(r"^/embed/([\w-]{6,})")
_VIMEO_PLAYER = re.compile(r"^/video/(\d+)")
# Where a tweet embed keeps the tweet's id.
_TWEET_ID = re.compile(r"^\d{5,25}$")


def promote_lazy(element: HtmlElement) -> None:
    """Copy the first lazy-load source of an <img> or <source> into src / srcset."""
    lazy = next((element.get(name) for name in LAZY_SRC if element.get(name)), None)
    if lazy and element.tag == "img":
        element.set("src", lazy)
    lazy_set = next((element.get(name) for name in LAZY_SRCSET if element.get(name)), None)
    if lazy_set:
        element.set("srcset", lazy_set)


def promote_lazy_images(root: HtmlElement) -> None:
    """``promote_lazy`` on every image and picture source under ``root``."""
    for element in root.iter("img", "source"):
        promote_lazy(element)


def is_placeholder(img: HtmlElement) -> bool:
    """True for an <img> that shows nothing real: no lazy source and no real src or srcset."""
    if any(img.get(name) for name in LAZY_SRC + LAZY_SRCSET):
        return False
    src, srcset = (img.get("src") or "").strip(), (img.get("srcset") or "").strip()
    real_src = bool(src) and not PLACEHOLDER.search(src)
    return not real_src and not (srcset and not srcset.startswith("data:"))


def is_pixel(img: HtmlElement) -> bool:
    """True for an image declared at most PIXEL_MAX pixels wide or high: a tracker."""
    for name in ("width", "height"):
        digits = (img.get(name) or "").strip().removesuffix("px")
        if digits.isdigit() and int(digits) <= PIXEL_MAX:
            return True
    return False


def drop_empty_images(root: HtmlElement) -> None:
    """Remove tracking pixels, and images and picture sources left with nothing to show."""
    for img in list(root.iter("img")):
        if is_pixel(img) or not (img.get("src") or img.get("srcset")):
            img.drop_tree()
    for source in list(root.iter("source")):
        if not source.get("srcset"):
            source.drop_tree()


def recover_noscript_images(root: HtmlElement) -> None:
    """Put the image a <noscript> holds in place of the placeholder shown beside it."""
    for noscript in list(root.iter("noscript")):
        parent = noscript.getparent()
        if parent is None or noscript.find(".//img") is None:
            continue
        beside = [img for img in parent.iter("img") if not _inside(img, noscript)]
        if any(not is_placeholder(img) for img in beside):
            continue  # the visible image is real: the <noscript> copy is a duplicate
        for img in beside:
            img.drop_tree()
        noscript.drop_tag()


def pre_line_breaks(root: HtmlElement) -> None:
    """Each <br> inside a <pre> as a newline: the text, its Markdown and a copy keep the lines.
    A <pre> inside another (a broken page) lists its <br>s twice: each is turned once."""
    for br in dict.fromkeys(br for pre in root.iter("pre") for br in pre.iter("br")):
        br.tail = "\n" + (br.tail or "")
        br.drop_tag()


def _inside(element: HtmlElement, container: HtmlElement) -> bool:
    return any(ancestor is container for ancestor in element.iterancestors())


def embeds_to_links(root: HtmlElement) -> None:
    """Replace each <iframe>, <video> and <audio> by a paragraph linking to what it showed."""
    for embed in list(root.iter("iframe", "video", "audio")):
        parent = embed.getparent()
        if parent is None or any(a.tag in MEDIA_LABELS for a in embed.iterancestors()):
            continue
        url = _embed_url(embed)
        if url is None:
            embed.drop_tree()
            continue
        label = MEDIA_LABELS.get(cast(str, embed.tag)) or embed_kind(url)  # str, as parsed
        inline = parent.tag in INLINE_PARENTS
        link = embed_link(label, _embed_title(embed) or _host(url) or url, url, inline=inline)
        htmltree.replace(embed, link)


def embed_link(label: str, title: str, url: str, *, inline: bool) -> HtmlElement:
    """``<span>Label: <a href=url>title</a></span>``, or the same in a <figure> of its own.

    The label stays outside the link: a short paragraph that is nearly all link reads as a promo
    to the cleaning rules."""
    wrapper = htmltree.PARSER.makeelement("span" if inline else "figure")
    wrapper.text = f" {label}: " if inline else f"{label}: "  # apart from the text before it
    link = htmltree.PARSER.makeelement("a", {"href": url})
    link.text = title
    wrapper.append(link)
    return wrapper


def embed_kind(url: str) -> str:
    """The label for an embed at ``url``: Video, Audio, Tweet, Post or EMBED_LABEL."""
    host = _host(url)
    for kind, hosts in EMBED_KINDS.items():
        if any(host == known or host.endswith(f".{known}") for known in hosts):
            return kind
    return EMBED_LABEL


def watch_url(url: str) -> str:
    """The page a reader opens for a player's address (YouTube, Vimeo, a tweet); else ``url``."""
    parts = urlsplit(url)
    host = _host(url)
    if host in ("youtube.com", "youtube-nocookie.com") and (
        video := _YOUTUBE_EMBED.match(parts.path)
    ):
        return f"https://www.youtube.com/watch?v={video[1]}"
    if host == "player.vimeo.com" and (video := _VIMEO_PLAYER.match(parts.path)):
        return f"https://vimeo.com/{video[1]}"
    tweet = parse_qs(parts.query).get("id", [""])[0]
    if host == "platform.twitter.com" and _TWEET_ID.match(tweet):
        return f"https://twitter.com/i/status/{tweet}"
    return url


def _embed_url(embed: HtmlElement) -> str | None:
    """The address of what an embed shows: its src, lazy src or first <source>; None if none."""
    src = embed.get("src") or next((embed.get(a) for a in LAZY_SRC if embed.get(a)), None)
    if not src:
        source = embed.find(".//source[@src]")
        src = source.get("src") if source is not None else None
    if not src or src.strip().lower().startswith(("javascript:", "data:", "about:")):
        return None
    src = src.strip()
    return watch_url(f"https:{src}" if src.startswith("//") else src)


def _embed_title(embed: HtmlElement) -> str | None:
    """What the embed says it is: a title attribute, its fallback text, or its figure's caption;
    None when all it has is a player's generic name ("YouTube video player")."""
    named = (" ".join((embed.get(name) or "").split()) for name in TITLE_ATTRIBUTES)
    figure = next((a for a in embed.iterancestors("figure")), None)
    caption = figure.find(".//figcaption") if figure is not None else None
    texts = (
        *named,
        _fallback_text(embed),
        " ".join(caption.text_content().split()) if caption is not None else "",
    )
    return next((text for text in texts if text and not GENERIC_TITLE.match(text)), None)


def _fallback_text(embed: HtmlElement) -> str:
    """The text an embed shows where it cannot play (``<video>...<p>Exercise: ...</p></video>``)."""
    parts = [embed.text or ""]
    parts += [
        f"{child.text_content()} {child.tail or ''}"
        for child in embed
        if child.tag not in ("source", "track")
    ]
    return " ".join(" ".join(parts).split())


def _host(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")
