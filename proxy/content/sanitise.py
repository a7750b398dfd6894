"""The last gate before an article reaches a reader: an explicit allowlist, applied by bleach.

This is the only module that imports bleach (unmaintained since its final 6.4.0 release), so
replacing it with another allowlist sanitiser, such as nh3, is a change to this file alone.

We prepare the tree with lxml first, as bleach alone cannot drop the *content* of script-like
containers (strip=True keeps their text), promote lazy-load attributes (``data-src``, the lists
media.py owns), turn embeds into links, keep the line breaks of code written with ``<br>`` or check
each ``srcset`` candidate (bleach and nh3 both keep ``srcset="javascript:..."``). URLs are made
absolute and kept only with an allowed scheme. bleach's sanitiser filter then walks that tree
(no second parse: the pipeline's tree goes straight in), re-checks tags, attributes and
protocols, and its serialiser escapes every text and attribute value. ``violations`` parses a
result as browsers do (html5lib) and lists what the allowlist forbids; the tests hold every
output to it.

MathML is kept under its own allowlist (``MATHML_TAGS``, ``MATHML_ATTRIBUTES``): MathML Core's
presentation elements with their layout attributes, values of a plain shape, no URL anywhere.
Mutation XSS through MathML needs a raw-text element (``<style>``), a comment or an HTML
integration point (``<annotation-xml>``, ``<mglyph>``): none of them is kept, and all text leaves
escaped, so what a browser parses again is the tree we checked.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import bleach
from bleach._vendor.html5lib import constants as html5lib_constants
from bleach._vendor.html5lib.serializer import escape as _html5lib_escape
from bleach.html5lib_shim import HTMLParser
from bleach.sanitizer import (
    INVISIBLE_CHARACTERS_RE,
    INVISIBLE_REPLACEMENT_CHAR,
    BleachSanitizerFilter,
)
from lxml import etree
from lxml import html as lxml_html

from proxy import htmltree
from proxy.content import media

# MathML Core's presentation elements, with <semantics>/<annotation> (KaTeX keeps the TeX there).
# Not <maction> (its actions; xlink:href on it was an XSS: it is unwrapped), nor <mglyph>,
# <malignmark> or <annotation-xml> (see DROPPED_WITH_CONTENT).
MATHML_TAGS = frozenset(
    {
        "math",
        "mi",
        "mn",
        "mo",
        "ms",
        "mtext",
        "mspace",
        "mrow",
        "mfrac",
        "msqrt",
        "mroot",
        "mstyle",
        "merror",
        "mpadded",
        "mphantom",
        "menclose",
        "mfenced",
        "msub",
        "msup",
        "msubsup",
        "munder",
        "mover",
        "munderover",
        "mmultiscripts",
        "mprescripts",
        "none",
        "mtable",
        "mtr",
        "mlabeledtr",
        "mtd",
        "semantics",
        "annotation",
    }
)
# Their layout attributes (MathML Core and the MathML 3 ones browsers still read); none is a URL,
# a style or an event. Values must look like MATHML_VALUE.
MATHML_ATTRIBUTES = frozenset(
    {
        "display",
        "displaystyle",
        "scriptlevel",
        "mathvariant",
        "mathsize",
        "stretchy",
        "symmetric",
        "largeop",
        "movablelimits",
        "accent",
        "accentunder",
        "fence",
        "separator",
        "form",
        "lspace",
        "rspace",
        "minsize",
        "maxsize",
        "linethickness",
        "width",
        "height",
        "depth",
        "voffset",
        "notation",
        "columnalign",
        "rowalign",
        "columnspacing",
        "rowspacing",
        "columnlines",
        "rowlines",
        "frame",
        "columnspan",
        "rowspan",
        "open",
        "close",
        "separators",
        "encoding",
        "align",
        "numalign",
        "denomalign",
        "bevelled",
        "lquote",
        "rquote",
    }
)
# A MathML attribute value: keywords, numbers and lengths ("bold-italic", "0.278em", "center left").
MATHML_VALUE = re.compile(r"[A-Za-z0-9.%+\-# ]{1,64}")
# The encodings an <annotation> may declare: TeX source (what KaTeX and MathJax write).
MATHML_ENCODINGS = frozenset({"application/x-tex", "TeX", "text/x-tex", "application/x-latex"})

# Tags an article may keep; any other is unwrapped (its text stays) unless in DROPPED_WITH_CONTENT.
ALLOWED_TAGS = (
    frozenset(
        {
            "a",
            "abbr",
            "article",
            "b",
            "bdi",
            "bdo",
            "blockquote",
            "br",
            "caption",
            "cite",
            "code",
            "col",
            "colgroup",
            "dd",
            "del",
            "details",
            "dfn",
            "div",
            "dl",
            "dt",
            "em",
            "figcaption",
            "figure",
            *htmltree.HEADINGS,
            "hr",
            "i",
            "img",
            "ins",
            "kbd",
            "li",
            "mark",
            "ol",
            "p",
            "picture",
            "pre",
            "q",
            "rp",
            "rt",
            "ruby",
            "s",
            "samp",
            "section",
            "small",
            "source",
            "span",
            "strong",
            "sub",
            "summary",
            "sup",
            "table",
            "tbody",
            "td",
            "tfoot",
            "th",
            "thead",
            "time",
            "tr",
            "u",
            "ul",
            "var",
            "wbr",
        }
    )
    | MATHML_TAGS
)

# Attributes per tag ("*" = every allowed tag). No style, class, id or on*: the reader has its CSS.
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"title", "lang", "dir"}),
    "a": frozenset({"href", "rel"}),
    "img": frozenset({"src", "srcset", "sizes", "alt", "width", "height", "loading"}),
    "source": frozenset({"srcset", "sizes", "media", "type"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
    "time": frozenset({"datetime"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
}

# Each tag's attributes with the global ones, and every name that any element may keep.
_ALLOWED_FOR = {tag: names | ALLOWED_ATTRIBUTES["*"] for tag, names in ALLOWED_ATTRIBUTES.items()}
_KEPT_NAMES = frozenset().union(*ALLOWED_ATTRIBUTES.values(), MATHML_ATTRIBUTES)

# Containers removed together with everything inside them: code, styling, embedded documents, forms'
# controls, SVG (a mutation-XSS carrier; MathML is kept under its allowlist) and the document head.
DROPPED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "template",
        "noscript",
        "noembed",
        "noframes",
        "xmp",
        "plaintext",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "param",
        "svg",
        "canvas",
        "audio",
        "video",
        "track",
        "map",
        "input",
        "button",
        "select",
        "option",
        "optgroup",
        "textarea",
        "datalist",
        "output",
        "dialog",
        "head",
        "title",
        "meta",
        "link",
        "base",
        "annotation-xml",
        "mglyph",
        "malignmark",  # MathML's ways back into HTML, and its image
    }
)

# What ``_drop_unsafe`` removes, found by lxml in C (a Python test of every node was a twentieth
# of the sanitiser's time): the containers by name, as libxml2's HTML parser names elements (in
# lower case, as the pipeline names those it makes), and every node that is not an element.
# Speed shortcut (proxy/web/shortcuts.py).
_UNSAFE_NODES: tuple[str | Callable[..., etree._Element], ...] = (
    *DROPPED_WITH_CONTENT,
    etree.Comment,
    etree.ProcessingInstruction,
    etree.Entity,
)

# Elements HTML5 parsers treat as empty but libxml2 does not (it nests what follows inside them,
# "<wbr>a<wbr>b" becomes nested elements): their content is really their following siblings.
_VOID_IN_HTML5 = ("embed", "keygen", "source", "track", "wbr")

# URL schemes allowed for links, and the narrower set for anything the browser loads by itself.
LINK_PROTOCOLS = frozenset({"http", "https", "mailto"})
MEDIA_PROTOCOLS = frozenset({"http", "https"})
# Attributes holding one URL, with the schemes each accepts. srcset holds many and is checked apart.
URL_ATTRIBUTES = {"href": LINK_PROTOCOLS, "src": MEDIA_PROTOCOLS, "cite": MEDIA_PROTOCOLS}

# What every link carries: no window.opener, no referrer, no endorsement for search engines.
LINK_REL = "noopener noreferrer nofollow"

# Attribute values with a fixed shape; anything else is dropped.
_NUMBER = re.compile(r"\d{1,5}")  # width, height, colspan, rowspan, span, start, value
_NUMERIC_ATTRIBUTES = frozenset({"width", "height", "colspan", "rowspan", "span", "start", "value"})
_ENUMERATED = {
    "dir": frozenset({"ltr", "rtl", "auto"}),
    "scope": frozenset({"row", "col", "rowgroup", "colgroup"}),
    "type": frozenset(
        {
            "1",
            "a",
            "A",
            "i",
            "I",  # <ol type>, then <source type>
            "image/jpeg",
            "image/png",
            "image/webp",
            "image/avif",
            "image/gif",
        }
    ),
    "loading": frozenset({"lazy", "eager"}),
    "reversed": frozenset({"", "reversed"}),
    "rel": frozenset({LINK_REL}),
}
_LANG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")  # a BCP 47 language tag
_SRCSET_DESCRIPTOR = re.compile(r"\d+(\.\d+)?[wx]")  # "640w" or "2x"; nothing else is kept
# One srcset candidate, as the HTML standard splits them: a URL ending in commas has no descriptor
# ("a.jpg, b.jpg 2x"); otherwise the descriptor runs to the next comma ("a,b.jpg 2x" is one URL).
_SRCSET_CANDIDATE = re.compile(
    r"[\s,]*(?:(?P<bare>[^\s,]\S*?),+(?=\s|$)|(?P<url>[^\s,]\S*)(?P<descriptor>[^,]*))"
)

# Characters that are never article text and that make libxml2 misparse or fail (NUL among them).
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# An XML declaration opening the text, which lxml refuses in a str.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")

# How html5lib names an element it parsed as MathML (HTML ones have no namespace in ``violations``).
MATHML_NAMESPACE = "{http://www.w3.org/1998/Math/MathML}"
# What html5lib's tree walker needs to know of HTML: its void elements (an empty tag, no end tag,
# content not walked), the spaces it yields apart from text, the namespace of HTML elements, and how
# a namespaced name is spelt ("{ns}local").
_VOID_ELEMENTS = html5lib_constants.voidElements
_HTML_SPACES = "".join(html5lib_constants.spaceCharacters)
_HTML_NAMESPACE = html5lib_constants.namespaces["html"]
_NAMESPACED = re.compile("{([^}]*)}(.*)")

# bleach's Cleaner keeps parser state, so each thread gets its own.
_local = threading.local()


def sanitise(html: str, base_url: str) -> str:
    """Return ``html`` reduced to the allowlist, with absolute URLs and safe links.

    Workflow:
    1. parse with lxml (control characters stripped first)
    2. embeds become links, <br> in <pre> line breaks; drop script-like containers with their
       content, comments and processing instructions
    3. promote lazy-load attributes, make URLs absolute, drop disallowed schemes and tracking pixels
    4. rel on links; bleach walks the tree: allowlisted tags and attributes, protocols re-checked,
       escaped output
    """
    body = _parse(html)
    return "" if body is None else sanitise_tree(body, base_url)


def sanitise_tree(body: lxml_html.HtmlElement, base_url: str) -> str:
    """``sanitise`` for content lxml has parsed already (the text and children of ``body``, which
    is changed in place): the pipeline hands its cleaned tree over instead of a serialisation."""
    _unnest_void(body)
    media.embeds_to_links(body)
    media.pre_line_breaks(body)
    _drop_unsafe(body)
    if _unwrap_disallowed(body) or _NESTED_LINK(body):
        body = _reparsed(body)
    media.promote_lazy_images(body)
    for element in _URL_HOLDERS(body):
        _rewrite_urls(element, base_url)
    hoisted = False
    for link in list(body.iter("a")):
        if link.get("href") is None:  # a script's button or an unsafe target: its text stays
            hoisted = hoisted or len(link) > 0
            link.drop_tag()
        else:
            link.set("rel", LINK_REL)
    if hoisted:  # what the link held now sits in its parent ("<h1><a><p>" became "<h1><p>")
        body = _reparsed(body)
    media.drop_empty_images(body)
    return _bleach_tree(body).strip()


def _unwrap_disallowed(body: lxml_html.HtmlElement) -> bool:
    """Unwrap every element outside the allowlist, keeping its content (bleach's strip=True would
    do the same); True when one of them held elements, which now sit in a new parent."""
    hoisted = False
    for element in [
        el for el in body.iter(etree.Element) if el.tag not in ALLOWED_TAGS and el is not body
    ]:
        hoisted = hoisted or len(element) > 0
        element.drop_tag()
    return hoisted


# The elements holding a URL (after lazy-load attributes are promoted), found in C: most of an
# article's hold none. The parents of the URL attributes, in document order, each once: a
# quarter of what testing every element for any of them costs libxml2. Speed shortcut
# (proxy/web/shortcuts.py).
_URL_HOLDERS = etree.XPath(
    "(descendant-or-self::*/@href | descendant-or-self::*/@src | descendant-or-self::*/@cite"
    " | descendant-or-self::*/@srcset)/.."
)

# A link inside a link: libxml2 keeps "<a><x-e><a>" nested; a browser, and a second sanitise,
# does not.
_NESTED_LINK = etree.XPath("boolean(.//a//a)")


def _reparsed(body: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """The content parsed again, so that libxml2 closes what unwrapping left nested ("<p><x-e><p>"
    became "<p><p>"): the output is then what sanitising it again would give."""
    body.tag = "div"  # sanitise() hands over a <body>, which a fragment cannot hold
    return htmltree.fragment(lxml_html.tostring(body, encoding="unicode"))[0]


def _bleach_tree(body: lxml_html.HtmlElement) -> str:
    """bleach's ``Cleaner.clean`` on a tree: its sanitiser filter and its serialiser, walking the
    lxml tree instead of serialising it for html5lib to parse again (that parse was a
    quarter of the pipeline's time). The output is the same: every element and attribute still
    passes bleach's allowlist, and every text and attribute value is escaped as its serialiser
    escapes them.
    """
    written = _bleached(_tokens(body))
    return _stock_bleached(_tokens(body)) if written is None else written


def _bleached(tokens: Iterable[dict[str, Any]]) -> str | None:
    """``_stock_bleached`` in one loop: each token checked by bleach's filter (``sanitize_token``,
    what its stream calls on every token) and written as its serialiser writes it, without the
    generators the stock way stacks per token (the filter's stream, its merge of adjacent texts,
    html5lib's serialiser and bleach's wrapper of it). Speed shortcut (proxy/web/shortcuts.py).

    Texts, end tags and start tags without attributes are written here (html5lib's ``escape``
    for texts, as its serialiser does with bleach's settings); tags with attributes and anything
    else by the serialiser itself, one token at a time. The filter is not asked of the tokens it
    gives back as they are (96-98% of an article's): a tag of the allowlist without attributes,
    spaces, and a text without "&", whose control characters are replaced here as the filter
    replaces them. Texts are not merged first: escaping goes character by character, so merging
    changes nothing. Written token by token, bleach's wrapper of the serialiser (which re-escapes
    "&" in attribute values) starts each tag afresh, as it is at a tag's start in the stock way,
    unless an attribute valued ">" made it lose its place (it takes the value for the tag's end):
    then None, and the caller goes the stock way.
    """
    checker, serialise = _checker(), _cleaner().serializer.serialize
    check, allowed = checker.sanitize_token, checker.allowed_tags
    written: list[str] = []
    for token in tokens:
        kind = token["type"]
        if kind in _PLAIN_TAGS and not token.get("data") and token["name"] in allowed:
            written.append(f"</{token['name']}>" if kind == "EndTag" else f"<{token['name']}>")
            continue
        if kind == "Characters" and "&" not in token["data"]:
            # what the filter does to it (``sanitize_characters``): control characters but tab,
            # line feed and carriage return replaced by "?"
            text = INVISIBLE_CHARACTERS_RE.sub(INVISIBLE_REPLACEMENT_CHAR, token["data"])
            written.append(_html5lib_escape(text))
            continue
        if kind == "SpaceCharacters":
            written.append(token["data"])
            continue
        checked = check(token)
        if not checked:  # a dropped token (the filter's stream skips it too)
            continue
        for kept in checked if isinstance(checked, list) else (checked,):
            kind = kept["type"]
            if kind == "EndTag":
                written.append(f"</{kept['name']}>")
            elif kind == "Characters":
                written.append(_html5lib_escape(kept["data"]))
            elif kind == "SpaceCharacters":
                written.append(kept["data"])
            elif kind not in _TAGS:  # an error the serialiser notes and does not write
                written.extend(serialise((kept,)))
            elif not kept["data"]:
                written.append(f"<{kept['name']}>")
            elif ">" in kept["data"].values():
                return None
            else:
                written.append(_start_tag(kept) or "".join(serialise((kept,))))
    return "".join(written)


# The tokens of a start tag, as html5lib's serialiser writes them alike.
_TAGS = frozenset({"StartTag", "EmptyTag"})
# The tokens of a tag, which bleach's filter gives back unchanged when the tag is allowed and
# has no attributes (``allow_token`` only checks attributes).
_PLAIN_TAGS = _TAGS | {"EndTag"}
# What html5lib's serialiser (with bleach's settings) changes in an attribute value: "&" (which
# bleach's wrapper then reads again for entities), "<" (escape_lt_in_attrs) and the quote.
_ESCAPED_IN_VALUES = re.compile('[&<"]')
# Attributes html5lib's serialiser writes without a value (minimize_boolean_attributes).
_BOOLEAN_ATTRIBUTES = html5lib_constants.booleanAttributes
_BOOLEAN_ANYWHERE = _BOOLEAN_ATTRIBUTES[""]


def _start_tag(token: dict[str, Any]) -> str | None:
    """A start tag with attributes as bleach's serialiser writes it (name="value" in double
    quotes), when no value holds what it escapes and no name is one it writes bare; else None
    and the serialiser writes it. Its two generators and bleach's re-reading of each value cost
    more than the tag's check (a link's <a href rel> on every paragraph). Speed shortcut
    (proxy/web/shortcuts.py)."""
    name = token["name"]
    bare = _BOOLEAN_ATTRIBUTES.get(name, ())  # and those of every tag: no set made per tag
    written = [f"<{name}"]
    for (_, key), value in token["data"].items():
        if key in bare or key in _BOOLEAN_ANYWHERE or _ESCAPED_IN_VALUES.search(value):
            return None
        written.append(f' {key}="{value}"')
    written.append(">")
    return "".join(written)


def _stock_bleached(tokens: Iterable[dict[str, Any]]) -> str:
    """html5lib tokens through bleach's sanitiser filter and serialiser, as ``Cleaner.clean``
    hands its parser's tokens to them."""
    return _cleaner().serializer.render(_bleach_filter(tokens))


def _tokens(root: lxml_html.HtmlElement) -> Iterator[dict[str, Any]]:
    """The html5lib tokens of ``root``'s content, as html5lib's ElementTree walker yields them
    for a fragment (``getTreeWalker("etree")``) with "&" escaped (``_escaped``), walked by lxml
    (``iterwalk``, in C): every element in the same order, leaving out only what bleach's filter
    would drop whatever it is, or merge (``_attributes``, ``_text_token``), so its output is the
    same.

    The stock walker steps through the tree with a method call per node and copies the parent's
    list of children at every step back up (quadratic in siblings: 16,000 paragraphs under one
    parent took 42 s); this loop was a third of bleach's time on median pages. Every element and
    attribute it yields still passes bleach's sanitiser filter and serialiser. Speed shortcut
    (proxy/web/shortcuts.py).
    """
    if text := root.text:
        yield _text_token(text)
    walk = etree.iterwalk(root, events=("start", "end"))
    next(walk)  # the root's own start: only its content is walked
    for event, element in walk:
        namespace, name, void = _TAG_NAMES.get(tag := element.tag) or _tag_name(tag)
        if event == "end":
            if element is root:
                return
            if not void:
                yield {"type": "EndTag", "name": name, "namespace": namespace}
            if tail := element.tail:
                yield _text_token(tail)
        elif void:
            attributes = _attributes(element)
            yield {"type": "EmptyTag", "name": name, "namespace": namespace, "data": attributes}
            if len(element) or element.text:
                yield {"type": "SerializeError", "data": "Void element has children"}
            walk.skip_subtree()  # html5lib's walker does not enter it either
        else:
            attributes = _attributes(element)
            yield {"type": "StartTag", "name": name, "namespace": namespace, "data": attributes}
            if text := element.text:
                yield _text_token(text)


def _tag_name(tag: Any) -> tuple[str | None, str, bool]:
    """A tag's name as html5lib's walker splits it, and whether it is a void element."""
    assert isinstance(tag, str), type(tag)  # as html5lib's: _drop_unsafe took the rest
    namespace, name = _split_name(tag)
    return (
        namespace,
        name,
        (not namespace or namespace == _HTML_NAMESPACE) and name in _VOID_ELEMENTS,
    )


def _attributes(element: lxml_html.HtmlElement) -> dict[tuple[str | None, str], str]:
    """The element's attributes as html5lib's walker names them, less those whose name no element
    may keep (``class``, ``style``, ``data-*``...): bleach's filter would drop them whatever their
    element, so it is not handed them. Speed shortcut (proxy/web/shortcuts.py)."""
    attributes: dict[tuple[str | None, str], str] = {}
    for key, value in element.items():
        if key in _KEPT_NAMES:
            attributes[None, key] = _escaped(value)
        elif key.startswith("{") and (split := _split_name(key))[1] in _KEPT_NAMES:
            attributes[split] = _escaped(value)
    return attributes


def _split_name(name: str) -> tuple[str | None, str]:
    """A tag or attribute name as html5lib's walker splits it: ("{ns}local") -> (ns, local)."""
    if name.startswith("{"):
        match = _NAMESPACED.match(name)
        if match:
            return match.group(1), match.group(2)
    return None, name


# Every allowed tag's name, split once (only those are left when the walk runs).
_TAG_NAMES: dict[object, tuple[str | None, str, bool]] = {
    tag: _tag_name(tag) for tag in ALLOWED_TAGS
}


def _text_token(text: str) -> dict[str, str]:
    """The text as one token: html5lib's walker yields its leading and trailing HTML spaces
    apart, as ``SpaceCharacters``, which bleach's serialiser writes as they are, as it writes
    spaces inside characters (its filter changes only "&" and control characters, which an lxml
    tree cannot hold). One token is less for bleach to pass on."""
    if text.strip(_HTML_SPACES):
        return {"type": "Characters", "data": _escaped(text)}
    return {"type": "SpaceCharacters", "data": text}


def _escaped(text: str) -> str:
    """The "&" escapes lxml decoded put back: bleach's filter expects text as its own tokenizer
    leaves it (entities unread), so "&amp;copy;" in a page stays the text "&copy;"."""
    return text.replace("&", "&amp;") if "&" in text else text


def _parse(html: str) -> lxml_html.HtmlElement | None:
    """The <body> of ``html`` as lxml parses it, or None when there is nothing to parse."""
    text = _XML_DECLARATION.sub("", _CONTROL_CHARS.sub("", html))
    if not text.strip():
        return None
    try:
        document = htmltree.document(text)
    except etree.ParserError:
        return None
    return document.find("body")


def _drop_unsafe(root: lxml_html.HtmlElement) -> None:
    """Remove dangerous containers whole, and every comment and processing instruction."""
    for element in list(root.iter(*_UNSAFE_NODES)):
        if element.getparent() is not None:
            element.drop_tree()


def _unnest_void(root: lxml_html.HtmlElement) -> None:
    """Move what libxml2 nested inside an empty element out after it, where a browser puts it
    (the serialiser writes empty elements without their content)."""
    for element in list(root.iter(*_VOID_IN_HTML5)):
        parent = element.getparent()
        if parent is None or not (len(element) or element.text):
            continue
        children, text = list(element), element.text or ""
        element.text = None
        if children:
            children[-1].tail = (children[-1].tail or "") + (element.tail or "")
            element.tail = text
            for offset, child in enumerate(children, start=parent.index(element) + 1):
                parent.insert(offset, child)
        else:
            element.tail = text + (element.tail or "")


def _rewrite_urls(element: lxml_html.HtmlElement, base_url: str) -> None:
    """Make every URL of the element absolute, or remove it. An empty link target (what the page
    cleaner leaves of ``javascript:``) goes too: made absolute it named the page itself."""
    for name, protocols in URL_ATTRIBUTES.items():
        value = element.get(name)
        if value is not None and name == "href" and not value.strip():
            del element.attrib[name]
        elif value is not None:
            _set_or_drop(element, name, safe_url(value, base_url, protocols))
    if element.get("srcset") is not None:
        _set_or_drop(element, "srcset", _safe_srcset(element.get("srcset", ""), base_url))


def _set_or_drop(element: lxml_html.HtmlElement, name: str, value: str | None) -> None:
    if value is None:
        element.attrib.pop(name, None)
    else:
        element.set(name, value)


def safe_url(value: str, base_url: str, schemes: frozenset[str] = MEDIA_PROTOCOLS) -> str | None:
    """``value`` made absolute against ``base_url``; None when its scheme is not in ``schemes``.

    Public for metadata URLs (lead image, canonical URL) that reach readers outside the article.
    """
    url = value.strip()
    scheme = _plain_scheme(url)
    if scheme is not None:  # urljoin would give it back as it is (speed shortcut)
        return url if scheme in schemes else None
    try:
        absolute = urljoin(base_url, url)
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:
        return None
    return absolute if scheme in schemes else None


# What urlsplit and urlunsplit change in an absolute URL, so that urljoin's answer is not the URL
# itself: tabs and line breaks (removed), brackets (an IPv6 host, checked), ";" (path parameters,
# dropped when empty), an empty query or fragment (dropped), a character outside ASCII (a host
# checked under NFKC).
_URLJOIN_CHANGES = re.compile(r"[\t\r\n;\[\]]|\?(?:#|$)|#$|[^\x00-\x7f]")


def _plain_scheme(url: str) -> str | None:
    """The scheme of ``url`` when it is an absolute http(s) URL that ``urljoin`` gives back as it
    is, whatever the base: it takes the URL itself when the schemes differ, and puts it together
    again from its parts when they are the same; None for any other (relative, another scheme, an
    empty host or anything of ``_URLJOIN_CHANGES``), which goes to urljoin. Most of an article's
    URLs are absolute, and urljoin parsed each twice, put it together again and urlsplit parsed it
    a third time. Speed shortcut (proxy/web/shortcuts.py)."""
    if url.startswith("https://"):
        scheme, host = "https", url[8:9]
    elif url.startswith("http://"):
        scheme, host = "http", url[7:8]
    else:
        return None
    if not host or host in "/?#" or _URLJOIN_CHANGES.search(url):
        return None
    return scheme


def _safe_srcset(value: str, base_url: str) -> str | None:
    """The srcset, each candidate absolute and http(s), bad ones dropped; None if none is left."""
    kept = []
    for url, descriptor in _srcset_candidates(value):
        absolute = safe_url(url, base_url, MEDIA_PROTOCOLS)
        if absolute and (not descriptor or _SRCSET_DESCRIPTOR.fullmatch(descriptor)):
            kept.append(f"{absolute.replace(',', '%2C')} {descriptor}".strip())
    return ", ".join(kept) or None


def _srcset_candidates(value: str) -> list[tuple[str, str]]:
    """Split a srcset into (url, descriptor) pairs the way the HTML standard's parser does."""
    return [
        (match["bare"] or match["url"], (match["descriptor"] or "").strip())
        for match in _SRCSET_CANDIDATE.finditer(value)
        if match["bare"] or match["url"]
    ]


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    """bleach's attribute test: allowlisted for the tag, and of the expected shape."""
    if tag in MATHML_TAGS:
        return _allow_mathml_attribute(name, value)
    if name not in _ALLOWED_FOR.get(tag, ALLOWED_ATTRIBUTES["*"]):
        return False
    if name in _NUMERIC_ATTRIBUTES:
        return bool(_NUMBER.fullmatch(value.strip()))
    if name in _ENUMERATED:
        return value in _ENUMERATED[name]
    if name == "lang":
        return bool(_LANG.fullmatch(value))
    if name == "srcset":
        return _safe_srcset(value, "") == value
    return True


def _allow_mathml_attribute(name: str, value: str) -> bool:
    """A MathML element's attribute: the global ones, or a layout one of a plain shape."""
    if name == "encoding":
        return value in MATHML_ENCODINGS
    if name in ("lang", "dir"):
        return _allow_attribute("span", name, value)
    return name in MATHML_ATTRIBUTES and bool(MATHML_VALUE.fullmatch(value))


def _checker() -> BleachSanitizerFilter:
    """This thread's bleach sanitiser filter, for its ``sanitize_token`` (which keeps no state
    between tokens), built on first use."""
    checker = getattr(_local, "checker", None)
    if checker is None:
        checker = _local.checker = _bleach_filter(())
    return checker


class _SanitizerFilter(BleachSanitizerFilter):
    """bleach's sanitiser filter, answering its URL check at once for a plain http(s) URL."""

    def sanitize_uri_value(self, value: str, allowed_protocols: Any) -> str | None:
        """bleach's check of a URL attribute: ``value`` when its scheme is allowed, else None.

        An absolute http(s) URL whose host holds no "&" nor bracket is kept when its scheme is
        allowed without bleach's normalising (entities read, spaces, controls and other than ASCII
        removed, lower case) and parse: none of those reaches its scheme, nor can put a bracket
        in its host (the one way its parse fails). After ``_rewrite_urls`` every link and image
        URL is one, and bleach's check took a fifth of its filter's time. Speed shortcut
        (proxy/web/shortcuts.py)."""
        scheme = _http_scheme(value)
        if scheme is not None and scheme in allowed_protocols:
            return value
        checked: str | None = super().sanitize_uri_value(value, allowed_protocols)
        return checked


# Where the host of an http(s) URL ends.
_HOST_END = re.compile(r"[/?#]")


def _http_scheme(value: str) -> str | None:
    """The scheme, "http" or "https", of a URL that begins so and whose host ("//" up to the
    first "/", "?" or "#") holds no "&" (an entity could be read into a bracket), "[" or "]";
    else None."""
    if value.startswith("https://"):
        scheme, start = "https", 8
    elif value.startswith("http://"):
        scheme, start = "http", 7
    else:
        return None
    end = _HOST_END.search(value, start)
    host = value[start : end.start() if end else len(value)]
    if "&" in host or "[" in host or "]" in host:
        return None
    return scheme


def _bleach_filter(tokens: Iterable[dict[str, Any]]) -> BleachSanitizerFilter:
    """bleach's sanitiser filter over ``tokens``, set up as this thread's Cleaner sets its own."""
    cleaner = _cleaner()
    return _SanitizerFilter(
        source=tokens,
        allowed_tags=cleaner.tags,
        attributes=cleaner.attributes,
        strip_disallowed_tags=cleaner.strip,
        strip_html_comments=cleaner.strip_comments,
        css_sanitizer=cleaner.css_sanitizer,
        allowed_protocols=cleaner.protocols,
    )


def _cleaner() -> bleach.Cleaner:
    """This thread's bleach Cleaner, built on first use."""
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=_allow_attribute,
            protocols=LINK_PROTOCOLS,
            strip=True,
            strip_comments=True,
        )
        # Values always in "..." (inner " as &quot;): bleach double-escapes & in '...' values.
        cleaner.serializer.use_best_quote_char = False
        _local.cleaner = cleaner
    return cleaner


def violations(html: str) -> list[str]:
    """What in ``html``, parsed as browsers do (html5lib), the allowlist forbids; [] if clean."""
    fragment = HTMLParser(namespaceHTMLElements=False).parseFragment(html)
    found = []
    for element in fragment.iter():
        if element is fragment or not isinstance(element.tag, str):
            continue
        found.extend(_element_violations(element))
    return found


def _element_violations(element: ElementTree.Element) -> list[str]:
    tag = element.tag.removeprefix(MATHML_NAMESPACE)
    if tag not in ALLOWED_TAGS:
        return [f"tag <{tag}>"]
    found = []
    for name, value in element.attrib.items():
        if not isinstance(name, str) or not _allow_attribute(tag, name, value):
            found.append(f"attribute {name}={value!r} on <{tag}>")
        elif name in URL_ATTRIBUTES and safe_url(value, "", URL_ATTRIBUTES[name]) is None:
            found.append(f"URL {name}={value!r} on <{tag}>")
    return found
