"""The background lanes with real threads: a newer search cancels the one it supersedes, reads
never wait behind a write, and a write reports the change it made."""

from __future__ import annotations

import threading

import pytest

from sipviewer.core.archive import Archive
from sipviewer.model.errors import Cancelled
from sipviewer.model.ops import CancelToken, OpChanges, OpResult
from sipviewer.ui.tasks import Tasks


@pytest.fixture
def live(app, qtbot, sample_archive_dir, settings):
    """A window whose tasks run on real threads, with one reader (so reads queue in order)."""
    from sipviewer.ui.mainwindow import MainWindow

    archive = Archive.open(sample_archive_dir)
    tasks = Tasks(readers=1)
    win = MainWindow(archive, runner=tasks, settings=settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.reading.view.article is not None, timeout=10000)
    yield win, tasks
    win.close()
    tasks.wait()
    archive.close()


def test_a_newer_search_wins(live, qtbot):
    """The older search is cancelled inside the index and never shows; the newer one does.
    (Without the cancellation the older search runs to its end: no `cancelled`.)"""
    win, tasks = live
    gate = threading.Event()
    tasks.read(gate.wait)  # the one reader is busy: both searches queue behind it
    shown: list[object] = []
    win.search.results_changed.connect(shown.append)
    win.search.box.setText("园区")
    win.search.run()
    win.search.box.setText("月亮湾新貌")
    win.search.run()
    with qtbot.waitSignal(tasks.cancelled, timeout=10000) as stopped, \
            qtbot.waitSignal(win.search.results_changed, timeout=10000):
        gate.set()
    assert stopped.args == ["search"]
    assert [h.title for h in win.search.model.hits] == ["月亮湾新貌"]
    assert len(shown) == 1 and shown[0].terms == ("月亮湾新貌",)


def test_reads_do_not_wait_behind_a_write(live, qtbot):
    win, tasks = live
    gate = threading.Event()
    tasks.write(gate.wait)  # a long import, say
    try:
        with qtbot.waitSignal(win.reading.article_opened, timeout=10000) as opened:
            win.reading.open_article(3)
        assert opened.args[0].id == 3
        with qtbot.waitSignal(win.search.results_changed, timeout=10000) as found:
            win.search.box.setText("月亮湾新貌")
            win.search.run()
        assert found.args[0].total == 1
    finally:
        gate.set()


def test_writes_run_one_at_a_time_in_order_and_report_their_changes(app, qtbot):
    tasks = Tasks()
    order: list[int] = []
    running = [0]
    most = [0]

    def write(k: int) -> OpResult[int]:
        running[0] += 1
        most[0] = max(most[0], running[0])
        threading.Event().wait(0.01)
        order.append(k)
        running[0] -= 1
        return OpResult(k, OpChanges(search=True, photos=frozenset({k})))

    changes: list[OpChanges] = []
    tasks.changed.connect(changes.append)
    done: list[int] = []
    for k in range(5):
        tasks.write(lambda k=k: write(k), done.append)
    qtbot.waitUntil(lambda: len(done) == 5, timeout=10000)
    assert order == done == [0, 1, 2, 3, 4] and most[0] == 1
    assert [sorted(c.photos) for c in changes] == [[0], [1], [2], [3], [4]]


def test_a_cancelled_search_stops_inside_the_index(sample_archive_dir):
    """Cancellation is cooperative: the index looks at the token between its steps and while
    it checks long terms, and stops there."""

    class CancelAtCheck(CancelToken):
        def __init__(self, at: int) -> None:
            super().__init__()
            self.at, self.checks = at, 0

        def check(self) -> None:
            self.checks += 1
            if self.checks >= self.at:
                self.cancel()
            super().check()

    with Archive.open(sample_archive_dir) as archive:
        full = CancelAtCheck(10**6)
        results = archive.search("疫情防控 园区", cancel=full)
        assert results.total > 0 and full.checks >= 5  # every step looked at the token
        for at in range(1, full.checks + 1):
            token = CancelAtCheck(at)
            with pytest.raises(Cancelled):
                archive.search("疫情防控 园区", cancel=token)
            assert token.checks == at  # it stopped at that very check
