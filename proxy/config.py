"""Settings: every environment variable Declutter reads, parsed and validated once at start.

The options are data (``OPTIONS``): each names its variable, its default, its parser and a one-line
help text. ``Settings.from_env`` builds the frozen settings from them, and the README's
configuration table is checked against the same list, so the documentation cannot drift from the
code.

Usage::

    settings = Settings.from_env(os.environ)      # raises ConfigError with a clear message
    settings.cache_ttl                             # 86400
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from limits import parse_many

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# A host name, an IPv4 or bracketed IPv6 address, perhaps with a port, or * (any).
HOST_NAME = re.compile(r"\*|(?:[a-z0-9._-]+|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?")


class ConfigError(ValueError):
    """A setting is malformed; the message names the variable and what it expects."""


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError("must be a positive whole number")
    return value


def _positive_float(raw: str) -> float:
    value = float(raw)
    if value <= 0:
        raise ValueError("must be a positive number")
    return value


def _networks(raw: str) -> tuple[Network, ...]:
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False) for part in raw.split(",") if part.strip()
    )


def _optional(raw: str) -> str | None:
    return raw.strip() or None


def _text(raw: str) -> str:
    if not raw.strip():
        raise ValueError("must not be empty")
    return raw.strip()


def _flag(raw: str) -> bool:
    value = raw.strip().lower()
    if value not in ("0", "1", "true", "false", "yes", "no", ""):
        raise ValueError("must be 1 or 0")
    return value in ("1", "true", "yes")


def _words(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def _hosts(raw: str) -> tuple[str, ...]:
    return tuple(host.lower().rstrip(".") for host in _words(raw))


def _host_names(raw: str) -> tuple[str, ...]:
    names = _hosts(raw)
    for name in names:
        if not HOST_NAME.fullmatch(name):
            raise ValueError(f"{name!r} is not a host name (or *) such as reader.example.org")
    return names


def _rate(raw: str) -> str:
    parse_many(raw)  # the limits library's notation: "60/minute;1000/day"
    return raw.strip()


def _origins(raw: str) -> tuple[str, ...]:
    origins = []
    for origin in _words(raw):
        parts = urlsplit(origin.rstrip("/"))
        if not parts.scheme or not parts.netloc or parts.path or parts.query or parts.fragment:
            raise ValueError(f"{origin!r} is not an origin such as https://reader.example.org")
        origins.append(f"{parts.scheme}://{parts.netloc}".lower())
    return tuple(origins)


def _default_data_dir() -> str:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "declutter")


@dataclass(frozen=True)
class Option:
    """One environment variable: its name, the Settings field it fills, default, parser and help."""

    env: str
    field: str
    default: str | Callable[[], str]
    parse: Callable[[str], Any]
    help: str

    def default_text(self) -> str:
        return self.default() if callable(self.default) else self.default


OPTIONS: tuple[Option, ...] = (
    Option(
        "REDIS_URL",
        "redis_url",
        "",
        _optional,
        "Redis to cache in (redis://, rediss://, unix://, redis+sentinel://host:port,.../service, "
        "redis+cluster://host:port,...). Unset: an embedded redis-server is started.",
    ),
    Option(
        "DECLUTTER_DATA_DIR",
        "data_dir",
        _default_data_dir,
        Path,
        "Where the embedded Redis keeps its data.",
    ),
    Option(
        "DECLUTTER_CACHE_TTL",
        "cache_ttl",
        "86400",
        _positive_int,
        "Seconds a cleaned article stays cached.",
    ),
    Option(
        "DECLUTTER_ERROR_TTL",
        "error_ttl",
        "60",
        _positive_int,
        "Seconds a failed fetch is remembered, so a dead site is not hammered (a refusal by this "
        "server's settings never is).",
    ),
    Option(
        "DECLUTTER_RESULT_TTL",
        "result_ttl",
        "600",
        _positive_int,
        "Seconds a page cleaned from POSTed HTML stays readable under its private result id.",
    ),
    Option(
        "DECLUTTER_ALLOW_NETWORKS",
        "allow_networks",
        "",
        _networks,
        "Comma-separated CIDRs that may be fetched although private or loopback.",
    ),
    Option(
        "DECLUTTER_CONNECT_TIMEOUT",
        "connect_timeout",
        "5",
        _positive_float,
        "Seconds to wait for an upstream connection.",
    ),
    Option(
        "DECLUTTER_FETCH_TIMEOUT",
        "fetch_timeout",
        "15",
        _positive_float,
        "Seconds an upstream fetch may take in all, redirects included.",
    ),
    Option(
        "DECLUTTER_MAX_BYTES",
        "max_bytes",
        "5000000",
        _positive_int,
        "Largest upstream body accepted, counted after decompression.",
    ),
    Option(
        "DECLUTTER_MAX_REDIRECTS",
        "max_redirects",
        "5",
        _positive_int,
        "Redirect hops followed before giving up.",
    ),
    Option(
        "DECLUTTER_USER_AGENT",
        "user_agent",
        "Mozilla/5.0 (compatible; Declutter/0.1; +https://github.com/declutter/declutter)",
        _text,
        "User-Agent sent upstream.",
    ),
    Option(
        "DECLUTTER_TOKENS",
        "tokens",
        "",
        _words,
        "Comma-separated API tokens. Set, every request needs one (Bearer header or the sign-in "
        "cookie).",
    ),
    Option(
        "DECLUTTER_TOKENS_FILE",
        "tokens_file",
        "",
        _optional,
        "File of further tokens, one a line (# comments allowed); read at start.",
    ),
    Option(
        "DECLUTTER_PUBLIC",
        "public",
        "0",
        _flag,
        "1 lets a server bound to a non-loopback address run without tokens, open to anyone.",
    ),
    Option(
        "DECLUTTER_SECRET_KEY",
        "secret_key",
        "",
        _optional,
        "Signs the sign-in cookie and image proxy addresses. Unset: generated once and kept in "
        "DECLUTTER_DATA_DIR/secret_key.",
    ),
    Option(
        "DECLUTTER_TRUSTED_PROXIES",
        "trusted_proxies",
        "127.0.0.1/32,::1/128",
        _networks,
        "CIDRs of reverse proxies whose X-Forwarded-For names the client (for rate limits).",
    ),
    Option(
        "DECLUTTER_RATE_LIMIT",
        "rate_limit",
        "120/minute",
        _rate,
        "Article requests per token, or per client address without one (cache hits included).",
    ),
    Option(
        "DECLUTTER_FETCH_RATE_LIMIT",
        "fetch_rate_limit",
        "30/minute;300/hour",
        _rate,
        "Cache misses that go upstream, and pages POSTed to be cleaned, per token or client "
        "address.",
    ),
    Option(
        "DECLUTTER_HOST_CONCURRENCY",
        "host_concurrency",
        "2",
        _positive_int,
        "Upstream fetches to one host at once, across all workers and hosts sharing the Redis.",
    ),
    Option(
        "DECLUTTER_HOST_DENYLIST",
        "host_denylist",
        "",
        _hosts,
        "Comma-separated upstream hosts never fetched (subdomains included).",
    ),
    Option(
        "DECLUTTER_HOST_ALLOWLIST",
        "host_allowlist",
        "",
        _hosts,
        "Comma-separated upstream hosts; set, only these (and their subdomains) are fetched.",
    ),
    Option(
        "DECLUTTER_ALLOWED_HOSTS",
        "allowed_hosts",
        "",
        _host_names,
        "Comma-separated host names the server answers to (its public name), besides localhost, "
        "IP addresses and the name it listens on; others get 421. * allows any.",
    ),
    Option(
        "DECLUTTER_CORS_ORIGINS",
        "cors_origins",
        "",
        _origins,
        "Comma-separated web origins allowed to call the API from a browser, besides extensions.",
    ),
    Option(
        "DECLUTTER_FEED_TTL",
        "feed_ttl",
        "900",
        _positive_int,
        "Seconds a fetched feed, and the full-text feed built from it, are reused.",
    ),
    Option(
        "DECLUTTER_FEED_DEADLINE",
        "feed_deadline",
        "20",
        _positive_float,
        "Seconds a full-text feed waits for its articles; late ones come next poll.",
    ),
    Option(
        "DECLUTTER_FEED_RATE_LIMIT",
        "feed_rate_limit",
        "120/minute;2000/hour",
        _rate,
        "Upstream fetches for feeds (the feed and its articles), per token or client address.",
    ),
    Option(
        "DECLUTTER_EXTRACT_USERS_FILE",
        "extract_users_file",
        "",
        _optional,
        "File of `user: secret` lines for the Feedbin-style /parser/<user>/<signature>.",
    ),
    Option(
        "DECLUTTER_IMAGE_PROXY",
        "image_proxy",
        "1",
        _flag,
        "1 serves the article's images through this server (/img/, signed); 0 lets browsers "
        "load them from the publisher.",
    ),
    Option(
        "DECLUTTER_IMAGE_MAX_BYTES",
        "image_max_bytes",
        "8000000",
        _positive_int,
        "Largest image the image proxy passes on or an EPUB embeds.",
    ),
    Option(
        "DECLUTTER_IMAGE_TTL",
        "image_ttl",
        "3600",
        _positive_int,
        "Seconds an image stays in Redis for the image proxy.",
    ),
    Option(
        "DECLUTTER_SITE_RULES",
        "site_rules",
        "",
        _optional,
        "Directory of site rules in the ftr-site-config format. Unset: "
        "DECLUTTER_DATA_DIR/site-rules "
        "when `declutter rules update` made it, else none.",
    ),
    Option(
        "DECLUTTER_SITE_RULES_LOCAL",
        "site_rules_local",
        "",
        _optional,
        "Directory of your own site rule files; a file here wins over the same name in "
        "DECLUTTER_SITE_RULES.",
    ),
)


@dataclass(frozen=True)
class Settings:
    """The validated configuration; built only by ``from_env``."""

    redis_url: str | None
    data_dir: Path
    cache_ttl: int
    error_ttl: int
    result_ttl: int
    allow_networks: tuple[Network, ...]
    connect_timeout: float
    fetch_timeout: float
    max_bytes: int
    max_redirects: int
    user_agent: str
    tokens: tuple[str, ...]
    tokens_file: str | None
    public: bool
    secret_key: str | None
    trusted_proxies: tuple[Network, ...]
    rate_limit: str
    fetch_rate_limit: str
    host_concurrency: int
    host_denylist: tuple[str, ...]
    host_allowlist: tuple[str, ...]
    allowed_hosts: tuple[str, ...]
    cors_origins: tuple[str, ...]
    feed_ttl: int
    feed_deadline: float
    feed_rate_limit: str
    extract_users_file: str | None
    image_proxy: bool
    image_max_bytes: int
    image_ttl: int
    site_rules: str | None
    site_rules_local: str | None

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Parse every option from ``environ``; the first bad value raises ConfigError."""
        values: dict[str, Any] = {}
        for option in OPTIONS:
            raw = environ.get(option.env)
            raw = option.default_text() if raw is None else str(raw)
            try:
                values[option.field] = option.parse(raw)
            except ValueError as exc:
                raise ConfigError(f"{option.env}={raw!r} is invalid: {exc}") from None
        missing = {f.name for f in fields(cls)} - values.keys()
        if missing:  # an Option was forgotten for a field: a programming error, caught by tests
            raise ConfigError(f"no option for settings {sorted(missing)}")
        return cls(**values)
