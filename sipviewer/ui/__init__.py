"""The PySide6 viewer: a thin layer over `sipviewer.core.archive.Archive`.

Only this package imports Qt. Archive calls run on one worker thread (`tasks.TaskRunner`);
results come back to the GUI thread by signal.
"""

from __future__ import annotations

import os
from types import ModuleType

import PySide6.QtCore  # noqa: F401  (first: what follows is PySide's)


def _quicker_imports() -> None:
    """Once imported, PySide reads the source of every module imported after it, looking for
    "PySide6" in it (to know whether its ``from __feature__ import …`` options may apply):
    a fifth of the time the viewer's start spends importing. The standard library and this
    package are answered without reading them (ours use no such option), anything else as
    PySide would. The hook is PySide's own, not a public interface: should it change, imports
    are only as slow as before."""
    try:
        from shibokensupport import feature  # type: ignore[import-not-found]
    except ImportError:
        return
    scan = getattr(feature, "_mod_uses_pyside", None)
    if scan is None or getattr(scan, "sipviewer", False):
        return
    stdlib = os.path.dirname(os.__file__) + os.sep

    def uses_pyside(module: ModuleType) -> bool:
        name = getattr(module, "__name__", "")
        if name == "sipviewer" or name.startswith("sipviewer."):
            return name.startswith("sipviewer.ui")
        path = getattr(module, "__file__", None) or ""
        if path.startswith(stdlib) and "-packages" not in path:
            return False
        return bool(scan(module))

    uses_pyside.sipviewer = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside


_quicker_imports()
