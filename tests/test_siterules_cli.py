"""``declutter rules test`` and ``declutter rules update`` against a loopback server."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import declutter
from pytest_httpserver import HTTPServer

from proxy import siterules

RULE = "body: //div[@id='story']\nstrip: //aside\nhttp_header(user-agent): RuleBot\n"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The CLI's environment: a data directory in tmp_path, loopback allowed upstream."""
    monkeypatch.setenv("DECLUTTER_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DECLUTTER_ALLOW_NETWORKS", "127.0.0.1/32")
    monkeypatch.delenv("DECLUTTER_SITE_RULES", raising=False)
    monkeypatch.delenv("DECLUTTER_SITE_RULES_LOCAL", raising=False)
    yield tmp_path / "site-rules"
    siterules.configure(None, None)


def _tar_gz(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as packed:
        for name, text in files.items():
            info = tarfile.TarInfo(f"ftr-site-config-master/{name}")
            info.size = len(text.encode())
            packed.addfile(info, io.BytesIO(text.encode()))
    return out.getvalue()


def _zip(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as packed:
        for name, text in files.items():
            packed.writestr(f"ftr-site-config-master/{name}", text)
    return out.getvalue()


@pytest.mark.parametrize("pack", [_tar_gz, _zip], ids=["tar.gz", "zip"])
def test_update_then_test(env: Path, upstream: HTTPServer, capsys, pack) -> None:
    archive = pack(
        {"example.com.txt": RULE, "global.txt": "strip_id_or_class: promo\n", "README.md": "x"}
    )
    upstream.expect_request("/rules").respond_with_data(archive, content_type="application/gzip")
    code, _, err = declutter(capsys, "rules", "update", "--from", upstream.url_for("/rules"))
    assert code == 0 and "2 rule files" in err
    assert sorted(p.name for p in env.iterdir()) == ["example.com.txt", "global.txt"]
    code, out, _ = declutter(capsys, "rules", "test", "www.example.com")
    assert code == 0 and "example.com.txt" in out and "body: //div[@id='story']" in out
    assert "http_header(User-Agent): RuleBot" in out
    code, out, _ = declutter(capsys, "rules", "test", "other.org")
    assert "global.txt" in out and "strip_id_or_class: promo" in out


@pytest.mark.parametrize(
    "body",
    [
        b"not an archive at all",
        _tar_gz({"README.md": "no rules"})[:-40],
        _zip({"README.md": "no rules"}),
    ],
    ids=["garbage", "truncated", "empty"],
)
def test_broken_archive_keeps_old_rules(
    env: Path, upstream: HTTPServer, capsys, body: bytes
) -> None:
    env.mkdir()
    (env / "example.com.txt").write_text(RULE)
    upstream.expect_request("/rules").respond_with_data(body, content_type="application/zip")
    code, _, err = declutter(capsys, "rules", "update", "--from", upstream.url_for("/rules"))
    assert code == 1 and "the rules in place are unchanged" in err
    assert [p.name for p in env.iterdir()] == ["example.com.txt"]
    assert (env / "example.com.txt").read_text() == RULE
    assert [p.name for p in env.parent.iterdir() if p.name.startswith(".site-rules")] == []


def test_update_refuses_a_private_address(env: Path, capsys, canary: HTTPServer) -> None:
    """The download goes through the address guard: 127.0.0.2 is not allowed, and hears nothing."""
    code, _, err = declutter(capsys, "rules", "update", "--from", canary.url_for("/rules.zip"))
    assert code == 1 and "403" in err and canary.log == []


def test_no_rules(env: Path, capsys) -> None:
    code, out, _ = declutter(capsys, "rules", "test", "example.com")
    assert code == 0 and "no rule file applies" in out


STORY = (
    "<html><head><title>Night trains</title></head><body><div id='story'><p>The night train "
    "left the city at nine and crossed three borders before the sun rose over the valley, while "
    "most of its passengers slept in narrow bunks.</p></div><aside>Sidebar words</aside></body>"
    "</html>"
)


def _rule_tests(env: Path, monkeypatch: pytest.MonkeyPatch, tests: str) -> None:
    env.mkdir()
    (env / "127.0.0.1.txt").write_text(RULE + tests)
    monkeypatch.setenv("DECLUTTER_SITE_RULES", str(env))


def test_rules_test_shows_the_files_tests_without_reading_them(
    env: Path, upstream: HTTPServer, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    _rule_tests(env, monkeypatch, f"test_url: {upstream.url_for('/a')}\ntest_contains: train\n")
    code, out, _ = declutter(capsys, "rules", "test", "127.0.0.1")
    assert code == 0 and f"test_url: {upstream.url_for('/a')}\n  test_contains: train" in out
    assert upstream.log == []


def test_rules_test_run_checks_test_contains_on_loopback(
    env: Path, upstream: HTTPServer, canary: HTTPServer, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """Each test page is read through the fetcher with the rules in force: a string in the
    article passes, one stripped by the rule or absent fails, a refused address fails unread."""
    for path in ("/good", "/stripped"):
        upstream.expect_request(path).respond_with_data(STORY, content_type="text/html")
    good, stripped, refused = (
        upstream.url_for("/good"),
        upstream.url_for("/stripped"),
        canary.url_for("/x"),
    )
    _rule_tests(
        env,
        monkeypatch,
        f"test_url: {good}\ntest_contains: The night   train left the city\n"
        f"test_url: {stripped}\ntest_contains: crossed three borders\n"
        f"test_contains: Sidebar words\ntest_url: {refused}\ntest_contains: anything\n",
    )
    code, out, _ = declutter(capsys, "rules", "test", "127.0.0.1", "--run")
    assert code == 1
    assert f"ok   {good}\n" in out
    assert f"FAIL {stripped}\n  missing: Sidebar words\n" in out  # the rule strips //aside
    assert f"FAIL {refused}: not read" in out and canary.log == []


def test_rules_test_run_passes(
    env: Path, upstream: HTTPServer, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    upstream.expect_request("/good").respond_with_data(STORY, content_type="text/html")
    url = upstream.url_for("/good")
    _rule_tests(env, monkeypatch, f"test_url: {url}\ntest_contains: passengers slept\n")
    code, out, _ = declutter(capsys, "rules", "test", "127.0.0.1", "--run")
    assert code == 0 and f"ok   {url}" in out
