"""An Article in the forms Declutter serves: reader page, JSON, Markdown, text, EPUB, feeds.

Pure: an Article (or a list of them) in, bytes or text out; no network, no Redis, no Flask request.
May import ``article``, ``errors``, ``config``, ``htmltree`` (EPUB's XHTML) and ``content`` (the
markdown and text it keeps).
"""
