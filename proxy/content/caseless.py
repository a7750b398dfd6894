"""rules.py's case-insensitive patterns, asked fast of ASCII text.

re's IGNORECASE looks each character up in Unicode's case tables and cannot rule an alternative
out by its first letter, so searching one short block for rules.CALLS_TO_ACTION's hundred calls to
action cost some 45 us, and the article pass asks the promo rules of every short block (issue 13:
its regexes were most of ``clean.clean``, 15-17% of a median page). An ASCII text lower-cased once
is asked of the same pattern compiled case-sensitive in an eighth of the time, with the same
answer: an ASCII letter lower-cases to one ASCII letter as re's case folding does, and no character
of the patterns folds to an ASCII letter (checked when the pattern is built). So is a text whose
other characters are all uncased (typographic quotes and dashes, most often: ``c.lower() ==
c.upper() == c``; re folds such a character to itself alone, as its equivalence classes hold only
cased ones), which the IGNORECASE pattern read in 8 times the time (issue-13 s-clean2: 337 of the
611 non-ASCII blocks of the instructions sample). So are Latin-1's letters ("Ä", "ñ", "ß"): lower()
gives the one letter re's case folding matches them to, and re's extra equivalences (the long s,
the dotless i, the micro sign, the Kelvin sign) hold none of them (issue-13 s-prune: German,
Spanish and French blocks were most of the slow ones; the article pass on boilerplate-990's
instructions sample 323M -> 227M instructions). Other texts are asked of the pattern itself.
Figure (with rules.CREDIT_TAILS's one word boundary): callgrind instructions per page on 25
median pages, modern-web-dev 427M -> 392M (x0.917), boilerplate-990 203M -> 198M (x0.976); every
Article field the same on all 1,513dev pages.
"""

from __future__ import annotations

import functools
import re
import string

# A pattern's escapes that stand for no literal letter (\b, \W, \d, \., \( ...): what is left must
# be lower case for the case-sensitive copy to match the lower-cased text.
_PLAIN_ESCAPE = re.compile(r"\\[^xuUN0-9]")
# Characters lower() maps as re's case folding does, to the one character it matches them to:
# ASCII and Latin-1's letters (tests/test_caseless.py checks each against re's tables).
_FOLDED_RUNS = re.compile(r"[\x00-\x7f\xc0-\xff]+")
# The texts whose answers each pattern remembers: an article asks a few hundred distinct ones.
ANSWERS_KEPT = 1024


class Caseless:
    """Case-insensitive patterns (all of rules.py's are ``re.IGNORECASE``) as one alternation,
    answering only whether they match: ``Caseless(rules.LABELS).match(text)``."""

    def __init__(self, *patterns: re.Pattern[str]) -> None:
        source = "|".join(f"(?:{pattern.pattern})" for pattern in patterns)
        if any(pattern.flags != re.IGNORECASE | re.UNICODE for pattern in patterns):
            raise ValueError("Caseless takes patterns compiled with re.IGNORECASE alone")
        literals = _PLAIN_ESCAPE.sub("", source)
        if "\\" in literals or literals != literals.lower() or _folds_to_ascii(literals):
            raise ValueError(f"not lower case, or folds to an ASCII letter: {source[:80]}")
        self._caseless = re.compile(source, re.IGNORECASE)
        self._ascii = re.compile(source)  # asked of lower-cased ASCII text
        # Answers by text: the article pass asks a block's text again as its wrappers' text
        # (<div><p>...</p></div>) and in later passes; two asks in five were repeats on
        # modern-web-dev (issue-13 s-prune). Speed shortcut (proxy/web/shortcuts.py).
        self._matched = functools.lru_cache(maxsize=ANSWERS_KEPT)(self._match)
        self._found = functools.lru_cache(maxsize=ANSWERS_KEPT)(self._search)

    def match(self, text: str) -> bool:
        """Whether the patterns match at the start of ``text``, ignoring case."""
        return self._matched(text)

    def search(self, text: str) -> bool:
        """Whether the patterns match anywhere in ``text``, ignoring case."""
        return self._found(text)

    def _match(self, text: str) -> bool:
        lowered = _lowered(text)
        if lowered is not None:
            return self._ascii.match(lowered) is not None
        return self._caseless.match(text) is not None

    def _search(self, text: str) -> bool:
        lowered = _lowered(text)
        if lowered is not None:
            return self._ascii.search(lowered) is not None
        return self._caseless.search(text) is not None


def _lowered(text: str) -> str | None:
    """``text`` lower-cased, when the case-sensitive patterns read that as re's IGNORECASE reads
    ``text``: its characters but ASCII and Latin-1 letters are all uncased (curly quotes, dashes,
    CJK), which lower() leaves alone and re's case folding matches to themselves only. None
    otherwise."""
    if text.isascii():
        return text.lower()
    others = _FOLDED_RUNS.sub("", text)
    return text.lower() if others.lower() == others == others.upper() else None


def _folds_to_ascii(literals: str) -> bool:
    """Whether a non-ASCII character of a pattern matches an ASCII letter when case is ignored
    (the Kelvin sign, a long s)."""
    others = {char for char in literals if not char.isascii()}
    return any(re.search(re.escape(char), string.ascii_letters, re.IGNORECASE) for char in others)
