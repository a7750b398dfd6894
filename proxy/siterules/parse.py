"""Read one site rule file in the ftr-site-config format (FiveFilters Full-Text RSS, wallabag).

The format: one ``directive: value`` a line, ``directive(argument): value`` for http_header and the
one-line replace_string, ``#`` comments. XPath values are compiled once here with lxml; one that
does not compile is logged once (with its file and line) and skipped, so a broken rule never
breaks a page. Login directives and the ones Declutter has no use for are counted and ignored.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

log = logging.getLogger(__name__)

_LINE = re.compile(r"^\s*([a-z_]+)\s*(?:\((.*)\))?\s*:\s?(.*?)\s*$", re.I)
# A strip XPath of the common simple forms (//div[contains(@class, 'x')], //*[@id="x"]) selects
# nothing unless its string is in the page's source: such a rule is skipped without a tree walk.
_SIMPLE = re.compile(
    r"""^//[\w*-]+\[\s*(?:contains\(\s*)?@(?:class|id)\s*[,=]\s*(["'])([^"'&<>]+)\1\s*\)?\s*\]$"""
)
# Directives whose values are XPath expressions, compiled at parse time.
XPATH_LISTS = (
    "body",
    "title",
    "author",
    "date",
    "strip",
    "strip_attr",
    "dissolve",
    "native_ad_clue",
)
# Directives whose values are plain strings, kept in order.
STRING_LISTS = ("strip_id_or_class", "strip_image_src")
# yes/no switches and their defaults (Full-Text RSS's).
SWITCHES = {"autodetect_on_failure": True, "prune": True, "tidy": True, "skip_json_ld": False}
# Read and deliberately ignored: logins (Declutter never signs in for a reader) and FTR-only knobs.
IGNORED = (
    "requires_login",
    "login_uri",
    "login_username_field",
    "login_password_field",
    "login_extra_fields",
    "not_logged_in_xpath",
    "parser",
    "wrap_in",
    "move_into",
    "insert_detected_image",
    "convert_double_br_tags",
    "footnotes",
    "strip_comments",
    "autodetect_next_page",
    "skip_id_or_class",
    "single_page_link_in_feed",
    "post_strip_attr",
)
# Request headers a rule may set; anything else (Host, Authorization...) is refused.
ALLOWED_HEADERS = frozenset({"user-agent", "referer", "cookie", "accept", "accept-language"})


@dataclass(frozen=True)
class Link:
    """A next_page_link or single_page_link, followed only when ``if_page_contains`` matches."""

    xpath: etree.XPath
    if_page_contains: etree.XPath | None = None


@dataclass
class SiteRules:
    """Every directive of one rule file, XPath compiled; ``source`` names the file."""

    source: str
    digest: str
    is_global: bool = False
    xpaths: dict[str, list[etree.XPath]] = field(default_factory=dict)
    strings: dict[str, list[str]] = field(default_factory=dict)
    switches: dict[str, bool] = field(default_factory=lambda: dict(SWITCHES))
    explicit: set[str] = field(default_factory=set)  # the switches the file itself sets
    replacements: list[tuple[str, str]] = field(default_factory=list)
    http_headers: dict[str, str] = field(default_factory=dict)
    next_page_link: list[Link] = field(default_factory=list)
    single_page_link: list[Link] = field(default_factory=list)
    src_lazy_load_attr: str | None = None
    needles: dict[str, str] = field(default_factory=dict)  # XPath -> a string it needs (_SIMPLE)
    counts: Counter = field(default_factory=Counter)
    # The file's own test pages: each test_url with the test_contains lines after it.
    tests: list[tuple[str, list[str]]] = field(default_factory=list)
    # (directive, XPath) pairs that came from global.txt: its metadata rules only fill gaps.
    from_global: set[tuple[str, str]] = field(default_factory=set)

    def xpath(self, name: str) -> list[etree.XPath]:
        return self.xpaths.get(name, [])

    def string(self, name: str) -> list[str]:
        return self.strings.get(name, [])


def parse(text: str, source: str) -> SiteRules:
    """The rules in ``text`` (the content of the file ``source``)."""
    rules = SiteRules(
        source=source,
        digest=hashlib.sha256(text.encode()).hexdigest()[:16],
        is_global=source == "global.txt",
    )
    pending_find: list[str] = []
    last_link: list[Link] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        match = _LINE.match(raw)
        if raw.lstrip().startswith("#") or not match:
            continue
        name, argument, value = match.group(1).lower(), match.group(2), match.group(3)
        rules.counts[name] += 1
        where = f"{source}:{number}"
        if name in ("next_page_link", "single_page_link"):
            last_link = _add_link(rules, name, value, where)
        elif name == "if_page_contains":
            _condition(last_link, value, where)
        else:
            _directive(rules, name, argument, value, where, pending_find)
    if rules.is_global:
        rules.from_global = {(n, x.path) for n, xs in rules.xpaths.items() for x in xs}
    return rules


def _directive(
    rules: SiteRules,
    name: str,
    argument: str | None,
    value: str,
    where: str,
    pending_find: list[str],
) -> None:
    """One directive other than the page links, stored where its kind goes."""
    if name in XPATH_LISTS:
        compiled = compile_xpath(value, where)
        if compiled is not None:
            rules.xpaths.setdefault(name, []).append(compiled)
            if simple := _SIMPLE.match(compiled.path):
                rules.needles[compiled.path] = simple.group(2)
    elif name in STRING_LISTS and value:
        rules.strings.setdefault(name, []).append(value)
    elif name == "test_url" and value:
        rules.tests.append((value, []))
    elif name == "test_contains" and value and rules.tests:
        rules.tests[-1][1].append(value)
    elif name in SWITCHES:
        rules.switches[name] = value.strip().lower() not in ("no", "false")
        rules.explicit.add(name)
    elif name == "find_string":
        pending_find.append(value)
    elif name == "replace_string":
        _replacement(rules, argument, value, pending_find)
    elif name == "http_header" and argument:
        _header(rules, argument.strip().lower(), value, where)
    elif name == "src_lazy_load_attr" and value:
        rules.src_lazy_load_attr = value.strip()


def _replacement(rules: SiteRules, argument: str | None, value: str, pending: list[str]) -> None:
    """``replace_string(x): y`` stands alone; a bare one pairs with the oldest unpaired find."""
    if argument is not None:
        find = argument
    elif pending:
        find = pending.pop(0)
    else:
        return
    if find:
        rules.replacements.append((find, value))


def _header(rules: SiteRules, name: str, value: str, where: str) -> None:
    if (
        name in ALLOWED_HEADERS
    ):  # spelt as fetch.outgoing_headers spells it, so it replaces that one
        rules.http_headers["-".join(word.capitalize() for word in name.split("-"))] = value
    else:
        log.warning("site rule %s: header %r is not one a rule may set; skipped", where, name)


def _add_link(rules: SiteRules, name: str, value: str, where: str) -> list[Link] | None:
    compiled = compile_xpath(value, where)
    if compiled is None:
        return None
    links: list[Link] = getattr(rules, name)
    links.append(Link(compiled))
    return links


def _condition(links: list[Link] | None, value: str, where: str) -> None:
    """Attach if_page_contains to the page link just above it, as Full-Text RSS reads it."""
    compiled = compile_xpath(value, where)
    if links and compiled is not None:
        links[-1] = Link(links[-1].xpath, compiled)


def compile_xpath(expression: str, where: str) -> etree.XPath | None:
    """``expression`` compiled, or None (logged once, here, at parse time) when lxml refuses it."""
    if not expression.strip():
        return None
    try:
        return etree.XPath(expression.strip())
    except etree.XPathSyntaxError as exc:
        log.warning("site rule %s: XPath %r does not compile (%s); skipped", where, expression, exc)
        return None
