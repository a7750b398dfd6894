"""Which rule file applies to a host, as Full-Text RSS and graby choose it.

``www.`` is dropped; the exact host's file (``example.com.txt``) wins, then the files of its parent
domains (``.example.com.txt`` for ``news.example.com``; never for ``example.com`` itself), then
``global.txt``. A local overrides directory is looked at before the collection for each name.
A host's own file gets global.txt appended, as Full-Text RSS and graby do (merge.py).

Start-up only lists the directories' file names (about 2,000; a few milliseconds); a host's file
is read and its XPath compiled on its first use, then kept, so a request never reads the disk
twice for the same host. Every RECHECK_SECONDS the directories' modification times are compared
(one stat each); a change rebuilds the index, as ``rules update`` swaps the folder by a rename.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from proxy.siterules.merge import merge, wants_global
from proxy.siterules.parse import SiteRules, parse

log = logging.getLogger(__name__)

SUFFIX = ".txt"
GLOBAL = "global.txt"
# Rule files larger than this are not read (the collection's largest is about 20 KB).
MAX_FILE_BYTES = 256 * 1024
# Seconds between looks at the directories for a change (``rules update``'s rename, a file added
# or replaced by an editor's rename), so a running server takes new rules without a restart.
RECHECK_SECONDS = 10.0


class RuleIndex:
    """The rule files of one or more directories, indexed by file name; later directories win."""

    def __init__(self, directories: list[Path]) -> None:
        self.directories = directories
        self._stamp, self._checked = _stamp(directories), time.monotonic()
        self.files: dict[str, Path] = {}
        for directory in directories:
            self.files.update(_listing(directory))
        self._parsed: dict[str, SiteRules | None] = {}
        self._merged: dict[str, SiteRules | None] = {}
        self._versions: dict[str, str] = {}
        self._lock = threading.Lock()

    def __bool__(self) -> bool:
        return bool(self.files)

    def changed(self) -> bool:
        """Whether a directory changed since it was indexed; looked at every RECHECK_SECONDS."""
        now = time.monotonic()
        if now - self._checked < RECHECK_SECONDS:
            return False
        self._checked = now
        return _stamp(self.directories) != self._stamp

    def names_for(self, host: str) -> list[str]:
        """The file names looked for, in order, for ``host``."""
        host = host.lower().rstrip(".")
        host = host[4:] if host.startswith("www.") else host
        labels = host.split(".")
        parents = ["." + ".".join(labels[i:]) + SUFFIX for i in range(1, len(labels) - 1)]
        if labels[-1].isdigit() or ":" in host:  # an IP address has no parent domains
            parents = []
        return [host + SUFFIX, *parents, GLOBAL]

    def file_for(self, host: str) -> str | None:
        """The name of the first rule file that exists for ``host``, or None."""
        return next((name for name in self.names_for(host) if name in self.files), None)

    def for_host(self, host: str) -> SiteRules | None:
        """The rules for ``host``: its file with global.txt appended (merge.py), global.txt alone
        without a file of its own; None when no file (not even global.txt) exists."""
        name = self.file_for(host)
        if name is None or name == GLOBAL:
            return None if name is None else self.for_host_file(name)
        if name not in self._merged:
            own = self.for_host_file(name)
            base = self.for_host_file(GLOBAL) if GLOBAL in self.files else None
            self._merged[name] = merge(own, base) if own and base and wants_global(own) else own
        return self._merged[name]

    def version(self, host: str) -> str:
        """The digest of ``host``'s rule file ("" without one), remembered: cache keys ask often."""
        if host not in self._versions:
            rules = self.for_host(host)
            self._versions[host] = rules.digest if rules else ""
        return self._versions[host]

    def parse_all(self) -> dict[str, SiteRules]:
        """Every file parsed (for checks and ``rules update``), kept for later lookups too."""
        return {
            name: rules
            for name in sorted(self.files)
            if (rules := self.for_host_file(name)) is not None
        }

    def for_host_file(self, name: str) -> SiteRules | None:
        """The parsed rules of the file ``name``, read on first use."""
        if name not in self._parsed:
            with self._lock:
                self._parsed.setdefault(name, self._read(name))
        return self._parsed[name]

    def _read(self, name: str) -> SiteRules | None:
        path = self.files[name]
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise OSError("too large")
            text = path.read_bytes().decode("utf-8", "replace")
        except OSError as exc:
            log.warning("site rule file %s cannot be read (%s); skipped", path, exc)
            return None
        return parse(text, name)


def _stamp(directories: list[Path]) -> tuple[tuple[int, int] | None, ...]:
    """Each directory's inode and modification time (None while it is missing)."""
    stamps: list[tuple[int, int] | None] = []
    for directory in directories:
        try:
            status = directory.stat()
            stamps.append((status.st_ino, status.st_mtime_ns))
        except OSError:
            stamps.append(None)
    return tuple(stamps)


def _listing(directory: Path) -> dict[str, Path]:
    """The rule files directly in ``directory`` by name (none when it is missing)."""
    try:
        entries = list(directory.iterdir())
    except OSError:
        if directory.exists():
            log.warning("site rules directory %s cannot be read; no rules from it", directory)
        return {}
    return {entry.name: entry for entry in entries if entry.name.endswith(SUFFIX)}
