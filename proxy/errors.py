"""Every failure a user can see, each carrying its HTTP status and a message meant for people.

Views and request hooks raise them; web/failures.py turns them into answers, in one place, in the
kind of answer the route gives (the reader's error page, JSON, Mercury's shape, a line of text).
What an answer needs besides status and message travels on the error: ``hint`` (a next step),
``url`` (the address asked for), ``retry_after`` (Retry-After) and ``challenge``
(WWW-Authenticate)::

    DeclutterError                500  something unexpected
    ├── BadURL                    400  missing or malformed URL
    ├── BadRequest                400  an API request of the wrong shape (unknown format, bad JSON)
    ├── Unauthorized              401  a token is required and missing or wrong
    ├── RefusedAddress            403  a scheme other than http(s), or a host the host lists refuse
    │   └── PrivateAddress        403  a private, loopback or reserved address (says how to allow)
    ├── NotDeliberate             403  a state change (refresh, sign-in) asked by another page
    ├── BadSignature              403  an image proxy address this server did not sign
    ├── UpstreamGone              404 / 410  passed on from the upstream site
    ├── ResultNotFound            404  a private result id that expired or never existed
    ├── TooLarge                  413  the page is larger than the configured limit
    ├── NotHTML                   415  the upstream answered with something other than HTML
    ├── NotFeed                   415  a feed was asked for and the address serves something else
    ├── MisdirectedRequest        421  a Host name this server is not known by (DNS rebinding)
    ├── NotImage                  415  an image address answered with something other than an image
    ├── NoArticle                 422  the page holds nothing that reads as an article
    │   └── PageTooComplex        422  far more elements, or deeper nesting, than real pages have
    ├── BadFeed                   422  the feed is malformed beyond what the parser can recover
    ├── RateLimited               429  too many requests; carries retry_after
    ├── UpstreamError             502  the upstream failed (bad status, reset, too many redirects)
    │   └── RulesArchiveBroken    502  ``declutter rules update`` got an archive it cannot use
    └── UpstreamTimeout           504  the upstream did not answer in time
"""

from __future__ import annotations


class DeclutterError(Exception):
    """Base: ``status`` is the HTTP status, ``message`` the text shown to the user."""

    status = 500
    code = "internal_error"
    default_message = "Something went wrong while reading this page."
    hint: str | None = None  # a next step the error page shows under the message
    url: str | None = None  # the address the reader asked for, when there was one (service.py)

    def __init__(self, message: str | None = None, *, status: int | None = None) -> None:
        self.message = message or self.default_message
        if status is not None:
            self.status = status
        super().__init__(self.message)

    @property
    def explained(self) -> str:
        """The message and its hint, for answers that have no place of their own for the hint."""
        return f"{self.message} {self.hint}" if self.hint else self.message

    def to_dict(self) -> dict[str, object]:
        return {"error": {"status": self.status, "code": self.code, "message": self.explained}}


class BadURL(DeclutterError):
    status = 400
    code = "bad_url"
    default_message = "Give an absolute http:// or https:// URL."


class BadRequest(DeclutterError):
    status = 400
    code = "bad_request"
    default_message = 'POST a JSON object {"url": "https://...", "html": "<html>..."}.'


class Unauthorized(DeclutterError):
    status = 401
    code = "unauthorized"
    default_message = "This Declutter server needs an API token."

    def __init__(self, message: str | None = None, *, challenge: str | None = None) -> None:
        super().__init__(message)
        self.challenge = challenge  # the WWW-Authenticate value that tells the client how to ask


class RefusedAddress(DeclutterError):
    status = 403
    code = "refused_address"
    default_message = (
        "This address is not reachable through Declutter (private, loopback or reserved)."
    )


class PrivateAddress(RefusedAddress):
    """Refused by the address guard; the message names what the reader asked for, never what a
    name resolved to, and the error page says how an operator opens a network on purpose."""

    default_message = "This address is private, loopback or reserved."
    hint = (
        "To read pages from a private network on purpose, this server's operator lists that "
        "network in the setting DECLUTTER_ALLOW_NETWORKS."
    )


class NotDeliberate(DeclutterError):
    status = 403
    code = "not_deliberate"
    default_message = (
        "Declutter does this only when asked from its own pages, the address bar "
        "or an API client, not from inside another page."
    )


class BadSignature(DeclutterError):
    status = 403
    code = "bad_signature"
    default_message = "This image address was not made by this server."


class UpstreamGone(DeclutterError):
    status = 404
    code = "upstream_not_found"
    default_message = "The site says this page does not exist."


class ResultNotFound(DeclutterError):
    status = 404
    code = "result_not_found"
    default_message = "This cleaned page has expired or never existed; send the page again."


class TooLarge(DeclutterError):
    status = 413
    code = "too_large"
    default_message = "The page is larger than this server accepts."


class NotHTML(DeclutterError):
    status = 415
    code = "not_html"
    default_message = "The address does not serve an HTML page."


class MisdirectedRequest(DeclutterError):
    status = 421
    code = "misdirected_request"
    default_message = (
        "This server does not answer to that host name; its operator can add the "
        "name to DECLUTTER_ALLOWED_HOSTS."
    )


class NotImage(DeclutterError):
    status = 415
    code = "not_image"
    default_message = "The address does not serve an image."


class NoArticle(DeclutterError):
    status = 422
    code = "no_article"
    default_message = "No article could be found on this page."


class PageTooComplex(NoArticle):
    """The page is refused before any work on it, as no real page is built that way; a NoArticle,
    so that callers which expect pages without an article (the benchmark) need no new case."""

    code = "page_too_complex"
    default_message = "This page is built of too many elements to be read."


class RateLimited(DeclutterError):
    status = 429
    code = "rate_limited"
    default_message = "Too many requests; try again shortly."

    def __init__(self, message: str | None = None, *, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class UpstreamError(DeclutterError):
    status = 502
    code = "upstream_error"
    default_message = "The site could not be read."


class RulesArchiveBroken(UpstreamError):
    code = "rules_archive_broken"
    default_message = "The site rules archive cannot be used; the rules in place are unchanged."


class UpstreamTimeout(DeclutterError):
    status = 504
    code = "upstream_timeout"
    default_message = "The site took too long to answer."


class NotFeed(DeclutterError):
    status = 415
    code = "not_feed"
    default_message = "The address does not serve an RSS, Atom or JSON feed."


class BadFeed(DeclutterError):
    status = 422
    code = "bad_feed"
    default_message = "The feed could not be parsed."
