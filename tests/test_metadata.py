"""Metadata on pages written for it (tests/quality/meta): byline, dates, title, site, language,
excerpt; each page shows one case a reader would check, and what must never be taken."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import lxml.html
import pytest

from proxy.content import pipeline
from proxy.content.meta import byline, datefmt, dateline, jsonld
from proxy.formats import render

META = Path(__file__).parent / "quality" / "meta"
EXPECT = json.loads((META / "expect.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("slug", sorted(EXPECT))
def test_metadata_of_each_page(slug: str) -> None:
    expect = EXPECT[slug]
    article = pipeline.process((META / f"{slug}.html").read_bytes(), expect["url"])
    got = {field: getattr(article, field) for field in expect if field != "url"}
    assert got == {field: value for field, value in expect.items() if field != "url"}


def test_content_language_that_disagrees_is_settled_by_the_text() -> None:
    page = EXPECT["by-line-in-text"]
    body = (META / "by-line-in-text.html").read_bytes()
    assert pipeline.process(body, page["url"], {"Content-Language": "fr"}).lang == "en"


def test_json_ld_walk_is_bounded() -> None:
    """Values nested far deeper than any page nests are walked without recursion, and cut off."""
    nested: object = "Ana Ruiz"
    for _ in range(5000):
        nested = {"name": nested}
    assert jsonld.names(nested) == []
    assert jsonld.names({"name": {"name": "Ana Ruiz"}}) == ["Ana Ruiz"]
    assert jsonld.url([[["https://a.example/i.png"]]]) == "https://a.example/i.png"


def test_reader_page_and_text_show_the_last_change_on_another_day() -> None:
    expect = EXPECT["json-ld-author-list"]
    article = pipeline.process((META / "json-ld-author-list.html").read_bytes(), expect["url"])
    page = render.as_html(article)
    assert '<span class="byline">Ana Ruiz, Bo Chen</span>' in page
    assert 'Updated <time datetime="2025-03-05T10:00:00+01:00">5 March 2025</time>' in page
    assert "4 March 2025 · updated 5 March 2025" in render.as_text(article)
    assert json.loads(render.as_json(article))["modified"] == "2025-03-05T10:00:00+01:00"


def test_a_change_on_the_day_of_publication_is_not_shown_twice() -> None:
    expect = EXPECT["email-and-several-in-meta"]
    article = pipeline.process(
        (META / "email-and-several-in-meta.html").read_bytes(), expect["url"]
    )
    same_day = replace(article, modified=article.published)
    assert "Updated" not in render.as_html(same_day) and "updated" not in render.as_text(same_day)


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2024-05-06T07:00:00+0200", "2024-05-06T07:00:00+02:00"),
        ("Jul 18, 2025", "2025-07-18"),
        ("July 17, 2025", "2025-07-17"),
        ("5. März 2025", "2025-03-05"),
        ("Mon, 06 May 2024 07:00:00 GMT", "2024-05-06T07:00:00+00:00"),
        ("4/24/2000 12:00:00 AM", "2000-04-24"),  # 24 is no month: the day
        ("Dec 13, 2016 4:51 PM", "2016-12-13T16:51:00"),  # a 12-hour clock: the afternoon
        ("2016-12-13 12:05 a.m.", "2016-12-13T00:05:00"),
        ("24.04.2000", "2000-04-24"),
        ("4/5/2000 12:00:00 AM", None),  # day and month order unknown: not guessed
        ("04/05/2000/7", None),  # no date: a path
        ("The offer ends on July 17, 2025 for every reader of the page", None),  # a sentence
        ("1970-01-01", None),
    ],
)
def test_dates_as_pages_write_them(value: str, day: str | None) -> None:
    assert datefmt.normalise(value) == day


@pytest.mark.parametrize(
    ("languages", "month_first"),
    [
        (("en-US",), True),
        (("en_US",), True),
        (("en", "en-US"), True),  # the first that gives a rule
        (("en-GB",), False),
        (("de",), False),
        (("fr-CA",), False),
        (("en",), None),  # English without a region: both orders are written
        (("en-CA",), None),
        (("ja",), None),  # puts the year first
        ((None, "en-us, en"), True),  # a Content-Language header
        ((), None),
    ],
)
def test_the_order_of_a_date_in_numbers_comes_from_the_language(languages, month_first) -> None:
    assert datefmt.month_first(*languages) is month_first


@pytest.mark.parametrize(
    ("value", "month_first", "day"),
    [
        ("03/05/2013", True, "2013-03-05"),
        ("03/05/2013", False, "2013-05-03"),
        ("03/05/2013", None, None),  # never guessed
        ("03/25/2013", None, "2013-03-25"),
        ("25-03-2013", True, "2013-03-25"),  # the date's own order beats the language's
        ("05/05/2013", None, "2013-05-05"),  # the same either way
        ("02/30/2013", True, None),
    ],
)
def test_a_date_in_numbers_is_read_in_the_pages_order(value, month_first, day) -> None:
    assert datefmt.normalise(value, month_first) == day


def test_a_date_line_in_numbers_is_not_guessed_without_a_rule() -> None:
    """An English page without a region shows "03/05/2013": March 5 or 3 May; no date is given,
    where the same line on an en-US page is March 5 (``us-date-in-numbers``)."""
    expect = EXPECT["us-date-in-numbers"]
    body = (META / "us-date-in-numbers.html").read_bytes()
    assert (
        pipeline.process(body.replace(b'lang="en-US"', b'lang="en"'), expect["url"]).published
        is None
    )


@pytest.mark.parametrize(
    ("value", "for_readers"),
    [
        ("Jan 17, 2025", True),
        ("5. März 2025", True),
        ("2025-01-17T09:00:00Z", False),
        ("Wed, 04 May 2022 02:41:00 GMT", False),  # RFC 2822: a machine's format
        ("13/11/2025 09:21:40", False),
        ("The offer ends on July 17, 2025 for every reader of the page", False),  # a sentence
    ],
)
def test_a_date_written_for_readers_is_told_from_a_machines(value: str, for_readers: bool) -> None:
    """A declared date in words is a template's display field (``meta.dates``)."""
    assert datefmt.for_readers(value) is for_readers


@pytest.mark.parametrize(
    ("html", "label"),
    [
        ("<p>By Ana Ruiz</p><p>March 5, 2025</p>", None),
        ("<p>Published: <time datetime='2025-03-05'>March 5, 2025</time></p>", None),
        ("<p>Updated <time datetime='2025-03-05'>March 5, 2025</time></p>", "change"),
        ("<p><time datetime='2025-03-05'>Last Updated: Mar 5, 2025</time></p>", "change"),
        ("<p>Zuletzt aktualisiert am 5. März 2025</p>", "change"),
        ("<p>Hardcover – March 5, 2025</p>", "other"),
        ("<p>Release Date: March 5, 2025</p>", "other"),
    ],
)
def test_what_a_shown_date_is_comes_from_its_label(html: str, label: str | None) -> None:
    doc = lxml.html.fromstring(f"<html><body><h1>A headline</h1>{html}</body></html>")
    first = dateline.shown(doc)[0]  # a <time> is read as an element, then as text
    assert (first.value[:10], first.label) == ("2025-03-05", label)


@pytest.mark.parametrize(
    ("html", "shown"),
    [
        ("<p>Stand: 28.04.2020 18:00 Uhr</p>", [("2020-04-28", None)]),
        ("<p>Termin: 21.02.2020, 19 Uhr</p>", [("2020-02-21", "other")]),  # an event's day
        ("<p>Ausdruck vom 11.02.2020</p>", [("2020-02-11", "other")]),  # a printed copy's
        ("<p>Sale ends 03/31/2026.</p>", [("2026-03-31", "other")]),
        (
            "<p><time itemprop='dateModified' datetime='2025-03-05'>5.3.2025</time></p>",
            [("2025-03-05", "change"), ("2025-03-05", "change")],
        ),  # element, then its text
        (
            "<p>Karlsruhe, (12.11.2021). Traditionell gedenken die Christen ihrer Toten.</p>",
            [("2021-11-12", None)],
        ),  # a lead's dateline
        (
            "<p>Das Bild zeigt den Gletscher bei St. Moritz am Morgen vom 31.05.2021 (links).</p>",
            [],
        ),  # a day the story mentions
    ],
)
def test_dates_in_numbers_beside_the_headline(html: str, shown: list) -> None:
    doc = lxml.html.fromstring(f"<html lang='de'><body><h1>Eine Meldung</h1>{html}</body></html>")
    found = dateline.shown(doc, month_first=False)
    assert [(s.value[:10], s.label) for s in found] == shown


@pytest.mark.parametrize(
    ("html", "day", "written"),
    [
        ("<p>By Jo | 03/05/2013</p>", "2013-05-03", True),  # 3 May, as htmldate reads it
        ("<p>By Jo | 03/05/2013</p>", "2013-03-05", False),
        ("<p>By Jo | 13/05/2013</p>", "2013-05-13", False),  # 13 is no month: no doubt
        ("<p>Posted 3.5.2013, 10:00</p>", "2013-05-03", True),
        ("<p>Posted 03/05/20134</p>", "2013-05-03", False),
        ("<p>Posted 03/05-2013</p>", "2013-05-03", False),
        ("<time datetime='03-05-2013'>Friday</time>", "2013-05-03", True),
    ],
)
def test_a_guess_read_from_a_date_in_numbers_is_found(html: str, day: str, written: bool) -> None:
    doc = lxml.html.fromstring(f"<html><body><h1>A headline</h1>{html}</body></html>")
    assert dateline.day_first_in_numbers(doc, day) is written


def test_an_author_list_keeps_its_people() -> None:
    """A list that names a Person and an Organization (the site's brand) keeps the Person; an
    Organization alone, or referred to by @id, is left to the byline's rules."""
    index = {"#brand": {"@type": "Organization", "name": "Wire"}}
    person = {"@type": "Person", "name": "Ana Ruiz"}
    assert jsonld.people([person, {"@type": "NewsMediaOrganization", "name": "Wire"}]) == [person]
    assert jsonld.people([person, {"@id": "#brand"}], index) == [person]
    assert jsonld.people([{"@id": "#brand"}], index) == [{"@id": "#brand"}]
    assert jsonld.people({"@type": "Organization", "name": "Wire"}) == {
        "@type": "Organization",
        "name": "Wire",
    }


def test_time_shows_the_sites_own_day_of_a_utc_instant() -> None:
    """A post at 21:13 UTC is shown as the next day in its zone: the day the reader sees wins."""
    doc = lxml.html.fromstring(
        "<html><body><h1>Pros and cons</h1><p>By Ana, "
        "<time datetime='2024-04-17T21:13:04Z'>April 18, 2024</time></p></body></html>"
    )
    assert dateline.shown(doc)[0].value == "2024-04-18"


def test_a_guess_outside_the_month_in_the_url_is_refused() -> None:
    """The URL's year and month back a date found on the page only when the date falls in them."""
    body = (META / "month-only-in-url.html").read_bytes()
    elsewhere = "https://blog.engora.example/2024/05/small-is-the-new-large.html"
    assert pipeline.process(body, elsewhere).published is None


@pytest.mark.parametrize(
    ("written", "names"),
    [
        ("Kaufman, Jeff T.", ["Kaufman", "Jeff T."]),  # an initial keeps its full stop
        ("By Ann Lee.", ["Ann Lee"]),  # a sentence's full stop does not
        ("Mary K. and Bo Chen", ["Mary K.", "Bo Chen"]),
        ("przepisy.pl", []),  # a site's address
        ("jo.smith", ["jo.smith"]),  # an account name, which a forum shows as its poster's
        ("Jo Smith @josmith", ["Jo Smith"]),  # a handle beside a name
        ("Vinay Sajip <vinay@red-dove.example>", ["Vinay Sajip"]),  # an address beside it
        ("@josmith", []),
    ],
)
def test_names_as_bylines_write_them(written: str, names: list[str]) -> None:
    assert byline.clean([written]) == names
