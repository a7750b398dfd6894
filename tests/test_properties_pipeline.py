"""Property tests: generated HTML through sanitise() and pipeline.process().

Whatever the page, no exception escapes but NoArticle, and every output passes the sanitiser's own
allowlist check (``violations``, an html5lib parse, as a browser parses).
"""

from __future__ import annotations

import invariants
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from proxy.content.sanitise import ALLOWED_TAGS

# Tags drawn for generated markup: the allowlist, the dangerous ones, and odd or foreign names.
TAGS = sorted(ALLOWED_TAGS) + [
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "template",
    "noscript",
    "textarea",
    "title",
    "xmp",
    "plaintext",
    "noembed",
    "form",
    "input",
    "button",
    "select",
    "option",
    "base",
    "meta",
    "link",
    "body",
    "html",
    "head",
    "frameset",
    "mglyph",
    "mtext",
    "foreignObject",
    "animate",
    "set",
    "use",
    "x-widget",
    "image",
    "isindex",
    "track",
    "keygen",
    "annotation-xml",
    "desc",
    "malignmark",
    "noframes",
    "iframe",
    "listing",
]
ATTRIBUTES = [
    "href",
    "src",
    "srcset",
    "data-src",
    "data-srcset",
    "style",
    "class",
    "id",
    "onclick",
    "onerror",
    "onload",
    "action",
    "formaction",
    "xlink:href",
    "title",
    "alt",
    "width",
    "height",
    "lang",
    "dir",
    "colspan",
    "rel",
    "target",
    "cite",
    "datetime",
    "background",
    "poster",
    "srcdoc",
]
URLISH = st.sampled_from(
    [
        "javascript:alert(1)",
        "JaVaScRiPt:x",
        " javascript:x",
        "java\tscript:x",
        "vbscript:x",
        "data:text/html,<script>x</script>",
        "data:image/png;base64,AAAA",
        "mailto:a@b.example",
        "https://ok.example/a.jpg",
        "/rel.jpg",
        "rel.jpg 1x, javascript:x 2x",
        "a.jpg 2x,b.jpg 640w",
        'x" onerror="y',
        "&#106;avascript:x",
        "//cdn.example/i.png",
        "",
        "1",
        "0",
    ]
)
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
VALUES = st.one_of(URLISH, TEXT)
ATTRIBUTE = st.tuples(st.sampled_from(ATTRIBUTES), VALUES).map(
    lambda pair: f' {pair[0]}="{pair[1].replace(chr(34), "&quot;")}"'
)
# Markup fragments, including broken ones (unclosed tags, stray end tags, comments, CDATA).
FRAGMENTS = [
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "</p>",
    "<",
    ">",
    '"',
    "'",
    "</script>",
    "&",
    "\0",
    "&lt;img src=x onerror=alert(1)&gt;",
    "&lt;b&gt;",
    "&quot;",
    "&amp;",
    "&#0;",
]
PIECES = st.one_of(
    TEXT,
    st.sampled_from(FRAGMENTS),
    st.tuples(st.sampled_from(TAGS), st.lists(ATTRIBUTE, max_size=3)).map(
        lambda tag: f"<{tag[0]}{''.join(tag[1])}>"
    ),
    st.sampled_from(TAGS).map(lambda tag: f"</{tag}>"),
)
MARKUP = st.lists(PIECES, max_size=40).map("".join)
# Character soup: markup's special characters and keywords in any order, tags half-formed.
SOUP = st.lists(
    st.sampled_from(
        list("<>/=\"'&;!?-[]:# \n\t")
        + [
            "img",
            "script",
            "a",
            "href",
            "src",
            "srcset",
            "svg",
            "math",
            "style",
            "title",
            "noscript",
            "template",
            "on",
            "javascript",
            "&lt;",
            "&#",
            "p",
        ]
    ),
    max_size=60,
).map("".join)
# A page readability-lxml may take for an article: prose paragraphs around the generated markup.
PROSE = "<p>" + "The council voted on the plan for the harbour and the market square. " * 5 + "</p>"
PAGES = MARKUP.map(
    lambda markup: f"<html><head><title>T</title></head><body>{PROSE}{markup}{PROSE}</body></html>"
)
BYTES = st.one_of(st.binary(max_size=400), MARKUP.map(lambda text: text.encode("utf-8", "replace")))
CONTENT_TYPES = st.sampled_from(invariants.CONTENT_TYPES)
# Base URLs a caller might pass by mistake, and markup whose URLs are all relative to it.
BASES = ["http://[::1", "http://a:99999/", "javascript:alert(1)", "", "//x", "http://a b/"]
LINKED = '<a href="x">l</a><img src="/i.jpg" srcset="a.jpg 1x"><blockquote cite="c">q</blockquote>'
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(MARKUP)
def test_sanitise_output_always_passes_the_allowlist(html: str) -> None:
    invariants.check_sanitise(html)


@SETTINGS
@given(st.text(max_size=300))
def test_sanitise_survives_any_text(html: str) -> None:
    invariants.check_sanitise(html)


@SETTINGS
@given(SOUP)
def test_sanitise_output_of_markup_soup_is_clean_and_stable(html: str) -> None:
    invariants.check_sanitise_stable(html)


@SETTINGS
@given(MARKUP)
@example("<A><TRACK><A>")  # a link nested in a link once an unknown element was unwrapped
def test_sanitise_is_stable_on_its_own_output(html: str) -> None:
    invariants.check_sanitise_stable(html)


@SETTINGS
@given(st.one_of(st.text(max_size=40), st.sampled_from(BASES)))
def test_sanitise_survives_any_base_url(base_url: str) -> None:
    invariants.check_sanitise(LINKED, base_url)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PAGES)
def test_pipeline_articles_always_pass_the_allowlist(page: str) -> None:
    invariants.check_process(page.encode("utf-8"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BYTES, CONTENT_TYPES)
def test_pipeline_survives_any_bytes(body: bytes, content_type: str | None) -> None:
    invariants.check_process(body, content_type)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<!",
        b"\x00\x00\x00",
        b"\xff\xfe\x00<\x00p\x00>",
        b"<html></html>",
        b"<?xml version='1.0'?><p>x</p>",
        b"<" * 10_000,
        b"<div>" * 5_000,
        ("<p>" + "\u202e" * 100 + "</p>").encode(),
    ],
)
def test_pipeline_edge_bodies(body: bytes) -> None:
    invariants.check_process(body)
