"""Run the whole suite and fail unless every collected test ran to a verdict.

A test that ends the process early (or a crash in a worker) can stop pytest before its
summary with exit status 0; this compares the tests collected with the outcomes recorded in
a JUnit XML report and fails when any are missing. `make test` (and so CI) runs this.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path


def collected(args: list[str]) -> int:
    out = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", *args],
                         capture_output=True, text=True, check=False)
    ids = [line for line in out.stdout.splitlines() if "::" in line]
    if out.returncode != 0 or not ids:
        sys.stdout.write(out.stdout + out.stderr)
        raise SystemExit("run_suite: collecting the tests failed")
    return len(ids)


def main() -> int:
    args = sys.argv[1:]
    expected = collected(args)
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.xml"
        code = subprocess.call([sys.executable, "-m", "pytest", "-q", f"--junitxml={report}", *args])
        if not report.exists():
            print(f"run_suite: pytest wrote no report (exit {code}): the run ended early")
            return code or 1
        ran = len(ET.parse(report).getroot().findall(".//testcase"))
    if ran < expected:  # a module skipped whole is one more report entry than it collects
        print(f"run_suite: {expected} tests collected but only {ran} ran to a verdict")
        return code or 1
    print(f"run_suite: all {ran} collected tests ran")
    return code


if __name__ == "__main__":
    sys.exit(main())
