"""urls.validate (the gate before every fetch) and urls.normalise (the cache key)."""

from __future__ import annotations

import pytest

from proxy.errors import BadURL, RefusedAddress
from proxy.net.urls import normalise, validate


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://example.com/a?b=1", "https://example.com/a?b=1"),
        ("  HTTP://Example.COM  ", "http://example.com/"),
        ("https://example.com/page#section", "https://example.com/page"),
        ("https://user:secret@example.com/", "https://example.com/"),
        ("http://example.com@127.0.0.1/", "http://127.0.0.1/"),
        ("http://example.com./news", "http://example.com/news"),
        ("https://bücher.de/straße", "https://xn--bcher-kva.de/stra%C3%9Fe"),
        ("https://example.com/a b?q=x y", "https://example.com/a%20b?q=x%20y"),
        ("https://example.com:8443/", "https://example.com:8443/"),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
        ("http://[0:0:0:0:0:ffff:7f00:1]/", "http://[::ffff:7f00:1]/"),
        ("http://[fe80::1%25eth0]/", "http://[fe80::1%25eth0]/"),
        # a zone id ending in dots keeps them: the dot a host name may end in is no zone's
        # (the fuzzer's "http://[::1%7f0.0..]" lost one dot per normalisation)
        ("http://[fe80::1%25eth0..]/", "http://[fe80::1%25eth0..]/"),
    ],
    ids=repr,
)
def test_validate_accepts_and_canonicalises(raw: str, expected: str) -> None:
    assert validate(raw) == expected


@pytest.mark.parametrize(
    ("raw", "address"),
    [
        ("http://2130706433/", "127.0.0.1"),
        ("http://0x7f000001/", "127.0.0.1"),
        ("http://0177.0.0.1/", "127.0.0.1"),
        ("http://0x7f.0.0.1/", "127.0.0.1"),
        ("http://127.1/", "127.0.0.1"),
        ("http://127.0.1/", "127.0.0.1"),
        ("http://0/", "0.0.0.0"),
        ("http://10.1/", "10.0.0.1"),
        ("http://0xa9.0xfe.0xa9.0xfe/", "169.254.169.254"),
        ("http://025177524776/", "169.254.169.254"),
        ("http://3232235521./", "192.168.0.1"),
        (
            "http://\u00b2/",
            "0.0.0.2",
        ),  # a superscript two is "2" once the host is ASCII, as in browsers
        ("http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/", "127.0.0.1"),  # full-width digits
    ],
    ids=repr,
)
def test_numeric_ipv4_spellings_become_dotted_quads(raw: str, address: str) -> None:
    assert validate(raw) == f"http://{address}/"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "example.com",
        "/relative/path",
        "//example.com/x",
        "http://",
        "http:///path",
        "http://exa mple.com/",
        "http://example.com:99999/",
        "http://example.com:port/",
        "http://[::1/",
        "http://[not-ipv6]/",
        "http://1.2.3.4.5/",
        "http://256.1.1.1/",
        "http://0x100000000/",
        "http://09.1.1.1/",
        "http://a..b/",
        "http://exa\x00mple.com/",
        "http://example.com/\r\nX-Injected: 1",
        "http://127.0.0.1\\@example.com/",
        "http://" + "a" * 64 + ".com/",
        "https://example.com/" + "x" * 9000,
    ],
    ids=repr,
)
def test_validate_rejects(raw: str) -> None:
    with pytest.raises(BadURL):
        validate(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "file:///etc/passwd",
        "gopher://127.0.0.1:70/",
        "ftp://example.com/",
        "data:text/html,<b>x</b>",
        "javascript:alert(1)",
        "dict://127.0.0.1:11211/",
        "ldap://example.com/",
        "FILE:///etc/passwd",
    ],
    ids=repr,
)
def test_validate_refuses_other_schemes(raw: str) -> None:
    with pytest.raises(RefusedAddress):
        validate(raw)


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("HTTPS://Example.COM:443/a?b=2&a=1#top", "https://example.com/a?a=1&b=2"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/", "http://example.com:8080/"),
        ("https://example.com/a?utm_source=x&utm_medium=y&id=7", "https://example.com/a?id=7"),
        (
            "https://example.com/a?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&UTM_Campaign=5",
            "https://example.com/a",
        ),
        ("https://example.com/a?q=a%20b&&p=1", "https://example.com/a?p=1&q=a%20b"),
        ("https://example.com/a?b", "https://example.com/a?b"),
        ("http://[::1]:80/", "http://[::1]/"),
    ],
    ids=repr,
)
def test_normalise_gives_one_key_per_page(raw: str, key: str) -> None:
    assert normalise(raw) == key
    assert normalise(key) == key


def test_normalise_keeps_parameters_that_change_the_page() -> None:
    assert normalise("https://example.com/?page=2") != normalise("https://example.com/?page=3")
