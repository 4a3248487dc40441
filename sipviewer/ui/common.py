"""Fonts, translation, error dialogs and small helpers shared by the viewer's widgets."""

from __future__ import annotations

import html
import logging
import platform
import sys
import traceback

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator, qVersion
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from sipviewer import __version__
from sipviewer.core.paths import resource_path
from sipviewer.model.errors import SipviewerError

log = logging.getLogger("sipviewer")
FONT_FILE = "NotoSansSC-Subset.otf"
_families: list[str] = []


def t(text: str) -> str:
    """Translate an interface string (source strings are Chinese; English via Qt Linguist)."""
    return QCoreApplication.translate("sipviewer", text)


def load_fonts(app: QApplication) -> str:
    """Load the bundled Simplified Chinese font and make it the application font.

    The family is set explicitly, so Qt never falls back to a Japanese face for Han
    characters. Returns the family name.
    """
    if not _families:
        path = resource_path("fonts", FONT_FILE)
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            _families.extend(QFontDatabase.applicationFontFamilies(font_id))
    family = _families[0] if _families else "Noto Sans CJK SC"
    font = QFont(family)
    font.setPointSize(max(app.font().pointSize(), 10))
    font.setStyleHint(QFont.StyleHint.SansSerif)
    app.setFont(font)
    return family


def install_translator(app: QApplication, lang: str | None) -> str:
    """Chinese by default; English with ``--lang en`` or an English system locale."""
    if lang is None:
        lang = "en" if QLocale.system().language() == QLocale.Language.English else "zh"
    if lang == "zh":  # Qt's own strings (standard buttons, dialogs) in Chinese too
        from PySide6.QtCore import QLibraryInfo

        qt = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        # qtbase itself: the qt_zh_CN catalogue also wants modules PySide6-Essentials lacks
        # (multimedia), and then loads nothing at all
        if qt.load("qtbase_zh_CN", folder):
            app.installTranslator(qt)
            app._sipviewer_qt_translator = qt  # type: ignore[attr-defined]
    if lang == "en":
        translator = QTranslator(app)
        if translator.load(str(resource_path("i18n", "sipviewer_en.qm"))):
            app.installTranslator(translator)
            app._sipviewer_translator = translator  # type: ignore[attr-defined]
    return lang


def versions() -> str:
    from importlib.metadata import version

    import PySide6

    # the installed versions, without importing the libraries (the window may not need them)
    return (f"sipviewer {__version__}; Python {platform.python_version()}; "
            f"Qt {qVersion()}; PySide6 {PySide6.__version__}; SQLAlchemy "
            f"{version('SQLAlchemy')}; Whoosh {version('whoosh-reloaded')}; "
            f"{platform.system()} {platform.release()}")


def show_error(parent: QWidget | None, exc: BaseException, title: str | None = None) -> QMessageBox:
    """One dialog for every error: the message, and for bugs the details with versions.

    Over a window the dialog is window-modal and does not block (the event loop, and so
    the window's background work, goes on); with no window (the viewer could not start) it
    waits for the user.
    """
    from sipviewer.core.damage import user_error

    exc = user_error(exc)  # database damage: one line, not a driver's report
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or t("出错了"))
    if isinstance(exc, SipviewerError):
        box.setText(str(exc))
    else:
        box.setText(t("发生了意外错误，您的数据没有丢失。") + "\n" + f"{type(exc).__name__}: {exc}")
        details = getattr(exc, "__traceback_text__", None) or "".join(
            traceback.format_exception(type(exc), exc, exc.__traceback__))
        box.setDetailedText(details + "\n" + versions())
        log.error("unexpected error: %s", details)
    if parent is None:
        box.exec()
    else:
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
    return box


GUI_SWITCH_INTERVAL = 0.001  # seconds


def favour_the_gui_thread() -> None:
    """Let the GUI thread take the interpreter lock back within a millisecond.

    Archive work (imports, index loading) runs on worker threads. With CPython's default
    5 ms switch interval a worker that often releases and retakes the lock around short C
    calls keeps winning it back, and a waiting GUI thread was measured stalling for 60–130 ms;
    at 1 ms the longest stall measured was 29 ms, at a throughput cost too small to measure.
    """
    sys.setswitchinterval(GUI_SWITCH_INTERVAL)


def install_excepthook() -> None:
    def hook(kind, value, tb) -> None:
        value.__traceback_text__ = "".join(traceback.format_exception(kind, value, tb))
        log.error("uncaught: %s", value.__traceback_text__)
        app = QApplication.instance()
        if app is not None:
            show_error(QApplication.activeWindow(), value)
    sys.excepthook = hook


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def date_text(start, end, precision: str) -> str:
    if start is None:
        return ""
    if precision == "month":
        return f"{start.year}年{start.month}月"
    if precision == "year":
        return f"{start.year}年"
    if start == end or end is None:
        return f"{start.year}年{start.month}月{start.day}日"
    if start.year == end.year and start.month == end.month:
        return f"{start.year}年{start.month}月{start.day}—{end.day}日"
    return f"{start.year}年{start.month}月{start.day}日—{end.year}年{end.month}月{end.day}日"

