"""caseless.py: the fast path for ASCII and Latin-1 text answers as re.IGNORECASE does."""

from __future__ import annotations

import re

import pytest

from proxy.content import caseless, rules
from proxy.content.caseless import Caseless

# Blocks of each kind the promo rules judge, in the cases a page writes them in, and texts that
# only the case tables join to a rule's words (a long s, a dotless i, the Kelvin sign).
TEXTS = [
    "READ MORE: The minister resigns",
    "Subscribe NOW to our newsletter",
    "Foto: dpa/Muster",
    "The council met on Tuesday. PHOTO: Getty Images",
    "Lesen Sie auch: Die Wahl",
    "12.12.2022 - Empa",
    "24. MÄRZ 2004, 19:49 | Genesis",
    "Related Posts:",
    "This post contains Affiliate Links.",
    "Mit unserem Newsletter bleiben Sie informiert",
    "Suivez-nous sur Telegram",
    "ſubscribe now",
    "Sıgn up for our newsletter",
    "\u212aommentare",
    "The river rose two metres overnight, and the town's bridge closed.",
    "Subscribe now — it’s “free”",
    "‘Foto: dpa’ – …",
    "Meld dich für unseren Newsletter an – jetzt",
    "ſubscribe now — ’",
    "Kommentare –",
    "ПОДПИШИТЕСЬ «»",
    "İ sign up for our newsletter ”",
    "ニュース sign up for the newsletter",
    "Melden Sie sich für unseren Newsletter an – Größe",
    "Suscríbete a nuestro boletín «gratis»",
    "À lire aussi : l’été",
    "µ sign up ſ",
    "",
]
PATTERNS = [
    rules.AD_LABELS,
    rules.BOILERPLATE_BLOCKS,
    rules.LABELS,
    rules.CREDIT_LEADS,
    rules.AD_LEADS,
    rules.CALLS_TO_ACTION,
    rules.NOTICES,
    rules.CREDIT_TAILS,
    rules.DATE_LEADS,
    rules.TINY_PROMO_WORDS,
    rules.PROMO_LEADS,
    rules.SECTION_HEADINGS,
]


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.pattern[:30])
def test_answers_as_the_rule_does_in_any_case(pattern: re.Pattern[str]) -> None:
    caseless = Caseless(pattern)
    for text in TEXTS + [text.upper() for text in TEXTS] + [text.lower() for text in TEXTS]:
        assert caseless.match(text) == (pattern.match(text) is not None), text
        assert caseless.search(text) == (pattern.search(text) is not None), text


def test_an_uncased_character_matches_only_itself_ignoring_case() -> None:
    """What the fast path for texts whose other characters are uncased rests on: re's
    IGNORECASE matches no uncased character to a letter of the rules (nor to another)."""
    uncased = "".join(c for c in map(chr, range(0x80, 0x30000)) if c.lower() == c == c.upper())
    letters = {c for p in PATTERNS for c in re.sub(r"\\.", "", p.pattern) if c.isalpha()}
    for letter in sorted(letters) + [c for c in uncased if not c.isspace()][::997]:
        found = set(re.findall(re.escape(letter), uncased, re.IGNORECASE))
        assert found <= {letter}, letter


def test_a_latin1_letter_matches_what_its_lower_case_matches_ignoring_case() -> None:
    """What the fast path for Latin-1 letters rests on: re's IGNORECASE matches each of "À".."ÿ"
    to exactly the characters that lower() makes the same letter (no long s or Kelvin sign)."""
    every = "".join(map(chr, range(0x30000)))
    for letter in map(chr, range(0xC0, 0x100)):
        lower = letter.lower()
        found = set(re.findall(re.escape(lower), every, re.IGNORECASE))
        assert len(lower) == 1 and found == {c for c in every if c.lower() == lower}, letter
    assert caseless._lowered("Für Größe: «À»") == "für größe: «à»"  # the fast path takes it


def test_patterns_are_joined_into_one_alternation() -> None:
    either = Caseless(rules.AD_LABELS, rules.LABELS)
    assert either.match("Anzeige") and either.match("Tags: a, b")
    assert not either.match("A story about tags")


@pytest.mark.parametrize(
    "source",
    [r"\bRead more", "\u212aelvin", r"\x41d", "ſource"],
    ids=["capital", "kelvin sign", "hex escape", "long s"],
)
def test_a_pattern_the_fast_path_would_miss_is_refused(source: str) -> None:
    with pytest.raises(ValueError):
        Caseless(re.compile(source, re.IGNORECASE))


def test_a_pattern_without_ignorecase_is_refused() -> None:
    with pytest.raises(ValueError):
        Caseless(re.compile("read more"))
