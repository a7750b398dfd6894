"""Declutter: a self-hosted readability proxy. ``create_app`` is the only entry point for
servers."""

from __future__ import annotations

import os
from collections.abc import Mapping

from flask import Flask

from proxy.config import Settings


def create_app(config: Mapping[str, str] | None = None) -> Flask:
    """Build the app from the environment, with ``config`` (same variable names) taking precedence.

    gunicorn loads ``proxy:create_app()``; tests pass a real Redis URL and the loopback networks.
    """
    settings = Settings.from_env({**os.environ, **(config or {})})
    app = Flask(__name__)
    app.config["SETTINGS"] = settings

    from proxy import siterules
    from proxy.ops import logs, metrics
    from proxy.store import cache, hot
    from proxy.web import (
        api,
        auth,
        bodies,
        compat,
        cors,
        failures,
        feedview,
        headers,
        hooks,
        hosts,
        image_proxy,
        keep,
        prefs,
        ratelimit,
        reader,
    )

    app.request_class = hot.Request  # query strings of hot pages parsed once per worker

    metrics.init_app(app)  # first: times and counts every answer, preflights and refusals included
    hosts.init_app(app)  # a host name we are not known by (DNS rebinding) is answered 421 at once
    cors.init_app(app)  # preflights are answered before access control and rate limits
    logs.configure()  # JSON logs, before anything that may log
    hooks.on_answer(app, logs.return_id)  # X-Request-ID on every answer
    bodies.init_app(app)  # every request body capped for its route before anything reads it
    failures.init_app(
        app
    )  # every failure, raised by a view or a hook, answered in its route's kind
    cache.init_app(app)
    siterules.init_app(app)  # indexes the rule files' names; each is read on its first use
    ratelimit.init_guard(app)  # wrong tokens are counted per address before auth checks them
    auth.init_app(app)  # decides who is asking, so that...
    ratelimit.init_app(app)  # ...rate limits can count per token (on the store cache.py opened)
    headers.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(feedview.bp)  # /feed, /makefulltextfeed.php
    compat.init_app(app)  # Mercury, FiveFilters and Feedbin extract routes
    app.register_blueprint(keep.bp)  # /epub, before the reader's catch-all direct URL
    app.register_blueprint(reader.bp)
    app.register_blueprint(prefs.bp)  # after reader: its catch-all POST is the settings form's
    image_proxy.init_app(app)  # /img/ (after auth: it signs with the same secret)
    hooks.chain(app)  # last: the hooks above run as one before and one after hook, in their order
    return app
