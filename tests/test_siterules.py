"""Site rules (ftr-site-config format): the whole shared collection parses, and each directive,
with a rule file and page written for it, acts through the whole pipeline (API and reader page)."""

from __future__ import annotations

import logging
import os
from collections import Counter
from pathlib import Path

import pytest
from lxml.html import fromstring
from pytest_httpserver import HTTPServer
from werkzeug import Response

from proxy import create_app, siterules
from proxy.content.rules import RULES_VERSION
from proxy.siterules import apply, match
from proxy.siterules.match import RuleIndex
from proxy.siterules.parse import parse
from proxy.store import cache

ROOT = Path(__file__).resolve().parent.parent
# The shared copy of the collection: $DECLUTTER_TEST_SITE_RULES, or ../shared beside the checkout.
COLLECTION_PARTS = ("shared", "site-rules", "ftr-site-config")
OTHER = (
    "Readers also enjoyed these recipes for winter soups, bread baked at home and cakes "
    "made with apples from an orchard in the hills. "
)
PROSE = (
    "The night train left the city at nine and crossed three borders before the sun rose "
    "over the valley, while most of its passengers slept in narrow bunks. "
)


def _collection() -> Path | None:
    candidates = [os.environ.get("DECLUTTER_TEST_SITE_RULES", "")]
    candidates += [
        str(base.joinpath(*COLLECTION_PARTS)) for base in (ROOT.parent, ROOT.parent.parent)
    ]
    return next((Path(c) for c in candidates if c and Path(c, "global.txt").is_file()), None)


def test_whole_collection_parses(caplog: pytest.LogCaptureFixture) -> None:
    """Every file parses without an exception; the directives are counted per kind and printed."""
    folder = _collection()
    if folder is None:
        pytest.skip("no ftr-site-config copy: set DECLUTTER_TEST_SITE_RULES or put it in ../shared")
    with caplog.at_level(logging.WARNING):
        parsed = RuleIndex([folder]).parse_all()
    counts = sum((rules.counts for rules in parsed.values()), Counter())
    print(f"\n{len(parsed)} files; bad XPath skipped: {len(caplog.records)}")
    print(", ".join(f"{name} {n}" for name, n in counts.most_common()))
    assert len(parsed) > 1500 and counts["body"] > 1500 and counts["strip_id_or_class"] > 3000


def test_host_matching(tmp_path: Path) -> None:
    """www. dropped, the exact file first, then .parent files up the domain, then global.txt."""
    for name in ("example.com.txt", ".example.com.txt", ".co.uk.txt", "global.txt"):
        (tmp_path / name).write_text("body: //article\n")
    index = RuleIndex([tmp_path])
    assert index.file_for("www.example.com") == "example.com.txt"
    assert index.file_for("news.example.com") == ".example.com.txt"
    assert index.file_for("a.b.example.com") == ".example.com.txt"
    assert index.file_for("bbc.co.uk") == ".co.uk.txt"  # up the domain, as Full-Text RSS goes
    assert index.file_for("example.com.") == "example.com.txt"  # ".com.txt" is never looked for
    assert index.file_for("other.org") == "global.txt"


def test_local_overrides_win(tmp_path: Path) -> None:
    (tmp_path / "main").mkdir(), (tmp_path / "local").mkdir()
    (tmp_path / "main" / "example.com.txt").write_text("body: //main\n")
    (tmp_path / "local" / "example.com.txt").write_text("body: //local\n")
    index = siterules.configure(tmp_path / "main", tmp_path / "local")
    assert index.for_host("example.com").xpath("body")[0].path == "//local"


def test_bad_xpath_is_reported_once_and_skipped(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        rules = parse(
            "body: //div[\nbody: //article\nstrip: ][\nhttp_header(host): evil\n", "x.txt"
        )
    assert [x.path for x in rules.xpath("body")] == ["//article"] and not rules.xpath("strip")
    assert len(caplog.records) == 3 and not rules.http_headers


def test_replace_string_forms() -> None:
    rules = parse("find_string: <amp-img\nreplace_string: <img\nreplace_string(</x>): </p>\n", "a")
    assert rules.replacements == [("<amp-img", "<img"), ("</x>", "</p>")]


# (directive, rule file, the page's article part, present in the result, absent from it)
CASES = [
    (
        "body",
        "body: //div[@id='story']",
        f"<div id='story'><p>{PROSE * 2}</p></div><div class='x'><p>Sidebar {OTHER * 2}</p></div>",
        "night train",
        "Sidebar",
    ),
    (
        "body-second-tried",
        "body: //div[@id='none']\nbody: //div[@id='story']",
        f"<div id='story'><p>{PROSE * 2}</p></div><div><p>Sidebar {OTHER * 2}</p></div>",
        "night train",
        "Sidebar",
    ),
    (
        "strip",
        "strip: //p[@class='aside-note']",
        f"<article><p>{PROSE * 3}</p><p class='aside-note'>The conductor kept a diary.</p>"
        "</article>",
        "night train",
        "diary",
    ),
    (
        "strip_id_or_class",
        "strip_id_or_class: hint",
        f"<article><p>{PROSE * 3}</p><p id='x-hint-box'>The conductor kept a diary.</p></article>",
        "night train",
        "diary",
    ),
    (
        "strip_image_src",
        "strip_image_src: ads.example",
        f"<article><p>{PROSE * 3}</p><p><img src='http://ads.example/b.png' alt='banner'>"
        "<img src='/photo.jpg' alt='valley'></p></article>",
        "photo.jpg",
        "ads.example",
    ),
    (
        "strip_attr",
        "strip_attr: //a/@title",
        f"<article><p>{PROSE * 3} <a href='/m' title='secret-tip'>map</a></p></article>",
        "map",
        "secret-tip",
    ),
    (
        "dissolve",
        "body: //div[@id='story']\ndissolve: //blockquote",
        f"<div id='story'><blockquote><p>{PROSE * 3}</p></blockquote></div>",
        "night train",
        "<blockquote",
    ),
    (
        "find_string",
        "find_string: Bordeaux\nreplace_string: Lyon",
        f"<article><p>{PROSE * 3} Bordeaux.</p></article>",
        "Lyon",
        "Bordeaux",
    ),
    (
        "replace_string(x)",
        "replace_string(Bordeaux): Lyon",
        f"<article><p>{PROSE * 3} Bordeaux.</p></article>",
        "Lyon",
        "Bordeaux",
    ),
    (
        "src_lazy_load_attr",
        "src_lazy_load_attr: data-real",
        f"<article><p>{PROSE * 3}<img data-real='/real.jpg' alt='v'></p></article>",
        "real.jpg",
        "zzz",
    ),
    (
        "prune-tidy-comments",
        "# a comment\nprune: no\ntidy: no\nstrip: //p[@class='x']",
        f"<article><p>{PROSE * 3}</p><p class='x'>gone words</p></article>",
        "night train",
        "gone",
    ),
]


def _serve(upstream: HTTPServer, path: str, html: str, head: str = "") -> str:
    page = f"<html><head><title>Night trains</title>{head}</head><body>{html}</body></html>"
    upstream.expect_request(path).respond_with_data(page, content_type="text/html; charset=utf-8")
    return upstream.url_for(path)


@pytest.fixture
def ruled_app(settings_env: dict[str, str], tmp_path: Path):
    """An app whose site rules directory is an empty folder the test fills (127.0.0.1.txt)."""
    folder = tmp_path / "rules"
    folder.mkdir()
    # Images as the publisher names them (no image proxy), so a kept or stripped src can be read.
    env = {**settings_env, "DECLUTTER_SITE_RULES": str(folder), "DECLUTTER_IMAGE_PROXY": "0"}
    yield folder, (lambda: create_app(env))
    siterules.configure(None, None)


@pytest.mark.parametrize(
    ("name", "rule", "html", "present", "absent"), CASES, ids=[c[0] for c in CASES]
)
def test_directive_through_pipeline(
    ruled_app, upstream: HTTPServer, name: str, rule: str, html: str, present: str, absent: str
) -> None:
    """The rule acts on the API's article and on the reader page alike."""
    folder, make = ruled_app
    (folder / "127.0.0.1.txt").write_text(rule + "\n")
    client = make().test_client()
    url = _serve(upstream, "/story", html)
    content = client.get("/api/v1/article", query_string={"url": url}).json["content_html"]
    page = client.get("/read", query_string={"url": url}).get_data(as_text=True)
    for text in (content, page):
        assert present in text and absent not in text


META = (
    "title: //h2[@class='hl']\nauthor: //span[@class='by']\ndate: //time/@datetime\n"
    "skip_json_ld: yes\nnative_ad_clue: //div[@class='sponsored']"
)


def test_metadata_rules(ruled_app, upstream: HTTPServer, caplog: pytest.LogCaptureFixture) -> None:
    """title, author, date from the rule win over the page's JSON-LD (skipped by skip_json_ld)."""
    folder, make = ruled_app
    (folder / "127.0.0.1.txt").write_text(META)
    head = (
        '<script type="application/ld+json">{"@type":"NewsArticle","author":"Ld Author"}</script>'
    )
    html = (
        f"<h2 class='hl'>Rule headline</h2><span class='by'>Ada Rule</span>"
        f"<time datetime='2026-01-02'>2 Jan</time><article><p>{PROSE * 3}</p></article>"
        "<div class='sponsored'>Paid post</div>"
    )
    caplog.set_level(logging.INFO, logger="proxy.siterules.apply")
    data = (
        make()
        .test_client()
        .get("/api/v1/article", query_string={"url": _serve(upstream, "/m", html, head)})
        .json
    )
    assert (data["title"], data["byline"], data["published"]) == (
        "Rule headline",
        "Ada Rule",
        "2026-01-02",
    )
    assert "is a native ad (native_ad_clue)" in caplog.text


@pytest.mark.parametrize(("autodetect", "status"), [("yes", 200), ("no", 422)])
def test_autodetect_on_failure(
    ruled_app, upstream: HTTPServer, autodetect: str, status: int
) -> None:
    """A body rule that selects nothing falls back to readability, unless autodetect_on_failure
    is no."""
    folder, make = ruled_app
    (folder / "127.0.0.1.txt").write_text(
        f"body: //div[@id='absent']\nautodetect_on_failure: {autodetect}\n"
    )
    url = _serve(upstream, "/a", f"<article><p>{PROSE * 3}</p></article>")
    assert (
        make().test_client().get("/api/v1/article", query_string={"url": url}).status_code == status
    )


def test_http_header_sent(ruled_app, upstream: HTTPServer) -> None:
    """http_header(user-agent) replaces Declutter's User-Agent; a cookie is sent as given."""
    folder, make = ruled_app
    (folder / "127.0.0.1.txt").write_text(
        "http_header(user-agent): RuleBot/1\nhttp_header(Cookie): ok=1\n"
    )
    upstream.expect_request(
        "/h", headers={"User-Agent": "RuleBot/1", "Cookie": "ok=1"}
    ).respond_with_data(
        f"<html><body><article><p>{PROSE * 3}</p></article></body></html>", content_type="text/html"
    )
    url = upstream.url_for("/h")
    assert make().test_client().get("/api/v1/article", query_string={"url": url}).status_code == 200


def test_new_rules_make_only_that_hosts_articles_fresh(
    ruled_app, upstream: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The matched file's digest is in the cache key: a changed rule misses, other hosts hit;
    the running server sees a file replaced (renamed over) at its next look."""
    monkeypatch.setattr(match, "RECHECK_SECONDS", 0.0)
    folder, make = ruled_app
    (folder / "127.0.0.1.txt").write_text("strip: //p[@class='aside-note']\n")
    url = _serve(
        upstream, "/c", f"<article><p>{PROSE * 3}</p><p class='aside-note'>Diary.</p></article>"
    )
    client = make().test_client()
    assert client.get("/api/v1/article", query_string={"url": url}).json["cached"] is False
    assert client.get("/api/v1/article", query_string={"url": url}).json["cached"] is True
    (folder / "new.tmp").write_text("strip: //p[@class='none']\n")
    os.replace(folder / "new.tmp", folder / "127.0.0.1.txt")  # as editors and rules update do
    again = client.get("/api/v1/article", query_string={"url": url}).json
    assert again["cached"] is False and "Diary." in again["content_html"]
    app = make()
    assert (
        app.test_client().get("/api/v1/article", query_string={"url": url}).json["cached"] is True
    )
    with app.app_context():  # a host without a rule file keeps its keys: nothing else was flushed
        assert (
            cache.current()
            .key("a", "http://other.example/x")
            .startswith(f"declutter:{RULES_VERSION}:a:")
        )


@pytest.mark.parametrize(
    ("rule_text", "found_text", "rule_wins"),
    [
        (PROSE, PROSE * 4 + OTHER * 4, False),  # a teaser inside the article: the heuristics'
        (PROSE * 4 + OTHER * 8, PROSE * 3, False),  # the article and much more: the heuristics'
        (PROSE * 2, OTHER * 6, True),  # another part of the page: the rule's author knew it
        (PROSE * 3, PROSE * 2 + OTHER, True),  # about the same region: the rule's
    ],
)
def test_a_body_rule_is_trusted_unless_implausible(
    rule_text: str, found_text: str, rule_wins: bool
) -> None:
    rule, found = (fromstring(f"<div><p>{text}</p></div>") for text in (rule_text, found_text))
    assert (apply.trusted(apply.Ruled(rule), found) is rule) is rule_wins


def test_rules_that_strip_everything_fall_back_to_no_rules(ruled_app, upstream: HTTPServer) -> None:
    """Rules for another layout of the site that leave nothing: the page is read without them."""
    folder, make = ruled_app
    (folder / "127.0.0.1.txt").write_text("strip_id_or_class: wrap\n")
    html = f"<div class='page-wrap'><article><p>{PROSE * 3}</p></article></div>"
    url = _serve(upstream, "/w", html)
    data = make().test_client().get("/api/v1/article", query_string={"url": url}).json
    assert "night train" in data["content_html"]


def test_http_header_not_sent_to_another_host(ruled_app, upstream: HTTPServer, hosts) -> None:
    """A rule's cookie goes to its host only: a redirect to another host name gets none."""
    folder, make = ruled_app
    (folder / "127.0.0.1.txt").write_text("http_header(cookie): ok=1\n")
    seen: list[str | None] = []

    def article(request):
        seen.append(request.headers.get("Cookie"))
        return Response(
            f"<html><body><article><p>{PROSE * 3}</p></article></body></html>",
            content_type="text/html",
        )

    hosts["other.test"] = ["127.0.0.1"]
    elsewhere = upstream.url_for("/there").replace("127.0.0.1", "other.test")
    upstream.expect_request("/here").respond_with_data(
        "", status=302, headers={"Location": elsewhere}
    )
    upstream.expect_request("/there").respond_with_handler(article)
    response = (
        make().test_client().get("/api/v1/article", query_string={"url": upstream.url_for("/here")})
    )
    assert response.status_code == 200 and seen == [None]
