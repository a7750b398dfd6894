"""Full-text feeds over HTTP: ``GET /feed?url=`` and FiveFilters' ``/makefulltextfeed.php`` alias.

Parameters (FTR's names, so FTR subscriptions move over by changing the host): ``url``; ``max``
items (default 10, at most 50); ``format=rss|atom|json`` (default: the source's kind); ``exc=1``
leaves out items whose article could not be read; ``summary=1`` puts the feed's summary above the
article; ``links=preserve|remove`` (FTR's ``footnotes`` is read as preserve).

The answer has a strong ETag (of its bytes) and Last-Modified (its newest item), and a poll that
sends either back gets 304 while nothing changed. Failures are the reader's error page with their
status, since a person pasting a URL sees them first: an HTML page is 415 and names the feed it
links, a broken feed 422 with the parser's reason.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from flask import Blueprint, Response
from werkzeug.datastructures import MultiDict
from werkzeug.http import http_date

from proxy import ctx, feeds
from proxy.errors import BadRequest
from proxy.net import budget, urls
from proxy.store import hot
from proxy.web import headers, rawquery

bp = Blueprint("feeds", __name__)

FORMATS = ("rss", "atom", "json")
LINKS = ("preserve", "remove", "footnotes")  # footnotes (FTR's) is answered as preserve
YES = ("1", "true", "yes", "on")
# Distinct query strings (and answers) remembered per worker: the feeds its pollers ask for.
OPTIONS_KEPT = 1024
# Feed readers poll on their own schedule; each poll revalidates (304 while nothing changed).
FEED_CACHE_CONTROL = "no-cache"


@bp.get("/feed")
@bp.get("/makefulltextfeed.php")
def feed() -> Response:
    """The full-text feed of ``?url=``: a 304 when the poller has it, else the feed."""
    asked = ctx.request._get_current_object()  # one look through Flask's proxy
    options = options_for(asked.query_string)
    budget.use_feed_budget()
    answer = feeds.full_text_feed(options)
    tags = answer_tags(answer)
    environ = asked.environ
    others = not environ.keys().isdisjoint(headers.OTHER_CONDITIONS)  # dates: werkzeug decides
    if_none_match = None if others else environ.get(headers.IF_NONE_MATCH)
    if if_none_match and headers.etags(if_none_match).contains(answer.etag):
        return _with(headers.NotModified(status=304), tags)
    response = _with(
        headers.ArticleResponse(_encoded(answer), content_type=answer.media_type), tags
    )
    if others:
        response.make_conditional(asked)  # in place (it returns the same response)
    return response


@lru_cache(maxsize=OPTIONS_KEPT)
def options_for(query: bytes) -> feeds.FeedOptions:
    """The options of a raw query string, parsed once per worker (pollers send the same ones)."""
    return feed_options(hot.parse_query(query), rawquery.target(query.decode("utf-8", "replace")))


@lru_cache(maxsize=OPTIONS_KEPT)
def answer_tags(answer: feeds.FeedAnswer) -> tuple[tuple[str, str], ...]:
    """The validators of an answer, made once per answer and worker."""
    modified = datetime.fromisoformat(answer.last_modified.replace("Z", "+00:00"))
    return (
        ("ETag", f'"{answer.etag}"'),
        ("Last-Modified", http_date(modified)),
        ("Cache-Control", FEED_CACHE_CONTROL),
    )


@lru_cache(maxsize=OPTIONS_KEPT)
def _encoded(answer: feeds.FeedAnswer) -> bytes:
    return answer.body.encode("utf-8")


def _with(response: Response, tags: tuple[tuple[str, str], ...]) -> Response:
    for name, value in tags:
        response.headers.add(name, value)
    return response


def feed_options(args: MultiDict[str, str], url: str) -> feeds.FeedOptions:
    """The options of a feed request; BadRequest for a value it cannot mean."""
    fmt = args.get("format", "").lower() or None
    if fmt not in (None, *FORMATS):
        raise BadRequest(f"Unknown format {fmt!r}; use rss, atom or json.")
    links = args.get("links", "preserve").lower()
    if links not in LINKS:
        raise BadRequest(f"Unknown links {links!r}; use preserve or remove.")
    try:
        count = int(args.get("max", feeds.DEFAULT_ITEMS))
    except ValueError:
        raise BadRequest("max must be a whole number of items.") from None
    return feeds.FeedOptions(
        url=urls.page_url(url),
        max_items=min(max(count, 1), feeds.MAX_ITEMS),
        fmt=fmt,
        exclude_failed=args.get("exc", "").lower() in YES,
        summary=args.get("summary", "").lower() in YES,
        remove_links=links == "remove",
    )
