"""proxy.bench: dataset layouts, both metrics, the lock-step run, the command line, and the optional
Node row."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from proxy.bench import (
    cache as benchcache,
)
from proxy.bench import meta as benchmeta
from proxy.bench import (
    pages as benchpages,
)
from proxy.bench import (
    quality as bench,
)
from proxy.bench import (
    score as benchscore,
)

ARTICLE = (
    "<html><body><nav><a href='/'>Home</a> <a href='/x'>Menu</a></nav><article>"
    "<p>The harbour board met on Thursday to agree the winter ferry timetable for the island.</p>"
    "<p>Two operators will share the crossings, and fares stay as they are until spring.</p>"
    "</article></body></html>"
)
TRUTH = (
    "The harbour board met on Thursday to agree the winter ferry timetable for the island.\n\n"
    "Two operators will share the crossings, and fares stay as they are until spring."
)


def _page(
    key: str, with_: tuple[str, ...] = (), without: tuple[str, ...] = (), truth: str | None = None
):
    return bench.Page(key, "https://x.example/" + key, Path("unused"), with_, without, truth)


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """A two-page dataset with both layouts, one page gzipped under pages/, one plain under
    html/."""
    (tmp_path / "pages").mkdir()
    (tmp_path / "html").mkdir()
    (tmp_path / "pages" / "a.html.gz").write_bytes(gzip.compress(ARTICLE.encode()))
    (tmp_path / "html" / "b.html").write_text(ARTICLE, encoding="utf-8")
    expectations = {
        key: {
            "url": f"https://x.example/{key}",
            "file": f"{key}.html",
            "with": ["harbour board met on Thursday", "fares stay as they are"],
            "without": ["Home", "Menu"],
        }
        for key in ("a", "b")
    }
    truth = {key: {"url": f"https://x.example/{key}", "articleBody": TRUTH} for key in ("a", "b")}
    (tmp_path / "expectations.json").write_text(json.dumps(expectations), encoding="utf-8")
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return tmp_path


def test_segments_are_pooled_over_pages() -> None:
    pages = [_page("a", ("one two", "three"), ("ad",)), _page("b", ("four",), ("menu", "nav"))]
    scores = benchscore.score_segments(pages, {"a": "one  two\nad", "b": None})
    # a: tp 1 fn 1 fp 1; b (a crash): fn 1, tn 2
    assert (scores.precision, scores.recall) == (0.5, 1 / 3)
    assert scores.f1 == pytest.approx(2 / (2 + 1 + 2))
    assert scores.accuracy == pytest.approx(3 / 6)


def test_shingles_are_multisets_averaged_per_page() -> None:
    truth = "a b c d e"  # shingles: abcd, bcde
    pages = [_page("p", truth=truth), _page("q", truth="x y")]
    scores = benchscore.score_shingles(pages, {"p": "a b c d e a b c d", "q": "x y"})
    # p: predicted abcd, bcde, cdea, deab, eabc, abcd -> tp 2, fp 4, fn 0; q: exact (one short
    # shingle)
    assert scores.precision == pytest.approx((2 / 6 + 1) / 2)
    assert scores.recall == 1.0
    assert scores.accuracy == 0.5


def test_soft_hyphens_are_invisible_to_both_metrics() -> None:
    # the annotators copied some pages with their soft hyphens and others without
    hyphenated, plain = "Mit\u00adtel\u00adal\u00adter und Neu\u00adzeit", "Mittelalter und Neuzeit"
    segments = [_page("s", (hyphenated,), ())]
    assert benchscore.score_segments(segments, {"s": plain}).recall == 1.0
    assert benchscore.score_segments([_page("s", (plain,), ())], {"s": hyphenated}).recall == 1.0
    shingled = [_page("t", truth=f"{plain} im Land der Weine")]
    scores = benchscore.score_shingles(shingled, {"t": f"{hyphenated} im Land der Weine"})
    assert scores.accuracy == 1.0


def test_an_empty_prediction_for_an_empty_truth_is_perfect() -> None:
    scores = benchscore.score_shingles([_page("e", truth="")], {"e": ""})
    assert (scores.precision, scores.recall, scores.accuracy) == (1.0, 1.0, 1.0)


def test_both_layouts_load_and_merge_by_id(dataset: Path) -> None:
    pages = bench.load_dataset(dataset)
    assert [p.id for p in pages] == ["a", "b"]
    assert all(p.with_ and p.truth == TRUTH for p in pages)
    assert bench.read_page(pages[0].path) == ARTICLE.encode()
    assert len(bench.load_dataset(dataset, limit=1)) == 1


def test_readability_js_test_pages_are_read_as_they_are_laid_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The peer project's test/test-pages folder is a dataset as it is: a page per folder, its
    expected article's text the truth, its expected metadata the metadata truth."""
    page = tmp_path / "harbour-1"
    page.mkdir()
    (page / "source.html").write_text(ARTICLE, encoding="utf-8")
    expected = TRUTH.replace("\n\n", "</p><p>")
    (page / "expected.html").write_text(f"<div><p>{expected}</p></div>", encoding="utf-8")
    given = {"title": "Ferry timetable", "byline": "By Ann Lee", "excerpt": "The harbour..."}
    (page / "expected-metadata.json").write_text(json.dumps(given), encoding="utf-8")
    (tmp_path / "not-a-page").mkdir()
    pages = bench.load_dataset(tmp_path)
    assert [(p.id, p.url, p.truth) for p in pages] == [
        ("harbour-1", "http://fakehost/test/page.html", TRUTH)
    ]
    assert benchmeta.read_truth(tmp_path) == {
        "harbour-1": {"title": "Ferry timetable", "author": "By Ann Lee"}
    }
    assert benchmeta.same("author", "By Ann Lee", "Ann Lee")
    assert bench.main([str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "declutter     shingles    1.000   1.000  1.000" in printed
    assert "declutter     published        -" in printed  # not given: not scored


def test_the_command_prints_every_row_and_writes_predictions(
    dataset: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = dataset / "predictions.json"
    code = bench.main(
        [str(dataset), "--out", str(out), "--compare", "readability", "--fail-under", "0.9"]
    )
    printed = capsys.readouterr().out
    assert code == 0
    assert printed.count("declutter     segments") == 1 and "readability   shingles" in printed
    assert printed.count("declutter / readability time, page by page: median ratio") == 1
    assert "peak memory" in printed
    predictions = json.loads(out.read_text(encoding="utf-8"))
    assert predictions["a"]["articleBody"] == TRUTH


def test_lockstep_gives_every_extractor_every_page_in_order(dataset: Path) -> None:
    pages = bench.load_dataset(dataset)
    runs = bench.run_lockstep(["declutter", "readability"], pages)
    assert [run.name for run in runs] == ["declutter", "readability"]
    for run in runs:
        assert list(run.outputs) == ["a", "b"] and len(run.millis) == 2 and run.errors == 0
        assert all(millis > 0 for millis in run.millis) and run.peak_mb > 0
    # each worker ran its own extractor: readability-lxml alone keeps the navigation
    assert "Menu" not in runs[0].outputs["a"] and "Menu" in runs[1].outputs["a"]


def test_each_extractor_goes_first_once_in_as_many_pages_as_there_are_extractors() -> None:
    names = ["declutter", "readability", "trafilatura"]
    orders = [bench.rotated(names, turn) for turn in range(4)]
    assert [order[0] for order in orders] == [
        "declutter",
        "readability",
        "trafilatura",
        "declutter",
    ]
    assert all(sorted(order) == sorted(names) for order in orders)
    assert bench.rotated([], 3) == []


def test_paired_times_take_the_median_of_page_ratios_not_the_ratio_of_medians() -> None:
    # The second page ran while the machine was busy: both extractors slowed down on it.
    ours, theirs = [10.0, 90.0, 12.0], [20.0, 100.0, 6.0]
    ratio, faster = bench.paired_times(ours, theirs)
    assert ratio == pytest.approx(0.9)  # the ratios 0.5, 0.9, 2.0; the medians' ratio would be 0.6
    assert faster == pytest.approx(2 / 3)
    assert bench.paired_times([], []) == (0.0, 0.0)


def test_fail_under_fails_when_the_floor_is_not_met(dataset: Path) -> None:
    assert bench.main([str(dataset), "--fail-under", "1.01"]) == 1


def test_readabilityjs_is_skipped_with_a_note_when_node_packages_are_missing(
    dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(bench.NODE_MODULES_ENV, str(tmp_path / "nowhere"))
    run = bench.run_extractor("readabilityjs", bench.load_dataset(dataset))
    assert run.note.startswith("skipped") and not run.outputs


@pytest.mark.skipif(
    bench._node_modules() is None, reason=f"needs node and ${bench.NODE_MODULES_ENV}"
)
def test_readabilityjs_takes_its_turns_through_its_node_process(dataset: Path) -> None:
    runs = bench.run_lockstep(["declutter", "readabilityjs"], bench.load_dataset(dataset))
    node = runs[1]
    assert not node.note and node.errors == 0 and len(node.millis) == 2 and node.peak_mb > 0
    assert "harbour board met on Thursday" in node.outputs["a"] and "Menu" not in node.outputs["b"]


def test_unknown_extractors_are_refused(dataset: Path) -> None:
    with pytest.raises(SystemExit):
        bench.main([str(dataset), "--compare", "nonesuch"])


@pytest.fixture(autouse=True)
def kept_answers(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Competitors' kept answers in a folder of the test's own, never in the working folder."""
    folder = tmp_path_factory.mktemp("bench-cache")
    monkeypatch.setenv(benchcache.CACHE_ENV, str(folder))
    return folder


def test_competitors_answers_are_kept_and_read_back_declutters_never(
    dataset: Path, kept_answers: Path
) -> None:
    pages = bench.load_dataset(dataset)
    first = bench.run_lockstep(["declutter", "readability"], pages, cached=True)
    kept = list(kept_answers.glob("readability-*/*.json"))
    assert len(kept) == 2 and first[1].cached == 0  # same bytes, different URLs: two answers
    assert not list(kept_answers.glob("declutter*"))
    again = bench.run_lockstep(["declutter", "readability"], pages, cached=True)
    assert again[1].cached == 2 and again[1].peak_mb == 0  # no worker started
    assert again[1].outputs == first[1].outputs and again[1].millis == first[1].millis
    assert again[0].cached == 0 and again[0].peak_mb > 0


def test_a_kept_answer_is_keyed_by_url_and_bytes_and_a_bad_file_is_a_miss(tmp_path: Path) -> None:
    assert benchcache.key(b"x", "https://a.example/") != benchcache.key(b"x", "https://b.example/")
    benchcache.save(tmp_path, "k", ("text", 1.5))
    assert benchcache.load(tmp_path, "k") == ("text", 1.5)
    (tmp_path / "k.json").write_text("{not json", encoding="utf-8")
    assert benchcache.load(tmp_path, "k") is None and benchcache.load(None, "k") is None
    assert benchcache.folder("declutter") is None


def _run(name: str, outputs: dict[str, str]) -> bench.Run:
    return bench.Run(name, outputs=outputs)


def test_page_f1_uses_shingles_with_a_truth_and_segments_without() -> None:
    assert benchscore.page_f1(_page("t", truth=TRUTH), TRUTH) == 1.0
    assert benchscore.page_f1(_page("t", truth=TRUTH), "") == 0.0
    segments = _page("s", ("one", "two"), ("ad",))
    assert benchscore.page_f1(segments, "one ad") == pytest.approx(2 / (2 + 1 + 1))
    assert benchscore.page_f1(_page("e"), "anything") == 1.0


def test_scores_per_page_type_and_the_worst_pages_with_what_was_added_and_dropped() -> None:
    article = bench.Page("a", "https://x.example/a", Path("unused"), truth=TRUTH, kind="article")
    forum = bench.Page(
        "f", "https://x.example/f", Path("unused"), truth="one two three four five", kind="forum"
    )
    menu = "Home Menu Sign in to your account today"
    first = TRUTH.split("\n\n")[0]
    ours = _run("declutter", {"a": first + " " + menu, "f": "one two three four five"})
    theirs = _run("readability", {"a": TRUTH, "f": ""})
    table = "\n".join(benchpages.by_type([article, forum], [ours, theirs]))
    assert "article" in table and "forum" in table and "shingles F1" in table
    lines = list(benchpages.worst([article, forum], [ours, theirs], 1))
    assert "a [article] declutter" in lines[1] and "readability 1.00" in lines[1]
    assert (
        lines[2].endswith(menu)
        and lines[3].endswith(TRUTH.split("\n\n")[1].rstrip("."))
        and len(lines) == 4
    )


def test_halves_split_the_pages_in_two_fixed_sets_and_score_each() -> None:
    pages = [_page(f"p{i}", truth=TRUTH) for i in range(40)]
    right = {p.id: TRUTH for p in pages}
    # Right on every page of one half only: that half scores 1, the other 0.
    half = {p.id for p in pages if benchpages.zlib.crc32(p.id.encode()) % 2 == 0}
    ours = _run("declutter", {k: v if k in half else "" for k, v in right.items()})
    lines = list(benchpages.halves(pages, [ours, _run("readability", right)]))
    assert f"{len(half)} / {40 - len(half)} pages" in lines[0] and 0 < len(half) < 40
    assert lines[1].split()[1:] == ["1.000", "0.000"]
    assert lines[2].split()[1:] == ["1.000", "1.000"]
    assert list(benchpages.halves(pages[:5], [ours])) == []


def test_the_guard_fails_a_page_far_below_readability_unless_the_allow_list_says_why(
    tmp_path: Path,
) -> None:
    pages = [_page("a", truth=TRUTH), _page("b", truth=TRUTH)]
    runs = [_run("declutter", {"a": "", "b": TRUTH}), _run("readability", {"a": TRUTH, "b": ""})]
    allow = tmp_path / "allow.json"
    assert benchpages.guard("set", pages, runs, allow) == (["a"], [])
    allow.write_text(json.dumps({"set": {"a": "the truth is the sidebar, not the article"}}))
    assert benchpages.guard("set", pages, runs, allow) == ([], ["a"])
    allow.write_text(json.dumps({"set": {"a": " "}}))
    with pytest.raises(SystemExit):
        benchpages.guard("set", pages, runs, allow)
    assert benchpages.guard("set", pages, runs[:1], allow) is None


def test_the_command_lists_the_worst_pages_and_fails_the_guard_only_when_asked(
    dataset: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bench.main([str(dataset), "--compare", "readability", "--worst", "2", "--guard"]) == 0
    printed = capsys.readouterr().out
    assert "the 2 pages where declutter loses most" in printed and "guard (" in printed
    assert bench.main([str(dataset), "--guard"]) == 1  # no readability-lxml to guard against


def test_the_committed_allow_list_gives_a_reason_for_every_page_it_excuses() -> None:
    assert benchpages.ALLOW_LIST.exists()
    allowed = benchpages.read_allow_list(benchpages.ALLOW_LIST)
    assert all(isinstance(why, str) for items in allowed.values() for why in items.values())


def test_parser_fixtures_are_read_from_the_package_as_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The peer parser's npm package is a dataset as it is: each site test's fixture, served at the
    URL the test gives, its asserted first words a segment, its title, author and date the
    metadata truth (a field the test does not assert is not scored)."""
    (tmp_path / "fixtures" / "harbour.example").mkdir(parents=True)
    (tmp_path / "fixtures" / "harbour.example" / "1.html").write_text(ARTICLE, encoding="utf-8")
    test = tmp_path / "src" / "extractors" / "custom" / "harbour.example" / "index.test.js"
    test.parent.mkdir(parents=True)
    test.write_text(
        """describe('HarbourExtractor', () => {
      beforeAll(() => {
        url =
          'http://harbour.example/2016/ferries';
        const html = fs.readFileSync(
          './fixtures/harbour.example/1.html'
        );
        result = Mercury.parse(url, html, { fallback: false });
      });
      it('returns the title', async () => {
        assert.equal(title, 'Ferry timetable: the board\\'s winter plan');
        assert.equal(author, null);
        assert.equal(
          first13,
          'The harbour board met on Thursday to agree the winter ferry'
        );
      });
    });""",
        encoding="utf-8",
    )
    pages = bench.load_dataset(tmp_path)
    assert [(p.id, p.url, p.with_) for p in pages] == [
        (
            "harbour.example/1",
            "http://harbour.example/2016/ferries",
            ("The harbour board met on Thursday to agree the winter ferry",),
        )
    ]
    assert benchmeta.read_truth(tmp_path) == {
        "harbour.example/1": {"title": "Ferry timetable: the board's winter plan", "author": None}
    }
    assert bench.main([str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "declutter     segments    1.000   1.000  1.000" in printed
    assert "declutter     published        -" in printed  # not asserted: not scored
