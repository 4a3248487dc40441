"""Background work for the viewer: archive calls on one worker thread, images on another pool.

`TaskRunner.run(fn, done, failed)` runs ``fn()`` off the GUI thread and calls ``done(result)``
or ``failed(exc)`` back on the GUI thread. Archive work goes through one thread so the
database, the index and the writer lock see one caller at a time (like Anki's task manager).
Tests replace the runner with `SyncRunner`, which runs everything at once.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class ProgressSignal(QObject):
    """Carries progress (done, total, message) from a worker to the GUI thread."""

    changed = Signal(int, int, str)


class _Bridge(QObject):
    finished = Signal(object, object, object)  # callback, result, error


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], bridge: _Bridge, done, failed) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.fn, self.bridge, self.done, self.failed = fn, bridge, done, failed
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.bridge.finished.emit(self.failed, None, exc)
            return
        self.bridge.finished.emit(self.done, result, None)


class TaskRunner(QObject):
    def __init__(self, parent: QObject | None = None, threads: int = 1) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self.bridge = _Bridge()
        self.bridge.finished.connect(self._deliver)
        self.on_error: Callable[[BaseException], None] | None = None

    def run(self, fn: Callable[[], Any], done: Callable[[Any], None] | None = None,
            failed: Callable[[BaseException], None] | None = None) -> None:
        self.pool.start(_Job(fn, self.bridge, done, failed or self.on_error))

    @Slot(object, object, object)
    def _deliver(self, callback, result, error) -> None:  # type: ignore[no-untyped-def]
        if callback is None:
            if error is not None and self.on_error is not None:
                self.on_error(error)
            return
        callback(error if error is not None else result)

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)


class SyncRunner(QObject):
    """Runs tasks immediately on the calling thread (tests)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.on_error: Callable[[BaseException], None] | None = None

    def run(self, fn, done=None, failed=None) -> None:  # type: ignore[no-untyped-def]
        try:
            result = fn()
        except BaseException as exc:
            handler = failed or self.on_error
            if handler is None:
                raise
            handler(exc)
            return
        if done is not None:
            done(result)

    def wait(self, msecs: int = -1) -> bool:
        return True
