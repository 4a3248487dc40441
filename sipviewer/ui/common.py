"""Fonts, translation, error dialogs and small helpers shared by the viewer's widgets."""

from __future__ import annotations

import logging
import sys
import traceback
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator, qVersion
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

from sipviewer import __version__
from sipviewer.core.paths import resource_path
from sipviewer.model.errors import SipviewerError

if TYPE_CHECKING:  # dialogs: imported when first shown
    from PySide6.QtWidgets import QFileDialog, QMessageBox

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
    # dates, numbers and Qt's own widgets (the file dialog's dates) in the interface language
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China) if lang == "zh"
                       else QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    app.setProperty("sipviewer_lang", lang)
    if lang == "en":
        translator = QTranslator(app)
        if translator.load(str(resource_path("i18n", "sipviewer_en.qm"))):
            app.installTranslator(translator)
            app._sipviewer_translator = translator  # type: ignore[attr-defined]
    return lang


def versions() -> str:
    import platform
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

    shown = user_error(exc)  # database damage: one line, not a driver's report
    if shown is not exc or isinstance(exc, SipviewerError):  # logged too, with the cause
        log.warning("%s%s", shown, "\n" + getattr(exc, "__traceback_text__", "")
                    if shown is not exc else "")
    exc = shown
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or t("出错了"))
    if isinstance(exc, SipviewerError):
        box.setText(user_message(exc))
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


def install_excepthook() -> None:
    def hook(kind, value, tb) -> None:
        value.__traceback_text__ = "".join(traceback.format_exception(kind, value, tb))
        log.error("uncaught: %s", value.__traceback_text__)
        app = QApplication.instance()
        if app is not None:
            show_error(QApplication.activeWindow(), value)
    sys.excepthook = hook


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape(text: str) -> str:
    """``html.escape(text, quote=False)``, without importing `html` (its entity table costs
    the viewer's start a few milliseconds)."""
    return text.translate(_ESCAPES)


def interface_lang() -> str:
    app = QCoreApplication.instance()
    lang = app.property("sipviewer_lang") if app is not None else None
    return lang if lang in ("zh", "en") else "zh"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_text(start, end, precision: str) -> str:
    """A record's date as people write it: 2020年1月29日, or 29 Jan 2020 in English."""
    if start is None:
        return ""
    if interface_lang() == "en":
        return _english_date(start, end, precision)
    if precision == "month":
        return f"{start.year}年{start.month}月"
    if precision == "year":
        return f"{start.year}年"
    if start == end or end is None:
        return f"{start.year}年{start.month}月{start.day}日"
    if start.year == end.year and start.month == end.month:
        return f"{start.year}年{start.month}月{start.day}—{end.day}日"
    return f"{start.year}年{start.month}月{start.day}日—{end.year}年{end.month}月{end.day}日"



def _english_date(start, end, precision: str) -> str:  # type: ignore[no-untyped-def]
    def day(d) -> str:  # type: ignore[no-untyped-def]
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"

    if precision == "month":
        return f"{MONTHS[start.month - 1]} {start.year}"
    if precision == "year":
        return str(start.year)
    if start == end or end is None:
        return day(start)
    if start.year == end.year and start.month == end.month:
        return f"{start.day}–{end.day} {MONTHS[start.month - 1]} {start.year}"
    return f"{day(start)} – {day(end)}"


def plural(n: int, zh_unit: str, one: str, many: str) -> str:
    """``3 篇文章`` in Chinese; ``1 article`` / ``3 articles`` in English."""
    if interface_lang() == "en":
        return f"{n} {one if n == 1 else many}"
    return f"{n} {zh_unit}"


def size_text(size: int) -> str:
    units = ("字节", "KB", "MB", "GB") if interface_lang() == "zh" else ("bytes", "KB", "MB", "GB")
    value, unit = float(size), 0
    while value >= 1024 and unit < len(units) - 1:
        value, unit = value / 1024, unit + 1
    return f"{int(value)} {units[0]}" if unit == 0 else f"{value:.1f} {units[unit]}"


# Qt's file dialog is in its own module (its classes cost the first frame 10 ms)
def file_dialog(parent: QWidget | None, title: str, name: str, filters: str, *,
                save: bool = True, many: bool = False) -> QFileDialog:
    """Qt's own file dialog in the interface language (see `sipviewer.ui.filedialog`)."""
    from sipviewer.ui.filedialog import file_dialog

    return file_dialog(parent, title, name, filters, save=save, many=many)


def save_file_name(parent: QWidget | None, title: str, name: str, filters: str) -> str:
    return save_file_and_filter(parent, title, name, filters)[0]


def save_file_and_filter(parent: QWidget | None, title: str, name: str, filters: str
                         ) -> tuple[str, str]:
    """The path chosen ("" if none) and the file type chosen with it."""
    from sipviewer.ui.filedialog import save_file_and_filter

    return save_file_and_filter(parent, title, name, filters)


def open_file_names(parent: QWidget | None, title: str, filters: str) -> list[str]:
    from sipviewer.ui.filedialog import open_file_names

    return open_file_names(parent, title, filters)


_CORE_MESSAGES: list[tuple[str, str]] = [  # the core's messages (English) → interface strings
    (r"the query is too long \((\d+) characters; at most (\d+)\)", "检索词太长（{} 个字符，最多 {} 个）"),
    (r"“(\w+):” needs a word after it", "“{0}:” 后面需要一个词"),
    (r"bad date .*: the month must be 1–12", "月份应为 1–12"),
    (r"bad date '(.+)': no such day", "没有这一天：{}"),
    (r"bad date .*: use YYYY", "日期格式：YYYY、YYYY-MM 或 YYYY-MM-DD"),
    (r"--from .* is after --to", "起始日期晚于结束日期"),
    (r"the department name is empty", "部门名称为空"),
    # files given to import or export (the window's dialogs): "PATH: problem"
    (r"^(.+): no such file$", "{}：文件不存在"),
    (r"^(.+): the file is empty$", "{}：文件是空的"),
    (r"^(.+): is a folder, not a .*$", "{}：这是文件夹，不是文件"),
    (r"^(.+): binary data, not a text file", "{}：这是二进制数据，不是文本文件"),
    (r"^(.+): cannot decode", "{}：无法识别文本的编码"),
    (r"^(.+): the text decodes as .* but does not read as Chinese", "{}：解码后不是可读的中文文本"),
    (r"^(.+): (?:file )?too large", "{}：文件太大"),
    (r"^(.+): cannot be read \((.+)\)$", "{}：无法读取（{}）"),
    (r"^(.+): not a regular", "{}：不是普通文件（设备或管道）"),
    (r"^(.+): no Chinese text: not a yearbook", "{}：没有中文文字，不是年鉴文本"),
    (r"^(.+): no yearbook structure found", "{}：找不到年鉴的结构（页面、标题、图片说明、表格或署名）"),
    (r"^(.+): the archive already holds a different text of 《(.+?)》 ?(\d*) \(from (.+)\)",
     "{}：档案中已有《{}》{} 的另一份文本（来自 {}），未导入"),
    (r"^(.+): cannot write(?: here)? \((.+)\)$", "{}：无法写入（{}）"),
]


def user_message(exc: BaseException) -> str:
    """An error of the core, in the interface's language where the viewer knows it (the
    core speaks English to scripts and logs)."""
    import re

    text = str(exc)
    reasons = {"No such file or directory": t("文件夹不存在"), "Permission denied": t("没有权限"),
               "Read-only file system": t("只读的文件系统"), "No space left on device": t("磁盘已满")}
    for pattern, message in _CORE_MESSAGES:
        m = re.search(pattern, text)
        if m:  # (the system's reason too, when it is a common one)
            return t(message).format(*(reasons.get(g, g) for g in m.groups()))
    return text
