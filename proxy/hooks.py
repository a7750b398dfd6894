"""The app's request hooks run as one before and one after hook, in the order the components set.

Each component adds its own hooks in its ``init_app`` (CORS, metrics, the auth guard, access
control, rate limits, request ids, security headers): eleven in all. Flask dispatches every hook
through ``ensure_sync``, which asks ``inspect`` whether it is a coroutine, and on a cache hit that
dispatch cost about as much as the hooks' own work. ``chain`` keeps the hooks and their order and
pays the dispatch once each way. Call it last in ``create_app``, once every component is in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response

BeforeHook = Callable[[], Any]
AfterHook = Callable[[Response], Response]


def chain(app: Flask) -> None:
    """Replace the app-wide before/after hooks with one of each running them as Flask would."""
    before = tuple(app.before_request_funcs.get(None, ()))
    after = tuple(reversed(app.after_request_funcs.get(None, ())))  # Flask runs them last-added first
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
