"""Parse and import figures: the sample, and 30 generated volumes of ~1M characters.

    python bench/parse_import.py [--volumes N]

Prints the time to parse each, to import them into a new archive (one transaction per
volume, index updated in the same operation), and the archive's size.
"""

from __future__ import annotations

import argparse
import shutil
import time

from common import OUT, Timer, rss_mb, volumes

from sipviewer.core.archive import Archive
from sipviewer.core.paths import sample_path
from sipviewer.ingest.parser import parse_file


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--volumes", type=int, default=30)
    args = ap.parse_args()
    with Timer() as t:
        doc = parse_file(sample_path())
    print(f"sample: {len(doc.articles)} articles parsed in {t.seconds * 1000:.0f} ms")
    files = volumes(args.volumes)
    chars = sum(len(p.read_text(encoding='utf-8')) for p in files)
    print(f"{len(files)} generated volumes, {chars / 1e6:.1f} M characters")
    with Timer() as t:
        for p in files:
            parse_file(p)
    print(f"parse only: {t.seconds:.1f} s ({chars / t.seconds / 1e6:.2f} M chars/s)")

    target = OUT / "archive-bench"
    shutil.rmtree(target, ignore_errors=True)
    with Timer() as t_open:
        arc = Archive.open(target)
    with Timer() as t:
        arc.import_files([sample_path()], title="苏州工业园区年鉴", year=2021)
    print(f"import sample into a new archive: {t.seconds * 1000:.0f} ms "
          f"(creating the archive: {t_open.seconds * 1000:.0f} ms)")
    per = []
    with Timer() as t:
        for p in files:
            start = time.perf_counter()
            arc.import_files([p])
            per.append(time.perf_counter() - start)
    print(f"import {len(files)} volumes one by one: {t.seconds:.1f} s "
          f"(per volume {min(per):.1f}–{max(per):.1f} s; parse, database and index)")
    stats = arc.stats()
    arc.close()
    db_mb = (target / "archive.sqlite").stat().st_size / 1e6
    idx_mb = sum(f.stat().st_size for f in (target / "index").iterdir()) / 1e6
    print(f"archive: {stats}, database {db_mb:.0f} MB, index {idx_mb:.0f} MB; "
          f"peak RSS {rss_mb():.0f} MB")
    with Timer() as t:
        Archive.open(target).close()
    print(f"reopen the 30-volume archive: {t.seconds:.2f} s")


if __name__ == "__main__":
    main()
