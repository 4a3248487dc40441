"""Pausing Python's cyclic garbage collector around bulk work.

Building an index or loading one makes hundreds of thousands of long-lived objects and no
reference cycles. Left on, the collector runs full passes over the whole heap meanwhile; each
one holds the interpreter lock for 50–100 ms, which the viewer's GUI thread feels as a stall.
Pauses nest and may overlap across threads: the collector runs again when the last one ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = True


@contextmanager
def collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """No collections inside; with ``freeze``, what is alive at the end is moved out of the
    collector's sight for good (`gc.freeze`), as suits the index's long-lived objects."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
