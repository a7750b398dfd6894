"""gunicorn settings for Declutter, every number from the environment with a default.

Run:    gunicorn -c deploy/gunicorn.conf.py "proxy:create_app()"
Check:  gunicorn -c deploy/gunicorn.conf.py --check-config "proxy:create_app()"

Reading an article is mostly waiting on the upstream site, so workers are threaded (gthread):
a few processes for the CPU-bound extraction, several threads each for the waiting.
"""

from __future__ import annotations

import multiprocessing
import os

from proxy.ops import gunicorn_hooks as hooks

# The upstream fetch timeout when DECLUTTER_FETCH_TIMEOUT is unset (config.py's default).
FETCH_TIMEOUT_DEFAULT = 15.0
# Seconds a worker gets beyond the fetch timeout for extraction and rendering before it is killed.
EXTRACTION_ALLOWANCE = 15


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


# Address to listen on. Keep loopback behind nginx; any other address needs DECLUTTER_TOKENS or
# DECLUTTER_PUBLIC=1. In a container: DECLUTTER_BIND=0.0.0.0:8000.
bind = [os.environ.get("DECLUTTER_BIND") or "127.0.0.1:8000"]

# Processes: gunicorn's rule of thumb 2 x CPUs + 1. Lower it on a small box short of memory
# (each worker holds lxml and readability, about 60 MB).
workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
# gthread with a deadline on reading request headers (GUNICORN_HEADER_TIMEOUT seconds, 10 by
# default), so clients trickling headers cannot hold the threads. Plain: worker_class = "gthread".
worker_class = "proxy.ops.gunicorn_worker.HeaderDeadlineWorker"
# preload_app stays off: the app is imported after on_starting sets up the metrics directory.
# Threads per worker: requests waiting on slow sites at once, per process.
threads = _int("GUNICORN_THREADS", 4)

# A worker silent this long is killed. It must outlast the longest upstream fetch plus extraction,
# or a slow site would kill workers mid-request.
_fetch_timeout = float(os.environ.get("DECLUTTER_FETCH_TIMEOUT") or FETCH_TIMEOUT_DEFAULT)
timeout = _int("GUNICORN_TIMEOUT", int(_fetch_timeout) + EXTRACTION_ALLOWANCE)
if timeout <= _fetch_timeout:
    raise SystemExit(f"GUNICORN_TIMEOUT={timeout} must exceed DECLUTTER_FETCH_TIMEOUT")
# On restart (SIGHUP, deploy) requests in flight get this long to finish; compose's
# stop_grace_period and systemd's TimeoutStopSec are set a little above it.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Idle keep-alive seconds; nginx in front reuses connections.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Recycle workers now and then so a slow leak in a parser cannot grow without bound; jitter keeps
# them from restarting together. A new worker costs about 0.1 s of CPU (the master has imported the
# heavy libraries, gunicorn_hooks.on_starting): a few microseconds a request at 20000. 0: never.
max_requests = _int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = max_requests // 10

# Logs to stdout/stderr for journald or docker, one JSON object a line like the app's own. The
# access line carries the request id the app returns as X-Request-ID and the cache status it returns
# as X-Cache (HIT, MISS, STALE), in its message and as fields. Plain text: comment out logger_class.
accesslog = "-"
errorlog = "-"
logger_class = "proxy.ops.logs.GunicornLogger"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}o)s cache=%({x-cache}o)s'

# gunicorn 24+ opens a control socket under $HOME for gunicornc; Declutter does not use it, and
# under systemd's ProtectSystem or a read-only container home it could not be created.
control_socket_disable = True

# X-Forwarded-Proto is believed only from these addresses (nginx on the same host by default).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Master hooks: refuse a non-loopback bind without tokens, start the embedded Redis all workers
# share, keep metrics whole; post_fork has new workers import Declutter's code anew (HUP reloads).
on_starting = hooks.on_starting
post_fork = hooks.post_fork
child_exit = hooks.child_exit
on_exit = hooks.on_exit
