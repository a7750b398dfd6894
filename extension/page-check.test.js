// Unit tests for page-check.js's judgement, run by `node --test extension/`.
import assert from "node:assert/strict";
import { test } from "node:test";

import { hasArticle, MIN_PARAGRAPH_WORDS, serverGotAWall } from "./page-check.js";

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

test("a server article much shorter than the page is a wall", () => {
  const page = [40, 55, 60, 35];
  assert.equal(serverGotAWall(30, page), true);
  assert.equal(serverGotAWall(180, page), false);
});

test("no wall is suspected when the browser shows no article either", () => {
  assert.equal(serverGotAWall(0, [28, 4, 2]), false);
});
