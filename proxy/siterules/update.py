"""``declutter rules update``: the collection downloaded at the user's request, never at start-up.

The archive (zip or tar.gz, as GitHub serves a release or a branch) comes through fetch.fetch, so
the address guard and the host lists hold for it as for any page. It is unpacked into a fresh
folder beside the current rules (rule files only: ``*.txt`` at any depth, flattened; no links, no
paths leaving the folder), every file is parsed, and only then is the old folder swapped out by
two renames. A broken archive, or one without rule files, raises and leaves the old rules as
they were.
"""

from __future__ import annotations

import io
import shutil
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path, PurePosixPath

from proxy.config import Settings
from proxy.errors import RulesArchiveBroken
from proxy.net import fetch
from proxy.siterules.match import SUFFIX, RuleIndex

# The collection's current state as GitHub serves it (the repository makes no numbered releases).
DEFAULT_URL = "https://github.com/fivefilters/ftr-site-config/archive/refs/heads/master.tar.gz"
# The largest archive read (the collection is about 1 MB packed) and the most bytes unpacked.
ARCHIVE_MAX_BYTES = 50_000_000
UNPACKED_MAX_BYTES = 100_000_000
# An archive with fewer rule files than this is not the collection (a wrong URL, an error page).
MIN_FILES = 1
UNCHANGED = "the rules in place are unchanged."


def update(target: Path, url: str, settings: Settings) -> int:
    """Download ``url`` and make it the rules in ``target``; returns how many files it holds."""
    answer = fetch.fetch(url, replace(settings, max_bytes=ARCHIVE_MAX_BYTES), want=fetch.ANY)
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".site-rules-new-", dir=target.parent))
    try:
        count = unpack(answer.body, fresh)
        RuleIndex([fresh]).parse_all()  # every file must parse before it replaces anything
        _swap(fresh, target)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    return count


def unpack(archive: bytes, into: Path) -> int:
    """The rule files of a zip or tar.gz, written flat into ``into``; RulesArchiveBroken if none."""
    try:
        members = list(
            _zip_members(archive)
            if zipfile.is_zipfile(io.BytesIO(archive))
            else _tar_members(archive)
        )
    except (tarfile.TarError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise RulesArchiveBroken(f"The rules archive cannot be read ({exc}); {UNCHANGED}") from None
    if sum(len(data) for _, data in members) > UNPACKED_MAX_BYTES:
        raise RulesArchiveBroken(f"The rules archive unpacks to too much; {UNCHANGED}")
    if len(members) < MIN_FILES:
        raise RulesArchiveBroken(f"The archive holds no site rule files; {UNCHANGED}")
    for name, data in members:
        (into / name).write_bytes(data)
    return len(members)


def _rule_name(path: str) -> str | None:
    """The flat name of a rule file in an archive (``repo-master/example.com.txt``), or None."""
    name = PurePosixPath(path).name
    return name if name.endswith(SUFFIX) and name not in (".txt", "..txt") else None


def _zip_members(archive: bytes) -> Iterator[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(archive)) as packed:
        for info in packed.infolist():
            if not info.is_dir() and (name := _rule_name(info.filename)):
                yield name, packed.read(info)


def _tar_members(archive: bytes) -> Iterator[tuple[str, bytes]]:
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:*") as packed:
        for member in packed:
            if member.isfile() and (name := _rule_name(member.name)):
                content = packed.extractfile(member)  # a regular file's: never None
                if content is not None:
                    yield name, content.read()


def _swap(fresh: Path, target: Path) -> None:
    """``fresh`` becomes ``target``; the old folder is moved aside first, then removed."""
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
