"""Imports run in a separate process, for the viewer.

A viewer's GUI thread needs the interpreter lock for every Python call Qt makes into it. An
import in a thread of the viewer's own process (parsing results to unpack, hundreds of
thousands of database objects, records, the index's files) holds that lock most of the time,
and the GUI thread, waiting for it again and again, stalled for 50–150 ms at a time. Here the
whole import runs in a child process (lower priority, its own archive object, the archive's
writer lock, one transaction as always); the viewer's thread only waits for the child's answer
and then reads in what the child committed (`Archive.refresh`).

The child and the parent talk over a pipe of their own (pickled messages between our two
processes: outcomes, progress, an error described as data); nothing read from the archive is
ever unpickled. A child that dies changes nothing: its transaction never committed (the kill
tests show the archive as before), and the parent reports the failure. Closing the archive
stops a child still at work (`Archive.close`): its import is dropped, as quitting promises.

This module imports only the standard library at the top: the child process starts from it.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

Progress = Callable[[int, int, str], None]
CHILD_NICENESS = 10  # added to the child's niceness: the GUI thread's core comes first
STOP_GRACE = 5.0  # seconds a stopped child gets to end before it is killed


class ChildImport:
    """One import running in a child process; `run` waits for its outcomes."""

    def __init__(self, archive_path: Path, paths: Iterable[str | Path], *, replace: bool,
                 title: str | None, year: int | None, niceness: int = CHILD_NICENESS) -> None:
        context = multiprocessing.get_context("spawn")  # safe from a program with threads
        self._conn, child_end = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_child_main, name="sipviewer-import",
            args=(str(archive_path), [str(p) for p in paths], replace, title, year, niceness,
                  child_end))
        self._child_end = child_end
        self._stopped = threading.Event()

    def run(self, progress: Progress | None = None) -> Any:
        """Start the child and wait for its answer: the import's outcomes, or its error
        raised here."""
        from sipviewer.model.errors import ArchiveError

        self.process.start()
        self._child_end.close()  # the child has its copy: EOF here once it is gone
        try:
            while True:
                try:
                    message = self._conn.recv()
                except EOFError:
                    self.process.join()
                    if self._stopped.is_set():
                        raise ArchiveError("the import was stopped; the archive is as it "
                                           "was before") from None
                    raise ArchiveError(f"the import process ended unexpectedly (exit code "
                                       f"{self.process.exitcode}); the archive is as it was "
                                       "before") from None
                kind = message[0]
                if kind == "progress":
                    if progress is not None:
                        progress(*message[1:])
                    continue
                self.process.join()
                return _answer(message)
        finally:
            self._conn.close()

    def stop(self) -> None:
        """End the child (its transaction never commits) and wait for it."""
        self._stopped.set()
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(STOP_GRACE)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()


def _answer(message: tuple[Any, ...]) -> Any:
    """The child's last message: the outcomes, or the error it describes, raised."""
    from sipviewer.model import errors

    kind = message[0]
    if kind == "ok":
        return message[1]
    if kind == "input":
        name, where, problem = message[1:]
        raise (errors.ParseError if name == "ParseError" else errors.InputError)(where, problem)
    if kind == "error":
        name, text = message[1:]
        cls = getattr(errors, name, None)
        if not (isinstance(cls, type) and issubclass(cls, errors.SipviewerError)) \
                or issubclass(cls, errors.InputError):
            cls = errors.ArchiveError
        raise cls(text)
    raise errors.ArchiveError(f"the import process failed: {message[1]}")


def _child_main(archive_path: str, paths: list[str], replace: bool, title: str | None,
                year: int | None, niceness: int, conn: Any) -> None:
    """The child: open the archive, import, send the outcome (or the error) back."""
    if niceness and hasattr(os, "nice"):
        try:
            os.nice(niceness)
        except OSError:
            pass
    from sipviewer.model.errors import InputError, SipviewerError

    try:
        from sipviewer.core.archive import Archive

        def progress(done: int, total: int, text: str) -> None:
            conn.send(("progress", done, total, text))

        with Archive.open(archive_path, create=False, preload=False) as archive:
            outcomes = archive.import_files(paths, replace=replace, title=title, year=year,
                                            progress=progress)
        conn.send(("ok", outcomes))
    except InputError as exc:
        conn.send(("input", type(exc).__name__, str(exc.path), exc.problem))
    except SipviewerError as exc:
        conn.send(("error", type(exc).__name__, str(exc)))
    except BaseException as exc:  # described to the parent, which raises it
        conn.send(("crash", "".join(traceback.format_exception_only(type(exc), exc)).strip()))
    finally:
        conn.close()
