"""The filter panel: date range, departments with counts, kinds and volume.

It only collects choices; `FilterState.filter_args` is the one place they become the
arguments of the archive's filters (search and gallery alike). Every change emits `changed`;
the active filters are shown as chips that clear in one click. `FilterController` is the
part the main window holds: panel, chips and the department counts to show. The panel itself
(`filterpanel.FilterPanel`) is built, and its module imported, when it is first shown.
The years are a two-handle range and a histogram of the matching records whose bars pick a
year; departments combine with OR and keep their counts (the counts ignore the department
choice). The panel scrolls, so nothing collapses at large scale factors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

from sipviewer.model.types import VolumeInfo
from sipviewer.ui.common import t

if TYPE_CHECKING:
    from sipviewer.ui.filterpanel import FilterPanel
    from sipviewer.ui.lazypage import LazyPage

class FilterState(NamedTuple):
    date_from: str = ""
    date_to: str = ""
    departments: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    volume: int | None = None
    error: str = ""  # a date the user typed that cannot be used (why, for the user)

    @property
    def is_empty(self) -> bool:
        return self == FilterState()

    def filter_args(self, kinds: tuple[str, ...] | None = None) -> dict[str, object]:
        """Keyword arguments of the archive's ``make_filters`` (``kinds`` overrides the
        chosen kinds: the gallery asks for photos only)."""
        return {"date_from": self.date_from or None, "date_to": self.date_to or None,
                "departments": self.departments,
                "kinds": self.kinds if kinds is None else kinds,
                "volumes": [self.volume] if self.volume is not None else []}



class FilterChips(QWidget):
    """The active filters as small buttons; clicking one removes that filter."""

    def __init__(self, panel: FilterPanel | FilterController, parent=None) -> None:
        super().__init__(parent)
        self.panel = panel  # (what clears a filter: `without`)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(4)

    def update_chips(self, state: FilterState, volume_label: str | None) -> None:
        while self.row.count():
            item = self.row.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()
        chips: list[tuple[str, str, str | None]] = []
        if state.date_from or state.date_to:
            chips.append((f"{state.date_from or '…'} – {state.date_to or '…'}", "date", None))
        for k in state.kinds:
            chips.append(({"article": t("文章"), "photo": t("照片"), "table": t("表格"),
                           "event": t("大事记")}[k],
                          "kind", k))
        for d in state.departments:
            chips.append((d, "dept", d))
        if state.volume is not None:
            chips.append((volume_label or str(state.volume), "volume", None))
        for label, what, value in chips:
            b = QToolButton()
            b.setText(f"{label}  ×")
            b.setToolTip(t("清除此筛选"))
            b.setStyleSheet("QToolButton{background:#e8eef7;border:1px solid #b9c8de;"
                            "border-radius:9px;padding:1px 8px;}")
            b.clicked.connect(lambda _=False, w=what, v=value: self.panel.without(w, v))
            self.row.addWidget(b)
        self.row.addStretch(1)
        self.setVisible(bool(chips))


class FilterController(QObject):
    """The filter part of the window: the panel (a tab on the left), its chips (above the
    results) and which department counts the panel lists: the whole archive's when nothing
    is asked, the current results' otherwise.

    The panel is built when first shown or asked for (`panel`; `page` is the tab's page):
    until then nothing is chosen, and what it will list is kept for it."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        from sipviewer.ui.lazypage import LazyPage

        super().__init__(parent)
        self.page = LazyPage(self._make_panel)
        self.chips = FilterChips(self)
        self.chips.setVisible(False)
        self._all_departments: dict[str, int] = {}
        self._all_years: dict[str, dict[str, int]] | None = None
        self._showing_archive = True
        self._volumes: list[VolumeInfo] | None = None
        self._counts: dict[str, int] | None = None  # the department counts to list
        self._counts_of_archive = True  # those are the whole archive's (no results shown)
        self._years: dict[str, dict[str, int]] | None = None  # the histogram's facets

    @property
    def panel(self) -> FilterPanel:
        return self.page.part()  # type: ignore[no-any-return]

    def _make_panel(self, page: LazyPage) -> FilterPanel:
        from sipviewer.ui.filterpanel import FilterPanel  # (its widgets' types: when shown)

        panel = FilterPanel()
        page.box.addWidget(panel)
        if self._volumes is not None:
            panel.set_volumes(self._volumes)
        if self._counts is not None:
            panel.set_department_counts(self._counts)
        if self._years is not None:
            panel.set_year_counts(self._years)
        panel.changed.connect(self.changed)
        return panel

    def state(self) -> FilterState:
        return self.panel.state() if self.page.built else FilterState()

    def without(self, what: str, value: str | None = None) -> None:
        """Clear one filter (a chip's × button)."""
        self.panel.without(what, value)

    def set_archive(self, volumes: list[VolumeInfo], departments: dict[str, int] | None) -> None:
        """What the archive holds: its volumes and every department with its record count
        (None: not read yet, `set_departments` gives them)."""
        if departments is not None:
            self.set_departments(departments)
        self._volumes = volumes
        if self.page.built:
            self.panel.set_volumes(volumes)

    def set_departments(self, departments: dict[str, int]) -> None:
        """Every department of the archive with its record count."""
        self._all_departments = departments
        if self._counts_of_archive and self._counts is not None:
            self.show_counts(None)

    def show_counts(self, counts: dict[str, int] | None) -> None:
        """Department counts of the current results (None: of the whole archive)."""
        self._counts_of_archive = counts is None
        self._counts = self._all_departments if counts is None else counts
        if self.page.built:
            self.panel.set_department_counts(self._counts)

    def _show_year_counts(self, facets: dict[str, dict[str, int]]) -> None:
        self._years = facets
        if self.page.built:
            self.panel.set_year_counts(facets)

    def show_years(self, facets: dict[str, dict[str, int]] | None) -> None:
        """The year histogram of the current results (None: of the whole archive, once
        `set_archive_years` has given it)."""
        self._showing_archive = facets is None
        facets = self._all_years if facets is None else facets
        if facets is not None:
            self._show_year_counts(facets)

    def set_archive_years(self, facets: dict[str, dict[str, int]]) -> None:
        self._all_years = facets
        if self._showing_archive:
            self._show_year_counts(facets)

    def update_chips(self) -> None:
        state = self.state()
        label = self.panel.volume.currentText() if state.volume is not None else None
        self.chips.update_chips(state, label)
