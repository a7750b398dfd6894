"""Site rules (ftr-site-config format): the whole shared collection parses, and each directive,
with a rule file and page written for it, acts through the whole pipeline (API and reader page)."""

from __future__ import annotations

import logging
import os
from collections import Counter
from pathlib import Path

import pytest
from lxml.html import fromstring, tostring
from pytest_httpserver import HTTPServer
from werkzeug import Response

from proxy import create_app, siterules
from proxy.content import extract
from proxy.content.rules import RULES_VERSION
from proxy.siterules import apply, match, tidy
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


def test_global_txt_appended_to_a_hosts_file(tmp_path: Path) -> None:
    """As graby's ConfigBuilder: global.txt's lists after the host's, find/replace appended, the
    host's own switches and headers win; autodetect_on_failure: no keeps the host's file alone."""
    (tmp_path / "global.txt").write_text(
        "title: //meta[@property='og:title']/@content\nstrip: //div[@class='ad']\n"
        "strip_id_or_class: sharedaddy\nreplace_string(<amp-img): <img\nprune: no\n"
        "http_header(user-agent): Global/1\ndissolve: //span\n"
    )
    (tmp_path / "example.com.txt").write_text(
        "body: //article\nstrip: //aside\nstrip: //div[@class='ad']\ntidy: no\n"
        "replace_string(a): b\nhttp_header(user-agent): Host/1\n"
    )
    (tmp_path / "alone.org.txt").write_text("body: //main\nautodetect_on_failure: no\n")
    index = RuleIndex([tmp_path])
    rules = index.for_host("www.example.com")
    assert [x.path for x in rules.xpath("strip")] == ["//aside", "//div[@class='ad']"]
    assert rules.string("strip_id_or_class") == ["sharedaddy"] and not rules.xpath("dissolve")
    assert rules.replacements == [("a", "b"), ("<amp-img", "<img")]
    assert rules.switches["prune"] is False and rules.switches["tidy"] is False
    assert rules.http_headers == {"User-Agent": "Host/1"}
    assert ("title", "//meta[@property='og:title']/@content") in rules.from_global
    assert rules.digest not in (index.for_host_file("example.com.txt").digest, "")
    assert not index.for_host("alone.org").xpath("strip")
    assert index.for_host("other.net").source == "global.txt"


def test_global_title_fills_only_a_missing_title(tmp_path: Path) -> None:
    """A host's title rule wins over the page's metadata; global.txt's only fills a gap."""
    (tmp_path / "global.txt").write_text("title: //h3\n")
    (tmp_path / "a.test.txt").write_text("strip: //aside\n")
    (tmp_path / "b.test.txt").write_text("title: //h2\n")
    index = RuleIndex([tmp_path])
    page = "<html><head><title>Page</title></head><body><h2>Two</h2><h3>Three</h3></body></html>"
    for host, given, wanted in (
        ("a.test", "Meta", "Meta"),
        ("a.test", None, "Three"),
        ("b.test", "Meta", "Two"),
    ):
        meta: dict[str, str | None] = {"title": given}
        apply.apply(fromstring(page), index.for_host(host), meta, page)
        assert meta["title"] == wanted


def test_tidy_as_full_text_rss_tidies() -> None:
    """Comments hidden, logical emphasis, empty paragraphs dropped, nested divs and spans merged
    (classes joined, missing attributes taken)."""
    doc = fromstring(
        "<html><body><!-- c --><div class='a' id='x'>\n <div class='b' data-k='1'><p></p>"
        "<p><b>B</b> <i>I</i> <span><span class='s'>S</span></span></p></div>\n</div></body></html>"
    )
    tidy.tidy(doc)
    (div,) = doc.body
    assert (div.get("class"), div.get("id"), div.get("data-k")) == ("a b", "x", "1")
    assert [e.tag for e in div.iter()] == ["div", "p", "strong", "em", "span"]
    assert div.find(".//span").get("class") == "s" and "<!--" not in tostring(doc, encoding=str)


def test_smart_tidy_reads_the_page_untidied_when_no_body_rule_selects(tmp_path: Path) -> None:
    """A body rule written for the page as parsed (two nested divs) finds nothing once Tidy merged
    them: the page is read again untidied, as graby does; one written for the tidied page works."""
    page = (
        f"<html><body><div class='wrap'><div class='story'><p>{PROSE * 2}</p></div></div>"
        f"<article><p>{OTHER * 8}</p></article></body></html>"
    )
    for rule in ("//div[@class='wrap']/div[@class='story']", "//div[@class='wrap story']"):
        site = parse(f"body: {rule}\n", "x")
        _, _, ruled, _ = extract._ruled_page(page, "http://x.test/a", None, site)
        assert "night train" in ruled.body.text_content(), rule
        assert "recipes" not in ruled.body.text_content(), rule
    _, _, ruled, _ = extract._ruled_page(page, "http://x.test/a", None, parse("body: //nav\n", "x"))
    assert ruled.body is None  # selected nowhere: the heuristics' turn


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
        "comments",
        "# a comment\n  # an indented one\nstrip: //p[@class='x']",
        f"<article><p>{PROSE * 3}</p><p class='x'>gone words</p></article>",
        "night train",
        "gone",
    ),
    (  # prune (the default): readability's cleaning of the rule's pick drops a short <div>
        "prune",
        "body: //div[@id='story']",
        f"<div id='story'><p>{PROSE * 3}</p><div>Valley notes</div><p>{PROSE * 2}</p></div>",
        "night train",
        "Valley notes",
    ),
    (  # prune: no keeps the rule's pick as the rule's author wrote it
        "prune-no",
        "body: //div[@id='story']\nprune: no",
        f"<div id='story'><p>{PROSE * 3}</p><div>Valley notes</div><p>{PROSE * 2}</p></div>",
        "Valley notes",
        "zzz",
    ),
    (  # tidy (the default): the rules read the page as HTML Tidy leaves it (<b> is <strong>)
        "tidy",
        "body: //article\nstrip: //strong[@class='note']",
        f"<article><p>{PROSE * 3} <b class='note'>Editor aside</b></p></article>",
        "night train",
        "Editor aside",
    ),
    (  # tidy: no: the page as parsed, where no <strong> is
        "tidy-no",
        "body: //article\nstrip: //strong[@class='note']\ntidy: no",
        f"<article><p>{PROSE * 3} <b class='note'>Editor aside</b></p></article>",
        "Editor aside",
        "zzz",
    ),
    (  # what a script would show, shown in the rule's pick as on the heuristics' page
        "body-media",
        "body: //div[@id='story']",
        f"<div id='story'><p>{PROSE * 3}</p><pre>import os<br>import re</pre></div>",
        "import os\nimport re",
        "zzz",
    ),
    (  # Declutter's chrome removal on the rule's pick, as on every article, prune or not
        "body-chrome",
        "body: //div[@id='story']\nprune: no",
        f"<div id='story'><p>{PROSE * 3}</p><div class='share-bar'><p>Share on the "
        f"networks of your choice today</p></div><p>{PROSE * 2}</p></div>",
        "night train",
        "Share on",
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


def test_metadata_rules(ruled_app, upstream: HTTPServer) -> None:
    """title, author, date from the rule win over the page's JSON-LD (skipped by skip_json_ld);
    the byline read leaves the body, as graby takes it out; native_ad_clue marks the article."""
    folder, make = ruled_app
    (folder / "127.0.0.1.txt").write_text(META)
    head = (
        '<script type="application/ld+json">{"@type":"NewsArticle","author":"Ld Author"}</script>'
    )
    html = (
        f"<h2 class='hl'>Rule headline</h2><time datetime='2026-01-02'>2 Jan</time>"
        f"<article><p><span class='by'>Ada Rule</span></p><p>{PROSE * 3}</p></article>"
        "<div class='sponsored'>Paid post</div>"
    )
    client = make().test_client()
    url = _serve(upstream, "/m", html, head)
    data = client.get("/api/v1/article", query_string={"url": url}).json
    assert (data["title"], data["byline"], data["published"]) == (
        "Rule headline",
        "Ada Rule",
        "2026-01-02",
    )
    assert "Ada Rule" not in data["content_html"] and data["native_ad"] is True
    page = client.get("/read", query_string={"url": url}).get_data(as_text=True)
    assert "the site marks this page as paid content" in page


def test_no_native_ad_note_without_a_clue(ruled_app, upstream: HTTPServer) -> None:
    folder, make = ruled_app
    (folder / "127.0.0.1.txt").write_text("native_ad_clue: //div[@class='sponsored']\n")
    client = make().test_client()
    url = _serve(upstream, "/n", f"<article><p>{PROSE * 3}</p></article>")
    assert client.get("/api/v1/article", query_string={"url": url}).json["native_ad"] is False
    page = client.get("/read", query_string={"url": url}).get_data(as_text=True)
    assert "paid content" not in page


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
    assert (apply.trusted(rule, found) is rule) is rule_wins


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
