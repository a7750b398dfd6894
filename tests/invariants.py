"""What must hold for any input, checked alike by the hypothesis tests (test_properties_*.py) and
the atheris fuzz targets (fuzz/): each ``check_*`` runs one input and fails with AssertionError, or
lets an unexpected exception escape, when a property is broken.

Nothing here opens a connection: the guard is checked with ``refuse_resolution`` as its resolver.
"""

from __future__ import annotations

from urllib.parse import unquote_plus, urlsplit

from proxy import errors
from proxy.config import Settings
from proxy.content import pipeline
from proxy.content.sanitise import sanitise, violations
from proxy.net import netguard
from proxy.net.fetch import guard
from proxy.net.urls import normalise, validate

# The only errors the URL gate and the address guard may raise, whatever they are given.
GATE_ERRORS = (errors.BadURL, errors.RefusedAddress)
GUARD_ERRORS = (errors.BadURL, errors.RefusedAddress, errors.UpstreamError)
# The page URL generated and fuzzed markup is read under.
BASE = "https://news.example/a/story.html"
# Content-Type headers, honest, lying or broken (the charset decides how bytes become text).
CONTENT_TYPES = [
    None,
    "text/html",
    "text/html; charset=utf-8",
    "text/html; charset=utf-16",
    "text/html; charset=windows-1252",
    "text/html; charset=shift_jis",
    "text/html; charset=bogus",
    "application/xhtml+xml",
    "text/html; charset=",
]


def check_validate(raw: str) -> None:
    """validate() raises only the gate's errors, or answers an http(s) URL that it keeps as is."""
    try:
        result = validate(raw)
    except GATE_ERRORS:
        return
    assert result.startswith(("http://", "https://")) and "#" not in result, result
    assert validate(result) == result, (result, validate(result))


def check_normalise(raw: str) -> None:
    """normalise() raises only the gate's errors, is idempotent and drops utm_* parameters (a
    "utm_" elsewhere, as in "?q=utm_x" or "?a/?utm_x=1", is the page's own)."""
    try:
        key = normalise(raw)
    except GATE_ERRORS:
        return
    assert normalise(key) == key, (key, normalise(key))
    assert normalise(validate(raw)) == key, (key, normalise(validate(raw)))
    pairs = urlsplit(key).query.split("&")
    names = [unquote_plus(pair.partition("=")[0]).lower() for pair in pairs]
    assert not any(name.startswith("utm_") for name in names), key


def refuse_resolution(host: str, port: int) -> list[str]:
    """netguard's resolver for checks: no name resolves, so only address literals are checked."""
    raise OSError("resolution is off in property checks")


def check_guard(raw: str, settings: Settings) -> None:
    """guard() raises only its errors and never passes a refused address (``refuse_resolution``
    must be netguard's resolver)."""
    assert netguard.resolver is refuse_resolution
    try:
        addresses = guard(raw, settings)
    except GUARD_ERRORS:
        return
    assert addresses and not any(netguard.is_refused(a) for a in addresses), addresses


def check_sanitise(html: str, base_url: str = BASE) -> str:
    """sanitise()'s output passes its own allowlist (as a browser parses it); returns the output."""
    once = sanitise(html, base_url)
    assert not violations(once), (violations(once), once)
    return once


def check_sanitise_stable(html: str) -> None:
    """sanitise() output is clean and comes back unchanged when sanitised again."""
    once = check_sanitise(html)
    assert sanitise(once, BASE) == once, (once, sanitise(once, BASE))


def check_process(body: bytes, content_type: str | None = "text/html; charset=utf-8") -> None:
    """pipeline.process() lets only NoArticle escape, and any article passes the allowlist."""
    headers = {} if content_type is None else {"content-type": content_type}
    try:
        article = pipeline.process(body, BASE, headers)
    except errors.NoArticle:
        return
    html = article.content_html
    assert not violations(html), (violations(html), html)
    assert "<script" not in html.lower(), html
