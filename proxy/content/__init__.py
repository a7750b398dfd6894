"""The content pipeline: page bytes and their URL in, a clean, sanitised Article out.

``pipeline.run`` is the entry point: charset -> extract (readability-lxml, site rules, our cleaning
by ``rules``) -> sanitise (bleach) -> text, Markdown and metadata. Pure: no network, no Redis, no
Flask. May import ``article``, ``errors``, ``config``, ``siterules`` (rule data) and ``net.urls``
(URL values).
"""
