"""One writer per archive across processes: a lock file held for the whole write.

Every change to an archive — the database and its search index together, an upgrade, an
index rebuild — happens while the writer holds ``archive.lock`` in the archive folder
(`filelock`: an advisory lock the operating system releases when the process ends, so a
killed writer never leaves the archive locked). Readers take no lock: they open the
database read-only and read the index's last committed manifest.

A second writer waits, says so once through ``on_wait``, and gives up after ``timeout``
seconds (``SIPVIEWER_LOCK_TIMEOUT`` overrides the default) with one clear line.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from sipviewer.model.errors import EnvironmentFailure, describe_os_error

LOCK_NAME = "archive.lock"
DEFAULT_TIMEOUT = 120.0
WAIT_MESSAGE = "another sipviewer is writing to this archive; waiting for it to finish…"


def lock_timeout() -> float:
    try:
        return float(os.environ.get("SIPVIEWER_LOCK_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


class WriterLock:
    def __init__(self, folder: Path, on_wait: Callable[[str], None] | None = None) -> None:
        self.folder = folder
        self.on_wait = on_wait
        self._file = FileLock(str(folder / LOCK_NAME), thread_local=False)
        self._depth = 0
        self._thread_lock = threading.RLock()  # threads of this process queue here first

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._thread_lock:
            if self._depth == 0:
                self._acquire()
            with self._counted():
                yield

    @contextmanager
    def held_now(self) -> Iterator[bool]:
        """`held` when the lock is free at once, here and in other processes (True); else
        nothing is held (False) and nothing waits."""
        if not self._thread_lock.acquire(blocking=False):
            yield False
            return
        try:
            if self._depth == 0:
                try:
                    self._file.acquire(timeout=0)
                except (Timeout, OSError):
                    yield False
                    return
            with self._counted():
                yield True
        finally:
            self._thread_lock.release()

    @contextmanager
    def _counted(self) -> Iterator[None]:
        """One more holder of the file lock (taken already); the last one releases it."""
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0:
                self._file.release()

    def _acquire(self) -> None:
        try:
            try:
                self._file.acquire(timeout=0)
                return
            except Timeout:
                pass
            if self.on_wait is not None:
                self.on_wait(WAIT_MESSAGE)
            timeout = lock_timeout()
            try:
                self._file.acquire(timeout=timeout)
            except Timeout:
                raise EnvironmentFailure(
                    f"{self.folder}: another sipviewer is still writing to this archive "
                    f"(waited {timeout:.0f} s); try again when it has finished") from None
        except OSError as exc:
            raise describe_os_error(exc, self.folder / LOCK_NAME) from None

    @property
    def is_held(self) -> bool:
        return self._depth > 0
