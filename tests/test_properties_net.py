"""Property tests (hypothesis) on the URL gate, the cache key and the address guard.

Nothing here opens a connection: the guard's resolver is a table, and unknown names fail.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

import invariants
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxy.config import Settings
from proxy.net import netguard
from proxy.net.urls import validate

# Hypothesis runs on a shared, busy machine: no per-example deadline, a moderate budget.
# (A decorator, not a loaded profile, so other test modules keep their own settings.)
BUDGET = settings(
    deadline=None, max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Pieces URLs are built from: the usual, the tricky and the hostile.
SCHEMES = st.sampled_from(
    ["http", "https", "HTTP", "hTTps", "ftp", "file", "javascript", "", "gopher"]
)
NAMES = st.from_regex(r"\A[a-zA-Z0-9-]{1,12}(\.[a-zA-Z0-9-]{1,12}){0,3}\.?\Z")
UNICODE_NAMES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20)
PORTS = st.one_of(st.none(), st.integers(min_value=0, max_value=70000).map(str), st.just("x"))
PATHS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
PARAMS = st.sampled_from(["utm_source", "UTM_Medium", "a", "B", "fbclid", "q", "gclid", "x y"])
QUERIES = st.lists(st.tuples(PARAMS, st.text(max_size=6)), max_size=5)


def spelled_ipv4(value: int, bases: list[int], parts: int) -> str:
    """``value`` written as an IPv4 host in ``parts`` numbers, each in decimal, octal or hex."""
    sizes = [1] * (parts - 1) + [4 - (parts - 1)]
    numbers, shift = [], 32
    for size in sizes:
        shift -= 8 * size
        numbers.append((value >> shift) & ((1 << (8 * size)) - 1))
    formats = {10: "{}", 8: "0{:o}", 16: "0x{:x}"}
    return ".".join(
        formats[base].format(n) for n, base in zip(numbers, bases, strict=False)
    )  # bases: 4, parts: 1-4


IPV4_SPELLINGS = st.builds(
    lambda value, bases, parts: (value, spelled_ipv4(value, bases, parts)),
    st.integers(min_value=0, max_value=2**32 - 1),
    st.lists(st.sampled_from([8, 10, 16]), min_size=4, max_size=4),
    st.integers(min_value=1, max_value=4),
)
HOSTS = st.one_of(
    NAMES,
    UNICODE_NAMES,
    IPV4_SPELLINGS.map(lambda pair: pair[1]),
    st.ip_addresses(v=6).map(lambda ip: f"[{ip}]"),
    st.sampled_from(["[::1%25lo]", "[fe80::1%eth0]", "[", "]", "@", ""]),
)


@st.composite
def urls(draw: st.DrawFn) -> str:
    """URL-shaped strings: scheme, maybe userinfo, host, maybe port, path, query, fragment."""
    userinfo = draw(st.sampled_from(["", "user@", "user:pass@", "example.com@", "a@b@"]))
    port = draw(PORTS)
    query = "&".join(f"{k}={v}" for k, v in draw(QUERIES))
    return (
        f"{draw(SCHEMES)}://{userinfo}{draw(HOSTS)}{':' + port if port else ''}/{draw(PATHS)}"
        f"{'?' + query if query else ''}{draw(st.sampled_from(['', '#top', '#']))}"
    )


ANY_URL = st.one_of(urls(), st.text(max_size=60))


@BUDGET
@given(ANY_URL)
def test_validate_raises_only_bad_url(raw: str) -> None:
    invariants.check_validate(raw)


@BUDGET
@given(ANY_URL)
def test_normalise_raises_only_bad_url_and_is_idempotent(raw: str) -> None:
    invariants.check_normalise(raw)


@BUDGET
@given(IPV4_SPELLINGS)
def test_every_numeric_ipv4_spelling_reads_as_its_address(pair: tuple[int, str]) -> None:
    value, host = pair
    assert validate(f"http://{host}/") == f"http://{ipaddress.IPv4Address(value)}/"


@BUDGET
@given(st.one_of(st.ip_addresses(), st.text(max_size=45)))
def test_is_refused_always_answers(ip: object) -> None:
    assert netguard.is_refused(str(ip)) in (True, False)


@BUDGET
@given(st.sampled_from(netguard.REFUSED_NETWORKS).flatmap(lambda net: st.ip_addresses(network=net)))
def test_every_address_of_a_refused_network_is_refused(ip: ipaddress.IPv4Address) -> None:
    assert netguard.is_refused(ip)


@BUDGET
@given(st.ip_addresses(v=4))
def test_ipv6_wrappings_of_a_refused_ipv4_are_refused(ip: ipaddress.IPv4Address) -> None:
    if not netguard.is_refused(ip):
        return
    packed = int(ip)
    sixtofour = ipaddress.IPv6Address((0x2002 << 112) | (packed << 80))
    for wrapped in (f"::ffff:{ip}", f"64:ff9b::{ip}", f"::{ip}", str(sixtofour)):
        assert netguard.is_refused(wrapped), wrapped


@pytest.fixture
def offline_resolver(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The guard's resolver answers nothing: a name fails to resolve, only literals are checked."""
    monkeypatch.setattr(netguard, "resolver", invariants.refuse_resolution)
    yield


@BUDGET
@given(raw=ANY_URL)
def test_guard_raises_only_its_errors_and_never_passes_a_refused_literal(
    offline_resolver: None, raw: str
) -> None:
    invariants.check_guard(raw, Settings.from_env({}))
