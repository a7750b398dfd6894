"""The extension as it ships: its unit tests under Node, web-ext lint, and the two store builds.

web-ext comes from extension/node_modules, installed by `npm ci` from the lockfile before the
tests (make test); nothing is fetched during the run.
"""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from extension_browsers import require
from extension_harness import EXTENSION

WEB_EXT = EXTENSION / "node_modules" / ".bin" / "web-ext"
# What the linter must not look at: the tooling beside the extension's own files.
LINT_IGNORED = ("package.json", "package-lock.json", "*.test.js", "build.py")


def run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, capture_output=True, text=True, timeout=300, check=False, **kwargs
    )


def lint(folder: Path) -> dict[str, Any]:
    """web-ext lint's JSON report on a folder."""
    if not WEB_EXT.exists():
        pytest.fail("web-ext is missing: run `npm ci --prefix extension` (make test does)")
    done = run(
        [
            str(WEB_EXT),
            "lint",
            "--source-dir",
            str(folder),
            "--output",
            "json",
            "--ignore-files",
            *LINT_IGNORED,
        ],
        env={**os.environ, "NO_UPDATE_NOTIFIER": "1"},
    )
    return json.loads(done.stdout)


def manifest() -> dict[str, Any]:
    return json.loads((EXTENSION / "manifest.json").read_text())


def test_unit_tests_pass_under_node() -> None:
    done = run([require("node"), "--test", "extension/"], cwd=EXTENSION.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# fail 0" in done.stdout and "# pass 0" not in done.stdout


def test_web_ext_lint_finds_nothing_in_the_source_or_the_firefox_build(builds: Path) -> None:
    for folder in (EXTENSION, builds / "firefox"):
        report = lint(folder)
        assert report["summary"] == {"errors": 0, "notices": 0, "warnings": 0}, report


def test_the_readme_says_what_data_goes_where_as_the_manifest_declares() -> None:
    declared = manifest()["browser_specific_settings"]["gecko"]["data_collection_permissions"]
    readme = (EXTENSION / "README.md").read_text()
    section = readme.split("## What data goes where")[1].split("\n## ")[0]
    for kind in ("required", "optional"):
        for data_type in declared.get(kind, []):
            assert f"`{data_type}`" in section
    assert "the server you configured" in section


@pytest.mark.parametrize(
    "browser, kept, dropped",
    [
        ("chrome", "service_worker", "scripts"),
        ("firefox", "scripts", "service_worker"),
    ],
)
def test_each_build_has_its_browsers_manifest(
    builds: Path,
    browser: str,
    kept: str,
    dropped: str,
) -> None:
    with zipfile.ZipFile(builds / f"declutter-{browser}-{manifest()['version']}.zip") as zipped:
        names = set(zipped.namelist())
        built = json.loads(zipped.read("manifest.json"))
    assert kept in built["background"] and dropped not in built["background"]
    assert ("browser_specific_settings" in built) is (browser == "firefox")
    assert {"background.js", "reader-url.js", "options.html", "icons/icon-128.png"} <= names
    tooling = {name for name in names if name.endswith((".test.js", ".py", ".json"))}
    assert tooling == {"manifest.json"}
    icons = {f"icons/icon-{size}.png" for size in (16, 32, 48, 128)}
    assert set(built["icons"].values()) == icons
