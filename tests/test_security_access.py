"""Access under attack: wrong credentials answered and counted alike everywhere, only known host
names served (no DNS rebinding, no forward proxy), sign-in that neither bounces off-site nor takes
another site's POST, and metrics whose labels no client can multiply. Through the real app with a
real Redis, and a real gunicorn where the request line matters."""

from __future__ import annotations

import json
import re
import socket
from urllib.parse import quote

import ada_url
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from prometheus_client.parser import text_string_to_metric_families
from servers import gunicorn, werkzeug_server

from proxy import create_app
from proxy.config import ConfigError
from proxy.net import urls
from proxy.ops import metrics

TOKEN = "household-token-0123456789"
# Wrong guesses an address may make before it must wait (limits.AUTH_FAILURE_LIMITS, a minute).
GUESSES_ALLOWED = 10


@pytest.fixture
def private(settings_env: dict[str, str]):
    """A client of the app with a token required."""
    return create_app({**settings_env, "DECLUTTER_TOKENS": TOKEN}).test_client()


# -- item 8: wrong credentials, the same answer and the same count on every route ---------------

ROUTES = [
    "/",
    "/read?url=https%3A%2F%2Fexample.com%2F",
    "/https://example.com/a",
    "/read/r/abc",
    "/api/v1/article?url=https%3A%2F%2Fexample.com%2F",
    "/metrics",
    "/no/such/page",
    "/read?url=x",
    "/api/v1/no-such",
]
# Routes open to everyone: they answer the same whatever the token, so a guess there learns nothing.
OPEN_ROUTES = ["/healthz", "/robots.txt", "/signin", "/favicon.ico", "/static/reader.css"]
WRONG = ["guess", TOKEN[:-1], TOKEN + "0", TOKEN.upper(), f" {TOKEN}x", "Bearer", "a" * 4096]


@pytest.mark.parametrize("route", ROUTES)
def test_a_wrong_bearer_is_401_on_every_route(private, route):
    for wrong in WRONG:
        answer = private.get(route, headers={"Authorization": f"Bearer {wrong}"})
        assert answer.status_code == 401, (route, wrong)
        assert answer.headers["WWW-Authenticate"] == 'Bearer realm="declutter"'
        assert answer.get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("route", ROUTES)
def test_guesses_on_any_route_are_counted_in_one_budget(private, route):
    others = [r for r in ROUTES if r != route]
    for n in range(GUESSES_ALLOWED):  # spread over the other routes, then this one is refused
        private.get(others[n % len(others)], headers={"Authorization": f"Bearer guess{n}"})
    refused = private.get(route, headers={"Authorization": f"Bearer {TOKEN}"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


@pytest.mark.parametrize("route", OPEN_ROUTES)
def test_open_routes_answer_alike_whatever_the_token_and_count_nothing(private, route):
    def status(headers: dict[str, str]) -> int:
        with private.get(route, headers=headers) as answer:  # static files stream: close them
            return answer.status_code

    answers = {
        status({"Authorization": f"Bearer {token}"})
        for token in [TOKEN, *WRONG, *(f"guess{n}" for n in range(GUESSES_ALLOWED))]
    }
    assert answers == {status({})}
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert private.get("/api/v1/article?url=x", headers=auth).status_code != 429


def test_the_right_bearer_still_reads_every_reader_route(private, story):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for route in (f"/read?url={quote(story, safe='')}", f"/{story}", "/"):
        assert private.get(route, headers=auth).status_code == 200, route


# -- item 9: only the host names this server is known by ----------------------------------------

REFUSED_HOSTS = [
    "evil.example",
    "evil.example:8000",
    "EVIL.example",
    "localhost.evil.example",
    "127.0.0.1.nip.io",
    "localtest.me",
    "localhost@evil.example",
    "evil.example@localhost",
    "localhost:80@evil.example",
    "localhost/evil.example",
    "localhost#evil.example",
    "localhost evil.example",
    "localhost,evil",
    "xn--lcalhost-9za",
    "[::ffff:7f00:1]x",
    "2130706433",
    "0x7f.1",
    "10.0.0.1.nip.io",
    "169.254.169.254.evil.example",
    "[fe80::1",
    "reader.example.org.evil.example",
    "",
    " ",
    "localhost..",
    "localhost:",
    "localhost:99999x",
    "evil.example.",
    "[::1]evil.example",
]
ALLOWED_HOSTS = [
    "localhost",
    "localhost:8000",
    "LOCALHOST",
    "localhost.",
    "127.0.0.1",
    "127.0.0.1:5000",
    "127.8.9.10",
    "[::1]",
    "[::1]:8000",
    "[0:0:0:0:0:0:0:1]",
    "reader.example.org",
    "Reader.Example.Org:443",
    "reader.example.org.",
    "other.example.net",
    "0.0.0.0",
    "[::]",
    "10.0.0.1:8000",
    "169.254.169.254",
    "[fe80::1]",
    "[2001:db8::1]:8000",
]


@pytest.fixture
def named(settings_env: dict[str, str]):
    """A client of the app with its public names configured."""
    env = {**settings_env, "DECLUTTER_ALLOWED_HOSTS": "Reader.Example.org, other.example.net"}
    return create_app(env).test_client()


@pytest.mark.parametrize("host", REFUSED_HOSTS)
def test_other_host_names_get_421_on_every_route(named, host):
    for route in ROUTES:
        answer = named.get(route, headers={"Host": host})
        assert answer.status_code == 421, (route, host)
    api = named.get(ROUTES[4], headers={"Host": host})
    assert api.get_json()["error"]["code"] == "misdirected_request"


@pytest.mark.parametrize("host", ALLOWED_HOSTS)
def test_known_host_names_are_served(named, host):
    assert named.get("/robots.txt", headers={"Host": host}).status_code == 200


def test_star_allows_any_host(settings_env):
    client = create_app({**settings_env, "DECLUTTER_ALLOWED_HOSTS": "*"}).test_client()
    assert client.get("/robots.txt", headers={"Host": "anything.example"}).status_code == 200


@pytest.mark.parametrize(
    "value",
    [
        "https://reader.example.org",
        "reader.example.org/x",
        "a b",
        "reader@example.org",
        "*.example.org",
    ],
)
def test_a_malformed_allowed_host_stops_the_server_with_a_message(settings_env, value):
    with pytest.raises(ConfigError, match="DECLUTTER_ALLOWED_HOSTS"):
        create_app({**settings_env, "DECLUTTER_ALLOWED_HOSTS": value})


def raw_request(
    port: int, request_line: str, host: str, body: str = "", headers: str = ""
) -> tuple[int, bytes]:
    """Send one request as written (the request line too) to 127.0.0.1:port; status and body."""
    length = f"Content-Length: {len(body)}\r\nContent-Type: application/json\r\n" if body else ""
    data = f"{request_line}\r\nHost: {host}\r\n{headers}{length}Connection: close\r\n\r\n{body}"
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        sock.sendall(data.encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, content = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), content


# Absolute-form request lines, as clients send a forward proxy: never fetched, wherever they point.
FORWARD_LINES = [
    "GET {up}/story HTTP/1.1",
    "GET {up}/story?x=1 HTTP/1.1",
    "GET {up}//story HTTP/1.1",
    "HEAD {up}/story HTTP/1.1",
    "GET http://evil.example/story HTTP/1.1",
    "GET https://evil.example/a HTTP/1.1",
    "GET HTTP://EVIL.EXAMPLE/a HTTP/1.1",
    "GET http://localhost@evil.example/a HTTP/1.1",
]


def test_gunicorn_is_no_forward_proxy_and_checks_hosts(settings_env, upstream, story):
    upstream_base = upstream.url_for("").rstrip("/")
    with gunicorn(settings_env) as base:
        port = int(base.rsplit(":", 1)[1])
        for line in FORWARD_LINES:
            status, _ = raw_request(port, line.format(up=upstream_base), f"127.0.0.1:{port}")
            assert status in (400, 404, 421), line
        assert upstream.log == []  # nothing fetched for any of them
        for host in ("evil.example", "evil.example:80", "localhost@evil.example"):
            assert raw_request(port, "GET /healthz HTTP/1.1", host)[0] == 421, host
        assert raw_request(port, f"GET /{story} HTTP/1.1", f"localhost:{port}")[0] == 200
        # an absolute-form line for this server is still the direct reader URL it names
        assert raw_request(port, f"GET {base}/{story} HTTP/1.1", f"localhost:{port}")[0] == 200
        post = '{"url": "https://example.com/a", "html": "<article><p>Hello there.</p></article>"}'
        for host in ("evil.example", "evil.example:1", "127.0.0.1@evil.example"):  # reader_url
            assert raw_request(port, "POST /api/v1/article HTTP/1.1", host, post)[0] == 421
        status, body = raw_request(port, "POST /api/v1/article HTTP/1.1", f"localhost:{port}", post)
        assert status == 200
        assert json.loads(body)["reader_url"].startswith(f"http://localhost:{port}/read/r/")


def test_the_development_server_is_no_forward_proxy_either(app, upstream, story):
    """``declutter serve`` runs werkzeug's server, which reads an absolute-form line its own way."""
    with werkzeug_server(app) as base:
        up, port = upstream.url_for("").rstrip("/"), int(base.rsplit(":", 1)[1])
        for line in FORWARD_LINES:
            assert raw_request(port, line.format(up=up), f"127.0.0.1:{port}")[0] in (400, 404, 421)
        assert upstream.log == []
        assert raw_request(port, f"GET /{story} HTTP/1.1", f"localhost:{port}")[0] == 200


# -- item 10: sign-in goes back to a page of this server, asked from this server ----------------

OFF_SITE_NEXT = [
    "//evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "\x0c//evil.example",
    "\x00//evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "/\t\\evil.example",
    "/..//evil.example",
    "/.//evil.example",
    "/%2e%2e//evil.example",
    "/a/..//evil.example",
    "/.%2e//evil.example",
    "https://evil.example/",
    "http:evil.example",
    "https:/evil.example",
    "javascript:alert(1)",
    "data:text/html,x",
    "evil.example",
    "//evil.example/%2f..",
    "/\t\n\r/evil.example",
    "///evil.example",
]
LOCAL_NEXT = [
    "/read?url=https%3A%2F%2Fexample.com%2F",
    "/",
    "/a/b?c=d#e",
    "/%09x",
    "/caf\u00e9",
    "/a\tb",
    "/a\nb",
    "/a b",
    "/\u3000/evil.example",
    "/ /evil.example",
]
# A plain path: a slash, then printable ASCII with no second slash or backslash first.
PLAIN_PATH = re.compile(r"/(?![/\\])[!-~]*")
ORIGIN = "https://reader.example.org"


def stays_here(location: str) -> bool:
    """True when a browser following ``location`` from this server stays on it (ada: WHATWG URL)."""
    resolved = ada_url.URL(location, f"{ORIGIN}/signin")
    return bool(PLAIN_PATH.fullmatch(location)) and resolved.origin == ORIGIN


@pytest.mark.parametrize("target", OFF_SITE_NEXT + LOCAL_NEXT)
def test_sign_in_only_ever_returns_to_this_server(private, target):
    answer = private.post(
        "/signin",
        data={"token": TOKEN, "next": target},
        base_url=ORIGIN,
        headers={"Origin": ORIGIN},
    )
    assert answer.status_code == 303
    assert stays_here(answer.headers["Location"]), answer.headers["Location"]
    form = private.get("/signin", query_string={"next": target}, base_url=ORIGIN)
    assert form.status_code == 200
    kept = re.search(r'name="next" value="([^"]*)"', form.get_data(as_text=True))
    assert kept is None or stays_here(kept.group(1).replace("&amp;", "&"))


@pytest.mark.parametrize("target", OFF_SITE_NEXT)
def test_an_off_site_next_lands_on_the_home_page(private, target):
    answer = private.post("/signin", data={"token": TOKEN, "next": target}, base_url=ORIGIN)
    assert answer.headers["Location"] == "/"


# The characters off-site redirects are made of, and some that are harmless, for hypothesis.
NEXT_PIECES = st.lists(
    st.sampled_from(
        [
            "/",
            "\\",
            ".",
            "..",
            "%2e",
            "%2f",
            "%5c",
            "\t",
            "\n",
            "\r",
            " ",
            "\x00",
            "\x0c",
            "@",
            ":",
            "?",
            "#",
            "evil.example",
            "a",
            "\u3000",
            "\uff0f",
            "http:",
            "%09",
        ]
    ),
    max_size=12,
)


@settings(deadline=None, max_examples=200)
@given(NEXT_PIECES)
def test_no_next_of_any_shape_leaves_this_server(pieces):
    path = urls.local_path("".join(pieces))
    assert path is None or stays_here(path)


# Requests another site can make a signed-in browser send to /signin or /signout.
CROSS_SITE = [
    {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "document", "Sec-Fetch-User": "?1"},
    {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Dest": "document"},
    {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "iframe"},
    {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Dest": "iframe"},
    {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "empty"},
    {"Origin": "https://evil.example"},
    {"Origin": "null", "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "document"},
    {"Origin": "https://reader.example.org.evil"},
    {"Origin": "http://evil.example:443"},
    {"Origin": ORIGIN, "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "document"},
]
SAME_SITE = [
    {},
    {"Origin": ORIGIN},
    {"Origin": "http://reader.example.org"},
    {"Origin": "null", "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Dest": "document"},
    {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Dest": "document", "Origin": ORIGIN},
    {"Sec-Fetch-Site": "none", "Sec-Fetch-Dest": "document"},
]


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_another_site_cannot_sign_a_browser_in_or_out(private, headers):
    signin = private.post("/signin", data={"token": TOKEN}, base_url=ORIGIN, headers=headers)
    assert signin.status_code == 403 and "Set-Cookie" not in signin.headers
    signout = private.post("/signout", base_url=ORIGIN, headers=headers)
    assert signout.status_code == 403 and "Set-Cookie" not in signout.headers


@pytest.mark.parametrize("headers", SAME_SITE)
def test_our_own_form_signs_in_and_out(private, headers):
    signin = private.post("/signin", data={"token": TOKEN}, base_url=ORIGIN, headers=headers)
    assert signin.status_code == 303 and "declutter_session=" in signin.headers["Set-Cookie"]
    signout = private.post("/signout", base_url=ORIGIN, headers=headers)
    assert signout.status_code == 303 and "declutter_session=;" in signout.headers["Set-Cookie"]


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
# Another site's page that posts a form to Declutter as soon as it loads (login and logout CSRF).
AUTO_POST = (
    '<html><body><form method="post" action="{action}">'
    '<input name="token" value="{token}"></form>'
    "<script>document.forms[0].submit()</script></body></html>"
)


def test_another_site_cannot_sign_a_real_browser_out_or_in(settings_env, upstream, playwright):
    """Signed in, a reader visits a page on another site (localhost, not 127.0.0.1) that posts to
    /signout and to /signin with the attacker's token: both refused, the reader's session stays."""
    attacker = "attacker-token-0123456789"
    app = create_app({**settings_env, "DECLUTTER_TOKENS": f"{TOKEN},{attacker}"})
    with werkzeug_server(app) as base:
        for name, action, token in (("out", "/signout", ""), ("in", "/signin", attacker)):
            upstream.expect_request(f"/{name}").respond_with_data(
                AUTO_POST.format(action=base + action, token=token), content_type="text/html"
            )
        signed_in_reader_meets_the_forms(playwright, base, upstream.port)


def signed_in_reader_meets_the_forms(playwright, base: str, port: int) -> None:
    """Chromium signs in at ``base``, then opens localhost:``port``/out and /in."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        page = browser.new_page()
        page.goto(f"{base}/signin")
        page.fill("input[name=token]", TOKEN)
        with page.expect_response(lambda r: r.request.method == "POST") as signed_in:
            page.click("button[type=submit]")
        assert signed_in.value.status == 303  # sent with Origin: null, Sec-Fetch-Site: same-origin
        cookie = {c["name"]: c["value"] for c in page.context.cookies()}["declutter_session"]
        for name, action in (("out", "/signout"), ("in", "/signin")):
            with page.expect_response(
                lambda r, a=base + action: r.url == a and r.request.method == "POST"
            ) as answer:
                page.goto(f"http://localhost:{port}/{name}")
            assert answer.value.status == 403, name
            assert {c["name"]: c["value"] for c in page.context.cookies()}.get(
                "declutter_session"
            ) == cookie, name
    finally:
        browser.close()


# -- item 11: no label value a client can invent ------------------------------------------------

INVENTED_METHODS = [f"X{n}" for n in range(40)] + [
    "get",
    "Post",
    "PROPFIND",
    "MKCOL",
    "BREW",
    "M-SEARCH",
    "PURGE",
    "LINK",
    "A" * 200,
]


def label_values(client, label: str) -> set[str]:
    """The values ``label`` takes in /metrics, across every family."""
    text = client.get("/metrics").get_data(as_text=True)
    return {
        sample.labels[label]
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if label in sample.labels
    }


def test_invented_methods_are_one_label_value(client):
    for method in INVENTED_METHODS:
        for route in ("/", "/healthz", "/api/v1/article", "/no/such/page", "/https://example.com/"):
            client.open(route, method=method)
            client.open(route, method=method, headers={"Host": f"{method.lower()}.example"})
    methods = label_values(client, "method")
    assert "other" in methods
    assert methods <= metrics.METHODS | {"other"}


def test_every_label_stays_within_a_fixed_set_whatever_the_client_sends(client):
    before = {label: label_values(client, label) for label in ("endpoint", "status")}
    for n in range(30):
        client.open(f"/nothing/{n}?x={n}", method="GET", headers={"Host": f"h{n}.example"})
        client.get(f"/read/r/id{n}")
        client.get(f"/static/no-such-{n}.css")
        client.get(f"/api/v1/no-such-{n}")
    for label, values in before.items():
        grown = label_values(client, label) - values
        assert len(grown) <= 4, (label, grown)  # the few routes and statuses first seen here
