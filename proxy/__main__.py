"""``python -m proxy`` is the ``declutter`` command."""

from .cli import main

main()
