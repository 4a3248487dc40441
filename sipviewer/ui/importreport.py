"""After an import: how many of the parser's decisions want checking, the list a click away.

GUI thread only. The list holds what ``sipviewer parse FILE --report`` prints, in the
interface's language: the parser words its decisions in English for the command line, so each
known decision is matched here and said again through `t()` (an unknown one is named by its
kind). Clicking an item opens the article at its page (an event: the volume's 大事记).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sipviewer.model.types import Uncertain
from sipviewer.ui.common import t

PlaceRole = Qt.ItemDataRole.UserRole  # (volume id, page, kind, text) of an item


def kind_text(kind: str) -> str:
    """What the decision is about (`Uncertain.kind`)."""
    texts = {"title": t("标题"), "table": t("表格"), "caption": t("图片说明"),
             "running_head": t("页眉"), "attribution": t("署名"), "event": t("大事记")}
    return texts.get(kind, kind)


def _decisions() -> list[tuple[re.Pattern[str], Callable[[], str]]]:
    """The parser's decisions (their English wording) and the interface's text for each."""
    return [(re.compile(p), text) for p, text in (
        (r"a short line after a table taken as a title$", lambda: t("表格后的一行短文字被当作新文章的标题")),
        (r"a short line shaped like a paragraph's first line: read as body text$",
         lambda: t("像段落首行的一行短文字：按正文处理")),
        (r"text with no title after an article's end$", lambda: t("文章结束后出现没有标题的文字")),
        (r"no title line and no running head: the article is left untitled$",
         lambda: t("没有标题行，也没有页眉：文章未加标题")),
        (r"an article with no title line and no running head: titled from the title page$",
         lambda: t("文章没有标题行，也没有页眉：标题取自栏目页")),
        (r"the article ends with no signature or source note$", lambda: t("文章末尾没有署名或出处")),
        (r"row number (\d+) where (\d+) was due: read as part of the row before$",
         lambda: t("此处应为第 {1} 行，却见行号 {0}：并入上一行")),
        (r"no source line after the last row: the table has no attribution$",
         lambda: t("表格末行之后没有来源行：表格无署名")),
        (r"a credit with no caption text: kept as a photo without a caption$",
         lambda: t("只有供稿或摄影署名，没有说明文字：作为无说明的图片保留")),
        (r"lines set like a caption but with no credit: read as body text$",
         lambda: t("排得像图片说明，但没有署名：按正文处理")),
        (r"the article's title repeated above the foot of the page: dropped$",
         lambda: t("文章标题在页面中部重复出现（页眉）：已删去")),
        (r"text before the first dated entry: kept as an undated event$",
         lambda: t("第一条带日期的条目之前的文字：作为日期不详的条目保留")),
        (r"the volume's year is not known \(give --year\): (\d+) events kept without dates$",
         lambda: t("不知道本卷的年份（导入时请指定年份）：{0} 条大事未注日期")),
        (r"△ with no entry before it: kept without a date$", lambda: t("△ 之前没有条目：未注日期")),
        (r"a dated entry before any month heading: kept without a date$",
         lambda: t("月份标题之前的带日期条目：未注日期")),
        (r"no such day in (\d+)年(\d+)月: kept without a date$",
         lambda: t("{0}年{1}月没有这一天：未注日期")),
    )]


def decision_text(item: Uncertain) -> str:
    """The parser's decision in the interface's language (parts joined by ``; `` each said
    again); one not known here is named by its kind."""
    said = []
    for part in item.decision.split("; "):
        for pattern, text in _decisions():
            m = pattern.match(part)
            if m:
                said.append(text().format(*m.groups()))
                break
        else:
            return t("{}：解析时没有把握，请核对").format(kind_text(item.kind))
    return t("；").join(said)


class UncertainButton(QPushButton):
    """A flat status-bar button: ``待核对 N 处`` after an import that had uncertain decisions;
    `open_place` (volume id, page, kind, text) when an item of its list is chosen."""

    open_place = Signal(int, int, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFlat(True)
        self.outcomes: list[Any] = []
        self.dialog: QDialog | None = None
        self.clicked.connect(self.open_report)
        self.hide()

    def show_outcomes(self, outcomes: Sequence[Any]) -> None:
        self.outcomes = [o for o in outcomes if o.uncertain]
        count = sum(len(o.uncertain) for o in self.outcomes)
        self.setText(t("待核对 {} 处").format(count))
        self.setToolTip(t("解析时没有把握的判断，请核对"))
        self.setVisible(count > 0)

    def report_tree(self) -> QTreeWidget:
        """Each file, then its decisions page by page: 页, 类型, 原文, 判断."""
        tree = QTreeWidget()
        tree.setHeaderLabels([t("页"), t("类型"), t("原文"), t("判断")])
        tree.setRootIsDecorated(True)
        tree.setWordWrap(True)
        for outcome in self.outcomes:
            top = QTreeWidgetItem(tree, [f"{Path(outcome.path).name}　"
                                         + t("{} 处待核对").format(len(outcome.uncertain))])
            top.setFirstColumnSpanned(True)
            for u in sorted(outcome.uncertain, key=lambda u: u.page):
                row = QTreeWidgetItem(top, [t("第{}页").format(u.page), kind_text(u.kind),
                                            u.text, decision_text(u)])
                row.setData(0, PlaceRole, (outcome.volume_id, u.page, u.kind, u.text))
                row.setToolTip(2, u.text)
                row.setToolTip(3, t("点击打开此页的文章"))
        tree.expandAll()
        for column, width in enumerate((110, 80, 260)):
            tree.setColumnWidth(column, width)
        tree.itemClicked.connect(self._chosen)
        tree.itemActivated.connect(self._chosen)
        return tree

    def _chosen(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        place = item.data(0, PlaceRole)
        if place:
            self.open_place.emit(*place)

    def open_report(self) -> None:
        """The list, beside the window (not modal: the article opens behind it)."""
        dialog = QDialog(self.window())
        dialog.setWindowTitle(t("导入待核对"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(QLabel(t("解析时没有把握的判断。点击一项，打开它所在的文章。")))
        layout.addWidget(self.report_tree())
        layout.addWidget(buttons)
        dialog.resize(900, 480)
        self.dialog = dialog
        dialog.show()



def _compact(text: str) -> str:
    """Letters, digits and characters only (no spaces, no punctuation)."""
    return "".join(re.findall(r"\w+", text))


def _article_text(art: Any) -> str:
    """All an article shows, without spaces (to find the text a decision quotes)."""
    parts = [art.title, art.attribution or "", art.source_note or "", *art.paragraphs]
    for table in art.tables:
        parts += [f"表{table.number}", table.title, *table.columns, table.attribution or ""]
        parts += ["".join(row) for row in table.rows]
    for photo in art.photos:
        credit = photo.credit or ""
        parts += [photo.caption, credit, credit + ("摄" if photo.credit_kind == "photographer"
                                                   else "供稿")]
    return _compact("".join(parts))


def find_place(browse: Any, volume_id: int, page: int, kind: str,
               text: str = "") -> tuple[str, int] | None:
    """Where a decision on ``page`` of a volume is read (on a worker): ``("section", id)`` for
    an event (the volume's 大事记), else ``("article", id)``: of the articles on that page the
    one that shows the decision's text (else the last begun by that page); None when the
    volume is gone."""
    node = next((v for v in browse.tree() if v.volume.id == volume_id), None)
    if node is None:
        return None
    if kind == "event":
        chronology = next((s for s in node.sections if s.events), None)
        if chronology is not None:
            return "section", chronology.id
    arts = [browse.article(a.id) for s in node.sections for a in s.articles]
    begun = [a for a in arts if a.pages[0] <= page] or arts[:1]
    on_page = [a for a in begun if page <= a.pages[1]] or begun[-1:]
    quoted = _compact(text)[:12]
    showing = [a for a in on_page if quoted and quoted in _article_text(a)]
    chosen = (showing or on_page)[-1:]
    return ("article", chosen[0].id) if chosen else None
