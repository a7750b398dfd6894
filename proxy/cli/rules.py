"""``declutter rules test HOST`` and ``declutter rules update [--from URL]``.

``test`` says which file applies to a host and what it holds, from the directories the server
would use. ``update`` downloads the collection into DECLUTTER_DATA_DIR/site-rules (used when
DECLUTTER_SITE_RULES is unset); a running server sees the swap within match.RECHECK_SECONDS.
The command lives with the CLI, above the pipeline, because ``test --run`` reads the rule file's
test pages through the fetcher and the pipeline (rulecheck.py).
"""

from __future__ import annotations

import argparse
import os
import sys

from proxy import siterules
from proxy.cli import rulecheck
from proxy.config import Settings
from proxy.siterules.parse import SiteRules
from proxy.siterules.update import DEFAULT_URL, update

# Directives listed by ``rules test``, in the order they act.
SHOWN = ("body", "title", "author", "date", "strip", "strip_attr", "dissolve", "native_ad_clue")


def _test(args: argparse.Namespace, settings: Settings) -> int:
    """Print the file that applies to ``args.host`` and its rules."""
    index = siterules.configure(siterules.rules_dir(settings), settings.site_rules_local)
    print(f"looked for: {', '.join(index.names_for(args.host))}")
    name = index.file_for(args.host)
    rules = index.for_host(args.host)
    if name is None or rules is None:
        print("no rule file applies: the heuristics alone read this host")
        return 0
    print(f"applies: {index.files[name]} (digest {rules.digest})")
    if rules.source != name:
        print(f"merged: {rules.source} (global.txt appended, as Full-Text RSS and graby do)")
    for line in describe(rules):
        print(line)
    if not args.run_tests:
        return 0
    outcomes = rulecheck.run(rules, settings)
    for outcome in outcomes:
        for line in outcome.report():
            print(line)
    return 0 if all(outcome.passed for outcome in outcomes) else 1


def describe(rules: SiteRules) -> list[str]:
    """One line a rule, as the file gives them after parsing (bad XPath already dropped)."""
    lines = [f"{kind}: {xpath.path}" for kind in SHOWN for xpath in rules.xpath(kind)]
    lines += [
        f"{kind}: {value}"
        for kind in ("strip_id_or_class", "strip_image_src")
        for value in rules.string(kind)
    ]
    lines += [f"find_string: {find!r} -> {new!r}" for find, new in rules.replacements]
    lines += [f"http_header({name}): {value}" for name, value in rules.http_headers.items()]
    lines += [
        f"{kind}: {link.xpath.path}"
        for kind in ("single_page_link", "next_page_link")
        for link in getattr(rules, kind)
    ]
    lines += [f"{name}: {'yes' if on else 'no'}" for name, on in rules.switches.items()]
    for url, needles in rules.tests:
        lines += [f"test_url: {url}", *(f"  test_contains: {needle}" for needle in needles)]
    return lines


def _update(args: argparse.Namespace, settings: Settings) -> int:
    target = settings.data_dir / siterules.DOWNLOADED
    count = update(target, args.source, settings)
    print(f"{count} rule files from {args.source} in {target}", file=sys.stderr)
    if settings.site_rules:
        print(
            "note: DECLUTTER_SITE_RULES is set, so the server reads that directory instead",
            file=sys.stderr,
        )
    return 0


def _command(args: argparse.Namespace) -> int:
    settings = Settings.from_env(os.environ)
    return {"test": _test, "update": _update}[args.action](args, settings)


def add_command(sub: argparse._SubParsersAction) -> None:
    """Add ``rules test HOST | update [--from URL]`` to the declutter command."""
    parser = sub.add_parser(
        "rules", help="site rules: which apply to a host, download the collection"
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    test = actions.add_parser("test", help="which rule file applies to HOST")
    test.add_argument("host")
    test.add_argument(
        "--run",
        dest="run_tests",
        action="store_true",
        help="read the file's test_url pages (through the fetcher) and look for its test_contains",
    )
    download = actions.add_parser("update", help="download the ftr-site-config collection")
    download.add_argument(
        "--from",
        dest="source",
        default=DEFAULT_URL,
        help=f"a zip or tar.gz of rule files (default {DEFAULT_URL})",
    )
    parser.set_defaults(run=_command)
