"""Shared helpers for the benchmarks: the generated corpus, timing, memory."""

from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from sipviewer.ingest.synthetic import generate_volume  # noqa: E402

VOLUME_CHARS = 1_000_000


def volumes(n: int = 30, chars: int = VOLUME_CHARS) -> list[Path]:
    """The generated volumes (made once, kept in bench/out/volumes)."""
    folder = OUT / f"volumes-{chars}"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(n):
        p = folder / f"generated-{1991 + k}.txt"
        if not p.exists():
            vol = generate_volume(1000 + k, target_chars=chars, edition_year=1991 + k)
            tmp = p.with_suffix(".part")
            tmp.write_text(vol.text, encoding="utf-8")
            tmp.replace(p)
        paths.append(p)
    return paths


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def summary(values: list[float]) -> str:
    return (f"p50 {statistics.median(values):7.2f} ms  p95 {pct(values, 0.95):7.2f} ms  "
            f"max {max(values):7.2f} ms")


class Timer:
    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start
