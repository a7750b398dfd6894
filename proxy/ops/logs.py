"""Structured logs: one JSON object a line on stderr, each with the id of the request it belongs to.

The request id comes from the reverse proxy when it sends a plausible ``X-Request-ID`` (nginx's
``$request_id``), so one id follows a request through nginx, gunicorn's access log and these lines;
otherwise a new one is made on first use (a log line, or the answer). Every answer returns it as
``X-Request-ID``, errors included, so a user reporting a problem can quote it.

gunicorn writes the same JSON lines through ``GunicornLogger`` (deploy/gunicorn.conf.py sets it):
its own messages, and one access line per request whose message is the ``access_log_format`` text
and whose fields repeat the request id, cache status, status and duration, for log tools to filter
on.

werkzeug's development server (``declutter serve``) logs its start-up notes and one access line
a request through the ``werkzeug`` logger: ``declutter serve`` gives it the same JSON handler
(``configure_server``), its colours removed, so every line on stderr is one JSON object.

Nothing here logs headers, form fields or cookies, so tokens never reach the logs.
"""

from __future__ import annotations

import json
import logging
import random
import re
import sys
import time
from typing import Any

from flask import has_request_context
from gunicorn import glogging
from gunicorn.config import Config

from proxy import ctx

# The package logger: Flask's app.logger and every proxy.* module logger end here.
LOGGER = "proxy"
# The response (and accepted request) header carrying the id, and its WSGI name in a request.
HEADER = "X-Request-ID"
HEADER_ENVIRON = "HTTP_X_REQUEST_ID"
# Where the request's id is kept in its WSGI environ.
ID_ENVIRON = "declutter.request_id"
# An incoming id is kept only if it looks like one (nginx sends 32 hex digits); anything else,
# log-injection attempts included, is replaced.
VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Random bits in a new request id (32 hex digits, like nginx's). They come from ``random``, not
# uuid4's os.urandom: an id must be unique, not secret, and the system call, made while other
# threads wait for the GIL, was a tenth of a cache hit's time under load. Python reseeds ``random``
# from the OS in every forked worker.
ID_BITS = 128
# UTC timestamps, ISO 8601, milliseconds appended.
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S."
# Fields of gunicorn's access lines, taken from its log atoms (the response headers X-Request-ID and
# X-Cache, the status, the time taken in ms).
ACCESS_FIELDS = {
    "request_id": "{x-request-id}o",
    "cache": "{x-cache}o",
    "status": "s",
    "duration_ms": "M",
}
ACCESS_LOGGER = "gunicorn.access"
# The development server's logger; it colours its access lines with ANSI escapes even into a file.
WERKZEUG_LOGGER = "werkzeug"
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


class JsonFormatter(logging.Formatter):
    """One JSON line: time, level, logger, message, request id, access fields, traceback."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = time.strftime(TIME_FORMAT, time.gmtime(record.created))
        message = record.getMessage()
        if record.name == WERKZEUG_LOGGER:
            message = ANSI_ESCAPE.sub("", message)
        line = {
            "ts": f"{stamp}{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": message,
            "request_id": getattr(record, "request_id", None),
        }
        if record.name == ACCESS_LOGGER and isinstance(record.args, dict):
            line.update({name: record.args[atom] for name, atom in ACCESS_FIELDS.items()})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to every record logged while handling it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id() if has_request_context() else None
        return True


class GunicornLogger(glogging.Logger):
    """gunicorn's logger with every line, its own and the access lines, formatted as JSON."""

    def setup(self, cfg: Config) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())


def environ_id(environ: dict[str, Any]) -> str:
    """The id of the request of this WSGI environ: the incoming one if plausible, else a new one."""
    made: str | None = environ.get(ID_ENVIRON)
    if made is None:
        incoming: str | None = environ.get(HEADER_ENVIRON)
        valid = incoming is not None and VALID_ID.match(incoming) is not None
        made = incoming if valid and incoming else f"{random.getrandbits(ID_BITS):032x}"
        environ[ID_ENVIRON] = made
    return made


def request_id() -> str:
    """The id of the request being handled."""
    return environ_id(ctx.request._get_current_object().environ)


def return_id(environ: dict[str, Any], headers: list[tuple[str, str]]) -> None:
    """Add the request's id to an answer's headers (create_app has every answer call it)."""
    headers.append((HEADER, environ_id(environ)))


def configure(level: int = logging.INFO) -> None:
    """Send the package's logs to stderr as JSON, once per process."""
    _json_to_stderr(LOGGER, level)


def configure_server(level: int = logging.INFO) -> None:
    """The development server's lines as JSON too (``declutter serve``; werkzeug adds a plain
    handler of its own only when its logger has none)."""
    _json_to_stderr(WERKZEUG_LOGGER, level)


def _json_to_stderr(name: str, level: int) -> None:
    logger = logging.getLogger(name)
    if any(isinstance(handler.formatter, JsonFormatter) for handler in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger.addHandler(handler)
    logger.setLevel(level)
