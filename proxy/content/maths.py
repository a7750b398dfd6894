"""Maths as the page's scripts rendered it, kept in a form that needs no script: MathML, else TeX.

Browsers render MathML Core themselves (Chromium 109+, Firefox, Safari), and sanitise.py keeps it
under an allowlist. Maths libraries leave it in one of these shapes, each handled before the
page's scripts and chrome are pruned:

- KaTeX writes each formula twice: MathML (``.katex-mathml``) and spans drawn by its CSS
  (``.katex-html``, hidden from assistive technology). The spans mean nothing without that CSS:
  the formula becomes its MathML, whose ``<annotation>`` keeps the TeX too.
- MathJax 3 writes ``<mjx-container>`` (custom elements drawn by CSS) and, for screen readers,
  ``<mjx-assistive-mml>`` holding MathML: the container becomes that MathML.
- MathJax 2 keeps the source in ``<script type="math/tex">`` (or ``math/mml``) beside its
  rendering (``.MathJax`` spans, previews, display blocks): a rendering holding MathML becomes it,
  other renderings go, and the script's source is kept: MathML parsed in, TeX as ``<code>``.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable

from lxml import etree
from lxml.html import HtmlElement

from proxy import htmltree
from proxy.content.charset import Decoded

# Class names (whole tokens) of rendered maths whose own markup needs the library's CSS or script.
RENDERED_CLASSES = frozenset(
    {
        "katex",
        "katex-display",  # KaTeX: the formula, and its display-mode wrapper
        "MathJax",
        "MathJax_Display",
        "MathJax_Preview",
        "MathJax_SVG",
        "MathJax_SVG_Display",
        "MathJax_CHTML",
        "MathJax_PHTML",
        "MathJax_MathContainer",  # MathJax 2's output jax
    }
)
# Elements of rendered maths by tag (MathJax 3).
RENDERED_TAGS = ("mjx-container",)
# Classes of a display (block) formula, and MathJax 3's attribute saying so.
DISPLAY_CLASSES = frozenset({"katex-display", "MathJax_Display", "MathJax_SVG_Display"})
# The types of MathJax 2's source scripts ("math/tex; mode=display" is a display formula).
TEX_TYPE = re.compile(r"^\s*math/tex\s*(;\s*mode\s*=\s*display)?", re.I)
MATHML_TYPE = re.compile(r"^\s*math/mml\b", re.I)
# Strings one of which every page with rendered maths holds; the others (nearly all) are not
# searched (the tree search took 2% of the pipeline; see ``present``).
MARKERS = ("katex", "MathJax", "mjx-container", "math/")
# Elements that may be rendered maths, found in C (most pages have none); tokens checked after.
_CANDIDATES = etree.XPath(
    "descendant-or-self::*[contains(@class, 'katex') or contains(@class, 'MathJax')]"
)
_SOURCES = etree.XPath("descendant-or-self::script[starts-with(normalize-space(@type), 'math/')]")


# The markers as they are in a page's UTF-8 (ASCII: a byte a character, found only as themselves).
_MARKER_BYTES = tuple(marker.encode() for marker in MARKERS)


def _c_strstr() -> Callable[[bytes, bytes], int | None] | None:
    """The C library's ``strstr``, or None where ctypes does not reach one."""
    try:
        strstr = ctypes.CDLL(None).strstr
    except (OSError, AttributeError):
        return None
    strstr.restype = ctypes.c_void_p  # where the marker is, or None
    strstr.argtypes = (ctypes.c_char_p, ctypes.c_char_p)  # a bytes object's own buffer
    found: Callable[[bytes, bytes], int | None] = strstr
    return found


_STRSTR = _c_strstr()


def present(page: str) -> bool:
    """Whether the page's source may hold rendered maths (a cheap test before ``recover``).

    A page read from UTF-8 (``charset.Decoded``) is searched in its bytes by the C library's
    ``strstr`` (glibc's compares many bytes an instruction), as is an ASCII page (copied into
    bytes), unless a NUL byte would end the search early: Python's ``in`` tries each character in
    turn, and four searches of a whole page were over 1% of a boilerplate-990 page's
    instructions. Speed shortcut (proxy/web/shortcuts.py)."""
    utf8 = page.utf8 if isinstance(page, Decoded) else page.encode() if page.isascii() else None
    if utf8 is not None and _STRSTR is not None and b"\0" not in utf8:
        return any(_STRSTR(utf8, marker) for marker in _MARKER_BYTES)
    return any(marker in page for marker in MARKERS)


def recover(root: HtmlElement) -> None:
    """Turn every rendered formula under ``root`` into MathML or TeX source, in place."""
    for element in [el for el in root.iter(*RENDERED_TAGS) if el.getparent() is not None]:
        _replace_rendering(element)
    rendered = [el for el in _CANDIDATES(root) if _classes(el) & RENDERED_CLASSES]
    for element in rendered:
        if element.getparent() is not None and _outermost(element):
            _replace_rendering(element)
    for script in _SOURCES(root):
        _keep_source(script)


def _replace_rendering(element: HtmlElement) -> None:
    """The rendering replaced by the MathML inside it, or removed when it holds none."""
    math = next(element.iter("math"), None)
    if math is None:
        element.drop_tree()
        return
    if _classes(element) & DISPLAY_CLASSES or element.get("display") == "true":
        math.set("display", "block")
    htmltree.replace(element, math)


def _keep_source(script: HtmlElement) -> None:
    """A MathJax 2 source script as MathML or <code>; left alone unless it holds maths."""
    kind = script.get("type") or ""
    source = (script.text or "").strip()
    tex, mathml = TEX_TYPE.match(kind), MATHML_TYPE.match(kind)
    if not (tex or mathml) or not source:
        return
    previous = script.getprevious()
    if previous is not None and previous.tag == "math":
        replacement = None  # its rendering held the MathML already
    elif mathml:
        replacement = next(htmltree.fragment(source).iter("math"), None)
    else:
        replacement = _tex_code(source, display=bool(tex and tex.group(1)))
    if replacement is None:
        script.drop_tree()
    else:
        htmltree.replace(script, replacement)


def _tex_code(source: str, *, display: bool) -> HtmlElement:
    """TeX as ``<code>`` (in a ``<pre>`` for a display formula)."""
    code = htmltree.PARSER.makeelement("code")
    code.text = source
    if not display:
        return code
    block = htmltree.PARSER.makeelement("pre")
    block.append(code)
    return block


def _outermost(element: HtmlElement) -> bool:
    return not any(_classes(a) & RENDERED_CLASSES for a in element.iterancestors())


def _classes(element: HtmlElement) -> frozenset[str]:
    value = element.get("class") if isinstance(element.tag, str) else None
    return frozenset(value.split()) if value else frozenset()
