"""The benchmark's metrics, as issue 3 defines them; ``proxy.bench`` runs the extractors.

- segments (``expectations.json``): a ``with`` segment found in the output is a true positive,
  missed a false negative; a ``without`` segment found is a false positive, absent a true negative;
  counts pooled over all pages. Whitespace is normalised on both sides; matching is case-sensitive.
- On both metrics soft hyphens (U+00AD) are left out on both sides: they are invisible, and the
  annotators' copies keep them on some pages and not on others (boilerplate-990).
- shingles (``ground-truth.json``): tokens are ``\\w+`` (Unicode), 4-token shingles counted as
  multisets; precision and recall per page (1 when nothing is missing or extra), averaged over
  pages; F1 from the two means; accuracy = share of pages whose token lists are equal.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # bench imports this module; the type is only needed for annotations
    from proxy.bench.quality import Page

# Tokens for the shingle metric (Unicode word characters) and the shingle length.
TOKEN = re.compile(r"\w+")
SHINGLE = 4
_SPACE = re.compile(r"\s+")
_SOFT_HYPHEN = "\u00ad"


@dataclass(frozen=True)
class Scores:
    """One extractor's scores on one metric family."""

    precision: float
    recall: float
    f1: float
    accuracy: float


def normalise(text: str) -> str:
    """Every run of whitespace becomes one space, soft hyphens go; the ends are stripped."""
    return _SPACE.sub(" ", text.replace(_SOFT_HYPHEN, "")).strip()


def tokens(text: str) -> list[str]:
    """The shingle metric's tokens: words, soft hyphens left out (they would split words)."""
    return TOKEN.findall(text.replace(_SOFT_HYPHEN, ""))


def score_segments(pages: list[Page], outputs: dict[str, str | None]) -> Scores:
    """Pooled over all segments: a ``with`` found is a TP, a ``without`` found an FP."""
    tp = fp = fn = tn = 0
    for page in pages:
        text = normalise(outputs.get(page.id) or "")
        found = [normalise(s) in text for s in page.with_]
        leaked = [normalise(s) in text for s in page.without]
        tp, fn = tp + sum(found), fn + found.count(False)
        fp, tn = fp + sum(leaked), tn + leaked.count(False)
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return Scores(
        precision, recall, _ratio(2 * tp, 2 * tp + fp + fn), _ratio(tp + tn, tp + fp + fn + tn)
    )


def score_shingles(pages: list[Page], outputs: dict[str, str | None]) -> Scores:
    """Per page 4-token shingle precision and recall, averaged; F1 from the two means."""
    precisions, recalls, equal = [], [], 0
    for page in pages:
        truth, got = tokens(page.truth or ""), tokens(outputs.get(page.id) or "")
        want, have = shingles(truth), shingles(got)
        tp = sum((want & have).values())
        fp, fn = sum(have.values()) - tp, sum(want.values()) - tp
        precisions.append(1.0 if fp == fn == 0 else _ratio(tp, tp + fp))
        recalls.append(1.0 if fp == fn == 0 else _ratio(tp, tp + fn))
        equal += truth == got
    precision, recall = statistics.fmean(precisions), statistics.fmean(recalls)
    return Scores(
        precision, recall, _ratio(2 * precision * recall, precision + recall), equal / len(pages)
    )


def shingles(tokens: list[str]) -> Counter[tuple[str, ...]]:
    """4-token shingles as a multiset; a text shorter than 4 tokens is one shingle."""
    if len(tokens) < SHINGLE:
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def page_f1(page: Page, text: str | None) -> float:
    """One page's F1: its shingles where it has the article text, else its segments (1 when
    nothing is expected, missing or extra)."""
    if page.truth is not None:
        want, have = shingles(tokens(page.truth)), shingles(tokens(text or ""))
        tp = sum((want & have).values())
        fp, fn = sum(have.values()) - tp, sum(want.values()) - tp
    else:
        flat = normalise(text or "")
        tp = sum(normalise(s) in flat for s in page.with_)
        fp, fn = sum(normalise(s) in flat for s in page.without), len(page.with_) - tp
    return 1.0 if fp == fn == 0 else _ratio(2 * tp, 2 * tp + fp + fn)


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def metrics(
    pages: list[Page],
) -> list[tuple[str, Callable[[list[Page], dict[str, str | None]], Scores]]]:
    """The metric families the dataset supports: segments, shingles or both."""
    found: list[tuple[str, Callable[[list[Page], dict[str, str | None]], Scores]]] = []
    if any(p.with_ or p.without for p in pages):
        found.append(("segments", score_segments))
    if any(p.truth is not None for p in pages):
        found.append(("shingles", score_shingles))
    return found
