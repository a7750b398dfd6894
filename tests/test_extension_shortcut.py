"""The keyboard shortcut: both browsers register the default the manifest suggests.

Chromium on Linux keeps Alt+Shift+R for itself and leaves an extension that asks for it with no
shortcut at all, so the test reads the shortcut each browser actually assigned."""

from __future__ import annotations

import json

from extension_browsers import Extension
from extension_harness import EXTENSION

COMMAND = "_execute_action"


def test_the_default_shortcut_is_registered(extension: Extension) -> None:
    suggested = json.loads((EXTENSION / "manifest.json").read_text())["commands"][COMMAND]
    commands = extension.run("({ api }) => api.commands.getAll()")
    assigned = {command["name"]: command["shortcut"] for command in commands}
    assert assigned[COMMAND] == suggested["suggested_key"]["default"]
