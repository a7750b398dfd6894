"""Metadata on pages written for it (tests/quality/meta): byline, dates, title, site, language,
excerpt; each page shows one case a reader would check, and what must never be taken."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from proxy import pipeline
from proxy.meta import jsonld

META = Path(__file__).parent / "quality" / "meta"
EXPECT = json.loads((META / "expect.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("slug", sorted(EXPECT))
def test_metadata_of_each_page(slug: str) -> None:
    expect = EXPECT[slug]
    article = pipeline.process((META / f"{slug}.html").read_bytes(), expect["url"])
    got = {field: getattr(article, field) for field in expect if field != "url"}
    assert got == {field: value for field, value in expect.items() if field != "url"}


def test_content_language_that_disagrees_is_settled_by_the_text() -> None:
    page = EXPECT["by-line-in-text"]
    body = (META / "by-line-in-text.html").read_bytes()
    assert pipeline.process(body, page["url"], {"Content-Language": "fr"}).lang == "en"


def test_json_ld_walk_is_bounded() -> None:
    """Values nested far deeper than any page nests are walked without recursion, and cut off."""
    nested: object = "Ana Ruiz"
    for _ in range(5000):
        nested = {"name": nested}
    assert jsonld.names(nested) == []
    assert jsonld.names({"name": {"name": "Ana Ruiz"}}) == ["Ana Ruiz"]
    assert jsonld.url([[["https://a.example/i.png"]]]) == "https://a.example/i.png"
