/**
 * Where Declutter shows a page: the only decisions the extension makes about addresses.
 *
 * Pure functions without browser APIs, so Node's test runner checks them (reader-url.test.js) and the
 * service worker and the options page import the very same code.
 */

// The server until the user names another on the options page (`make run` serves here).
export const DEFAULT_BASE = "http://localhost:8080";

// The only pages Declutter reads; the server refuses every other scheme.
const WEB_PROTOCOLS = new Set(["http:", "https:"]);

// A scheme at the start of what the user typed ("https://", "ftp://"); without one we assume http://.
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Whether `pageUrl` is an http(s) page that Declutter can read. */
export function isWebPage(pageUrl) {
  return URL.canParse(pageUrl) && WEB_PROTOCOLS.has(new URL(pageUrl).protocol);
}

/**
 * The server address in one form: http(s), no credentials, query or fragment, no trailing slash
 * ("http://localhost:8080", "https://example.org/declutter"). Throws TypeError with a message for people.
 */
export function normaliseBase(raw) {
  const typed = String(raw ?? "").trim();
  if (!typed) throw new TypeError("Enter the address of your Declutter server.");
  const text = HAS_SCHEME.test(typed) ? typed : `http://${typed}`;
  if (!URL.canParse(text)) throw new TypeError(`"${typed}" is not a web address.`);
  const url = new URL(text);
  if (!WEB_PROTOCOLS.has(url.protocol)) {
    throw new TypeError("The server address must start with http:// or https://.");
  }
  if (url.username || url.password) {
    throw new TypeError("Put the API token in its own field, not in the address.");
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** The reader page for `pageUrl` on the server at `base`; null when the page is not http(s). */
export function readerUrl(base, pageUrl) {
  if (!isWebPage(pageUrl)) return null;
  const root = normaliseBase(base);
  if (pageUrl.startsWith(`${root}/`)) return pageUrl; // already on Declutter: do not read it twice
  const page = new URL(pageUrl);
  page.hash = "";
  return `${root}/read?url=${encodeURIComponent(page.href)}`;
}

/** The server's full-text version of the feed at `feed`; null when the feed is not http(s). */
export function feedUrl(base, feed) {
  if (!isWebPage(feed)) return null;
  return `${normaliseBase(base)}/feed?url=${encodeURIComponent(feed)}`;
}

/**
 * The absolute address of a page the server named in an answer (a relative path or a full URL).
 * Throws TypeError when it points off the server: the extension opens only Declutter's own pages.
 */
export function serverPage(base, location) {
  const root = normaliseBase(base);
  const url = new URL(String(location), `${root}/`);
  if (url.origin !== new URL(root).origin) {
    throw new TypeError(`The server sent the browser to another site (${url.origin}).`);
  }
  return url.href;
}

/**
 * The host permission pattern for the server, as permissions.request wants it. Match patterns
 * cannot name a port, so it covers every port of the server's host.
 */
export function originPattern(base) {
  const url = new URL(normaliseBase(base));
  return `${url.protocol}//${url.hostname}/*`;
}
