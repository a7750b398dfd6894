"""The toolbar button, pressed for real in Chromium and Firefox ESR (see extension_browsers.py):
the reader page in the same tab or a new one, and a clear word on pages Declutter cannot read."""

from __future__ import annotations

from extension_browsers import Extension
from extension_harness import ARTICLE_TEXT, StartServer, assert_reader_page
from pytest_httpserver import HTTPServer


def test_button_opens_the_reader_page_in_the_same_tab(
    extension: Extension,
    declutter: StartServer,
    site: HTTPServer,
) -> None:
    base = declutter()
    tab = extension.visit(site.url_for("/article"), server=base)
    extension.press_button(tab)
    body = assert_reader_page(tab, base, ARTICLE_TEXT)
    assert "Related posts" not in body


def test_button_opens_the_reader_page_in_a_new_tab(
    extension: Extension,
    declutter: StartServer,
    site: HTTPServer,
) -> None:
    base = declutter()
    tab = extension.visit(site.url_for("/article"), server=base, newTab=True)
    opened = extension.opened_tab(lambda: extension.press_button(tab))
    assert_reader_page(opened, base, ARTICLE_TEXT)
    assert tab.url() == site.url_for("/article")


def test_button_on_a_page_that_is_not_http_says_so(
    extension: Extension,
    declutter: StartServer,
) -> None:
    extension.configure(server=declutter())
    tab = extension.open_options()
    extension.press_until(tab, extension.says(tab, "web pages only"))
    assert tab.url().startswith(extension.origin)
