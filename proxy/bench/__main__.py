"""``python -m proxy.bench DATASET``: the quality benchmark."""

from proxy.bench.quality import main

raise SystemExit(main())
