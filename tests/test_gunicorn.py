"""End to end through a real gunicorn started with deploy/gunicorn.conf.py, as in production."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from servers import get, gunicorn

from proxy.store import embedded_redis

TITLE = "Night trains return to the Alps"


def test_an_article_is_read_end_to_end_through_gunicorn(settings_env, story):
    with gunicorn(settings_env) as base:
        status, headers, body = get(f"{base}/read?url={quote(story, safe='')}")
        assert status == 200 and headers["X-Cache"] == "MISS"
        assert TITLE in body.decode() and "script-src" not in headers["Content-Security-Policy"]
        statuses = {
            get(f"{base}/api/v1/article?url={quote(story, safe='')}")[1]["X-Cache"]
            for _ in range(4)
        }
        assert statuses == {"HIT"}  # whichever worker answers, the cache is shared
        status, _, body = get(f"{base}/{story}")
        assert status == 200 and TITLE in body.decode()


def test_workers_share_one_embedded_redis_that_stops_with_gunicorn(tmp_path, story):
    env = {"DECLUTTER_DATA_DIR": str(tmp_path), "DECLUTTER_ALLOW_NETWORKS": "127.0.0.1/32"}
    with gunicorn(env) as base:
        cache = json.loads(get(f"{base}/healthz")[2])["cache"]
        assert cache["reachable"] is True and cache["embedded"] is True
        answers = [
            json.loads(get(f"{base}/api/v1/article?url={quote(story, safe='')}")[2])
            for _ in range(4)
        ]
        assert [answer["cached"] for answer in answers] == [False, True, True, True]
        pid = int((tmp_path / embedded_redis.PID_NAME).read_text())
        assert redis_servers_on(tmp_path / embedded_redis.SOCKET_NAME) == [pid]
    assert not (tmp_path / embedded_redis.PID_NAME).exists()


def redis_servers_on(socket_path: Path) -> list[int]:
    """The pids of redis-server processes listening on ``socket_path``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (
                entry / "cmdline"
            ).read_bytes()  # redis retitles itself "redis-server unixsocket:..."
        except OSError:
            continue
        if (
            entry.name.isdigit()
            and b"redis-server" in command
            and str(socket_path).encode() in command
        ):
            found.append(int(entry.name))
    return found
