"""`make run` installs only what serving needs; the tests, benchmarks and checks bring their own.

The Makefile's recipes are read with ``make -n`` (nothing runs); serving is then shown to need none
of the extras by building the app, answering /healthz and cleaning a page with their modules made
unimportable.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The import names of the extras' packages (pyproject.toml's test, bench and check extras).
EXTRA_MODULES = (
    "pytest",
    "pytest_httpserver",
    "hypothesis",
    "playwright",
    "check_jsonschema",
    "markdown_it",
    "atheris",
    "trafilatura",
    "ruff",
    "mypy",
    "importlinter",
)
# Run in a fresh interpreter: the extras cannot be imported, then the app serves.
SERVE_WITHOUT_EXTRAS = """
import json, sys

class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} belongs to an extra")

BLOCKED = set(json.loads(sys.argv[1]))
sys.meta_path.insert(0, Refuse())
from proxy import cli, create_app
from proxy.ops import gunicorn_hooks, gunicorn_worker, logs

client = create_app(json.loads(sys.argv[2])).test_client()
health = client.get("/healthz")
page = {"url": "https://example.com/story", "html": sys.argv[3]}
cleaned = client.post("/api/v1/article", json=page)
print(json.dumps([health.status_code, cleaned.status_code, cleaned.get_json().get("title")]))
"""
# A saved article (tests/pages), cleaned as a POSTed page: no network.
STORY = ROOT / "tests" / "pages" / "serving-story" / "source.html"
TITLE = "Night trains return to the Alps"


def make_dry_run(target: str, tmp_path: Path) -> str:
    """The commands ``make TARGET`` would run for a fresh venv, not run."""
    done = subprocess.run(
        ["make", "-n", target, f"VENV={tmp_path / 'venv'}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def installs(recipe: str) -> list[str]:
    return [line for line in recipe.splitlines() if "pip install" in line and "-e" in line]


def test_make_run_installs_the_package_without_extras(tmp_path):
    lines = installs(make_dry_run("run", tmp_path))
    assert lines and all(line.rstrip().endswith("-e .") for line in lines), lines


def test_make_test_and_make_bench_add_their_extras(tmp_path):
    assert any("'.[test,bench,check]'" in line for line in installs(make_dry_run("test", tmp_path)))
    assert any("'.[bench]'" in line for line in installs(make_dry_run("bench", tmp_path)))


def test_the_runtime_dependencies_name_no_test_bench_or_check_tool():
    runtime = [r for r in metadata.requires("declutter") or [] if "extra ==" not in r]
    names = {
        r.split(";")[0].split("[")[0].split("<")[0].split(">")[0].split("=")[0] for r in runtime
    }
    extras = {"pytest", "hypothesis", "playwright", "atheris", "trafilatura", "ruff", "mypy"}
    assert names and not names & extras


def test_the_app_serves_with_every_extra_unimportable(settings_env):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            SERVE_WITHOUT_EXTRAS,
            json.dumps(EXTRA_MODULES),
            json.dumps(settings_env),
            STORY.read_text(),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.splitlines()[-1]) == [200, 200, TITLE]
