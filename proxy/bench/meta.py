"""The metadata benchmark: title, author and date against a dataset's ``metadata.json``.

``python -m proxy.bench DATASET`` calls ``report`` after the text scores when DATASET has a
``metadata.json`` (``{id: {"title", "author", "published"}}``, null or "" where the page has none).
Declutter, trafilatura's metadata and readability-lxml's title read the same bytes in the same
run, here in the driver, one page at a time. Per field, among the pages with an expected value:
the share right, wrong (another value) and missing; among the pages whose truth is null: the share
invented (any value). Dates compare by calendar day, authors as sets of names (case and order
ignored), titles after whitespace normalisation. Declutter's line also gives the metadata step's
median share of the pipeline's time on each page (the metadata read again on a parsed page).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from proxy.bench import parserfixtures, testpages
from proxy.bench.score import normalise

if TYPE_CHECKING:  # bench imports this module; the type is only needed for annotations
    from proxy.bench.quality import Page

FIELDS = ("title", "author", "published")
# What separates several authors in one byline: commas, semicolons, "&", "and" (and its German,
# French and Spanish forms), as expected values and extractors write them.
_AUTHOR_SEPARATOR = re.compile(r"\s*(?:[,;&|]|\band\b|\bund\b|\bet\b|\by\b)\s*", re.I)
# A byline's "By": Readability.js's expected bylines keep the line as the page prints it.
_BY = re.compile(r"^by\s+", re.I)
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
# Typographic quotes and dashes as plain ones: the expected titles were typed with "'" and "-" where
# the pages print "’" and "–" (9 titles on modern-web-dev differ only so).
_TYPOGRAPHIC = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
# One extractor's metadata of one page: {field: value or None}.
Meta = dict[str, str | None]


def read_truth(folder: Path) -> dict[str, Meta]:
    """The dataset's expected metadata (Readability.js's test pages: theirs), or {} when it has
    none."""
    path = folder / "metadata.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    if testpages.is_layout(folder):
        return testpages.metadata(folder)
    return parserfixtures.metadata(folder) if parserfixtures.is_layout(folder) else {}


def same(field: str, expected: str, got: str) -> bool:
    """Whether ``got`` is ``expected`` as the field is compared."""
    if field == "published":
        moments = _instant(expected), _instant(got)
        if moments[0] and moments[1]:  # both a time in a zone: the same day in UTC
            return moments[0].date() == moments[1].date()
        day = _DAY.match(got.strip())
        return day is not None and day.group(0) == expected[:10]
    if field == "author":
        return _names(expected) == _names(got)
    return _plain(expected) == _plain(got)


def _instant(value: str) -> datetime | None:
    """A date with a time and a zone as UTC (the parser fixtures give UTC instants, "...Z"), else
    None: a plain day has no zone to convert from."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo and "T" in value else None


def _plain(title: str) -> str:
    return normalise(title.translate(_TYPOGRAPHIC).replace("\xa0", " "))


def _names(byline: str) -> set[str]:
    byline = _BY.sub("", normalise(byline))
    return {n.casefold() for n in _AUTHOR_SEPARATOR.split(byline) if n}


def score(truth: dict[str, Meta], outputs: dict[str, Meta], field: str) -> dict[str, Any]:
    """Right, wrong and missing among pages with a value; invented where the truth is null."""
    counts = {"right": 0, "wrong": 0, "missing": 0, "invented": 0, "known": 0, "null": 0}
    for key, expected in truth.items():
        if key not in outputs or field not in expected:  # a field the dataset does not give
            continue
        want, got = expected.get(field) or None, (outputs[key] or {}).get(field)
        got = normalise(got) if got else None
        if want is None:
            counts["null"] += 1
            counts["invented"] += got is not None
            continue
        counts["known"] += 1
        verdict = "missing" if got is None else "right" if same(field, want, got) else "wrong"
        counts[verdict] += 1
    return counts


# --- the extractors' metadata ------------------------------------------------------------------


def _declutter(body: bytes, url: str) -> tuple[Meta, float]:
    """Declutter's metadata, and the metadata step's share of this page's pipeline time."""
    from proxy import errors
    from proxy.content import charset, extract, metadata, pipeline

    start = time.process_time()
    try:
        article = pipeline.process(body, url)
        got = {"title": article.title, "author": article.byline, "published": article.published}
    except errors.NoArticle:
        got = {}
    total = time.process_time() - start
    doc = extract.parse(charset.decode(body, None))
    start = time.process_time()
    metadata.read_metadata(doc, url)
    return got, (time.process_time() - start) / total if total else 0.0


def _trafilatura(body: bytes, url: str) -> Meta:
    from trafilatura import extract_metadata, load_html

    tree = load_html(body)  # what extract_metadata does with bytes, which it is not typed to take
    found = extract_metadata(tree, default_url=url) if tree is not None else None
    return {"title": found.title, "author": found.author, "published": found.date} if found else {}


def _readability(body: bytes, url: str) -> Meta:
    from readability import Document

    return {"title": Document(body, url=url).short_title()}


OTHERS: dict[str, Callable[[bytes, str], Meta]] = {
    "trafilatura": _trafilatura,
    "readability": _readability,
}


def run(
    pages: list[Page], truth: dict[str, Meta]
) -> tuple[dict[str, dict[str, Meta]], list[float]]:
    """Every extractor's metadata of every page with a truth, and Declutter's metadata shares."""
    from proxy.bench.quality import read_page

    outputs: dict[str, dict[str, Meta]] = {"declutter": {}, **{name: {} for name in OTHERS}}
    shares = []
    for page in (p for p in pages if p.id in truth):
        body = read_page(page.path)
        outputs["declutter"][page.id], share = _declutter(body, page.url)
        shares.append(share)
        for name, read in OTHERS.items():
            try:
                outputs[name][page.id] = read(body, page.url)
            except Exception:  # a crash is scored as no metadata
                outputs[name][page.id] = {}
    return outputs, shares


def report(folder: Path, pages: list[Page]) -> Iterator[str]:
    """The metadata table, or nothing when the dataset has no metadata.json."""
    truth = read_truth(folder)
    if not truth:
        return
    outputs, shares = run(pages, truth)
    yield (
        f"metadata, {len(outputs['declutter'])} pages: right / wrong / missing among pages "
        "with a value, invented among pages whose truth is null"
    )
    yield f"{'extractor':<14}{'field':<11}{'right':>7}{'wrong':>7}{'missing':>9}{'invented':>10}"
    for name, found in outputs.items():
        for field in FIELDS:
            if name == "readability" and field != "title":
                continue
            c = score(truth, found, field)
            yield (
                f"{name:<14}{field:<11}{_share(c['right'], c['known'])}"
                f"{_share(c['wrong'], c['known'])}  {_share(c['missing'], c['known'])}"
                f"   {_share(c['invented'], c['null'])}"
            )
    shares.sort()
    if shares:
        yield (
            f"declutter metadata step: median {shares[len(shares) // 2]:.1%} of the pipeline's "
            "CPU time per page"
        )


def _share(part: int, whole: int) -> str:
    return f"{part / whole:>7.1%}" if whole else f"{'-':>7}"


def worst(truth: dict[str, Meta], found: dict[str, Meta], field: str) -> Iterator[str]:
    """The pages where ``found`` is wrong or invented on ``field``, for reading one by one."""
    for key, expected in sorted(truth.items()):
        want, got = expected.get(field) or None, (found.get(key) or {}).get(field) or None
        if (want is None) != (got is None) or (want and got and not same(field, want, got)):
            yield f"{key} {field}: expected {want!r}, got {got!r}"
