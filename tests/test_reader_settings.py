"""The reader's settings and print layout, in the app and in a real Chromium.

Each setting is a button of the page's form; the tests press it in Chromium, read the computed
style it should change, and check that the article page itself came back as the same bytes with
the same ETag (only /prefs.css differs per reader). Print is checked by media emulation.

``UPDATE_SCREENSHOTS=1`` writes the README's screenshot (tests/screenshots/reader-settings.png).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser, Page
from pytest_httpserver import HTTPServer

from proxy.web import prefs
from tests.conftest import PAGES
from tests.test_xss import chromium, live_app  # noqa: F401 (fixtures: the browser, the app served)

SCREENSHOT = Path(__file__).parent / "screenshots" / "reader-settings.png"
HTML = "text/html; charset=utf-8"
# A page with prose, maths, code and a link: something for every setting to change.
ARTICLE = (
    (PAGES / "faithful-mathml" / "source.html")
    .read_bytes()
    .replace(
        b"</article>",
        (
            b'<p>The full tables are on <a href="https://river.example/tables">the authority\'s '
            b"site</a>,"
            b" with the script that drew them:</p><pre><code>plot(levels)<br>save()</code></pre>"
            b"</article>"
        ),
    )
)


# --- In the app ----------------------------------------------------------------------------------


@pytest.fixture
def article_url(upstream: HTTPServer) -> str:
    upstream.expect_request("/notes/maths").respond_with_data(ARTICLE, content_type=HTML)
    return upstream.url_for("/notes/maths")


def test_a_choice_is_saved_in_a_cookie_and_the_page_comes_back(client, article_url) -> None:
    direct = f"/{article_url}?utm=1"
    response = client.post(direct, data={"theme": "sepia", "size": "xl", "width": "<b>"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"http://localhost{direct}"
    assert prefs.choices(client.get_cookie(prefs.COOKIE).value) == {
        **prefs.DEFAULTS,
        "theme": "sepia",
        "size": "xl",
    }
    css = client.get(prefs.STYLESHEET)
    assert "--bg: #f4ecd8" in css.text and "--size: 1.625rem" in css.text
    assert css.headers["Cache-Control"] == "private, no-store" and css.headers["Vary"] == "Cookie"


def test_the_article_page_is_the_same_bytes_whatever_the_settings(client, article_url) -> None:
    before = client.get("/read", query_string={"url": article_url})
    client.post(f"/read?url={quote(article_url, safe='')}", data={"face": "sans"})
    after = client.get("/read", query_string={"url": article_url})
    assert after.headers["X-Cache"] == "HIT"
    assert (after.data, after.headers["ETag"]) == (before.data, before.headers["ETag"])
    assert "Set-Cookie" not in after.headers and "Vary" not in after.headers


def test_reset_forgets_every_choice(client) -> None:
    client.post("/read/r/abc", data={"theme": "dark"})
    response = client.post("/read/r/abc", data={"reset": "1"})
    assert response.headers["Location"] == "http://localhost/read/r/abc"
    assert client.get_cookie(prefs.COOKIE) is None


@pytest.mark.parametrize("path", ["/healthz", "/nothing/here", "/api/v2/article"])
def test_other_paths_take_no_settings(client, path: str) -> None:
    assert client.post(path, data={"theme": "dark"}).status_code in (404, 405)
    assert client.get_cookie(prefs.COOKIE) is None


def test_the_way_back_stays_on_this_server(client) -> None:
    sent_as = {"RAW_URI": "//https://evil.example/x", "REQUEST_URI": "//https://evil.example/x"}
    response = client.post(
        "/https://evil.example/x", data={"theme": "dark"}, environ_overrides=sent_as
    )
    assert response.headers["Location"] == "http://localhost/https://evil.example/x"


@pytest.mark.parametrize(
    ("cookie", "kept"),
    [
        ("theme=neon", {}),
        ("size=xl;x", {}),
        ("%ff%00=1&size=xl", {"size": "xl"}),
        ("a=" + "b" * 5000, {}),
        ("theme=dark&theme=sepia", {"theme": "sepia"}),
    ],
)
def test_a_bad_cookie_value_gives_the_default(cookie: str, kept: dict[str, str]) -> None:
    assert prefs.choices(cookie) == {**prefs.DEFAULTS, **kept}


# --- In Chromium ---------------------------------------------------------------------------------


@pytest.fixture
def reader(
    chromium: Browser,  # noqa: F811 (the fixture imported above)
    live_app: str,  # noqa: F811
    article_url: str,
) -> Iterator[tuple[Page, str]]:
    """A Chromium page on the reader page of the article, and that page's address."""
    context = chromium.new_context(viewport={"width": 900, "height": 760})
    page = context.new_page()  # no request is intercepted: interception turns the browser's cache
    # off and sends "no-cache", which Declutter reads as a refresh. The page loads only loopback.
    address = f"{live_app}/read?url={quote(article_url, safe='')}"
    yield page, address
    context.close()


def style(page: Page, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, f"el => getComputedStyle(el).{prop}")


def choose(page: Page, name: str, value: str) -> tuple[bytes, str]:
    """Press one button of the settings form; the reader page's bytes and ETag as it came back."""
    page.click(".settings summary")
    with page.expect_response(
        lambda r: urlsplit(r.url).path == "/read" and r.request.method == "GET"
    ) as answer:
        page.click(f'.settings button[name="{name}"][value="{value}"]')
    page.wait_for_load_state()
    return answer.value.body(), answer.value.headers["etag"]


# Each setting, a value, and what it must change: (selector, computed property, new value).
EFFECTS = [
    ("size", "xl", "body", "fontSize", "26px"),
    ("width", "wide", "main", "maxWidth", "864px"),
    ("face", "sans", "body", "fontFamily", "system-ui"),
    ("theme", "sepia", "html", "backgroundColor", "rgb(244, 236, 216)"),
    ("theme", "dark", "html", "backgroundColor", "rgb(21, 23, 26)"),
]


def test_each_setting_changes_what_it_should_and_the_page_stays_the_same(reader) -> None:
    page, address = reader
    first = page.goto(address)
    assert first is not None and first.status == 200
    original = (first.body(), first.headers["etag"])
    for name, value, selector, prop, expected in EFFECTS:
        before = style(page, selector, prop)
        assert choose(page, name, value) == original, name
        after = style(page, selector, prop)
        assert after != before and after.startswith(expected), (name, before, after)
        chosen, other = (
            style(page, f'.settings button[name="{name}"][value="{v}"]', "backgroundColor")
            for v in (value, prefs.DEFAULTS[name])
        )
        assert chosen != other, name  # the current choice is marked
    choose(page, "theme", "sepia")
    choose(page, "size", "m")
    page.click(".settings summary")
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), type="png")


def test_screenshots_differ_between_themes(reader) -> None:
    page, address = reader
    page.goto(address)
    light = page.screenshot()
    choose(page, "theme", "dark")
    assert page.screenshot() != light


def test_print_shows_the_article_alone_with_its_source_and_link_addresses(reader) -> None:
    page, address = reader
    page.goto(address)
    assert style(page, ".site-bar", "display") != "none"
    assert style(page, ".source-url", "display") == "none"
    page.emulate_media(media="print")
    for hidden in (".site-bar", ".settings", ".tools"):
        assert style(page, hidden, "display") == "none", hidden
    assert style(page, ".source-url", "display") == "block"
    after_link = page.eval_on_selector(
        ".content a", "el => getComputedStyle(el, '::after').content"
    )
    footnote = '" [" counter(link) ": " attr(href) "]"'
    assert after_link == footnote or "river.example/tables" in after_link
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")
