"""Articles over several pages, served on loopback: joined in order, loops stopped, refused hops
leave the pages already read, a single-page version preferred."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from proxy import create_app, siterules
from proxy.content.pages import MAX_PAGES
from proxy.net import politeness

WORDS = "the carriage rocked gently through the dark valley towards the coast and the morning. "


def _page(number: int, next_href: str | None, rel: bool = False) -> str:
    head = f"<link rel='next' href='{next_href}'>" if rel and next_href else ""
    link = f"<a class='next' href='{next_href}'>Next page</a>" if next_href and not rel else ""
    return (
        f"<html><head><title>Long read</title>{head}</head><body><article>"
        f"<p>Part {number} begins: {WORDS * 4}</p></article>{link}</body></html>"
    )


@pytest.fixture
def make_app(settings_env: dict[str, str], tmp_path: Path):
    """Builds the app with a rule file for 127.0.0.1 (None: no rules at all)."""

    def make(rule: str | None, **env: str):
        folder = tmp_path / "rules"
        folder.mkdir(exist_ok=True)
        if rule is not None:
            (folder / "127.0.0.1.txt").write_text(rule)
        app = create_app({**settings_env, "DECLUTTER_SITE_RULES": str(folder), **env})
        return app.test_client()

    yield make
    siterules.configure(None, None)


def _serve(upstream: HTTPServer, pages: dict[str, str]) -> None:
    for path, html in pages.items():
        upstream.expect_request(path).respond_with_data(
            html, content_type="text/html; charset=utf-8"
        )


def _read(client, url: str) -> dict:
    response = client.get("/api/v1/article", query_string={"url": url})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


@pytest.mark.parametrize(
    "rule", ["next_page_link: //a[@class='next']", None], ids=["rule", "rel-next"]
)
def test_three_pages_joined_in_order(make_app, upstream: HTTPServer, rule: str | None) -> None:
    """By the host's next_page_link, or by an article's own rel=next without a rule."""
    rel = rule is None
    _serve(
        upstream, {"/p1": _page(1, "/p2", rel), "/p2": _page(2, "/p3", rel), "/p3": _page(3, None)}
    )
    data = _read(make_app(rule), upstream.url_for("/p1"))
    text = data["text"]
    assert data["pages"] == 3
    page = make_app(rule).get("/read", query_string={"url": upstream.url_for("/p1")})
    assert "Joined from 3 pages." in page.get_data(as_text=True)
    assert text.index("Part 1") < text.index("Part 2") < text.index("Part 3")


def test_loop_of_next_links_stops(make_app, upstream: HTTPServer) -> None:
    _serve(upstream, {"/p1": _page(1, "/p2"), "/p2": _page(2, "/p1?utm_source=x")})
    data = _read(make_app("next_page_link: //a[@class='next']"), upstream.url_for("/p1"))
    assert data["pages"] == 2 and data["text"].count("Part 1") == 1


def test_page_limit(make_app, upstream: HTTPServer) -> None:
    _serve(upstream, {f"/p{n}": _page(n, f"/p{n + 1}") for n in range(1, MAX_PAGES + 3)})
    assert (
        _read(make_app("next_page_link: //a[@class='next']"), upstream.url_for("/p1"))["pages"]
        == MAX_PAGES
    )


def test_next_link_to_a_refused_address_keeps_pages_read(
    make_app, upstream: HTTPServer, canary: HTTPServer, caplog
) -> None:
    """127.0.0.2 is outside DECLUTTER_ALLOW_NETWORKS: the guard refuses it; it never hears of us."""
    _serve(upstream, {"/p1": _page(1, "/p2"), "/p2": _page(2, canary.url_for("/secret"))})
    with caplog.at_level(logging.INFO, logger="proxy.content.pages"):
        data = _read(make_app("next_page_link: //a[@class='next']"), upstream.url_for("/p1"))
    assert f"next page {canary.url_for('/secret')} not read" in caplog.text
    assert data["pages"] == 2 and "Part 2" in data["text"]
    assert canary.log == []


def test_single_page_link_preferred(make_app, upstream: HTTPServer) -> None:
    whole = _page(9, None).replace("Part 9", "The whole story")
    first = _page(1, "/p2").replace("</body>", "<a class='all' href='/all'>Single page</a></body>")
    _serve(upstream, {"/p1": first, "/all": whole})
    rule = "single_page_link: //a[@class='all']\nif_page_contains: //a[@class='next']\n"
    data = _read(make_app(rule + "next_page_link: //a[@class='next']"), upstream.url_for("/p1"))
    assert data["pages"] == 1 and "The whole story" in data["text"] and "Part 1" not in data["text"]


def test_single_page_link_condition_unmet(make_app, upstream: HTTPServer) -> None:
    """if_page_contains that does not match: the single-page link is not followed."""
    first = _page(1, None).replace("</body>", "<a class='all' href='/all'>Single page</a></body>")
    _serve(upstream, {"/p1": first})
    rule = "single_page_link: //a[@class='all']\nif_page_contains: //div[@id='paged']\n"
    assert "Part 1" in _read(make_app(rule), upstream.url_for("/p1"))["text"]


def test_rel_next_off_an_article_is_not_followed(make_app, upstream: HTTPServer) -> None:
    """A listing's rel=next (no <article>, no og:type article) is not an article's next page."""
    listing = (
        _page(1, "/p2", rel=True).replace("<article>", "<div>").replace("</article>", "</div>")
    )
    _serve(upstream, {"/p1": listing})
    assert _read(make_app(None), upstream.url_for("/p1"))["pages"] == 1


@pytest.mark.usefixtures("whole_window")
def test_each_further_page_costs_a_fetch(make_app, upstream: HTTPServer) -> None:
    """A next page is charged to the requester's fetch budget like any page: with 2 fetches a
    minute, the third page is not read (the two read are kept) and the next article is refused."""
    pages = {f"/p{n}": _page(n, f"/p{n + 1}") for n in range(1, 4)}
    _serve(upstream, {**pages, "/other": _page(7, None)})
    client = make_app("next_page_link: //a[@class='next']", DECLUTTER_FETCH_RATE_LIMIT="2/minute")
    data = _read(client, upstream.url_for("/p1"))
    assert data["pages"] == 2 and "Part 2" in data["text"] and "Part 3" not in data["text"]
    other = client.get("/api/v1/article", query_string={"url": upstream.url_for("/other")})
    assert other.status_code == 429


def test_a_further_page_waits_for_its_hosts_slot(
    make_app, upstream: HTTPServer, hosts: dict[str, list[str]]
) -> None:
    """A next page on another host takes a slot of that host's cap: while every slot is held
    elsewhere the chain ends there, with the first page kept; once freed, the page is read."""
    hosts["other.test"] = ["127.0.0.1"]
    second = upstream.url_for("/p2").replace("127.0.0.1", "other.test")
    _serve(upstream, {"/p1": _page(1, second), "/q1": _page(1, second), "/p2": _page(2, None)})
    client = make_app(
        "next_page_link: //a[@class='next']",
        DECLUTTER_HOST_CONCURRENCY="1",
        DECLUTTER_FETCH_TIMEOUT="1",
    )
    app = client.application
    with app.app_context(), politeness.host_slot("other.test", app.config["SETTINGS"]):
        held = _read(client, upstream.url_for("/p1"))
    assert held["pages"] == 1 and "Part 2" not in held["text"]
    assert _read(client, upstream.url_for("/q1"))["pages"] == 2
