"""The import's own bulk inserts store exactly what SQLAlchemy's inserts store.

The reference is SQLAlchemy itself (its Core insert, ids returned in the order given); the
texts are the bundled sample (articles, photos, tables) and a real 大事记 (events and the
departments they name), each imported on top of the other so ids do not start at 1."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

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
