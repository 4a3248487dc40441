"""The filter panel itself (see `filters`): date range, departments with counts, kinds and
volume. Imported when the panel is first shown: the first frame does without its widgets'
types (each type PySide makes costs its enums, the form layout's 5 ms)."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sipviewer.model.types import VolumeInfo
from sipviewer.ui.common import t
from sipviewer.ui.filters import FilterState

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
DEPT_ROWS = 8  # the department list shows at least this many rows


def date_problem(text: str) -> str:
    """What is wrong with a date filter the user typed, in the interface's language ("" if
    nothing is)."""
    text = text.strip()
    if not text:
        return ""
    m = _DATE.match(text)
    if not m:
        return t("日期格式：YYYY、YYYY-MM 或 YYYY-MM-DD")
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    if month is not None and not 1 <= month <= 12:
        return t("月份应为 1–12")
    if day is not None and month is not None:
        import calendar

        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            return t("{0}年{1}月只有 {2} 天").format(year, month, last)
    return ""


def _bounds(text: str) -> tuple[int, ...]:
    m = _DATE.match(text.strip())
    return tuple(int(g) for g in m.groups() if g) if m else ()



class FilterPanel(QWidget):
    changed = Signal()

    def __init__(self, parent=None) -> None:
        from sipviewer.ui.rangeslider import RangeSlider
        from sipviewer.ui.yearchart import YearHistogram

        super().__init__(parent)
        self._volumes: list[VolumeInfo] = []
        self._quiet = False
        self._year_span: tuple[int, int] | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(self.scroll_area)
        inner = QWidget()
        self.scroll_area.setWidget(inner)
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(6, 6, 6, 6)

        dates = QGroupBox(t("日期"))
        form = QVBoxLayout(dates)
        self.year_label = QLabel(t("全部年份"))
        self.years = RangeSlider()
        self.years.setEnabled(False)
        self.years.setAccessibleName(t("年份范围"))
        self.years.setToolTip(t("拖动两端选择年份范围；键盘：方向键移动，空格切换两端"))
        self.years.rangeChanged.connect(self._on_range)
        self.histogram = YearHistogram()
        self.histogram.year_clicked.connect(self.pick_year)
        form.addWidget(self.histogram)
        form.addWidget(self.year_label)
        form.addWidget(self.years)
        grid = QFormLayout()
        self.date_from = QLineEdit()
        self.date_from.setPlaceholderText(t("起 YYYY[-MM[-DD]]"))
        self.date_to = QLineEdit()
        self.date_to.setPlaceholderText(t("止 YYYY[-MM[-DD]]"))
        for edit in (self.date_from, self.date_to):
            edit.setClearButtonEnabled(True)
            edit.editingFinished.connect(self._on_dates)
        grid.addRow(t("从"), self.date_from)
        grid.addRow(t("到"), self.date_to)
        form.addLayout(grid)
        self.date_error = QLabel("")
        self.date_error.setWordWrap(True)
        self.date_error.setStyleSheet("color:#b42318")
        form.addWidget(self.date_error)
        layout.addWidget(dates)

        kinds = QGroupBox(t("类型"))
        row = QHBoxLayout(kinds)
        self.kind_boxes: dict[str, QCheckBox] = {}
        for key, label in (("article", "文章"), ("photo", "照片"), ("table", "表格"),
                           ("event", "大事记")):
            box = QCheckBox(t(label))
            box.toggled.connect(self._emit)
            self.kind_boxes[key] = box
            row.addWidget(box)
        row.addStretch(1)
        layout.addWidget(kinds)

        vol_box = QGroupBox(t("卷"))
        vrow = QHBoxLayout(vol_box)
        self.volume = QComboBox()
        self.volume.currentIndexChanged.connect(self._emit)
        vrow.addWidget(self.volume)
        layout.addWidget(vol_box)

        depts = QGroupBox(t("部门与作者（可多选，任一匹配）"))
        dl = QVBoxLayout(depts)
        self.dept_filter = QLineEdit()
        self.dept_filter.setPlaceholderText(t("筛选部门…"))
        self.dept_filter.setClearButtonEnabled(True)
        self.dept_filter.textChanged.connect(self._filter_depts)
        self.dept_list = QListWidget()
        self.dept_list.setMinimumHeight(self.dept_list.fontMetrics().lineSpacing() * DEPT_ROWS)
        self.dept_list.itemChanged.connect(self._emit)
        dl.addWidget(self.dept_filter)
        dl.addWidget(self.dept_list, 1)
        layout.addWidget(depts, 1)

        self.clear_all = QPushButton(t("清除全部筛选"))
        self.clear_all.clicked.connect(self.clear)
        layout.addWidget(self.clear_all)

    # -- content from the archive ------------------------------------------------------------
    def set_volumes(self, volumes: list[VolumeInfo]) -> None:
        self._quiet = True
        self._volumes = volumes
        current = self.volume.currentData()
        self.volume.clear()
        self.volume.addItem(t("全部卷"), None)
        for v in volumes:
            self.volume.addItem(v.label, v.id)
        idx = self.volume.findData(current)
        self.volume.setCurrentIndex(max(0, idx))
        self._extend_years([y for v in volumes for y in (v.covered_year,) if y])
        self._quiet = False

    def _extend_years(self, years: list[int]) -> None:
        """The year range covers the volumes' years and every year records are dated in."""
        if self._year_span:
            years = [*years, *self._year_span]
        if not years or (min(years), max(years)) == self._year_span:
            return
        self._year_span = (min(years), max(years))
        self.years.setRange(*self._year_span)
        self.years.setEnabled(self._year_span[1] > self._year_span[0])
        self._sync_slider()

    def set_year_counts(self, facets: dict[str, dict[str, int]]) -> None:
        """The histogram from a search's ``year:KIND`` facets (they ignore the date filter)."""
        by_kind = {k.split(":", 1)[1]: v for k, v in facets.items() if k.startswith("year:")}
        self._extend_years([int(y) for v in by_kind.values() for y in v])
        self.histogram.set_counts(by_kind, self._selected_years())

    def _selected_years(self) -> tuple[int, int] | None:
        lo, hi = _bounds(self.date_from.text()), _bounds(self.date_to.text())
        if not lo and not hi:
            return None
        return (lo[0] if lo else 0, hi[0] if hi else 9999)

    def pick_year(self, year: int) -> None:
        """A histogram bar: just that year (or, when it is the year already chosen, all)."""
        current = (self.date_from.text().strip(), self.date_to.text().strip())
        chosen = ("", "") if current == (str(year), str(year)) else (str(year), str(year))
        self.set_state(self.state()._replace(date_from=chosen[0], date_to=chosen[1], error=""))

    def set_department_counts(self, counts: dict[str, int]) -> None:
        """Departments of the current results with their counts; checked ones stay listed."""
        self._quiet = True
        checked = set(self.state().departments)
        self.dept_list.clear()
        names = sorted(set(counts) | checked, key=lambda n: (-counts.get(n, 0), n))
        for name in names:
            item = QListWidgetItem(f"{name}  ({counts.get(name, 0)})")
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in checked
                               else Qt.CheckState.Unchecked)
            self.dept_list.addItem(item)
        self._filter_depts(self.dept_filter.text())
        self._quiet = False

    # -- state -----------------------------------------------------------------------------
    def state(self) -> FilterState:
        depts = tuple(self.dept_list.item(i).data(Qt.ItemDataRole.UserRole)
                      for i in range(self.dept_list.count())
                      if self.dept_list.item(i).checkState() == Qt.CheckState.Checked)
        kinds = tuple(k for k, box in self.kind_boxes.items() if box.isChecked())
        return FilterState(self._valid(self.date_from), self._valid(self.date_to), depts, kinds,
                           self.volume.currentData(), self.dates_problem())

    def dates_problem(self) -> str:
        """Why the typed dates cannot be used ("" when they can)."""
        for edit in (self.date_from, self.date_to):
            problem = date_problem(edit.text())
            if problem:
                return problem
        lo, hi = _bounds(self.date_from.text()), _bounds(self.date_to.text())
        if lo and hi and lo[:len(hi)] > hi[:len(lo)]:
            return t("起始日期晚于结束日期")
        return ""

    def set_state(self, state: FilterState) -> None:
        self._quiet = True
        self.date_from.setText(state.date_from)
        self.date_to.setText(state.date_to)
        self.date_error.setText(self.dates_problem())
        self._sync_slider()
        for k, box in self.kind_boxes.items():
            box.setChecked(k in state.kinds)
        self.volume.setCurrentIndex(max(0, self.volume.findData(state.volume)))
        wanted = set(state.departments)
        present = set()
        for i in range(self.dept_list.count()):
            item = self.dept_list.item(i)
            name = item.data(Qt.ItemDataRole.UserRole)
            present.add(name)
            item.setCheckState(Qt.CheckState.Checked if name in wanted else Qt.CheckState.Unchecked)
        for name in sorted(wanted - present):
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.dept_list.insertItem(0, item)
        self._quiet = False
        self.changed.emit()

    def clear(self) -> None:
        self.set_state(FilterState())

    def without(self, what: str, value: str | None = None) -> None:
        """Clear one filter (a chip's × button)."""
        s = self.state()
        if what == "date":
            s = s._replace(date_from="", date_to="")
        elif what == "kind":
            s = s._replace(kinds=tuple(k for k in s.kinds if k != value))
        elif what == "dept":
            s = s._replace(departments=tuple(d for d in s.departments if d != value))
        elif what == "volume":
            s = s._replace(volume=None)
        self.set_state(s)

    def _valid(self, edit: QLineEdit) -> str:
        text = edit.text().strip()
        return text if text and not date_problem(text) else ""

    def _on_dates(self) -> None:
        self.date_error.setText(self.dates_problem())
        self._sync_slider()
        self._emit()

    def _sync_slider(self) -> None:
        """The handles show the typed years (the ends of the range when a side is empty)."""
        lo, hi = _bounds(self.date_from.text()), _bounds(self.date_to.text())
        if (lo or not self.date_from.text().strip()) and (hi or not self.date_to.text().strip()):
            self.years.setValues(lo[0] if lo else self.years.minimum(),
                                 hi[0] if hi else self.years.maximum())
        self._range_label()
        self.histogram.set_selected(self._selected_years())

    def _range_label(self) -> None:
        lo, hi = self.years.values()
        if not (self.date_from.text().strip() or self.date_to.text().strip()):
            self.year_label.setText(t("全部年份"))
        elif lo == hi:
            self.year_label.setText(t("{}年").format(lo))
        else:
            self.year_label.setText(t("{}–{}年").format(lo, hi))

    def _on_range(self, lo: int, hi: int) -> None:
        """The user moved a handle: the whole range means no date filter."""
        if self.years.is_full():
            self.date_from.clear()
            self.date_to.clear()
        else:
            self.date_from.setText(str(lo))
            self.date_to.setText(str(hi))
        self.date_error.setText("")
        self._range_label()
        self.histogram.set_selected(self._selected_years())
        self._emit()

    def _filter_depts(self, text: str) -> None:
        for i in range(self.dept_list.count()):
            item = self.dept_list.item(i)
            item.setHidden(bool(text) and text not in item.text())

    def _emit(self, *args: object) -> None:
        if not self._quiet:
            self.changed.emit()
