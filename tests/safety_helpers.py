"""Helpers for the fault, concurrency and read-only tests: the real command line in
subprocesses, and small file systems (tmpfs) where this machine lets us mount them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, timeout: float = 300, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sipviewer", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def one_line(stderr: str) -> str:
    """The error line (progress lines end in a carriage return and are not errors)."""
    lines = [ln for ln in stderr.replace("\r", "\n").splitlines()
             if ln.strip() and ln.startswith("sipviewer:")]
    assert len(lines) == 1, stderr
    assert "internal error" not in lines[0] and "Traceback" not in stderr, stderr
    return lines[0]


def can_mount() -> bool:
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not sys.platform.startswith("linux"):
        return False
    probe = Path(f"/tmp/sipviewer-mount-probe-{os.getpid()}")
    probe.mkdir(exist_ok=True)
    ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(probe)],
                        capture_output=True).returncode == 0
    if ok:
        subprocess.run(["umount", str(probe)], capture_output=True)
    probe.rmdir()
    return ok


def mount_tmpfs(where: Path, size: str) -> None:
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                   check=True, capture_output=True)


def remount_read_only(where: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True, capture_output=True)


def unmount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


def stock_whoosh_pickles(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """For tests that compare with stock Whoosh on indexes they wrote themselves: Whoosh's
    own unpickling back (sipviewer reads only plain data, see search/safewhoosh.py)."""
    import pickle

    import whoosh.codec.whoosh3 as w3
    import whoosh.columns as columns
    import whoosh.filedb.structfile as structfile

    monkeypatch.setattr(w3, "loads", pickle.loads)
    monkeypatch.setattr(columns, "loads", pickle.loads)
    monkeypatch.setattr(structfile, "load_pickle", pickle.load)
