"""The quality benchmark: Declutter and other extractors on the same saved pages, in the same run.

Usage::

    python -m proxy.bench DATASET [--out PREDICTIONS.json]
                                  [--compare readability,trafilatura,readabilityjs]
                                  [--limit N] [--fail-under F1] [--worst N] [--guard] [--fresh]

DATASET is a directory with ``expectations.json`` (segments that must or must not appear; pooled
precision, recall, F1, accuracy) and/or ``ground-truth.json`` (the article text; 4-token shingle
precision and recall averaged per page, accuracy = share of pages whose tokens match exactly), or
Readability.js's ``test/test-pages`` folder as it is (``testpages``). Every extractor gets the same
bytes and URL and decodes them itself; the text scored is the article's plain text, as
``Article.text`` (the metrics live in ``benchscore``). No network, no Redis.

The extractors run in lock-step, because the machine is shared. Run one after the other, whichever
ran while the machine was busy looked slower: CPU time still grows under contention (caches, clock
frequency, hyperthreads), and trafilatura's median moved from 30.7 to 39.8 ms between two runs
with no change to it. So each extractor lives in a spawned worker process of its own (a fresh
interpreter, so its peak memory, ru_maxrss, is its own), and the driver hands page 1 to each worker
in turn, then page 2, and so on: one worker works at a time, the others wait, and a different
extractor goes first on each page, so whatever load the machine has falls on all of them alike.
A time is the CPU time the worker measures around the extract call (readabilityjs: the wall time of
each round trip to the worker's Node process). Beside each median, the report gives Declutter's time
divided by each competitor's, page by page, and the median of those ratios: a paired comparison,
which load common to both turns on a page cancels out of, where two medians each carry their own
noise.

Competitors' answers are kept on disk (``benchcache``), so a run after a change to Declutter runs
Declutter alone; ``--fresh`` runs them all again, for times taken side by side. Page by page
(``benchpages``): scores per page type, ``--worst N`` pages with the text added and dropped, and
the guard (``--guard``): no page more than 0.2 F1 below readability-lxml unless excused.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TypeVar

from proxy.bench import cache as benchcache
from proxy.bench import meta as benchmeta
from proxy.bench import pages as benchpages
from proxy.bench import parserfixtures, testpages
from proxy.bench.score import metrics

T = TypeVar("T")

# Where the Node packages for the readabilityjs row live (npm install @mozilla/readability jsdom).
NODE_MODULES_ENV = "DECLUTTER_BENCH_NODE_MODULES"
DEFAULT_NODE_MODULES = Path(__file__).resolve().parents[2] / ".tools" / "bench" / "node_modules"
# Mozilla Readability.js under jsdom: one JSON line in ({html: base64 bytes, url}), one out.
# jsdom sniffs the charset of the bytes as a browser would (BOM, <meta>, windows-1252).
READABILITY_JS = r"""
const {JSDOM, VirtualConsole} = require("jsdom");
const {Readability} = require("@mozilla/readability");
const rl = require("readline").createInterface({input: process.stdin});
rl.on("line", (line) => {
  const job = JSON.parse(line);
  let out = {html: null};
  try {
    const dom = new JSDOM(Buffer.from(job.html, "base64"), {
      url: job.url, contentType: "text/html", virtualConsole: new VirtualConsole(),
    });
    const article = new Readability(dom.window.document).parse();
    out.html = article ? article.content : "";
    dom.window.close();
  } catch (e) { out.error = String(e); }
  process.stdout.write(JSON.stringify(out) + "\n");
});
"""


@dataclass(frozen=True)
class Page:
    """One saved page and what is expected of its extraction."""

    id: str
    url: str
    path: Path
    with_: tuple[str, ...] = ()
    without: tuple[str, ...] = ()
    truth: str | None = None
    kind: str | None = None


@dataclass
class Run:
    """One extractor's outputs (None where it failed), times in page order, peak memory, or why
    it did not run."""

    name: str
    outputs: dict[str, str | None] = field(default_factory=dict)
    millis: list[float] = field(default_factory=list)
    errors: int = 0
    peak_mb: float = 0.0
    note: str = ""
    cached: int = 0


# --- the dataset -------------------------------------------------------------------------------


def load_dataset(folder: Path, limit: int | None = None) -> list[Page]:
    """Pages from expectations.json and/or ground-truth.json, merged by id, sorted, first
    ``limit``; or Readability.js's test pages (``testpages``) when the folder is laid out so."""
    if not (folder / "ground-truth.json").exists() and testpages.is_layout(folder):
        return testpages.pages(folder)[:limit]
    if parserfixtures.is_layout(folder):
        return parserfixtures.pages(folder)[:limit]
    pages: dict[str, Page] = {}
    expectations, truth = (
        _read_json(folder / "expectations.json"),
        _read_json(folder / "ground-truth.json"),
    )
    for key, item in expectations.items():
        pages[key] = Page(
            key,
            item["url"],
            _page_path(folder, key, item.get("file")),
            tuple(item.get("with", ())),
            tuple(item.get("without", ())),
        )
    for key, item in truth.items():
        base = pages.get(key) or Page(key, item["url"], _page_path(folder, key, None))
        pages[key] = Page(**{**base.__dict__, "truth": item["articleBody"]})
    for key, item in _read_json(folder / "metadata.json").items():
        if key in pages and item.get("type"):
            pages[key] = Page(**{**pages[key].__dict__, "kind": item["type"]})
    if not pages:
        raise SystemExit(f"{folder}: no expectations.json or ground-truth.json")
    return [pages[key] for key in sorted(pages)][:limit]


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _page_path(folder: Path, key: str, file: str | None) -> Path:
    names = [n for n in (file, f"{key}.html") if n]
    for sub in ("pages", "html"):
        for name in names:
            for candidate in (folder / sub / name, folder / sub / f"{name}.gz"):
                if candidate.exists():
                    return candidate
    raise SystemExit(f"{folder}: no page file for {key!r}")


def read_page(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


# --- the extractors ----------------------------------------------------------------------------

# An extractor: a page's bytes and URL in, the article's plain text out. Each is built by a context
# manager, so that one holding a process (readabilityjs) ends it when its worker stops.
Extract = Callable[[bytes, str], str]


@contextmanager
def _declutter() -> Iterator[Extract]:
    from proxy import errors
    from proxy.content import pipeline

    def run(body: bytes, url: str) -> str:
        try:
            return pipeline.process(body, url).text
        except errors.NoArticle:
            return ""

    yield run


@contextmanager
def _readability() -> Iterator[Extract]:
    from readability import Document

    from proxy.content.text import to_text

    yield lambda body, url: to_text(Document(body, url=url).summary(html_partial=True))


@contextmanager
def _trafilatura() -> Iterator[Extract]:
    import trafilatura  # the bench extra; comments excluded, as the article text is what is scored

    yield lambda body, url: trafilatura.extract(body, url=url, include_comments=False) or ""


@contextmanager
def _readabilityjs() -> Iterator[Extract]:
    """Readability.js in one Node process for the whole run, one JSON line each way per page."""
    from proxy.content.text import to_text

    env = {**os.environ, "NODE_PATH": str(_node_modules())}
    with subprocess.Popen(
        ["node", "-e", READABILITY_JS],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    ) as node:
        ask, hear = node.stdin, node.stdout
        assert ask is not None and hear is not None  # both piped above

        def run(body: bytes, url: str) -> str:
            job = {"html": base64.b64encode(body).decode(), "url": url}
            ask.write(json.dumps(job) + "\n")
            ask.flush()
            answer = json.loads(hear.readline())
            if answer["html"] is None:
                raise RuntimeError(answer.get("error"))
            return to_text(answer["html"])

        yield run


EXTRACTORS: dict[str, Callable[[], AbstractContextManager[Extract]]] = {
    "declutter": _declutter,
    "readability": _readability,
    "trafilatura": _trafilatura,
    "readabilityjs": _readabilityjs,
}
# Extractors whose work runs in a child of their worker (Node): timed by the wall clock, which sees
# the child's work where the worker's CPU time would not, and measured by the child's peak memory.
OUT_OF_PROCESS = frozenset({"readabilityjs"})


def _node_modules() -> Path | None:
    folder = Path(os.environ.get(NODE_MODULES_ENV) or DEFAULT_NODE_MODULES)
    found = (
        shutil.which("node")
        and (folder / "@mozilla" / "readability").is_dir()
        and (folder / "jsdom").is_dir()
    )
    return folder if found else None


def _unavailable(name: str) -> str:
    """Why ``name`` cannot run on this machine, or "" when it can."""
    if name == "readabilityjs" and _node_modules() is None:
        return f"skipped: needs node and @mozilla/readability + jsdom in ${NODE_MODULES_ENV}"
    return ""


# --- the workers -------------------------------------------------------------------------------


def _work(name: str, conn: Connection) -> None:
    """A worker's life: answer each page with (text or None, ms), then None with its peak MB."""
    clock = time.perf_counter if name in OUT_OF_PROCESS else time.process_time
    with EXTRACTORS[name]() as extract:
        while (page := conn.recv()) is not None:
            body = read_page(page.path)
            start = clock()
            try:
                text = extract(body, page.url)
            except Exception:  # a crash is scored as an empty output and counted
                text = None
            conn.send((text, (clock() - start) * 1000))
    who = resource.RUSAGE_CHILDREN if name in OUT_OF_PROCESS else resource.RUSAGE_SELF
    conn.send(resource.getrusage(who).ru_maxrss / 1024)


class Worker:
    """The driver's end of one extractor's worker process, recording its answers in a Run.

    The process starts at the first page whose answer is not in the cache (``benchcache``): a run
    whose answers are all kept starts none."""

    def __init__(self, run: Run, cache: Path | None = None) -> None:
        self.run, self._cache = run, cache
        self._conn: Connection | None = None

    def _start(self) -> Connection:
        # spawn, not fork: a fresh interpreter, so the peak memory is the extractor's (Linux keeps
        # ru_maxrss across exec, so the driver's own, about 35 MB, is a floor that all exceed)
        context = multiprocessing.get_context("spawn")
        self._conn, theirs = context.Pipe()
        self._process = context.Process(target=_work, args=(self.run.name, theirs), daemon=True)
        self._process.start()
        theirs.close()
        return self._conn

    def extract(self, page: Page, page_key: str) -> None:
        """Hand the worker one page and wait for its answer: while it works, no other one does."""
        answer = benchcache.load(self._cache, page_key)
        if answer is None:
            conn = self._conn or self._start()
            conn.send(page)
            answer = conn.recv()
            benchcache.save(self._cache, page_key, answer)
        else:
            self.run.cached += 1
        text, millis = answer
        self.run.outputs[page.id] = text
        self.run.millis.append(millis)
        self.run.errors += text is None

    def stop(self) -> None:
        """End the worker and keep its peak memory."""
        if self._conn is not None:
            self._conn.send(None)
            self.run.peak_mb = self._conn.recv()
            self._process.join()


def run_lockstep(names: list[str], pages: list[Page], cached: bool = False) -> list[Run]:
    """Every extractor over every page, page by page: one worker at a time, first turn rotating.

    With ``cached``, competitors' answers kept from earlier runs are used (see ``benchcache``)."""
    runs = [Run(name, note=_unavailable(name)) for name in names]
    workers = [
        Worker(run, benchcache.folder(run.name) if cached else None) for run in runs if not run.note
    ]
    for turn, page in enumerate(pages):
        page_key = benchcache.key(read_page(page.path), page.url) if cached else ""
        for worker in rotated(workers, turn):
            worker.extract(page, page_key)
    for worker in workers:
        worker.stop()
    return runs


def run_extractor(name: str, pages: list[Page]) -> Run:
    """One extractor over every page, alone, in a worker of its own."""
    return run_lockstep([name], pages)[0]


def rotated(items: list[T], turn: int) -> list[T]:
    """``items`` starting from position ``turn``, wrapping round, so each goes first in turn."""
    start = turn % len(items) if items else 0
    return items[start:] + items[:start]


# --- the command -------------------------------------------------------------------------------


def benchmark(
    folder: Path, names: list[str], limit: int | None = None, cached: bool = False
) -> tuple[list[Page], list[Run]]:
    """Load the dataset and run the extractors over it in lock-step."""
    pages = load_dataset(folder, limit)
    return pages, run_lockstep(names, pages, cached)


def report(pages: list[Page], runs: list[Run]) -> Iterator[str]:
    """The table (a row per extractor and metric family), Declutter's paired times, peak memory."""
    yield f"{len(pages)} pages"
    yield (
        f"{'extractor':<14}{'metric':<10}{'prec':>7}{'recall':>8}{'F1':>7}{'acc':>7}"
        f"{'med ms':>8}{'p90 ms':>8}{'errors':>7}"
    )
    for run in runs:
        if run.note:
            yield f"{run.name:<14}{run.note}"
            continue
        for label, score in metrics(pages):
            s = score(pages, run.outputs)
            yield (
                f"{run.name:<14}{label:<10}{s.precision:>7.3f}{s.recall:>8.3f}{s.f1:>7.3f}"
                f"{s.accuracy:>7.3f}{_percentile(run.millis, 50):>8.1f}"
                f"{_percentile(run.millis, 90):>8.1f}{run.errors:>7}"
            )
    yield from benchpages.by_type(pages, runs)
    yield from benchpages.halves(pages, runs)
    cached = [f"{run.name} {run.cached}" for run in runs if run.cached]
    if cached:
        yield (
            f"answers read from the cache ({', '.join(cached)} pages): their times and peak "
            f"memory are an earlier run's; --fresh runs every extractor again"
        )
    yield (
        "ms: CPU time inside each extractor's worker, the workers run in lock-step (page by "
        "page, one at a time, first turn rotating) so load on the machine falls on all alike "
        "(readabilityjs: wall time of each round trip to its Node process)"
    )
    ours = runs[0]
    for run in runs[1:]:
        if not run.note:
            ratio, faster = paired_times(ours.millis, run.millis)
            yield (
                f"{ours.name} / {run.name} time, page by page: median ratio {ratio:.2f}, "
                f"{ours.name} faster on {faster:.0%} of pages"
            )
    yield (
        "peak memory (ru_maxrss of each extractor's own worker; readabilityjs: its Node "
        "process): " + ", ".join(f"{run.name} {run.peak_mb:.0f} MB" for run in runs if not run.note)
    )


def paired_times(ours: list[float], theirs: list[float]) -> tuple[float, float]:
    """The median over pages of our time divided by theirs, and the share of pages ours is lower."""
    ratios = [a / b for a, b in zip(ours, theirs, strict=True) if b]
    faster = sum(ratio < 1 for ratio in ratios) / len(ratios) if ratios else 0.0
    return _percentile(ratios, 50), faster


def _percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))] if ordered else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m proxy.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--out", type=Path, help="write Declutter's texts as {id: {articleBody}}")
    parser.add_argument(
        "--compare", default="", help="comma-separated: readability,trafilatura,readabilityjs"
    )
    parser.add_argument("--limit", type=int, help="only the first N pages (by id)")
    parser.add_argument("--fail-under", type=float, help="exit 1 when Declutter's F1 is below this")
    parser.add_argument(
        "--worst",
        type=int,
        default=0,
        metavar="N",
        help="the N pages where Declutter loses most, with what it added, dropped",
    )
    parser.add_argument(
        "--guard",
        action="store_true",
        help="exit 1 when a page is over 0.2 F1 below readability-lxml",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="run every extractor, not competitors' kept answers"
    )
    parser.add_argument(
        "--site-rules", type=Path, help="then compare with and without these site rules"
    )
    args = parser.parse_args(argv)
    names = ["declutter"] + [n for n in args.compare.split(",") if n and n != "declutter"]
    unknown = [n for n in names if n not in EXTRACTORS]
    if unknown:
        parser.error(f"unknown extractor(s): {', '.join(unknown)}")
    pages, runs = benchmark(args.dataset, names, args.limit, cached=not args.fresh)
    for line in report(pages, runs):
        print(line)
    for line in benchpages.worst(pages, runs, args.worst) if args.worst else ():
        print(line)
    verdict = benchpages.guard(args.dataset.resolve().name, pages, runs)
    for line in benchpages.guard_lines(verdict):
        print(line)
    for line in benchmeta.report(args.dataset, pages):
        print(line)
    if args.site_rules:  # proxy/bench/siterules.py: the same pages with and without the rules
        from proxy.bench import siterules as rules_bench

        limit = ["--limit", str(args.limit)] if args.limit else []
        rules_bench.main([str(args.site_rules), str(args.dataset), *limit])
    if args.out:
        texts = {key: {"articleBody": text or ""} for key, text in runs[0].outputs.items()}
        args.out.write_text(json.dumps(texts, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.guard and (verdict is None or verdict[0]):
        return 1
    return 1 if args.fail_under is not None and lowest_f1(pages, runs[0]) < args.fail_under else 0


def lowest_f1(pages: list[Page], run: Run) -> float:
    """Declutter's weakest F1 over the metric families the dataset has."""
    return min(score(pages, run.outputs).f1 for _, score in metrics(pages))


if __name__ == "__main__":
    sys.exit(main())
