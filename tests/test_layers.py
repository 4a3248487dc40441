"""The layering of pyproject.toml's import-linter contracts holds, and each contract bites:
a copy of the package with one wrong import added fails the contract that names that rule."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
        "sys.exit(lint_imports_command())", "--no-cache"]


def _lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LINT, "--config", str(cwd / "pyproject.toml")], cwd=cwd,
                          capture_output=True, text=True, env={"PYTHONPATH": str(cwd),
                                                               "PATH": "/usr/bin:/bin"})


def test_the_import_contracts_are_kept():
    out = _lint(ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "6 kept, 0 broken" in out.stdout


# (file to add the import to, the import, the contract that must break)
BAD_IMPORTS = [
    ("model/types.py", "import sipviewer.core.paths", "model is a leaf"),
    ("search/records.py", "import sipviewer.storage.models", "do not import one another"),
    ("storage/importer.py", "import sipviewer.ingest.dates", "do not import one another"),
    ("search/index.py", "import sipviewer.core.archive", "layers: cli over ui"),
    ("core/paths.py", "import sipviewer.ui.common", "layers: cli over ui"),
    ("media/images.py", "import PySide6.QtGui", "only the ui imports PySide6"),
    ("ui/common.py", "import sqlalchemy", "the ui imports only core and model"),
    ("ui/mainwindow.py", "import sipviewer.storage.reader", "the ui imports only core and model"),
    ("ui/mainwindow.py", "import sipviewer.cli", "nothing imports cli"),
]


@pytest.mark.parametrize("target, line, contract", BAD_IMPORTS,
                         ids=[f"{t}:{line.split()[-1]}" for t, line, _ in BAD_IMPORTS])
def test_a_wrong_import_breaks_the_named_contract(tmp_path, target, line, contract):
    shutil.copytree(ROOT / "sipviewer", tmp_path / "sipviewer",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    path = tmp_path / "sipviewer" / target
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # a wrong import\n",
                    encoding="utf-8")
    out = _lint(tmp_path)
    assert out.returncode != 0
    broken = [ln for ln in out.stdout.splitlines() if ln.endswith(" BROKEN")]
    assert any(contract in ln for ln in broken), out.stdout
