"""The target URL of a request whose client appends it to our query string without encoding it.

Mercury plugins (Tiny Tiny RSS, FreshRSS) and people typing a feed URL send
``/parser?url=https://site/a?b=1&c=2``: parsed as a query string, that URL loses ``c=2`` to us.
As the direct proxy URL does with the raw path (reader.py), the URL is taken from the raw query
string instead: everything after ``url=``, less trailing parameters that are ours
(``&contentType=markdown``). An encoded value (``url=https%3A%2F%2F...``, or one with ``=`` and
``&`` encoded by a client that keeps ``:``, ``/`` and ``?``) is decoded as usual.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import parse_qsl, unquote_plus

# The url parameter holding a URL that was not percent-encoded: its scheme is in clear.
UNENCODED_URL = re.compile(r"(?:^|&)url=(?=https?:/)", re.IGNORECASE)
# A trailing "&name=value" (value without "&"), to be peeled off when ``name`` is ours.
TRAILING_PARAM = re.compile(r"&([A-Za-z_]+)=([^&]*)$")
# Encoded "?", "=" or "&": a value with one and no "&" in clear was encoded by its client.
ENCODED_DELIMITERS = re.compile(r"%(3F|3D|26)", re.IGNORECASE)
# Our parameters that may follow an unencoded URL: Mercury's contentType, the feed options (FTR's
# names), and a signed URL's sig. A site's own parameter of the same name must then be encoded.
OURS = frozenset({"contentType", "max", "format", "exc", "summary", "links", "sig", "key"})


def target(raw_query: str, ours: Collection[str] = OURS) -> str:
    """The URL in the ``url`` parameter of ``raw_query``, as sent, even unencoded."""
    found = UNENCODED_URL.search(raw_query)
    if found is None:
        return dict(parse_qsl(raw_query, keep_blank_values=True)).get("url", "")
    rest = raw_query[found.end() :]
    while (param := TRAILING_PARAM.search(rest)) and param.group(1) in ours:
        rest = rest[: param.start()]
    if "&" not in rest and ENCODED_DELIMITERS.search(rest):
        return unquote_plus(rest)  # encoded by a client that kept ":" and "/" (werkzeug, some JS)
    return rest  # its own escapes (%20) are the URL's, kept as sent
