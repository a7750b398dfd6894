"""The context menu entries in Chromium and Firefox ESR: a link read in a new tab, the page read in
its own tab. Firefox's menu is opened by a right click and the entry picked in it; Chromium lets
automation pick no entry, so there the test calls the handler a pick calls from the service worker
(see extension_browsers.py)."""

from __future__ import annotations

from extension_browsers import Extension
from extension_harness import ARTICLE_TEXT, StartServer, assert_reader_page
from pytest_httpserver import HTTPServer


def test_link_menu_opens_the_link_in_a_new_tab(
    extension: Extension,
    declutter: StartServer,
    site: HTTPServer,
) -> None:
    base = declutter()
    tab = extension.visit(site.url_for("/links"), server=base, newTab=True)
    link = tab.evaluate("() => document.getElementById('story').href")
    info = {"menuItemId": "declutter-open-link", "linkUrl": link, "pageUrl": tab.url()}
    opened = extension.opened_tab(lambda: extension.pick_menu(tab, info, on="#story"))
    assert_reader_page(opened, base, ARTICLE_TEXT)
    assert tab.url() == site.url_for("/links")


def test_page_menu_reads_the_page(
    extension: Extension,
    declutter: StartServer,
    site: HTTPServer,
) -> None:
    base = declutter()
    tab = extension.visit(site.url_for("/article"), server=base)
    extension.pick_menu(tab, {"menuItemId": "declutter-read-page", "pageUrl": tab.url()}, on="h1")
    assert_reader_page(tab, base, ARTICLE_TEXT)
