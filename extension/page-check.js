/**
 * What the page the user is looking at holds: an article (for "send the page as I see it", asked
 * for or offered when the server could not read the page) and the feeds it declares.
 *
 * Other extensions have shipped DOMs that were only a cookie banner or a login wall. So the page is
 * measured in the browser (`capturePage`, injected into the tab) and judged here (`hasArticle`, pure and
 * unit-tested under Node) before anything is sent.
 */

// A paragraph counts as prose from this many words; banner and wall blurbs are shorter.
export const MIN_PARAGRAPH_WORDS = 12;
// An article has at least this many prose paragraphs...
export const MIN_ARTICLE_PARAGRAPHS = 3;
// ...holding at least this many words between them.
export const MIN_ARTICLE_WORDS = 120;

// The server read a wall instead of the article when its article has fewer words than this share
// of the prose the browser shows (a sign-in or consent wall keeps a teaser at most).
export const WALL_SHARE = 0.5;

const prose = (paragraphWords) => paragraphWords.filter((words) => words >= MIN_PARAGRAPH_WORDS);
const sum = (numbers) => numbers.reduce((total, words) => total + words, 0);

/** Whether paragraphs of these word counts read as an article rather than a banner or a wall. */
export function hasArticle(paragraphWords) {
  const paragraphs = prose(paragraphWords);
  return paragraphs.length >= MIN_ARTICLE_PARAGRAPHS && sum(paragraphs) >= MIN_ARTICLE_WORDS;
}

/** Whether the server's article, `serverWords` long, is a wall before the one the browser shows. */
export function serverGotAWall(serverWords, paragraphWords) {
  return hasArticle(paragraphWords) && serverWords < WALL_SHARE * sum(prose(paragraphWords));
}

/**
 * Runs in the page (scripting.executeScript), after the page's own scripts, so it must be
 * self-contained. Returns the page's address, its current DOM as HTML, and the word count of each
 * visible paragraph that is not inside an overlay (a dialog, or anything fixed over the page:
 * where cookie banners and login walls live).
 */
export function capturePage() {
  const inOverlay = (element) => {
    for (let node = element; node && node !== document.body; node = node.parentElement) {
      const position = getComputedStyle(node).position;
      if (position === "fixed" || position === "sticky") return true;
      if (node.matches("dialog, [role=dialog], [role=alertdialog], [aria-modal=true]")) return true;
    }
    return false;
  };
  const visible = (element) => element.getClientRects().length > 0;
  const paragraphWords = [...document.querySelectorAll("p")]
    .filter((p) => visible(p) && !inOverlay(p))
    .map((p) => p.innerText.split(/\s+/).filter(Boolean).length);
  return { url: location.href, html: document.documentElement.outerHTML, paragraphWords };
}

/**
 * Runs in the page (scripting.executeScript), so it must be self-contained. Returns the absolute
 * addresses of the RSS and Atom feeds the page declares (`<link rel="alternate" type=...>`), in
 * order.
 */
export function findFeeds() {
  const types = ["application/rss+xml", "application/atom+xml"];
  return [...document.querySelectorAll("link[rel~=alternate i][href]")]
    .filter((link) => types.includes(link.type.trim().toLowerCase()))
    .map((link) => link.href);
}
