"""What keeps a kiosk locked and fresh: the lockdown filter and the idle watcher.

`Lockdown` is an application-wide event filter. It swallows every key chord that could quit,
close, print, export or open something (anything with Ctrl, Alt or Meta, Escape, the F keys),
every context menu, and hides at once any dialog or menu that some code path still manages
to show (a file dialog above all: Qt's own one browses, renames and deletes files).

`IdleWatcher` restarts its timer on every touch, click, key or wheel turn and emits `idle`
when none came for the configured seconds. Both live on the GUI thread.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QWidget

log = logging.getLogger("sipviewer.kiosk")

_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
              | Qt.KeyboardModifier.MetaModifier)
_BLOCKED_KEYS = {Qt.Key.Key_Escape, Qt.Key.Key_Close, Qt.Key.Key_Print, Qt.Key.Key_Menu,
                 Qt.Key.Key_Help, Qt.Key.Key_Open, Qt.Key.Key_Save, Qt.Key.Key_Exit,
                 *(getattr(Qt.Key, f"Key_F{n}") for n in range(1, 36))}
_INPUT = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove,
          QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.KeyPress,
          QEvent.Type.Wheel}


def blocked_key(event) -> bool:  # type: ignore[no-untyped-def]
    """Key chords a visitor must not use: any with Ctrl/Alt/Meta, Escape, F1…F35 and the
    like. Plain letters, digits, Backspace and Enter still reach the search field."""
    if event.modifiers() & _MODIFIERS:
        return True
    return Qt.Key(event.key()) in _BLOCKED_KEYS


class Lockdown(QObject):
    """Install with ``app.installEventFilter(lockdown)``; `refused` counts what it stopped."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.refused: list[str] = []  # what was stopped, for tests and the log

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.Shortcut,
                    QEvent.Type.KeyRelease):
            if kind == QEvent.Type.Shortcut or blocked_key(event):
                if kind == QEvent.Type.KeyPress:
                    self._refuse(f"key {event.keyCombination().toCombined():#x}")  # type: ignore[attr-defined]
                event.accept()
                return True
        elif kind == QEvent.Type.ContextMenu:
            self._refuse("context menu")
            return True
        elif kind == QEvent.Type.Show and isinstance(obj, QDialog | QMenu):
            self._refuse(f"{type(obj).__name__} shown")
            self._dismiss(obj)  # type: ignore[arg-type]
        return False

    def _refuse(self, what: str) -> None:
        self.refused.append(what)
        log.info("kiosk: refused %s", what)

    @staticmethod
    def _dismiss(widget: QWidget) -> None:
        # made invisible and unusable at once, and ended right after the event that showed it:
        # exec() runs its own event loop, which only done() on a dialog still shown ends (a
        # dialog already hidden is not hidden again, and the loop would run on for ever)
        widget.setWindowOpacity(0.0)
        widget.setEnabled(False)
        if isinstance(widget, QDialog):
            QTimer.singleShot(0, lambda: widget.done(0))
        else:
            QTimer.singleShot(0, widget.close)


class IdleWatcher(QObject):
    """Emits `idle` after ``seconds`` without input anywhere in the application."""

    idle = Signal()
    active = Signal()  # the first input after being idle

    def __init__(self, seconds: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(int(seconds * 1000))
        self.timer.timeout.connect(self._on_timeout)
        self.is_idle = False

    def start(self) -> None:
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self.timer.start()

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.timer.stop()

    def _on_timeout(self) -> None:
        self.is_idle = True
        self.idle.emit()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT:
            # a mouse merely moving over a terminal is no visitor; a press is
            if event.type() == QEvent.Type.MouseMove and not QApplication.mouseButtons():
                return False
            self.timer.start()
            if self.is_idle:
                self.is_idle = False
                self.active.emit()
        return False
