"""Metadata on pages written for it (tests/quality/meta): byline, dates, title, site, language,
excerpt; each page shows one case a reader would check, and what must never be taken."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from proxy.content import pipeline
from proxy.content.meta import jsonld
from proxy.formats import render

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


def test_reader_page_and_text_show_the_last_change_on_another_day() -> None:
    expect = EXPECT["json-ld-author-list"]
    article = pipeline.process((META / "json-ld-author-list.html").read_bytes(), expect["url"])
    page = render.as_html(article)
    assert '<span class="byline">Ana Ruiz, Bo Chen</span>' in page
    assert 'Updated <time datetime="2025-03-05T10:00:00+01:00">5 March 2025</time>' in page
    assert "4 March 2025 · updated 5 March 2025" in render.as_text(article)
    assert json.loads(render.as_json(article))["modified"] == "2025-03-05T10:00:00+01:00"


def test_a_change_on_the_day_of_publication_is_not_shown_twice() -> None:
    expect = EXPECT["email-and-several-in-meta"]
    article = pipeline.process(
        (META / "email-and-several-in-meta.html").read_bytes(), expect["url"]
    )
    same_day = replace(article, modified=article.published)
    assert "Updated" not in render.as_html(same_day) and "updated" not in render.as_text(same_day)
