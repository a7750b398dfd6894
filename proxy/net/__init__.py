"""Fetching and the address guard: the only package that opens connections to other hosts.

``urls`` parses what a user typed, ``netguard`` says which addresses may be reached, ``fetch`` reads
a page through them, ``politeness`` spaces the fetches per host, ``budget`` charges each fetch to
its requester (whom the web layer names, by installing a function at start). May import
``config``, ``errors``, ``ops`` and ``store`` (counters, host slots); never ``content``,
``service`` or ``web``.
"""
