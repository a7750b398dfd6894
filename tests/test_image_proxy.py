"""The image proxy through the real app: signed addresses, the guarded fetch, sniffing, limits,
Redis, and the pages that point at it. Upstream images come from a server on 127.0.0.1; the
canary on 127.0.0.2 must never be asked for anything."""

from __future__ import annotations

import struct
import zlib
from urllib.parse import quote

import pytest
import redis
from werkzeug import Response

from proxy import create_app
from proxy.content.sanitise import sanitise, violations
from proxy.formats.imagelinks import ImageLinks
from proxy.store import keys
from proxy.web import image_proxy
from tests.test_xss import VECTORS, check_fragment, expand

HTML = "text/html; charset=utf-8"
PROSE = "<p>" + "The ferry timetable changes on Monday, the harbour board said today. " * 6 + "</p>"


def png(width: int = 2, height: int = 2) -> bytes:
    """A real PNG of ``width`` x ``height`` grey pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + checksum

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG = png()


def article_with_image(image_url: str) -> str:
    return (
        f"<html><head><title>Ferry news</title></head><body><article><h1>Ferry news</h1>"
        f'{PROSE}<figure><img src="{image_url}" alt="The ferry"></figure>{PROSE}'
        f"</article></body></html>"
    )


def signed(app, url: str) -> str:
    with app.app_context():
        return image_proxy.links().address(url)


def test_the_reader_page_serves_its_images_from_this_server(client, app, upstream) -> None:
    upstream.expect_request("/news").respond_with_data(
        article_with_image(upstream.url_for("/ferry.png")), content_type=HTML
    )
    response = client.get("/read", query_string={"url": upstream.url_for("/news")})
    body = response.get_data(as_text=True)
    assert f'src="{signed(app, upstream.url_for("/ferry.png"))}"' in body
    assert upstream.url_for("/ferry.png") not in body.split('<footer class="article-footer">')[0]
    assert "img-src 'self' data:" in response.headers["Content-Security-Policy"]


def test_an_image_is_fetched_once_then_comes_from_redis(
    client, app, upstream, redis_client: redis.Redis
) -> None:
    upstream.expect_request("/ferry.png").respond_with_data(PNG, content_type="image/png")
    address = signed(app, upstream.url_for("/ferry.png"))
    first, second = client.get(address), client.get(address)
    assert (first.status_code, first.content_type, first.data) == (200, "image/png", PNG)
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("MISS", "HIT")
    assert second.data == PNG and "max-age=31536000" in second.headers["Cache-Control"]
    assert len(upstream.log) == 1
    assert redis_client.ttl(keys.image(upstream.url_for("/ferry.png"))) > 0


@pytest.mark.parametrize(
    "mangle",
    [
        lambda address: address.replace("/img/", "/img/A", 1),
        lambda address: address[:-2] + ("AA" if not address.endswith("AA") else "BB"),
        lambda address: (
            "/img/x/aHR0cDovLzEyNy4wLjAuMi8"
        ),  # http://127.0.0.2/ with a made-up signature
        lambda address: "/img/" + "A" * 22 + "/%00%ff",
    ],
)
def test_an_address_this_server_did_not_sign_is_403(client, app, upstream, canary, mangle) -> None:
    address = mangle(signed(app, upstream.url_for("/ferry.png")))
    response = client.get(address)
    assert response.status_code == 403, address
    assert upstream.log == [] and canary.log == []


def test_an_address_signed_by_another_server_is_403(client, upstream) -> None:
    other = ImageLinks.from_secret("another server's secret").address(upstream.url_for("/x.png"))
    assert client.get(other).status_code == 403


def test_a_redirect_to_a_private_address_is_refused(client, app, upstream, canary) -> None:
    upstream.expect_request("/moved.png").respond_with_response(
        Response(status=302, headers={"Location": canary.url_for("/secret.png")})
    )
    response = client.get(signed(app, upstream.url_for("/moved.png")))
    assert response.status_code == 403
    assert canary.log == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"<!doctype html><html><body>not an image</body></html>", "image/png"),
        (PNG, "text/html"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml"),
        (b"GIF but not really", ""),
    ],
)
def test_what_is_not_an_image_is_refused(client, app, upstream, body, content_type) -> None:
    upstream.expect_request("/img").respond_with_data(body, content_type=content_type or None)
    response = client.get(signed(app, upstream.url_for("/img")))
    assert response.status_code == 415
    assert response.content_type == "text/plain; charset=utf-8"


def test_a_20_mb_image_is_refused(client, app, upstream) -> None:
    huge = PNG + b"\x00" * (20_000_000 - len(PNG))
    upstream.expect_request("/huge.png").respond_with_data(huge, content_type="image/png")
    assert client.get(signed(app, upstream.url_for("/huge.png"))).status_code == 413


def test_the_proxy_can_be_turned_off(settings_env, upstream) -> None:
    client = create_app({**settings_env, "DECLUTTER_IMAGE_PROXY": "0"}).test_client()
    upstream.expect_request("/news").respond_with_data(
        article_with_image(upstream.url_for("/ferry.png")), content_type=HTML
    )
    response = client.get("/read", query_string={"url": upstream.url_for("/news")})
    assert f'src="{upstream.url_for("/ferry.png")}"' in response.get_data(as_text=True)
    assert "img-src https: http: data:" in response.headers["Content-Security-Policy"]
    assert client.get("/img/AAAA/aHR0cDovL3guZXhhbXBsZS8").status_code == 404


def test_the_html_format_has_absolute_image_addresses(client, app, upstream) -> None:
    upstream.expect_request("/news").respond_with_data(
        article_with_image(upstream.url_for("/ferry.png")), content_type=HTML
    )
    url = quote(upstream.url_for("/news"), safe="")
    body = client.get(f"/api/v1/article?url={url}&format=html").get_data(as_text=True)
    assert f'src="http://localhost{signed(app, upstream.url_for("/ferry.png"))}"' in body
    json_body = client.get(f"/api/v1/article?url={url}").get_json()
    assert upstream.url_for("/ferry.png") in json_body["content_html"]  # data keeps the source


# --- Rewriting stays safe ------------------------------------------------------------------------

# Absolute addresses, as the HTML format has them (the sanitiser's check wants http(s) URLs).
LINKS = ImageLinks.from_secret("test").with_base("https://reader.example/img/")


@pytest.mark.parametrize(("name", "vector"), VECTORS, ids=[name for name, _ in VECTORS])
def test_rewritten_image_addresses_leave_nothing_executable(name: str, vector: str) -> None:
    html = sanitise(expand(vector, "http://127.0.0.1:9/leak"), "http://127.0.0.1:9/a.html")
    check_fragment(LINKS.rewrite(html))


@pytest.mark.parametrize(
    "img",
    [
        '<img alt="a > b &quot; src=&quot;x" src="https://s.example/a.jpg?x=1&amp;y=2">',
        '<img srcset="https://s.example/a.jpg 1x, https://s.example/b%2Cc.jpg 2x" alt="">',
        '<picture><source srcset="https://s.example/a.webp" type="image/webp">'
        '<img src="https://s.example/a.jpg"></picture>',
        '<p>src="https://s.example/not-an-image.jpg" in a code sample</p>',
    ],
)
def test_every_image_url_and_only_image_urls_are_rewritten(img: str) -> None:
    html = sanitise(img, "https://s.example/")
    rewritten = LINKS.rewrite(html)
    assert violations(rewritten) == []
    assert ("https://s.example/" in rewritten) == ("code sample" in img)
    for address in (part.split('"')[0] for part in rewritten.split(LINKS.base)[1:]):
        signature, _, encoded = address.split(" ")[0].partition("/")
        assert LINKS.verify(signature, encoded).startswith("https://s.example/")


def test_turning_the_proxy_off_changes_the_pages_etag(settings_env, upstream) -> None:
    """A browser revalidating a page made with the other setting gets the new page, not a 304."""
    upstream.expect_request("/news").respond_with_data(
        article_with_image(upstream.url_for("/ferry.png")), content_type=HTML
    )
    on = create_app(settings_env).test_client()
    etag = on.get("/read", query_string={"url": upstream.url_for("/news")}).headers["ETag"]
    off = create_app({**settings_env, "DECLUTTER_IMAGE_PROXY": "0"}).test_client()
    again = off.get(
        "/read", query_string={"url": upstream.url_for("/news")}, headers={"If-None-Match": etag}
    )
    assert again.status_code == 200 and again.headers["X-Cache"] == "HIT"
