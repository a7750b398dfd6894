"""The reference endpoint of the load benchmark: Flask answering with the bytes Declutter served.

It runs under the same gunicorn settings as Declutter (deploy/gunicorn.conf.py), so the gap between
the two is what Declutter's own work costs on a cache hit.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response

# The body and its media type reach gunicorn's workers through these variables.
BODY_ENV = "DECLUTTER_BENCH_BODY"
TYPE_ENV = "DECLUTTER_BENCH_TYPE"


def create_app() -> Flask:
    """An app whose one route, ``/``, returns the file named by BODY_ENV as TYPE_ENV."""
    app = Flask(__name__)
    body = Path(os.environ[BODY_ENV]).read_bytes()
    media_type = os.environ[TYPE_ENV]
    app.add_url_rule("/", "same_bytes", lambda: Response(body, content_type=media_type))
    return app
