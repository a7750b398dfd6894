"""Declutter: a self-hosted readability proxy. ``create_app`` is the only entry point for servers."""

from __future__ import annotations

import os
from collections.abc import Mapping

from flask import Flask

from .config import Settings


def create_app(config: Mapping[str, str] | None = None) -> Flask:
    """Build the app from the environment, with ``config`` (same variable names) taking precedence.

    gunicorn loads ``proxy:create_app()``; tests pass a real Redis URL and the loopback networks.
    """
    settings = Settings.from_env({**os.environ, **(config or {})})
    app = Flask(__name__)
    app.config["SETTINGS"] = settings

    from . import api, auth, cache, cors, headers, hooks, hot, limits, logs, metrics, reader, siterules

    app.request_class = hot.Request  # query strings of hot pages parsed once per worker

    metrics.init_app(app)  # first: times and counts every answer, preflights and refusals included
    cors.init_app(app)  # preflights are answered before access control and rate limits
    logs.init_app(app)  # request id, before anything that may log
    cache.init_app(app)
    siterules.init_app(app)  # indexes the rule files' names; each is read on its first use
    limits.init_guard(app)  # wrong tokens are counted per address before auth checks them
    auth.init_app(app)  # decides who is asking, so that...
    limits.init_app(app)  # ...rate limits can count per token (needs the cache's Redis URL)
    headers.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(reader.bp)
    hooks.chain(app)  # last: the hooks above run as one before and one after hook, in their order
    return app
