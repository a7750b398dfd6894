"""``python -m proxy`` is the ``declutter`` command."""

from proxy.cli import main

main()
