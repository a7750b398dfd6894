/**
 * Talking to the Declutter server: its health check (and the features it lists), reading a page
 * by its address, and the POST of a page's DOM. All go only to the configured server, with the API
 * token as a Bearer header when one is set and never with cookies.
 */

import { normaliseBase, serverPage } from "./reader-url.js";

// How long to wait for the server before calling it unreachable (its own upstream limit is 15 s).
const TIMEOUT_MS = 20000;
// The API path that cleans a page sent by the browser, and the field of its answer naming the reader page.
const ARTICLE_API = "/api/v1/article";
const READER_FIELD = "reader_url";
// What to say when the API refuses the token (401), with or without one.
const TOKEN_REFUSED = "The server does not accept this API token.";
const TOKEN_NEEDED = "The server needs an API token to receive pages; enter one above.";
// Every Declutter /healthz answer names the service, whatever its state ({"service": "declutter", ...}).
const SERVICE_NAME = "declutter";
// The /healthz "features" entry of a server that serves full-text feeds at /feed?url=.
const FEEDS_FEATURE = "feeds";
// The API's error codes for a page the server could not read although the browser shows it: the
// site refused or failed the server (401, 403, 5xx, a timeout), said it is gone, or had no article.
const UNREAD_CODES = new Set([
  "upstream_error", "upstream_timeout", "upstream_not_found", "no_article",
]);

/** A failure to show the user as it is. */
export class ServerError extends Error {}

/** Check that `base` is a reachable Declutter server; resolves to its health report. */
export async function checkServer(base, token) {
  const root = normaliseBase(base);
  const response = await call(root, "/healthz", token);
  const report = await readJson(response);
  if (report?.service !== SERVICE_NAME) {
    throw new ServerError(notDeclutter(root));
  }
  if (!response.ok) throw new ServerError(`The Declutter server at ${root} is unwell: ${report.status}.`);
  return report;
}

/** Check that the server's API takes `token` (or needs none); a GET without a page costs nothing. */
export async function checkToken(base, token) {
  const response = await call(normaliseBase(base), ARTICLE_API, token);
  if (response.status === 401) throw new ServerError(token ? TOKEN_REFUSED : TOKEN_NEEDED);
}

/** Whether the server's health report lists full-text feeds among its features. */
export function offersFeeds(report) {
  return Array.isArray(report?.features) && report.features.includes(FEEDS_FEATURE);
}

/**
 * What the server makes of `pageUrl` (the API's GET, which also fills its cache for the reader
 * page): `{ words }` for an article, `{ unread: message }` when it could not read the page, or null
 * when it cannot tell (no token, rate limit, unreachable: the reader page will say so itself).
 */
export async function readByServer(settings, pageUrl) {
  const query = `${ARTICLE_API}?url=${encodeURIComponent(pageUrl)}`;
  const root = normaliseBase(settings.server);
  const response = await call(root, query, settings.token).catch(() => null);
  const answer = response && (await readJson(response));
  if (response?.ok) return { words: answer?.word_count ?? 0 };
  if (UNREAD_CODES.has(answer?.error?.code)) return { unread: answer.error.message };
  return null;
}

/** POST a captured page to the server; resolves to the address of its reader page. */
export async function sendPage(settings, page) {
  const response = await call(normaliseBase(settings.server), ARTICLE_API, settings.token, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ url: page.url, html: page.html }),
  });
  const answer = await readJson(response);
  if (!response.ok) {
    throw new ServerError(answer?.error?.message ?? `The server answered ${response.status}.`);
  }
  if (!answer?.[READER_FIELD]) throw new ServerError("The server did not name a reader page.");
  return serverPage(settings.server, answer[READER_FIELD]);
}

async function call(root, path, token, init = {}) {
  const headers = { ...init.headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) };
  const url = `${root}${path}`;
  try {
    return await fetch(url, { ...init, headers, credentials: "omit", signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    throw new ServerError((await answers(url)) ? notDeclutter(root) : unreachable(root));
  }
}

/**
 * Whether anything answers at `url`. A failed fetch may be a server that is down or one that refused
 * CORS (any server but Declutter); an opaque no-cors request tells the two apart.
 */
async function answers(url) {
  try {
    await fetch(url, { mode: "no-cors", credentials: "omit", signal: AbortSignal.timeout(TIMEOUT_MS) });
    return true;
  } catch {
    return false;
  }
}

const notDeclutter = (root) => `${root} answers, but it is not a Declutter server.`;
const unreachable = (root) => `Cannot reach a server at ${root}. Is Declutter running there?`;

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}
