"""A meeting folder's ledger read in a forked child while the parent goes on (``drafting build``).

The CLI forks the child before it imports the build path; the child finds the ledger as
``drafting.folder.find_ledger`` does, loads it, sends the ``Ledger`` or the input error it raised
(pickled) through a pipe and ends with ``os._exit`` (no atexit handlers, no flushing of the parent's
stdio buffers). ``LedgerReadahead.load`` is the ledger loader of ``load_meeting_folder``: it takes the
child's result instead of reading the file. In every other case (fork failed; the child crashed, was
killed or raised something else; the result was not picklable or came back truncated; the parent asks
for another file; a second call) the parent reads the ledger itself, so results, errors and messages
are always the serial ones. ``close`` ends and reaps the child, whether its result was taken or not.

Only ``drafting build`` reads ahead, where forking is safe (``build_pool.can_fork``; never in the
threaded web server), with two CPUs or more, not with ``--jobs 1`` and only for a ledger large
enough to gain from it (``MIN_BYTES``).
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
from pathlib import Path
from types import TracebackType

from drafting.build_pool import become_child, can_fork, usable_cpus
from drafting.errors import InputError
from drafting.folder import find_ledger
from drafting.ledger import Ledger, load_ledger

# A smaller ledger is read in-process. Measured on 2 cores (parent and child CPU, medians of 7): the child
# costs 15–25 ms of CPU more than reading in-process (fork, its exit, pickling), and the parent spends 2 ms
# forking and 2–4 ms taking a small result. The example meeting's ledger (34 projects, 12 KB) loads in
# ≈6–13 ms: too little to gain; 100 projects (24 KB, ≈28 ms) gain ≈24 ms of the parent's time for ≈16 ms
# more CPU; 2,000 projects (381 KB, ≈0.4 s) gain ≈0.36 s (benchmarks/bench_readahead.py: whole commands).
MIN_BYTES = 20 * 1024

_HEADER = struct.Struct("<Q")  # length of the pickled result that follows


def wanted(ledger: Path | None, jobs: int | None) -> bool:
    """Whether reading ``ledger`` ahead pays: fork is safe, two CPUs, not one process asked for, large enough."""
    if ledger is None or jobs == 1:
        return False
    try:
        if os.stat(ledger).st_size < MIN_BYTES:
            return False
    except OSError:
        return False
    return usable_cpus() >= 2 and can_fork()  # (can_fork imports multiprocessing: asked last)


def start_readahead(folder: Path, jobs: int | None) -> LedgerReadahead | None:
    """Start reading ``folder``'s ledger in a child when that pays; None: read it in-process as usual."""
    folder = Path(folder)
    try:
        ledger = find_ledger(folder)
    except (InputError, OSError):
        return None  # load_meeting_folder reports it
    if not wanted(ledger, jobs):
        return None
    return LedgerReadahead.fork(folder)


class LedgerReadahead:
    """The child reading a folder's ledger; ``load`` is a ledger loader for ``load_meeting_folder``."""

    def __init__(self, pid: int, fd: int) -> None:
        self._pid: int | None = pid  # None once reaped
        self._fd: int | None = fd  # read end of the pipe; None once closed
        self.taken = False  # the child's result was used (tests, benchmarks)

    @classmethod
    def fork(cls, folder: Path) -> LedgerReadahead | None:
        """Fork the child for ``folder``; None if the pipe or the fork failed."""
        try:
            read_fd, write_fd = os.pipe()
        except OSError:
            return None
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return None
        if pid == 0:  # the child: never returns into the parent's code
            status = 1
            try:
                os.close(read_fd)
                status = _child(Path(folder), write_fd, parent)
            except BaseException:  # noqa: BLE001 - the parent reads the ledger itself and reports what happens
                status = 1
            finally:
                os._exit(status)
        os.close(write_fd)
        return cls(pid, read_fd)

    def load(self, path: Path) -> Ledger:
        """The ledger at ``path`` as the child read it (or the input error it raised); else read here."""
        result = self._take()
        if result is not None:
            source, kind, value = result
            if Path(source) == Path(path):
                if kind == "ledger" and isinstance(value, Ledger):
                    self.taken = True
                    return value
                if kind == "error" and isinstance(value, InputError):
                    self.taken = True
                    raise value
        return load_ledger(path)

    def _take(self) -> tuple[object, str, object] | None:
        """What the child sent, read to the end, the child reaped; None if anything went wrong (or taken before)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return None
        chunks = []
        try:
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
        except OSError:
            chunks = []
        finally:
            os.close(fd)
        if not self._reap(kill=False):
            return None
        data = b"".join(chunks)
        if len(data) < _HEADER.size or _HEADER.unpack_from(data)[0] != len(data) - _HEADER.size:
            return None
        try:
            result = pickle.loads(memoryview(data)[_HEADER.size :])
        except Exception:  # noqa: BLE001 - whatever came back unreadable: read the ledger here
            return None
        if not (isinstance(result, tuple) and len(result) == 3):
            return None
        return result

    def _reap(self, kill: bool) -> bool:
        """Wait for the child (ending it first with ``kill``); whether it ended normally with status 0."""
        pid, self._pid = self._pid, None
        if pid is None:
            return False
        if kill:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        while True:
            try:
                _, status = os.waitpid(pid, 0)
            except InterruptedError:
                continue
            except ChildProcessError:
                return False
            return os.waitstatus_to_exitcode(status) == 0

    def close(self) -> None:
        """End the child if it still runs and reap it; close the pipe. Safe to call again."""
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)
        self._reap(kill=True)

    def __enter__(self) -> LedgerReadahead:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


# --- in the child ------------------------------------------------------------------------------


def _child(folder: Path, fd: int, parent: int) -> int:
    """Read the ledger and send the result; the exit status (0: sent)."""
    become_child(parent)
    path = find_ledger(folder)
    if path is None:
        return 1
    error: InputError | None = None
    try:
        result: tuple[object, str, object] = (path, "ledger", load_ledger(path))
    except InputError as exc:
        error = exc
        result = (path, "error", exc)
    data = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
    if error is not None:  # sent only if it comes back as the same error with the same message
        back = pickle.loads(data)[2]
        if type(back) is not type(error) or str(back) != str(error):
            return 1
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]
    os.close(fd)
    return 0

