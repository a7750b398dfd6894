"""Cache integrity under attack: an entry holds the page its key names, a failure never hides a
copy, and no other page can make a reader's browser refresh one. Through the real app, real Redis
and a real upstream on 127.0.0.1."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from servers import werkzeug_server
from werkzeug import Request as Seen
from werkzeug import Response as Answer

from proxy import create_app

STORY = "/story"
CANONICAL = "id=42"
# Spellings of ?id=42 plus something the cache key ignores or orders differently (issue 14, item 5).
VARIANTS = [
    "id=42&utm_source=X",
    "utm_source=X&id=42",
    "id=42&UTM_SOURCE=X",
    "id=42&Utm_Medium=y",
    "id=42&uTm_campaign=z",
    "id=42&utm%5Fsource=X",
    "id=42&%75tm_source=X",
    "id=42&UTM%5fterm=X",
    "id=42&fbclid=abc",
    "id=42&FBCLID=abc",
    "id=42&fb%63lid=abc",
    "id=42&_ga=1.2.3",
    "id=42&_GA=1",
    "id=42&gclid=1",
    "id=42&msclkid=1",
    "id=42&mc_cid=1&mc_eid=2",
    "id=42&utm_source=x;id=43",
    "id=42&utm_source=x%3Bid%3D43",
    "id=42&utm_source=%26id%3D43",
    "id=42&fbclid=1;id=43;x=y",
    "id=42&utm_source=a&utm_source=b",
    "id=42&utm_source",
    "id=42&utm_source=",
    "fbclid=1&id=42",
    "utm_source=a&fbclid=b&id=42&_ga=c",
    "id=42&&utm_medium=x&",
    "id=42&utm_content=%00",
    "id=43&utm_source=x&id=42",
    "id=42&utm_source=x&id=43",
    "id=42&_gl=1&igshid=2&yclid=3",
]


def page_for(query: str) -> bytes:
    """An article saying which query string the site was asked with."""
    paragraphs = "".join(
        f"<p>Paragraph {n} of the story the site served for this query.</p>" for n in range(6)
    )
    return (
        f"<html><head><title>Story</title></head><body><article><h1>Story</h1>"
        f"<p>QUERY-SEEN[{query}]</p>{paragraphs}</article></body></html>"
    ).encode()


def seen_query(answer: dict) -> str:
    """The query string the site saw for the page in an API answer."""
    text = answer["text"]
    return text[text.index("QUERY-SEEN[") + 11 : text.index("]")]


@pytest.fixture
def echo(upstream) -> str:
    """A site whose page at /story says which query it was asked with; the URL without query."""
    upstream.expect_request(STORY).respond_with_handler(
        lambda request: Answer(page_for(request.query_string.decode()), content_type="text/html")
    )
    return upstream.url_for(STORY)


def api(client, url: str, **params: str):
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return client.get(f"/api/v1/article?url={quote(url, safe='')}&{query}")


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_variant_never_fills_the_entry_of_another_query(client, echo, variant):
    """Read (and even refresh) a variant: the entry of ?id=42 still holds the page of ?id=42."""
    assert api(client, f"{echo}?{CANONICAL}").status_code == 200
    assert api(client, f"{echo}?{variant}", refresh="1").status_code == 200
    again = api(client, f"{echo}?{CANONICAL}")
    assert again.headers["X-Cache"] == "HIT"
    assert seen_query(again.get_json()) == CANONICAL


@pytest.mark.parametrize("variant", VARIANTS)
def test_what_a_variant_stores_is_what_its_key_names(client, echo, variant):
    """Variant first, on an empty cache: whoever shares its entry gets their own query's page."""
    first = api(client, f"{echo}?{variant}").get_json()
    canonical = api(client, f"{echo}?{CANONICAL}")
    if canonical.headers["X-Cache"] == "HIT":  # the variant's key is ?id=42's: so was its fetch
        assert seen_query(first) == CANONICAL
    assert seen_query(canonical.get_json()) == CANONICAL


def test_the_site_is_never_sent_what_the_key_drops(client, upstream, echo):
    api(client, f"{echo}?id=42&utm_source=news&fbclid=abc&_ga=1")
    ((request, _),) = upstream.log
    assert request.query_string.decode() == CANONICAL


# -- item 6: a failure never hides a copy -------------------------------------------------------


def failing(kind: str):
    """An upstream answer of one failing kind: a cloaked variant's, a WAF's, a broken site's."""
    if kind == "no-article":
        return Answer(b"<html><body></body></html>", content_type="text/html")
    if kind == "not-html":
        return Answer(b"%PDF-1.4", content_type="application/pdf")
    return Answer(b"blocked", status=int(kind), content_type="text/html")


FAILURES = ["404", "410", "403", "401", "429", "451", "500", "502", "503", "no-article", "not-html"]


@pytest.fixture
def flaky(upstream):
    """Pages /p/<kind> that serve an article until ``broken`` is set, then fail as <kind> says."""
    broken: set[str] = set()

    def handler(request: Seen) -> Answer:
        kind = request.path.rsplit("/", 1)[1]
        return failing(kind) if kind in broken else Answer(page_for(kind), content_type="text/html")

    for kind in FAILURES:
        upstream.expect_request(f"/p/{kind}").respond_with_handler(handler)
    return broken


@pytest.mark.parametrize("kind", FAILURES)
def test_a_failed_refresh_leaves_the_fresh_copy_to_every_reader(client, upstream, flaky, kind):
    url = upstream.url_for(f"/p/{kind}")
    assert api(client, url).status_code == 200
    flaky.add(kind)
    refreshed = api(client, url, refresh="1")
    assert refreshed.status_code == 200, refreshed.get_json()
    assert refreshed.headers["X-Cache"] == "STALE"  # the refresh failed: this is the kept copy
    for _ in range(3):  # the readers after it, within the failure's error_ttl
        later = api(client, url)
        assert later.status_code == 200 and seen_query(later.get_json()) == kind
        assert later.headers["X-Cache"] == "HIT" and later.get_json()["stale"] is False
        page = client.get(f"/read?url={quote(url, safe='')}")
        assert page.status_code == 200 and b"Paragraph 5" in page.data


def test_a_failure_never_hides_a_stale_copy(settings_env, upstream, flaky):
    # fresh for 3 s, kept 3 s more as a stale copy: room for 22 answers on a busy machine
    client = create_app({**settings_env, "DECLUTTER_CACHE_TTL": "3"}).test_client()
    urls = {kind: upstream.url_for(f"/p/{kind}") for kind in FAILURES}
    for url in urls.values():
        assert api(client, url).status_code == 200
    time.sleep(3.1)
    flaky.update(FAILURES)
    for kind, url in urls.items():
        for _ in range(2):  # the fetch that fails, then the failure remembered
            answer = api(client, url)
            assert answer.status_code == 200, (kind, answer.get_json())
            assert answer.headers["X-Cache"] == "STALE" and answer.get_json()["stale"] is True


def test_without_a_copy_the_failure_is_answered_and_remembered(client, upstream, flaky):
    flaky.add("404")
    url = upstream.url_for("/p/404")
    assert api(client, url).status_code == 404
    assert api(client, url).status_code == 404
    assert len(upstream.log) == 1  # remembered for error_ttl: the site is not asked again


# -- item 7: refresh only when the reader asked for it ------------------------------------------

# Fetch Metadata of requests another page makes a reader's browser send (Sec-Fetch-Dest, -Site).
NOT_DELIBERATE = [
    ("image", "same-origin"),
    ("image", "cross-site"),
    ("image", "same-site"),
    ("image", "none"),
    ("iframe", "same-origin"),
    ("iframe", "cross-site"),
    ("frame", "same-origin"),
    ("script", "cross-site"),
    ("style", "same-origin"),
    ("font", "cross-site"),
    ("object", "same-origin"),
    ("embed", "cross-site"),
    ("audio", "same-origin"),
    ("video", "cross-site"),
    ("track", "same-origin"),
    ("worker", "same-origin"),
    ("report", "cross-site"),
    ("empty", "cross-site"),
    ("empty", "same-site"),
    ("document", "cross-site"),
    ("document", "same-site"),
    ("", "same-origin"),
]
# ... and of requests the reader makes: our pages, the address bar, a reload, a script-less client.
DELIBERATE = [
    ("document", "same-origin"),
    ("document", "none"),
    ("empty", "same-origin"),
    ("empty", "none"),
    (None, None),
]


def metadata(dest: str | None, site: str | None) -> dict[str, str]:
    if site is None:
        return {}
    mode = "navigate" if dest == "document" else "no-cors"
    return {"Sec-Fetch-Dest": dest or "", "Sec-Fetch-Site": site, "Sec-Fetch-Mode": mode}


def routes(url: str) -> list[tuple[str, dict[str, str]]]:
    """Each way in asking for a refresh of ``url``: by query and by a reload's Cache-Control."""
    quoted = quote(url, safe="")
    return [
        (f"/read?url={quoted}&refresh=1", {}),
        (f"/api/v1/article?url={quoted}&refresh=true", {}),
        (f"/read?url={quoted}", {"Cache-Control": "no-cache"}),
        (f"/{url}", {"Pragma": "no-cache"}),
        (f"/api/v1/article?url={quoted}", {"Cache-Control": "max-age=0, no-cache"}),
    ]


@pytest.mark.parametrize(("dest", "site"), NOT_DELIBERATE)
def test_another_page_cannot_make_a_browser_refresh(client, upstream, echo, dest, site):
    url = f"{echo}?{CANONICAL}"
    assert api(client, url).status_code == 200
    for path, extra in routes(url):
        answer = client.get(path, headers={**metadata(dest, site), **extra})
        assert answer.status_code == 403, path
        assert b"not_deliberate" in answer.data or b"another page" in answer.data
    assert len(upstream.log) == 1  # nothing refetched


@pytest.mark.parametrize(("dest", "site"), DELIBERATE)
def test_the_reader_can_refresh(client, upstream, echo, dest, site):
    url = f"{echo}?{CANONICAL}"
    for path, extra in routes(url):
        assert client.get(path, headers={**metadata(dest, site), **extra}).status_code == 200, path
    assert len(upstream.log) == len(routes(url))  # each one refetched


@pytest.mark.parametrize(
    ("origin", "status"),
    [
        ("chrome-extension://abcdefghijklmnopabcdefghijklmnop", 200),
        ("https://reader.example.org", 200),
        ("https://evil.example", 403),
        (None, 403),
    ],
)
def test_an_api_refresh_from_another_origin_needs_an_allowed_one(
    settings_env, echo, origin, status
):
    client = create_app(
        {**settings_env, "DECLUTTER_CORS_ORIGINS": "https://reader.example.org"}
    ).test_client()
    headers = {**metadata("empty", "cross-site"), **({"Origin": origin} if origin else {})}
    answer = client.get(f"/api/v1/article?url={quote(echo, safe='')}&refresh=1", headers=headers)
    assert answer.status_code == status


def test_a_plain_read_from_inside_a_page_is_still_served(client, echo):
    """Only the state change is refused: an <img> of an article costs a cache read, as any read."""
    url = f"/read?url={quote(echo, safe='')}"
    answer = client.get(url, headers=metadata("image", "cross-site"))
    assert answer.status_code == 200


# -- item 7 in a real browser: what Chromium sends for an article's <img> -----------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
WORDS = "The committee met on Tuesday to discuss the budget for parks and the old bridge. " * 6


@pytest.fixture
def live(settings_env: dict[str, str]) -> Iterator[str]:
    """The app over real HTTP on 127.0.0.1 (as ``declutter serve`` runs it); its base URL.

    Without the image proxy: with it on, the browser never asks for an article's own image
    addresses, and this is the set-up (DECLUTTER_IMAGE_PROXY=0) where the browser does.
    """
    with werkzeug_server(create_app({**settings_env, "DECLUTTER_IMAGE_PROXY": "0"})) as base:
        yield base


def test_an_articles_images_cannot_refresh_in_a_real_browser(
    client, upstream, echo, live, playwright
):
    """The reader page shows an article whose images point at refreshes of another cached article:
    Chromium asks for them (same origin, Sec-Fetch-Dest: image) and the site is asked nothing."""
    victim = quote(f"{echo}?{CANONICAL}", safe="")
    images = "".join(
        f'<p><img src="{live}{path}" alt="x"></p><p>{WORDS}</p>'
        for path in (f"/read?url={victim}&refresh=1", f"/api/v1/article?url={victim}&refresh=1")
    )
    upstream.expect_request("/trap").respond_with_data(
        f"<html><head><title>Trap</title></head><body><article><h1>Trap</h1><p>{WORDS}</p>"
        f"{images}</article></body></html>",
        content_type="text/html",
    )
    assert api(client, f"{echo}?{CANONICAL}").status_code == 200  # the same Redis as ``live``
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        page = browser.new_page()
        refused: list[int] = []
        page.on("response", lambda r: refused.append(r.status) if "refresh=1" in r.url else None)
        page.goto(f"{live}/read?url={quote(upstream.url_for('/trap'), safe='')}")
        page.wait_for_load_state("networkidle")
    finally:
        browser.close()
    assert refused == [403, 403]  # the browser asked, and was refused
    assert [r.path for r, _ in upstream.log].count(STORY) == 1  # the victim was not refetched
