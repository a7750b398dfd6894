"""Access control: who may use this server, decided once per request before any view runs.

A server on loopback is open, as is one started with ``DECLUTTER_PUBLIC=1``; a server bound to any
other address refuses to start without tokens (``check_exposure``), because an open readability
proxy on the internet is a free anonymiser for anyone's traffic. An inherited socket (gunicorn's
``fd://N``, or one systemd passes by socket activation) is judged by the address it is bound to,
read from the socket itself, not by how the bind was written.

With tokens configured:

- the API (and /metrics) wants ``Authorization: Bearer <token>``;
- the feed and extraction routes for feed readers also take the token as a Basic password, an
  x-api-key header or a signed URL, and refuse with a Basic challenge (credentials.py);
- browsers sign in once at /signin; the cookie it sets is signed and holds the token's fingerprint,
  never the token, is HttpOnly and SameSite=Lax, and Secure when the request came over https. Tokens
  thus never travel in URLs, referrers or logs. Removing a token from the configuration revokes its
  cookies at the next restart.

A wrong Bearer token is answered 401 on every route that needs a token, reader pages included, so
that limits.py counts every guess alike (the open routes answer the same whatever the token: a guess
there learns nothing, and the extension's health check sends its token). Sign-in and sign-out take
POSTs from our own pages only (intent.py: Fetch Metadata and Origin), and sign-in's ``next`` is read
as the browser will read the redirect (``urls.local_path``), so neither another site nor a crafted
link can use them.

Tokens are compared with ``hmac.compare_digest`` against every configured token, so neither the
match nor its position leaks through timing.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.sessions import SessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response as BaseResponse

from proxy import ctx
from proxy.config import ConfigError, Settings
from proxy.errors import NotDeliberate, Unauthorized
from proxy.net import urls
from proxy.web import credentials, intent

EXTENSION = "declutter.auth"  # key in app.extensions
# Keeps session-cookie signatures apart from anything else signed with the same key.
COOKIE_SALT = "declutter-session"
# The browser session cookie and how long a sign-in lasts (30 days: a household reader, not a bank).
SESSION_COOKIE = "declutter_session"
SESSION_MAX_AGE = 30 * 24 * 3600
# File under DECLUTTER_DATA_DIR keeping the generated cookie-signing key, and its length in bytes.
SECRET_FILE = "secret_key"
SECRET_BYTES = 32
# Endpoints anyone may reach: health checks (docker, load balancers), signing in, static files,
# and what crawlers and browsers ask for on their own (robots.txt, the icon).
OPEN_ENDPOINTS = frozenset(
    {
        "auth.signin",
        "auth.signout",
        "reader.healthz",
        "reader.robots",
        "reader.favicon",
        "static",
        "compat.feedbin",
    }
)  # signed with its user's secret (credentials.py)
# Where only the Bearer header counts (machines, not browsers; a cookie here would invite CSRF).
BEARER_BLUEPRINTS = frozenset({"api"})
BEARER_ENDPOINTS = frozenset({"metrics.metrics"})
# How a client that must present a Bearer token is told so.
BEARER_CHALLENGE = 'Bearer realm="declutter"'
# Host names that mean loopback when a server is bound to them.
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})
# The first descriptor systemd passes by socket activation (sd_listen_fds(3)); gunicorn then serves
# LISTEN_FDS sockets from it and ignores its binds.
LISTEN_FDS_START = 3
# The reader's stylesheet, under /static, that the sign-in page shares.
STYLESHEET = "reader.css"
# Where a sign-in without a (safe) next page lands.
HOME = "/"

bp = Blueprint("auth", __name__)


@dataclass(frozen=True)
class Access:
    """The configured tokens by fingerprint, and the signer of session cookies."""

    tokens: dict[str, str]
    signer: URLSafeTimedSerializer

    @property
    def required(self) -> bool:
        return bool(self.tokens)


class NoSessions(SessionInterface):
    """Flask's own session stays unused (the sign-in cookie is signed here), so none is opened.

    Flask would otherwise build a signer and look for its cookie on every request.
    """

    def open_session(self, app: Flask, request: object) -> None:
        return None

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        return None


def fingerprint(token: str) -> str:
    """A short, non-reversible name for a token: what cookies, rate limits and logs carry."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def load_tokens(settings: Settings) -> tuple[str, ...]:
    """DECLUTTER_TOKENS plus the lines of DECLUTTER_TOKENS_FILE (blanks and # comments skipped)."""
    if not settings.tokens_file:
        return settings.tokens
    try:
        lines = [line.strip() for line in Path(settings.tokens_file).read_text().splitlines()]
    except OSError as exc:
        raise ConfigError(f"DECLUTTER_TOKENS_FILE={settings.tokens_file!r}: {exc}") from None
    return settings.tokens + tuple(line for line in lines if line and not line.startswith("#"))


def is_loopback_host(host: str) -> bool:
    """True for a bind host only this machine can reach: localhost, 127.0.0.0/8, ::1."""
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # another name or 0.0.0.0 / "": reachable from elsewhere


def check_exposure(host: str, settings: Settings) -> None:
    """Refuse (ConfigError) to serve off loopback without tokens or DECLUTTER_PUBLIC=1."""
    if is_loopback_host(host) or settings.public or load_tokens(settings):
        return
    raise ConfigError(
        f"Declutter will not listen on {host or 'all addresses'} open to anyone. Set "
        "DECLUTTER_TOKENS (or DECLUTTER_TOKENS_FILE) to require API tokens, or DECLUTTER_PUBLIC=1 "
        "to serve everyone on purpose, or bind to 127.0.0.1 behind a reverse proxy."
    )


def served_binds(binds: Iterable[str], environ: Mapping[str, str]) -> list[str]:
    """What gunicorn will listen on: the sockets systemd passes it (LISTEN_FDS with LISTEN_PID its
    own pid, as gunicorn reads them), as fd:// binds; otherwise its binds."""
    count = environ.get("LISTEN_FDS", "")
    if environ.get("LISTEN_PID") != str(os.getpid()) or not count.isdigit():
        return list(binds)
    return [f"fd://{LISTEN_FDS_START + index}" for index in range(int(count))]


def bind_host(bind: str) -> str:
    """The host a gunicorn bind listens on ("127.0.0.1:8000", "[::1]:8000", "unix:/run/x.sock",
    "fd://3"); "" when it cannot be told, which check_exposure treats as every address."""
    if bind.startswith("unix:"):
        return "localhost"  # a socket file: reachable from this host only
    if bind.startswith("fd://"):
        return _inherited_host(bind.removeprefix("fd://"))
    return urlsplit(f"//{bind.removeprefix('tcp://')}").hostname or ""


def _inherited_host(fd: str) -> str:
    """The address an inherited socket is bound to, read from a duplicate (the original stays
    open for gunicorn); "localhost" for a unix socket, "" for no socket (unbound reads 0.0.0.0)."""
    try:
        duplicate = os.dup(int(fd))
    except (OSError, ValueError):
        return ""
    try:
        sock = socket.socket(fileno=duplicate)
    except OSError:  # not a socket
        os.close(duplicate)
        return ""
    with sock:
        return "localhost" if sock.family == socket.AF_UNIX else str(sock.getsockname()[0])


def secret_key(settings: Settings) -> str:
    """DECLUTTER_SECRET_KEY, or the key kept in the data dir, created on first start."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.data_dir) / SECRET_FILE
    if not path.exists():
        _create_secret(path)
    return path.read_text().strip()


def _create_secret(path: Path) -> None:
    """Write a new key readable by this user only; when workers race, the first link wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{SECRET_FILE}.{os.getpid()}")
    fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(SECRET_BYTES))
    try:
        os.link(scratch, path)
    except FileExistsError:
        pass
    finally:
        scratch.unlink()


def match_token(candidate: str, access: Access) -> str | None:
    """The fingerprint of the configured token equal to ``candidate``, checked in constant time."""
    found = None
    for name, token in access.tokens.items():
        if hmac.compare_digest(candidate.encode(), token.encode()):
            found = name
    return found


def identity() -> str | None:
    """The fingerprint of the token this request came with, if any (for rate limits)."""
    return ctx.g._get_current_object().get("declutter_token")


def _access() -> Access:
    return ctx.current_app._get_current_object().extensions[EXTENSION]


def _bearer() -> str | None:
    scheme, _, value = request.environ.get("HTTP_AUTHORIZATION", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _from_cookie(access: Access) -> str | None:
    if SESSION_COOKIE not in request.environ.get("HTTP_COOKIE", ""):  # no need to parse cookies
        return None
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    try:
        name = access.signer.loads(raw, max_age=SESSION_MAX_AGE)
    except BadSignature:
        return None
    return name if name in access.tokens else None


def _bearer_only() -> bool:
    return request.blueprint in BEARER_BLUEPRINTS or request.endpoint in BEARER_ENDPOINTS


def authenticate() -> BaseResponse | None:
    """before_request: note who asks; if tokens are required, refuse (401 or the sign-in page)."""
    access = _access()
    if not access.required:  # an open server: no token can match, everyone passes (identity None)
        return None
    bearer = _bearer()
    token = match_token(bearer, access) if bearer else None
    others = request.blueprint in credentials.BLUEPRINTS  # feed readers: Basic, x-api-key, sig
    if bearer and token is None and request.endpoint not in OPEN_ENDPOINTS:
        # a wrong token: 401 on every route that needs one, counted by limits.py
        raise credentials.refusal() if others else _refusal()
    if token is None and others:
        token = credentials.identify(access)
    if token is None and not _bearer_only():
        token = _from_cookie(access)
    g.declutter_token = token
    if token or request.endpoint in OPEN_ENDPOINTS:
        return None
    if others:
        raise credentials.refusal()
    if _bearer_only() or request.method not in ("GET", "HEAD"):
        raise _refusal()
    return redirect(url_for("auth.signin", next=request.full_path.rstrip("?")), code=303)


def _refusal() -> Unauthorized:
    return Unauthorized(challenge=BEARER_CHALLENGE)


def _safe_next(target: str | None) -> str:
    """Only a path on this server, so the sign-in page cannot bounce a user to another site."""
    return urls.local_path(target or "") or HOME


def _deliberate() -> bool:
    """A sign-in or sign-out POST from our own page, not another site's form (intent.py)."""
    environ = ctx.request._get_current_object().environ
    return intent.deliberate(environ) and intent.same_origin(environ)


def _form(next_path: str, *, failed: bool) -> str:
    return render_template(
        "signin.html",
        next_path=next_path,
        failed=failed,
        stylesheet=url_for("static", filename=STYLESHEET),
    )


@bp.route("/signin", methods=["GET", "POST"])
def signin() -> BaseResponse | str | tuple[str, int]:
    """The sign-in form; a correct token sets the session cookie and returns to the page asked."""
    next_path = _safe_next(request.values.get("next"))
    if request.method == "GET":
        return _form(next_path, failed=False)
    if not _deliberate():
        raise NotDeliberate()
    name = match_token(request.form.get("token", ""), _access())
    if name is None:
        return _form(next_path, failed=True), 401
    response = redirect(next_path, code=303)
    response.set_cookie(
        SESSION_COOKIE,
        _access().signer.dumps(name),
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response


@bp.post("/signout")
def signout() -> BaseResponse:
    """Forget the session cookie (asked from our own pages: no other site signs a reader out)."""
    if not _deliberate():
        raise NotDeliberate()
    response = redirect(url_for("auth.signin"), code=303)
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="Lax", secure=request.is_secure)
    return response


def init_app(app: Flask) -> None:
    """Load tokens and the signing key, check every request, add /signin and /signout."""
    settings: Settings = app.config["SETTINGS"]
    key = secret_key(settings)
    app.secret_key = key
    app.session_interface = NoSessions()
    tokens = {fingerprint(token): token for token in load_tokens(settings)}
    app.extensions[EXTENSION] = Access(tokens, URLSafeTimedSerializer(key, salt=COOKIE_SALT))
    app.before_request(authenticate)
    app.register_blueprint(bp)
