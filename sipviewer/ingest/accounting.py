"""Check the parser's ledger: every input character is in exactly one place of the output.

`accounting_problems` compares three things and returns what disagrees (empty when all is well):

1. the multiset of non-space characters of the input and of the ledger entries;
2. for every output field, the ledger entries bound for it, concatenated in order, and the
   field's text (spaces aside): nothing was invented or reordered inside a field;
3. every non-empty output field has ledger entries, except copies the parser makes on
   purpose (a table category spanning rows; an article signed by its table's signature).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from sipviewer.model.textutil import non_space
from sipviewer.model.types import ParsedDocument, ParsedTable


def _input_chars(text: str) -> Counter[str]:
    if text.startswith("\ufeff"):
        text = text[1:]
    return Counter(non_space(text))


def output_fields(doc: ParsedDocument) -> dict[str, str]:
    """Every text field of the output by its ledger path."""
    fields: dict[str, str] = {}
    for si, section in enumerate(doc.sections):
        for ei, event in enumerate(section.events):
            fields[f"s{si}.e{ei}.text"] = event.text
        for ai, art in enumerate(section.articles):
            base = f"s{si}.a{ai}"
            fields[f"{base}.title"] = art.title
            fields[f"{base}.attribution"] = art.attribution or ""
            fields[f"{base}.source_note"] = art.source_note or ""
            for k, para in enumerate(art.paragraphs):
                fields[f"{base}.paragraphs.{k}"] = para
            for k, photo in enumerate(art.photos):
                fields[f"{base}.photos.{k}.caption"] = photo.caption
                fields[f"{base}.photos.{k}.credit"] = photo.credit or ""
            for k, table in enumerate(art.tables):
                fields.update(_table_fields(table, f"{base}.tables.{k}"))
    for i, d in enumerate(doc.dropped):
        fields[f"dropped.{i}"] = d.text
    return fields


def _table_fields(table: ParsedTable, tb: str) -> dict[str, str]:
    fields = {f"{tb}.title": table.title, f"{tb}.attribution": table.attribution or ""}
    for c, col in enumerate(table.columns):
        fields[f"{tb}.columns.{c}"] = col
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            fields[f"{tb}.rows.{r}.{c}"] = cell
    return fields


def _is_copy(doc: ParsedDocument, path: str, value: str) -> bool:
    parts = path.split(".")
    if not parts[1].startswith("a"):
        return False  # dropped text and event texts are never copies
    si, ai = int(parts[0][1:]), int(parts[1][1:])
    art = doc.sections[si].articles[ai]
    if parts[2] == "attribution":
        return any(t.attribution == value for t in art.tables)
    if parts[2] == "tables" and parts[4] == "rows":
        table = art.tables[int(parts[3])]
        r, c = int(parts[5]), int(parts[6])
        return any(table.rows[k][c] == value for k in range(r))
    return False


def accounting_problems(doc: ParsedDocument, text: str) -> list[str]:
    problems: list[str] = []
    given = _input_chars(text.replace("\r\n", "\n").replace("\r", "\n"))
    booked = Counter(non_space("".join(e.text for e in doc.ledger)))
    if given != booked:
        lost = given - booked
        extra = booked - given
        if lost:
            problems.append(f"lost characters: {''.join(sorted(lost.elements()))[:200]}")
        if extra:
            problems.append(f"characters booked twice or invented: "
                            f"{''.join(sorted(extra.elements()))[:200]}")
    by_dest: dict[str, list[str]] = defaultdict(list)
    for entry in doc.ledger:
        by_dest[entry.dest].append(non_space(entry.text))
    fields = output_fields(doc)
    for dest, pieces in by_dest.items():
        if dest not in fields:
            problems.append(f"ledger names a field that does not exist: {dest}")
            continue
        if "".join(pieces) != non_space(fields[dest]):
            problems.append(f"{dest}: ledger {''.join(pieces)[:60]!r} != field "
                            f"{non_space(fields[dest])[:60]!r}")
    for path, value in fields.items():
        if non_space(value) and path not in by_dest and not _is_copy(doc, path, value):
            problems.append(f"{path}: {value[:40]!r} comes from nowhere in the input")
    return problems
