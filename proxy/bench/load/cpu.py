"""CPU seconds used by a process tree, from /proc: the load benchmark's figure that noise spares.

Requests per second on a shared two-core machine move with whatever else runs; the CPU a server
spends per request hardly does. gunicorn's master, its workers and the embedded redis-server it
started form one tree: live processes count their own time, and the time of workers that exited
(recycled after max_requests) is in their parent's cutime/cstime.
"""

from __future__ import annotations

import os
from pathlib import Path

# Clock ticks per second, the unit of /proc/<pid>/stat's times.
TICKS = os.sysconf("SC_CLK_TCK")
# Positions in /proc/<pid>/stat after the ")" closing the command name: ppid, then the four times
# (utime, stime, cutime, cstime).
PPID, TIMES = 1, slice(11, 15)


def _stats() -> dict[int, list[str]]:
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # exited meanwhile
            continue
        found[int(stat.parent.name)] = text[text.rindex(")") + 2 :].split()
    return found


def tree_seconds(root: int) -> float:
    """CPU seconds used so far by ``root`` and every process below it, exited children included."""
    stats = _stats()
    tree, frontier = set(), {root}
    while frontier:
        tree |= frontier
        frontier = {pid for pid, fields in stats.items() if int(fields[PPID]) in frontier} - tree
    return sum(int(tick) for pid in tree if pid in stats for tick in stats[pid][TIMES]) / TICKS
