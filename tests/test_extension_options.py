"""The options page in Chromium and Firefox ESR, filled in and saved as a user does: the server
check, the API token, where the clean page opens, and "send the page as I see it"."""

from __future__ import annotations

from conftest import free_port
from extension_browsers import Extension, wait_until
from extension_harness import ARTICLE_TEXT, StartServer, assert_reader_page
from pytest_httpserver import HTTPServer


def test_options_page_saves_and_the_next_press_uses_the_new_server(
    extension: Extension,
    declutter: StartServer,
    site: HTTPServer,
) -> None:
    first, second = declutter(), declutter()
    article = extension.visit(site.url_for("/article"), server=first)
    extension.press_button(article)
    assert_reader_page(article, first, ARTICLE_TEXT)

    assert "is a Declutter server" in extension.save_options(f"{second}/")
    assert extension.stored()["server"] == second
    article.goto(site.url_for("/article"))
    extension.press_button(article)
    assert_reader_page(article, second, ARTICLE_TEXT)


def test_options_page_says_when_the_server_is_not_declutter_or_unreachable(
    extension: Extension,
    site: HTTPServer,
) -> None:
    assert "not a Declutter server" in extension.save_options(site.url_for("/").rstrip("/"))
    port = free_port()  # nothing listens there
    assert "Cannot reach a server" in extension.save_options(f"127.0.0.1:{port}")
    assert extension.stored()["server"] == f"http://127.0.0.1:{port}"


def test_options_page_checks_the_api_token(extension: Extension, declutter: StartServer) -> None:
    base = declutter(DECLUTTER_TOKENS="right-token")
    assert "does not accept this API token" in extension.save_options(base, token="wrong-token")
    assert "is a Declutter server" in extension.save_options(base, token="right-token")
    assert extension.stored()["token"] == "right-token"


def test_options_page_saves_the_tab_choice_and_sending_the_page(
    extension: Extension,
    declutter: StartServer,
    site: HTTPServer,
) -> None:
    base = declutter()
    extension.configure(server=base, newTab=True, sendPage=True)
    page = extension.open_options()
    wait_until(  # the page fills its form from storage after it opens; no radio is checked before
        lambda: page.evaluate("() => document.querySelector('[name=openIn]:checked') !== null"),
        "the options page to show the settings",
    )
    assert page.evaluate(
        "() => [document.querySelector('[name=openIn]:checked').value, "
        "document.getElementById('sendPage').checked]"
    ) == ["new", True]
    page.click("input[name=openIn][value=same]")
    page.click("#sendPage")
    page.click("button[type=submit]")
    wait_until(lambda: page.text("#status.good"), "the options to be saved")
    stored = extension.stored()
    assert (stored["newTab"], stored["sendPage"]) == (False, False)
    article = extension.open(site.url_for("/article"))
    extension.press_button(article)
    assert_reader_page(article, base, ARTICLE_TEXT)
    assert article.url().startswith(f"{base}/read?url=")  # read by the server, not sent
