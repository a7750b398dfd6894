"""pageclean: readability-lxml's lxml_html_clean step done in C on plain pages gives the page the
Cleaner itself gives, and pages the Cleaner treats apart still go through it."""

from __future__ import annotations

import lxml.html
import pytest
import readability.readability
from hypothesis import given
from hypothesis import strategies as st
from lxml_html_clean import Cleaner

from proxy import htmltree
from proxy.content.pageclean import FastCleaner, _is_plain_web_link

# readability-lxml 0.9's Cleaner, as its module builds it (``readable`` replaces the module's).
READABILITY_CLEANER = Cleaner(
    scripts=True,
    javascript=True,
    comments=True,
    style=True,
    links=True,
    meta=False,
    add_nofollow=False,
    page_structure=False,
    processing_instructions=True,
    embedded=False,
    frames=False,
    forms=False,
    annoying_tags=False,
    remove_tags=None,
    remove_unknown_tags=False,
    safe_attrs_only=False,
)

PLAIN = (
    "<html><head><link rel='stylesheet' href='/a.css'><style>p {color: red}</style></head>"
    "<body onload='go()'><!-- a comment --><div style='display: flex' onclick='x()'>"
    "<p>Text <a href='https://example.org/a?b=c' onmouseover='y()'>a link</a> "
    "<img src='/i.png' data-src='/big.png' alt='an image'>tail</p><script>var a = 1;</script>"
    "after the script<?php echo 1; ?> and a processing instruction</div>"
    "<svg><use xlink:href='#icon'></use></svg><meta itemprop='name' content='x'></body></html>"
)
# Pages whose links the Cleaner rewrites, or with an <image>: done without it all the same.
REWRITTEN = [
    "<html><body><a href='javascript:alert(1)'>script link</a></body></html>",
    "<html><body><a href=' /spaced '>spaced link</a></body></html>",
    "<html><body><a href='/x%3Ajavascript:y'>quoted</a><image src='/i.png'></body></html>",
    "<html xml:lang='en'><body><a href='data:text/html,x' :class='c'>data</a></body></html>",
]
# Pages with what the Cleaner treats apart: each goes through the Cleaner itself.
APART = [
    "<html><body><iframe srcdoc='<p>x</p>' src='/f'></iframe></body></html>",
    "<html><body><iframe x:srcdoc='<p>x</p>' src='/f'></iframe></body></html>",
    "<html><body><svg><a href='/a'><set attributeName='href' to='javascript:x'/></a></svg></body>"
    "</html>",
    "<html><body><meta http-equiv='refresh' content='0; url=javascript:x'><p>t</p></body></html>",
    "<html><body><object data='javascript:x'></object></body></html>",
    "<html><body><svg:set attributeName='href' to='javascript:x'/></body></html>",
]


def _html(tree: lxml.html.HtmlElement) -> str:
    return lxml.html.tostring(tree, encoding="unicode")


def test_readability_cleans_with_the_fast_cleaner() -> None:
    import proxy.content.readable  # noqa: F401 (it sets readability-lxml's cleaner)

    assert isinstance(readability.readability.html_cleaner, FastCleaner)
    assert FastCleaner(readability.readability.html_cleaner.cleaner).plain


def test_a_plain_page_is_cleaned_in_c_as_the_cleaner_cleans_it(monkeypatch) -> None:
    page = htmltree.document(PLAIN)
    expected = _html(READABILITY_CLEANER.clean_html(page))
    fast = FastCleaner(READABILITY_CLEANER)
    monkeypatch.setattr(Cleaner, "__call__", lambda self, doc: pytest.fail("Cleaner ran"))
    cleaned = _html(fast.clean_html(page))
    assert cleaned == expected
    assert "a link" in cleaned and "after the script" in cleaned and "var a" not in cleaned
    assert "onclick" not in cleaned and "style=" not in cleaned and "comment" not in cleaned
    assert "<script" in _html(page)  # the page itself is left as it was


@pytest.mark.parametrize("html", REWRITTEN)
def test_links_are_rewritten_as_the_cleaner_rewrites_them(html: str, monkeypatch) -> None:
    page = htmltree.document(html)
    expected = _html(READABILITY_CLEANER.clean_html(page))
    fast = FastCleaner(READABILITY_CLEANER)
    monkeypatch.setattr(Cleaner, "__call__", lambda self, doc: pytest.fail("Cleaner ran"))
    assert _html(fast.clean_html(page)) == expected


@pytest.mark.parametrize("html", APART)
def test_a_page_the_cleaner_treats_apart_goes_through_it(html: str, monkeypatch) -> None:
    page = htmltree.document(html)
    expected = _html(READABILITY_CLEANER.clean_html(page))
    calls = []
    real_call = Cleaner.__call__
    monkeypatch.setattr(Cleaner, "__call__", lambda self, doc: calls.append(real_call(self, doc)))
    assert _html(FastCleaner(READABILITY_CLEANER).clean_html(page)) == expected
    assert calls, "the Cleaner did not run"


def test_a_cleaner_set_otherwise_always_runs_itself() -> None:
    assert not FastCleaner(Cleaner(forms=True)).plain


# Links around the plain web address's edges: each is judged by the Cleaner's own link cleaning.
LINKS = [
    "https://example.org/a?b=c",
    "http://example.org/",
    "https://example.org/?next=javascript:alert(1)",
    "https://example.org/%6Aavascript",
    "https://example.org/a+b",
    "https://example.org/a b",
    "https://example.org/\xa0",
    "https://example.org/\x01",
    " https://example.org/",
    "HTTPS://example.org/",
    "https://data:image/svg",
    "javascript:alert(1)",
    "/relative",
]


@pytest.mark.parametrize("link", LINKS)
def test_a_plain_web_link_is_one_the_cleaner_leaves(link: str) -> None:
    kept = READABILITY_CLEANER._remove_javascript_link(link.strip()) == link
    assert kept or not _is_plain_web_link(link)


@given(st.sampled_from(["http://", "https://"]), st.text())
def test_no_plain_web_link_is_changed_by_the_cleaner(scheme: str, rest: str) -> None:
    link = scheme + rest
    if _is_plain_web_link(link):
        assert READABILITY_CLEANER._remove_javascript_link(link.strip()) == link
