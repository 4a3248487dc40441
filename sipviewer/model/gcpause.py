"""Pausing Python's cyclic garbage collector around bulk work.

Building an index or loading one makes hundreds of thousands of long-lived objects and no
reference cycles. Left on, the collector runs full passes over the whole heap meanwhile; each
one holds the interpreter lock for 50–100 ms, which the viewer's GUI thread feels as a stall.
The viewer's start is the same: modules, Qt's types and enums, widgets, all kept; the
collector's passes over them cost its first frame tens of milliseconds.
Pauses nest and may overlap across threads: the collector runs again when the last one ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = True
_froze = False  # a pause ended with ``freeze``: objects are frozen for good


def _pause() -> None:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1


def _resume(freeze: bool) -> None:
    global _depth, _froze
    if freeze:
        gc.freeze()
        _froze = True
    with _lock:
        _depth -= 1
        if _depth == 0 and _was_enabled:
            gc.enable()


@contextmanager
def collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """No collections inside; with ``freeze``, what is alive at the end is moved out of the
    collector's sight for good (`gc.freeze`), as suits the index's long-lived objects."""
    _pause()
    try:
        yield
    finally:
        _resume(freeze)


def anything_frozen() -> bool:
    """Whether objects are frozen for good (`gc.freeze`). Known at once after a pause
    that froze: `gc.get_freeze_count` walks every frozen object (40 ms for a loaded index,
    once per volume an import parses)."""
    return _froze or gc.get_freeze_count() > 0


def pause_collector() -> Callable[..., None]:
    """`collector_paused` for a span that ends in a callback rather than a block (the viewer's
    start, until its first frame): call what it returns to end the pause (``freeze=True``
    as there); calls after the first do nothing."""
    _pause()
    ended = threading.Event()

    def end(freeze: bool = False) -> None:
        with _lock:
            if ended.is_set():
                return
            ended.set()
        _resume(freeze)

    return end
