"""The filter panel on its own: dates explained in the interface's language, a two-handle
year range, a year histogram whose bars pick a year, a panel that scrolls instead of
collapsing, departments that stay listed with their counts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from sipviewer.core.archive import Archive


@pytest.fixture(scope="module")
def years_archive_dir(tmp_path_factory):
    """The sample (2020) and two generated volumes: records dated over a dozen years."""
    from sipviewer.ingest.synthetic import generate_volume
    from tests.conftest import SAMPLE

    root = tmp_path_factory.mktemp("years")
    files = []
    for seed, year in ((77, 2011), (78, 2016)):
        f = root / f"gen{seed}.txt"
        f.write_text(generate_volume(seed, target_chars=60000, edition_year=year).text,
                     encoding="utf-8")
        files.append(f)
    with Archive.open(root / "arc") as arc:
        arc.import_files([SAMPLE], title="苏州工业园区年鉴", year=2021)
        arc.import_files(files)
    return root / "arc"


@pytest.fixture
def panel(app, qtbot):
    from sipviewer.ui.filterpanel import FilterPanel

    p = FilterPanel()
    qtbot.addWidget(p)
    p.resize(330, 760)
    p.show()
    return p


def fill(panel, arc, query: str = ""):
    panel.set_volumes(arc.volumes())
    res = arc.search(query, arc.make_filters(), limit=1)
    panel.set_year_counts(res.facets)
    panel.set_department_counts(res.facets["department"])
    return res


@pytest.mark.parametrize("text, reason", [
    ("2020-13", "月份应为 1–12"),
    ("2020-00", "月份应为 1–12"),
    ("2021-02-29", "2021年2月只有 28 天"),
    ("2020/02", "日期格式：YYYY、YYYY-MM 或 YYYY-MM-DD"),
])
def test_a_bad_date_says_why_in_chinese(panel, text, reason):
    from sipviewer.ui.filterpanel import date_problem

    assert date_problem(text) == reason
    panel.date_from.setText(text)
    panel.date_from.editingFinished.emit()
    assert panel.date_error.text() == reason
    state = panel.state()
    assert state.error == reason and state.date_from == ""
    assert "no such day" not in panel.date_error.text()


def test_good_dates_and_a_reversed_range(panel):
    from sipviewer.ui.filterpanel import date_problem

    assert date_problem("2020-02-29") == "" and date_problem("2020") == ""
    panel.date_from.setText("2020-05")
    panel.date_to.setText("2020-02")
    panel.date_to.editingFinished.emit()
    assert panel.state().error == "起始日期晚于结束日期"
    panel.date_to.setText("2020")
    panel.date_to.editingFinished.emit()
    assert panel.state().error == "" and panel.state().date_from == "2020-05"


def test_errors_follow_the_interface_language(app, panel):
    from sipviewer.ui.common import install_translator

    install_translator(app, "en")
    try:
        panel.date_from.setText("2020-13")
        panel.date_from.editingFinished.emit()
        assert panel.date_error.text() == "The month must be 1–12"
    finally:
        app.removeTranslator(app._sipviewer_translator)
        install_translator(app, "zh")


def test_two_handle_year_range(panel, years_archive_dir, qtbot):
    with Archive.open(years_archive_dir) as arc:
        fill(panel, arc)
    slider = panel.years
    lo, hi = slider.minimum(), slider.maximum()
    assert slider.isEnabled() and hi - lo >= 5 and slider.values() == (lo, hi)
    # the lower handle from the keyboard
    slider.setFocus()
    with qtbot.waitSignal(panel.changed):
        QTest.keyClick(slider, Qt.Key.Key_Right)
    assert panel.state().date_from == str(lo + 1) and panel.state().date_to == str(hi)
    # Space: the upper handle is active; it moves down
    QTest.keyClick(slider, Qt.Key.Key_Space)
    QTest.keyClick(slider, Qt.Key.Key_Left)
    QTest.keyClick(slider, Qt.Key.Key_Left)
    assert slider.values() == (lo + 1, hi - 2)
    assert (panel.date_from.text(), panel.date_to.text()) == (str(lo + 1), str(hi - 2))
    assert panel.year_label.text() == f"{lo + 1}–{hi - 2}年"
    # drag the upper handle with the mouse to the lower one's year: one year
    y = slider.height() // 2
    QTest.mousePress(slider, Qt.MouseButton.LeftButton, pos=QPoint(int(slider.position(hi - 2)), y))
    QTest.mouseMove(slider, QPoint(int(slider.position(lo + 1)), y))
    QTest.mouseRelease(slider, Qt.MouseButton.LeftButton,
                       pos=QPoint(int(slider.position(lo + 1)), y))
    assert slider.values() == (lo + 1, lo + 1)
    assert panel.year_label.text() == f"{lo + 1}年"
    # typed years move the handles; the whole range means no date filter
    panel.date_from.setText("")
    panel.date_to.setText(str(hi - 1))
    panel.date_to.editingFinished.emit()
    assert slider.values() == (lo, hi - 1)
    QTest.keyClick(slider, Qt.Key.Key_End)  # the upper handle is still the active one
    assert slider.is_full() and panel.state().date_from == panel.state().date_to == ""


def test_histogram_stacks_kinds_and_a_click_sets_the_year(panel, years_archive_dir, qtbot):
    with Archive.open(years_archive_dir) as arc:
        res = fill(panel, arc)
        photo_years = res.facets["year:photo"]
    hist = panel.histogram
    assert hist.plot is not None  # shown: built
    assert {k for k, v in hist.counts.items() if v} >= {"article", "photo", "table"}
    assert {str(y): n for y, n in hist.counts["photo"].items()} == photo_years
    busiest = max(hist.totals(), key=hist.totals().get)
    bars = [i for i in hist.plot.getPlotItem().items if type(i).__name__ == "BarGraphItem"]
    assert len(bars) >= 3  # one layer per kind
    qtbot.wait(10)
    pos = hist.bar_position(busiest)
    with qtbot.waitSignal(panel.changed):
        QTest.mouseClick(hist.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert (panel.state().date_from, panel.state().date_to) == (str(busiest), str(busiest))
    assert panel.years.values() == (busiest, busiest) and hist.selected == (busiest, busiest)
    # the same bar again: all years
    QTest.mouseClick(hist.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert panel.state().date_from == "" and panel.years.is_full()


def test_the_panel_scrolls_rather_than_collapsing(app, years_archive_dir, qtbot):
    """In a pane far shorter than the panel needs (as at twice the scale), every control
    keeps its size and can be scrolled to."""
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from sipviewer.ui.filterpanel import FilterPanel

    host = QWidget()
    qtbot.addWidget(host)
    panel = FilterPanel()
    QVBoxLayout(host).addWidget(panel)
    host.setFixedSize(300, 360)
    host.show()
    with Archive.open(years_archive_dir) as arc:
        fill(panel, arc)
    qtbot.wait(10)
    assert panel.height() <= 360
    rows = panel.dept_list.fontMetrics().lineSpacing()
    assert panel.dept_list.height() >= 6 * rows
    for widget in (panel.date_to, panel.years, panel.kind_boxes["table"], panel.volume):
        assert widget.height() >= widget.minimumSizeHint().height()
    for widget in (panel.date_to, panel.clear_all, panel.dept_list):
        panel.scroll_area.ensureWidgetVisible(widget)
        qtbot.wait(10)
        assert widget.visibleRegion().boundingRect().height() == widget.height()


def test_checked_departments_keep_the_others_listed(panel, years_archive_dir):
    with Archive.open(years_archive_dir) as arc:
        fill(panel, arc)
        names = [panel.dept_list.item(i).data(Qt.ItemDataRole.UserRole)
                 for i in range(panel.dept_list.count())]
        first, second = names[0], names[1]
        panel.dept_list.item(0).setCheckState(Qt.CheckState.Checked)
        state = panel.state()
        res = arc.search("", arc.make_filters(departments=state.departments), limit=1)
        panel.set_department_counts(res.facets["department"])
        assert panel.dept_list.count() == len(names)  # nobody vanished
        item = next(panel.dept_list.item(i) for i in range(panel.dept_list.count())
                    if panel.dept_list.item(i).data(Qt.ItemDataRole.UserRole) == second)
        item.setCheckState(Qt.CheckState.Checked)
        both = arc.search("", arc.make_filters(departments=panel.state().departments), limit=1)
        one = arc.search("", arc.make_filters(departments=[first]), limit=1)
        assert both.total > one.total


def test_departments_read_late_replace_only_the_whole_archives_counts(app, qtbot):
    """The archive's departments come after the first frame (`set_departments`): they show
    when the panel lists the whole archive's counts, not over the counts of results."""
    from sipviewer.ui.filters import FilterController

    filtering = FilterController()
    qtbot.addWidget(filtering.page)
    panel = filtering.panel

    def listed() -> set[str]:
        return {panel.dept_list.item(i).text() for i in range(panel.dept_list.count())}

    filtering.set_archive([], None)  # not read yet
    filtering.show_counts(None)  # no results: the archive's (none known yet)
    assert listed() == set()
    filtering.set_departments({"园区经发委": 5, "园区新闻中心": 12})
    assert listed() == {"园区经发委  (5)", "园区新闻中心  (12)"}
    filtering.show_counts({"园区新闻中心": 3})  # a search's results
    filtering.set_departments({"园区经发委": 6, "园区新闻中心": 13})  # read again
    assert listed() == {"园区新闻中心  (3)"}
    filtering.show_counts(None)  # the search cleared
    assert listed() == {"园区经发委  (6)", "园区新闻中心  (13)"}
