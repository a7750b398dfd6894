"""Fetching and the address guard: the only package that opens connections to other hosts.

``urls`` parses what a user typed, ``netguard`` says which addresses may be reached, ``fetch`` reads
a page through them, ``politeness`` spaces the fetches per host. May import ``config``, ``errors``
and ``store`` (the shared host slots); never ``content``, ``service`` or ``web``.
"""
