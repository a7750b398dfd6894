"""The real extension in a real browser, the same way in Chromium and Firefox ESR.

The two browsers are driven differently, behind one interface (``Extension`` and ``Tab``):

- Chromium: Playwright, a persistent profile and ``--load-extension``. The toolbar button is pressed
  through the DevTools protocol's ``Extensions.triggerAction``, which grants activeTab as a click
  does (allowed by ``--enable-unsafe-extension-debugging`` over Playwright's pipe). Extension code
  runs in the service worker.
  Chromium gives automation no way to pick a context menu entry: the tests call the menu handler
  (``declutter.handleMenuClick``) from the service worker, with the ``info`` a pick would pass.
- Firefox ESR: puppeteer-core over WebDriver BiDi, through tests/firefox_driver.cjs (one JSON
  command a line). The button is pressed in the browser window's chrome scope with the
  ``triggerAction(window)`` that a click and the shortcut call, which grants activeTab too.
  Context menus are real: a right click on the page (or the toolbar button's menu opened on the
  button) opens the menu, whose entries the tests read, and our entry is activated in it as a pick
  does. Extension code runs in an extension page,
  beside the background page.

The extension gets no host permission (its prompt cannot be answered headless), so what it asks of
Declutter relies on the server's CORS answer, as for a user who declined it.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from typing import Any

import pytest

# How long a page or the extension may take to react (s), and how often to look meanwhile (s).
WAIT_S = 15
POLL_S = 0.1
# The browsers' refusals to inject a script into a tab the extension has no access to.
NO_ACCESS = ("Cannot access contents of the page", "Missing host permission")

# Extension code for Extension.run: `async ({ api, declutter }, arg) => ...`, api being the
# browser's extension namespace and declutter what background.js exposes to the tests.
ACTIVE_TAB = "(await api.tabs.query({ active: true, lastFocusedWindow: true }))[0]"


def require(program: str) -> str:
    """The path of a program these tests need; its absence is a failure, not a skip."""
    path = shutil.which(program)
    if path is None:
        pytest.fail(f"{program} is needed for the extension tests (make test installs it)")
    return path


def wait_until(done: Callable[[], Any], what: str) -> Any:
    """Poll ``done()`` until it returns something true; fail after WAIT_S saying ``what``."""
    deadline = time.monotonic() + WAIT_S
    while not (result := done()):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(POLL_S)
    return result


class Tab:
    """A browser tab, as the tests see it."""

    def url(self) -> str:
        raise NotImplementedError

    def goto(self, url: str) -> None:
        raise NotImplementedError

    def evaluate(self, source: str, arg: Any = None) -> Any:
        raise NotImplementedError

    def fill(self, selector: str, value: str) -> None:
        raise NotImplementedError

    def click(self, selector: str) -> None:
        raise NotImplementedError

    def front(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def text(self, selector: str = "body") -> str:
        """The text of ``selector``, or '' while the tab is between pages."""
        try:
            return self.evaluate("s => document.querySelector(s)?.innerText ?? ''", selector)
        except Exception:
            return ""

    def loaded(self) -> bool:
        try:
            return self.evaluate("() => document.readyState") == "complete"
        except Exception:
            return False

    def wait_for(self, prefix: str) -> str:
        """Wait until the tab shows a loaded page whose address starts with ``prefix``; its text."""
        wait_until(lambda: self.url().startswith(prefix) and self.loaded(), f"{prefix} to load")
        return self.text()


class Extension:
    """The loaded extension in one browser: its settings, and what a user does with it."""

    browser: str
    origin: str  # chrome-extension://<id> or moz-extension://<uuid>

    def run(self, source: str, arg: Any = None) -> Any:
        """Run extension code (see ACTIVE_TAB's comment) with the extension's rights."""
        raise NotImplementedError

    def open(self, url: str) -> Tab:
        raise NotImplementedError

    def open_options(self) -> Tab:
        raise NotImplementedError

    def press_button(self, tab: Tab) -> None:
        raise NotImplementedError

    def opened_tab(self, action: Callable[[], None]) -> Tab:
        raise NotImplementedError

    def add_cookie(self, name: str, value: str, url: str) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        raise NotImplementedError

    def configure(self, **settings: object) -> None:
        self.run("({ api }, settings) => api.storage.sync.set(settings)", settings)

    def visit(self, url: str, **settings: object) -> Tab:
        """Store ``settings`` (the server, ...), then open ``url`` in a new tab."""
        self.configure(**settings)
        return self.open(url)

    def stored(self) -> dict[str, Any]:
        return self.run("({ api }) => api.storage.sync.get(null)")

    def pick_menu(self, tab: Tab, info: dict[str, str], on: str | None) -> None:
        """Pick the entry ``info["menuItemId"]`` of the menu on the element ``on`` in the tab, or
        of the toolbar button's own menu (``on=None``); ``info`` is what the browser passes the
        handler (see the browsers' notes above)."""
        raise NotImplementedError

    def menu_entries(self, tab: Tab, on: str | None) -> list[str] | None:
        """Our entries in that menu; None where the browser cannot tell."""
        return None

    def button_title(self, tab: Tab) -> str:
        """The toolbar button's title on the tab."""
        tab.front()
        return self.run(f"async ({{ api }}) => api.action.getTitle({{ tabId: {ACTIVE_TAB}.id }})")

    def set_title(self, tab: Tab, title: str) -> None:
        tab.front()
        self.run(
            f"async ({{ api }}, title) => api.action.setTitle({{ tabId: {ACTIVE_TAB}.id, title }})",
            title,
        )

    def says(self, tab: Tab, words: str) -> Callable[[], bool]:
        """A check that the button's title on the tab says ``words``."""
        return lambda: words in self.button_title(tab)

    def press_until(self, tab: Tab, done: Callable[[], bool]) -> None:
        """Press the button and wait until ``done()``.

        Under heavy load a press through Chromium's triggerAction has (twice in about 25 runs)
        lost activeTab before the handler injected its script. One more press tells that apart
        from a real lack of permission, which fails both.
        """
        for _ in range(2):
            self.set_title(tab, "")
            self.press_button(tab)
            if self._finished(tab, done):
                return
        pytest.fail(f"the button says: {self.button_title(tab)}")

    def _finished(self, tab: Tab, done: Callable[[], bool]) -> bool:
        """True once ``done()``; False when the script could not be injected; fails on timeout."""
        deadline = time.monotonic() + WAIT_S
        while not done():
            if any(refusal in self.button_title(tab) for refusal in NO_ACCESS):
                return False
            if time.monotonic() > deadline:
                pytest.fail(f"the button did not finish; it says: {self.button_title(tab)}")
            time.sleep(POLL_S)
        return True

    def save_options(self, server: str, token: str = "") -> str:
        """Fill in the options page, save, and return what the page then says."""
        page = self.open_options()
        wait_until(
            lambda: page.evaluate("() => document.getElementById('server').value"),
            "the options page to show the settings",
        )
        page.fill("#server", server)
        page.fill("#token", token)
        page.click("button[type=submit]")
        message = wait_until(lambda: page.text("#status.good, #status.bad"), "the verdict")
        page.close()
        return message
