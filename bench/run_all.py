"""All benchmarks in one run (about ten minutes the first time: it generates 30 volumes).

    python bench/run_all.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    for script in ("parse_import.py", "search.py", "ui.py", "chronicle.py", "catalogue.py"):
        print(f"\n== {script}", flush=True)
        code = subprocess.run([sys.executable, str(HERE / script)], cwd=HERE).returncode
        if code:
            sys.exit(code)
