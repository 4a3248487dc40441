"""The PySide6 viewer: a thin layer over `sipviewer.core.archive.Archive`.

Only this package imports Qt. Archive calls run on one worker thread (`tasks.TaskRunner`);
results come back to the GUI thread by signal.
"""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401  (installs PySide6's import hook, made cheaper below)


def _uses_pyside_from_bytes() -> None:
    """PySide6 asks of every module imported after it whether its source names "PySide6"
    (for its ``__feature__`` switches), through `inspect.getsource`, which tokenizes the
    whole file: 0.5–1 ms a module, ~70 modules while the viewer starts, and on a worker
    thread that imports a module late, holding the interpreter lock the GUI thread needs.
    The same question is answered here from the file's bytes; anything else (no source
    file) goes to PySide6's own answer."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "from_bytes", False):
        return

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as fh:
                    return b"PySide6" in fh.read()
            except OSError:
                pass
        return bool(original(module))

    uses_pyside.from_bytes = True  # type: ignore[attr-defined]
    uses_pyside.original = original  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[union-attr]


_uses_pyside_from_bytes()
