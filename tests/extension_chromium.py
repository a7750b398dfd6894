"""Chromium for the extension tests, through Playwright (see extension_browsers.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from extension_browsers import ACTIVE_TAB, WAIT_S, Extension, Tab, require
from playwright.sync_api import BrowserContext, Page, Playwright

# Chromium flags: load only our extension, allow triggerAction, and make no connection of its own.
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--enable-unsafe-extension-debugging",
    "--no-first-run",
)


class ChromiumTab(Tab):
    def __init__(self, page: Page) -> None:
        self.page = page

    def url(self) -> str:
        """The address, from the page itself: Playwright's own copy is only updated while the test
        calls into Playwright, which a polling loop's sleep does not."""
        try:
            return self.page.evaluate("() => location.href")
        except Exception:
            return self.page.url

    def goto(self, url: str) -> None:
        self.page.goto(url)

    def evaluate(self, source: str, arg: Any = None) -> Any:
        return self.page.evaluate(source, arg)

    def fill(self, selector: str, value: str) -> None:
        self.page.fill(selector, value)

    def click(self, selector: str) -> None:
        self.page.click(selector)

    def front(self) -> None:
        self.page.bring_to_front()

    def close(self) -> None:
        self.page.close()


class Chromium(Extension):
    """Debian's Chromium with a persistent profile and the Chrome build loaded."""

    browser = "chromium"

    def __init__(self, playwright: Playwright, unpacked: Path, profile: Path) -> None:
        self.context: BrowserContext = playwright.chromium.launch_persistent_context(
            profile,
            headless=True,
            executable_path=require("chromium"),
            args=[
                f"--disable-extensions-except={unpacked}",
                f"--load-extension={unpacked}",
                *CHROMIUM_FLAGS,
            ],
        )
        self.context.set_default_timeout(WAIT_S * 1000)
        workers = self.context.service_workers
        self.worker = workers[0] if workers else self.context.wait_for_event("serviceworker")
        self.cdp = self.context.browser.new_browser_cdp_session()
        self.id = self.worker.url.split("/")[2]
        self.origin = f"chrome-extension://{self.id}"

    def pick_menu(self, tab: Tab, info: dict[str, str], on: str | None) -> None:
        """Call the menu handler from the service worker, as the browser does on a pick."""
        tab.front()
        self.run(
            f"async ({{ api, declutter }}, info) => {{ "
            f"await declutter.handleMenuClick(info, {ACTIVE_TAB}); }}",
            info,
        )

    def run(self, source: str, arg: Any = None) -> Any:
        wrapped = f"(arg) => ({source})({{ api: chrome, declutter: globalThis.declutter }}, arg)"
        return self.worker.evaluate(wrapped, arg)

    def open(self, url: str) -> Tab:
        page = self.context.new_page()
        page.goto(url)
        return ChromiumTab(page)

    def open_options(self) -> Tab:
        return self.open(f"{self.origin}/options.html")

    def press_button(self, tab: Tab) -> None:
        """Press the toolbar button on the tab, as a click does."""
        assert isinstance(tab, ChromiumTab)
        tab.front()
        targets = self.cdp.send("Target.getTargets", {"filter": [{"type": "tab"}]})["targetInfos"]
        [target] = [target for target in targets if target["url"] == tab.page.url]
        self.cdp.send("Extensions.triggerAction", {"id": self.id, "targetId": target["targetId"]})

    def opened_tab(self, action: Callable[[], None]) -> Tab:
        with self.context.expect_page() as opened:
            action()
        return ChromiumTab(opened.value)

    def add_cookie(self, name: str, value: str, url: str) -> None:
        self.context.add_cookies([{"name": name, "value": value, "url": url}])

    def reset(self) -> None:
        """Back to a fresh install: no settings, no cookies, one blank tab."""
        self.run("({ api }) => api.storage.sync.clear()")
        self.context.clear_cookies()
        for page in self.context.pages[1:]:
            page.close()

    def quit(self) -> None:
        self.context.close()
