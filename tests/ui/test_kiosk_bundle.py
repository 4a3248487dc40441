"""The one-folder application `make package` builds, run with no Python around it: a clean
environment (no virtual environment, no PYTHONPATH), from another folder. Skipped unless the
bundle has been built (``dist/sipviewer/sipviewer``; building it takes minutes)."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "sipviewer" / "sipviewer"
pytestmark = pytest.mark.skipif(not BUNDLE.is_file(), reason="no bundle (run `make package`)")


def run(home: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen",
           "SIPVIEWER_CONFIG_DIR": str(home / "config")}
    return subprocess.run([str(BUNDLE), *args], cwd=home, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_the_bundle_imports_its_own_sample_and_searches(tmp_path):
    sample = next((BUNDLE.parent / "_internal" / "sipviewer" / "resources" / "sample").glob("*.txt"))
    arc = str(tmp_path / "arc")
    out = run(tmp_path, "--archive", arc, "import", str(sample))
    assert out.returncode == 0 and "imported" in out.stdout, out.stderr
    out = run(tmp_path, "--archive", arc, "search", "qhcs")  # pinyin: pypinyin's data inside
    assert out.returncode == 0 and "黔货出山" in out.stdout, out.stderr


def test_the_bundle_parses_in_worker_processes(tmp_path):
    """Two volumes: parsed in worker processes, which a frozen application starts as itself
    with multiprocessing's own arguments (so does the viewer's import child); a child that
    ran the command line again instead would import again or hang, not end in two lines."""
    from sipviewer.ingest.synthetic import generate_volume

    sample = next((BUNDLE.parent / "_internal" / "sipviewer" / "resources" / "sample").glob("*.txt"))
    other = tmp_path / "generated-2010.txt"
    other.write_text(generate_volume(3, target_chars=100_000, edition_year=2010).text,
                     encoding="utf-8")
    out = run(tmp_path, "--archive", str(tmp_path / "arc"), "import", str(sample), str(other))
    assert out.returncode == 0 and out.stdout.count("imported") == 2, out.stderr


def test_the_bundle_opens_the_kiosk_and_ends_on_sigterm(tmp_path):
    sample = next((BUNDLE.parent / "_internal" / "sipviewer" / "resources" / "sample").glob("*.txt"))
    arc = str(tmp_path / "arc")
    assert run(tmp_path, "--archive", arc, "import", str(sample)).returncode == 0
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen",
           "SIPVIEWER_CONFIG_DIR": str(tmp_path / "config")}
    proc = subprocess.Popen([str(BUNDLE), "--kiosk", "--archive", arc], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(600):  # until its SIGTERM handler is in place (the window is up)
            status = Path(f"/proc/{proc.pid}/status").read_text()
            mask = next(int(x.split()[1], 16) for x in status.splitlines()
                        if x.startswith("SigCgt:"))
            if proc.poll() is not None or mask & (1 << (signal.SIGTERM - 1)):
                break
            time.sleep(0.1)
        assert proc.poll() is None, proc.stderr.read()  # type: ignore[union-attr]
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
