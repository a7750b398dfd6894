"""The content pipeline: page bytes and their URL in, a clean, sanitised Article out.

``pipeline.process`` is the entry point: charset -> extract (readability-lxml, site rules, our
cleaning by ``rules``) -> sanitise (bleach) -> text, Markdown and metadata; ``pages`` joins the
pages of a multi-page article (the service fetches them). Pure: no network, no Redis, no Flask. May
import ``article``, ``errors``, ``config``, ``htmltree`` (the one parser), ``siterules`` (rule data
and how it acts on a page) and ``net`` values (``urls``; ``fetch``'s answer type for feedsource),
never a fetch.
"""
