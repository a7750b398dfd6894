"""atheris target: any text through the address guard (fetch.guard), with no name resolving.

python tests/fuzz/fuzz_guard.py -max_total_time=600
"""

from __future__ import annotations

import atheris
from harness import SEEDS, fuzz

with atheris.instrument_imports(include=["proxy"]):
    import invariants

    from proxy.config import Settings
    from proxy.net import netguard

SETTINGS = Settings.from_env({})


def one_input(data: bytes) -> None:
    invariants.check_guard(data.decode("utf-8", "replace"), SETTINGS)


if __name__ == "__main__":
    netguard.resolver = invariants.refuse_resolution
    fuzz(one_input, (SEEDS / "urls").iterdir())
