"""An article as an EPUB 3 for e-readers, written with the standard library's zipfile and the
templates in proxy/templates/epub/ (no EPUB library: the format is a zip of a few XML files).

Workflow of ``build``:
1. the sanitised article is parsed once more and written as XHTML (XML serialisation; MathML in
   its namespace; <picture> sources, srcset and lazy-loading hints left out, as EPUB readers
   show one image);
2. each image is loaded through ``load`` (the image proxy's guarded path: address guard on every
   hop, sniffed bytes, size cap); an image that fails is left out, never fatal;
3. the lead image, when it loads, becomes the cover (page and ``cover-image``);
4. the package: title, author, language, date, publisher, source URL, a stable identifier made
   from the URL, and every file, in a zip whose ``mimetype`` comes first and uncompressed.

The same article gives the same bytes (fixed zip times, a ``dcterms:modified`` from the article),
so the EPUB has an ETag like every other format. Pure: ``load`` is the only way out.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from jinja2 import Environment, PackageLoader, select_autoescape
from lxml import etree
from lxml.html import HtmlElement

from proxy import htmltree
from proxy.article import Article

MEDIA_TYPE = "application/epub+zip"
# Loads an image: (media type, bytes), or None when it cannot be had.
Loader = Callable[[str], tuple[str, bytes] | None]

_ENV = Environment(
    loader=PackageLoader("proxy", "templates/epub"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
# Zip entries get this time, so the same article makes the same bytes.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
# At most this many images are embedded (each is a fetch on a cache miss).
MAX_IMAGES = 40
# File name extensions of the image types the image proxy passes on.
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/avif": "avif",
}
# Attributes and elements a web page has but EPUB readers do not use (or EPUB 3 does not allow).
DROPPED_ATTRIBUTES = ("srcset", "sizes", "loading")
UNWRAPPED = ("picture",)
MATHML_NAMESPACE = "http://www.w3.org/1998/Math/MathML"
_MATH_START = re.compile(r"<math(?=[\s>/])")
DEFAULT_LANG = "en"
_LANG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
META_SEPARATOR = " · "


@dataclass(frozen=True)
class Image:
    """An image inside the EPUB: its manifest id, path and type, and its bytes."""

    id: str
    href: str
    media_type: str
    data: bytes


def build(article: Article, load: Loader) -> bytes:
    """The EPUB of ``article``; ``load`` fetches each image (see the module docstring)."""
    images: dict[str, Image] = {}
    content = _xhtml(article.content_html, lambda url: _embed(url, load, images))
    cover = _embed(article.lead_image, load, images) if article.lead_image else None
    context = _context(article, cover, list(images.values()), mathml="<math" in content)
    files = {
        "META-INF/container.xml": _ENV.get_template("container.xml").render(),
        "OEBPS/content.opf": _ENV.get_template("content.opf").render(**context),
        "OEBPS/nav.xhtml": _ENV.get_template("nav.xhtml").render(**context),
        "OEBPS/style.css": _ENV.get_template("style.css").render(),
        "OEBPS/article.xhtml": _ENV.get_template("article.xhtml").render(
            content=content, **context
        ),
    }
    if cover:
        files["OEBPS/cover.xhtml"] = _ENV.get_template("cover.xhtml").render(**context)
    return _zip(files, images.values())


def _context(article: Article, cover: Image | None, images: list[Image], *, mathml: bool) -> dict:
    lang = article.lang if article.lang and _LANG.fullmatch(article.lang) else DEFAULT_LANG
    source = article.canonical_url or article.url
    meta = [article.byline, article.site_name, _date(article.published)]
    return {
        "article": article,
        "lang": lang,
        "source": source,
        "cover": cover,
        "images": images,
        "mathml": mathml,
        "identifier": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, source)}",
        "date": _date(article.published),
        "modified": _modified(article),
        "meta": META_SEPARATOR.join(part for part in meta if part),
    }


def _xhtml(content_html: str, embed: Callable[[str], Image | None]) -> str:
    """The article's HTML as XHTML, each image pointing at its file (or left out)."""
    if not content_html.strip():
        return ""
    root = htmltree.fragment(content_html)
    for element in list(root.iter(*UNWRAPPED)):
        element.drop_tag()
    for source in list(root.iter("source")):
        source.drop_tree()
    for img in list(root.iter("img")):
        _localise(img, embed)
    for element in root.iter(etree.Element):
        for name in DROPPED_ATTRIBUTES:
            element.attrib.pop(name, None)
    parts = [etree.tostring(child, method="xml", encoding="unicode") for child in root]
    text = _escaped(root.text or "")
    return _MATH_START.sub(f'<math xmlns="{MATHML_NAMESPACE}"', text + "".join(parts))


def _localise(img: HtmlElement, embed: Callable[[str], Image | None]) -> None:
    image = embed(img.get("src") or "")
    if image is None:
        img.drop_tree()  # keeps its tail text
        return
    img.set("src", image.href)
    img.set("alt", img.get("alt") or "")


def _embed(url: str, load: Loader, images: dict[str, Image]) -> Image | None:
    """The image at ``url`` in the EPUB, loaded once; None when it fails or too many are in."""
    if url in images:
        return images[url]
    if not url.startswith(("http://", "https://")) or len(images) >= MAX_IMAGES:
        return None
    loaded = load(url)
    if loaded is None or loaded[0] not in EXTENSIONS:
        return None
    number = len(images) + 1
    media_type, data = loaded
    images[url] = Image(
        f"image-{number}", f"images/{number}.{EXTENSIONS[media_type]}", media_type, data
    )
    return images[url]


def _zip(files: dict[str, str], images: Iterable[Image]) -> bytes:
    """The EPUB container: ``mimetype`` first and stored, then every file deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", ZIP_TIME), MEDIA_TYPE, zipfile.ZIP_STORED)
        entries = [(name, text.encode("utf-8")) for name, text in files.items()]
        entries += [(f"OEBPS/{image.href}", image.data) for image in images]
        for name, data in entries:
            archive.writestr(zipfile.ZipInfo(name, ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _date(published: str | None) -> str | None:
    """The publication date as YYYY-MM-DD (what dc:date wants), or None when unreadable."""
    when = _parse(published)
    return when.date().isoformat() if when else None


def _modified(article: Article) -> str:
    """dcterms:modified, required by EPUB 3: when Declutter cleaned the article (UTC)."""
    when = _parse(article.fetched_at) or _parse(article.published) or datetime(2000, 1, 1)
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def filename(article: Article) -> str:
    """A file name for the EPUB: the title's words, lower-case, joined by hyphens."""
    words = re.findall(r"\w+", article.title.lower())[:12]
    return ("-".join(words) or "article") + ".epub"
