"""fetch() against real HTTP(S) servers on loopback, and its pure decisions tested as values."""

from __future__ import annotations

import gzip
import shutil
import ssl
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest
from pytest_httpserver import HTTPServer

from proxy.config import Settings
from proxy.errors import NotHTML, RefusedAddress, TooLarge, UpstreamError, UpstreamGone
from proxy.net.fetch import (
    Fetched,
    fetch,
    meta_refresh,
    next_hop,
    outgoing_headers,
    redirect_target,
)

PAGE = b"<!DOCTYPE html><html><head><title>A</title></head><body><p>Article text.</p></body></html>"


def make_settings(**env: str) -> Settings:
    defaults = {
        "DECLUTTER_ALLOW_NETWORKS": "127.0.0.1/32",
        "DECLUTTER_CONNECT_TIMEOUT": "2",
        "DECLUTTER_FETCH_TIMEOUT": "5",
    }
    return Settings.from_env({**defaults, **env})


def redirect(server: HTTPServer, path: str, status: int, location: str) -> None:
    server.expect_request(path).respond_with_data("", status=status, headers={"Location": location})


@pytest.fixture
def settings() -> Settings:
    """Settings that allow the upstream on 127.0.0.1 and nothing else private."""
    return make_settings()


def test_fetches_html_with_final_url_status_and_headers(
    upstream: HTTPServer, settings: Settings
) -> None:
    upstream.expect_request("/a").respond_with_data(PAGE, content_type="text/html; charset=utf-8")
    got = fetch(upstream.url_for("/a#frag"), settings)
    assert (got.url, got.status, got.body) == (upstream.url_for("/a"), 200, PAGE)
    assert got.headers["content-type"] == "text/html; charset=utf-8"


def test_sends_only_headers_built_from_scratch(upstream: HTTPServer) -> None:
    upstream.expect_request("/a").respond_with_data(PAGE, content_type="text/html")
    fetch(upstream.url_for("/a"), make_settings(DECLUTTER_USER_AGENT="TestAgent/1"))
    sent = upstream.log[0][0].headers
    assert sent["User-Agent"] == "TestAgent/1"
    assert sent["Host"] == f"127.0.0.1:{upstream.port}"
    assert "br" in sent["Accept-Encoding"] and "text/html" in sent["Accept"]
    assert not {"Cookie", "Authorization", "Referer", "X-Forwarded-For"} & set(sent.keys())


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_follows_each_redirect_status(
    upstream: HTTPServer, settings: Settings, status: int
) -> None:
    redirect(upstream, "/old", status, "/new?x=1")
    upstream.expect_request("/new").respond_with_data(PAGE, content_type="text/html")
    got = fetch(upstream.url_for("/old"), settings)
    assert got.url == upstream.url_for("/new?x=1") and got.body == PAGE


def test_follows_meta_refresh_on_an_empty_page(upstream: HTTPServer, settings: Settings) -> None:
    refresh = b"""<html><head><meta http-equiv="Refresh" content="0; URL='/real'"></head></html>"""
    upstream.expect_request("/stub").respond_with_data(refresh, content_type="text/html")
    upstream.expect_request("/real").respond_with_data(PAGE, content_type="text/html")
    assert fetch(upstream.url_for("/stub"), settings).url == upstream.url_for("/real")


def test_redirect_limit_counts_hops(upstream: HTTPServer) -> None:
    for hop in range(4):
        redirect(upstream, f"/{hop}", 302, f"/{hop + 1}")
    upstream.expect_request("/4").respond_with_data(PAGE, content_type="text/html")
    got = fetch(upstream.url_for("/0"), make_settings(DECLUTTER_MAX_REDIRECTS="4"))
    assert got.url.endswith("/4")
    with pytest.raises(UpstreamError, match="redirected more than 3"):
        fetch(upstream.url_for("/0"), make_settings(DECLUTTER_MAX_REDIRECTS="3"))


def test_redirect_loop_is_an_upstream_error(upstream: HTTPServer, settings: Settings) -> None:
    redirect(upstream, "/loop", 301, "/loop")
    with pytest.raises(UpstreamError) as caught:
        fetch(upstream.url_for("/loop"), settings)
    assert caught.value.status == 502 and len(upstream.log) == settings.max_redirects + 1


def test_redirect_without_location_is_an_upstream_error(
    upstream: HTTPServer, settings: Settings
) -> None:
    upstream.expect_request("/r").respond_with_data("", status=302)
    with pytest.raises(UpstreamError):
        fetch(upstream.url_for("/r"), settings)


@pytest.mark.parametrize("status", [404, 410])
def test_gone_statuses_pass_through(upstream: HTTPServer, settings: Settings, status: int) -> None:
    upstream.expect_request("/x").respond_with_data("gone", status=status)
    with pytest.raises(UpstreamGone) as caught:
        fetch(upstream.url_for("/x"), settings)
    assert caught.value.status == status


@pytest.mark.parametrize("status", [304, 400, 401, 403, 429, 500, 502, 503])
def test_other_statuses_are_upstream_errors(
    upstream: HTTPServer, settings: Settings, status: int
) -> None:
    upstream.expect_request("/x").respond_with_data("no", status=status)
    with pytest.raises(UpstreamError) as caught:
        fetch(upstream.url_for("/x"), settings)
    assert caught.value.status == 502


@pytest.mark.parametrize(
    "content_type",
    [
        "application/pdf",
        "image/png",
        "text/plain; charset=utf-8",
        "application/json",
        "text/css",
        "application/octet-stream",
    ],
)
def test_non_html_types_are_refused(
    upstream: HTTPServer, settings: Settings, content_type: str
) -> None:
    upstream.expect_request("/x").respond_with_data(PAGE, content_type=content_type)
    with pytest.raises(NotHTML) as caught:
        fetch(upstream.url_for("/x"), settings)
    assert caught.value.status == 415


@pytest.mark.parametrize("content_type", ["application/xhtml+xml", "TEXT/HTML;charset=ISO-8859-1"])
def test_html_and_xhtml_are_accepted(
    upstream: HTTPServer, settings: Settings, content_type: str
) -> None:
    upstream.expect_request("/x").respond_with_data(PAGE, content_type=content_type)
    assert fetch(upstream.url_for("/x"), settings).body == PAGE


def test_missing_content_type_is_sniffed(upstream: HTTPServer, settings: Settings) -> None:
    upstream.expect_request("/html").respond_with_data(b"\n  " + PAGE, headers={"Content-Type": ""})
    upstream.expect_request("/text").respond_with_data(b"some words", headers={"Content-Type": ""})
    assert fetch(upstream.url_for("/html"), settings).body.strip() == PAGE
    with pytest.raises(NotHTML):
        fetch(upstream.url_for("/text"), settings)


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("br", brotli.compress),
    ],
)
def test_compressed_bodies_are_decoded(
    upstream: HTTPServer, settings: Settings, encoding: str, compress
) -> None:
    upstream.expect_request("/c").respond_with_data(
        compress(PAGE), content_type="text/html", headers={"Content-Encoding": encoding}
    )
    assert fetch(upstream.url_for("/c"), settings).body == PAGE


def test_declared_length_over_the_limit_is_refused_before_reading(upstream: HTTPServer) -> None:
    big = b"<p>" + b"x" * 2000
    upstream.expect_request("/big").respond_with_data(big, content_type="text/html")
    with pytest.raises(TooLarge):
        fetch(upstream.url_for("/big"), make_settings(DECLUTTER_MAX_BYTES="1000"))


def test_corrupt_gzip_is_an_upstream_error(upstream: HTTPServer, settings: Settings) -> None:
    upstream.expect_request("/c").respond_with_data(
        b"\x1f\x8b\x08\x00garbage" * 10,
        content_type="text/html",
        headers={"Content-Encoding": "gzip"},
    )
    with pytest.raises(UpstreamError):
        fetch(upstream.url_for("/c"), settings)


def test_refused_connection_is_an_upstream_error(settings: Settings) -> None:
    with pytest.raises(UpstreamError, match="refused"):
        fetch("http://127.0.0.1:9/", settings)


def test_loopback_is_refused_without_the_allow_list(upstream: HTTPServer) -> None:
    upstream.expect_request("/a").respond_with_data(PAGE, content_type="text/html")
    with pytest.raises(RefusedAddress):
        fetch(upstream.url_for("/a"), make_settings(DECLUTTER_ALLOW_NETWORKS=""))
    assert upstream.log == []


def test_host_header_keeps_the_name(
    upstream: HTTPServer, settings: Settings, hosts: dict[str, list[str]]
) -> None:
    hosts["news.test"] = ["127.0.0.1"]
    upstream.expect_request("/a").respond_with_data(PAGE, content_type="text/html")
    assert fetch(f"http://news.test:{upstream.port}/a", settings).body == PAGE
    assert upstream.log[0][0].headers["Host"] == f"news.test:{upstream.port}"


# ---- pure decisions ----------------------------------------------------------------------------


def answer(status: int = 200, body: bytes = b"", **headers: str) -> Fetched:
    return Fetched(url="https://example.com/dir/page", status=status, headers=headers, body=body)


@pytest.mark.parametrize(
    ("location", "target"),
    [
        ("/other", "https://example.com/other"),
        ("next", "https://example.com/dir/next"),
        ("//cdn.example.org/x#f", "https://cdn.example.org/x"),
        ("http://EXAMPLE.net:80/a b", "http://example.net:80/a%20b"),
        ("https://2130706433/", "https://127.0.0.1/"),
    ],
)
def test_redirect_targets_are_resolved_and_validated(location: str, target: str) -> None:
    assert next_hop(answer(301, location=location)) == target


@pytest.mark.parametrize(
    "location",
    [
        "file:///etc/passwd",
        "gopher://127.0.0.1/",
        "javascript:alert(1)",
        "ftp://example.com/",
        "data:text/html,hi",
    ],
)
def test_redirects_to_other_schemes_are_refused(location: str) -> None:
    with pytest.raises(RefusedAddress):
        redirect_target("https://example.com/", location)


def test_redirect_to_a_broken_url_is_an_upstream_error() -> None:
    with pytest.raises(UpstreamError):
        redirect_target("https://example.com/", "http://[broken/")


@pytest.mark.parametrize(
    ("body", "target"),
    [
        (
            b'<meta http-equiv="refresh" content="0;url=https://example.org/">',
            "https://example.org/",
        ),
        (b"<META CONTENT='5; URL=/x' HTTP-EQUIV='REFRESH'>", "/x"),
        (b"<meta http-equiv=refresh content=0;url=/y>", "/y"),
        (
            b'<html><head><meta http-equiv="refresh" content="0 /z"></head><p>Moved.</p></html>',
            "/z",
        ),
        (b'<meta http-equiv="refresh" content="30">', None),
        (b'<meta name="refresh" content="0;url=/no">', None),
        (b'<meta http-equiv="refresh" data-content="0;url=/no" content="10">', None),
        (b'<meta http-equiv="refresh" content="0;url=/no"><p>' + b"An article. " * 30, None),
        (PAGE, None),
        (b"", None),
    ],
)
def test_meta_refresh_counts_only_on_an_otherwise_empty_page(
    body: bytes, target: str | None
) -> None:
    assert meta_refresh(body) == target


def test_outgoing_headers_for_ipv6_and_default_ports(settings: Settings) -> None:
    assert outgoing_headers("https://[2001:db8::1]:443/x", settings)["Host"] == "[2001:db8::1]"
    assert outgoing_headers("http://example.com:8080/", settings)["Host"] == "example.com:8080"
    assert set(outgoing_headers("http://example.com/", settings)) == {
        "Host",
        "User-Agent",
        "Accept",
        "Accept-Language",
        "Accept-Encoding",
    }


# ---- TLS: connect to the checked address, verify the certificate against the name --------------


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway CA and a certificate for news.test signed by it, made with the openssl tool."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make test certificates")
    d = tmp_path_factory.mktemp("tls")
    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl(
        "req",
        "-x509",
        *key,
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Declutter Test CA",
        cwd=d,
    )
    openssl("req", *key, "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=news.test", cwd=d)
    (d / "ext.cnf").write_text(
        "subjectAltName=DNS:news.test\nbasicConstraints=CA:FALSE\n"
        "authorityKeyIdentifier=keyid\nkeyUsage=digitalSignature\n"
        "extendedKeyUsage=serverAuth\n"
    )
    openssl(
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "leaf.pem",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
        cwd=d,
    )
    return d


@pytest.fixture
def tls_upstream(tls_files: Path):
    """An HTTPS server on 127.0.0.1 with the news.test certificate; records the SNI it gets."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tls_files / "leaf.pem", tls_files / "leaf.key")
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.sni: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: server.sni.append(name)
    server.expect_request("/a").respond_with_data(PAGE, content_type="text/html")
    server.start()
    yield server
    server.clear()
    server.stop()


def test_https_connects_to_checked_address_with_name_for_sni_and_certificate(
    tls_upstream: HTTPServer,
    tls_files: Path,
    hosts: dict[str, list[str]],
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_files / "ca.pem"))
    hosts["news.test"] = ["127.0.0.1"]
    assert fetch(f"https://news.test:{tls_upstream.port}/a", settings).body == PAGE
    assert tls_upstream.sni == ["news.test"]
    assert tls_upstream.log[0][0].headers["Host"] == f"news.test:{tls_upstream.port}"


def test_https_certificate_for_another_name_is_refused(
    tls_upstream: HTTPServer,
    tls_files: Path,
    hosts: dict[str, list[str]],
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_files / "ca.pem"))
    hosts["other.test"] = ["127.0.0.1"]
    with pytest.raises(UpstreamError):
        fetch(f"https://other.test:{tls_upstream.port}/a", settings)
    assert tls_upstream.log == []


def test_https_untrusted_certificate_is_refused(
    tls_upstream: HTTPServer,
    hosts: dict[str, list[str]],
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "no-such-ca.pem"))
    hosts["news.test"] = ["127.0.0.1"]
    with pytest.raises(UpstreamError):
        fetch(f"https://news.test:{tls_upstream.port}/a", settings)
    assert tls_upstream.log == []


def test_reader_cookies_and_credentials_never_reach_the_upstream(
    client, upstream: HTTPServer
) -> None:
    upstream.expect_request("/a").respond_with_data(PAGE, content_type="text/html")
    client.get(
        "/api/v1/article",
        query_string={"url": upstream.url_for("/a")},
        headers={
            "Cookie": "session=secret",
            "Authorization": "Bearer secret",
            "Referer": "https://reader.example/",
            "X-Forwarded-For": "10.9.8.7",
        },
    )
    assert len(upstream.log) == 1
    sent = upstream.log[0][0].headers
    assert not {"Cookie", "Authorization", "Referer", "X-Forwarded-For"} & set(sent.keys())
    assert "secret" not in str(sent)


@pytest.fixture
def ipv6_upstream() -> Iterator[HTTPServer]:
    """An HTTP server on ::1, when this machine has IPv6 loopback."""
    server = HTTPServer(host="::1", port=0)
    try:
        server.start()
    except OSError:
        pytest.skip("no IPv6 loopback here")
    yield server
    server.clear()
    server.stop()


def test_ipv6_literal_hosts_are_fetched_when_allowed(ipv6_upstream: HTTPServer) -> None:
    ipv6_upstream.expect_request("/a").respond_with_data(PAGE, content_type="text/html")
    url = f"http://[::1]:{ipv6_upstream.port}/a"
    assert fetch(url, make_settings(DECLUTTER_ALLOW_NETWORKS="::1/128")).body == PAGE
    assert ipv6_upstream.log[0][0].headers["Host"] == f"[::1]:{ipv6_upstream.port}"
    with pytest.raises(RefusedAddress):
        fetch(url, make_settings())
