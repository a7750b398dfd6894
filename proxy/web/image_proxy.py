"""The image proxy: the article's images served from this server, so the publisher never sees the
reader's address and hot-link protection does not break the page.

``GET /img/<signature>/<encoded url>`` (addresses made by imagelinks.py, on by default,
``DECLUTTER_IMAGE_PROXY=0`` turns it off):

1. the signature is checked (403 otherwise): only images this server put into a page;
2. Redis is asked first (store/images.py, kept ``DECLUTTER_IMAGE_TTL`` seconds);
3. otherwise fetch.py fetches it, with the same address guard on every redirect hop, asking for
   an image: a declared type other than JPEG, PNG, GIF, WebP or AVIF is refused (415), and so is
   anything over ``DECLUTTER_IMAGE_MAX_BYTES`` (413);
4. the bytes must be one of those formats by their magic numbers, whatever the label said (HTML
   served as image/png is refused), and go out labelled with the format they really are;
5. the answer may be kept by the browser for a year: the address names one image for good.

SVG is never passed on: it is a document that can carry scripts. Image fetches are not charged to
the reader's fetch budget (an article has many images); only signed addresses can cause one.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, request

from proxy import ctx
from proxy.config import Settings
from proxy.errors import NotImage
from proxy.formats.imagelinks import ImageLinks
from proxy.net import fetch
from proxy.store import client, images
from proxy.web import auth

bp = Blueprint("image_proxy", __name__)

EXTENSION = "declutter.images"  # key in app.extensions: the app's ImageLinks, or None when off
# Formats passed on, by their magic numbers: the media type, and (offset, bytes) all found there.
MAGIC: tuple[tuple[str, tuple[tuple[int, bytes], ...]], ...] = (
    ("image/jpeg", ((0, b"\xff\xd8\xff"),)),
    ("image/png", ((0, b"\x89PNG\r\n\x1a\n"),)),
    ("image/gif", ((0, b"GIF87a"),)),
    ("image/gif", ((0, b"GIF89a"),)),
    ("image/webp", ((0, b"RIFF"), (8, b"WEBP"))),
    ("image/avif", ((4, b"ftypavif"),)),
    ("image/avif", ((4, b"ftypavis"),)),
)
IMAGE_TYPES = frozenset(media for media, _ in MAGIC)
IMAGE_ACCEPT = "image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9"
# Browsers keep an image for a year: a signed address always names the same image.
CACHE_CONTROL = "private, max-age=31536000, immutable"
ERROR_TYPE = "text/plain; charset=utf-8"


def init_app(app: Flask) -> None:
    """Keep the app's ImageLinks (None with DECLUTTER_IMAGE_PROXY=0) and serve /img/."""
    settings: Settings = app.config["SETTINGS"]
    links = ImageLinks.from_secret(auth.secret_key(settings)) if settings.image_proxy else None
    app.extensions[EXTENSION] = links
    app.register_blueprint(bp)


def html_variant() -> str:
    """The ETag variant of HTML pages: turning the proxy on or off changes every page's images."""
    return (
        "html"
        if ctx.current_app._get_current_object().extensions[EXTENSION] is None
        else "html+img"
    )


def links(*, absolute: bool = False) -> ImageLinks | None:
    """The current app's image addresses (absolute ones for pages read off this server)."""
    found: ImageLinks | None = ctx.current_app._get_current_object().extensions[EXTENSION]
    if found is None or not absolute:
        return found
    return found.with_base(f"{request.host_url}{found.base.lstrip('/')}")


@bp.get("/img/<signature>/<encoded>")
def image(signature: str, encoded: str) -> Response:
    """One image, by an address this server signed."""
    found = links()
    if found is None:
        return Response("The image proxy is off.\n", status=404, content_type=ERROR_TYPE)
    media_type, body, hit = load(found.verify(signature, encoded))
    response = Response(body, content_type=media_type)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["X-Cache"] = "HIT" if hit else "MISS"
    return response


def load(url: str) -> tuple[str, bytes, bool]:
    """The image at ``url`` (media type, bytes, from Redis or not): Redis first, else fetched."""
    settings: Settings = current_app.config["SETTINGS"]
    store = client.current()
    kept = images.get(store, url)
    if kept is not None:
        return *kept, True
    media_type, body = fetch_image(url, settings)
    images.put(store, url, media_type, body, settings.image_ttl)
    return media_type, body, False


def fetch_image(url: str, settings: Settings) -> tuple[str, bytes]:
    """The image at ``url`` through fetch.py's guarded path, its type sniffed from its bytes."""
    want = fetch.Want(IMAGE_ACCEPT, IMAGE_TYPES, "an image", NotImage, settings.image_max_bytes)
    fetched = fetch.fetch(url, settings, want=want)
    media_type = sniff(fetched.body)
    if media_type is None:
        raise NotImage("The address does not serve a JPEG, PNG, GIF, WebP or AVIF image.")
    return media_type, fetched.body


def sniff(body: bytes) -> str | None:
    """The image format ``body`` is, by its magic number; None when it is none of MAGIC."""
    for media_type, marks in MAGIC:
        if all(body[offset : offset + len(magic)] == magic for offset, magic in marks):
            return media_type
    return None
