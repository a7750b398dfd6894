"""Dates as pages write them, read into ISO 8601: the parsing half of ``meta.dates``.

Pages write a date as ISO 8601 ("2024-05-06T07:00:00+02:00", with or without the time and zone),
as RFC 2822 (feeds, Last-Modified), in words ("March 5, 2025", "5. März 2025") or in numbers
("03/05/2013", "05.03.2013"), in JSON-LD and meta tags as well as in the text. Each is read into
ISO 8601, the time and offset kept when the page gives them; a date before ``EARLIEST`` or after
tomorrow (UTC) is refused.

A date in numbers puts the day or the month first: "03/05/2013" is March 5 in the US and 3 May
elsewhere. Its order is read from the date itself when one number cannot be a month (over 12),
else from the page's language (``month_first``: en-US month first, other English regions and the
other languages day first); where the language gives no rule (English without a region, as most
pages declare it), the date is not guessed. Not even from dots: a US site on modern-web-dev
writes "09.10.2024" for September 10.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

# No web page predates this: older "dates" are placeholders (1970-01-01) or misread numbers.
EARLIEST = date(1995, 1, 1)
# Month names (English, German, French, Spanish) and their common abbreviations.
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "january jan januar janvier enero ene",
            "february feb februar février fevrier febrero",
            "march mar märz mars marzo",
            "april apr avril abril abr",
            "may mai mayo",
            "june jun juni juin junio",
            "july jul juli juillet julio",
            "august aug août agosto ago",
            "september sep sept septembre septiembre",
            "october oct oktober okt octobre octubre",
            "november nov novembre noviembre",
            "december dec dezember dez décembre decembre diciembre dic",
        ),
        start=1,
    )
    for name in names.split()
}
_MONTH = "(?:" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + r")\.?"
# A date written in words: "March 5, 2025", "Mar. 5th 2025", "5 March 2025", "5. März 2025".
WRITTEN_DATE = re.compile(
    rf"\b(?:(?P<month1>{_MONTH})\s+(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year1>(?:19|20)\d\d)"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:de\s+)?(?P<month2>{_MONTH})\s+(?:de\s+)?"
    rf"(?P<year2>(?:19|20)\d\d))\b",
    re.I,
)
# An ISO 8601 date, its time and its offset as pages write them ("2024-05-06 07:00:00+0200").
_ISO = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?)?"
)
# A date in numbers, the day and the month in either order, the year in four digits ("03/05/2013",
# "5.3.2013", "03-05-2013"): both separators the same, no digit or separator on either side.
NUMERIC_DATE = re.compile(
    r"(?<![\d./-])(?P<first>\d{1,2})(?P<sep>[./-])(?P<second>\d{1,2})(?P=sep)"
    r"(?P<year>(?:19|20)\d\d)(?!\d)"
)
# A time on a 12-hour clock: "4:51 PM", "11:05 a.m." (the marker right after the minutes or
# seconds).
_MERIDIEM = re.compile(r"\d:\d\d(?::\d\d)?\s*([AaPp])\.?[Mm]\b\.?")
# English as written outside the US, with the day first ("en-GB", "en-AU"); an English page
# without a region gives no order (both are written).
DAY_FIRST_ENGLISH = frozenset({"gb", "uk", "ie", "au", "nz", "in", "za", "sg", "hk", "pk", "ng"})
# Languages whose dates in numbers put the year first ("2013/03/05"): a date that puts it last is
# not theirs to order.
YEAR_FIRST_LANGUAGES = frozenset({"zh", "ja", "ko", "hu", "lt", "mn"})
# Longer values are no date written in words ("Jun 12, 2025" in JSON-LD, "July 17, 2025" in a
# meta tag): a sentence that mentions a date is not one.
WORDS_CHARS = 40


def first(*candidates: str | None, month_first: bool | None = None) -> str | None:
    """The first candidate that normalises to a believable date (``month_first``: the page's
    order of a date in numbers, ``month_first``'s answer)."""
    for candidate in candidates:
        when = normalise(candidate, month_first) if candidate else None
        if when:
            return when
    return None


def normalise(value: str, month_first: bool | None = None) -> str | None:
    """``value`` as ISO 8601 (day only, or with time and offset as given), or None if not a date;
    a date in numbers ("03/05/2013 10:00") gives its day, in the order ``month_first`` says when
    the date itself does not."""
    match = _ISO.match(value)
    in_numbers = None if match else NUMERIC_DATE.match(value.strip())
    if in_numbers:
        return numeric(in_numbers, month_first)
    try:
        if match:
            return _on_the_clock(_iso(match), value)
        when = parsedate_to_datetime(value)  # RFC 2822, as in Last-Modified and feeds
    except (ValueError, TypeError, IndexError, OverflowError):
        return _in_words(value) if len(value) <= WORDS_CHARS else None
    return _on_the_clock(when.isoformat(), value) if believable(when.date()) else None


def _on_the_clock(iso: str | None, value: str) -> str | None:
    """``iso`` with the hour the value's 12-hour clock gives: both readers above take the hour
    before an "AM"/"PM" as it is ("Dec 13, 2016 4:51 PM" read 04:51, twelve hours early)."""
    meridiem = _MERIDIEM.search(value) if iso and "T" in iso else None
    if iso is None or meridiem is None:
        return iso
    when = datetime.fromisoformat(iso)
    hour = when.hour % 12 + (12 if meridiem.group(1).lower() == "p" else 0)
    return when.replace(hour=hour).isoformat()


def for_readers(value: str) -> bool:
    """Whether ``value`` is a date as a page shows it to its readers ("Jan 17, 2025"), written
    in words, not in a machine's format (ISO 8601, RFC 2822)."""
    if _ISO.match(value):
        return False
    try:
        parsedate_to_datetime(value)
    except (ValueError, TypeError, IndexError, OverflowError):
        return len(value) <= WORDS_CHARS and WRITTEN_DATE.search(value) is not None
    return False


def _in_words(value: str) -> str | None:
    match = WRITTEN_DATE.search(value)
    return written(match) if match else None


def _iso(match: re.Match[str]) -> str | None:
    year, month, day, hour, minute, second, offset = match.groups()
    day_only = date(int(year), int(month), int(day))
    if not believable(day_only):
        return None
    if hour is None:
        return day_only.isoformat()
    zone = None
    if offset:
        zone = UTC if offset == "Z" else datetime.strptime(offset.replace(":", ""), "%z").tzinfo
    when = datetime(
        day_only.year,
        day_only.month,
        day_only.day,
        int(hour),
        int(minute),
        int(second or 0),
        tzinfo=zone,
    )
    return when.isoformat()


def believable(day: date) -> bool:
    return EARLIEST <= day <= datetime.now(UTC).date() + timedelta(days=1)


def written(match: re.Match[str]) -> str | None:
    """The ISO day of a date written in words ("March 5, 2025", "5. März 2025")."""
    groups = match.groupdict()
    month = MONTHS.get((groups["month1"] or groups["month2"] or "").lower().rstrip("."))
    day, year = int(groups["day1"] or groups["day2"]), int(groups["year1"] or groups["year2"])
    try:
        when = date(year, month, day) if month else None
    except ValueError:
        return None
    return when.isoformat() if when and believable(when) else None


def month_first(*languages: str | None) -> bool | None:
    """Whether pages in the first of ``languages`` (tags: "en-US", "de", "en_GB") that gives a
    rule write a date in numbers month first: True for US English, False for other English
    regions and the other languages (but those that put the year first), None when none gives a
    rule."""
    for language in languages:
        tag = (language or "").split(",")[0].strip().lower().replace("_", "-")
        primary, _, rest = tag.partition("-")
        region = rest.split("-")[-1] if rest else ""
        if primary == "en" and region == "us":
            return True
        if primary == "en" and region in DAY_FIRST_ENGLISH:
            return False
        if primary and primary != "en" and primary not in YEAR_FIRST_LANGUAGES:
            return False
    return None


def numeric(match: re.Match[str], month_first: bool | None = None) -> str | None:
    """The ISO day of a ``NUMERIC_DATE`` match: the order the date itself shows (a number over 12
    is the day), else ``month_first``'s; None when neither tells."""
    one, other = int(match.group("first")), int(match.group("second"))
    if one > 12:
        day, month = one, other
    elif other > 12:
        day, month = other, one
    elif one == other:
        day, month = one, other  # the same either way
    elif month_first is None:
        return None
    else:
        day, month = (other, one) if month_first else (one, other)
    try:
        when = date(int(match.group("year")), month, day)
    except ValueError:
        return None
    return when.isoformat() if believable(when) else None


def days_apart(one: str, other: str) -> int:
    """How many calendar days lie between two ISO dates (their day parts)."""
    return abs((date.fromisoformat(one[:10]) - date.fromisoformat(other[:10])).days)
