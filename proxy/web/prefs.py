"""A reader's settings (text size, column width, typeface, theme) without a script on the page.

The article page stays the same bytes for everyone, so its cache, ETag and hot path are untouched:
it links ``/prefs.css``, a few lines of CSS made for each reader from a cookie, answered privately
and never stored by a cache. The settings form on the page has no action, so it posts to the
page's own address; each of its buttons submits one choice, which is merged into the cookie before
a 303 sends the browser back to the same address, where the new stylesheet applies. The current
choices are marked by the same stylesheet, as the form cannot be made for one reader.

The cookie holds only the allowlisted values of formats/readersettings.py; anything else in it is
ignored.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, redirect, request
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response as BaseResponse

from proxy.formats.readersettings import DEFAULTS, SETTINGS, STYLESHEET, choices, stylesheet_for

bp = Blueprint("prefs", __name__)

COOKIE = "declutter_prefs"
COOKIE_MAX_AGE = 365 * 24 * 3600  # a reading preference outlives any session
# Made per request from the cookie: never stored by a shared cache, revalidated by the browser.
CACHE_CONTROL = "private, no-store"
CSS = "text/css; charset=utf-8"

# The path of a direct proxy URL's page: an address, perhaps percent-encoded or with slashes merged.
DIRECT_TARGET = re.compile(r"https?(:|%3A)", re.IGNORECASE)
# The form's button that forgets every choice.
RESET = "reset"


@bp.get(STYLESHEET)
def stylesheet() -> Response:
    """This reader's stylesheet, made from their cookie; private and never cached."""
    response = Response(stylesheet_for(choices(request.cookies.get(COOKIE))), content_type=CSS)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.vary.add("Cookie")
    return response


def save() -> BaseResponse:
    """The form's POST: the choice merged into the cookie, then 303 back to the same page."""
    chosen = choices(request.cookies.get(COOKIE))
    for name, value in request.form.items():
        if value in SETTINGS.get(name, ("", {}))[1]:
            chosen[name] = value
    response = redirect(_same_address(), code=303)
    if RESET in request.form:
        response.delete_cookie(COOKIE, samesite="Lax", secure=request.is_secure)
        return response
    changed = {name: value for name, value in chosen.items() if DEFAULTS[name] != value}
    response.set_cookie(
        COOKIE,
        urlencode(changed),
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response


def _same_address() -> str:
    """The absolute address this request was sent to, as sent (the direct proxy URL's query is
    the article's), on this server: never a redirect elsewhere."""
    environ = request.environ
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if not raw:
        query = request.query_string.decode("latin-1")
        raw = quote(request.path) + (f"?{query}" if query else "")
    return request.host_url + raw.lstrip("/")


@bp.post("/read", endpoint="save_read")
@bp.post("/read/r/<result_id>", endpoint="save_result")
def save_on_page(**_: str) -> BaseResponse:
    """The settings form posts to the reader page it is on (it has no action of its own)."""
    return save()


@bp.post("/<path:target>", endpoint="save_direct", merge_slashes=False)
def save_on_direct_page(target: str) -> BaseResponse:
    """``save`` on a direct proxy URL's page; any other path has nothing to post to (404)."""
    if not DIRECT_TARGET.match(target):
        raise NotFound()
    return save()
