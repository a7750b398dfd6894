"""The image proxy's copies of images in Redis: the media type and the bytes, under keys.image."""

from __future__ import annotations

from proxy.store import keys
from proxy.store.client import RedisStore

COMPONENT = "images"  # the name Redis failures are counted under


def get(store: RedisStore, url: str) -> tuple[str, bytes] | None:
    """The media type and bytes kept for the image at ``url``, or None."""
    kept = store.call(lambda r: r.get(keys.image(url)), None, COMPONENT)
    if kept is None:
        return None
    media_type, _, body = kept.partition(b"\n")
    return media_type.decode("ascii"), body


def put(store: RedisStore, url: str, media_type: str, body: bytes, ttl: int) -> None:
    """Keep an image for ``ttl`` seconds (nothing while Redis is away)."""
    value = media_type.encode("ascii") + b"\n" + body
    store.call(lambda r: r.set(keys.image(url), value, ex=ttl), None, COMPONENT)
