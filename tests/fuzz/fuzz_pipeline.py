"""atheris target: any bytes through pipeline.process, under a Content-Type the first byte picks,
and the same bytes read as text through sanitise.

    python tests/fuzz/fuzz_pipeline.py -max_total_time=600
"""

from __future__ import annotations

import atheris
from harness import LIBRARIES, SEEDS, TESTS, fuzz

with atheris.instrument_imports(include=["proxy", *LIBRARIES]):
    import invariants


def one_input(data: bytes) -> None:
    types = invariants.CONTENT_TYPES
    content_type = types[data[0] % len(types)] if data else None
    invariants.check_process(data, content_type)
    invariants.check_sanitise_stable(data.decode("utf-8", "replace"))


if __name__ == "__main__":
    # Its own seeds, the fixture pages and the XSS vectors (one file, read whole).
    fuzz(
        one_input,
        [
            *(SEEDS / "pipeline").iterdir(),
            *TESTS.glob("pages/*/source.html"),
            TESTS / "xss" / "vectors.txt",
        ],
    )
