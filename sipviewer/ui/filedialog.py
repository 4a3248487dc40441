"""Qt's own file dialog with every label in the interface language and dates written out
(Windows and macOS use their native dialogs, which speak the user's language).

Apart from `sipviewer.ui.common` (which offers these functions) so that its classes load when
a dialog is first opened, not with the first frame.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QIdentityProxyModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QFileDialog, QFileSystemModel, QTreeView, QWidget

from sipviewer.ui.common import _english_date, interface_lang, size_text, t


class _FileDates(QIdentityProxyModel):
    """The file dialog's size and date columns written in the interface language (Qt's
    own formats follow the system locale, e.g. "29 11 2026" and "0 bytes" under C)."""

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if role == Qt.ItemDataRole.DisplayRole and index.column() in (1, 2, 3):
            source = self.sourceModel()
            src = self.mapToSource(index)
            if isinstance(source, QFileSystemModel):
                if index.column() == 2:  # the type: "Folder" comes untranslated
                    return t("文件夹") if source.isDir(src) else super().data(index, role)
                if index.column() == 3:
                    when = source.lastModified(src)
                    if interface_lang() == "en":
                        return f"{_english_date(when.date().toPython(), None, 'day')} " \
                               f"{when.time().toString('HH:mm')}"
                    return when.toString("yyyy年M月d日 HH:mm")
                if source.isDir(src):
                    return ""
                return size_text(source.size(src))
        return super().data(index, role)


def file_dialog(parent: QWidget | None, title: str, name: str, filters: str, *,
                save: bool = True, many: bool = False) -> QFileDialog:
    """Qt's own file dialog with every label in the interface language (its translation
    catalogue leaves "Look in:" and "Files of type:" in English) and dates written out."""
    dialog = QFileDialog(parent, title, name, filters)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save
                         else QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles if many else
                       QFileDialog.FileMode.AnyFile if save else QFileDialog.FileMode.ExistingFile)
    if save:
        dialog.selectFile(name)
    labels = {QFileDialog.DialogLabel.LookIn: t("查找范围："),
              QFileDialog.DialogLabel.FileName: t("文件名："),
              QFileDialog.DialogLabel.FileType: t("文件类型："),
              QFileDialog.DialogLabel.Accept: t("保存") if save else t("打开"),
              QFileDialog.DialogLabel.Reject: t("取消")}
    for label, text in labels.items():
        dialog.setLabelText(label, text)
    dialog.setProxyModel(_FileDates(dialog))
    dialog.resize(880, 540)
    view = dialog.findChild(QTreeView, "treeView")
    if view is not None:  # room for the written-out dates
        view.header().setMinimumSectionSize(60)
        view.header().resizeSection(0, 300)
        view.header().resizeSection(3, QFontMetrics(view.font()).horizontalAdvance(
            "2026年12月30日 23:59  "))
    return dialog


def _native_dialogs() -> bool:
    """Windows and macOS dialogs speak the user's language; elsewhere Qt's own is used."""
    return sys.platform in ("win32", "darwin")


def save_file_name(parent: QWidget | None, title: str, name: str, filters: str) -> str:
    return save_file_and_filter(parent, title, name, filters)[0]


def save_file_and_filter(parent: QWidget | None, title: str, name: str, filters: str
                         ) -> tuple[str, str]:
    """The path chosen ("" if none) and the file type chosen with it."""
    if _native_dialogs():
        return QFileDialog.getSaveFileName(parent, title, name, filters)
    dialog = file_dialog(parent, title, name, filters)
    if dialog.exec() and dialog.selectedFiles():
        return dialog.selectedFiles()[0], dialog.selectedNameFilter()
    return "", ""


def open_file_names(parent: QWidget | None, title: str, filters: str) -> list[str]:
    if _native_dialogs():
        return QFileDialog.getOpenFileNames(parent, title, "", filters)[0]
    dialog = file_dialog(parent, title, "", filters, save=False, many=True)
    return dialog.selectedFiles() if dialog.exec() else []
