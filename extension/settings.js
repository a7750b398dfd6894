/**
 * The user's choices, kept in storage.sync so they follow the browser profile. The service worker and
 * the options page read and write them only through these two functions.
 */

import { DEFAULT_BASE } from "./reader-url.js";

const api = globalThis.browser ?? globalThis.chrome;

// Every setting with its default: server address, API token, open in a new tab, send the page's DOM.
export const DEFAULTS = Object.freeze({ server: DEFAULT_BASE, token: "", newTab: false, sendPage: false });

/** The stored settings, defaults filled in. */
export async function loadSettings() {
  return { ...DEFAULTS, ...(await api.storage.sync.get(DEFAULTS)) };
}

/** Store the given settings (a subset of DEFAULTS' keys). */
export async function saveSettings(changes) {
  await api.storage.sync.set(changes);
}
