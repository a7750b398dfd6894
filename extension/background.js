/**
 * The service worker (Chrome) or event page (Firefox): the toolbar button, its shortcut and the
 * context menu entries all end here, and open a Declutter reader page for the page or link, or the
 * server's full-text version of the page's feed.
 *
 * Before opening the reader page for the page in the tab, the button asks the server to read it
 * (`readByServer`, which also fills the server's cache for that page). When the server could not
 * read it (the site refused it, it met a sign-in or consent wall, no article) but the tab shows an
 * article, the tab stays where it is and the button offers, by its badge and title, to send the
 * page as the browser shows it: the next press on that page does so. Nothing is sent without that
 * press.
 */

import { capturePage, findFeeds, hasArticle, serverGotAWall } from "./page-check.js";
import { feedUrl, isWebPage, readerUrl } from "./reader-url.js";
import { checkServer, offersFeeds, readByServer, ServerError, sendPage } from "./server.js";
import { loadSettings } from "./settings.js";

const api = globalThis.browser ?? globalThis.chrome;

// The button's title when all is well; set back explicitly, as browsers differ on clearing a tab's title.
const DEFAULT_TITLE = api.runtime.getManifest().action.default_title;

// Context menu entries: on a page, on a link, and the feed entry (also on the button's own menu).
const MENU_PAGE = "declutter-read-page";
const MENU_LINK = "declutter-open-link";
const MENU_FEED = "declutter-full-text-feed";
// What the toolbar button shows on a tab where something went wrong; its title then says what.
const WARNING_BADGE = "!";
const WARNING_COLOUR = "#b3261e";
// ...and on a tab whose page the server could not read: press again to send it as shown.
const OFFER_BADGE = "↑";
const OFFER_COLOUR = "#0e7490";
// storage.session key prefix of such an offer, per tab (the worker may stop between two presses).
const OFFER_KEY = "offer:";
// The messages for the things the extension itself refuses or offers.
const NOT_A_WEB_PAGE = "Declutter reads web pages only (http:// or https://), not this one.";
const NO_ARTICLE_HERE =
  "This page, as you see it, holds no article: perhaps only a cookie banner or a sign-in wall. " +
  "Accept or close it, or sign in, then try again.";
const NO_FEED_HERE = "This page declares no RSS or Atom feed.";
const WALL = "the server met a sign-in or consent wall";
const offerText = (why) =>
  `The server could not read this page (${why}). Press again to send the page as you see it.`;

/** Open the reader page for `pageUrl`, shown in `tab`; send its DOM when asked or offered. */
async function readPage(tab, pageUrl) {
  const offered = await takeOffer(tab.id, pageUrl);
  await clearWarning(tab.id);
  if (!isWebPage(pageUrl)) return warn(tab.id, NOT_A_WEB_PAGE);
  const settings = await loadSettings();
  const reader = readerUrl(settings.server, pageUrl);
  // A page already on Declutter (readerUrl gave it back) is shown again, never sent to itself.
  if (reader === pageUrl) return openReader(reader, tab, settings);
  if (settings.sendPage || offered) return sendShownPage(tab, settings);
  const page = await capture(tab.id);
  const why = page && hasArticle(page.paragraphWords) && (await unreadBecause(settings, page));
  if (why) return offer(tab.id, pageUrl, why);
  return openReader(reader, tab, settings);
}

/** Send the page as the tab shows it, once it holds an article. */
async function sendShownPage(tab, settings) {
  const page = await capture(tab.id, { required: true });
  if (!hasArticle(page?.paragraphWords ?? [])) return warn(tab.id, NO_ARTICLE_HERE);
  return openReader(await sendPage(settings, page), tab, settings);
}

/** Why the server could not read the page the tab shows, or "" when it could (or cannot tell). */
async function unreadBecause(settings, page) {
  const verdict = await readByServer(settings, page.url);
  if (verdict?.unread) return verdict.unread;
  return verdict && serverGotAWall(verdict.words, page.paragraphWords) ? WALL : "";
}

/**
 * The tab's page as it is now (see capturePage); null when the extension may not look at the tab
 * (no click granted it activeTab), unless `required`, when that refusal is the user's answer.
 */
async function capture(tabId, { required = false } = {}) {
  try {
    const [{ result }] = await api.scripting.executeScript({
      target: { tabId }, func: capturePage,
    });
    return result;
  } catch (error) {
    if (required) throw error;
    return null;
  }
}

/** Offer, on the tab's button, to send `pageUrl` as shown: the next press on that page does. */
async function offer(tabId, pageUrl, why) {
  await api.storage.session.set({ [`${OFFER_KEY}${tabId}`]: pageUrl });
  await api.action.setBadgeBackgroundColor({ tabId, color: OFFER_COLOUR });
  await api.action.setBadgeText({ tabId, text: OFFER_BADGE });
  await api.action.setTitle({ tabId, title: `Declutter: ${offerText(why)}` });
}

/** Whether the tab has an offer standing for `pageUrl`; either way, the offer is used up. */
async function takeOffer(tabId, pageUrl) {
  const key = `${OFFER_KEY}${tabId}`;
  const { [key]: offered } = await api.storage.session.get(key);
  await api.storage.session.remove(key);
  return offered === pageUrl;
}

/** Open the server's full-text version of the first feed the page in `tab` declares. */
async function openFeed(tab) {
  await clearWarning(tab.id);
  const [{ result: feeds }] = await api.scripting.executeScript({
    target: { tabId: tab.id }, func: findFeeds,
  });
  const settings = await loadSettings();
  const url = feeds?.length ? feedUrl(settings.server, feeds[0]) : null;
  if (!url) return warn(tab.id, NO_FEED_HERE);
  return openReader(url, tab, settings);
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

/** Context menu click (runs when the user picks one of our entries, on a page or on the button). */
async function handleMenuClick(info, tab) {
  if (info.menuItemId === MENU_LINK) return reportingErrors(tab, () => openLink(tab, info.linkUrl));
  if (info.menuItemId === MENU_PAGE) return reportingErrors(tab, () => readPage(tab, info.pageUrl));
  if (info.menuItemId === MENU_FEED) return reportingErrors(tab, () => openFeed(tab));
}

/** Toolbar button or its shortcut, Alt+Shift+D (the "_execute_action" command). */
async function handleActionClick(tab) {
  return reportingErrors(tab, () => readPage(tab, tab.url));
}

/**
 * Show the feed entry only when the configured server serves full-text feeds (its /healthz lists
 * the feature); a server that is away gets no entry until the next check. Resolves to whether it
 * shows.
 */
async function refreshMenus() {
  const { server, token } = await loadSettings();
  const feeds = offersFeeds(await checkServer(server, token).catch(() => null));
  await api.contextMenus.update(MENU_FEED, { visible: feeds });
  return feeds;
}

/** Install or update: menus persist across restarts, so they are created here only. */
function createMenus() {
  api.contextMenus.create({ id: MENU_PAGE, title: "Read this page with Declutter", contexts: ["page"] });
  api.contextMenus.create({ id: MENU_LINK, title: "Open link with Declutter", contexts: ["link"] });
  api.contextMenus.create({
    id: MENU_FEED, title: "Full-text feed", contexts: ["page", "action"], visible: false,
  });
  return refreshMenus();
}

/** Settings saved (options page): a new server may serve feeds, or not. */
function settingsChanged(changes, area) {
  // Before onInstalled has made the menus there is nothing to update; it refreshes them itself.
  const serverChanged = "server" in changes || "token" in changes;
  if (area === "sync" && serverChanged) refreshMenus().catch(() => {});
}

api.runtime.onInstalled.addListener(createMenus);
api.runtime.onStartup.addListener(refreshMenus);
api.storage.onChanged.addListener(settingsChanged);
api.action.onClicked.addListener(handleActionClick);
api.contextMenus.onClicked.addListener(handleMenuClick);

// Menus cannot be clicked by automation: the browser tests (or a developer in the worker's console)
// call the same handler through this name, and ask for the feed entry's state, which no API reads.
globalThis.declutter = { handleMenuClick, refreshMenus };
