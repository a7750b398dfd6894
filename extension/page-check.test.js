// Unit tests for page-check.js's judgement, run by `node --test extension/`.
import assert from "node:assert/strict";
import { test } from "node:test";

import { hasArticle, MIN_PARAGRAPH_WORDS } from "./page-check.js";

test("five paragraphs of prose are an article", () => {
  assert.equal(hasArticle([40, 55, 8, 60, 35, 3]), true);
});

for (const [what, words] of [
  ["an empty page", []],
  ["a cookie banner", [28, 4, 2]],
  ["a sign-in wall with a teaser", [45, 30, 6, 5]],
  ["a list of headlines", Array(30).fill(MIN_PARAGRAPH_WORDS - 1)],
  ["three short paragraphs", [20, 20, 20]],
]) {
  test(`${what} is not an article`, () => assert.equal(hasArticle(words), false));
}
