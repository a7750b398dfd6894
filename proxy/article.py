"""Article: the one value the pipeline produces and every renderer, cache and API reads.

Its text and its Markdown are made once, by the pipeline, and kept with it (stored in the cache
too), so serving an article in any format costs no conversion, however often it is read.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field, fields, replace
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
    feed_url: str | None = None  # the site's feed, as the page declares it (the reader links it)
    stale: bool = False  # served past its freshness because refetching it failed (service.py)
    modified: str | None = None  # last change the page declares (last: the JSON's order holds)
    # The body as Markdown (markdown_body.py): stored, not served as a field; None when stored by an
    # older release, then rendered on demand.
    markdown: str | None = field(default=None, repr=False)
    pages: int = 1  # pages of a multi-page article joined into this one (content/pages.py)
    native_ad: bool = False  # the site's rule (native_ad_clue) marks the page as paid content

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
        """The served form (the JSON API's fields), computed fields included."""
        data = asdict(self)
        del data["markdown"]
        data["word_count"] = self.word_count
        data["reading_minutes"] = self.reading_minutes
        return data

    def stored(self) -> dict[str, Any]:
        """The stored form: the served one and the Markdown made once (read back by from_dict)."""
        return {**self.to_dict(), "markdown": self.markdown}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        names = cls.__dataclass_fields__.keys()
        return cls(**{k: v for k, v in data.items() if k in names})
