"""PySide reads the source of each module imported after it, looking for "PySide6"; the viewer
answers that for the standard library and its own modules without reading them (a fifth of
its start's import time). The answers must be the ones PySide's reading would give."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

import sipviewer.ui  # (installs the shortcut)
import sipviewer.ui.mainwindow  # noqa: F401  (and a good part of the package with it)


def _check():  # type: ignore[no-untyped-def]
    feature = pytest.importorskip("shibokensupport.feature")
    check = feature._mod_uses_pyside
    if not getattr(check, "sipviewer", False):
        pytest.skip("this PySide has no such check to shorten")
    return check


def test_our_modules_are_answered_as_pysides_reading_would():
    check = _check()
    ours = [m for name, m in sorted(sys.modules.items())
            if (name == "sipviewer" or name.startswith("sipviewer.")) and getattr(m, "__file__", None)]
    assert len(ours) > 20
    for module in ours:
        text = Path(module.__file__).read_text(encoding="utf-8")
        assert check(module) == ("PySide6" in text), module.__name__


def test_the_standard_library_is_answered_without_pyside_and_others_are_read():
    check = _check()
    assert check(json) is False and check(sqlite3) is False
    assert check(pytest) is False  # (read: pytest does not use PySide)
    import pytestqt.qt_compat

    assert check(pytestqt.qt_compat) is True  # read: it names PySide6
