"""The ``declutter`` command: serve, read a URL, or clean a saved file.

    declutter serve [--host 127.0.0.1] [--port 8080]     the development server (gunicorn serves)
    declutter read URL [--format text] [--refresh]       through the server's cache and fetcher
    declutter extract FILE --url URL [--format text]     a saved page: no network, no Redis
    declutter rules test HOST | update [--from URL]      site rules (cli/rules.py)

Output goes to stdout, messages to stderr. Exit codes: 0 done, 1 the page could not be read (the
message gives the HTTP status the server would have answered), 2 bad usage or input (extract's
--url passes the server's URL gate, its FILE the server's DECLUTTER_MAX_BYTES), 3 bad
configuration. Subcommands are registered in ``COMMANDS``; more (``cache ...``) can be added there.
"""

from __future__ import annotations

import argparse
import functools
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from werkzeug import serving

from proxy import create_app, service
from proxy.cli import rules
from proxy.config import ConfigError, Settings
from proxy.content import pipeline
from proxy.errors import BadURL, DeclutterError, RefusedAddress, TooLarge
from proxy.formats import render
from proxy.net import urls
from proxy.ops import logs
from proxy.store import cache_admin, client
from proxy.store.client import RedisStore
from proxy.web import auth, credentials

EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE, EXIT_CONFIG = 0, 1, 2, 3
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8080  # loopback: exposing it is a deliberate choice
FORMATS = tuple(render.MEDIA_TYPES)
DEFAULT_FORMAT = "text"  # what reads best in a terminal


def serve(args: argparse.Namespace) -> int:
    """Run the development server (threaded, no reloader); SIGTERM stops it like Ctrl-C."""
    signal.signal(
        signal.SIGTERM, lambda signum, frame: sys.exit(EXIT_OK)
    )  # so atexit stops embedded Redis
    app = create_app()
    auth.check_exposure(args.host, app.config["SETTINGS"])  # off loopback only with tokens
    logs.configure_server()  # its start-up and access lines as JSON, like the app's
    # werkzeug's server without app.run's banner, which would print plain lines to stdout
    serving.run_simple(args.host, args.port, app, threaded=True, use_reloader=False)
    return EXIT_OK


def read(args: argparse.Namespace) -> int:
    """Print the article at a URL, read through the cache like the server does."""
    with _configured_app():
        article, hit = service.read_article(args.url, refresh=args.refresh)
    _print(render.render(article, args.format, cached=hit, stylesheet=_stylesheet()))
    return EXIT_OK


def extract(args: argparse.Namespace) -> int:
    """Print the article in a saved HTML file, as if it had been fetched from ``--url``."""
    try:
        url = urls.validate(args.url)  # a javascript: --url would become the article's link
    except (BadURL, RefusedAddress) as exc:
        print(f"declutter: --url {args.url!r}: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    try:
        body = _read_page(Path(args.file), Settings.from_env(os.environ).max_bytes)
    except OSError as exc:
        print(f"declutter: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    except TooLarge as exc:
        print(f"declutter: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    article = pipeline.process(body, url)
    _print(render.render(article, args.format, stylesheet=_stylesheet()))
    return EXIT_OK


def _read_page(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of a saved page; TooLarge past them (so /dev/zero ends, quickly)."""
    with path.open("rb") as handle:
        body = handle.read(limit + 1)
    if len(body) > limit:
        raise TooLarge(f"{path} is larger than {limit} bytes (DECLUTTER_MAX_BYTES).")
    return body


def _add_serve(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("serve", help="run the development server")
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})"
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )
    parser.set_defaults(run=serve)


def _add_read(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("read", help="print the article at a URL")
    parser.add_argument("url", help="absolute http(s) URL of the article")
    parser.add_argument("--format", choices=FORMATS, default=DEFAULT_FORMAT)
    parser.add_argument("--refresh", action="store_true", help="fetch again even if cached")
    parser.set_defaults(run=read)


def _add_extract(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("extract", help="print the article in a saved HTML file")
    parser.add_argument("file", help="the saved page")
    parser.add_argument(
        "--url", required=True, help="the URL the page came from (for links and images)"
    )
    parser.add_argument("--format", choices=FORMATS, default=DEFAULT_FORMAT)
    parser.set_defaults(run=extract)


@contextmanager
def _configured_app() -> Iterator[None]:
    """In the context of the app the configuration describes; its Redis connections are closed
    after, as the command may not be the process's last (the tests run several in theirs)."""
    app = create_app()
    try:
        with app.app_context():
            yield
    finally:
        client.close_app(app)


@contextmanager
def _app_store() -> Iterator[RedisStore]:
    """The Redis store of the app the configuration describes, for the operator's commands."""
    with _configured_app():
        yield client.current()


# Each adds one subcommand to the parser; later subcommands (cache stats, purge...) are added here.
COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    _add_serve,
    _add_read,
    _add_extract,
    functools.partial(cache_admin.add_command, open_store=_app_store),
    credentials.add_command,
    rules.add_command,
]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand of ``COMMANDS``."""
    parser = argparse.ArgumentParser(
        prog="declutter", description="A self-hosted readability proxy."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``declutter`` console script; exits with the codes in the docstring."""
    args = build_parser().parse_args(argv)
    sys.exit(run(args))


def run(args: argparse.Namespace) -> int:
    """Run a parsed command, turning failures into a message on stderr and an exit code."""
    try:
        return args.run(args)
    except ConfigError as exc:
        print(f"declutter: configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except DeclutterError as exc:
        print(f"declutter: {exc.message} (HTTP {exc.status})", file=sys.stderr)
        return EXIT_USAGE if exc.status == BadURL.status else EXIT_UNREADABLE


def _print(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _stylesheet() -> str:
    """The reader stylesheet as a file: URL, so HTML written by the CLI is styled when opened
    locally."""
    return (Path(__file__).parent / "static" / "reader.css").as_uri()
