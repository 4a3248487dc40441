"""All benchmarks in one run, then the issue's target figures together, each beside its anchor.

    python bench/run_all.py              # 30 generated volumes (the figures to report)
    python bench/run_all.py --volumes 6  # quicker, for development

The first run generates the volumes (about a minute each 10). The machine is shared: every
ratio compares figures measured in the same run; run it twice and report both.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZED = ("parse_import.py", "search.py", "ui.py")  # these take --volumes

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--volumes", type=int, default=30)
    args = ap.parse_args()
    figures: list[str] = []
    started = time.perf_counter()
    print(f"load at start: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} "
          f"{os.getloadavg()[2]:.1f} ({os.cpu_count()} cores)")
    for script in ("parse_import.py", "search.py", "ui.py", "chronicle.py", "catalogue.py"):
        print(f"\n== {script}", flush=True)
        sized = ["--volumes", str(args.volumes)] if script in SIZED else []
        proc = subprocess.Popen([sys.executable, str(HERE / script), *sized], cwd=HERE,
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        for line in proc.stdout:
            print(line, end="", flush=True)
            if line.startswith("FIGURE "):
                figures.append(line[len("FIGURE "):].rstrip())
        if proc.wait():
            sys.exit(proc.returncode)
    print(f"\n== the targets of the issue ({args.volumes} volumes; "
          f"{(time.perf_counter() - started) / 60:.0f} min; load at end "
          f"{os.getloadavg()[0]:.1f})")
    for line in figures:
        print("  " + line)
