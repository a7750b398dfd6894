"""Fixtures for the extension's flows: each tests/test_extension_*.py file checks one flow in both
Chromium and Firefox ESR (tests/extension_browsers.py drives them), against real Declutter servers
and an upstream site on 127.0.0.1.

``extension`` is parametrised over the two browsers. The run starts one browser of each kind
(pytest groups the tests by browser) and shares it between the modules; every test starts from
empty settings, no cookies and no open tabs. tests/conftest.py registers this module as a plugin,
so that each fixture is defined once (imported into each test module, it would be one per module).

Missing Chromium, Firefox ESR, Node or the npm tools fails these tests: `make test` installs them.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from extension_browsers import Extension, Tab
from extension_chromium import Chromium
from extension_firefox import Firefox
from playwright.sync_api import Playwright
from pytest_httpserver import HTTPServer
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from proxy import create_app

EXTENSION = Path(__file__).resolve().parent.parent / "extension"
PAGES = Path(__file__).parent / "extension_pages"
BROWSERS = ("chromium", "firefox")
# What the fixture pages say: text that must reach the reader page, and the promo that must not.
ARTICLE_TEXT = "The last keeper, Ada Wrenfield, still walks up to the tower"
SUBSCRIBER_TEXT = "Captain Ilse Marrow, who joined the crew as a deckhand"
SCRIPT_TEXT = "her bell is to hang in the island school"  # added by the page's own script
PROMO = "PROMO: Subscribe to The Coastal Review"
SUBSCRIBER_COOKIE = "subscriber"
# The upstream site's pages: path -> fixture file under tests/extension_pages/.
SITE_PAGES = {"/article": "article.html", "/links": "links.html", "/coast": "feeds.html"}

StartServer = Callable[..., str]  # the declutter fixture: start a server, get its base URL


def build(out: Path) -> Path:
    """Run extension/build.py into ``out``: a folder and a zip per browser."""
    done = subprocess.run(
        [sys.executable, str(EXTENSION / "build.py"), str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="session")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store builds, as `make extension` makes them."""
    return build(tmp_path_factory.mktemp("dist"))


def start_browser(request: pytest.FixtureRequest, builds: Path) -> Iterator[Extension]:
    """The browser ``request.param`` names, with its build of the extension from ``builds``."""
    if request.param == "chromium":
        playwright: Playwright = request.getfixturevalue("playwright")
        profile = request.getfixturevalue("tmp_path_factory").mktemp("profile")
        started: Chromium | Firefox = Chromium(playwright, builds / "chrome", profile)
    else:
        started = Firefox(builds / "firefox")
    yield started
    started.quit()


@pytest.fixture(scope="session", params=BROWSERS)
def extension_browser(request: pytest.FixtureRequest, builds: Path) -> Iterator[Extension]:
    """One browser of each kind for the run, with that browser's store build."""
    yield from start_browser(request, builds)


@pytest.fixture
def extension(extension_browser: Extension) -> Iterator[Extension]:
    """The extension as freshly installed: default settings, no cookies, no tabs of ours."""
    extension_browser.reset()
    yield extension_browser


@pytest.fixture
def declutter(settings_env: dict[str, str]) -> Iterator[StartServer]:
    """Starts real Declutter servers (werkzeug, threaded) on free loopback ports."""
    servers = []

    def start(**config: str) -> str:
        server = make_server("127.0.0.1", 0, create_app({**settings_env, **config}), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def html(name: str, status: int = 200) -> Response:
    """A fixture page from tests/extension_pages/ as the site serves it."""
    return Response(
        (PAGES / name).read_bytes(), status=status, content_type="text/html; charset=utf-8"
    )


def subscriber_page(request: Request) -> Response:
    """The story for a browser with the subscriber cookie; a sign-in wall for everyone else."""
    subscriber = request.cookies.get(SUBSCRIBER_COOKIE) == "yes"
    return html("subscriber-story.html" if subscriber else "subscriber-wall.html")


def members_page(request: Request) -> Response:
    """The story for a browser with the subscriber cookie; 403 Forbidden for everyone else."""
    if request.cookies.get(SUBSCRIBER_COOKIE) == "yes":
        return html("subscriber-story.html")
    return html("subscriber-wall.html", status=403)


@pytest.fixture
def site() -> Iterator[HTTPServer]:
    """The upstream site on 127.0.0.1: an article with a promo, links, a subscriber-only story
    behind a sign-in wall (/subscriber) or a 403 (/members), pages declaring feeds.

    Threaded, unlike the shared ``upstream``: a browser keeps its connection open, which would
    leave a single-threaded server deaf to Declutter's own fetch.
    """
    upstream = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    for path, name in SITE_PAGES.items():
        upstream.expect_request(path).respond_with_response(html(name))
    upstream.expect_request("/subscriber").respond_with_handler(subscriber_page)
    upstream.expect_request("/members").respond_with_handler(members_page)
    upstream.start()
    yield upstream
    upstream.stop()


def read_page(url: str) -> str:
    """A page's text as a client without cookies gets it, error pages included."""
    try:
        with urllib.request.urlopen(url) as response:
            return response.read().decode()
    except urllib.error.HTTPError as error:
        return error.read().decode()


def assert_reader_page(tab: Tab, base: str, text: str) -> str:
    """The tab shows Declutter's reader page holding ``text`` and not the promo; its text."""
    body = tab.wait_for(f"{base}/read")
    assert text in body
    assert PROMO not in body
    return body
