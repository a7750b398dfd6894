/**
 * "Send the page as I see it": take the page the user is looking at, and refuse to send a page that
 * holds no article.
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

/** Whether paragraphs of these word counts read as an article rather than a banner or a wall. */
export function hasArticle(paragraphWords) {
  const prose = paragraphWords.filter((words) => words >= MIN_PARAGRAPH_WORDS);
  const total = prose.reduce((sum, words) => sum + words, 0);
  return prose.length >= MIN_ARTICLE_PARAGRAPHS && total >= MIN_ARTICLE_WORDS;
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
