"""hooks.chain runs the app's request hooks exactly as Flask would, in one dispatch each way;
hooks.on_answer completes the headers of every answer, those Flask renders itself included."""

from __future__ import annotations

import pytest
from flask import Flask, Response

from proxy.web import hooks


def recording_app(*, chained: bool, answer_at: int | None = None) -> tuple[Flask, list[str]]:
    """An app with three before and three after hooks that note when they run."""
    app, seen = Flask(__name__), []
    for n in range(3):

        def before(n: int = n) -> str | None:
            seen.append(f"before {n}")
            return "answered" if n == answer_at else None

        def after(response: Response, n: int = n) -> Response:
            seen.append(f"after {n}")
            response.headers[f"X-After-{n}"] = "1"
            return response

        app.before_request(before)
        app.after_request(after)
    app.add_url_rule("/", "view", lambda: seen.append("view") or "view")
    if chained:
        hooks.chain(app)
    return app, seen


@pytest.mark.parametrize("answer_at", [None, 0, 1])
def test_chained_hooks_run_as_flask_runs_them(answer_at):
    runs = []
    for chained in (False, True):
        app, seen = recording_app(chained=chained, answer_at=answer_at)
        response = app.test_client().get("/")
        runs.append((seen, response.get_data(as_text=True), sorted(response.headers.keys())))
    assert runs[0] == runs[1]
    assert len(runs[1][0]) == (7 if answer_at is None else answer_at + 4)


def test_the_real_app_has_one_hook_each_way(app):
    assert len(app.before_request_funcs[None]) == 1
    assert len(app.after_request_funcs[None]) == 1


def test_answer_hooks_reach_every_answer():
    app = Flask(__name__)
    hooks.on_answer(app, lambda environ, headers: headers.append(("X-Seen", environ["PATH_INFO"])))
    hooks.on_answer(app, lambda environ, headers: headers.append(("X-Also", "1")))
    app.add_url_rule("/", "view", lambda: "view")
    app.add_url_rule("/boom", "boom", lambda: 1 / 0)
    client = app.test_client()
    for path, status in (("/", 200), ("/missing", 404), ("/boom", 500)):
        response = client.get(path)
        assert response.status_code == status
        assert (response.headers["X-Seen"], response.headers["X-Also"]) == (path, "1")


@pytest.mark.parametrize(
    "method, path", [("GET", "/"), ("POST", "/read"), ("PUT", "/api/v1/article")]
)
def test_answers_flask_renders_itself_carry_the_security_headers_and_an_id(client, method, path):
    response = client.open(path, method=method)
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert len(response.headers["X-Request-ID"]) == 32
