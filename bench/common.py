"""Shared helpers for the benchmarks: the generated corpus, timing, memory."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
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


def _tree(pid: int) -> list[int]:
    """A process and all its descendants (Linux /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except OSError:
            pass
    return out


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(cmd: list[str], **kwargs) -> tuple[float, float, float, subprocess.CompletedProcess]:  # type: ignore[type-arg, no-untyped-def]
    """Run a command; (seconds, peak memory of the command with all its worker processes
    together in MB, peak of its main process alone in MB, the finished process), memory
    sampled every 20 ms."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            **kwargs)
    peak_all = peak_main = 0
    while proc.poll() is None:
        pids = _tree(proc.pid)
        peak_all = max(peak_all, sum(map(_rss_kb, pids)))
        peak_main = max(peak_main, _rss_kb(proc.pid))
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    out, err = proc.communicate()
    done = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    return seconds, peak_all / 1024, peak_main / 1024, done


def figure(name: str, value: float, unit: str, anchor: float | None, anchor_name: str | None,
           target: str) -> None:
    """Print one figure of the issue's targets, with its anchor and the ratio, on a line
    `run_all.py` collects into its summary."""
    if anchor:
        text = (f"{name}: {value:.2f} {unit} | {anchor_name} {anchor:.2f} {unit} | "
                f"ratio {value / anchor:.2f} | target {target}")
    else:
        text = f"{name}: {value:.2f} {unit} | target {target}"
    print("FIGURE " + text, flush=True)
