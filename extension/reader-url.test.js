// Unit tests for reader-url.js, run by `node --test extension/` (and by tests/test_extension.py).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  feedUrl, isWebPage, normaliseBase, originPattern, readerUrl, serverPage,
} from "./reader-url.js";

const BASE = "http://localhost:8080";

test("the reader URL carries the page URL encoded, without its fragment", () => {
  assert.equal(
    readerUrl(BASE, "https://example.org/a b?x=1&y=ü#comments"),
    "http://localhost:8080/read?url=https%3A%2F%2Fexample.org%2Fa%2520b%3Fx%3D1%26y%3D%25C3%25BC",
  );
});

test("the reader URL keeps the server's path prefix", () => {
  assert.equal(
    readerUrl("https://example.net/declutter/", "http://example.org/"),
    "https://example.net/declutter/read?url=http%3A%2F%2Fexample.org%2F",
  );
});

for (const page of ["chrome://extensions/", "about:blank", "file:///etc/hosts", "view-source:http://a/",
  "javascript:alert(1)", "", undefined, "not a url"]) {
  test(`no reader URL for ${page}`, () => {
    assert.equal(isWebPage(page), false);
    assert.equal(readerUrl(BASE, page), null);
  });
}

test("a Declutter page is not read through Declutter again", () => {
  const reader = `${BASE}/read?url=https%3A%2F%2Fexample.org%2F`;
  assert.equal(readerUrl(BASE, reader), reader);
});

for (const [typed, expected] of [
  ["http://localhost:8080", "http://localhost:8080"],
  ["  HTTP://LocalHost:8080/  ", "http://localhost:8080"],
  ["localhost:8080", "http://localhost:8080"],
  ["https://example.net:443/declutter//", "https://example.net/declutter"],
  ["https://example.net/?q=1#top", "https://example.net"],
  ["http://[::1]:8000", "http://[::1]:8000"],
]) {
  test(`normaliseBase(${JSON.stringify(typed)})`, () => assert.equal(normaliseBase(typed), expected));
}

for (const [typed, message] of [
  ["", /Enter the address/],
  ["   ", /Enter the address/],
  ["ftp://example.net", /http:\/\/ or https:\/\//],
  ["http://user:secret@example.net", /API token in its own field/],
  ["http://exa mple.net", /not a web address/],
]) {
  test(`normaliseBase refuses ${JSON.stringify(typed)}`, () => {
    assert.throws(() => normaliseBase(typed), { name: "TypeError", message });
  });
}

test("a server page may be a path or a URL on the same server", () => {
  assert.equal(serverPage(`${BASE}/`, "/read/r/abc"), `${BASE}/read/r/abc`);
  assert.equal(serverPage("https://example.net/declutter", "read/r/abc"), "https://example.net/declutter/read/r/abc");
  assert.equal(serverPage(BASE, `${BASE}/read/r/abc`), `${BASE}/read/r/abc`);
});

test("a server page on another site is refused", () => {
  assert.throws(() => serverPage(BASE, "https://evil.example/phish"), { name: "TypeError", message: /another site/ });
  assert.throws(() => serverPage(BASE, "//evil.example/phish"), { name: "TypeError" });
  assert.throws(() => serverPage(BASE, "http://localhost:9999/read"), { name: "TypeError" });
});

test("the host permission pattern names the host without its port", () => {
  assert.equal(originPattern("http://localhost:8080/x"), "http://localhost/*");
  assert.equal(originPattern("https://[::1]:8000"), "https://[::1]/*");
});

test("the full-text feed is the server's /feed with the feed's address encoded", () => {
  assert.equal(
    feedUrl(`${BASE}/`, "https://example.org/feed.xml?tag=a&b=c"),
    "http://localhost:8080/feed?url=https%3A%2F%2Fexample.org%2Ffeed.xml%3Ftag%3Da%26b%3Dc",
  );
  assert.equal(feedUrl(BASE, "javascript:alert(1)"), null);
});
