"""The security suite's guard class: what the address guard, the host lists, the per-host cap, the
refusal messages and the smaller gates (client keys, bind checks, the CLI, the embedded Redis's
files) must hold, each rule over the many spellings of its input, not only the one a red team tried.

Addresses other than loopback are only ever given to the guard's functions (``is_refused``,
``resolve_checked``, ``fetch.guard``, ``check_host``); names reach them through the ``hosts`` table,
never DNS. Requests that do go out go to 127.0.0.0/8, and are refused before connecting when the
rule works.
"""

from __future__ import annotations

import ipaddress
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from conftest import PAGES, declutter, free_port
from flask import Flask
from hypothesis import HealthCheck, given
from hypothesis import settings as budget
from hypothesis import strategies as st
from servers import APP, CONF, GUNICORN, ROOT, get, wait_until_healthy

from proxy import create_app
from proxy.config import ConfigError, Settings
from proxy.errors import PrivateAddress, RateLimited, RefusedAddress
from proxy.net import fetch, netguard, politeness
from proxy.store import embedded_redis
from proxy.web import auth, ratelimit

# Internal IPv4 addresses an attacker would reach through an IPv6 form that carries them.
INTERNAL_V4 = ("169.254.169.254", "127.0.0.1", "10.0.0.1", "192.168.1.1", "100.100.100.200")
# A public IPv4 address, for the fields of a carrier that are not the one under test.
PUBLIC_V4 = "93.184.215.14"
# A saved article, for the CLI and the loopback upstream.
STORY = str(PAGES / "serving-story" / "source.html")


def teredo(server: str, client: str) -> str:
    """A Teredo address (2001::/32): server in bits 32-63, client inverted in the last 32."""
    value = (0x20010000 << 96) | (int(ipaddress.IPv4Address(server)) << 64)
    return str(ipaddress.IPv6Address(value | (~int(ipaddress.IPv4Address(client)) & 0xFFFFFFFF)))


def carriers(v4: str) -> dict[str, str]:
    """Every IPv6 spelling that carries ``v4``, by form."""
    n = int(ipaddress.IPv4Address(v4))
    siit = ipaddress.IPv6Address((0xFFFF << 48) | n)
    return {
        "mapped": str(ipaddress.IPv6Address((0xFFFF << 32) | n)),
        "mapped-dotted": f"::ffff:{v4}",
        "mapped-exploded": ipaddress.IPv6Address((0xFFFF << 32) | n).exploded,
        "siit": str(siit),
        "siit-dotted": f"::ffff:0:{v4}",
        "siit-exploded-upper": siit.exploded.upper(),
        "siit-zone": f"{siit}%eth0",
        "6to4": str(ipaddress.IPv6Address((0x2002 << 112) | (n << 80) | 1)),
        "nat64": str(ipaddress.IPv6Address(int(ipaddress.IPv6Address("64:ff9b::")) | n)),
        "teredo-client": teredo(PUBLIC_V4, v4),
        "teredo-server": teredo(v4, PUBLIC_V4),
    }


# Hypothesis on a shared, busy machine: no per-example deadline, a moderate number of examples.
PROPERTY = budget(
    deadline=None, max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FORMS = sorted(carriers(PUBLIC_V4))
CARRIED = [(form, v4, address) for v4 in INTERNAL_V4 for form, address in carriers(v4).items()]
CARRIED_IDS = [f"{form}-{v4}" for form, v4, _ in CARRIED]


def networks(*cidrs: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(cidr) for cidr in cidrs)


def settings(**env: str) -> Settings:
    return Settings.from_env({"DECLUTTER_DATA_DIR": "unused", **env})


# -- 14: IPv6 forms that carry an internal IPv4 address, SIIT included ---------------------------


@pytest.mark.parametrize("form, v4, address", CARRIED, ids=CARRIED_IDS)
def test_every_ipv6_form_carrying_an_internal_address_is_refused(form, v4, address):
    assert netguard.is_refused(address)


@pytest.mark.parametrize(
    "address",
    [carriers(PUBLIC_V4)[f] for f in ("siit", "siit-dotted")]
    + [f"::ffff:0:{v4}" for v4 in ("8.8.8.8", "1.1.1.1")],
)
def test_siit_is_refused_even_around_a_public_address(address):
    """IPv4-translated addresses are only meaningful inside a translator, never on the internet."""
    assert netguard.is_refused(address)


@pytest.mark.parametrize("form, v4, address", CARRIED, ids=CARRIED_IDS)
def test_a_name_resolving_to_a_carrier_is_refused_without_naming_the_answer(
    hosts, form, v4, address
):
    hosts["vm.example"] = [address]
    with pytest.raises(PrivateAddress) as refused:
        netguard.resolve_checked("vm.example", 80)
    message = refused.value.message.lower()
    assert "vm.example" in message
    assert v4 not in message and address.lower() not in message
    assert "resolves to a private" in message


@pytest.mark.parametrize(
    "allow, address, refused",
    [
        # Teredo: the server field alone allowed does not let the client through, nor the reverse.
        (("127.0.0.1/32",), teredo("127.0.0.1", PUBLIC_V4), True),
        (("127.0.0.1/32",), teredo("127.0.0.1", "10.0.0.1"), True),
        (("10.0.0.0/8",), teredo("127.0.0.1", "10.0.0.1"), True),
        (("169.254.0.0/16",), teredo(PUBLIC_V4, "169.254.169.254"), True),
        (
            ("127.0.0.1/32", "10.0.0.0/8"),
            teredo("127.0.0.1", "10.0.0.1"),
            False,
        ),  # every one allowed
        (("2001::/32",), teredo("127.0.0.1", "10.0.0.1"), False),  # the outer address allowed
        # The single-address carriers: allowed when the address they carry is.
        (("127.0.0.1/32",), "::ffff:127.0.0.1", False),
        (("127.0.0.1/32",), "::ffff:0:127.0.0.1", False),
        (("127.0.0.1/32",), "64:ff9b::7f00:1", False),
        (("127.0.0.1/32",), "2002:7f00:1::1", False),
        (("127.0.0.1/32",), "::ffff:0:127.0.0.2", True),
        (("127.0.0.1/32",), "2002:a00:1::1", True),
        (("2002::/16",), "2002:a00:1::1", False),
    ],
)
def test_the_allow_list_passes_an_address_only_if_it_or_everything_it_carries_is_listed(
    allow, address, refused
):
    assert netguard.is_refused(address, networks(*allow)) is refused


@PROPERTY
@given(v4=st.ip_addresses(v=4))
def test_no_carrier_passes_an_ipv4_address_the_guard_refuses(v4):
    if netguard.is_refused(v4):
        assert all(netguard.is_refused(address) for address in carriers(str(v4)).values())


@PROPERTY
@given(v4=st.ip_addresses(v=4), prefix=st.integers(min_value=0, max_value=32))
def test_an_allowed_network_opens_a_carrier_only_when_it_holds_all_it_carries(v4, prefix):
    allowed = ipaddress.ip_network(f"{v4}/{prefix}", strict=False)
    for form, address in carriers(str(v4)).items():
        carried = [v4, ipaddress.IPv4Address(PUBLIC_V4)] if form.startswith("teredo") else [v4]
        opened = all(inner in allowed for inner in carried)
        assert netguard.is_refused(address, (allowed,)) is not opened, form


# -- 17: refusals say what was asked, never what a name resolved to; the page says how to allow --


def test_the_refusal_page_hides_the_answer_and_names_the_setting_that_allows_one(
    settings_env, hosts
):
    hosts["vm.example"] = ["127.0.0.5"]  # outside the allowed 127.0.0.1/32: refused, no connection
    client = create_app(settings_env).test_client()
    page = client.get("/read", query_string={"url": "http://vm.example/"})
    api = client.get("/api/v1/article", query_string={"url": "http://vm.example/"})
    assert page.status_code == api.status_code == 403
    assert "DECLUTTER_ALLOW_NETWORKS" in page.text
    assert "127.0.0.5" not in page.text and "127.0.0.5" not in api.text
    assert api.json["error"]["code"] == "refused_address"


def test_host_list_refusals_do_not_suggest_the_allow_networks_setting(settings_env):
    env = {**settings_env, "DECLUTTER_HOST_DENYLIST": "blocked.example"}
    client = create_app(env).test_client()
    page = client.get("/read", query_string={"url": "http://blocked.example/"})
    assert page.status_code == 403 and "DECLUTTER_ALLOW_NETWORKS" not in page.text


# -- 15: host lists match one spelling of the host, and its addresses, on every hop --------------

LOOPBACK_ALLOWED = {"DECLUTTER_ALLOW_NETWORKS": "127.0.0.0/8"}
LOOPBACK_SPELLINGS = [
    "http://127.0.0.1/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[0:0:0:0:0:ffff:7f00:1]/",
    "http://[::FFFF:127.0.0.1]/",
    "http://2130706433/",
    "http://0x7f.1/",
    "http://127.1/",
    "http://0177.0.0.1/",
    "http://loopy.example/",
    "http://loopy6.example/",
    "http://mixed.example/",
]


@pytest.fixture
def loopback_names(hosts: dict[str, list[str]]) -> dict[str, list[str]]:
    """Names that resolve to 127.0.0.1 in several ways."""
    hosts["loopy.example"] = ["127.0.0.1"]
    hosts["loopy6.example"] = ["::ffff:127.0.0.1"]
    hosts["mixed.example"] = ["127.0.0.9", "::ffff:7f00:1"]
    return hosts


@pytest.mark.parametrize(
    "entry", ["127.0.0.1", "::ffff:127.0.0.1", "[::ffff:7f00:1]", "2130706433"]
)
@pytest.mark.parametrize("url", LOOPBACK_SPELLINGS)
def test_a_denied_address_is_denied_in_every_spelling_and_through_names(loopback_names, url, entry):
    with pytest.raises(RefusedAddress, match="does not read pages from"):
        fetch.guard(url, settings(DECLUTTER_HOST_DENYLIST=entry, **LOOPBACK_ALLOWED))


@pytest.mark.parametrize("url", LOOPBACK_SPELLINGS[:-1])  # mixed.example has another address too
def test_an_allowed_address_is_allowed_in_every_spelling(loopback_names, url):
    assert fetch.guard(url, settings(DECLUTTER_HOST_ALLOWLIST="127.0.0.1", **LOOPBACK_ALLOWED))


def test_an_allowlisted_address_must_cover_every_address_of_a_name(loopback_names):
    with pytest.raises(RefusedAddress):
        fetch.guard(
            "http://mixed.example/",
            settings(DECLUTTER_HOST_ALLOWLIST="127.0.0.1", **LOOPBACK_ALLOWED),
        )


UNICODE_ENTRIES = ["bücher.example", "BÜCHER.example.", "xn--bcher-kva.example", "Bücher.Example"]
UNICODE_URLS = [
    "http://bücher.example/",
    "http://BÜCHER.EXAMPLE/",
    "http://xn--bcher-kva.example/",
    "http://news.bücher.example/a",
    "http://xn--bcher-kva.example./",
]


@pytest.fixture
def unicode_names(hosts: dict[str, list[str]]) -> dict[str, list[str]]:
    hosts["xn--bcher-kva.example"] = [PUBLIC_V4]
    hosts["news.xn--bcher-kva.example"] = [PUBLIC_V4]
    hosts["other.example"] = [PUBLIC_V4]
    return hosts


@pytest.mark.parametrize("entry", UNICODE_ENTRIES)
@pytest.mark.parametrize("url", UNICODE_URLS)
def test_unicode_entries_deny_and_allow_their_idna_hosts(unicode_names, url, entry):
    with pytest.raises(RefusedAddress):
        fetch.guard(url, settings(DECLUTTER_HOST_DENYLIST=entry))
    assert fetch.guard(url, settings(DECLUTTER_HOST_ALLOWLIST=entry)) == [PUBLIC_V4]
    with pytest.raises(RefusedAddress):
        fetch.guard("http://other.example/", settings(DECLUTTER_HOST_ALLOWLIST=entry))


@pytest.mark.parametrize(
    "target",
    [
        "http://[::ffff:127.0.0.2]:{port}/x",
        "http://127.2:{port}/x",
        "http://internal.example:{port}/x",
    ],
)
def test_a_redirect_to_a_denied_address_in_another_spelling_is_refused(
    settings_env, upstream, hosts, target
):
    hosts["internal.example"] = ["::ffff:7f00:2"]
    location = target.format(port=upstream.port)
    upstream.expect_request("/out").respond_with_data(
        "", status=302, headers={"Location": location}
    )
    env = {
        **settings_env,
        "DECLUTTER_ALLOW_NETWORKS": "127.0.0.0/8",
        "DECLUTTER_HOST_DENYLIST": "127.0.0.2",
    }
    response = (
        create_app(env)
        .test_client()
        .get("/api/v1/article", query_string={"url": upstream.url_for("/out")})
    )
    assert response.status_code == 403
    assert "does not read pages from" in response.json["error"]["message"]


@PROPERTY
@given(v4=st.ip_addresses(v=4), form=st.sampled_from(FORMS))
def test_a_denied_address_is_denied_through_any_carrier_a_name_resolves_to(hosts, v4, form):
    hosts["any.example"] = [carriers(str(v4))[form]]
    everything = {"DECLUTTER_ALLOW_NETWORKS": "0.0.0.0/0,::/0"}  # only the host list refuses
    with pytest.raises(RefusedAddress, match="does not read pages from"):
        fetch.guard("http://any.example/", settings(DECLUTTER_HOST_DENYLIST=str(v4), **everything))


@PROPERTY
@given(v4=st.ip_addresses(v=4))
def test_every_spelling_of_an_ipv4_host_is_one_host(v4):
    mapped = ipaddress.IPv6Address((0xFFFF << 32) | int(v4))
    spellings = [str(int(v4)), hex(int(v4)), f"::ffff:{v4}", f"[{mapped}]", mapped.exploded]
    assert {netguard.canonical_host(spelling) for spelling in spellings} == {str(v4)}


@pytest.mark.parametrize(
    "spellings",
    [
        ("example.com", "EXAMPLE.com.", "Example.Com"),
        ("bücher.example", "BÜCHER.example", "xn--bcher-kva.example"),
        ("127.0.0.1", "::ffff:127.0.0.1", "[::ffff:7f00:1]", "2130706433", "0x7f.1", "127.1"),
        ("::1", "[0:0:0:0:0:0:0:1]", "0::1"),
    ],
)
def test_every_spelling_of_a_host_has_one_canonical_form(spellings):
    assert len({netguard.canonical_host(spelling) for spelling in spellings}) == 1


@contextmanager
def slot_held_elsewhere(env: dict[str, str], host: str) -> Iterator[None]:
    """One of ``host``'s slots held by another app (another worker) until the block ends."""
    holder = create_app(env)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with holder.app_context(), politeness.host_slot(host, holder.config["SETTINGS"]):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(10)
    try:
        yield
    finally:
        release.set()
        thread.join()


@pytest.mark.parametrize(
    "held, first_hop, redirect",
    [
        (
            "127.0.0.1",
            "http://[::ffff:7f00:1]:{port}/story",
            None,
        ),  # the first hop, another spelling
        (
            "::ffff:127.0.0.2",
            "http://127.0.0.1:{port}/out",
            "http://127.2:{port}/story",
        ),  # a later hop
    ],
)
def test_the_per_host_cap_holds_for_every_spelling_and_every_hop(
    settings_env, upstream, held, first_hop, redirect
):
    env = {
        **settings_env,
        "DECLUTTER_ALLOW_NETWORKS": "127.0.0.0/8",
        "DECLUTTER_HOST_CONCURRENCY": "1",
        "DECLUTTER_FETCH_TIMEOUT": "1",
    }
    if redirect:
        upstream.expect_request("/out").respond_with_data(
            "", status=302, headers={"Location": redirect.format(port=upstream.port)}
        )
    upstream.expect_request("/story").respond_with_data(
        Path(STORY).read_bytes(), content_type="text/html"
    )
    with slot_held_elsewhere(env, held):
        response = (
            create_app(env)
            .test_client()
            .get("/api/v1/article", query_string={"url": first_hop.format(port=upstream.port)})
        )
    assert response.status_code == RateLimited.status
    assert [entry[0].path for entry in upstream.log] == (["/out"] if redirect else [])


# -- 18: one budget per IPv6 site (/64), per IPv4 address however spelled ------------------------


@pytest.mark.parametrize(
    "address, key",
    [
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2:0:0:0:5", "2001:db8:1:2::/64"),
        ("2001:0db8:0001:0002::7", "2001:db8:1:2::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("198.51.100.7", "198.51.100.7"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("::ffff:c633:6407", "198.51.100.7"),
        ("", ""),
    ],
)
def test_client_keys_group_ipv6_by_64_and_read_mapped_ipv4_as_ipv4(address, key):
    assert ratelimit.client_key(address) == key


@pytest.mark.parametrize(
    "first, same, other",
    [
        (
            "2001:db8:1:2::1",
            ["2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:DB8:1:2:0:0:0:5"],
            "2001:db8:1:3::1",
        ),
        ("198.51.100.7", ["::ffff:198.51.100.7", "::ffff:c633:6407"], "198.51.100.8"),
    ],
)
@pytest.mark.usefixtures("whole_window")
def test_one_site_draws_on_one_budget_however_its_addresses_vary(
    settings_env, story, first, same, other
):
    client = create_app({**settings_env, "DECLUTTER_RATE_LIMIT": "1/minute"}).test_client()

    def status(peer: str, forwarded: str | None = None) -> int:
        headers = {"X-Forwarded-For": forwarded} if forwarded else {}
        return client.get(
            "/read",
            query_string={"url": story},
            headers=headers,
            environ_base={"REMOTE_ADDR": peer},
        ).status_code

    assert status(first) == 200
    assert [status(peer) for peer in same] == [429] * len(same)
    assert status("127.0.0.1", forwarded=same[0]) == 429  # named by a trusted proxy: the same
    assert status(other) == 200


def test_the_client_address_parser_is_unchanged_for_ipv6_peers():
    with Flask(__name__).test_request_context(environ_base={"REMOTE_ADDR": "2001:db8::1"}):
        assert ratelimit.client_address(settings().trusted_proxies) == "2001:db8::1"


# -- 18: a server's exposure is read from the socket it will listen on ---------------------------


@contextmanager
def inherited(kind: str, tmp_path: Path) -> Iterator[int]:
    """A descriptor of the given kind, as gunicorn would inherit it; closed afterwards."""
    if kind == "pipe":
        read, write = os.pipe()
        os.close(write)
        yield read
        os.close(read)
        return
    if kind == "file":
        with open(tmp_path / "plain", "w") as handle:
            yield handle.fileno()
        return
    family = {"inet": socket.AF_INET, "inet6": socket.AF_INET6, "unix": socket.AF_UNIX}
    with socket.socket(family[kind.split("-")[0]]) as sock:
        address = {
            "inet-loopback": ("127.0.0.1", 0),
            "inet6-loopback": ("::1", 0),
            "unix-bound": str(tmp_path / "s.sock"),
        }.get(kind)
        if address is not None:
            sock.bind(address)
        yield sock.fileno()


@pytest.mark.parametrize("kind", ["inet", "inet6", "pipe", "file"])
def test_an_inherited_descriptor_off_loopback_needs_tokens(kind, tmp_path):
    with inherited(kind, tmp_path) as fd:
        with pytest.raises(ConfigError, match="DECLUTTER_TOKENS"):
            auth.check_exposure(auth.bind_host(f"fd://{fd}"), settings())
        os.fstat(fd)  # still open: gunicorn uses it next


@pytest.mark.parametrize("bind", ["fd://999999", "fd://x", "fd://", "tcp://0.0.0.0:8000"])
def test_binds_that_name_no_loopback_socket_need_tokens(bind):
    with pytest.raises(ConfigError, match="DECLUTTER_TOKENS"):
        auth.check_exposure(auth.bind_host(bind), settings())


@pytest.mark.parametrize("kind", ["inet-loopback", "inet6-loopback", "unix", "unix-bound"])
def test_an_inherited_loopback_or_unix_socket_needs_no_tokens(kind, tmp_path):
    with inherited(kind, tmp_path) as fd:
        auth.check_exposure(auth.bind_host(f"fd://{fd}"), settings())
        os.fstat(fd)


@pytest.mark.parametrize("bind", ["tcp://127.0.0.1:8000", "tcp://[::1]:8000", "unix:/run/d.sock"])
def test_other_loopback_spellings_of_binds_need_no_tokens(bind):
    auth.check_exposure(auth.bind_host(bind), settings())


def test_systemds_sockets_replace_the_binds_only_when_meant_for_this_process():
    binds = ["127.0.0.1:8000"]
    mine = {"LISTEN_PID": str(os.getpid()), "LISTEN_FDS": "2"}
    assert auth.served_binds(binds, mine) == ["fd://3", "fd://4"]
    assert auth.served_binds(binds, {**mine, "LISTEN_PID": "1"}) == binds
    assert auth.served_binds(binds, {}) == binds


def run_gunicorn(
    env: dict[str, str], fd: int, *, systemd: bool
) -> subprocess.CompletedProcess[str]:
    """gunicorn with the deploy conf serving an inherited descriptor, as fd:// or by systemd."""
    command = [str(GUNICORN), "-c", CONF, APP]
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **env, "DECLUTTER_BIND": f"fd://{fd}"}
    if systemd:  # as systemd does: the descriptor at 3, LISTEN_PID the pid that execs gunicorn
        full_env["DECLUTTER_BIND"] = f"127.0.0.1:{free_port()}"
        become = (
            f"import os, sys; os.dup2({fd}, 3); os.environ['LISTEN_PID'] = str(os.getpid()); "
            "os.environ['LISTEN_FDS'] = '1'; os.execv(sys.argv[1], sys.argv[1:])"
        )
        command = [sys.executable, "-c", become, *command]
    return subprocess.run(
        command, cwd=ROOT, env=full_env, pass_fds=(fd,), capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("systemd", [False, True], ids=["fd-bind", "socket-activation"])
def test_gunicorn_refuses_an_inherited_descriptor_it_cannot_show_is_loopback(
    settings_env, tmp_path, systemd
):
    with inherited("pipe", tmp_path) as fd:
        result = run_gunicorn(settings_env, fd, systemd=systemd)
    assert result.returncode != 0
    assert "DECLUTTER_TOKENS" in result.stdout + result.stderr


def test_gunicorn_serves_an_inherited_loopback_socket(settings_env):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            **settings_env,
            "DECLUTTER_BIND": f"fd://{sock.fileno()}",
            "WEB_CONCURRENCY": "1",
        }
        server = subprocess.Popen(
            [str(GUNICORN), "-c", CONF, APP],
            cwd=ROOT,
            env=env,
            pass_fds=(sock.fileno(),),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_healthy(f"http://127.0.0.1:{sock.getsockname()[1]}", server)
        finally:
            server.terminate()
            server.wait(timeout=40)


# -- 18: declutter extract takes only what the server would ---------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "java\tscript:alert(1)",
        "/relative/path",
        "//no-scheme.example/a",
        "http://",
        "",
    ],
)
def test_extract_refuses_a_url_the_server_would_refuse(capsys, url):
    code, out, err = declutter(capsys, "extract", STORY, "--url", url)
    assert (code, out) == (2, "")
    assert err.startswith("declutter: --url") and "Traceback" not in err


def test_extract_reads_at_most_max_bytes_of_an_endless_file():
    """/dev/zero once filled memory; now the read stops past DECLUTTER_MAX_BYTES (run under a
    memory cap, so a regression fails instead of swapping)."""
    cap = "import resource; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30));"
    argv = ["extract", "/dev/zero", "--url", "https://a.example/"]
    run = f"{cap} from proxy.cli import main; main({argv!r})"
    result = subprocess.run(
        [sys.executable, "-c", run],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert "larger than 5000000 bytes (DECLUTTER_MAX_BYTES)" in result.stderr


def test_extract_honours_the_configured_limit_exactly(capsys, monkeypatch, tmp_path):
    body = Path(STORY).read_bytes()
    monkeypatch.setenv("DECLUTTER_MAX_BYTES", str(len(body)))
    assert declutter(capsys, "extract", STORY, "--url", "https://a.example/")[0] == 0
    monkeypatch.setenv("DECLUTTER_MAX_BYTES", str(len(body) - 1))
    code, out, err = declutter(capsys, "extract", STORY, "--url", "https://a.example/")
    assert (code, out) == (2, "") and "DECLUTTER_MAX_BYTES" in err


# -- 12: the embedded Redis keeps its files private and private pages off the disk ---------------


def no_access_for_others(directory: Path) -> list[str]:
    """Entries under ``directory`` (itself included) that group or others may use."""
    entries = [directory, *directory.rglob("*")]
    return [
        f"{entry.name} {oct(stat.S_IMODE(entry.stat().st_mode))}"
        for entry in entries
        if stat.S_IMODE(entry.stat().st_mode) & 0o077
    ]


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o000])
def test_the_embedded_redis_files_are_private_whatever_the_umask(tmp_path, umask):
    data = tmp_path / "data"
    previous = os.umask(umask)
    try:
        url = embedded_redis.ensure(data)
    finally:
        os.umask(previous)
    with redis.Redis.from_url(url) as client:
        client.set("declutter:x:a:public", "kept")
    assert no_access_for_others(data) == []  # running: directory, socket, pid, log, lock
    stop_in_order(data)
    assert (data / "dump.rdb").exists()
    assert no_access_for_others(data) == []  # and the snapshot


def stop_in_order(data: Path) -> None:
    """Stop the data directory's server as its owner does: a snapshot, then SIGTERM.

    redis-server removes its pid file before it unlinks its socket, so both are waited for:
    a listing taken between the two once named a socket that was gone by its stat.
    """
    assert embedded_redis.snapshot_public(data / embedded_redis.SOCKET_NAME)
    os.kill(int((data / embedded_redis.PID_NAME).read_text()), signal.SIGTERM)
    deadline = time.monotonic() + 10
    leftovers = (data / embedded_redis.PID_NAME, data / embedded_redis.SOCKET_NAME)
    while any(path.exists() for path in leftovers):
        assert time.monotonic() < deadline, "redis-server did not shut down within 10 s"
        time.sleep(0.02)


def test_an_existing_data_dir_is_made_private_and_an_old_append_only_file_removed(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    (data / "appendonly.aof").write_text("SET declutter:r:old-private-page ...")
    embedded_redis.ensure(data)
    try:
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        assert not (data / "appendonly.aof").exists()
    finally:
        os.kill(int((data / embedded_redis.PID_NAME).read_text()), signal.SIGTERM)


def test_a_posted_page_never_reaches_the_embedded_redis_disk(tmp_path, story):
    """Through the real command under umask 022: a POSTed page is served, the server stops in
    order, and no file in the data directory holds its result; the public article is kept."""
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DECLUTTER_DATA_DIR": str(tmp_path / "data"),
        "DECLUTTER_ALLOW_NETWORKS": "127.0.0.1/32",
        "DECLUTTER_RESULT_TTL": "1",
    }
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "proxy", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        umask=0o022,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_healthy(base, server)
        result_id = post_page(base, Path(STORY).read_text())
        assert get(f"{base}/api/v1/article?url={story}")[0] == 200  # a public article, cached
        time.sleep(1.5)  # the result expires
    finally:
        server.terminate()
        assert server.wait(timeout=30) == 0
    data = tmp_path / "data"
    on_disk = b"".join(path.read_bytes() for path in data.rglob("*") if path.is_file())
    assert result_id.encode() not in on_disk and b"declutter:r:" not in on_disk
    assert b":a:127.0.0.1" in on_disk  # the public cache survives a restart
    assert no_access_for_others(data) == []


def post_page(base: str, html: str) -> str:
    """POST a page to the API; its private result id."""
    body = json.dumps({"url": "https://a.example/p", "html": html}).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/article",
        method="POST",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=15) as response:
        return json.load(response)["result_id"]
