"""The atheris fuzz targets (tests/fuzz/), each run briefly from its seeds: a failed property or an
escaped exception fails the test, with the input that caused it.

Each target runs in its own process (libFuzzer ends the process it runs in) with a fixed seed, so
that a failure comes back when the test is run again. Run a target by hand for longer:
``python tests/fuzz/fuzz_pipeline.py -max_total_time=600``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip(
    "atheris",
    reason="atheris is installed with the test extra only where it has "
    "wheels: Linux x86_64, CPython 3.11 to 3.14",
)

FUZZ = Path(__file__).parent / "fuzz"
# Inputs per target: a few seconds each on a busy two-core machine, after a start-up of 1 s (the
# URL targets) or 4 s (the pipeline, with bleach and readability instrumented).
RUNS = {"fuzz_urls.py": 100_000, "fuzz_guard.py": 100_000, "fuzz_pipeline.py": 500}
# A ceiling on each run, however slow the machine, and on any one input (a hang is a failure too).
MAX_SECONDS = 60
INPUT_TIMEOUT_SECONDS = 20
# How much of a failing input the failure message shows (the whole of it is in the file named).
REPORTED_BYTES = 600


@pytest.mark.parametrize("target", sorted(RUNS))
def test_fuzz_target_finds_nothing(target: str, tmp_path: Path) -> None:
    command = [
        sys.executable,
        str(FUZZ / target),
        f"-runs={RUNS[target]}",
        "-seed=1",
        f"-max_total_time={MAX_SECONDS}",
        f"-timeout={INPUT_TIMEOUT_SECONDS}",
        f"-artifact_prefix={tmp_path}/",
    ]
    run = subprocess.run(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=MAX_SECONDS * 3,
    )
    found = [
        f"{path} ({path.stat().st_size} bytes): {path.read_bytes()[:REPORTED_BYTES]!r}"
        for path in tmp_path.glob("*-*")
        if path.is_file()
    ]
    report = run.stdout.partition("=== Uncaught Python exception: ===")[2] or run.stdout[-4000:]
    assert run.returncode == 0 and not found, "\n".join([*found, report])
    assert re.search(r"^Done \d+ runs", run.stdout, re.MULTILINE), run.stdout[-4000:]
