"""Firefox ESR for the extension tests, through tests/firefox_driver.cjs (see
extension_browsers.py): this side sends it one JSON command a line and reads one answer a line."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from extension_browsers import Extension, Tab, require, wait_until

DRIVER = Path(__file__).parent / "firefox_driver.cjs"


class FirefoxTab(Tab):
    def __init__(self, firefox: Firefox, handle: int) -> None:
        self.firefox = firefox
        self.handle = handle

    def _send(self, cmd: str, **args: Any) -> Any:
        return self.firefox.send(cmd, tab=self.handle, **args)

    def url(self) -> str:
        return self._send("href") or ""

    def goto(self, url: str) -> None:
        self._send("goto", url=url)

    def evaluate(self, source: str, arg: Any = None) -> Any:
        return self._send("evaluate", source=source, arg=arg)

    def fill(self, selector: str, value: str) -> None:
        self._send("fill", selector=selector, value=value)

    def click(self, selector: str) -> None:
        self._send("click", selector=selector)

    def front(self) -> None:
        self._send("front")

    def close(self) -> None:
        self._send("close")


class Firefox(Extension):
    """Debian's Firefox ESR with the Firefox build installed as a temporary add-on."""

    browser = "firefox"

    def __init__(self, unpacked: Path) -> None:
        self.process = subprocess.Popen(
            [require("node"), str(DRIVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=sys.stderr,
            text=True,
            env={**os.environ, "FIREFOX": require("firefox-esr")},
        )
        try:
            launched = self.send("launch", folder=str(unpacked))
        except BaseException:  # no driver left running, nor its pipes left to the collector
            self._stop()
            raise
        self.id, self.origin = launched["id"], launched["origin"]
        self.tabs: list[FirefoxTab] = []

    def send(self, cmd: str, **args: Any) -> Any:
        """One command to the driver; its answer, or a test failure carrying the driver's error."""
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps({"cmd": cmd, **args}) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline() or '{"ok": false, "error": "gone"}')
        if not answer["ok"]:
            raise RuntimeError(f"firefox {cmd}: {answer['error']}")
        return answer["value"]

    def run(self, source: str, arg: Any = None) -> Any:
        return self.send("extension", source=source, arg=arg)

    def _tab(self, handle: int) -> FirefoxTab:
        tab = FirefoxTab(self, handle)
        self.tabs.append(tab)
        return tab

    def open(self, url: str) -> Tab:
        return self._tab(self.send("open", url=url))

    def open_options(self) -> Tab:
        return self._tab(self.send("openExtensionPage", path="options.html"))

    def press_button(self, tab: Tab) -> None:
        assert isinstance(tab, FirefoxTab)
        self.send("press", tab=tab.handle)

    def pick_menu(self, tab: Tab, info: dict[str, str], on: str | None) -> None:
        """Open the real menu (a right click on ``on``, or the button's) and pick the entry."""
        shown = self._menu(tab, on, pick=info["menuItemId"])
        assert info["menuItemId"] in shown, f"the menu shows only {shown}"

    def menu_entries(self, tab: Tab, on: str | None) -> list[str] | None:
        return self._menu(tab, on)

    def _menu(self, tab: Tab, on: str | None, pick: str | None = None) -> list[str]:
        assert isinstance(tab, FirefoxTab)
        if on is None:
            return self.send("buttonMenu", tab=tab.handle, pick=pick)
        return self.send("contextMenu", tab=tab.handle, selector=on, pick=pick)

    def opened_tab(self, action: Callable[[], None]) -> Tab:
        self.send("newTabs")
        action()
        [handle] = wait_until(lambda: self.send("newTabs"), "a new tab")
        return self._tab(handle)

    def add_cookie(self, name: str, value: str, url: str) -> None:
        self.send("cookie", name=name, value=value, url=url)

    def reset(self) -> None:
        self.run("({ api }) => api.storage.sync.clear()")
        self.send("clearCookies")
        for handle in self.send("newTabs"):
            self._tab(handle)
        for tab in self.tabs:
            with contextlib.suppress(RuntimeError):  # closed by the test
                tab.close()
        self.tabs.clear()

    def quit(self) -> None:
        try:
            self.send("quit")
        finally:
            self._stop()

    def _stop(self) -> None:
        """End the driver (it closes the browser when its input ends) and close its pipes."""
        assert self.process.stdin and self.process.stdout
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()
