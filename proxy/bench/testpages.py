"""Readability.js's test pages as a dataset: ``python -m proxy.bench readability/test/test-pages``.

The peer reader project keeps one folder per page (``NAME/source.html``, the page;
``NAME/expected.html``, the article it must give; ``NAME/expected-metadata.json``, its title, byline
and, in newer copies, ``publishedTime``). The benchmark reads that layout as it is, so the same
comparison the project's own tests make runs beside readability-lxml and trafilatura without a
conversion step: the truth is the expected article's plain text (``text.to_text``, as every
extractor's output is read), each page is served at the URL its tests use.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # quality imports this module; the type is only needed for annotations
    from proxy.bench.quality import Page

SOURCE, EXPECTED, METADATA = "source.html", "expected.html", "expected-metadata.json"
# The address Readability.js's tests give every page (relative links resolve against it).
TEST_URL = "http://fakehost/test/page.html"
# Its metadata's names for the fields the metadata benchmark scores.
FIELDS = {"title": "title", "byline": "author", "publishedTime": "published"}


def is_layout(folder: Path) -> bool:
    """Whether ``folder`` holds pages in Readability.js's layout."""
    return any(True for _ in _folders(folder))


def pages(folder: Path) -> list[Page]:
    """One page per folder holding a source and an expected article, by name."""
    from proxy.bench.quality import Page
    from proxy.content.text import to_text

    return [
        Page(
            id=page.name,
            url=TEST_URL,
            path=page / SOURCE,
            truth=to_text((page / EXPECTED).read_text(encoding="utf-8")),
        )
        for page in _folders(folder)
    ]


def metadata(folder: Path) -> dict[str, dict[str, Any]]:
    """Each page's expected title, author and date, under the metadata benchmark's names; a field
    its file does not give is left out (not scored), a null one is "the page has none"."""
    found = {}
    for page in _folders(folder):
        path = page / METADATA
        if path.exists():
            given = json.loads(path.read_text(encoding="utf-8"))
            found[page.name] = {ours: given[key] for key, ours in FIELDS.items() if key in given}
    return found


def _folders(folder: Path) -> Iterator[Path]:
    return (
        page
        for page in sorted(folder.iterdir())
        if (page / SOURCE).is_file() and (page / EXPECTED).is_file()
    )
