"""Parse and import figures on N generated volumes of ~1M characters (default 30), each beside
its anchor measured in the same run: SQLite FTS5 with the trigram tokenizer indexing the same
normalised text.

    python bench/parse_import.py [--volumes N] [--parse-only | --imports-only]

Prints: parse speed per core, beside its anchor: a bare pass over the same text in the same
process (split into lines, each stripped and tried once with a compiled regex: the least any
line-by-line reader does); `sipviewer import vols/*.txt` in one command (a new process,
with the peak memory of it and its worker processes together); the same volumes imported one
by one into another archive (`Archive.import_files` per file, as a user adding volumes does);
and the FTS5 trigram build of the imported records' text.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import sqlite3
import statistics
import sys
import time

from common import OUT, ROOT, Timer, _tree, figure, run_measured, volumes

from sipviewer.core.archive import Archive
from sipviewer.core.paths import sample_path
from sipviewer.ingest.parser import parse_file


def fts5_build(records: list) -> float:  # type: ignore[type-arg]
    """Seconds for SQLite FTS5 (trigram tokenizer) to index the records' normalised text."""
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE t USING fts5(rid UNINDEXED, body, tokenize='trigram')")
    with Timer() as t:
        con.executemany("INSERT INTO t VALUES (?, ?)", [(r.rid, r.norm_text) for r in records])
        con.commit()
    con.close()
    return t.seconds


def bare_pass(texts: list[str]) -> float:
    """CPU seconds of the anchor: every line split off, stripped and tried once with a regex."""
    pattern = re.compile(r"^表\s*\d")
    cpu = time.process_time()
    for text in texts:
        for line in text.split("\n"):
            pattern.match(line.strip())
    return time.process_time() - cpu


def _cpu() -> float:
    """CPU seconds of this process and of its child processes that have ended."""
    own, ended = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + ended.ru_utime + ended.ru_stime


def _tree_cpu() -> float:
    """CPU seconds of this process's live child processes (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in _tree(os.getpid())[1:]:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total / tick


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--volumes", type=int, default=30)
    ap.add_argument("--parse-only", action="store_true", help="only the parse speed figure")
    ap.add_argument("--imports-only", action="store_true",
                    help="only the import figures (one command, one by one)")
    args = ap.parse_args()
    files = volumes(args.volumes)
    chars = sum(len(p.read_text(encoding="utf-8")) for p in files)
    print(f"{len(files)} generated volumes, {chars / 1e6:.1f} M characters")

    if not args.imports_only:
        parse_figures(files, chars)
    if not args.parse_only:
        import_figures(files)


def parse_figures(files: list, chars: int) -> None:  # type: ignore[type-arg]
    with Timer() as t:
        doc = parse_file(sample_path())
    print(f"sample: {len(doc.articles)} articles parsed in {t.seconds * 1000:.0f} ms")
    cpu = time.process_time()
    with Timer() as t:
        for p in files:
            parse_file(p)
    cpu = time.process_time() - cpu
    print(f"parse only, one process: {t.seconds:.1f} s wall, {cpu:.1f} s CPU")
    bare = bare_pass([p.read_text(encoding="utf-8") for p in files])
    figure("parse speed per core", chars / cpu / 1e6, "M chars/s", chars / bare / 1e6,
           "a bare pass over the lines", "≥ 2 M chars/s")


def import_figures(files: list) -> None:  # type: ignore[type-arg]
    # one command, a new process, as a user runs it
    one = OUT / f"archive-import-{len(files)}"
    shutil.rmtree(one, ignore_errors=True)
    before = _cpu()
    seconds, peak, peak_main, done = run_measured(
        [sys.executable, "-m", "sipviewer", "import", "--quiet", "--archive", str(one),
         *map(str, files)], cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"import failed: {done.stderr}")
    one_cpu = _cpu() - before
    with Archive.open(one) as arc:
        records = list(arc.index.store.values())
        stats = arc.stats()
    fts = fts5_build(records)
    print(f"FTS5 trigram build of the same {sum(len(r.norm_text) for r in records) / 1e6:.1f} M "
          f"normalised characters ({len(records)} records): {fts:.1f} s")
    figure(f"import {len(files)} volumes in one command", seconds, "s", fts, "FTS5 trigram build",
           "≤ 5×")
    figure("peak memory of that import (with its workers)", peak, "MB", None, None, "≤ 600 MB")
    print(f"  (main process alone {peak_main:.0f} MB; archive: {stats})")

    # one by one, in one process
    target = OUT / "archive-bench"
    shutil.rmtree(target, ignore_errors=True)
    per = []
    with Archive.open(target) as arc:
        arc.import_files([sample_path()], title="苏州工业园区年鉴", year=2021)
        cpu = _cpu() + _tree_cpu()  # its worker processes count here once they end
        main_cpu = time.process_time()
        with Timer() as t:
            for p in files:
                start = time.perf_counter()
                arc.import_files([p])
                per.append(time.perf_counter() - start)
        main_cpu = time.process_time() - main_cpu
    cpu = _cpu() - cpu
    print(f"one by one: per volume {min(per):.1f}–{max(per):.1f} s (median "
          f"{statistics.median(per):.1f} s)")
    print(f"CPU seconds (with worker processes; less swayed by other load than the times): "
          f"one command {one_cpu:.1f} s, one by one {cpu:.1f} s (importing process "
          f"{main_cpu:.1f} s), ratio {cpu / one_cpu:.2f}")
    figure(f"import {len(files)} volumes one by one", t.seconds, "s", seconds,
           "the one-command import", "≤ 1.3×")
    db_mb = (target / "archive.sqlite").stat().st_size / 1e6
    idx_mb = sum(f.stat().st_size for f in (target / "index").iterdir()) / 1e6
    print(f"archive-bench: database {db_mb:.0f} MB, index {idx_mb:.0f} MB")
    shutil.rmtree(one, ignore_errors=True)


if __name__ == "__main__":
    main()
