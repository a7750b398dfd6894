"""atheris target: any text through the URL gate and the cache key (urls.validate, urls.normalise).

python tests/fuzz/fuzz_urls.py -max_total_time=600
"""

from __future__ import annotations

import atheris
from harness import SEEDS, fuzz

with atheris.instrument_imports(include=["proxy"]):
    import invariants


def one_input(data: bytes) -> None:
    raw = data.decode("utf-8", "replace")
    invariants.check_validate(raw)
    invariants.check_normalise(raw)


if __name__ == "__main__":
    fuzz(one_input, (SEEDS / "urls").iterdir())
