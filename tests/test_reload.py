"""A HUP (``systemctl reload``) serves the Declutter code and templates on disk, as the unit says.

gunicorn runs a copy of this checkout; the test changes the copy's code (a module the master has
imported too) and a template, sends the master a HUP and reads the new answers from the same port.
"""

from __future__ import annotations

import shutil
import signal
import time

from servers import ROOT, get, gunicorn_process

# Appended to the copy's proxy/__init__.py: every answer then carries this header.
CODE_HEADER = "X-Reloaded-Code"
WRAPPER = f'''

_first_create_app = create_app


def create_app(config=None):
    app = _first_create_app(config)
    inner = app.wsgi_app

    def tagged(environ, start_response):
        def start(status, headers, exc_info=None):
            return start_response(status, [*headers, ("{CODE_HEADER}", "2")], exc_info)

        return inner(environ, start)

    app.wsgi_app = tagged
    return app
'''
# Put into the copy's landing page template.
TEMPLATE_MARK = "Reloaded template"
RELOAD_SECONDS = 30  # new workers import lxml and the app on a busy two-core machine


def test_a_hup_serves_changed_code_and_templates_with_the_same_embedded_redis(tmp_path):
    root = tmp_path / "src"
    for folder in ("proxy", "deploy"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    env = {"DECLUTTER_DATA_DIR": str(tmp_path / "data")}
    with gunicorn_process(env, root=root) as (base, master):
        status, headers, body = get(f"{base}/")
        assert status == 200 and CODE_HEADER not in headers
        assert TEMPLATE_MARK.encode() not in body
        with (root / "proxy" / "__init__.py").open("a") as init:
            init.write(WRAPPER)
        index = root / "proxy" / "templates" / "index.html"
        index.write_text(index.read_text().replace("<h1>", f"<h1>{TEMPLATE_MARK} ", 1))
        master.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + RELOAD_SECONDS
        while True:
            status, headers, body = get(f"{base}/")
            if CODE_HEADER in headers and TEMPLATE_MARK.encode() in body:
                break
            assert time.monotonic() < deadline, "the reloaded workers serve the old code"
            time.sleep(0.2)
        status, headers, body = get(f"{base}/healthz")
        assert status == 200 and headers[CODE_HEADER] == "2"
        assert b'"reachable": true' in body or b'"reachable":true' in body
