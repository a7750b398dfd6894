"""Markdown from an article's sanitised HTML: made once per article by the pipeline, kept with it.

html-to-markdown (a Rust converter) rather than markdownify, which is quadratic in the length of a
whitespace run (an article holding 20,000 spaces took 2.9 s, 60,000 took 19 s) and about 9 times
slower on real articles (37 ms against 4 ms per 64 KB, on 120 of boilerplate-990); html-to-markdown
converts 200,000 spaces, ``<br>`` or list items in a few milliseconds, in time linear in the input.

Markdown is often turned into HTML by whoever reads it, outside the reader page's CSP, so what was
text in the article stays text: ``<``, ``[``, ``*``, ``_``, ``#`` and the rest of the text's
Markdown syntax are backslash-escaped (``&lt;img onerror&gt;`` becomes ``\\<img onerror\\>``,
never a tag, and ``[x](javascript:...)`` typed as text stays text). Link and image targets come
from the sanitiser, which keeps only http(s) and mailto. ``inline`` escapes the fields outside the
body (title, byline) the same way, and ``autolink`` writes a URL only when it is http(s).
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import html_to_markdown as h2m
from html_to_markdown import ConversionOptions, convert

# The converter's settings: ATX headings, "-" bullets, and the text's Markdown syntax escaped.
# Every choice among named styles is given as the package's own value, its default where we keep
# it: ``convert`` reads a value given as a string ("atx") into one on every call, by trying up to
# seven spellings of it as an attribute of the Rust class, twelve settings a call (~0.3 ms, as
# long as converting a short article). Speed shortcut (proxy/web/shortcuts.py).
OPTIONS = ConversionOptions(
    heading_style=h2m.HeadingStyle.ATX,
    bullets="-",
    escape_misc=True,
    escape_asterisks=True,
    escape_underscores=True,
    extract_metadata=False,
    autolinks=False,
    list_indent_type=h2m.ListIndentType.SPACES,
    highlight_style=h2m.HighlightStyle.DOUBLE_EQUAL,
    whitespace_mode=h2m.WhitespaceMode.NORMALIZED,
    newline_style=h2m.NewlineStyle.SPACES,
    code_block_style=h2m.CodeBlockStyle.BACKTICKS,
    inline_data_media=h2m.InlineDataMedia.KEEP,
    hidden_content=h2m.HiddenContent.DROP,
    url_escape_style=h2m.UrlEscapeStyle.ANGLE,
    link_style=h2m.LinkStyle.INLINE,
    output_format=h2m.OutputFormat.MARKDOWN,
    tier_strategy=h2m.TierStrategy.AUTO,
)
# What opens Markdown syntax inside a line that has its own start (after "# ", inside *...*): code,
# emphasis, links and images, raw HTML, entities, a heading's closing #, tables, strikethrough.
# CommonMark lets a backslash escape any ASCII punctuation.
_SYNTAX = re.compile(r"([\\`*_{}\[\]<>#|~&!])")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
# Schemes a URL written outside the body may have.
AUTOLINK_SCHEMES = frozenset({"http", "https"})
# Characters percent-encoded in an autolink: CommonMark ends one at spaces, controls, < and >.
AUTOLINK_SAFE = "!#$%&'()*+,/:;=?@[]~-._"


def convert_body(content_html: str) -> str:
    """The article's body (sanitised HTML) as Markdown, its text escaped."""
    if not content_html.strip():
        return ""
    return (convert(content_html, OPTIONS).content or "").strip()


def inline(value: str) -> str:
    """A field shown inside Markdown (title, byline): one line, every syntax character escaped."""
    return _SYNTAX.sub(r"\\\1", _LINE_BREAKS.sub(" ", value).strip())


def autolink(url: str) -> str:
    """``<url>`` for an http(s) URL (percent-encoded where an autolink would end), else text."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:  # an unparsable URL (a bad IPv6 literal) is shown as text
        scheme = ""
    if scheme not in AUTOLINK_SCHEMES:
        return inline(url)
    return f"<{quote(url, safe=AUTOLINK_SAFE)}>"
