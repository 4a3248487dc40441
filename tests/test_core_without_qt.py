"""The core never imports PySide6: every module outside sipviewer.ui imports with Qt blocked."""

from __future__ import annotations

import subprocess
import sys

CODE = r"""
import importlib, pkgutil, sys
sys.modules["PySide6"] = None  # any "import PySide6..." now raises ImportError
import sipviewer
names = [m.name for m in pkgutil.walk_packages(sipviewer.__path__, "sipviewer.")
         if not m.name.startswith("sipviewer.ui") and m.name != "sipviewer.__main__"]
for name in names:
    importlib.import_module(name)
assert not any(k.startswith("PySide6") and sys.modules[k] is not None for k in sys.modules)
print(len(names))
"""


def test_core_imports_without_pyside6():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) >= 15


def test_cli_parse_works_without_pyside6(sample_path):
    code = ("import sys; sys.modules['PySide6'] = None; from sipviewer.cli import main; "
            f"sys.exit(main(['parse', {str(sample_path)!r}]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "5 articles, 10 photos, 1 table" in out.stdout
