"""The metadata benchmark: how values compare, how shares are counted, and the table that
``python -m proxy.bench`` prints when the dataset has a metadata.json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from proxy.bench import meta as benchmeta
from proxy.bench import quality as bench

META = Path(__file__).parent / "quality" / "meta"


@pytest.mark.parametrize(
    ("field", "expected", "got", "same"),
    [
        ("published", "2025-03-04", "2025-03-04T23:30:00-05:00", True),  # the calendar day as given
        ("published", "2025-03-04", "2025-03-05", False),
        ("published", "2016-12-22T00:05:23.000Z", "2016-12-21T19:05:23-05:00", True),  # one instant
        ("published", "2016-12-22T00:05:23.000Z", "2016-12-21", False),  # a day has no zone
        (
            "author",
            "Danielle DeSiato, Donna Enzmann, and Natalie Nguyen",
            "natalie nguyen; Danielle DeSiato & Donna Enzmann",
            True,
        ),  # case and order ignored
        ("author", "Ana Ruiz", "Ana Ruiz, Bo Chen", False),
        ("title", "Two  reporters,\none story", "Two reporters, one story", True),
        ("title", "Two reporters", "Two reporters | Daily", False),
        (
            "title",
            "Here's a \u201cnew\u201d rule - again",
            "Here\u2019s a \u201cnew\u201d rule \u2014 again",
            True,
        ),
    ],
)
def test_values_are_compared_as_the_issue_says(field, expected, got, same) -> None:
    assert benchmeta.same(field, expected, got) is same


def test_right_wrong_missing_and_invented_are_counted_apart() -> None:
    truth = {
        "a": {"author": "Ana"},
        "b": {"author": "Bo"},
        "c": {"author": "Cy"},
        "d": {"author": None},
        "e": {"author": ""},
    }
    found = {"a": {"author": "ana"}, "b": {"author": "Bob"}, "c": {}, "d": {"author": "X"}, "e": {}}
    assert benchmeta.score(truth, found, "author") == {
        "right": 1,
        "wrong": 1,
        "missing": 1,
        "invented": 1,
        "known": 3,
        "null": 2,
    }


def test_the_bench_prints_the_metadata_table_for_a_dataset_with_metadata(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expect = json.loads((META / "expect.json").read_text(encoding="utf-8"))
    (tmp_path / "html").mkdir()
    truth, metadata = {}, {}
    for slug in ("json-ld-author-list", "handle-and-publisher-rejected"):
        shutil.copy(META / f"{slug}.html", tmp_path / "html" / f"{slug}.html")
        truth[slug] = {"url": expect[slug]["url"], "articleBody": "Paragraph 0 of the story"}
        metadata[slug] = {
            "title": expect[slug]["title"],
            "author": expect[slug]["byline"],
            "published": expect[slug].get("published"),
        }
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    (tmp_path / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    assert bench.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "metadata, 2 pages" in out
    assert "declutter     author      100.0%   0.0%     0.0%      0.0%" in out
    assert "trafilatura   title" in out and "readability   title" in out
    assert "declutter metadata step: median" in out
