"""Attaching many images at once: choose a folder (and optionally a CSV of ``file,photo_id``
or ``file,caption``), preview which file goes to which photo and what stays unmatched, then
attach them in one change. The preview and the attach run on the window's task runner."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from sipviewer.ui.common import t

if TYPE_CHECKING:
    from sipviewer.core.catalogue_values import MatchPlan
    from sipviewer.ui.catalogue import CatalogueWidget

HOW = {"csv": lambda: "CSV", "id": lambda: t("编号"), "caption": lambda: t("说明文字")}
# the core's reasons (English, for the command line) as the dialog shows them
_WHY = [(re.compile(r"^listed in the CSV but not in the folder$"),
         lambda: t("CSV 中列出，但文件夹中没有")),
        (re.compile(r"^not in the CSV$"), lambda: t("CSV 中未列出")),
        (re.compile(r"^no photo (\d+)$"), lambda: t("没有编号为 {} 的照片")),
        (re.compile(r"^no photo id or caption in the name$"),
         lambda: t("文件名中没有照片编号或说明文字")),
        (re.compile(r"^no photo's caption matches$"), lambda: t("没有照片的说明与文件名相符")),
        (re.compile(r"^(\d+) photos' captions match; name it in a CSV$"),
         lambda: t("{} 张照片的说明都相符，请用 CSV 指定")),
        (re.compile(r"^photo (\d+) already matched by (.+)$"), lambda: t("照片 {} 已由 {} 匹配")),
        (re.compile(r"^not a readable image \(not an image file"), lambda: t("不是图片文件")),
        (re.compile(r"^not a readable image \(damaged"), lambda: t("图片数据损坏或不完整")),
        (re.compile(r"^image too large \(more than (\d+) megapixels\)$"),
         lambda: t("图片过大（超过 {} 百万像素）"))]


def why_zh(why: str) -> str:
    for pattern, text in _WHY:
        m = pattern.match(why)
        if m:
            return text().format(*m.groups())
    return why


class MatchDialog(QDialog):
    def __init__(self, owner: CatalogueWidget, folder: Path | None = None,
                 files: list[Path] | None = None) -> None:
        super().__init__(owner)
        self.owner = owner
        self.files = files
        self.plan: MatchPlan | None = None
        self.setWindowTitle(t("从文件夹附加图片"))
        self.resize(900, 600)
        self.folder = QLineEdit(str(folder) if folder else "")
        self.folder.setObjectName("match_folder")
        self.mapping = QLineEdit()
        self.mapping.setObjectName("match_csv")
        self.mapping.setPlaceholderText(t("可选：每行“文件名,照片编号”或“文件名,说明”"))
        browse = QPushButton(t("选择文件夹…"))
        browse.clicked.connect(self._browse_folder)
        browse_csv = QPushButton(t("选择 CSV…"))
        browse_csv.clicked.connect(self._browse_csv)
        self.preview_button = QPushButton(t("预览匹配"))
        self.preview_button.setObjectName("preview")
        self.preview_button.clicked.connect(self.preview)
        grid = QGridLayout()
        grid.addWidget(QLabel(t("文件夹")), 0, 0)
        grid.addWidget(self.folder, 0, 1)
        grid.addWidget(browse, 0, 2)
        grid.addWidget(QLabel("CSV"), 1, 0)
        grid.addWidget(self.mapping, 1, 1)
        grid.addWidget(browse_csv, 1, 2)
        grid.addWidget(self.preview_button, 2, 2)
        if files is not None:
            self.folder.setText(t("拖入的 {} 个文件").format(len(files)))
            self.folder.setEnabled(False)
            browse.setEnabled(False)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("matches")
        self.table.setHorizontalHeaderLabels([t("文件"), t("照片"), t("依据"), t("说明")])
        header = self.table.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.unmatched = QTableWidget(0, 2)
        self.unmatched.setObjectName("unmatched")
        self.unmatched.setHorizontalHeaderLabels([t("未匹配的文件"), t("原因")])
        self.unmatched.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        self.unmatched.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.unmatched.verticalHeader().setVisible(False)
        self.unmatched.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.summary = QLabel(t("选择文件夹后点“预览匹配”；预览不会改动档案。"))
        self.summary.setObjectName("match_summary")
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.attach_button = self.buttons.addButton(t("附加"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.attach_button.setObjectName("attach")
        self.attach_button.setEnabled(False)
        self.attach_button.clicked.connect(self.attach)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.unmatched, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        if files is not None:
            self.preview()

    def _browse_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, t("选择文件夹"), self.folder.text())
        if path:
            self.folder.setText(path)

    def _browse_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, t("选择 CSV"), self.folder.text(),
                                              "CSV (*.csv);;" + t("所有文件 (*)"))
        if path:
            self.mapping.setText(path)

    def preview(self) -> None:
        folder = self.folder.text().strip()
        mapping = self.mapping.text().strip() or None
        files = self.files
        self.attach_button.setEnabled(False)
        self.summary.setText(t("正在匹配…"))

        def work():  # type: ignore[no-untyped-def]
            cat = self.owner.session.archive.catalogue
            if files is not None:
                return cat.plan_files(files, mapping)
            return cat.plan_folder(folder, mapping)

        def failed(exc: BaseException) -> None:
            self.summary.setText(f"{t('无法预览')}：{exc}")

        self.owner.session.read(work, self.show_plan, failed)

    def show_plan(self, plan: MatchPlan) -> None:
        self.plan = plan
        self.table.setRowCount(len(plan.matches))
        for r, m in enumerate(plan.matches):
            for c, text in enumerate((m.file.name, f"#{m.photo_id}", HOW[m.how](), m.caption)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.unmatched.setRowCount(len(plan.unmatched_files))
        for r, (f, why) in enumerate(plan.unmatched_files):
            self.unmatched.setItem(r, 0, QTableWidgetItem(f.name))
            self.unmatched.setItem(r, 1, QTableWidgetItem(why_zh(why)))
        self.summary.setText(
            f"{len(plan.matches)} {t('个文件可以附加')}，{len(plan.unmatched_files)} "
            f"{t('个未匹配')}；{t('之后仍无图片的照片')} {plan.photos_without} {t('张')}。"
            + t("尚未改动档案。"))
        self.attach_button.setEnabled(bool(plan.matches))
        self.attach_button.setText(f"{t('附加')} {len(plan.matches)} {t('张')}")

    def attach(self) -> None:
        plan = self.plan
        if plan is None:
            return
        self.attach_button.setEnabled(False)
        self.summary.setText(t("正在附加…"))

        from sipviewer.ui.catalogue import as_op

        def done(outcome) -> None:  # type: ignore[no-untyped-def]
            self.owner._attached(outcome)
            self.accept()

        def failed(exc: BaseException) -> None:
            self.summary.setText(f"{t('未附加')}：{exc}")
            self.attach_button.setEnabled(True)

        self.owner.session.write(
            lambda: as_op(self.owner.session.archive.catalogue.attach_plan(plan)), done, failed)
