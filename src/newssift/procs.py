"""Worker processes on one machine: how many cores this process may use, and an ordered, bounded parallel map.

Importing this module is cheap (standard library only)."""
from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any


def available_cores() -> int:
    """CPU cores this process may run on (its affinity mask; ``os.cpu_count()`` where there is none)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def resolve_procs(n: int | None) -> int:
    """``n`` processes; 0, a negative number or None: one per available core."""
    return available_cores() if not n or n < 0 else int(n)


def ordered_map(fn: Callable[[Any], Any], tasks: Iterable[Any], num_proc: int,
                max_pending: int | None = None) -> Iterator[Any]:
    """``map(fn, tasks)`` over ``num_proc`` forked worker processes, results in task order. At most
    ``max_pending`` tasks (default ``2 * num_proc``) are in flight, so memory is bounded by the task size, not
    by the number of tasks; ``tasks`` is consumed lazily in this process. With ``num_proc <= 1``, a single task
    (a small input: no process is worth starting) or where ``fork`` is not available it runs here, with the same
    results. ``fn`` must be a module-level function."""
    tasks = iter(tasks)
    head = list(itertools.islice(tasks, 2))
    if num_proc <= 1 or len(head) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(fn, itertools.chain(head, tasks))
        return
    tasks = itertools.chain(head, tasks)
    max_pending = max_pending or 2 * num_proc
    pool = multiprocessing.get_context("fork").Pool(num_proc)
    try:
        pending: deque = deque()
        for task in tasks:
            pending.append(pool.apply_async(fn, (task,)))
            if len(pending) >= max_pending:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
        pool.close()
        pool.join()
    finally:
        pool.terminate()
