"""/metrics, JSON logs and X-Request-ID through the real app (several workers: see
test_deploy.py)."""

from __future__ import annotations

import json
import logging

import pytest
from prometheus_client.parser import text_string_to_metric_families

from proxy import create_app
from proxy.ops import logs


def sample(client, name: str, **labels: str) -> float:
    """The value of one sample in the app's /metrics (0 when absent)."""
    text = client.get("/metrics").get_data(as_text=True)
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and all(found.labels.get(k) == v for k, v in labels.items()):
                return found.value
    return 0.0


def test_metrics_are_prometheus_text(client):
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert "# TYPE declutter_http_request_seconds histogram" in response.get_data(as_text=True)


def test_requests_are_counted_by_route_and_status(client):
    answered = {"endpoint": "reader.read", "status": "400"}
    before = sample(client, "declutter_http_request_seconds_count", **answered)
    client.get("/read", query_string={"url": "not a url"})
    assert sample(client, "declutter_http_request_seconds_count", **answered) == before + 1


def test_unknown_paths_are_one_series(client):
    client.get("/api/v1/nothing-here")
    text = client.get("/metrics").get_data(as_text=True)
    assert "nothing-here" not in text


def test_cache_hits_misses_and_fetch_latency(client, story):
    hits = sample(client, "declutter_cache_lookups_total", result="hit")
    misses = sample(client, "declutter_cache_lookups_total", result="miss")
    fetches = sample(client, "declutter_stage_seconds_count", stage="fetch")
    extractions = sample(client, "declutter_stage_seconds_count", stage="extraction")
    client.get("/read", query_string={"url": story})
    client.get("/read", query_string={"url": story})
    assert sample(client, "declutter_cache_lookups_total", result="miss") == misses + 1
    assert sample(client, "declutter_cache_lookups_total", result="hit") == hits + 1
    assert sample(client, "declutter_stage_seconds_count", stage="fetch") == fetches + 1
    assert sample(client, "declutter_stage_seconds_count", stage="extraction") == extractions + 1


def test_upstream_errors_are_counted_by_kind(client, upstream):
    upstream.expect_request("/gone").respond_with_data("no", status=404)
    before = sample(
        client, "declutter_stage_errors_total", stage="fetch", kind="upstream_not_found"
    )
    assert client.get("/read", query_string={"url": upstream.url_for("/gone")}).status_code == 404
    assert (
        sample(client, "declutter_stage_errors_total", stage="fetch", kind="upstream_not_found")
        == before + 1
    )


def redis_errors(client) -> float:
    """Failed Redis calls of every component (the first to meet an outage counts it)."""
    return sum(
        sample(client, "declutter_redis_errors_total", component=name)
        for name in ("cache", "limits")
    )


def test_redis_errors_are_counted(client, story, redis_server):
    before = redis_errors(client)
    redis_server.stop()
    try:
        assert client.get("/read", query_string={"url": story}).status_code == 200
        assert redis_errors(client) > before
    finally:
        redis_server.start()


@pytest.mark.usefixtures("whole_window")
def test_rate_limited_requests_are_counted(settings_env, story):
    client = create_app({**settings_env, "DECLUTTER_RATE_LIMIT": "1/minute"}).test_client()
    before = sample(client, "declutter_rate_limited_total", budget="requests")
    client.get("/read", query_string={"url": story})
    client.get("/read", query_string={"url": story})
    assert sample(client, "declutter_rate_limited_total", budget="requests") == before + 1


def test_every_response_carries_a_request_id(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first.headers["X-Request-ID"]) >= 16
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


@pytest.mark.parametrize(
    "incoming, kept",
    [
        ("0123456789abcdef0123456789abcdef", True),  # nginx's $request_id
        ("short", False),
        ('evil" "level": "error', False),  # an attempt to forge JSON fields
        ("x" * 65, False),
    ],
)
def test_an_incoming_request_id_is_kept_only_when_plausible(client, incoming, kept):
    returned = client.get("/healthz", headers={"X-Request-ID": incoming}).headers["X-Request-ID"]
    assert (returned == incoming) is kept


def test_the_answer_returns_the_id_its_log_lines_carry(app):
    app.add_url_rule("/which-id", "which_id", logs.request_id)
    client = app.test_client()
    for sent in ({}, {"X-Request-ID": "req-0123456789"}):
        response = client.get("/which-id", headers=sent)
        assert response.get_data(as_text=True) == response.headers["X-Request-ID"]
    assert response.headers["X-Request-ID"] == "req-0123456789"


def test_log_lines_are_json_with_the_request_id(app, capsys):
    with app.test_request_context(headers={"X-Request-ID": "req-0123456789"}):
        record = logging.LogRecord(
            "proxy.test", logging.WARNING, __file__, 1, "upstream %s failed", ("x",), None
        )
        logs.RequestIdFilter().filter(record)
        line = json.loads(logs.JsonFormatter().format(record))
    assert line["message"] == "upstream x failed"
    assert line["request_id"] == "req-0123456789"
    assert line["level"] == "warning" and line["logger"] == "proxy.test"


def test_the_package_logger_writes_json(app):
    handlers = logging.getLogger(logs.LOGGER).handlers
    assert any(isinstance(handler.formatter, logs.JsonFormatter) for handler in handlers)
