"""What a write changed, and how a long read learns it is no longer wanted.

`OpChanges` is the change description every write through the core returns (the idea of
Anki's ``OpChanges``): the viewer refreshes the views it touches from it instead of reloading
everything. `CancelToken` is handed to a read that a newer one may supersede (a search typed
letter by letter); the read calls `check` at its long steps and stops with `Cancelled`.
"""

import threading
from typing import Generic, NamedTuple, TypeVar

from sipviewer.model.errors import Cancelled

T = TypeVar("T")


class OpChanges(NamedTuple):
    """What one write changed. Views refresh from the flags that concern them."""

    contents: bool = False  # volumes, sections or articles added, removed or replaced
    search: bool = False  # the search index changed: results and the gallery may differ
    photos: frozenset[int] = frozenset()  # photos edited in place
    volumes_added: tuple[int, ...] = ()
    volumes_removed: tuple[int, ...] = ()

    @property
    def empty(self) -> bool:
        return self == OpChanges()


class OpResult(NamedTuple, Generic[T]):
    """A write's own result (what the command line prints) and the change it made."""

    value: T
    changes: OpChanges


class CancelToken:
    """Set by the GUI thread when a newer read supersedes this one; checked by the read."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise `Cancelled` if the read is no longer wanted."""
        if self._event.is_set():
            raise Cancelled("superseded")
