"""The import pipeline: volumes parsed in worker processes, handed on one at a time.

`Archive.import_files` writes each volume as soon as it is parsed and forgets it, so an
import's memory does not grow with the number of files; meanwhile the worker processes
parse the next volumes (one volume each). The same workers write large index segments
(see `search.grams.append_segment`): a pool is kept for the archive's lifetime because
starting a process costs half a second or more.

This module imports only the standard library at the top: worker processes start from it.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import pickle
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from sipviewer.model.memory import release_memory

MAX_WORKERS = 2
# Added to the worker processes' niceness (0: as the parent). The viewer raises it: on a
# machine with few cores its GUI thread then takes a core from the parsers when it needs one.
BACKGROUND_NICENESS = 0


_EARLY: Any = None  # in a worker process: the pool's channel for `send_early`


def _start_worker(niceness: int, early: Any = None) -> None:
    """Runs first in each worker process."""
    global _EARLY
    _EARLY = early
    if niceness and hasattr(os, "nice"):
        try:
            os.nice(niceness)
        except OSError:  # not allowed here: run as the parent does
            pass


def send_early(key: int, value: Any) -> None:
    """In a worker process: part of a running job's result sent to the parent now, for
    the future `_Pool.submit_early` gave (the job goes on meanwhile). Given to the job as
    ``functools.partial(send_early, key)``; nothing happens outside a pool's worker."""
    if _EARLY is not None:
        _EARLY.put((key, value))


def _run_job(fn: Any, args: tuple[Any, ...]) -> Any:
    """In a worker: ``fn(*args)``, then the memory it used goes back to the system."""
    try:
        return fn(*args)
    finally:
        release_memory()


class _Pool:
    """The process pool as callers use it (``submit``), each job followed by
    `release_memory` in its worker."""

    def __init__(self, pool: ProcessPoolExecutor, early: Any) -> None:
        self.pool = pool
        self.dead = False  # a worker died: `Workers.executor` starts a new pool
        self._early = early  # the workers' `send_early` channel (a SimpleQueue)
        self._waiting: dict[int, Future] = {}  # type: ignore[type-arg]  # by key
        self._keys = 0
        self._lock = threading.Lock()
        self._listener: threading.Thread | None = None

    def submit(self, fn: Any, /, *args: Any) -> Future:  # type: ignore[type-arg]
        """The job's future. A pool that lost a process since it was last used fails the
        job as a running one is failed (`BrokenProcessPool` from its result, which every
        caller handles by doing the work itself) rather than raising here."""
        try:
            return self.pool.submit(_run_job, fn, args)
        except BrokenProcessPool as exc:
            self.dead = True
            failed: Future = Future()  # type: ignore[type-arg]
            failed.set_exception(exc)
            return failed

    def submit_early(self, fn: Any, /, *args: Any) -> tuple[Future, Future]:  # type: ignore[type-arg]
        """``fn(*args, tell)``, where the job calls ``tell(value)`` once, while it goes on
        (a job that ends well has told): (the future of that value, the job's future). The
        first fails as the job does if it fails (or its process dies) before telling."""
        told: Future = Future()  # type: ignore[type-arg]
        with self._lock:
            self._keys += 1
            key = self._keys
            self._waiting[key] = told
            if self._listener is None:
                self._listener = threading.Thread(target=self._listen, daemon=True,
                                                  name="worker results")
                self._listener.start()
        job = self.submit(fn, *args, functools.partial(send_early, key))

        def ended(job: Future) -> None:  # type: ignore[type-arg]
            # a job that ended well told its value, which the listener hands on (perhaps
            # after this); one that failed before the listener had it fails it here
            if job.cancelled() or job.exception() is not None:
                with self._lock:
                    mine = self._waiting.pop(key, None) is not None
                if mine:
                    _settle(told, job)

        job.add_done_callback(ended)
        return told, job

    def _listen(self) -> None:
        """The parent's end of the channel: each value told, to its future (until `shutdown`
        sends None)."""
        while True:
            try:
                message = self._early.get()
            except Exception:  # closed, or cut short by a worker killed as it told
                return
            if message is None:
                return
            key, value = message
            with self._lock:
                told = self._waiting.pop(key, None)
            if told is not None and not told.done():
                told.set_result(value)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.pool.shutdown(wait=wait, cancel_futures=cancel_futures)
        with self._lock:
            waiting, self._waiting = self._waiting, {}
            listening = self._listener is not None
        for told in waiting.values():  # (their jobs were cancelled or failed)
            if not told.done():
                told.cancel()
        if listening and not self.dead:
            self._early.put(None)  # the listener stops (a dead worker may have left the
            # channel in the middle of a message: its daemon thread is then left waiting)


def _settle(told: Future, job: Future) -> None:  # type: ignore[type-arg]
    """``told`` failed (or cancelled) as ``job`` was."""
    if job.cancelled():
        told.cancel()
    else:
        told.set_exception(job.exception())  # type: ignore[arg-type]


class Workers:
    """A pool of worker processes started on first use and kept until `close`."""

    def __init__(self, size: int | None = None) -> None:
        self.size = size or max(1, min(MAX_WORKERS, os.cpu_count() or 1))
        self._pool: _Pool | None = None
        self._lock = threading.Lock()
        self._started: list[Future] = []  # type: ignore[type-arg]  # (`warm`'s jobs)

    def executor(self) -> _Pool:
        with self._lock:
            if self._pool is not None and self._pool.dead:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
                self._started = []
            if self._pool is None:
                # spawn, not fork: safe from a program with threads (the viewer's)
                context = multiprocessing.get_context("spawn")
                early = context.SimpleQueue()
                self._pool = _Pool(ProcessPoolExecutor(
                    max_workers=self.size, mp_context=context, initializer=_start_worker,
                    initargs=(BACKGROUND_NICENESS, early)), early)
            return self._pool

    def warm(self, count: int | None = None) -> None:
        """Start ``count`` worker processes now (all by default; each takes half a second
        or more to start)."""
        pool = self.executor()
        for _ in range(min(count or self.size, self.size)):
            self._started.append(pool.submit(os.getpid))
        del self._started[:-self.size]

    def ready(self) -> bool:
        """Whether a worker process is up (one `warm` started has answered): a job given
        now starts at once instead of after a process start."""
        return self._pool is not None and any(f.done() and not f.cancelled()
                                              and f.exception() is None for f in self._started)

    def elsewhere(self, fn: Any, args: tuple[Any, ...]) -> Any:
        """Start ``fn(*args)`` in a worker process; the callable returned gives its result
        (raises what it raised), worked out here instead if the process died."""
        future: Future | None = None  # type: ignore[type-arg]
        try:
            future = self.executor().submit(fn, *args)
        except RuntimeError:  # closed (a dead pool fails the job: see `result` below)
            self.broken()
        done: list[Any] = []

        def result() -> Any:
            if not done:
                if future is not None:
                    try:
                        done.append(future.result())
                    except BrokenProcessPool:
                        self.broken()
                if not done:
                    done.append(fn(*args))
            return done[0]

        return result

    def broken(self) -> None:
        """Forget a pool whose process died (the next use starts a new one)."""
        with self._lock:
            pool, self._pool = self._pool, None
            self._started = []
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def parse_volume(path: str | Path, title: str | None = None, year: int | None = None,
                 helper: Workers | None = None, ahead: dict[str, Any] | None = None
                 ) -> tuple[Any, ...]:
    """Read, checksum and parse one file (no database access): the fields of a
    `PreparedVolume`. Raises `InputError` for an unusable file. With a ``helper`` (a pool
    whose process is up) a long text's second half is parsed by its worker meanwhile
    (`splitparse`: the result is the whole parse's; the parser's ledger is left out).
    ``ahead``: that worker also normalises the second half's records' texts
    (`section_texts`), and when the halves were joined ``ahead["tail"]`` is set to (the
    number of sections before the second half, those normalised texts)."""
    from sipviewer.ingest.decode import read_text, volume_checksum  # loaded when importing
    from sipviewer.ingest.parser import parse_text
    from sipviewer.model.errors import InputError
    from sipviewer.model.files import MAX_TEXT_BYTES, regular_file

    path = Path(path)
    regular_file(path, MAX_TEXT_BYTES, "text file")  # before reading: no FIFO, no /dev/zero
    text, encoding = read_text(path)
    try:
        if helper is not None:
            doc, checksum = _parse_helped(text, path.name, encoding, year, helper, ahead)
        else:
            checksum = volume_checksum(text)  # line endings and trailing spaces do not count
            doc = parse_text(text, path.name, encoding, year)
    except InputError as exc:
        raise InputError(path, exc.problem) from None
    if doc.volume_title:  # the text names its volume: that wins
        vol_title, edition, covered = doc.volume_title, doc.edition_year, doc.covered_year
    else:
        vol_title = title or path.stem
        edition = year if year is not None else doc.edition_year
        covered = edition - 1 if year is not None and edition is not None else doc.covered_year
    return (str(path), checksum, doc, vol_title, edition, covered, len(text))


def _parse_helped(text: str, name: str, encoding: str, year: int | None, helper: Workers,
                  ahead: dict[str, Any] | None) -> tuple[Any, str]:
    """`parse_volume`'s split parse (the second half by the ``helper``'s worker) and the
    checksum (by its other worker): (the document, the checksum)."""
    from sipviewer.ingest.decode import volume_checksum
    from sipviewer.ingest.splitparse import parse_split

    summed: list[Any] = []
    tails: list[Any] = []  # (the tail, its records' normalised texts)
    checksum = ""

    def start(fn: Any, args: tuple[Any, ...]) -> Any:
        # the tail to one worker, then the checksum to the other (idle until the halves
        # are indexed): this process only reads the head
        if ahead is None:
            tail = helper.elsewhere(fn, args)
        else:
            job = helper.elsewhere(_tail_normalized, (fn, args))

            def tail() -> Any:
                if not tails:
                    tails.append(job())
                return tails[0][0]
        summed.append(helper.elsewhere(volume_checksum, (text,)))
        return tail

    def meanwhile() -> None:  # (while the worker reads the second half)
        nonlocal checksum
        checksum = summed[0]() if summed else volume_checksum(text)

    doc = parse_split(text, name, encoding, year, start, want_ledger=False,
                      meanwhile=meanwhile)
    if tails and ahead is not None:
        sections = tails[0][0].sections
        n = len(doc.sections) - len(sections)
        # joined: the document ends with the very sections the worker read
        if sections and n > 0 and all(a is b for a, b in zip(doc.sections[n:], sections)):
            ahead["tail"] = (n, tails[0][1])
    return doc, checksum


def _tail_normalized(fn: Any, args: tuple[Any, ...]) -> tuple[Any, Any]:
    """In a worker: the tail of a volume ``fn(*args)`` reads (`splitparse.tail_job`) and
    its records' normalised texts (`section_texts`, `search.records.normalized`), worked
    out while this process would wait for the head anyway."""
    from sipviewer.search.records import normalized

    tail = fn(*args)
    return tail, normalized([text for _, text in section_texts(tail.sections)])


def _parse_job(path: str, title: str | None, year: int | None) -> tuple[str, Any]:
    """`parse_volume` in a worker; an expected error comes back as data (the exception
    classes take two arguments and do not survive pickling as they are)."""
    from sipviewer.model.errors import InputError

    try:
        fields = parse_volume(path, title, year)
    except InputError as exc:
        return "input", (type(exc).__name__, exc.path, exc.problem)
    return "ok", (*fields[:2], _pack(fields[2]), *fields[3:])


PIECE = 20  # articles (or 50 events) per pickled piece of a parsed volume


def _pack(doc: Any) -> tuple[bytes, list[tuple[str, bytes]]]:
    """A parsed volume for the trip back from a worker, in small pickled pieces (this is
    the pool's own channel between our processes, never archive data): unpickled whole, a
    volume is one call of a few hundred milliseconds that holds the interpreter lock, which
    a viewer's GUI thread feels. The parser's ledger (its own accounting) stays behind."""
    from dataclasses import replace

    shell = replace(doc, sections=(), ledger=())
    pieces: list[tuple[str, bytes]] = []
    for sec in doc.sections:
        pieces.append(("section", pickle.dumps(replace(sec, articles=(), events=()))))
        for i in range(0, len(sec.articles), PIECE):
            pieces.append(("articles", pickle.dumps(sec.articles[i:i + PIECE])))
        for i in range(0, len(sec.events), PIECE * 5):
            pieces.append(("events", pickle.dumps(sec.events[i:i + PIECE * 5])))
    return pickle.dumps(shell), pieces


def _unpack(packed: tuple[bytes, list[tuple[str, bytes]]]) -> Any:
    """`_pack` undone a piece at a time (the lock is free between pieces)."""
    from dataclasses import replace

    shell_data, pieces = packed
    sections: list[tuple[Any, list[Any], list[Any]]] = []  # (section, articles, events)
    for kind, data in pieces:
        value = pickle.loads(data)
        if kind == "section":
            sections.append((value, [], []))
        else:
            sections[-1][1 if kind == "articles" else 2].extend(value)
    return replace(pickle.loads(shell_data), sections=tuple(
        replace(sec, articles=tuple(articles), events=tuple(events))
        for sec, articles, events in sections))


def parsed_volumes(files: Iterable[Path], title: str | None, year: int | None,
                   workers: Workers | None, helper: Workers | None = None,
                   ahead: dict[str, Any] | None = None) -> Iterator[tuple[Any, ...]]:
    """`parse_volume` of each file, in order. With ``workers``, the next files are parsed
    in worker processes meanwhile, never more than the pool has processes ahead of the one
    being consumed; without, each is parsed here when asked for (with the ``helper``'s
    process parsing its second half; ``ahead``: see `parse_volume`)."""
    from sipviewer.model.errors import InputError, ParseError

    files = list(files)
    if workers is None:
        for f in files:
            yield parse_volume(f, title, year, helper, ahead)
        return
    pending: deque[tuple[Path, Future]] = deque()  # type: ignore[type-arg]
    queue = iter(files)
    try:
        executor = workers.executor()
        for f in queue:
            pending.append((f, executor.submit(_parse_job, str(f), title, year)))
            if len(pending) >= workers.size:
                break
        while pending:
            f, future = pending.popleft()
            try:
                status, value = future.result()
            except BrokenProcessPool:  # a worker died: carry on in this process
                workers.broken()
                rest = [f, *(p for p, _ in pending), *queue]
                yield from (parse_volume(p, title, year) for p in rest)
                return
            if status != "ok":
                kind, where, problem = value
                raise (ParseError if kind == "ParseError" else InputError)(where, problem)
            following = next(queue, None)
            if following is not None:
                pending.append((following, executor.submit(_parse_job, str(following), title,
                                                           year)))
            yield (*value[:2], _unpack(value[2]), *value[3:])
    finally:
        for _, future in pending:
            future.cancel()


def record_texts(doc: Any) -> list[tuple[str, tuple[str, tuple[str, ...]]]]:
    """(rid prefix, (title, body pieces)) of each record of a parsed volume once stored, in
    the order the database gives them back for indexing (kind by kind, each in the order
    written; `model.searchtext` makes the texts), to be normalised and indexed ahead; only
    exact matches are used, so a text that comes back otherwise is just done then."""
    return section_texts(doc.sections)


def section_texts(sections: Iterable[Any]) -> list[tuple[str, tuple[str, tuple[str, ...]]]]:
    """`record_texts` of some of a volume's sections (kind by kind, in their order)."""
    from sipviewer.model.searchtext import parsed_texts

    return text_pairs(parsed_texts(sections))


def text_pairs(texts: Iterable[Any]) -> list[tuple[str, tuple[str, tuple[str, ...]]]]:
    """(kind's id prefix, (title, body)) of each `model.searchtext.SearchText`."""
    return [(text.kind[0], (text.title, text.body)) for text in texts]
