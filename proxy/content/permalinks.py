"""Permalinks removed: the "¶", "#", "§" or link icon beside every heading.

Documentation generators give each heading of the outline a link to its own place on the page,
for readers to copy (Sphinx and ReadTheDocs write "¶", MkDocs "¶" or "#", Docusaurus "#", rustdoc
"§", react.dev and GitHub an icon; Sphinx also gives one to each API entry's signature, a <dt>,
and to each captioned code sample). In a reader they are noise: the text reads "Installation¶",
and the Markdown "## Installation[¶](...)" or, for an icon, the link's title ("[Link for this
heading](...)"). They are told by structure, in any language: a link with no word in it to a place
on the same page ("#..."), inside a heading or a term, or inside the element it names. A heading
that is all link (mdBook's, Docker's) keeps its words; a note's backlink ("↩") names another
place, and stays.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from proxy import htmltree

# Where generators put a permalink whose target may sit elsewhere (the <section> around): the
# headings, and the terms of API references (Sphinx's signatures).
_HOLDERS = frozenset((*htmltree.HEADINGS, "dt"))
_WORD = re.compile(r"\w")


def drop_permalinks(article: HtmlElement) -> None:
    """Remove, in place, the wordless links to a place on the page that sit in a heading or a
    term, or in the element they link to (their tails are kept)."""
    doomed = [
        link
        for link in article.iter("a")
        if (href := link.get("href") or "").startswith("#")
        and not _WORD.search(link.text_content())
        and _is_own_place(link, href[1:])
    ]
    for link in doomed:
        link.drop_tree()


def _is_own_place(link: HtmlElement, target: str) -> bool:
    """Whether the link sits in a heading or a term, or in the element it names."""
    return any(
        holder.tag in _HOLDERS or (target and holder.get("id") == target)
        for holder in link.iterancestors()
    )
