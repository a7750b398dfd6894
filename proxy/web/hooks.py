"""The app's request hooks run as one before and one after hook, in the order the components set.

Each component adds its own hooks in its ``init_app`` (CORS, metrics, the host check, the auth
guard, access control, rate limits): ten in all. Flask dispatches every hook through
``ensure_sync``, which asks ``inspect`` whether it is a coroutine, and on a cache hit that dispatch
cost about as much as the hooks' own work. ``chain`` keeps the hooks and their order, pays the
dispatch once each way, and has the app remember ``ensure_sync``'s answer per function (views
included). Call it last in ``create_app``, once every component is in.

Headers that every answer carries whatever made it (the security headers, the request id) are added
by ``on_answer`` functions instead, where the answer leaves the app: errors Flask renders itself get
them too, and they join the header list as plain pairs after werkzeug has copied and checked the
view's own.

Hooks run on every request, so they read ``request``, ``g`` and ``current_app`` once each through
``_get_current_object()`` (proxy/ctx.py types them for it): an attribute read through one of
Flask's proxies costs some twenty plain ones (1.7 us against 0.08 us here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from flask import Flask, Response

BeforeHook = Callable[[], Any]
AfterHook = Callable[[Response], Response]
Environ = dict[str, Any]
HeaderList = list[tuple[str, str]]  # an answer's headers as WSGI has them
AnswerHook = Callable[[Environ, HeaderList], None]  # adds to the header list in place
StartResponse = Callable[..., Any]
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]


def chain(app: Flask) -> None:
    """Replace the app-wide before/after hooks with one of each running them as Flask would.

    The view and these two hooks are the same few functions on every request, so whether each is a
    coroutine is asked once per function, not once per call.
    """
    app.ensure_sync = lru_cache(maxsize=None)(app.ensure_sync)  # type: ignore[method-assign]
    before = tuple(app.before_request_funcs.get(None, ()))
    after = tuple(
        reversed(app.after_request_funcs.get(None, ()))
    )  # Flask runs them last-added first
    app.before_request_funcs[None] = [_run_before(before)] if before else []
    app.after_request_funcs[None] = [_run_after(after)] if after else []


def _run_before(hooks: tuple[BeforeHook, ...]) -> BeforeHook:
    def before_request() -> Any:
        for hook in hooks:
            answer = hook()
            if answer is not None:  # the first hook that answers ends the request, as in Flask
                return answer
        return None

    return before_request


def _run_after(hooks: tuple[AfterHook, ...]) -> AfterHook:
    def after_request(response: Response) -> Response:
        for hook in hooks:
            response = hook(response)
        return response

    return after_request


class AnswerHooks:
    """WSGI middleware: ``on_answer`` functions complete each answer's headers as it starts."""

    def __init__(self, wsgi_app: WSGIApp) -> None:
        self.wsgi_app = wsgi_app
        self.hooks: list[AnswerHook] = []

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        def start(status: str, headers: HeaderList, exc_info: Any = None) -> Any:
            for hook in self.hooks:
                hook(environ, headers)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


def on_answer(app: Flask, hook: AnswerHook) -> None:
    """Have ``hook(environ, headers)`` add to the headers of every answer the app sends."""
    if not isinstance(app.wsgi_app, AnswerHooks):
        app.wsgi_app = AnswerHooks(app.wsgi_app)  # type: ignore[method-assign]
    app.wsgi_app.hooks.append(hook)
