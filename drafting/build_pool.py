"""Items of a batch done by forked worker processes, ahead of the batch (``drafting build --jobs``).

Used only where ``fork`` is a safe way to start workers (not Windows, not macOS): workers inherit what
the parent prepared (the plan, compiled templates, caches) and receive only indices; each writes its
item's file into a private folder (``.drafting-<pid>-…``, inside the output folder) and returns a small
result (e.g. the file's hash and review). The parent takes the items in batch order, so a progress bar
moves and files enter the batch in the same order as without workers.

``take`` answers None for an item whose worker failed (it raised, was killed, or its result did not come
back): the caller then does the item itself, exactly as without workers — so a failing item gives the
same error, and a worker lost for another reason costs time, never output.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from drafting.folderlock import stage_prefix

if TYPE_CHECKING:  # imported where a pool starts: a build without one does not load them
    from concurrent.futures import Future, ProcessPoolExecutor

T = TypeVar("T")

# Fewer items are done in-process. Measured on 2 cores (writing phase, CPU of parent and workers):
# starting, feeding and stopping two workers costs ≈0.05–0.1 s, a letter ≈5 ms, so two workers can
# gain only from about 30 letters on an idle machine (10, 20, 40, 80 letters: the pool cost 0.05–0.1 s
# more CPU than one process each time; benchmarks/bench_letters_pool.py --units 41 shows the edge).
MIN_ITEMS = 40
MAX_AUTO_JOBS = 8  # each worker is a copy of the parent (about 80 MB after reading a large ledger)
CHUNK = 8  # items per task at the end of a batch: workers finish together, and a progress bar that moves
FIRST_CHUNK = 32  # items per task at the start: fewer round trips (each costs the parent ≈1 ms of CPU)
AHEAD = 2  # tasks queued per worker beyond the one it runs (bounds the results waiting in memory)


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether workers may be forked: the platform has ``fork`` and it is safe (on macOS system libraries break in forked children)."""
    import multiprocessing

    return sys.platform != "darwin" and "fork" in multiprocessing.get_all_start_methods()


def worker_count(jobs: int | None, items: int) -> int:
    """Worker processes for a batch of ``items`` (0: do them in this process).

    ``jobs``: the processes asked for (None: one per usable CPU, at most MAX_AUTO_JOBS; 1: none).
    """
    if jobs is None:
        jobs = min(usable_cpus(), MAX_AUTO_JOBS)
    if jobs <= 1 or items < MIN_ITEMS or not can_fork():
        return 0
    return min(jobs, items)


class ForkPool(Generic[T]):
    """``work(index, path)`` for each of ``indices`` in ``workers`` forked processes; take each in order.

    Started by the first ``take`` (so the parent can warm its caches first, which the workers then
    inherit); a context manager: leaving it stops the workers (they finish the item in hand) and
    removes their folder, whatever happened.
    """

    def __init__(self, work: Callable[[int, Path], T], indices: Sequence[int], workers: int, folder: Path) -> None:
        self._work = work
        self._chunks = deque(chunked(indices, workers))
        self._workers = workers
        self._parent = folder
        self._folder: Path | None = None
        self._executor: ProcessPoolExecutor | None = None
        self._queued: deque[tuple[tuple[int, ...], Future[list[Any]]]] = deque()
        self._ready: dict[int, tuple[Path, T] | None] = {}
        self._broken = False

    def take(self, index: int) -> tuple[Path, T] | None:
        """(the file a worker wrote, its result), or None: do item ``index`` yourself. Indices in order."""
        if self._executor is None and not self._broken:
            self._start()
        while index not in self._ready:
            if self._queued:
                self._collect(*self._queued.popleft())
            elif self._chunks:  # never sent: the pool broke
                self._ready.update(dict.fromkeys(self._chunks.popleft()))
            else:
                raise KeyError(index)
            self._fill()
        return self._ready.pop(index)

    def _start(self) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        try:
            self._folder = Path(tempfile.mkdtemp(prefix=stage_prefix(), dir=self._parent))
        except OSError:
            self._broken = True  # everything is done here (and fails here, if it must, with the usual message)
            return
        self._executor = ProcessPoolExecutor(
            self._workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(self._work, self._folder, os.getpid()),  # not pickled: forked workers inherit them
        )
        self._fill()

    def _fill(self) -> None:
        from concurrent.futures.process import BrokenProcessPool

        while not self._broken and self._chunks and len(self._queued) < self._workers * (1 + AHEAD):
            assert self._executor is not None
            chunk = self._chunks[0]
            try:
                future = self._executor.submit(_run, chunk)
            except (BrokenProcessPool, OSError, RuntimeError):  # a worker died, or could not be forked
                self._broken = True
                return
            self._chunks.popleft()
            self._queued.append((chunk, future))

    def _collect(self, chunk: tuple[int, ...], future: Future[list[Any]]) -> None:
        from concurrent.futures.process import BrokenProcessPool

        try:
            results = future.result()
        except BrokenProcessPool:
            self._broken = True
            results = []
        except Exception:  # noqa: BLE001 - e.g. a result that could not be sent back: done here instead
            results = []
        assert self._folder is not None
        for position, index in enumerate(chunk):
            done = position < len(results)
            self._ready[index] = (_item_path(self._folder, index), results[position]) if done else None

    def close(self) -> None:
        executor, self._executor = self._executor, None
        self._broken = True
        if executor is not None:
            # workers forked before a later fork failed are not stopped by shutdown: end them here
            started = list((getattr(executor, "_processes", None) or {}).values())
            executor.shutdown(wait=True, cancel_futures=True)
            for process in started:
                if process.is_alive():
                    process.terminate()
                    process.join()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> ForkPool[T]:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def chunked(indices: Sequence[int], workers: int) -> list[tuple[int, ...]]:
    """Tasks of ``indices`` in order, shrinking as the batch runs out (guided scheduling).

    A task takes a third of each worker's share of what is left, between the size the end
    of a batch takes (at most CHUNK, smaller for a small batch) and FIRST_CHUNK: 300 letters on
    two workers are 18 tasks, not 38, and still end in tasks of CHUNK, so that workers finish together.
    """
    least = max(1, min(CHUNK, len(indices) // (workers * 4)))
    chunks = []
    start = 0
    while start < len(indices):
        size = max(least, min(FIRST_CHUNK, (len(indices) - start) // (workers * 3)))
        chunks.append(tuple(indices[start : start + size]))
        start += size
    return chunks


def _item_path(folder: Path, index: int) -> Path:
    return folder / f"{index:06d}.tmp"


# --- in a worker -------------------------------------------------------------------------------

_task: tuple[Callable[[int, Path], Any], Path] | None = None


def _start_worker(work: Callable[[int, Path], Any], folder: Path, parent: int) -> None:
    global _task
    become_child(parent)
    _task = (work, folder)


def become_child(parent: int) -> None:
    """In a process forked from ``parent`` (a worker, drafting.readahead's child): leave signals to the parent.

    The parent answers Ctrl+C and a closed terminal, and stops its children; SIGTERM (from the pool when
    it breaks, or the parent) ends a child, not the CLI's inherited handler; the child dies with the parent.
    """
    for name in ("SIGINT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)


def _die_with_parent(parent: int) -> None:
    """On Linux, have the kernel end this worker if the parent dies without stopping it (e.g. killed)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # already gone
        os._exit(1)


def _run(chunk: tuple[int, ...]) -> list[Any]:
    """The results of the chunk's items in order, up to the first that fails (the parent does that one)."""
    assert _task is not None
    work, folder = _task
    done = []
    for index in chunk:
        try:
            done.append(work(index, _item_path(folder, index)))
        except BaseException:  # noqa: BLE001 - the parent redoes the item and reports its error
            break
    return done
