"""Postlight's parser fixtures as a dataset: ``python -m proxy.bench mercury-parser-package``.

The peer parser project (Mercury, later "Postlight Parser") keeps saved pages in ``fixtures/`` and,
for each site, a test (``src/extractors/custom/HOST/index.test.js``) that parses one or more of
them at a given URL and asserts the title, author, ``date_published`` and the article's first
words. Its npm package 1.1.1 ships both (``npm pack @postlight/mercury-parser@1.1.1``); the
benchmark reads them as they are: the metadata benchmark scores title, author and date, and the
first words (13 in its tests) are a segment the article must contain. Values are read from the
tests' ``assert.equal`` calls with a pattern, not by running JavaScript: a value the pattern
cannot read is left out (not scored), never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # quality imports this module; the type is only needed for annotations
    from proxy.bench.quality import Page

TESTS = "src/extractors/custom"
# The tests' names for the fields the benchmarks score (first13: the article's first 13 words).
FIELDS = {"title": "title", "author": "author", "date_published": "published"}
_STRING = r"""('(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|null)"""
_URL = re.compile(r"\burl\s*=\s*" + _STRING)
_FIXTURE = re.compile(r"readFileSync\(\s*" + _STRING)
_ASSERT = re.compile(r"assert\.equal\(\s*(\w+)\s*,\s*" + _STRING + r"\s*\)")
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}


@dataclass(frozen=True)
class Fixture:
    """One saved page, the URL its test parses it at and what the test expects of it."""

    id: str
    url: str
    path: Path
    expects: dict[str, str | None]


def is_layout(folder: Path) -> bool:
    """Whether ``folder`` is the parser's package (its fixtures and its site tests)."""
    return (folder / "fixtures").is_dir() and (folder / TESTS).is_dir()


def pages(folder: Path) -> list[Page]:
    """One page per fixture a test parses; its first words are the segment it must contain."""
    from proxy.bench.quality import Page

    found = []
    for item in fixtures(folder):
        first = item.expects.get("first13")
        found.append(Page(item.id, item.url, item.path, with_=(first,) if first else ()))
    return found


def metadata(folder: Path) -> dict[str, dict[str, Any]]:
    """Each fixture's expected title, author and date under the metadata benchmark's names; a field
    its test does not assert is left out (not scored), a null one is "the page has none"."""
    return {
        item.id: {ours: item.expects[key] for key, ours in FIELDS.items() if key in item.expects}
        for item in fixtures(folder)
    }


def fixtures(folder: Path) -> list[Fixture]:
    """Every fixture the site tests parse, by id (its path under ``fixtures/``, no suffix)."""
    found: dict[str, Fixture] = {}
    for test in sorted((folder / TESTS).glob("*/index.test.js")):
        for item in _read_test(folder, test.read_text(encoding="utf-8")):
            found.setdefault(item.id, item)
    return [found[key] for key in sorted(found)]


def _read_test(folder: Path, source: str) -> Iterator[Fixture]:
    """The fixtures one test file parses: each block runs from a fixture read to the next one, with
    the last URL assigned before it."""
    reads = list(_FIXTURE.finditer(source))
    for number, read in enumerate(reads):
        urls = list(_URL.finditer(source, 0, read.start()))
        name = _unquote(read.group(1))
        if not urls or name is None:
            continue
        url = _unquote(urls[-1].group(1))
        end = reads[number + 1].start() if number + 1 < len(reads) else len(source)
        start = urls[-1].end()
        expects = {m.group(1): _unquote(m.group(2)) for m in _ASSERT.finditer(source, start, end)}
        path = (folder / name).resolve()
        if url and path.is_file():
            key = path.relative_to((folder / "fixtures").resolve()).with_suffix("").as_posix()
            yield Fixture(key, url, path, expects)


def _unquote(literal: str) -> str | None:
    """A JavaScript string literal's value (None for ``null``)."""
    if literal == "null":
        return None
    return _ESCAPE.sub(_unescape, literal[1:-1])


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code.startswith("u") and len(code) == 5:
        return chr(int(code[1:], 16))
    return _ESCAPES.get(code, code)
