"""python -m proxy.loadbench: see the package's docstring."""

from __future__ import annotations

import sys

from . import main

sys.exit(main())
