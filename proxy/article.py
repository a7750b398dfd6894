"""Article: the one value the pipeline produces and every renderer, cache and API reads."""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, fields, replace
from functools import cached_property
from typing import Any

WORDS_PER_MINUTE = 230  # a common adult silent-reading speed for non-fiction
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Article:
    """A cleaned, sanitised article and its metadata (the JSON API's fields but ``cached``)."""

    url: str
    title: str
    content_html: str
    text: str
    canonical_url: str | None = None
    byline: str | None = None
    site_name: str | None = None
    published: str | None = None
    lang: str | None = None
    lead_image: str | None = None
    excerpt: str | None = None
    fetched_at: str | None = None
    stale: bool = False  # served past its freshness because refetching it failed (service.py)
    pages: int = 1  # pages of a multi-page article joined into this one (siterules/pages.py)

    @cached_property
    def word_count(self) -> int:
        """Counted once per value: a hot article is rendered and tagged many times."""
        return len(_WORD.findall(self.text))

    @cached_property
    def _hash(self) -> int:
        return hash(tuple(getattr(self, field.name) for field in fields(self)))

    def __hash__(self) -> int:
        """Hashed once per value: the per-worker memos look a hot article up on every request."""
        return self._hash

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the remembered hash: string hashes differ from one process to another."""
        return {name: value for name, value in self.__dict__.items() if name != "_hash"}

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE)) if self.text else 0

    def with_fetched_at(self, when: str) -> Article:
        return replace(self, fetched_at=when)

    def as_stale(self) -> Article:
        return replace(self, stale=True)

    def to_dict(self) -> dict[str, Any]:
        """The stored and served form, computed fields included."""
        data = asdict(self)
        data["word_count"] = self.word_count
        data["reading_minutes"] = self.reading_minutes
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        names = cls.__dataclass_fields__.keys()
        return cls(**{k: v for k, v in data.items() if k in names})
