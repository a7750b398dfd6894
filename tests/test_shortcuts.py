"""The speed shortcuts' list (proxy/web/shortcuts.py) stays true: it names every memo in proxy, and
an upgrade of Flask or werkzeug past the versions it was checked against is noticed."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import pytest

from proxy.web import shortcuts

PROXY = Path(shortcuts.__file__).parents[1]
# A memo as the code writes one: the decorator and the function it wraps, or a wrapped callable.
MEMO = re.compile(
    r"lru_cache\([^)]*\)(?:\s*#[^\n]*)?\s*\ndef (\w+)|(\w+) = (?:functools\.)?lru_cache\("
)


@pytest.mark.parametrize("package", sorted(shortcuts.CHECKED_AGAINST))
def test_the_list_was_checked_against_the_installed_flask_and_werkzeug(package):
    installed = ".".join(metadata.version(package).split(".")[:2])
    assert installed == shortcuts.CHECKED_AGAINST[package], (
        f"{package} {installed} is installed; proxy/web/shortcuts.py was checked against "
        f"{shortcuts.CHECKED_AGAINST[package]}: re-check each shortcut it lists, then update it"
    )


def memos() -> list[tuple[str, str]]:
    found = []
    for path in sorted(PROXY.rglob("*.py")):
        if "bench" in path.relative_to(PROXY).parts:
            continue
        for match in MEMO.finditer(path.read_text()):
            found.append((path.stem, match.group(1) or match.group(2)))
    return found


def test_every_memo_in_proxy_is_listed():
    assert len(memos()) >= 15  # the pattern still finds them
    named = [f"{module}.{name}" for module, name in memos()]
    missing = [memo for memo in named if f"``{memo}``" not in shortcuts.__doc__]
    assert missing == [], f"memos not listed in proxy/web/shortcuts.py: {missing}"


def test_the_shortcuts_on_flask_and_werkzeug_are_where_the_list_says():
    hooks = (PROXY / "web" / "hooks.py").read_text()
    headers = (PROXY / "web" / "headers.py").read_text()
    assert "lru_cache(maxsize=None)(app.ensure_sync)" in hooks
    assert "class AnswerHooks" in hooks and "def get_wsgi_headers" in headers
    assert "app.request_class = hot.Request" in (PROXY / "__init__.py").read_text()
