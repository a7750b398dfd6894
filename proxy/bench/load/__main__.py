"""python -m proxy.bench.load: see the package's docstring."""

from __future__ import annotations

import sys

from proxy.bench.load import main

sys.exit(main())
