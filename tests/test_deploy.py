"""deploy/ checked as far as this machine allows: schema, systemd, nginx, gunicorn's conf, a real gunicorn.

There is no container engine here: the compose file is validated against the Compose specification,
and the Dockerfile's build steps are checked to be the set-up commands of deploy/README.md.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
CONF = "deploy/gunicorn.conf.py"
APP = "proxy:create_app()"
TOKEN = "deploy-token-0123456789abcdef"
START_SECONDS = 30  # workers importing lxml on a busy two-core machine
# A deploy file fits on a screen: this many lines at most (the README is prose, not a screen).
SCREEN_LINES = 80


def run(*command: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True,
                          text=True, timeout=120)


def test_compose_file_follows_the_compose_specification():
    result = run(str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec",
                 str(DEPLOY / "compose.yaml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_waits_as_long_as_gunicorn_does():
    compose = (DEPLOY / "compose.yaml").read_text()
    grace = int(re.search(r"stop_grace_period: (\d+)s", compose).group(1))
    assert grace > 30  # GUNICORN_GRACEFUL_TIMEOUT's default
    assert "--maxmemory-policy" in compose and "--appendonly" in compose


@pytest.mark.parametrize("name", ["gunicorn.conf.py", "Dockerfile", "compose.yaml", ".env.example",
                                  "declutter.service", "declutter.env", "nginx.conf"])
def test_each_deploy_file_fits_on_a_screen(name):
    assert len((DEPLOY / name).read_text().splitlines()) <= SCREEN_LINES


def dockerfile_commands() -> list[str]:
    """The shell commands of the Dockerfile's RUN steps, one per ``&&`` part."""
    text = (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ")
    steps = re.findall(r"^RUN (.+)$", text, re.MULTILINE)
    return [" ".join(part.split()) for step in steps for part in step.split("&&")]


def readme_commands() -> list[str]:
    """Every line of deploy/README.md's shell blocks, whitespace normalised."""
    blocks = re.findall(r"```sh\n(.*?)```", (DEPLOY / "README.md").read_text(), re.DOTALL)
    return [" ".join(line.split()) for block in blocks for line in block.splitlines()]


def test_the_image_is_built_by_the_readme_set_up_commands():
    commands = dockerfile_commands()
    assert any("pip install --upgrade pip" in command for command in commands)
    missing = [command for command in commands if command not in readme_commands()]
    assert missing == []


def test_the_makefile_installs_the_same_way():
    makefile = (ROOT / "Makefile").read_text()
    for step in (r"-m venv", r"-m pip install .*--upgrade pip", r"-m pip install .*'\.\["):
        assert re.search(step, makefile), step


def verified_unit(tmp_path: Path, unit: str) -> subprocess.CompletedProcess[str]:
    """systemd-analyze verify on the unit, its install paths pointed at this checkout."""
    path = tmp_path / "declutter.service"
    path.write_text(unit.replace("/opt/declutter/venv", str(BIN.parent)).replace("/opt/declutter/src", str(ROOT)))
    return run("systemd-analyze", "verify", str(path))


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_systemd_unit_verifies(tmp_path):
    result = verified_unit(tmp_path, (DEPLOY / "declutter.service").read_text())
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_verify_would_catch_a_broken_unit(tmp_path):
    broken = (DEPLOY / "declutter.service").read_text().replace("Restart=on-failure", "Restart=sometimes")
    assert "restart" in verified_unit(tmp_path, broken).stderr.lower()


def test_the_systemd_unit_is_hardened():
    unit = (DEPLOY / "declutter.service").read_text()
    for setting in ("User=declutter", "Restart=on-failure", "PrivateTmp=true", "ProtectSystem=strict",
                    "NoNewPrivileges=true", f"gunicorn -c /opt/declutter/src/{CONF}"):
        assert setting in unit


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_the_nginx_site_passes_nginx_t(tmp_path):
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=read.example.org",
        "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem"))
    site = (DEPLOY / "nginx.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/read.example.org/fullchain.pem", str(tmp_path / "cert.pem"))
    site = site.replace("/etc/letsencrypt/live/read.example.org/privkey.pem", str(tmp_path / "key.pem"))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n access_log off;\n include {tmp_path}/site.conf;\n}}\n")
    result = run("nginx", "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path))
    assert result.returncode == 0, result.stderr


def gunicorn_env(settings_env: dict[str, str], **extra: str) -> dict[str, str]:
    return {**settings_env, "PYTHONPATH": str(ROOT), "WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "2", **extra}


def test_gunicorn_accepts_the_conf(settings_env):
    result = run(str(BIN / "gunicorn"), "-c", CONF, "--check-config", APP, env=gunicorn_env(settings_env))
    assert result.returncode == 0, result.stderr


def test_the_worker_timeout_must_outlast_the_fetch_timeout(settings_env):
    env = gunicorn_env(settings_env, GUNICORN_TIMEOUT="5", DECLUTTER_FETCH_TIMEOUT="10")
    result = run(str(BIN / "gunicorn"), "-c", CONF, "--check-config", APP, env=env)
    assert result.returncode != 0 and "DECLUTTER_FETCH_TIMEOUT" in result.stderr


def test_gunicorn_refuses_an_open_public_bind(settings_env):
    env = gunicorn_env(settings_env, DECLUTTER_BIND=f"0.0.0.0:{free_port()}")  # refused before binding
    result = run(str(BIN / "gunicorn"), "-c", CONF, APP, env=env)
    assert result.returncode != 0
    assert "DECLUTTER_TOKENS" in result.stdout + result.stderr


def get(url: str, token: str | None = None) -> tuple[int, dict[str, str], bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
        return response.status, dict(response.headers), response.read()


@contextmanager
def gunicorn(env: dict[str, str], log: Path) -> Iterator[str]:
    """gunicorn with deploy/gunicorn.conf.py on a free loopback port, its output in ``log``."""
    port = free_port()
    with open(log, "wb") as out:
        server = subprocess.Popen([str(BIN / "gunicorn"), "-c", CONF, APP], cwd=ROOT, stdout=out, stderr=out,
                                  env={**os.environ, **env, "DECLUTTER_BIND": f"127.0.0.1:{port}"})
        try:
            wait_until_healthy(f"http://127.0.0.1:{port}", server)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            server.wait(timeout=40)


def wait_until_healthy(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        assert server.poll() is None, "gunicorn exited"
        try:
            if get(f"{base}/healthz")[0] == 200:
                return
        except OSError:
            assert time.monotonic() < deadline, "gunicorn did not become healthy"
        time.sleep(0.2)


def metric(base: str, name: str, **labels: str) -> float:
    text = get(f"{base}/metrics", TOKEN)[2].decode()
    return sum(found.value for family in text_string_to_metric_families(text) for found in family.samples
               if found.name == name and all(found.labels.get(k) == v for k, v in labels.items()))


def test_gunicorn_serves_logs_ids_and_cache_status_without_tokens(settings_env, story, tmp_path):
    log = tmp_path / "gunicorn.log"
    with gunicorn(gunicorn_env(settings_env, DECLUTTER_TOKENS=TOKEN), log) as base:
        article = f"{base}/api/v1/article?url={quote(story, safe='')}"
        first, second = get(article, TOKEN)[1], get(article, TOKEN)[1]
    output = log.read_text()
    lines = [json.loads(line) for line in output.splitlines()]  # every line is JSON
    access = {line.get("request_id"): line for line in lines if line["logger"] == "gunicorn.access"}
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert access[first["X-Request-ID"]]["cache"] == "MISS"
    assert access[second["X-Request-ID"]]["cache"] == "HIT"
    assert f"rid={second['X-Request-ID']} cache=HIT" in access[second["X-Request-ID"]]["message"]
    assert TOKEN not in output


def test_metrics_add_up_across_workers(settings_env, tmp_path):
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    # Workers retire after 5 requests, so the 24 below are answered by several processes for sure.
    env = gunicorn_env(settings_env, DECLUTTER_TOKENS=TOKEN, PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
                       GUNICORN_MAX_REQUESTS="5")
    with gunicorn(env, tmp_path / "gunicorn.log") as base:
        before = metric(base, "declutter_http_requests_total", endpoint="reader.healthz")
        for _ in range(24):
            get(f"{base}/healthz")
        total = metric(base, "declutter_http_requests_total", endpoint="reader.healthz")
    workers = {path.stem.rsplit("_", 1)[-1] for path in metrics_dir.glob("counter_*.db")}
    assert len(workers) >= 4
    assert total == before + 24  # retired workers' counts included
