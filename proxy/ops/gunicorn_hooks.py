"""gunicorn server hooks, run in the master; deploy/gunicorn.conf.py installs them.

- ``on_starting``: before any worker forks, set up the metrics directory, refuse a non-loopback bind
  without tokens (auth.check_exposure), and start the one embedded Redis all workers share when
  REDIS_URL is unset (embedded_redis.export_for_workers); then import the heavy libraries the
  workers use (SHARED_LIBRARIES), so that every worker forked later, recycled ones included, finds
  them loaded instead of spending a tenth of a second of CPU importing them again.
- ``post_fork``: in each new worker, before it loads the app, drop the master's copies of
  Declutter's modules (``proxy.*``; the master imports some for these hooks, the worker class and
  the logger class), so the app is imported from the code on disk. A HUP (systemctl reload) thus
  serves new Declutter code and templates (tests/test_reload.py); new library versions, and
  changes to this module, the worker class or the logger class, need a restart. A master must
  never import a module that registers something process-wide at import (proxy.ops.metrics'
  collectors): the worker's fresh copy would register it twice.
- ``child_exit`` / ``on_exit``: metrics bookkeeping for prometheus_client's multiprocess mode.

prometheus_client reads PROMETHEUS_MULTIPROC_DIR when first imported, so this module imports it only
inside the hooks, after the directory is set.
"""

from __future__ import annotations

import glob
import importlib
import os
import shutil
import sys
import tempfile
from typing import Any

from proxy.config import ConfigError, Settings
from proxy.store import embedded_redis
from proxy.web import auth

# prometheus_client's variable naming the directory of the workers' sample files.
METRICS_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Prefix of the directory made when the operator has not set one; removed again at exit.
METRICS_PREFIX = "declutter-metrics-"
_made: list[str] = []  # the directory on_starting made, for on_exit
# Declutter's import package: its modules are imported afresh by every new worker (post_fork).
PACKAGE = "proxy"
# Third-party modules the workers import, loaded once in the master (flask and redis already are).
# None of them starts a thread or opens a file or socket at import, so forking after them is safe.
SHARED_LIBRARIES = (
    "lxml.html",
    "readability",
    "bleach",
    "html_to_markdown",
    "urllib3",
    "charset_normalizer",
    "prometheus_client",
)


def on_starting(server: Any) -> None:
    """Master, before any worker forks: metrics directory, bind check, the shared embedded Redis."""
    prepare_metrics_dir()
    try:
        settings = Settings.from_env(os.environ)
        for address in auth.served_binds(server.cfg.bind, os.environ):  # systemd's sockets too
            auth.check_exposure(auth.bind_host(address), settings)
    except ConfigError as exc:
        raise SystemExit(f"declutter: {exc}") from None
    embedded_redis.export_for_workers()
    for name in SHARED_LIBRARIES:
        importlib.import_module(name)


def post_fork(server: Any, worker: Any) -> None:
    """A new worker, before it loads the app: forget the master's Declutter modules, so that the
    app and everything it imports come from the code on disk now (the libraries stay shared)."""
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


def prepare_metrics_dir() -> None:
    """Use the operator's directory emptied of a previous run's files, or make a fresh one."""
    path = os.environ.get(METRICS_ENV)
    if path:
        for stale in glob.glob(os.path.join(path, "*.db")):  # old samples would add to the new
            os.unlink(stale)
        return
    os.environ[METRICS_ENV] = tempfile.mkdtemp(prefix=METRICS_PREFIX)
    _made.append(os.environ[METRICS_ENV])


def child_exit(server: Any, worker: Any) -> None:
    """A worker is gone: drop its live gauge samples (its counters stay in the sums)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server: Any) -> None:
    """Remove the metrics directory on_starting made."""
    for path in _made:
        shutil.rmtree(path, ignore_errors=True)
