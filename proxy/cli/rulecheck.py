"""A rule file's own tests (``test_url``, each with its ``test_contains`` lines), run on demand by
``declutter rules test HOST --run``.

Each test page is read as the server reads it: through the guarded fetcher with the rule's
headers, its next pages or single-page version followed, the whole pipeline with the rules in
force; the test passes when every ``test_contains`` string is in the article's text (whitespace
runs compared as one space, as the rule's author copied the words from a browser). A page that
cannot be read fails its test with the reason. Nothing runs at start-up or per request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from proxy.config import Settings
from proxy.content import pages, pipeline
from proxy.errors import DeclutterError
from proxy.net import fetch
from proxy.siterules.parse import SiteRules

_SPACE = re.compile(r"\s+")


@dataclass
class Outcome:
    """One test page: what was looked for, what was missing, or why the page was not read."""

    url: str
    wanted: list[str]
    missing: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.error is None and not self.missing

    def report(self) -> list[str]:
        if self.error is not None:
            return [f"FAIL {self.url}: not read ({self.error})"]
        lines = [f"{'ok  ' if self.passed else 'FAIL'} {self.url}"]
        lines += [f"  missing: {needle}" for needle in self.missing]
        if not self.wanted:
            lines[0] += " (read; no test_contains to look for)"
        return lines


def run(rules: SiteRules, settings: Settings) -> list[Outcome]:
    """Every test of ``rules``, in the file's order."""
    return [check(url, wanted, rules, settings) for url, wanted in rules.tests]


def check(url: str, wanted: list[str], rules: SiteRules, settings: Settings) -> Outcome:
    """Read ``url`` as the server would and look for each of ``wanted`` in its text."""
    want = replace(fetch.PAGE, headers=rules.http_headers)

    def read(address: str) -> pages.Page:
        fetched = fetch.fetch(address, settings, want=want)
        return fetched.body, fetched.url, fetched.headers

    try:
        first, more = pages.follow(read(url), rules, read)
        text = _flat(pipeline.process(*first, more).text)
    except DeclutterError as exc:
        return Outcome(url, wanted, error=exc.message)
    return Outcome(url, wanted, [needle for needle in wanted if _flat(needle) not in text])


def _flat(text: str) -> str:
    return _SPACE.sub(" ", text).strip()
