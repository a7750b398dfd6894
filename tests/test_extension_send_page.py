"""'Send the page as I see it' in Chromium and Firefox ESR, the button pressed for real: the live
DOM of a page only this browser's cookie unlocks, a sign-in wall refused before sending, and the
API token the server checks."""

from __future__ import annotations

import urllib.parse

from extension_browsers import Extension
from extension_harness import (
    PROMO,
    SCRIPT_TEXT,
    SUBSCRIBER_COOKIE,
    SUBSCRIBER_TEXT,
    StartServer,
    read_page,
)
from pytest_httpserver import HTTPServer


def test_send_page_as_seen_reads_a_subscriber_page(
    extension: Extension,
    declutter: StartServer,
    site: HTTPServer,
) -> None:
    base = declutter()
    story = site.url_for("/subscriber")
    server_alone = read_page(f"{base}/read?url={urllib.parse.quote(story, safe='')}")
    assert "Sign in to keep reading" in server_alone and SUBSCRIBER_TEXT not in server_alone
    extension.add_cookie(SUBSCRIBER_COOKIE, "yes", story)
    tab = extension.visit(story, server=base, sendPage=True)
    extension.press_until(tab, lambda: tab.url().startswith(f"{base}/read/r/"))
    body = tab.wait_for(f"{base}/read/r/")
    assert SUBSCRIBER_TEXT in body and SCRIPT_TEXT in body
    assert PROMO not in body


def test_send_page_as_seen_refuses_a_sign_in_wall(
    extension: Extension,
    declutter: StartServer,
    site: HTTPServer,
) -> None:
    tab = extension.visit(site.url_for("/subscriber"), server=declutter(), sendPage=True)
    extension.press_until(tab, extension.says(tab, "holds no article"))
    assert tab.url() == site.url_for("/subscriber")


def test_send_page_as_seen_sends_the_api_token(
    extension: Extension,
    declutter: StartServer,
    site: HTTPServer,
) -> None:
    base = declutter(DECLUTTER_TOKENS="right-token")
    tab = extension.visit(site.url_for("/article"), server=base, sendPage=True, token="wrong-token")
    extension.press_until(tab, extension.says(tab, "needs an API token"))
    extension.configure(token="right-token")
    # The POST is accepted; the reader page itself wants this browser signed in first.
    extension.press_until(tab, lambda: tab.url().startswith(f"{base}/signin?next=/read/r/"))
