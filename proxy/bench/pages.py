"""The benchmark page by page: scores per page type, the pages Declutter loses most on, and the
do-no-harm guard against readability-lxml, the library Declutter starts from.

A pooled figure hides a page made worse behind pages made better; a gain tuned to one set shows as
losses on another. So every page gets its own F1 (shingles where the dataset has the article text,
else its segments), and:

- ``by_type``: the pooled scores per page type (``metadata.json``'s "type"), so a gain on articles
  that costs forums or documentation shows;
- ``worst``: the pages where Declutter is furthest below readability-lxml or the best competitor on
  that page, with a sample of the text it added and of the text it dropped;
- ``guard``: the pages more than ``GUARD_MARGIN`` F1 below readability-lxml, less those an
  allow-list excuses, each with the reason why the ground truth is wrong for it;
- ``halves``: the pooled scores on two fixed halves of the set, so a change fitted to some pages
  rather than to their kind shows as a gain on one half only.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from proxy.bench.score import TOKEN, metrics, normalise, page_f1, shingles

if TYPE_CHECKING:  # bench imports this module; the types are only needed for annotations
    from proxy.bench.quality import Page, Run

# A page may be this much F1 below readability-lxml's on it, and no more, unless excused.
GUARD_MARGIN = 0.2
# The allow-list: {dataset folder name: {page id: why its ground truth is wrong}}.
ALLOW_LIST = Path(__file__).resolve().parents[2] / "tests" / "quality" / "guard-allow.json"
# The competitor the guard compares with.
BASELINE = "readability"
# How much of an added or dropped passage ``worst`` shows.
SAMPLE_CHARS = 110


def by_type(pages: list[Page], runs: list[Run]) -> Iterator[str]:
    """One line per page type and extractor: the pooled F1 of the dataset's main metric family."""
    kinds = sorted({p.kind for p in pages if p.kind})
    if not kinds:
        return
    label, score = metrics(pages)[-1]
    yield f"per page type ({label} F1):"
    live = [run for run in runs if not run.note]
    yield f"  {'type':<15}{'pages':>6}" + "".join(f"{run.name:>14}" for run in live)
    for kind in kinds:
        subset = [p for p in pages if p.kind == kind]
        yield f"  {kind:<15}{len(subset):>6}" + "".join(
            f"{score(subset, run.outputs).f1:>14.3f}" for run in live
        )


def halves(pages: list[Page], runs: list[Run]) -> Iterator[str]:
    """F1 on two fixed halves of the pages (by a hash of the page id), one line per extractor.

    A change tuned on pages of one half that does not also lift the other half is fitted to those
    pages, not to their kind: keep a change only when it holds on both.
    """
    if len(pages) < 20:
        return
    label, score = metrics(pages)[-1]
    split = {p.id: zlib.crc32(p.id.encode()) % 2 for p in pages}
    a = [p for p in pages if split[p.id] == 0]
    b = [p for p in pages if split[p.id] == 1]
    yield f"halves ({label} F1; crc32 of the page id, {len(a)} / {len(b)} pages):"
    for run in runs:
        if not run.note:
            yield (
                f"  {run.name:<14}{score(a, run.outputs).f1:>7.3f}{score(b, run.outputs).f1:>7.3f}"
            )


def page_scores(pages: list[Page], run: Run) -> dict[str, float]:
    """Each page's F1 for one extractor."""
    return {p.id: page_f1(p, run.outputs.get(p.id)) for p in pages}


def worst(pages: list[Page], runs: list[Run], count: int) -> Iterator[str]:
    """The ``count`` pages where Declutter is furthest below the best competitor on the page."""
    ours, others = runs[0], [run for run in runs[1:] if not run.note]
    if not others:
        return
    mine = page_scores(pages, ours)
    theirs = {run.name: page_scores(pages, run) for run in others}
    gap = {p.id: mine[p.id] - max(scores[p.id] for scores in theirs.values()) for p in pages}
    yield f"the {count} pages where {ours.name} loses most (F1 on the page):"
    for page in sorted(pages, key=lambda p: gap[p.id])[:count]:
        rivals = ", ".join(f"{name} {scores[page.id]:.2f}" for name, scores in theirs.items())
        yield (
            f"  {page.id} [{page.kind or '-'}] {ours.name} {mine[page.id]:.2f}, {rivals}"
            f"  {page.url}"
        )
        added, dropped = differences(page, ours.outputs.get(page.id) or "")
        yield f"    added:   {added or '-'}"
        yield f"    dropped: {dropped or '-'}"


def differences(page: Page, text: str) -> tuple[str, str]:
    """A sample of the text added to the page's truth and of the text dropped from it: the longest
    run of tokens none of whose shingles the other side holds (segments: the first leaked and the
    first missed)."""
    if page.truth is None:
        flat = normalise(text)
        leaked = [s for s in page.without if normalise(s) in flat]
        missed = [s for s in page.with_ if normalise(s) not in flat]
        return _cut(leaked[0] if leaked else ""), _cut(missed[0] if missed else "")
    return _cut(_longest_unshared(text, page.truth)), _cut(_longest_unshared(page.truth, text))


def _longest_unshared(text: str, other: str) -> str:
    """The longest run of ``text``'s tokens that no shingle shared with ``other`` covers, as
    written in ``text``."""
    spans = list(TOKEN.finditer(text))
    tokens = [match.group() for match in spans]
    common = shingles(TOKEN.findall(other))
    covered = [False] * len(tokens)
    for i in range(len(tokens) - 3):
        if tuple(tokens[i : i + 4]) in common:
            covered[i : i + 4] = [True] * 4
    best, start = (0, 0), None
    for i, hit in enumerate([*covered, True]):
        if not hit and start is None:
            start = i
        elif hit and start is not None:
            best, start = max(best, (i - start, start)), None
    length, first = best
    return normalise(text[spans[first].start() : spans[first + length - 1].end()]) if length else ""


def _cut(text: str) -> str:
    return text if len(text) <= SAMPLE_CHARS else text[:SAMPLE_CHARS] + "..."


def guard(
    dataset: str, pages: list[Page], runs: list[Run], allow_list: Path = ALLOW_LIST
) -> tuple[list[str], list[str]] | None:
    """The ids of pages more than GUARD_MARGIN below readability-lxml, as (failing, excused);
    None when readability-lxml did not run."""
    baseline = next((run for run in runs if run.name == BASELINE and not run.note), None)
    if baseline is None:
        return None
    allowed = read_allow_list(allow_list).get(dataset, {})
    mine, base = page_scores(pages, runs[0]), page_scores(pages, baseline)
    below = [p.id for p in pages if mine[p.id] < base[p.id] - GUARD_MARGIN]
    return [key for key in below if key not in allowed], [key for key in below if key in allowed]


def read_allow_list(path: Path) -> dict[str, dict[str, str]]:
    """The allow-list; every exception must say why (an empty reason is refused)."""
    if not path.exists():
        return {}
    found = json.loads(path.read_text(encoding="utf-8"))
    unexplained = [
        f"{dataset}/{key}"
        for dataset, items in found.items()
        for key, why in items.items()
        if not why.strip()
    ]
    if unexplained:
        raise SystemExit(f"{path.name}: no reason given for {', '.join(unexplained)}")
    return found


def guard_lines(result: tuple[list[str], list[str]] | None) -> Iterator[str]:
    """The guard's verdict as report lines."""
    if result is None:
        yield f"guard: not checked ({BASELINE} did not run)"
        return
    failing, excused = result
    verdict = "holds" if not failing else f"FAILS on {len(failing)} page(s): {', '.join(failing)}"
    yield (
        f"guard (no page more than {GUARD_MARGIN} F1 below {BASELINE}): {verdict}"
        f" ({len(excused)} excused by the allow-list)"
    )
