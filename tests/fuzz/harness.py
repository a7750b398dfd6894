"""What the fuzz targets share: tests/ on the import path, the seeds, and libFuzzer's start.

A target is run by hand for as long as wanted, from its seeds, writing nothing into the repository:

    python tests/fuzz/fuzz_pipeline.py -max_total_time=600

libFuzzer's flags all apply (``-help=1``); a directory given after them is read as a corpus and
receives the new inputs found. A crash is written to ``crash-<sha1>`` (``-artifact_prefix=``) and
replayed by passing that file alone.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import atheris

FUZZ = Path(__file__).resolve().parent
TESTS = FUZZ.parent
SEEDS = FUZZ / "seeds"
# The pure-Python libraries the pipeline feeds, instrumented with Declutter in fuzz_pipeline.py so
# their branches guide the fuzzer too (lxml and libxml2 are C, which atheris does not instrument).
# They cost about 3 s of start-up, so the URL targets instrument Declutter alone.
LIBRARIES = ["bleach", "readability", "charset_normalizer"]

sys.path.insert(0, str(TESTS))  # for invariants.py, shared with the hypothesis tests


def fuzz(target: Callable[[bytes], None], seeds: Iterable[Path]) -> None:
    """Hand ``target`` to libFuzzer with this process's arguments; ``seeds`` are files it starts
    from (``-seed_inputs``: read, never written to) unless the command line names its own."""
    argv = list(sys.argv)
    if not any(arg.startswith("-seed_inputs=") for arg in argv):
        argv.append("-seed_inputs=" + ",".join(str(path) for path in sorted(seeds)))
    atheris.Setup(argv, target)
    atheris.Fuzz()
