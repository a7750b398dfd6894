"""The host names this server answers to, checked before any other hook or view runs.

DNS rebinding: a page on ``attacker.example`` whose name then resolves to 127.0.0.1 is same-origin
with a loopback Declutter, so its scripts could read the reader's articles and, with
``DECLUTTER_ALLOW_NETWORKS`` set, internal pages. The browser still sends ``Host:
attacker.example``. Declutter therefore answers only the names it is known by: ``localhost``,
the name it listens on (``SERVER_NAME``) and ``DECLUTTER_ALLOWED_HOSTS`` (its public name behind a
reverse proxy; ``*`` turns the check off), and any IP address: rebinding needs a name the attacker
owns, and a browser that sends an address as ``Host`` is on a page of that address, this server
(health probes and readers on a LAN address it so). Any other name gets 421 Misdirected Request.
The port is not compared: a rebinding page uses the same port anyway.

An absolute-form request line (``GET http://other.example/ HTTP/1.1``, what clients send a forward
proxy) names a host of its own, which RFC 9112 puts before ``Host``: that host is checked too, and
the direct reader URL reads only the path of such a line (``origin_form``), so Declutter never acts
as a forward proxy. Links the server builds (the API's ``reader_url``) thus name an allowed host.

Flask's own ``TRUSTED_HOSTS`` answers 400 and takes a list of names only: it cannot say "any IP
address" or "the name we listen on", nor look at an absolute-form request line.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from proxy import ctx
from proxy.config import Settings
from proxy.errors import MisdirectedRequest

# Names that are this machine whatever the configuration (and any IP address is allowed).
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})
# Verdicts kept per worker, by Host value (one or a few in real use; a flood of names cycles them).
VERDICTS_KEPT = 256
# Listening on these means every address: no name follows from them.
ANY_ADDRESS = frozenset({"0.0.0.0", "::", ""})
# DECLUTTER_ALLOWED_HOSTS entry that turns the check off.
ANY_HOST = "*"
# A Host value or URL authority: a name or a bracketed IPv6 address, then perhaps a port.
AUTHORITY = re.compile(r"(?:\[(?P<v6>[0-9a-f:.]+)\]|(?P<name>[a-z0-9._-]+))(?::[0-9]{1,5})?")
# Where answers are JSON rather than text.
API_PREFIX = "/api/"


def host_name(authority: str) -> str:
    """The host of a ``Host`` value or URL authority: lower-case, no port, brackets or final dot;
    "" for anything else (``a@b``, ``a/b``, spaces), so nothing odd can pass or reach a link."""
    text = authority.strip().lower()
    found = AUTHORITY.fullmatch(text)
    if found:
        name = found["v6"] or found["name"]
        return name.removesuffix(".")  # "localhost." is localhost
    try:
        return ipaddress.IPv6Address(text).compressed  # SERVER_NAME of a [::1] bind is bare
    except ValueError:
        return ""


def _is_address_or_loopback(name: str) -> bool:
    if name in LOOPBACK_NAMES:
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=VERDICTS_KEPT)
def allowed(host: str, authority: str | None, listening: str, configured: frozenset[str]) -> bool:
    """True when this server answers to the ``Host`` value ``host`` and the absolute-form request
    line's ``authority`` (None without one), listening on ``listening`` (``SERVER_NAME``)."""
    if ANY_HOST in configured:
        return True
    names = {host_name(host)} if authority is None else {host_name(host), host_name(authority)}
    listening = host_name(listening)
    return all(
        name in configured
        or _is_address_or_loopback(name)
        or (name == listening and listening not in ANY_ADDRESS)
        for name in names
    )


def absolute_authority(environ: Mapping[str, Any]) -> str | None:
    """The host of an absolute-form request line (``GET http://h/ HTTP/1.1``), None without one."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or "/"
    if raw.startswith("/") or "://" not in raw:
        return None
    return urlsplit(raw).netloc


def origin_form(raw_uri: str) -> str:
    """The path and query of a request target: ``http://h/a?b`` -> ``/a?b``; ``/a?b`` as it is."""
    if raw_uri.startswith("/") or "://" not in raw_uri:
        return raw_uri
    parts = urlsplit(raw_uri)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def host_check(names: frozenset[str]) -> Callable[[], None]:
    """The before_request hook refusing (421) a host name this server is not known by."""

    def check_host() -> None:
        environ = ctx.request._get_current_object().environ
        if not allowed(
            environ.get("HTTP_HOST", ""),
            absolute_authority(environ),
            environ.get("SERVER_NAME", ""),
            names,
        ):
            raise MisdirectedRequest()

    return check_host


def init_app(app: Flask) -> None:
    """Check every request's host name first (call right after metrics.init_app)."""
    settings: Settings = app.config["SETTINGS"]
    names = frozenset(
        name if name == ANY_HOST else host_name(name) for name in settings.allowed_hosts
    )
    app.before_request(host_check(names))
