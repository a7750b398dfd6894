/**
 * The service worker (Chrome) or event page (Firefox): the toolbar button, its shortcut and the two
 * context menu entries all end here, and open a Declutter reader page for the page or link.
 */

import { capturePage, hasArticle } from "./page-check.js";
import { isWebPage, readerUrl } from "./reader-url.js";
import { ServerError, sendPage } from "./server.js";
import { loadSettings } from "./settings.js";

const api = globalThis.browser ?? globalThis.chrome;

// The button's title when all is well; set back explicitly, as browsers differ on clearing a tab's title.
const DEFAULT_TITLE = api.runtime.getManifest().action.default_title;

// Context menu entries: on a page, and on a link.
const MENU_PAGE = "declutter-read-page";
const MENU_LINK = "declutter-open-link";
// What the toolbar button shows on a tab where something went wrong; its title then says what.
const WARNING_BADGE = "!";
const WARNING_COLOUR = "#b3261e";
// The messages for the two things the extension itself refuses.
const NOT_A_WEB_PAGE = "Declutter reads web pages only (http:// or https://), not this one.";
const NO_ARTICLE_HERE =
  "This page, as you see it, holds no article: perhaps only a cookie banner or a sign-in wall. " +
  "Accept or close it, or sign in, then try again.";

/** Open the reader page for `pageUrl`, the page shown in `tab`, or send its DOM when so configured. */
async function readPage(tab, pageUrl) {
  await clearWarning(tab.id);
  if (!isWebPage(pageUrl)) return warn(tab.id, NOT_A_WEB_PAGE);
  const settings = await loadSettings();
  const reader = readerUrl(settings.server, pageUrl);
  // A page already on Declutter (readerUrl gave it back) is shown again, never sent to itself.
  if (!settings.sendPage || reader === pageUrl) return openReader(reader, tab, settings);
  const [{ result: page }] = await api.scripting.executeScript({
    target: { tabId: tab.id }, func: capturePage,
  });
  if (!hasArticle(page?.paragraphWords ?? [])) return warn(tab.id, NO_ARTICLE_HERE);
  return openReader(await sendPage(settings, page), tab, settings);
}

/** Open the reader page for a link, beside or instead of the page that holds it. */
async function openLink(tab, linkUrl) {
  await clearWarning(tab.id);
  if (!isWebPage(linkUrl)) return warn(tab.id, NOT_A_WEB_PAGE);
  const settings = await loadSettings();
  return openReader(readerUrl(settings.server, linkUrl), tab, settings);
}

async function openReader(url, tab, settings) {
  if (!settings.newTab) return api.tabs.update(tab.id, { url });
  return api.tabs.create({ url, index: tab.index + 1, openerTabId: tab.id });
}

async function warn(tabId, message) {
  await api.action.setBadgeBackgroundColor({ tabId, color: WARNING_COLOUR });
  await api.action.setBadgeText({ tabId, text: WARNING_BADGE });
  await api.action.setTitle({ tabId, title: `Declutter: ${message}` });
}

async function clearWarning(tabId) {
  await api.action.setBadgeText({ tabId, text: "" });
  await api.action.setTitle({ tabId, title: DEFAULT_TITLE });
}

/** Run a handler; a failure the user should know about becomes the button's warning. */
async function reportingErrors(tab, handler) {
  try {
    await handler();
  } catch (error) {
    if (!(error instanceof ServerError || error instanceof TypeError)) console.error(error);
    await warn(tab.id, error.message);
  }
}

/** Context menu click (runs when the user picks one of our entries). */
async function handleMenuClick(info, tab) {
  if (info.menuItemId === MENU_LINK) return reportingErrors(tab, () => openLink(tab, info.linkUrl));
  if (info.menuItemId === MENU_PAGE) return reportingErrors(tab, () => readPage(tab, info.pageUrl));
}

/** Toolbar button or its shortcut, Alt+Shift+R (the "_execute_action" command). */
async function handleActionClick(tab) {
  return reportingErrors(tab, () => readPage(tab, tab.url));
}

/** Install or update: menus persist across restarts, so they are created here only. */
function createMenus() {
  api.contextMenus.create({ id: MENU_PAGE, title: "Read this page with Declutter", contexts: ["page"] });
  api.contextMenus.create({ id: MENU_LINK, title: "Open link with Declutter", contexts: ["link"] });
}

api.runtime.onInstalled.addListener(createMenus);
api.action.onClicked.addListener(handleActionClick);
api.contextMenus.onClicked.addListener(handleMenuClick);

// Menus cannot be clicked by automation: the browser tests (or a developer in the worker's console)
// call the same handler through this name.
globalThis.declutter = { handleMenuClick };
