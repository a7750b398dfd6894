"""The "Full-text feed" entry, in Chromium and Firefox ESR: shown only when the server's /healthz
lists the "feeds" feature, and opening the server's /feed?url= for the feed the page declares.

The server is mostly a stand-in on 127.0.0.1 that answers /healthz as Declutter does, with or
without the feature, and CORS as Declutter does for extension origins; one test checks the entry
follows what a real Declutter lists, whichever that is.

No API reads a menu entry back, so the tests take the entry's state from
``declutter.refreshMenus()``, which sets it, and in Firefox also from the real menus, the page's
and the toolbar button's, where the entry is picked for real (which grants activeTab). Chromium
lets automation pick no entry: its tests call the handler (both menus call the same one), which
nothing grants activeTab, so its build here also holds the test site's host (http://127.0.0.1/*),
which the store build does not.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import free_port
from extension_browsers import Extension, Tab, wait_until
from extension_harness import BROWSERS, StartServer, build, start_browser
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

FEED_ENTRY = "declutter-full-text-feed"
# The server's health report without and with full-text feeds.
HEALTH = {"service": "declutter", "status": "ok"}
WITH_FEEDS = {**HEALTH, "features": ["feeds"]}
TEST_HOSTS = ["http://127.0.0.1/*"]
# Where the entry shows: the page's menu (opened on its heading) and the toolbar button's (None).
MENUS = ("h1", None)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store builds; Chrome's with the test site's host granted (see the module's note)."""
    out = build(tmp_path_factory.mktemp("dist-feeds"))
    path = out / "chrome" / "manifest.json"
    manifest = json.loads(path.read_text())
    path.write_text(json.dumps({**manifest, "host_permissions": TEST_HOSTS}))
    return out


@pytest.fixture(scope="module", params=BROWSERS)
def extension_browser(request: pytest.FixtureRequest, builds: Path) -> Iterator[Extension]:
    """This module's own browser of each kind, with the builds above."""
    yield from start_browser(request, builds)


def stand_in(report: dict[str, object]) -> Iterator[str]:
    """A server on 127.0.0.1 answering /healthz with ``report`` and /feed with the address asked."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)

    def answer(request: Request, body: str, media: str) -> Response:
        origin = request.headers.get("Origin", "*")
        return Response(body, content_type=media, headers={"Access-Control-Allow-Origin": origin})

    server.expect_request("/healthz").respond_with_handler(
        lambda request: answer(request, json.dumps(report), "application/json")
    )
    server.expect_request("/feed").respond_with_handler(
        lambda request: answer(request, f"Full text of {request.args['url']}", "text/plain")
    )
    server.start()
    yield server.url_for("/").rstrip("/")
    server.stop()


@pytest.fixture
def feeds_server() -> Iterator[str]:
    yield from stand_in(WITH_FEEDS)


@pytest.fixture
def plain_server() -> Iterator[str]:
    yield from stand_in(HEALTH)


def shows_the_entry(extension: Extension, tab: Tab) -> bool:
    """Whether the entry shows: as the extension set it, and in Firefox as its real menus show."""
    offered = extension.run("({ declutter }) => declutter.refreshMenus()")
    for menu in MENUS:
        entries = extension.menu_entries(tab, on=menu)
        if entries is not None:
            assert (FEED_ENTRY in entries) is offered, (menu, entries)
    return offered


def test_the_entry_shows_only_when_the_server_serves_feeds(
    extension: Extension,
    feeds_server: str,
    plain_server: str,
    site: HTTPServer,
) -> None:
    tab = extension.visit(site.url_for("/coast"), server=plain_server)
    assert not shows_the_entry(extension, tab)
    extension.configure(server=feeds_server)
    assert shows_the_entry(extension, tab)
    extension.configure(server=f"http://127.0.0.1:{free_port()}")  # nothing listens there
    assert not shows_the_entry(extension, tab)


def test_the_entry_follows_what_a_real_declutter_lists(
    extension: Extension,
    declutter: StartServer,
    site: HTTPServer,
) -> None:
    base = declutter()
    with urllib.request.urlopen(f"{base}/healthz") as answer:
        listed = "feeds" in json.load(answer).get("features", [])
    tab = extension.visit(site.url_for("/coast"), server=base)
    assert shows_the_entry(extension, tab) is listed


@pytest.mark.parametrize("menu", MENUS)
def test_the_entry_opens_the_full_text_feed_of_the_pages_first_feed(
    extension: Extension,
    feeds_server: str,
    site: HTTPServer,
    menu: str | None,
) -> None:
    tab = extension.visit(site.url_for("/coast"), server=feeds_server)
    extension.pick_menu(tab, {"menuItemId": FEED_ENTRY, "pageUrl": tab.url()}, on=menu)
    feed = site.url_for("/coast/atom.xml")
    body = tab.wait_for(f"{feeds_server}/feed?url={urllib.parse.quote(feed, safe='')}")
    assert body == f"Full text of {feed}"


def test_a_page_without_a_feed_says_so(
    extension: Extension,
    feeds_server: str,
    site: HTTPServer,
) -> None:
    tab = extension.visit(site.url_for("/article"), server=feeds_server)
    extension.pick_menu(tab, {"menuItemId": FEED_ENTRY, "pageUrl": tab.url()}, on="h1")
    wait_until(extension.says(tab, "declares no RSS or Atom feed"), "the button to say so")
    assert tab.url() == site.url_for("/article")
