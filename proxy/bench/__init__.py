"""The benchmarks: quality, speed and memory beside the competitors, and load under gunicorn.

Not part of the installed package (pyproject.toml excludes it, and the container image leaves it
out): run from a checkout, ``python -m proxy.bench DATASET`` and ``python -m proxy.bench.load``.
May import anything in ``proxy``; nothing in ``proxy`` imports it.
"""
