"""The quality benchmark: Declutter and other extractors on the same saved pages, in the same run.

Usage::

    python -m proxy.bench DATASET [--out PREDICTIONS.json] [--compare readability,trafilatura,readabilityjs]
                                  [--limit N] [--fail-under F1]

DATASET is a directory with ``expectations.json`` (segments that must or must not appear; pooled
precision, recall, F1, accuracy) and/or ``ground-truth.json`` (the article text; 4-token shingle
precision and recall averaged per page, accuracy = share of pages whose tokens match exactly).
Every extractor gets the same bytes and URL and decodes them itself; the text scored is the
article's plain text, as ``Article.text`` (the metrics live in ``benchscore``). Each extractor
runs in a fresh process of its own, one after the other, so its peak memory (ru_maxrss) and
its CPU time per page are its own, whatever else the machine is doing. No network, no Redis.
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
from dataclasses import dataclass, field
from pathlib import Path

from .benchscore import metrics

# Where the Node packages for the readabilityjs row live (npm install @mozilla/readability jsdom).
NODE_MODULES_ENV = "DECLUTTER_BENCH_NODE_MODULES"
DEFAULT_NODE_MODULES = Path(__file__).resolve().parent.parent / ".tools" / "bench" / "node_modules"
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
    const dom = new JSDOM(Buffer.from(job.html, "base64"),
                          {url: job.url, contentType: "text/html", virtualConsole: new VirtualConsole()});
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


@dataclass
class Run:
    """One extractor's outputs (None where it failed), per-page times and peak memory."""

    name: str
    outputs: dict[str, str | None] = field(default_factory=dict)
    millis: list[float] = field(default_factory=list)
    errors: int = 0
    peak_mb: float = 0.0
    note: str = ""


# --- the dataset -------------------------------------------------------------------------------


def load_dataset(folder: Path, limit: int | None = None) -> list[Page]:
    """Pages from expectations.json and/or ground-truth.json, merged by id, sorted, first ``limit``."""
    pages: dict[str, Page] = {}
    expectations, truth = _read_json(folder / "expectations.json"), _read_json(folder / "ground-truth.json")
    for key, item in expectations.items():
        pages[key] = Page(key, item["url"], _page_path(folder, key, item.get("file")),
                          tuple(item.get("with", ())), tuple(item.get("without", ())))
    for key, item in truth.items():
        base = pages.get(key) or Page(key, item["url"], _page_path(folder, key, None))
        pages[key] = Page(**{**base.__dict__, "truth": item["articleBody"]})
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


def _declutter() -> Callable[[bytes, str], str]:
    from . import errors, pipeline

    def run(body: bytes, url: str) -> str:
        try:
            return pipeline.process(body, url).text
        except errors.NoArticle:
            return ""
    return run


def _readability() -> Callable[[bytes, str], str]:
    from readability import Document

    from .text import to_text
    return lambda body, url: to_text(Document(body, url=url).summary(html_partial=True))


def _trafilatura() -> Callable[[bytes, str], str]:
    import trafilatura  # the bench extra; comments excluded, as the article text is what is scored

    return lambda body, url: trafilatura.extract(body, url=url, include_comments=False) or ""


EXTRACTORS: dict[str, Callable[[], Callable[[bytes, str], str]]] = {
    "declutter": _declutter, "readability": _readability, "trafilatura": _trafilatura,
}


def run_extractor(name: str, pages: list[Page]) -> Run:
    """Run one extractor over every page (call it in a fresh process for a fair peak memory)."""
    if name == "readabilityjs":
        return _run_node(pages)
    extract, run = EXTRACTORS[name](), Run(name)
    for page in pages:
        body = read_page(page.path)
        start = time.process_time()
        try:
            run.outputs[page.id] = extract(body, page.url)
        except Exception:  # a crash is scored as an empty output and counted
            run.outputs[page.id], run.errors = None, run.errors + 1
        run.millis.append((time.process_time() - start) * 1000)
    run.peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return run


def _node_modules() -> Path | None:
    folder = Path(os.environ.get(NODE_MODULES_ENV) or DEFAULT_NODE_MODULES)
    found = shutil.which("node") and (folder / "@mozilla" / "readability").is_dir() \
        and (folder / "jsdom").is_dir()
    return folder if found else None


def _run_node(pages: list[Page]) -> Run:
    from .text import to_text
    run, modules = Run("readabilityjs"), _node_modules()
    if modules is None:
        run.note = f"skipped: needs node and @mozilla/readability + jsdom in ${NODE_MODULES_ENV}"
        return run
    env = {**os.environ, "NODE_PATH": str(modules)}
    with subprocess.Popen(["node", "-e", READABILITY_JS], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          text=True, env=env) as node:
        for page in pages:
            job = {"html": base64.b64encode(read_page(page.path)).decode(), "url": page.url}
            start = time.perf_counter()
            node.stdin.write(json.dumps(job) + "\n")
            node.stdin.flush()
            answer = json.loads(node.stdout.readline())
            text = to_text(answer["html"]) if answer.get("html") is not None else None
            run.millis.append((time.perf_counter() - start) * 1000)
            run.outputs[page.id], run.errors = text, run.errors + (text is None)
        node.stdin.close()
    run.peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return run


# --- the command -------------------------------------------------------------------------------


def benchmark(folder: Path, names: list[str], limit: int | None = None) -> tuple[list[Page], list[Run]]:
    """Load the dataset and run each extractor in a fresh process, one after the other."""
    pages = load_dataset(folder, limit)
    context = multiprocessing.get_context("spawn")
    runs = []
    for name in names:
        with context.Pool(1) as pool:
            runs.append(pool.apply(run_extractor, (name, pages)))
    return pages, runs


def report(pages: list[Page], runs: list[Run]) -> Iterator[str]:
    """The table: one row per extractor and metric family, then the peak memory of each."""
    yield f"{len(pages)} pages"
    yield f"{'extractor':<14}{'metric':<10}{'prec':>7}{'recall':>8}{'F1':>7}{'acc':>7}" \
          f"{'med ms':>8}{'p90 ms':>8}{'errors':>7}"
    for run in runs:
        if run.note:
            yield f"{run.name:<14}{run.note}"
            continue
        for label, score in metrics(pages):
            s = score(pages, run.outputs)
            yield f"{run.name:<14}{label:<10}{s.precision:>7.3f}{s.recall:>8.3f}{s.f1:>7.3f}" \
                  f"{s.accuracy:>7.3f}{_percentile(run.millis, 50):>8.1f}" \
                  f"{_percentile(run.millis, 90):>8.1f}{run.errors:>7}"
    yield "ms: CPU time of the extractor's own process, so other load on the machine does not " \
          "count (readabilityjs: wall time of each round trip to its Node process)"
    yield "peak memory (ru_maxrss of each extractor's own process): " + ", ".join(
        f"{run.name} {run.peak_mb:.0f} MB" for run in runs if not run.note)


def _percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))] if ordered else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m proxy.bench", description=__doc__.split("\n")[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--out", type=Path, help="write Declutter's texts as {id: {articleBody}}")
    parser.add_argument("--compare", default="", help="comma-separated: readability,trafilatura,readabilityjs")
    parser.add_argument("--limit", type=int, help="only the first N pages (by id)")
    parser.add_argument("--fail-under", type=float, help="exit 1 when Declutter's F1 is below this")
    args = parser.parse_args(argv)
    names = ["declutter"] + [n for n in args.compare.split(",") if n and n != "declutter"]
    unknown = [n for n in names if n not in EXTRACTORS and n != "readabilityjs"]
    if unknown:
        parser.error(f"unknown extractor(s): {', '.join(unknown)}")
    pages, runs = benchmark(args.dataset, names, args.limit)
    for line in report(pages, runs):
        print(line)
    if args.out:
        texts = {key: {"articleBody": text or ""} for key, text in runs[0].outputs.items()}
        args.out.write_text(json.dumps(texts, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if args.fail_under is not None and lowest_f1(pages, runs[0]) < args.fail_under else 0


def lowest_f1(pages: list[Page], run: Run) -> float:
    """Declutter's weakest F1 over the metric families the dataset has."""
    return min(score(pages, run.outputs).f1 for _, score in metrics(pages))


if __name__ == "__main__":
    sys.exit(main())
