"""Full-text feeds through the real app, from a real loopback site serving partial feeds.

Every answer is read back with feedparser (no bozo flag) and checked for what RSS 2.0 and RFC 4287
require; the site counts its requests, so the cache, the per-host cap and 304s are measured there.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import feedparser
import pytest

from proxy import create_app
from proxy.bench.load import feedsite
from proxy.content import feedsource
from proxy.formats import feedwrite

# Room for the many fetches these tests make on purpose.
OPEN_BUDGETS = {
    "DECLUTTER_FEED_RATE_LIMIT": "10000/minute",
    "DECLUTTER_FETCH_RATE_LIMIT": "10000/minute",
    "DECLUTTER_RATE_LIMIT": "10000/minute",
}


@pytest.fixture
def site():
    """The partial-feed site on 127.0.0.1 (a little delay per story, so that fetches overlap)."""
    with feedsite.serving(delay=0.02) as served:
        yield served


@pytest.fixture
def feed_app(settings_env):
    return create_app({**settings_env, **OPEN_BUDGETS})


@pytest.fixture
def feeds(feed_app):
    return feed_app.test_client()


def parsed(response) -> feedparser.FeedParserDict:
    """The answer read by feedparser, which must find nothing wrong with it."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    result = feedparser.parse(response.data)
    assert not result.bozo, result.get("bozo_exception")
    return result


def assert_rss_requirements(result) -> None:
    """RSS 2.0: channel title, link, description; each item a guid and a link."""
    assert result.version == "rss20"
    assert result.feed.title and result.feed.link and result.feed.description
    assert result.feed.generator == feedwrite.GENERATOR
    for entry in result.entries:
        assert entry.id and entry.link and entry.title


def assert_atom_requirements(result) -> None:
    """RFC 4287: feed id, title, updated and an author; each entry id, title, updated and a link."""
    assert result.version == "atom10"
    assert result.feed.id and result.feed.title and result.feed.updated and result.feed.author
    for entry in result.entries:
        assert entry.id and entry.title and entry.updated and entry.link


def test_a_partial_rss_feed_comes_back_whole(feeds, site):
    result = parsed(feeds.get("/feed", query_string={"url": f"{site.base}/rss/news?items=4"}))
    assert_rss_requirements(result)
    assert [e.id for e in result.entries] == [f"tag:feedsite,2026:news-{n}" for n in range(4)]
    for n, entry in enumerate(result.entries):
        assert feedsite.MARKER.format(slug=f"news-{n}") in entry.content[0].value
        assert entry.link == f"{site.base}/story/news-{n}" and entry.published_parsed
    assert set(site.stories_fetched().values()) == {1} and len(site.stories_fetched()) == 4


def test_a_partial_atom_feed_comes_back_as_atom(feeds, site):
    response = feeds.get("/feed", query_string={"url": f"{site.base}/atom/blog?items=3"})
    result = parsed(response)
    assert response.content_type == "application/atom+xml; charset=utf-8"
    assert_atom_requirements(result)
    assert feedsite.MARKER.format(slug="blog-2") in result.entries[2].content[0].value
    assert result.entries[0].summary == "Teaser of story blog-0 only."


def test_each_format_can_be_asked_for(feeds, site):
    url = f"{site.base}/rss/mixed?items=2"
    assert_atom_requirements(
        parsed(feeds.get("/feed", query_string={"url": url, "format": "atom"}))
    )
    data = feeds.get("/feed", query_string={"url": url, "format": "json"}).json
    assert data["version"] == feedwrite.JSON_FEED_VERSION and data["title"] == "Feed mixed"
    assert all(item["id"] and "Marker sentence" in item["content_html"] for item in data["items"])
    assert len(site.stories_fetched()) == 2  # the articles were read once for all three formats


def test_a_json_feed_is_read_too(feeds, upstream, site):
    source = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Jay",
        "items": [
            {
                "id": "j1",
                "url": f"{site.base}/story/j-1",
                "summary": "Teaser",
                "date_published": "2026-12-01T10:00:00+01:00",
            }
        ],
    }
    upstream.expect_request("/feed.json").respond_with_json(
        source, content_type="application/feed+json"
    )
    data = feeds.get("/feed", query_string={"url": upstream.url_for("/feed.json")}).json
    assert data["items"][0]["date_published"] == "2026-12-01T09:00:00Z"
    assert feedsite.MARKER.format(slug="j-1") in data["items"][0]["content_html"]


def test_the_ftr_alias_takes_ftr_parameters(feeds, site):
    url = f"{site.base}/rss/ftr?items=5"
    result = parsed(
        feeds.get(
            "/makefulltextfeed.php",
            query_string={
                "url": url,
                "max": "2",
                "summary": "1",
                "links": "remove",
                "key": "ignored",
            },
        )
    )
    assert len(result.entries) == 2
    content = result.entries[0].content[0].value
    assert content.startswith("<blockquote>Teaser of story ftr-0 only.</blockquote>")
    assert "<a " not in content


def test_a_poll_with_the_validators_gets_304(feeds, site):
    url = f"{site.base}/rss/poll?items=2"
    first = feeds.get("/feed", query_string={"url": url})
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = feeds.get(
        "/feed", query_string={"url": url}, headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""
    dated = feeds.get(
        "/feed",
        query_string={"url": url},
        headers={"If-Modified-Since": first.headers["Last-Modified"]},
    )
    assert dated.status_code == 304


def test_an_html_page_is_415_naming_the_feed_it_links(feeds, upstream):
    upstream.expect_request("/blog").respond_with_data(
        '<html><head><link rel="alternate" type="application/rss+xml" href="/blog/rss.xml"></head>'
        "<body><p>A blog</p></body></html>",
        content_type="text/html",
    )
    response = feeds.get("/feed", query_string={"url": upstream.url_for("/blog")})
    assert response.status_code == 415
    assert upstream.url_for("/blog/rss.xml") in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"<rss version='2.0'><channel><title>x</title><item", "unclosed token"),
        (b"this is not a feed <<<", "syntax error"),
        (b'{"title": "json, but not a feed"}', "not a JSON Feed"),
    ],
)
def test_a_malformed_feed_is_422_with_the_reason(feeds, upstream, body, reason):
    upstream.expect_request("/broken").respond_with_data(body, content_type="application/xml")
    response = feeds.get("/feed", query_string={"url": upstream.url_for("/broken")})
    assert response.status_code == 422
    assert reason in response.get_data(as_text=True)


def test_a_refused_item_keeps_its_summary_and_the_feed_is_served(feeds, upstream, site, canary):
    items = (
        f"<item><title>Inside</title><link>{canary.url_for('/secret')}</link><guid>in</guid>"
        "<description>Summary of the refused one</description></item>"
        f"<item><title>Out</title><link>{site.base}/story/ok-1</link><guid>out</guid></item>"
    )
    upstream.expect_request("/mixed.rss").respond_with_data(
        "<rss version='2.0'><channel><title>M</title><link>http://a/</link>"
        f"<description>d</description>"
        f"{items}</channel></rss>",
        content_type="application/rss+xml",
    )
    url = upstream.url_for("/mixed.rss")
    result = parsed(feeds.get("/feed", query_string={"url": url}))
    refused = result.entries[0].content[0].value
    assert "Summary of the refused one" in refused and "could not read the whole article" in refused
    assert "Marker sentence" in result.entries[1].content[0].value
    assert canary.log == []
    assert len(parsed(feeds.get("/feed", query_string={"url": url, "exc": "1"})).entries) == 1


def test_items_late_for_the_deadline_keep_their_summary_and_come_next_poll(settings_env):
    slow = create_app(
        {**settings_env, **OPEN_BUDGETS, "DECLUTTER_FEED_DEADLINE": "0.3"}
    ).test_client()
    with feedsite.serving(delay=0.8) as late:
        url = f"{late.base}/rss/late?items=2"
        first = parsed(slow.get("/feed", query_string={"url": url}))
        assert all(
            "still reading" in e.content[0].value and "Teaser" in e.content[0].value
            for e in first.entries
        )
        time.sleep(1.2)  # the reads went on in the background
        second = parsed(slow.get("/feed", query_string={"url": url}))
        assert all("Marker sentence" in e.content[0].value for e in second.entries)
        assert set(late.stories_fetched().values()) == {1}


@pytest.mark.parametrize(
    "query, message",
    [
        ({"format": "opml"}, "Unknown format"),
        ({"max": "many"}, "max must be"),
        ({"links": "sideways"}, "Unknown links"),
        ({"url": "feed.example/rss"}, "Give an absolute"),
        ({"url": ""}, "Give an absolute"),
    ],
)
def test_bad_parameters_are_400(feeds, query, message):
    response = feeds.get("/feed", query_string={"url": "http://127.0.0.1:9/f", **query})
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_200_items_of_20_feeds_of_one_host(feeds, feed_app, site):
    """The per-host cap holds, each article is fetched once, a second poll fetches nothing."""
    urls = [f"{site.base}/rss/f{n}?items=10" for n in range(20)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(
            pool.map(lambda u: feed_app.test_client().get("/feed", query_string={"url": u}), urls)
        )
    assert all(len(parsed(answer).entries) == 10 for answer in answers)
    stories = site.stories_fetched()
    assert len(stories) == 200 and set(stories.values()) == {1}
    assert site.most_in_flight <= feed_app.config["SETTINGS"].host_concurrency
    before = sum(site.hits.values())
    again = [feeds.get("/feed", query_string={"url": u}) for u in urls]
    assert sum(site.hits.values()) == before  # neither the feeds nor their articles again
    assert [a.data for a in again] == [a.data for a in answers]
    etag = answers[0].headers["ETag"]
    assert (
        feeds.get(
            "/feed", query_string={"url": urls[0]}, headers={"If-None-Match": etag}
        ).status_code
        == 304
    )


@pytest.mark.usefixtures("whole_window")
def test_feed_fetches_have_their_own_budget(settings_env, site):
    tight = create_app({**settings_env, "DECLUTTER_FEED_RATE_LIMIT": "1/minute"}).test_client()
    first = parsed(tight.get("/feed", query_string={"url": f"{site.base}/rss/one?items=1"}))
    assert "still reading" in first.entries[0].content[0].value  # the budget went on the feed
    assert (
        tight.get("/feed", query_string={"url": f"{site.base}/rss/two?items=1"}).status_code == 429
    )
    story = tight.get("/api/v1/article", query_string={"url": f"{site.base}/story/single"})
    assert story.status_code == 200  # the article budget is untouched by feeds


def test_linked_feed_finds_the_alternate_link():
    link = b'<link rel="Alternate" type="application/atom+xml" href="atom.xml">'
    page = b"<html><head>" + link + b"</head></html>"
    assert (
        feedsource.linked_feed(page, "https://site.example/blog/")
        == "https://site.example/blog/atom.xml"
    )
    assert feedsource.linked_feed(b"<html><head></head></html>", "https://site.example/") is None


def test_the_landing_page_has_a_feed_box(feeds):
    page = feeds.get("/").get_data(as_text=True)
    assert 'action="/feed"' in page and "Full-text feed" in page


def test_the_reader_links_the_feed_an_article_declares(feeds, upstream):
    link = '<link rel="alternate" type="application/rss+xml" href="/rss?a=1">'
    head = f"<head><title>T</title>{link}</head>"
    upstream.expect_request("/with-feed").respond_with_data(
        feedsite.story("declares").decode().replace("<head>", head.removesuffix("</head>"), 1),
        content_type="text/html",
    )
    page = feeds.get("/read", query_string={"url": upstream.url_for("/with-feed")}).get_data(
        as_text=True
    )
    feed_url = upstream.url_for("/rss?a=1")
    assert (
        f'href="/feed?url={feed_url.replace(":", "%3A").replace("?", "%3F").replace("=", "%3D")}"'
        in page
    )


@pytest.mark.parametrize(
    "link, expected",
    [
        ("/a/b", "https://site.example/a/b"),
        ("javascript:alert(1)", ""),
        ("data:text/html,x", ""),
        ("", ""),
        ("http://other.example/x", "http://other.example/x"),
    ],
)
def test_item_links_are_web_links_only(link, expected):
    assert feedsource.web_link("https://site.example/feed", link) == expected


def test_pollers_of_a_cold_feed_cause_one_feed_fetch(feed_app, site):
    url = f"{site.base}/rss/crowd?items=1"
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(
            pool.map(
                lambda _: feed_app.test_client().get("/feed", query_string={"url": url}), range(8)
            )
        )
    assert all(answer.status_code == 200 for answer in answers)
    assert site.hits["/rss/crowd"] == 1 and site.stories_fetched() == {"/story/crowd-0": 1}
