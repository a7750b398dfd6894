"""Per-site rules in the ftr-site-config format (Full-Text RSS, wallabag/graby): parse.py reads a
file, match.py finds a host's file (merge.py appends global.txt), apply.py applies it to a parsed
page, tidy.py gives the page as HTML Tidy would, update.py downloads the collection.

Rule data and its effect on one parsed page, below the pipeline that calls it: multi-page articles
are followed by content/pages.py (it runs the extractor on each page) and ``declutter rules`` with
the files' own tests lives in cli/rules.py (the tests run the fetcher and the pipeline). May import
``htmltree``, ``net`` (update's fetch), ``config`` and ``errors``; never ``content`` or
anything above it.

One index per process, built from ``DECLUTTER_SITE_RULES`` and ``DECLUTTER_SITE_RULES_LOCAL``
(the local directory wins, name by name): ``init_app`` builds it from the app's settings; callers
without an app (``declutter extract``, the benchmark) get one built from the environment on first
use. Without either variable there are no rules and the pipeline is unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

from proxy.config import Settings
from proxy.siterules.match import RuleIndex
from proxy.siterules.parse import SiteRules

ENV_RULES, ENV_LOCAL = "DECLUTTER_SITE_RULES", "DECLUTTER_SITE_RULES_LOCAL"
# The directory under DECLUTTER_DATA_DIR that `declutter rules update` fills.
DOWNLOADED = "site-rules"
_index: RuleIndex | None = None


def configure(rules_dir: str | Path | None, local_dir: str | Path | None) -> RuleIndex:
    """Index the rule directories (the collection first, local overrides over it)."""
    global _index
    _index = RuleIndex([Path(d) for d in (rules_dir, local_dir) if d])
    return _index


def configure_from(environ: Mapping[str, str]) -> RuleIndex:
    return configure(environ.get(ENV_RULES, "").strip(), environ.get(ENV_LOCAL, "").strip())


def current() -> RuleIndex:
    """The process's index (built from the environment when no app configured one), rebuilt
    when its directories changed."""
    global _index
    index = _index if _index is not None else configure_from(os.environ)
    if index.changed():
        index = _index = RuleIndex(index.directories)
    return index


def for_url(url: str) -> SiteRules | None:
    """The rules that apply to ``url``'s host, or None."""
    index = current()
    return index.for_host(urlsplit(url).hostname or "") if index else None


def version(host: str) -> str:
    """A short digest of the rules that apply to ``host`` ("" without any): part of cache keys."""
    index = current()
    return index.version(host) if index else ""


def rules_dir(settings: Settings) -> Path:
    """DECLUTTER_SITE_RULES, else where ``declutter rules update`` puts the collection (indexed
    even while missing, so an update is seen by a running server)."""
    return Path(settings.site_rules) if settings.site_rules else settings.data_dir / DOWNLOADED


def init_app(app: Flask) -> None:
    """Index the app's rule directories once, at start (file names only)."""
    settings: Settings = app.config["SETTINGS"]
    configure(rules_dir(settings), settings.site_rules_local)


@contextmanager
def using(index: RuleIndex) -> Iterator[None]:
    """``index`` as the process's rules for a while (the benchmark's with/without turns)."""
    global _index
    before, _index = _index, index
    try:
        yield
    finally:
        _index = before
