"""XSS: each vector of tests/xss/vectors.txt through sanitise(), the API, the reader and Chromium.

Outputs are judged by parsing them, twice: with the sanitiser's own html5lib-based ``violations``
and with the independent lxml check below. The browser tests load the result in a real headless
Chromium and look for the marker every payload sets (``top.__xss``), for dialogs and for requests
to the upstream's /leak. A control run loads the raw vectors and must see the marker, so the
harness is shown able to fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit

import lxml.html
import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, Playwright, Request, Route
from pytest_httpserver import HTTPServer
from servers import werkzeug_server

from proxy import create_app
from proxy.content.sanitise import sanitise, violations

VECTORS_FILE = Path(__file__).parent / "xss" / "vectors.txt"
# What every payload does: set a marker on the top window (frames included).
PAYLOAD = "top.__xss=1"
# Tokens in vectors.txt and what they stand for (LEAK is filled in per upstream server).
TOKENS = {"PAYLOAD": PAYLOAD, "NULCHAR": "\x00", "CTRLCHAR": "\x01"}
# Schemes a URL in the output may have ("" = relative: the reader page's own links).
SAFE_SCHEMES = frozenset({"", "http", "https", "mailto"})
# Attributes that hold URLs in some element of HTML, SVG or MathML.
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "poster",
        "background",
        "data",
        "cite",
        "dynsrc",
        "lowsrc",
        "codebase",
        "longdesc",
        "usemap",
        "manifest",
        "icon",
        "profile",
        "classid",
        "archive",
    }
)
# Attributes never acceptable: they hold a document or a ping target, or animate other attributes.
FORBIDDEN_ATTRIBUTES = frozenset(
    {
        "style",
        "srcdoc",
        "ping",
        "to",
        "values",
        "from",
        "by",
        "attributename",
    }
)
# Elements that execute, embed, submit, redirect or change how the page parses. MathML is kept
# under the sanitiser's allowlist, but not its actions, its image or its way back into HTML.
FORBIDDEN_ELEMENTS = frozenset(
    {
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "base",
        "svg",
        "maction",
        "mglyph",
        "annotation-xml",
        "template",
        "noscript",
        "form",
        "input",
        "button",
        "textarea",
        "select",
        "isindex",
        "keygen",
        "xmp",
        "plaintext",
        "noembed",
        "noframes",
        "video",
        "audio",
        "marquee",
        "animate",
        "set",
    }
)
HTML = "text/html; charset=utf-8"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
# Words around each vector so that readability-lxml sees an article, not a fragment.
PROSE = (
    "The committee met on Tuesday to discuss the new budget, which includes funding for "
    "parks, libraries and the repair of the old bridge over the river. "
) * 4

# Run in the page after load: fire the events inline handlers listen for, then list URL attributes
# whose scheme, as the browser resolves it, is not http(s) or mailto.
BROWSER_PROBE = """() => {
  const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'data'];
  const SCHEMES = ['http:', 'https:', 'mailto:'];
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const type of ['mouseover', 'mouseenter', 'focus', 'toggle', 'load', 'error']) {
      el.dispatchEvent(new Event(type));
    }
    // the reader's own settings buttons would submit their form and leave the page
    if (el.tagName !== 'A' && !el.closest('.site-bar')) el.dispatchEvent(new MouseEvent('click'));
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) bad.push(el.tagName + ' ' + attr.name);
      if (URL_ATTRIBUTES.includes(attr.name)) {
        const scheme = new URL(attr.value, document.baseURI).protocol;
        if (!SCHEMES.includes(scheme)) bad.push(el.tagName + ' ' + attr.value);
      }
    }
  }
  return bad;
}"""


def load_vectors() -> list[tuple[str, str]]:
    """(name, vector) pairs from vectors.txt, tokens still in place."""
    chunks = re.split(r"^## (.+)\n", VECTORS_FILE.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return [
        (name, body.rstrip("\n")) for name, body in zip(chunks[1::2], chunks[2::2], strict=True)
    ]


VECTORS = load_vectors()


def expand(vector: str, leak: str) -> str:
    """The vector with its tokens replaced; ``leak`` is the URL nothing may request."""
    for token, value in TOKENS.items():
        vector = vector.replace(token, value)
    return vector.replace("LEAK", leak)


def _bad_url(value: str) -> bool:
    try:
        return urlsplit(value.strip()).scheme.lower() not in SAFE_SCHEMES
    except ValueError:
        return True


def _bad_srcset(value: str) -> bool:
    return any(_bad_url(part.split()[0]) for part in value.split(",") if part.split())


def executable(root: lxml.html.HtmlElement) -> list[str]:
    """What in a parsed tree could run script, load a style or leave the page: [] when nothing."""
    found = []
    for element in root.iter(lxml.etree.Element):
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag.rpartition(":")[2] in FORBIDDEN_ELEMENTS:
            found.append(f"<{tag}>")
        if tag == "meta" and element.get("http-equiv") is not None:
            found.append("<meta http-equiv>")
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on") or name in FORBIDDEN_ATTRIBUTES:
                found.append(f"{name} on <{tag}>")
            elif (
                name in URL_ATTRIBUTES
                and _bad_url(value)
                or name == "srcset"
                and _bad_srcset(value)
            ):
                found.append(f"{name}={value!r} on <{tag}>")
    return found


def check_fragment(html: str) -> None:
    """Article HTML must pass the sanitiser's own check and the independent one."""
    assert violations(html) == []
    assert executable(lxml.html.fragment_fromstring(html, create_parent="div")) == []
    assert "<script" not in html.lower()


def article_page(vectors: list[str]) -> str:
    """An article page with each vector in the middle of a paragraph of prose, where readability
    keeps it (a vector alone in its own block is mostly dropped before the sanitiser sees it)."""
    sections = "".join(f"<p>{PROSE}</p>\n<p>{PROSE} {vector} {PROSE}</p>\n" for vector in vectors)
    return (
        f"<!doctype html><html><head><title>Budget news</title></head><body><article>"
        f"<h1>Budget news</h1>{sections}</article></body></html>"
    )


def without_own_controls(page: str) -> lxml.html.HtmlElement:
    """A reader page without its bar: the bar's settings form and buttons are the template's own,
    and only one of them (the article's content is checked whole)."""
    document = lxml.html.document_fromstring(page)
    bars = document.find_class("site-bar")
    assert len(bars) == 1 and len(document.findall(".//form")) <= 1
    bars[0].drop_tree()
    return document


def test_the_suite_holds_at_least_60_vectors() -> None:
    assert len(VECTORS) >= 60
    assert len({name for name, _ in VECTORS}) == len(VECTORS)


@pytest.mark.parametrize(("name", "vector"), VECTORS, ids=[name for name, _ in VECTORS])
def test_sanitise_leaves_nothing_executable(name: str, vector: str) -> None:
    html = expand(vector, "http://127.0.0.1:9/leak")
    out = sanitise(html, "http://127.0.0.1:9/articles/one.html")
    check_fragment(out)
    assert loaded_urls(out, "/leak") == []


def loaded_urls(html: str, part: str) -> list[str]:
    """Where ``part`` appears in ``html`` other than as a link's address (an embed becomes a link
    to what it showed, which a reader may follow; nothing loads it by itself)."""
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    for link in tree.iter("a"):
        link.attrib.pop("href", None)
    rest = lxml.html.tostring(tree, encoding="unicode")
    return [rest] if part in rest else []


def test_the_independent_check_catches_raw_vectors() -> None:
    trees = [
        lxml.html.fragment_fromstring(expand(vector, "http://h/leak"), create_parent="div")
        for _, vector in VECTORS
    ]
    caught = [tree for tree in trees if executable(tree)]
    assert len(caught) >= len(VECTORS) * 0.75


# --- Through the app -----------------------------------------------------------------------------

# Rate limits far above the few hundred requests a test here makes from one address.
NO_LIMITS = {"DECLUTTER_RATE_LIMIT": "100000/minute", "DECLUTTER_FETCH_RATE_LIMIT": "100000/minute"}


@pytest.fixture
def app(settings_env: dict[str, str]) -> Flask:
    """The app of conftest, without the rate limits a user would hit."""
    return create_app({**settings_env, **NO_LIMITS})


def serve_vector_pages(upstream: HTTPServer) -> list[str]:
    """Register one article page per vector on the upstream server; return their URLs."""
    urls = []
    for number, (_, vector) in enumerate(VECTORS):
        path = f"/vector/{number}"
        page = article_page([expand(vector, upstream.url_for("/leak"))])
        upstream.expect_request(path).respond_with_data(page, content_type=HTML)
        urls.append(upstream.url_for(path))
    return urls


def leaks(upstream: HTTPServer) -> list[str]:
    return [request.path for request, _ in upstream.log if request.path.startswith("/leak")]


def test_api_content_html_is_clean_for_every_vector(client, upstream: HTTPServer) -> None:
    failures = {}
    for (name, _), url in zip(VECTORS, serve_vector_pages(upstream), strict=True):
        response = client.get(f"/api/v1/article?url={quote(url, safe='')}")
        assert response.status_code == 200, (name, response.get_json())
        content = response.get_json()["content_html"]
        try:
            check_fragment(content)
        except AssertionError as error:
            failures[name] = str(error)
    assert failures == {}
    assert leaks(upstream) == []


def test_posted_pages_come_back_clean_for_every_vector(client) -> None:
    """The extension's way in: the caller's own copy of a page, POSTed, never fetched."""
    failures = {}
    for name, vector in VECTORS:
        page = article_page([expand(vector, "http://127.0.0.3/leak")])
        posted = {"url": "https://news.example/a", "html": page}
        response = client.post("/api/v1/article", json=posted)
        assert response.status_code == 200, (name, response.get_json())
        try:
            check_fragment(response.get_json()["content_html"])
        except AssertionError as error:
            failures[name] = str(error)
    assert failures == {}


def test_reader_page_is_clean_for_every_vector(client, upstream: HTTPServer) -> None:
    failures = {}
    for (name, _), url in zip(VECTORS, serve_vector_pages(upstream), strict=True):
        response = client.get(f"/read?url={quote(url, safe='')}")
        assert response.status_code == 200, name
        found = executable(without_own_controls(response.get_data(as_text=True)))
        if found:
            failures[name] = found
    assert failures == {}


@pytest.mark.parametrize(
    "head",
    [
        f'<meta property="og:image" content="javascript:{PAYLOAD}">',
        '<meta property="og:image" content="data:image/svg+xml,&lt;svg onload=alert(1)&gt;">',
        f'<link rel="canonical" href="javascript:{PAYLOAD}">',
        f'<script type="application/ld+json">{{"@type": "NewsArticle",'
        f' "image": "javascript:{PAYLOAD}", "url": "javascript:{PAYLOAD}",'
        f' "author": {{"name": "<img src=x onerror={PAYLOAD}>"}}}}</script>',
    ],
    ids=["og-image-javascript", "og-image-data-svg", "canonical-javascript", "json-ld"],
)
def test_metadata_urls_cannot_carry_script(client, upstream: HTTPServer, head: str) -> None:
    page = article_page(["<p>plain</p>"]).replace("<title>", head + "<title>")
    upstream.expect_request("/meta").respond_with_data(page, content_type="text/html")
    url = quote(upstream.url_for("/meta"), safe="")
    article = client.get(f"/api/v1/article?url={url}").get_json()
    for field in ("lead_image", "canonical_url"):
        assert article[field] is None or _bad_url(article[field]) is False, field
    reader = client.get(f"/read?url={url}").get_data(as_text=True)
    assert executable(without_own_controls(reader)) == []


# --- In a real browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    """A headless Chromium that may only talk to loopback (see ``guard``)."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def live_app(app: Flask) -> Iterator[str]:
    """The app served over real HTTP on 127.0.0.1, for the browser; yields its base URL."""
    with werkzeug_server(app) as base:
        yield base


@contextmanager
def open_page(browser: Browser, *, bypass_csp: bool) -> Iterator[tuple[Page, list[str]]]:
    """A page whose requests off 127.0.0.1 are aborted, and a list that collects its dialogs."""
    context = browser.new_context(bypass_csp=bypass_csp)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.route("**/*", guard)
    try:
        yield page, dialogs
    finally:
        context.close()


def guard(route: Route, request: Request) -> None:
    """Let loopback requests through, abort anything else (a test never leaves the machine)."""
    if (urlsplit(request.url).hostname or "").startswith("127."):
        route.continue_()
    else:
        route.abort()


def marker_set(page: Page) -> bool:
    page.wait_for_timeout(300)
    return page.evaluate("() => top.__xss !== undefined")


def serve_blank(upstream: HTTPServer) -> None:
    upstream.expect_request("/blank").respond_with_data(
        "<!doctype html><title>blank</title>", content_type="text/html"
    )


def load_fragment(page: Page, upstream: HTTPServer, html: str) -> list[str]:
    """Open a blank page on the upstream origin, put ``html`` in its body, run the probe."""
    page.goto(upstream.url_for("/blank"))
    page.set_content(f"<!doctype html><html><body>{html}</body></html>")
    page.wait_for_timeout(300)
    return page.evaluate(BROWSER_PROBE)


def test_raw_vectors_do_run_in_chromium(chromium: Browser, upstream: HTTPServer) -> None:
    """Control: without the sanitiser the harness sees script run, so the tests below can fail."""
    serve_blank(upstream)
    leak = upstream.url_for("/leak")
    html = "".join(f"<div>{expand(vector, leak)}</div>" for _, vector in VECTORS[:30])
    with open_page(chromium, bypass_csp=True) as (page, _):
        assert load_fragment(page, upstream, html) != []
        assert marker_set(page)


def test_sanitised_vectors_do_not_run_in_chromium(chromium: Browser, upstream: HTTPServer) -> None:
    serve_blank(upstream)
    base, leak = upstream.url_for("/articles/one.html"), upstream.url_for("/leak")
    html = "".join(
        f"<section>{sanitise(expand(vector, leak), base)}</section>" for _, vector in VECTORS
    )
    with open_page(chromium, bypass_csp=True) as (page, dialogs):
        assert load_fragment(page, upstream, html) == []
        assert not marker_set(page)
    assert dialogs == [] and leaks(upstream) == []


@pytest.mark.parametrize("bypass_csp", [True, False], ids=["without-csp", "with-csp"])
def test_reader_page_runs_no_script_in_chromium(
    chromium: Browser, upstream: HTTPServer, live_app: str, bypass_csp: bool
) -> None:
    page_html = article_page([expand(vector, upstream.url_for("/leak")) for _, vector in VECTORS])
    upstream.expect_request("/all").respond_with_data(page_html, content_type=HTML)
    with open_page(chromium, bypass_csp=bypass_csp) as (page, dialogs):
        response = page.goto(f"{live_app}/read?url={quote(upstream.url_for('/all'), safe='')}")
        assert response is not None and response.status == 200
        assert "hover me" in page.content()  # the vectors reached the page, cleaned
        assert page.evaluate(BROWSER_PROBE) == []
        assert not marker_set(page)
    assert dialogs == [] and leaks(upstream) == []
