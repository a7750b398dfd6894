"""A real feed reader, Debian's newsboat, subscribed to full-text feeds of a loopback site.

newsboat runs headless (``-x reload``) with its home in a temporary folder, fetches each
``/feed?url=`` from Declutter served over real HTTP, and keeps what it read in its SQLite cache,
where the test looks for every story's whole text. With tokens set, it is subscribed with the
token in the URL's user info (``http://x:TOKEN@host/...``), which it sends as HTTP Basic.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from servers import werkzeug_server

from proxy import create_app
from proxy.bench.load import feedsite

NEWSBOAT = shutil.which("newsboat")
TOKEN = "newsboat-token-0123456789"
RELOAD_SECONDS = 60

pytestmark = pytest.mark.skipif(
    NEWSBOAT is None, reason="make test installs newsboat (apt-get install newsboat)"
)


def reload_feeds(folder: Path, subscriptions: list[str]) -> list[tuple[str, str, str]]:
    """Run newsboat once on ``subscriptions``; (feed URL, guid, content) of every item stored."""
    home = folder / "home"
    home.mkdir()
    (folder / "urls").write_text("\n".join(subscriptions) + "\n")
    env = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [NEWSBOAT, "-u", str(folder / "urls"), "-c", str(folder / "cache.db"), "-x", "reload"],
        env=env,
        capture_output=True,
        timeout=RELOAD_SECONDS,
    )
    assert done.returncode == 0, done.stderr.decode()
    with sqlite3.connect(folder / "cache.db") as db:
        return db.execute("SELECT feedurl, guid, content FROM rss_item ORDER BY guid").fetchall()


def assert_whole_stories(items: list[tuple[str, str, str]], slugs: list[str]) -> None:
    contents = {guid.rsplit(":", 1)[-1]: content for _, guid, content in items}
    assert sorted(contents) == sorted(slugs)
    for slug in slugs:
        assert feedsite.MARKER.format(slug=slug) in contents[slug]
        assert (
            "Railway historians point out" in contents[slug]
        )  # the article's body, not the teaser


def test_newsboat_stores_the_whole_articles(settings_env, tmp_path):
    app = create_app(settings_env)
    with feedsite.serving() as site, werkzeug_server(app) as base:
        address = base.removeprefix("http://")
        rss = f"http://{address}/feed?url={quote(site.base + '/rss/nb?items=3', safe='')}"
        atom = f"http://{address}/feed?url={site.base}/atom/na?items=2"  # unencoded, as typed
        items = reload_feeds(tmp_path, [rss, atom])
    assert_whole_stories(items, ["nb-0", "nb-1", "nb-2", "na-0", "na-1"])


def test_newsboat_with_the_token_in_the_url(settings_env, tmp_path):
    app = create_app({**settings_env, "DECLUTTER_TOKENS": TOKEN})
    with feedsite.serving() as site, werkzeug_server(app) as base:
        address = base.removeprefix("http://")
        feed = f"feed?url={quote(site.base + '/rss/tok?items=2', safe='')}"
        items = reload_feeds(tmp_path, [f"http://x:{TOKEN}@{address}/{feed}"])
        assert site.stories_fetched()  # it did get through
    assert_whole_stories(items, ["tok-0", "tok-1"])
