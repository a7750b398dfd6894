"""The with/without-rules benchmark on a dataset of two pages written for it: one a rule helps,
one it harms (listed as worse)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from proxy.bench import quality as bench
from proxy.bench import siterules as rules_bench

PROSE = "The night train left the city at nine and crossed three borders before dawn. " * 4
NOTE = "The conductor kept a diary of every crossing."


def _page(note: str) -> str:
    return (
        f"<html><head><title>Trains</title></head><body><article><p>{PROSE}</p>"
        f"<p class='k'>{note}</p></article></body></html>"
    )


@pytest.fixture
def dataset(tmp_path: Path) -> tuple[Path, Path]:
    """Pages ``helped`` (the stripped note is boilerplate) and ``harmed`` (it is the article's)."""
    (tmp_path / "pages").mkdir()
    expectations = {
        "helped": {"url": "https://news.example/a", "with": [PROSE[:40]], "without": [NOTE]},
        "harmed": {"url": "https://www.news.example/b", "with": [PROSE[:40], NOTE]},
        "other": {"url": "https://elsewhere.example/c", "with": [PROSE[:40]]},
    }
    for key in expectations:
        (tmp_path / "pages" / f"{key}.html").write_text(_page(NOTE))
    (tmp_path / "expectations.json").write_text(json.dumps(expectations))
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "news.example.txt").write_text("strip: //p[@class='k']\n")
    return tmp_path, rules


def test_report_counts_rule_pages_and_lists_the_worse(dataset, capsys) -> None:
    folder, rules = dataset
    assert rules_bench.main([str(rules), str(folder)]) == 0
    out = capsys.readouterr().out
    assert "3 pages, 2 with a rule file of their own" in out
    assert "segments F1 on own-rule pages: without 0.8571  with 0.8000" in out
    assert "worse: harmed (www.news.example, news.example.txt) 1.000 -> 0.667" in out
    assert "worse: helped" not in out and "paired median ratio" in out


def test_bench_option_runs_the_comparison(dataset, capsys) -> None:
    folder, rules = dataset
    assert bench.main([str(folder), "--site-rules", str(rules)]) == 0
    assert "2 with a rule file of their own" in capsys.readouterr().out
