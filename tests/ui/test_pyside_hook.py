"""The cheaper answer to PySide6's import-hook question equals PySide6's own."""

from __future__ import annotations

import sys

import sipviewer.ui  # noqa: F401  (puts the cheaper answer in place)


def test_the_answer_from_bytes_equals_pysides_own_for_every_module_loaded():
    feature = sys.modules["shibokensupport.feature"]
    ours = feature._mod_uses_pyside
    assert getattr(ours, "from_bytes", False)
    modules = [m for m in list(sys.modules.values()) if m is not None]
    answers = [(m.__name__, ours(m), bool(ours.original(m))) for m in modules]
    assert all(a == b for _, a, b in answers), [x for x in answers if x[1] != x[2]]
    assert any(a for _, a, _ in answers) and not all(a for _, a, _ in answers)
