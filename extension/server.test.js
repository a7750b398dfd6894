// Unit tests for server.js's reading of the server's health report, run by `node --test extension/`.
import assert from "node:assert/strict";
import { test } from "node:test";

import { offersFeeds } from "./server.js";

test("a server whose /healthz lists the feeds feature offers full-text feeds", () => {
  assert.equal(offersFeeds({ service: "declutter", features: ["markdown", "feeds"] }), true);
});

for (const [what, report] of [
  ["no report", null],
  ["no features", { service: "declutter", status: "ok" }],
  ["other features", { service: "declutter", features: ["markdown"] }],
  ["features that are not a list", { service: "declutter", features: "feeds" }],
]) {
  test(`${what}: no full-text feeds`, () => assert.equal(offersFeeds(report), false));
}
