/**
 * Drives Firefox ESR for the extension tests: one JSON command a line on stdin, one JSON answer a
 * line on stdout ({"ok": true, "value": ...} or {"ok": false, "error": "..."}).
 *
 * puppeteer-core (pinned in extension/package.json, installed by `npm ci`) speaks WebDriver BiDi to
 * Firefox, so no geckodriver is needed. BiDi may not navigate to moz-extension:// pages, so the
 * browser is started with --remote-allow-system-access and the extension's own pages are opened
 * from the browser window's chrome scope, which is also where the toolbar button is pressed: the
 * same `triggerAction(window)` a click and the shortcut call, which grants activeTab as they do.
 * Context menus are real: a right click (BiDi input) opens the page's menu, and the chrome scope
 * activates our entry in it as a pick does. Extension code runs in an extension page, where the
 * background page is one `getBackgroundPage()` away.
 */

"use strict";

const path = require("node:path");
const readline = require("node:readline");
const { createRequire } = require("node:module");

const EXTENSION = path.resolve(__dirname, "..", "extension");
const puppeteer = createRequire(path.join(EXTENSION, "package.json"))("puppeteer-core");

// The moz-extension:// host Firefox gives the extension here (random unless a pref fixes it).
const UUID = "5d1e7c3a-0b2f-4c6e-9a8d-7f3e2b1c0a9d";
// Firefox ESR, as the tests found it on the PATH (Debian's package installs it here).
const EXECUTABLE = process.env.FIREFOX || "/usr/bin/firefox-esr";

// How long a context menu may take to open (ms), and the browser window's two menus we use: the
// page's context menu, and the toolbar's (our button's own menu, when opened on the button).
const MENU_MS = 5000;
const PAGE_MENU = "contentAreaContextMenu";
const BUTTON_MENU = "toolbar-context-menu";

let browser;
let extensionId;
let extensionPage; // a tab showing the extension's options page: where extension code runs
const tabs = []; // puppeteer pages, by the handle Python holds (their index)

/** Start Firefox with the unpacked extension in `folder`; answers its id and its origin. */
async function launch({ folder, uuid = UUID }) {
  browser = await puppeteer.launch({
    browser: "firefox", executablePath: EXECUTABLE, headless: true,
    args: ["--remote-allow-system-access"],
    extraPrefsFirefox: {
      "extensions.webextensions.uuids": JSON.stringify({ [await geckoId(folder)]: uuid }),
    },
  });
  extensionId = await browser.installExtension(folder);
  extensionPage = await openPrivileged(`moz-extension://${uuid}/options.html`);
  return { id: extensionId, origin: `moz-extension://${uuid}` };
}

async function geckoId(folder) {
  const manifest = require(path.join(folder, "manifest.json"));
  return manifest.browser_specific_settings.gecko.id;
}

/** Evaluate `source` (an expression) in the browser window's chrome scope. */
async function chrome(source) {
  const { result: tree } = await browser.connection.send("browsingContext.getTree", {
    "moz:scope": "chrome",
  });
  const { result } = await browser.connection.send("script.evaluate", {
    expression: source, target: { context: tree.contexts[0].context }, awaitPromise: true,
    "moz:scope": "chrome",
  });
  if (result.type === "exception") throw new Error(result.exceptionDetails.text);
  return result.result?.value;
}

/** Open a page BiDi may not navigate to (an extension page) in a new tab; returns its page. */
async function openPrivileged(url) {
  const before = new Set(await browser.pages());
  await chrome(`gBrowser.selectedTab = gBrowser.addTab(${JSON.stringify(url)},
    { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() }); true`);
  for (let tries = 0; tries < 100; tries++) {
    const page = (await browser.pages()).find((p) => !before.has(p));
    if (page && (await hrefOf(page)) === url) return page;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} did not open`);
}

async function hrefOf(page) {
  try {
    return await page.evaluate(() => location.href);
  } catch {
    return null; // between two documents
  }
}

/** How Firefox names the extension's widgets: its id with other characters than [\w-] as "_". */
function widgetId() {
  return extensionId.replace(/[^a-z0-9_-]/gi, "_");
}

/** Chrome-scope code that closes the menu `id` and readies `declutterMenu` for its next opening. */
function awaitMenu(id) {
  return `(() => {
    const menu = document.getElementById(${JSON.stringify(id)});
    menu.hidePopup();
    window.declutterShown = (popup) => Promise.race([
      new Promise((resolve) => popup.addEventListener("popupshown", resolve, { once: true })),
      new Promise((resolve, reject) => setTimeout(() => reject(new Error("no menu")), ${MENU_MS})),
    ]);
    window.declutterMenu = window.declutterShown(menu);
    return true;
  })()`;
}

/**
 * Once the menu `id` has opened: the ids of our entries it shows, after picking `pick` among them
 * as a user does (opening the extension's submenu first when Firefox grouped them in one).
 */
async function inMenu(id, pick) {
  const prefix = `${widgetId()}-menuitem-_`;
  return JSON.parse(await chrome(`(async () => {
    await window.declutterMenu;
    const menu = document.getElementById(${JSON.stringify(id)});
    const ours = [...menu.querySelectorAll("menuitem")].filter((item) =>
      !item.hidden && item.id.startsWith(${JSON.stringify(prefix)}));
    const entry = ours.find((item) => item.id === ${JSON.stringify(prefix)} + ${JSON.stringify(pick)});
    const submenu = entry?.parentElement.closest("menu");
    if (submenu) {
      const opened = window.declutterShown(submenu.menupopup);
      submenu.openMenu(true);
      await opened;
    }
    if (entry) entry.closest("menupopup").activateItem(entry);
    else menu.hidePopup();
    return JSON.stringify(ours.map((item) => item.id.slice(${prefix.length})));
  })()`));
}

function handle(page) {
  if (!tabs.includes(page)) tabs.push(page);
  return tabs.indexOf(page);
}

/** A function made from its source, for puppeteer to send to the page (never run here). */
function fn(source) {
  return (0, eval)(`(${source})`);
}

const commands = {
  launch,
  async open({ url }) {
    const page = await browser.newPage();
    await page.goto(url);
    return handle(page);
  },
  async openExtensionPage({ path: page }) {
    const url = (await hrefOf(extensionPage)).replace(/[^/]*$/, page);
    return handle(await openPrivileged(url));
  },
  async goto({ tab, url }) {
    await tabs[tab].goto(url);
  },
  async href({ tab }) {
    return hrefOf(tabs[tab]);
  },
  async evaluate({ tab, source, arg = null }) {
    return tabs[tab].evaluate(fn(source), arg);
  },
  async fill({ tab, selector, value }) {
    await tabs[tab].locator(selector).fill(value);
  },
  async click({ tab, selector }) {
    await tabs[tab].click(selector);
  },
  async front({ tab }) {
    await tabs[tab].bringToFront();
  },
  async close({ tab }) {
    await tabs[tab].close();
  },
  /** Handles of tabs opened since the last call that Python does not know yet. */
  async newTabs() {
    const pages = await browser.pages();
    return pages.filter((p) => !tabs.includes(p) && p !== extensionPage).map(handle);
  },
  /** Run `source`, `async ({ api, declutter }, arg) => ...`, with the extension's rights. */
  async extension({ source, arg = null }) {
    const wrapped = `async (arg) => {
      const declutter = (await browser.runtime.getBackgroundPage()).declutter;
      return (${source})({ api: browser, declutter }, arg);
    }`;
    return extensionPage.evaluate(fn(wrapped), arg);
  },
  async press({ tab }) {
    await tabs[tab].bringToFront();
    await chrome(`(() => {
      const { ExtensionParent } = ChromeUtils.importESModule(
        "resource://gre/modules/ExtensionParent.sys.mjs");
      const extension = WebExtensionPolicy.getByID(${JSON.stringify(extensionId)}).extension;
      ExtensionParent.apiManager.global.browserActionFor(extension).triggerAction(window);
      return true;
    })()`);
  },
  /** Right-click `selector` in the tab: see `inMenu` for the answer and `pick`. */
  async contextMenu({ tab, selector, pick = null }) {
    await tabs[tab].bringToFront();
    await chrome(awaitMenu(PAGE_MENU));
    await tabs[tab].click(selector, { button: "right" });
    return inMenu(PAGE_MENU, pick);
  },
  /** Open the toolbar button's own menu (the button pinned to the toolbar first): see `inMenu`. */
  async buttonMenu({ tab, pick = null }) {
    await tabs[tab].bringToFront();
    await chrome(awaitMenu(BUTTON_MENU));
    await chrome(`(() => {
      const id = ${JSON.stringify(`${widgetId()}-browser-action`)};
      CustomizableUI.addWidgetToArea(id, CustomizableUI.AREA_NAVBAR);
      const button = document.getElementById(id);
      const click = new MouseEvent("contextmenu", { bubbles: true, button: 2 });
      button.dispatchEvent(click); // the menu takes its triggerNode from the event's target
      document.getElementById(${JSON.stringify(BUTTON_MENU)}).openPopup(
        button, "after_start", 0, 0, true, false, click);
      return true;
    })()`);
    return inMenu(BUTTON_MENU, pick);
  },
  async cookie({ name, value, url }) {
    await browser.setCookie({ name, value, domain: new URL(url).hostname, path: "/" });
  },
  async clearCookies() {
    await browser.deleteCookie(...(await browser.cookies()));
  },
  async quit() {
    await browser?.close();
    browser = null;
  },
};

async function answer(line) {
  const { cmd, ...args } = JSON.parse(line);
  try {
    return { ok: true, value: (await commands[cmd](args)) ?? null };
  } catch (error) {
    return { ok: false, error: String(error?.stack ?? error) };
  }
}

/** One command at a time, in order: Python waits for each answer before sending the next. */
async function main() {
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (line.trim()) process.stdout.write(`${JSON.stringify(await answer(line))}\n`);
  }
  await commands.quit();
}

main();
