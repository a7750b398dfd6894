"""Credentials for clients that cannot send a Bearer header: feed readers and reader plugins.

On the feed and compatibility routes (``BLUEPRINTS``) a token may also come as
- the password of HTTP Basic (``https://x:TOKEN@declutter.example/feed?url=...``; the user name
  is ignored), which every feed reader sends from a URL with credentials in it;
- an ``x-api-key`` header (what Mercury plugins let their users set);
- a signed URL: ``&sig=`` the hex HMAC-SHA256 of the target URL keyed with a token, so that a
  subscription can be shared without the token in it (``declutter sign URL`` prints one). The
  signature covers the target URL only: ``max`` and ``format`` may be changed by whoever holds it.

Wrong or missing credentials there get 401 with ``WWW-Authenticate: Basic``, which makes readers
ask their user. Tokens are compared in constant time (auth.match_token) and never logged.

The Feedbin-style extract endpoint has credentials of its own: a user name in the path and the hex
HMAC-SHA1 of the URL keyed with that user's secret (``DECLUTTER_EXTRACT_USERS_FILE``).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import hashlib
import hmac
import os
import sys
from pathlib import Path
from urllib.parse import quote

from flask import request

from proxy.config import ConfigError, Settings
from proxy.errors import Unauthorized
from proxy.web import auth, rawquery

# The blueprints whose routes accept these credentials besides Bearer (feeds.py's and compat.py's).
BLUEPRINTS = frozenset({"feeds", "compat"})
# The header Mercury plugins send their key in (WSGI name).
API_KEY = "HTTP_X_API_KEY"
# The query parameter of a signed URL.
SIGNATURE_PARAM = "sig"
# What `declutter sign` prints by default: the local server's full-text feed route.
DEFAULT_BASE = "http://127.0.0.1:8080"
DEFAULT_PATH = "/feed"
# The challenge that makes feed readers ask their user for the token.
CHALLENGE = 'Basic realm="declutter", charset="UTF-8"'


def sign(url: str, token: str) -> str:
    """The signature of ``url`` with ``token``: hex HMAC-SHA256."""
    return hmac.new(token.encode(), url.encode(), hashlib.sha256).hexdigest()


def signed_url(url: str, token: str, base: str = DEFAULT_BASE, path: str = DEFAULT_PATH) -> str:
    """A subscription URL for ``url`` that carries its signature instead of the token."""
    return (
        f"{base.rstrip('/')}{path}?url={quote(url, safe='')}&{SIGNATURE_PARAM}={sign(url, token)}"
    )


def presented() -> list[str]:
    """The token candidates this request presents besides Bearer: Basic password, x-api-key."""
    environ = request.environ
    found = []
    scheme, _, value = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() == "basic":
        with contextlib.suppress(binascii.Error, UnicodeDecodeError):
            found.append(base64.b64decode(value.strip(), validate=True).decode().partition(":")[2])
    if environ.get(API_KEY):
        found.append(environ[API_KEY].strip())
    return [candidate for candidate in found if candidate]


def identify(access: auth.Access) -> str | None:
    """The fingerprint of the token this request proves it holds, by any of the ways above."""
    for candidate in presented():
        name = auth.match_token(candidate, access)
        if name is not None:
            return name
    signature = request.args.get(SIGNATURE_PARAM, "")
    if not signature:
        return None
    target = rawquery.target(request.query_string.decode("utf-8", "replace"))
    found = None
    for (
        name,
        token,
    ) in access.tokens.items():  # every token, so timing tells nothing of which matched
        if hmac.compare_digest(sign(target, token).encode(), signature.lower().encode()):
            found = name
    return found


def refusal() -> Unauthorized:
    """401 with a Basic challenge, so a feed reader asks its user for the token."""
    return Unauthorized(challenge=CHALLENGE)


def load_users(settings: Settings) -> dict[str, str]:
    """The Feedbin-style extract users: ``user: secret`` lines (blanks and # comments skipped)."""
    if not settings.extract_users_file:
        return {}
    try:
        lines = Path(settings.extract_users_file).read_text().splitlines()
    except OSError as exc:
        raise ConfigError(
            f"DECLUTTER_EXTRACT_USERS_FILE={settings.extract_users_file!r}: {exc}"
        ) from None
    pairs = (line.partition(":") for line in lines if line.strip() and not line.startswith("#"))
    return {
        user.strip(): secret.strip() for user, _, secret in pairs if user.strip() and secret.strip()
    }


def feedbin_signed(user: str, signature: str, url: str, users: dict[str, str]) -> bool:
    """True when ``signature`` is the hex HMAC-SHA1 of ``url`` keyed with ``user``'s secret."""
    secret = users.get(user, "")
    expected = hmac.new(secret.encode(), url.encode(), hashlib.sha1).hexdigest()
    return bool(secret) and hmac.compare_digest(expected.encode(), signature.lower().encode())


def sign_command(args: argparse.Namespace) -> int:
    """``declutter sign URL``: print a signed subscription URL (token: --token or the config)."""
    token = args.token or _first_token()
    if not token:
        print("declutter: no token: pass --token or set DECLUTTER_TOKENS", file=sys.stderr)
        return 2
    print(signed_url(args.url, token, args.base, args.path))
    return 0


def _first_token() -> str | None:
    tokens = auth.load_tokens(Settings.from_env(os.environ))
    return tokens[0] if tokens else None


def add_command(sub: argparse._SubParsersAction) -> None:
    """Register ``declutter sign`` with the CLI."""
    parser = sub.add_parser("sign", help="print a signed full-text feed URL (no token in it)")
    parser.add_argument("url", help="the feed (or article) URL to sign")
    parser.add_argument("--token", help="the token to sign with (default: the first configured)")
    parser.add_argument(
        "--base", default=DEFAULT_BASE, help=f"this server's address ({DEFAULT_BASE})"
    )
    parser.add_argument(
        "--path", default=DEFAULT_PATH, help=f"the route ({DEFAULT_PATH}, /parser...)"
    )
    parser.set_defaults(run=sign_command)
