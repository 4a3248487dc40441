"""The import's own bulk inserts store exactly what SQLAlchemy's inserts store.

The reference is SQLAlchemy itself (its Core insert, ids returned in the order given); the
texts are the bundled sample (articles, photos, tables) and a real 大事记 (events and the
departments they name), each imported on top of the other so ids do not start at 1."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sipviewer.core.archive import Archive
from sipviewer.storage import importer

DATA = Path(__file__).parent / "data"
TABLES = ("volumes", "sections", "articles", "paragraphs", "photos", "data_tables",
          "table_cells", "events", "event_departments", "departments", "department_aliases")


def _sqlalchemy_insert(session, model, rows):
    if rows:
        session.connection().execute(model.__table__.insert(), rows)


def _sqlalchemy_returning(session, model, rows):
    if not rows:
        return []
    table = model.__table__
    stmt = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    return list(session.connection().execute(stmt, rows).scalars())


def _import(path, files):
    with Archive.open(path) as arc:
        for f, title in files:
            arc.import_files([f], title=title, year=2021)


def _rows(path, table):
    with sqlite3.connect(path / "archive.sqlite") as conn:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")
                if r[1] not in ("imported_at",)]
        picked = ", ".join(f"{c}, typeof({c})" for c in cols)
        return cols, conn.execute(f"SELECT {picked} FROM {table} ORDER BY rowid").fetchall()


def test_rows_and_their_types_are_sqlalchemys(tmp_path, sample_path, monkeypatch):
    files = [(sample_path, "苏州工业园区年鉴"), (DATA / "dashiji-2020.txt", "大事记")]
    _import(tmp_path / "ours", files)
    with monkeypatch.context() as m:
        m.setattr(importer, "_insert", _sqlalchemy_insert)
        m.setattr(importer, "_insert_returning", _sqlalchemy_returning)
        _import(tmp_path / "theirs", files)
    counts = {}
    for table in TABLES:
        ours, theirs = _rows(tmp_path / "ours", table), _rows(tmp_path / "theirs", table)
        assert ours == theirs, table
        counts[table] = len(ours[1])
    # every kind of row was written (and dates as text, as SQLAlchemy writes them)
    assert all(counts[t] for t in ("articles", "photos", "data_tables", "events",
                                   "event_departments")), counts
    cols, articles = _rows(tmp_path / "ours", "articles")
    at = 2 * cols.index("date_start")
    assert {(row[at], row[at + 1]) for row in articles} == {("2020-01-01", "text")}


def test_the_rows_kept_as_written_are_the_rows_read_back(tmp_path, sample_path):
    """What `add_volume` keeps of each record for the index (instead of reading it back)
    is exactly what the reader reads back from the database in the same transaction: the
    sample (articles, photos, a table), a real 大事记 (events and their departments) and a
    generated volume (many tables), each on top of the others."""
    from sipviewer.core.archive import prepare_volume
    from sipviewer.ingest.synthetic import generate_volume
    from sipviewer.storage import db

    generated = tmp_path / "generated.txt"
    generated.write_text(generate_volume(7, target_chars=60_000, edition_year=2015).text,
                         encoding="utf-8")
    # an event naming three departments (their order in the index is by name)
    chronicle = tmp_path / "dashiji.txt"
    text = (DATA / "dashiji-2020.txt").read_text(encoding="utf-8")
    assert "园区经发委" in text
    chronicle.write_text(text.replace("园区经发委", "园区经发委、园区教育局和园区科技局", 1),
                         encoding="utf-8")
    kinds = set()
    with Archive.open(tmp_path / "arc") as arc:
        for f in (sample_path, chronicle, generated):
            with arc.Session.begin() as session:
                kept: list[tuple] = []
                _, added, _ = importer.write_volumes(session, [prepare_volume(f, year=2021)],
                                                     replace=False, raws=kept)
                read = arc.reader.raw_records(volume_ids=added, conn=db.dbapi(session))
                assert kept == read, f.name
                kinds |= {raw[1] for raw in kept}
                assert any(raw[5] != [None] for raw in kept)  # departments named
                if f == chronicle:
                    assert any(len(raw[5]) == 3 for raw in kept if raw[1] == "event")
    assert kinds == {"article", "photo", "table", "event"}
