"""Site rules measured: the same pages with and without DECLUTTER_SITE_RULES, in one run.

Usage::

    python -m proxy.bench.siterules RULES_DIR DATASET [DATASET ...] [--limit N]
    python -m proxy.bench DATASET --site-rules RULES_DIR        (the same, after bench's report)

For each dataset: how many pages have a rule file of their own (global.txt aside, it matches
every page), F1 with and without the rules on those pages and on all pages, every page a rule
made worse, and the pipeline's median time with and without. The two turns alternate page by
page (which goes first swaps), so load on the shared machine falls on both alike; the time is
the CPU time of pipeline.process.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from proxy import errors, siterules
from proxy.bench.quality import Page, load_dataset, read_page
from proxy.bench.score import metrics
from proxy.content import pipeline
from proxy.siterules.match import GLOBAL, RuleIndex

TURNS = ("without", "with")


def _run(page: Page, body: bytes) -> tuple[str, float]:
    started = time.process_time()
    try:
        text = pipeline.process(body, page.url).text
    except errors.DeclutterError:
        text = ""
    return text, (time.process_time() - started) * 1000


def measure(pages: list[Page], rules: RuleIndex) -> tuple[dict[str, dict], dict[str, list[float]]]:
    """Texts and CPU milliseconds per turn, the turns alternating which goes first."""
    indexes = {"without": RuleIndex([]), "with": rules}
    texts: dict[str, dict] = {turn: {} for turn in TURNS}
    millis: dict[str, list[float]] = {turn: [] for turn in TURNS}
    for number, page in enumerate(pages):
        body = read_page(page.path)
        for turn in TURNS[::-1] if number % 2 else TURNS:
            with siterules.using(indexes[turn]):
                texts[turn][page.id], spent = _run(page, body)
            millis[turn].append(spent)
    return texts, millis


def report(name: str, pages: list[Page], rules: RuleIndex) -> Iterator[str]:
    texts, millis = measure(pages, rules)
    own = [p for p in pages if rules.file_for(urlsplit(p.url).hostname or "") not in (None, GLOBAL)]
    yield f"{name}: {len(pages)} pages, {len(own)} with a rule file of their own"
    for family, score in metrics(pages):
        for label, subset in (("own-rule pages", own), ("all pages", pages)):
            if subset:
                before, after = (score(subset, texts[t]).f1 for t in TURNS)
                yield f"  {family} F1 on {label}: without {before:.4f}  with {after:.4f}"
        for page in own:
            before, after = (score([page], texts[t]).f1 for t in TURNS)
            if after < before:
                host = urlsplit(page.url).hostname or ""
                used = rules.file_for(host)
                yield f"  worse: {page.id} ({host}, {used}) {before:.3f} -> {after:.3f}"
    median = {turn: statistics.median(millis[turn]) for turn in TURNS}
    ratios = [w / o for w, o in zip(millis["with"], millis["without"], strict=True) if o > 0]
    yield (
        f"  median ms: without {median['without']:.1f}  with {median['with']:.1f}  "
        f"paired median ratio {statistics.median(ratios):.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m proxy.bench.siterules", description=__doc__.split("\n")[0]
    )
    parser.add_argument("rules", type=Path, help="a site rules directory (ftr-site-config)")
    parser.add_argument("datasets", type=Path, nargs="+")
    parser.add_argument("--limit", type=int, help="only the first N pages of each dataset")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rules = RuleIndex([args.rules])
    print(
        f"rules indexed in {(time.perf_counter() - started) * 1000:.0f} ms "
        f"({len(rules.files)} files)"
    )
    for folder in args.datasets:
        for line in report(folder.name, load_dataset(folder, args.limit), rules):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
