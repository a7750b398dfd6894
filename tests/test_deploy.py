"""deploy/ checked as far as this machine allows: schema, systemd, nginx, gunicorn's conf, a real
gunicorn.

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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import urllib3
from conftest import free_port
from prometheus_client.parser import text_string_to_metric_families
from servers import APP, CONF, get, gunicorn

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
TOKEN = "deploy-token-0123456789abcdef"
# A deploy file fits on a screen: this many lines at most (the README is prose, not a screen).
SCREEN_LINES = 80


def run(*command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_compose_file_follows_the_compose_specification():
    result = run(
        str(BIN / "check-jsonschema"),
        "--builtin-schema",
        "vendor.compose-spec",
        str(DEPLOY / "compose.yaml"),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_waits_as_long_as_gunicorn_does():
    compose = (DEPLOY / "compose.yaml").read_text()
    grace = int(re.search(r"stop_grace_period: (\d+)s", compose).group(1))
    assert grace > 30  # GUNICORN_GRACEFUL_TIMEOUT's default
    assert "--maxmemory-policy" in compose and "--appendonly" in compose


@pytest.mark.parametrize(
    "name",
    [
        "gunicorn.conf.py",
        "Dockerfile",
        "compose.yaml",
        ".env.example",
        "declutter.service",
        "declutter.env",
        "nginx.conf",
    ],
)
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
    unit = unit.replace("/opt/declutter/venv", str(BIN.parent)).replace(
        "/opt/declutter/src", str(ROOT)
    )
    path.write_text(unit)
    return run("systemd-analyze", "verify", str(path))


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed"
)
def test_the_systemd_unit_verifies(tmp_path):
    result = verified_unit(tmp_path, (DEPLOY / "declutter.service").read_text())
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed"
)
def test_systemd_verify_would_catch_a_broken_unit(tmp_path):
    broken = (
        (DEPLOY / "declutter.service")
        .read_text()
        .replace("Restart=on-failure", "Restart=sometimes")
    )
    assert "restart" in verified_unit(tmp_path, broken).stderr.lower()


def test_the_systemd_unit_is_hardened():
    unit = (DEPLOY / "declutter.service").read_text()
    for setting in (
        "User=declutter",
        "Restart=on-failure",
        "PrivateTmp=true",
        "ProtectSystem=strict",
        "NoNewPrivileges=true",
        f"gunicorn -c /opt/declutter/src/{CONF}",
    ):
        assert setting in unit


NGINX = shutil.which("nginx") or shutil.which(
    "nginx", path="/usr/sbin:/sbin"
)  # sbin: off a user's PATH
NEEDS_NGINX = pytest.mark.skipif(NGINX is None, reason="nginx is not installed")
SITE = "read.example.org"
# nginx's own paths, moved under the test's directory so it runs without root.
NGINX_MAIN = """pid {d}/nginx.pid;
error_log {d}/error.log;
events {{}}
http {{
  access_log off;
  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  include {d}/site.conf;
}}
"""


def nginx_conf(tmp_path: Path, app_port: int = 8000, http: int = 80, https: int = 443) -> Path:
    """deploy/nginx.conf with a self-signed certificate, the given ports, on IPv4 loopback."""
    run(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        f"/CN={SITE}",
        "-addext",
        f"subjectAltName=DNS:{SITE}",
        "-keyout",
        str(tmp_path / "key.pem"),
        "-out",
        str(tmp_path / "cert.pem"),
    )
    site = (DEPLOY / "nginx.conf").read_text()
    site = site.replace(f"/etc/letsencrypt/live/{SITE}/fullchain.pem", str(tmp_path / "cert.pem"))
    site = site.replace(f"/etc/letsencrypt/live/{SITE}/privkey.pem", str(tmp_path / "key.pem"))
    site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    site = re.sub(r"^\s*listen \[::\].*\n", "", site, flags=re.MULTILINE)  # IPv6 may be absent here
    site = re.sub(r"listen 80\b", f"listen 127.0.0.1:{http}", site)
    site = re.sub(r"listen 443\b", f"listen 127.0.0.1:{https}", site)
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(NGINX_MAIN.format(d=tmp_path))
    return tmp_path / "nginx.conf"


@NEEDS_NGINX
def test_the_nginx_site_passes_nginx_t(tmp_path):
    result = run(NGINX, "-t", "-c", str(nginx_conf(tmp_path)), "-p", str(tmp_path))
    assert result.returncode == 0, result.stderr


def gunicorn_env(settings_env: dict[str, str], **extra: str) -> dict[str, str]:
    return {
        **settings_env,
        "PYTHONPATH": str(ROOT),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "2",
        **extra,
    }


def test_gunicorn_accepts_the_conf(settings_env):
    result = run(
        str(BIN / "gunicorn"), "-c", CONF, "--check-config", APP, env=gunicorn_env(settings_env)
    )
    assert result.returncode == 0, result.stderr


def test_the_worker_timeout_must_outlast_the_fetch_timeout(settings_env):
    env = gunicorn_env(settings_env, GUNICORN_TIMEOUT="5", DECLUTTER_FETCH_TIMEOUT="10")
    result = run(str(BIN / "gunicorn"), "-c", CONF, "--check-config", APP, env=env)
    assert result.returncode != 0 and "DECLUTTER_FETCH_TIMEOUT" in result.stderr


def test_gunicorn_refuses_an_open_public_bind(settings_env):
    env = gunicorn_env(
        settings_env, DECLUTTER_BIND=f"0.0.0.0:{free_port()}"
    )  # refused before binding
    result = run(str(BIN / "gunicorn"), "-c", CONF, APP, env=env)
    assert result.returncode != 0
    assert "DECLUTTER_TOKENS" in result.stdout + result.stderr


def metric(base: str, name: str, **labels: str) -> float:
    text = get(f"{base}/metrics", TOKEN)[2].decode()
    return sum(
        found.value
        for family in text_string_to_metric_families(text)
        for found in family.samples
        if found.name == name and all(found.labels.get(k) == v for k, v in labels.items())
    )


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
    stale = metrics_dir / "counter_1.db"  # left by a previous run: must not add to this one
    stale.write_bytes(b"old samples")
    # Workers retire after 5 requests, so the 24 below are answered by several processes for sure.
    env = gunicorn_env(
        settings_env,
        DECLUTTER_TOKENS=TOKEN,
        PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
        GUNICORN_MAX_REQUESTS="5",
    )
    with gunicorn(env, tmp_path / "gunicorn.log") as base:
        before = metric(base, "declutter_http_request_seconds_count", endpoint="reader.healthz")
        for _ in range(24):
            get(f"{base}/healthz")
        total = metric(base, "declutter_http_request_seconds_count", endpoint="reader.healthz")
    workers = {path.stem.rsplit("_", 1)[-1] for path in metrics_dir.glob("histogram_*.db")}
    assert not stale.exists()
    assert len(workers) >= 4
    assert total == before + 24  # retired workers' counts included


@contextmanager
def nginx(conf: Path) -> Iterator[None]:
    """nginx in the foreground with ``conf``, until the block ends."""
    server = subprocess.Popen(
        [NGINX, "-c", str(conf), "-p", str(conf.parent), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(0.5)
        assert server.poll() is None, (conf.parent / "error.log").read_text()
        yield
    finally:
        server.terminate()
        server.wait(timeout=10)


@NEEDS_NGINX
def test_behind_nginx_clients_are_counted_by_real_address_over_tls(settings_env, story, tmp_path):
    env = gunicorn_env(settings_env, DECLUTTER_TOKENS=TOKEN, DECLUTTER_ALLOWED_HOSTS=SITE)
    with gunicorn(env, tmp_path / "gunicorn.log") as base:
        http, https = free_port(), free_port()
        with nginx(nginx_conf(tmp_path, int(base.rsplit(":", 1)[1]), http, https)):
            site = urllib3.HTTPSConnectionPool(
                "127.0.0.1",
                https,
                server_hostname=SITE,
                ca_certs=str(tmp_path / "cert.pem"),
                retries=False,
            )
            health = site.request("GET", "/healthz", headers={"Host": SITE})
            signin = site.request(
                "POST",
                "/signin",
                fields={"token": TOKEN},
                encode_multipart=False,
                headers={"Host": SITE},
                redirect=False,
            )
            guesses = [
                site.request(
                    "GET",
                    f"/api/v1/article?url={quote(story, safe='')}",
                    headers={
                        "Host": SITE,
                        "Authorization": f"Bearer guess{n}",
                        "X-Forwarded-For": f"198.51.100.{n}",
                    },
                ).status
                for n in range(11)
            ]  # each claims another address; nginx replaces the claim
            plain = urllib3.HTTPConnectionPool("127.0.0.1", http, retries=False)
            redirect = plain.request("GET", "/read", headers={"Host": SITE}, redirect=False)
            with pytest.raises(urllib3.exceptions.ProtocolError):
                plain.request("GET", "/healthz", headers={"Host": "other.example"})  # 444: closed
    assert health.status == 200 and re.fullmatch(r"[0-9a-f]{32}", health.headers["X-Request-ID"])
    assert "Strict-Transport-Security" in health.headers
    assert signin.status == 303 and "Secure" in signin.headers["Set-Cookie"]  # X-Forwarded-Proto
    assert guesses == [401] * 10 + [429]  # counted for the one real client address
    assert (redirect.status, redirect.headers["Location"]) == (301, f"https://{SITE}/read")


def test_the_image_copies_what_pip_and_gunicorn_need():
    sources = re.findall(
        r"^COPY (.+) /opt/declutter/src/", (DEPLOY / "Dockerfile").read_text(), re.MULTILINE
    )
    copied = {path for line in sources for path in line.split()}
    assert copied == {"pyproject.toml", "README.md", "proxy", CONF}
    assert all((ROOT / path).exists() for path in copied)
