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
