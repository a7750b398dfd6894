"""Falling back by itself, in Chromium and Firefox ESR, the button pressed for real: when the
server cannot read the page the tab shows (a 403 from the site, a sign-in wall), the tab stays and
the button offers to send the page as shown; the next press sends it. Without an article in the
tab, the reader page opens as before."""

from __future__ import annotations

import pytest
from extension_browsers import Extension
from extension_harness import SCRIPT_TEXT, SUBSCRIBER_COOKIE, SUBSCRIBER_TEXT, StartServer
from pytest_httpserver import HTTPServer

OFFER = "Press again to send the page as you see it"


@pytest.mark.parametrize(
    "path, why",
    [
        ("/members", "The site answered with status 403"),
        ("/subscriber", "the server met a sign-in or consent wall"),
    ],
)
def test_a_page_the_server_cannot_read_is_offered_then_sent(
    extension: Extension,
    declutter: StartServer,
    site: HTTPServer,
    path: str,
    why: str,
) -> None:
    base = declutter()
    story = site.url_for(path)
    extension.add_cookie(SUBSCRIBER_COOKIE, "yes", story)
    tab = extension.visit(story, server=base)
    extension.press_until(tab, extension.says(tab, OFFER))
    assert why in extension.button_title(tab)
    assert tab.url() == story
    extension.press_until(tab, lambda: tab.url().startswith(f"{base}/read/r/"))
    body = tab.wait_for(f"{base}/read/r/")
    assert SUBSCRIBER_TEXT in body and SCRIPT_TEXT in body


def test_without_an_article_in_the_tab_the_reader_page_opens(
    extension: Extension,
    declutter: StartServer,
    site: HTTPServer,
) -> None:
    base = declutter()
    extension.configure(server=base)
    tab = extension.open(site.url_for("/subscriber"))  # the wall, for this browser too
    extension.press_until(tab, lambda: tab.url().startswith(f"{base}/read?url="))
    assert "Sign in to keep reading" in tab.wait_for(f"{base}/read?url=")
