"""Image addresses on this server, ``/img/<signature>/<encoded url>``: signed, so no open proxy.

The signature is an HMAC-SHA256 of the image's URL under a key derived from the server secret
(the sign-in cookie's, kept apart by ``KEY_LABEL``), cut to 128 bits; the URL travels encoded in
base64url. Only addresses this server wrote into a page can be fetched through it, each for the
one image it names. Signing is deterministic, so a page is still the same bytes for every reader.

``rewrite`` changes the src and srcset of every <img> and <source> in sanitised article HTML. It
reads the markup bleach's serialiser writes (every attribute value in double quotes, every "<" of
text escaped, commas inside srcset URLs as %2C), so a regex finds each tag and value exactly,
without parsing the article again. Pure: no Flask, no network.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import html
import re
from dataclasses import dataclass

from proxy.errors import BadSignature

PREFIX = "/img/"
# Keeps image signatures apart from anything else signed with the server secret.
KEY_LABEL = b"declutter-image-proxy"
# Bytes of HMAC kept: 128 bits cannot be guessed, and keep the addresses short.
SIGNATURE_BYTES = 16
# The longest URL accepted in an image address (longer ones are left unproxied).
MAX_URL_CHARS = 4096
# An <img> or <source> tag as bleach writes it, attributes in double quotes.
_TAG = re.compile(r'<(?:img|source)\b(?:\s+[^\s"\'=<>/]+(?:="[^"]*")?)*\s*/?>')
_URL_ATTRIBUTE = re.compile(r'(\s(?:src|srcset))="([^"]*)"')
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class ImageLinks:
    """Signs image URLs into addresses on this server, and checks addresses it is sent.

    Usage::

        links = ImageLinks.from_secret(secret)
        links.address("https://site.example/a.jpg")   # "/img/<signature>/<encoded>"
        links.verify(signature, encoded)               # the URL, or BadSignature
    """

    key: bytes
    base: str = PREFIX  # an absolute base ("https://reader.example/img/") for pages read elsewhere

    @classmethod
    def from_secret(cls, secret: str) -> ImageLinks:
        return cls(hmac.new(secret.encode("utf-8"), KEY_LABEL, hashlib.sha256).digest())

    def with_base(self, base: str) -> ImageLinks:
        return ImageLinks(self.key, base)

    def sign(self, url: str) -> str:
        digest = hmac.new(self.key, url.encode("utf-8"), hashlib.sha256).digest()
        return _encode(digest[:SIGNATURE_BYTES])

    def address(self, url: str) -> str:
        """Where this server serves the image at ``url``; ``url`` itself if not http(s) or long."""
        if not url.startswith(("http://", "https://")) or len(url) > MAX_URL_CHARS:
            return url
        return f"{self.base}{self.sign(url)}/{_encode(url.encode('utf-8'))}"

    def verify(self, signature: str, encoded: str) -> str:
        """The URL an address names, if this server signed it; BadSignature otherwise."""
        url = _decode(encoded)
        if url is None or not hmac.compare_digest(self.sign(url), signature):
            raise BadSignature()
        return url

    def rewrite(self, content: str) -> str:
        """Sanitised article HTML with every image's src and srcset made an image address."""
        return _TAG.sub(lambda tag: _URL_ATTRIBUTE.sub(self._attribute, tag.group(0)), content)

    def _attribute(self, match: re.Match[str]) -> str:
        name, value = match.group(1), html.unescape(match.group(2))
        if name.endswith("srcset"):
            value = ", ".join(self._candidate(part) for part in value.split(","))
        else:
            value = self.address(value)
        return f'{name}="{html.escape(value)}"'

    def _candidate(self, candidate: str) -> str:
        url, _, descriptor = candidate.strip().partition(" ")
        return f"{self.address(url)} {descriptor}".strip()


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(encoded: str) -> str | None:
    """The URL in an address, or None when it is not base64url of UTF-8 http(s) text."""
    if not _BASE64URL.fullmatch(encoded) or len(encoded) > MAX_URL_CHARS * 2:
        return None
    try:
        url = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return url if url.startswith(("http://", "https://")) else None
