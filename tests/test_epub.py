"""EPUB through the real app (/epub and the API's format=epub), each book checked by epubcheck,
the reference validator (Debian's package; ``make test`` installs it)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
import zipfile
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from proxy.content import pipeline
from proxy.formats import epub
from proxy.web import keep
from tests.conftest import PAGES
from tests.test_image_proxy import PNG, PROSE

EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")
# Java options that make a short run start faster: the quick compiler only, the simple collector
# (a third of the time on a busy machine).
JAVA_QUICK = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
EPUBCHECK_SECONDS = 300
HTML = "text/html; charset=utf-8"
PAGE = """<html lang="de"><head><title>Fähren im Winter</title>
<meta property="og:image" content="{lead}"><meta name="author" content="Mara Lindqvist">
<meta property="article:published_time" content="2026-11-29T08:00:00Z"></head>
<body><article><h1>Fähren im Winter</h1>{prose}
<figure><img src="{ok}" alt="Die Fähre"><figcaption>Die Fähre.</figcaption></figure>{prose}
<p><img src="{gone}" alt="gone"> <img src="{html}" alt="html"> <img src="{private}" alt="p"></p>
{prose}</article></body></html>"""


def epubcheck(books: list[Path]) -> dict[str, str]:
    """epubcheck's report on each book that has errors ({} when all are valid), run side by side."""
    command = (
        ["java", *JAVA_QUICK, "-jar", str(EPUBCHECK_JAR)]
        if EPUBCHECK_JAR.exists()
        else ["epubcheck"]
    )
    if not EPUBCHECK_JAR.exists() and shutil.which("epubcheck") is None:
        pytest.fail("epubcheck is missing: sudo apt-get install epubcheck (make test does)")
    runs = {
        book: subprocess.Popen(
            [*command, str(book)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for book in books
    }
    reports = {
        book.name: run.communicate(timeout=EPUBCHECK_SECONDS)[0] for book, run in runs.items()
    }
    return {
        name: report
        for name, report in reports.items()
        if "0 fatals / 0 errors" not in report or runs_failed(report)
    }


def runs_failed(report: str) -> bool:
    return "ERROR" in report or "FATAL" in report


@pytest.fixture
def article_page(upstream: HTTPServer, canary: HTTPServer) -> str:
    """An article whose lead image and one figure load, and whose three other images fail."""
    upstream.expect_request("/lead.png").respond_with_data(PNG, content_type="image/png")
    upstream.expect_request("/ok.png").respond_with_data(PNG, content_type="image/png")
    upstream.expect_request("/html.png").respond_with_data(
        "<html></html>", content_type="image/png"
    )
    upstream.expect_request("/private.png").respond_with_response(
        Response(status=302, headers={"Location": canary.url_for("/secret.png")})
    )
    page = PAGE.format(
        prose=PROSE,
        lead=upstream.url_for("/lead.png"),
        ok=upstream.url_for("/ok.png"),
        gone=upstream.url_for("/gone.png"),
        html=upstream.url_for("/html.png"),
        private=upstream.url_for("/private.png"),
    )
    upstream.expect_request("/news").respond_with_data(page, content_type=HTML)
    return upstream.url_for("/news")


def test_the_reader_page_links_its_epub(client, article_page: str) -> None:
    body = client.get("/read", query_string={"url": article_page}).get_data(as_text=True)
    assert f'href="/epub?url={quote(article_page, safe="")}"' in body


def test_an_article_becomes_a_valid_epub_with_its_images_and_cover(
    client, article_page: str, canary: HTTPServer, tmp_path: Path
) -> None:
    response = client.get("/epub", query_string={"url": article_page})
    assert response.status_code == 200 and response.content_type == epub.MEDIA_TYPE
    assert response.headers["Content-Disposition"] == 'attachment; filename="fähren-im-winter.epub"'
    book = zipfile.ZipFile(io.BytesIO(response.data))
    first = book.infolist()[0]
    assert (first.filename, first.compress_type, book.read(first)) == (
        "mimetype",
        zipfile.ZIP_STORED,
        b"application/epub+zip",
    )
    opf = book.read("OEBPS/content.opf").decode()
    for expected in (
        "<dc:title>Fähren im Winter</dc:title>",
        "<dc:language>de</dc:language>",
        "<dc:creator>Mara Lindqvist</dc:creator>",
        "<dc:date>2026-11-29</dc:date>",
        f"<dc:source>{article_page}</dc:source>",
        'properties="cover-image"',
    ):
        assert expected in opf, expected
    assert sorted(n for n in book.namelist() if n.startswith("OEBPS/images/")) == [
        "OEBPS/images/1.png",
        "OEBPS/images/2.png",
    ]  # the figure and the lead; three failed
    assert "images/2.png" in book.read("OEBPS/cover.xhtml").decode()
    assert canary.log == []
    (tmp_path / "article.epub").write_bytes(response.data)
    api = client.get(f"/api/v1/article?url={quote(article_page, safe='')}&format=epub")
    assert (api.status_code, api.data, api.headers["ETag"]) == (
        200,
        response.data,
        response.headers["ETag"],
    )
    assert (
        client.get(
            "/epub",
            query_string={"url": article_page},
            headers={"If-None-Match": response.headers["ETag"]},
        ).status_code
        == 304
    )
    assert epubcheck([tmp_path / "article.epub"]) == {}


def test_fixture_pages_make_valid_epubs(tmp_path: Path) -> None:
    """Every faithful-* fixture's content in one book (maths, code, embeds, lazy and <noscript>
    images), and a bare article without any metadata or image."""
    articles = [
        pipeline.process((folder / "source.html").read_bytes(), f"https://r.example/{n}")
        for n, folder in enumerate(sorted(PAGES.glob("faithful-*")))
    ]
    everything = replace(articles[0], content_html="\n".join(a.content_html for a in articles))
    bare = replace(
        articles[0],
        title="<Untitled & odd>",
        byline=None,
        site_name=None,
        lang="??",
        published="yesterday",
        lead_image=None,
        fetched_at=None,
        excerpt=None,
    )
    books = [tmp_path / "fixtures.epub", tmp_path / "bare.epub", tmp_path / "broken.epub"]
    books[0].write_bytes(epub.build(everything, lambda url: ("image/png", PNG)))
    books[1].write_bytes(epub.build(bare, lambda url: None))
    books[2].write_bytes(broken(books[1].read_bytes()))
    opf = zipfile.ZipFile(books[0]).read("OEBPS/content.opf").decode()
    assert 'href="article.xhtml" media-type="application/xhtml+xml" properties="mathml"' in opf
    assert epubcheck(books).keys() == {"broken.epub"}  # the control shows epubcheck can fail us


def broken(book: bytes) -> bytes:
    """``book`` with its mimetype entry last and its article's <body> element left unclosed."""
    source, buffer = zipfile.ZipFile(io.BytesIO(book)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name in sorted(source.namelist(), key=lambda n: n == "mimetype"):
            data = source.read(name)
            target.writestr(
                name, data.replace(b"</body>", b"") if name.endswith("article.xhtml") else data
            )
    return buffer.getvalue()


def test_the_same_article_makes_the_same_bytes() -> None:
    article = pipeline.process(
        (PAGES / "faithful-lazy" / "source.html").read_bytes(), "https://river.example/lazy"
    )
    assert epub.build(article, lambda url: ("image/png", PNG)) == epub.build(
        article, lambda url: ("image/png", PNG)
    )


def test_an_unknown_format_names_epub_among_the_choices(client) -> None:
    answer = client.get("/api/v1/article?url=https://x.example/&format=mobi").get_json()
    assert re.search(r"\bepub\b", answer["error"]["message"])


def test_a_posted_page_gets_the_epub_of_its_own_copy(client) -> None:
    """A page behind a login, sent by the extension: its EPUB is made from the copy sent, by its
    private result id, never by fetching the URL (which would give the login wall)."""
    page = PAGE.format(prose=PROSE, lead="", ok="", gone="", html="", private="")
    posted = client.post("/api/v1/article", json={"url": "https://members.example/a", "html": page})
    result_id = posted.get_json()["result_id"]
    reader = client.get(f"/read/r/{result_id}").get_data(as_text=True)
    assert f'href="/epub/r/{result_id}"' in reader
    book = client.get(f"/epub/r/{result_id}")
    assert book.status_code == 200 and book.content_type == epub.MEDIA_TYPE
    opf = zipfile.ZipFile(io.BytesIO(book.data)).read("OEBPS/content.opf").decode()
    assert "<dc:source>https://members.example/a</dc:source>" in opf
    assert client.get("/epub/r/unknown").status_code == 404


@pytest.mark.parametrize(("url", "status"), [("not a url", 400), ("http://127.0.0.2/a", 403)])
def test_a_failure_is_the_readers_error_page(client, canary, url: str, status: int) -> None:
    response = client.get("/epub", query_string={"url": url})
    assert (response.status_code, response.content_type) == (status, "text/html; charset=utf-8")
    assert "Error" in response.get_data(as_text=True) and canary.log == []


def test_images_past_the_books_time_are_left_out(app, upstream: HTTPServer) -> None:
    upstream.expect_request("/ok.png").respond_with_data(PNG, content_type="image/png")
    with app.app_context():
        assert keep._image_loader(time.monotonic() + 60)(upstream.url_for("/ok.png")) == (
            "image/png",
            PNG,
        )
        assert keep._image_loader(time.monotonic() - 1)(upstream.url_for("/ok.png")) is None
    assert len(upstream.log) == 1
