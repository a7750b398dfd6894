"""Competitors' answers kept on disk, so that a benchmark run after a change to Declutter runs
Declutter alone: readability-lxml and trafilatura give the same text for the same bytes and URL
until their version changes.

An answer (the text, or None for a crash, and the CPU milliseconds it took) is a small JSON file
under ``.cache/bench/<extractor>-<version>/`` in the working folder (git-ignored), named by the
SHA-256 of the page's URL and bytes. Declutter's own answers are never kept (they are what changes),
nor those of extractors whose version is not known (readabilityjs runs under Node). A time read
back from the cache was measured in an earlier run, not beside Declutter's: ``--fresh`` runs every
extractor again for a timing run.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

# Where answers are kept, relative to the working folder (the repository's .gitignore holds it),
# unless this environment variable names another folder.
CACHE_DIR = Path(".cache") / "bench"
CACHE_ENV = "DECLUTTER_BENCH_CACHE"
# The distribution whose version keys each cacheable extractor's answers.
DISTRIBUTIONS = {"readability": "readability-lxml", "trafilatura": "trafilatura"}

Answer = tuple[str | None, float]


def folder(name: str) -> Path | None:
    """The folder of ``name``'s answers for its installed version; None when not cacheable."""
    distribution = DISTRIBUTIONS.get(name)
    if distribution is None:
        return None
    root = Path(os.environ.get(CACHE_ENV) or CACHE_DIR)
    try:
        return root / f"{name}-{metadata.version(distribution)}"
    except metadata.PackageNotFoundError:
        return None


def key(body: bytes, url: str) -> str:
    """The name of a page's answer: its URL and bytes hashed."""
    return hashlib.sha256(url.encode() + b"\0" + body).hexdigest()


def load(where: Path | None, page_key: str) -> Answer | None:
    """A kept answer, or None when there is none (or it cannot be read)."""
    if where is None:
        return None
    try:
        kept = json.loads((where / f"{page_key}.json").read_text(encoding="utf-8"))
        return kept["text"], float(kept["ms"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(where: Path | None, page_key: str, answer: Answer) -> None:
    """Keep an answer (written whole, then renamed, so a stopped run leaves no half file)."""
    if where is None:
        return
    where.mkdir(parents=True, exist_ok=True)
    part = where / f"{page_key}.part"
    part.write_text(json.dumps({"text": answer[0], "ms": answer[1]}), encoding="utf-8")
    part.replace(where / f"{page_key}.json")
