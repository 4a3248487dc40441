"""Tables: ``表N  title``, a header line, numbered rows, a source line.

Rules, one function each (tested in ``tests/test_table_rules.py``):

* `TABLE_TITLE`: the heading ``表N  title`` (the first line of a page too, see `layout`);
* `header_cells`: the first line after the heading; letter-spaced names (``序  号``) are
  put back together;
* `source_line`: ``� （部门）`` alone on a line right after the last row: the table's
  attribution. It ends the table; the article may go on after it;
* `ends_table`: prose (a long line with sentence punctuation), a caption credit or another
  heading ends a table that has no source line;
* `group_rows`: a numbered table's rows start with their number (``1``, ``2`` …) on a line;
  every other line continues the row before (a category on a line of its own, wrapped
  cells). Rows go on over page breaks: running heads and captions between them are taken
  out before;
* `row_cells`: a row's lines split into cells on whitespace, keeping bracketed text
  together; a line ending in a marker or inside an open bracket (a unit wrapped in its
  cell: ``（微克`` / ``/立方米）``) continues its last cell on the next line;
* `fill_spans`: a row with fewer cells than the header takes the category (a cell spanning
  rows, printed once) from the row before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sipviewer.ingest.captions import is_credit_line
from sipviewer.ingest.layout import Ledger, Line, Piece
from sipviewer.model.textutil import MARKER, join_wrapped, tidy, width

TABLE_TITLE = re.compile(r"^(?P<label>表\s*(?P<num>\d{1,3}))[\s\ufffd]+(?P<title>\S.*)$")
SOURCE = re.compile(r"^(?P<pre>[\s\ufffd]*)（(?P<name>[^（），。、；：！？《》“”\s\ufffd]{2,30})）\s*$")
_PROSE_PUNCT = re.compile(r"[，。；！？]")
# A table cell is short; a line with sentence punctuation this wide is prose after the table
# (the sample's longest cell text is 24 characters, its body lines about the same width).
PROSE_MIN_WIDTH = 30
_NUMBERED_FIRST = ("序号", "编号", "序")
_BRACKETS = {"（": "）", "(": ")", "《": "》", "“": "”"}
_CLOSING = frozenset(_BRACKETS.values())
_BRACKET = re.compile("[（）()《》“”]")  # the brackets of a text, in order, are all that count


def _depth(text: str, depth: int = 0) -> int:
    """How many brackets are open after ``text`` (``depth`` open before it); a closing
    bracket with none open is ignored."""
    for ch in _BRACKET.findall(text):
        if ch in _BRACKETS:
            depth += 1
        else:
            depth = max(0, depth - 1)
    return depth


def _has_opener(text: str) -> bool:
    return "（" in text or "(" in text or "《" in text or "“" in text


@dataclass
class TableDraft:
    number: int
    title: Piece
    page: int
    columns: list[list[Piece]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)  # row lines, in order
    rows: list[list[list[Piece]]] = field(default_factory=list)
    filled: list[list[str | None]] = field(default_factory=list)  # cells copied from a span
    attribution: Piece | None = None

    @property
    def numbered(self) -> bool:
        return bool(self.columns) and self.columns[0][0].text in _NUMBERED_FIRST


def start_table(m: re.Match[str], line: Line, ledger: Ledger) -> TableDraft:
    ledger.drop("syntax", m.group("label"), line.no)
    title = ledger.drop_markers(m.group("title"), line.no)
    return TableDraft(int(m.group("num")), Piece(tidy(title), line.no), line.page)


def source_line(text: str) -> re.Match[str] | None:
    return SOURCE.match(text)


def ends_table(text: str) -> bool:
    prose = bool(_PROSE_PUNCT.search(text)) and width(text) >= PROSE_MIN_WIDTH
    return prose or is_credit_line(text) or (text.startswith("表")
                                             and TABLE_TITLE.match(text) is not None)


def take_source(table: TableDraft, m: re.Match[str], line: Line, ledger: Ledger) -> None:
    ledger.drop_markers(m.group("pre"), line.no)
    ledger.drop("syntax", "（", line.no)
    table.attribution = Piece(m.group("name"), line.no)
    ledger.drop("syntax", "）", line.no)


def header_cells(table: TableDraft, line: Line, ledger: Ledger) -> None:
    for cell in split_cells(line.text, merge_spaced=True):
        text = ledger.drop_markers(cell, line.no)
        table.columns.append([Piece(text, line.no)])


def group_rows(table: TableDraft, ledger: Ledger) -> list[list[Line]]:
    groups: list[list[Line]] = []
    expected = 1
    for line in table.lines:
        words = line.text.split()
        first = words[0] if words else ""
        if not table.numbered or not groups or first == str(expected):
            if table.numbered and first == str(expected):
                expected += 1
            groups.append([line])
            continue
        if table.numbered and first.isdigit() and int(first) > expected and len(words) >= 3:
            ledger.doubt(line.page, "table", line.text, f"row number {first} where {expected} "
                         "was due: read as part of the row before")
        groups[-1].append(line)
    return groups


def _open_bracket(text: str) -> bool:
    return _has_opener(text) and _depth(text) > 0


def row_cells(group: list[Line], ledger: Ledger) -> tuple[list[list[Piece]], list[bool]]:
    """A row's cells (pieces of input) and, for each, whether it stood alone on its line."""
    cells: list[list[Piece]] = []
    alone: list[bool] = []
    continues = False
    for line in group:
        parts = split_cells(line.text)
        for j, part in enumerate(parts):
            text = ledger.drop_markers(part, line.no)
            piece = Piece(text, line.no)
            if j == 0 and continues and cells:
                cells[-1].append(piece)
                alone[-1] = False
            else:
                cells.append([piece] if text else [])
                alone.append(len(parts) == 1)
        continues = line.text.endswith(MARKER) or _open_bracket(line.text)
    return cells, alone


def _merge_extra(cells: list[list[Piece]], alone: list[bool], ncols: int
                 ) -> tuple[list[list[Piece]], list[bool]]:
    """Too many pieces: the widest text column took spaces; merge them after the number."""
    extra = len(cells) - ncols
    parts = [p for c in cells[1:2 + extra] for p in c]
    merged = [Piece(" ".join(p.text for p in parts), parts[0].line)] if parts else []
    return cells[:1] + [merged] + cells[2 + extra:], alone[:1] + [False] + alone[2 + extra:]


@dataclass
class _Spans:
    """What the rows before left for the next: the last full row and its spanning columns."""

    last_full: list[str] = field(default_factory=list)
    columns: list[int] = field(default_factory=list)


def fill_spans(cells: list[list[Piece]], alone: list[bool], ncols: int, spans: _Spans,
               rows_in_group: int) -> list[str | None]:
    """Insert the cells a row leaves out (copies of the spanning cells above); return copies."""
    texts = [join_cell(c) for c in cells]
    filled: list[str | None] = [None] * len(cells)
    if not ncols:
        return filled
    if len(cells) == ncols:
        if rows_in_group > 1:
            spans.columns = [j for j in range(1, ncols) if alone[j]]
        spans.last_full = texts
        return filled
    missing = ncols - len(cells)
    for j in sorted((spans.columns or list(range(1, ncols)))[:missing]):
        value = spans.last_full[j] if j < len(spans.last_full) else ""
        cells.insert(j, [])
        filled.insert(j, value)
    while len(cells) < ncols:
        cells.append([])
        filled.append("")
    return filled


def finish_table(table: TableDraft, ledger: Ledger) -> None:
    """Turn the table's row lines into rows of cells."""
    ncols = len(table.columns)
    spans = _Spans()
    for group in group_rows(table, ledger):
        cells, alone = row_cells(group, ledger)
        if ncols and len(cells) > ncols:
            cells, alone = _merge_extra(cells, alone, ncols)
        filled = fill_spans(cells, alone, ncols, spans, len(group))
        table.rows.append(cells)
        table.filled.append(filled)
    table.lines = []
    if table.attribution is None:
        ledger.doubt(table.page, "table", f"表{table.number} {table.title.text}",
                     "no source line after the last row: the table has no attribution")


def join_cell(pieces: list[Piece]) -> str:
    out = ""
    for p in pieces:
        out = join_wrapped(out, p.text)
    return out


def split_cells(text: str, merge_spaced: bool = False) -> list[str]:
    """Split a table line into cells: on whitespace, keeping bracketed text together.

    With ``merge_spaced``, letter-spaced headers (``序  号``) are put back together.
    """
    if not merge_spaced and not _has_opener(text):
        return text.split()  # no bracket to keep together: every word a cell
    tokens = [(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    cells: list[list[tuple[str, int, int]]] = []
    depth = 0
    for tok in tokens:
        if depth > 0 and cells:
            cells[-1].append(tok)
        else:
            cells.append([tok])
        depth = _depth(tok[0], depth)
    out = [" ".join(t[0] for t in cell) for cell in cells]
    return _merge_spaced(out, cells) if merge_spaced else out


def _merge_spaced(out: list[str], cells: list[list[tuple[str, int, int]]]) -> list[str]:
    merged: list[str] = []
    prev_end = -10
    prev_single = False
    for cell, group in zip(out, cells):
        single = len(cell) == 1 and "\u3400" <= cell <= "\u9fff"
        gap = group[0][1] - prev_end
        if single and prev_single and gap >= 2 and merged:
            merged[-1] += cell
        else:
            merged.append(cell)
        prev_single = single
        prev_end = group[-1][2]
    return merged
