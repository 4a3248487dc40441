"""After an import: how many of the parser's decisions want checking, the report a click away.

GUI thread only. The report is the one ``sipviewer parse FILE --report`` prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from sipviewer.model.uncertain import uncertain_report
from sipviewer.ui.common import t


class UncertainButton(QPushButton):
    """A flat status-bar button: ``待核对 N 处`` after an import that had uncertain decisions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFlat(True)
        self.report = ""
        self.dialog: QDialog | None = None
        self.clicked.connect(self.open_report)
        self.hide()

    def show_outcomes(self, outcomes: Sequence[Any]) -> None:
        count = sum(len(o.uncertain) for o in outcomes)
        self.report = "\n\n".join(uncertain_report(o.uncertain, Path(o.path).name)
                                  for o in outcomes if o.uncertain)
        self.setText(t("待核对 {} 处").format(count))
        self.setToolTip(t("解析时没有把握的判断，请核对"))
        self.setVisible(count > 0)

    def open_report(self) -> None:
        dialog = QDialog(self.window())
        dialog.setWindowTitle(t("导入待核对"))
        text = QPlainTextEdit(self.report)
        text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(text)
        layout.addWidget(buttons)
        dialog.resize(720, 480)
        self.dialog = dialog
        dialog.open()
