/**
 * The options page: the server address (checked through its /healthz), the API token, where the clean
 * page opens, and "send the page as I see it". Saving also asks for access to the server's host.
 */

import { normaliseBase, originPattern } from "./reader-url.js";
import { checkServer, checkToken } from "./server.js";
import { loadSettings, saveSettings } from "./settings.js";

const api = globalThis.browser ?? globalThis.chrome;
const form = document.getElementById("options");
const status = document.getElementById("status");

/** Fill the form from storage (runs when the page opens). */
async function showSettings() {
  const settings = await loadSettings();
  form.server.value = settings.server;
  form.token.value = settings.token;
  form.openIn.value = settings.newTab ? "new" : "same";
  form.sendPage.checked = settings.sendPage;
}

/** Save the form, then check the server (runs on submit). */
async function save(event) {
  event.preventDefault();
  let server;
  try {
    server = normaliseBase(form.server.value);
  } catch (error) {
    return say(error.message, "bad");
  }
  requestAccess(server);
  const token = form.token.value.trim();
  const sendPage = form.sendPage.checked;
  await saveSettings({ server, token, newTab: form.openIn.value === "new", sendPage });
  form.server.value = server;
  say(`Saved. Checking ${server}…`);
  await reportOn(server, token, sendPage);
}

/** Say whether the saved server answers as Declutter, and takes the token when one is needed. */
async function reportOn(server, token, sendPage) {
  try {
    await checkServer(server, token);
    if (token || sendPage) await checkToken(server, token); // the token only travels with sent pages
    say(`Saved. ${server} is a Declutter server and answers.`, "good");
  } catch (error) {
    say(`Saved, but: ${error.message}`, "bad");
  }
}

/**
 * Ask for the server's host, so requests to it need no CORS. Called before anything is awaited, while
 * the click still counts as the user's gesture; the extension also works without it, through the
 * server's CORS answer to extension origins, so saving does not wait for the browser's prompt.
 */
function requestAccess(server) {
  api.permissions.request({ origins: [originPattern(server)] }).catch(() => {});
}

function say(message, tone = "") {
  status.textContent = message;
  status.className = tone;
}

form.addEventListener("submit", save);
showSettings();
