"""The timeline: a 大事记 (chronology) section as its events month by month.

Months are headings; each day (or range of days) stands once in the date column with all of
its events beside it; every event shows its page and the departments it names. "转到日期"
scrolls to the first event on or after a chosen day; a search hit on an event opens the
timeline at that event, marked.

`TimelineView` is the widget (it only shows what it is given); `TimelinePart` is the part the
main window holds: it reads the events on a worker (``session.latest``: a newer request
cancels the one it supersedes) and fills the view.
"""

from __future__ import annotations

from datetime import date
from itertools import groupby

from PySide6.QtCore import QDate, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from sipviewer.core.browse import highlight_spans, mark_spans
from sipviewer.model.types import EventView
from sipviewer.ui.common import date_text, escape, t
from sipviewer.ui.session import ArchiveSession

CSS = """
h2 { font-size: 125%; font-weight: 600; color: #16324f; margin: 18px 0 6px 0; }
h1 { font-size: 150%; font-weight: 600; color: #16324f; margin: 0 0 2px 0; }
p.meta { color: #6b7280; margin: 0 0 8px 0; }
table.tl { border-collapse: collapse; }
td.date { color: #16324f; font-weight: 600; padding: 6px 14px 6px 4px;
          border-top: 1px solid #d5d9e0; white-space: nowrap; }
td.ev { padding: 6px 4px 6px 12px; border-top: 1px solid #d5d9e0;
        border-left: 3px solid #c9d6e8; line-height: 150%; }
td.focus { background: #fff3c4; border-left: 3px solid #e0a800; }
span.small { color: #6b7280; font-size: 85%; }
"""


def day_label(ev: EventView) -> str:
    """The date column as the yearbook prints it: 5日, 12—14日, 28日—9月1日."""
    start, end = ev.date_start, ev.date_end
    if start is None:
        return t("日期不详")
    if end is None or end == start:
        return t("{}日").format(start.day)
    if (end.year, end.month) == (start.year, start.month):
        return t("{}—{}日").format(start.day, end.day)
    return t("{}日—{}月{}日").format(start.day, end.month, end.day)


def _month_key(ev: EventView) -> tuple[int, int] | None:
    return (ev.date_start.year, ev.date_start.month) if ev.date_start else None


MARK = ("<span style='background:#ffe066'>", "</span>")


def timeline_html(events: list[EventView], title: str, focus: int | None = None,
                  terms: list[str] | tuple[str, ...] = ()) -> str:
    """The section as HTML: anchors ``m2020-03`` for months and ``e{id}`` for events; the
    search terms marked. No heading when ``title`` is empty (the page shows it itself)."""
    out = [f"<h1>{escape(title)}</h1>"] if title else []
    if events:
        out.append(f"<p class='meta'>{escape(events[0].volume_label)} · "
                   f"{t('{} 条大事').format(len(events))}</p>")
    for month, in_month in groupby(events, key=_month_key):
        anchor = f"m{month[0]}-{month[1]:02d}" if month else "undated"
        heading = t("{}年{}月").format(*month) if month else t("日期不详")
        out.append(f"<a name='{anchor}'></a><h2>{escape(heading)}</h2>"
                   "<table class='tl' width='100%' cellspacing='0'>")
        for _, same in groupby(in_month, key=lambda e: (e.date_start, e.date_end)):
            group = list(same)
            for k, ev in enumerate(group):
                cls = "ev focus" if ev.id == focus else "ev"
                meta = [t("第{}页").format(ev.page), *ev.departments]
                text = mark_spans(ev.text, highlight_spans(ev.text, terms), *MARK) if terms \
                    else escape(ev.text)
                cell = (f"<td class='{cls}'><a name='e{ev.id}'></a>{text}"
                        f"<br><span class='small'>{escape(' · '.join(meta))}</span></td>")
                date_cell = ""
                if k == 0:
                    when = escape(date_text(ev.date_start, ev.date_end, "day"))
                    date_cell = (f"<td class='date' width='120' rowspan='{len(group)}' "
                                 f"valign='top' title='{when}'>{escape(day_label(ev))}</td>")
                out.append(f"<tr>{date_cell}{cell}</tr>")
        out.append("</table>")
    if not events:
        out.append(f"<p class='meta'>{escape(t('没有大事记条目'))}</p>")
    return "".join(out)


class TimelineView(QWidget):
    """Shows one section's events; `scroll_to_date` and `scroll_to_event` move the view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.events: list[EventView] = []
        self.title = ""
        self.focus: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.setContentsMargins(8, 6, 8, 0)
        self.summary = QLabel("")
        bar.addWidget(self.summary, 1)
        bar.addWidget(QLabel(t("转到日期")))
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setEnabled(False)
        self.date_edit.dateChanged.connect(self._on_date)
        bar.addWidget(self.date_edit)
        layout.addLayout(bar)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.document().setDefaultStyleSheet(CSS)
        self.browser.document().setDocumentMargin(18)
        layout.addWidget(self.browser, 1)
        self._quiet = False

    def show_events(self, events: list[EventView], title: str, focus: int | None = None,
                    terms: list[str] | tuple[str, ...] = ()) -> None:
        self.events, self.title, self.focus = events, title, focus
        self.browser.setHtml(timeline_html(events, title, focus, terms))
        dated = [e for e in events if e.date_start]
        self.summary.setText(f"{title}　{t('{} 条大事').format(len(events))}")
        self._quiet = True
        try:
            self.date_edit.setEnabled(bool(dated))
            if dated:
                first = min(e.date_start for e in dated if e.date_start)
                last = max(e.date_end or e.date_start for e in dated if e.date_start)
                self.date_edit.setDateRange(QDate(first.year, 1, 1), QDate(last.year, 12, 31))
                shown = next((e for e in dated if e.id == focus), dated[0])
                assert shown.date_start is not None
                self.date_edit.setDate(QDate(shown.date_start.year, shown.date_start.month,
                                             shown.date_start.day))
        finally:
            self._quiet = False
        self.browser.verticalScrollBar().setValue(0)
        if focus is not None:  # once the new page is laid out at the view's width
            QTimer.singleShot(0, lambda: self.scroll_to_event(focus))

    def event_on_or_after(self, day: date) -> EventView | None:
        """The first event that has not ended before ``day`` (else the last event)."""
        dated = [e for e in self.events if e.date_start]
        for ev in dated:
            if (ev.date_end or ev.date_start) >= day:  # type: ignore[operator]
                return ev
        return dated[-1] if dated else None

    def scroll_to_date(self, day: date) -> EventView | None:
        ev = self.event_on_or_after(day)
        if ev is not None:
            self.scroll_to_event(ev.id)
        return ev

    def scroll_to_event(self, event_id: int) -> None:
        """Bring the event to the top of the view (its day's first event when grouped)."""
        self.browser.scrollToAnchor(f"e{event_id}")

    def _on_date(self, value: QDate) -> None:
        if not self._quiet:
            self.scroll_to_date(date(value.year(), value.month(), value.day()))


class TimelinePart(QObject):
    """The timeline tab: `open_section` and `open_event` read on a worker, then show."""

    opened = Signal(int)  # the section shown

    def __init__(self, session: ArchiveSession, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.view = TimelineView()
        self.page = self.view
        self.section_id: int | None = None

    def open_section(self, section_id: int, focus: int | None = None) -> None:
        browse = self.session.browse

        def done(events: list[EventView]) -> None:
            self.section_id = section_id
            self.view.show_events(events, t("大事记"), focus)
            self.opened.emit(section_id)

        self.session.latest("timeline", lambda _cancel: browse.events(section_id), done)

    def open_event(self, event_id: int, terms: list[str] | tuple[str, ...] = ()) -> None:
        """The timeline of the event's section, scrolled to the event and marked (and the
        search terms in it)."""
        browse = self.session.browse

        def load(_cancel: object) -> tuple[int, list[EventView]]:
            section_id = browse.event(event_id).section_id
            return section_id, browse.events(section_id)

        def done(result: tuple[int, list[EventView]]) -> None:
            self.section_id = result[0]
            self.view.show_events(result[1], t("大事记"), event_id, terms)
            self.opened.emit(result[0])

        self.session.latest("timeline", load, done)

