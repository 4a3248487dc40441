"""Migrations: the chain is linear, its head is what the code expects, and a fresh database
made by migrations has exactly the tables of the models."""

from __future__ import annotations

from sqlalchemy import inspect

from sipviewer.storage import db
from sipviewer.storage.models import Base


def test_head_constant_matches_alembic():
    assert db.HEAD == db.alembic_head()


def test_revision_chain_is_linear():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(db.alembic_config())
    heads = script.get_heads()
    assert len(heads) == 1
    seen = [rev.revision for rev in script.walk_revisions()]
    assert len(seen) == len(set(seen))
    for rev in script.walk_revisions():
        assert rev.down_revision is None or isinstance(rev.down_revision, str)  # no merges


def test_migrated_schema_matches_models(tmp_path):
    engine = db.open_engine(tmp_path / "a.sqlite")
    db.upgrade(engine, tmp_path / "a.sqlite")
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert tables == set(Base.metadata.tables)
    insp = inspect(engine)
    for name, table in Base.metadata.tables.items():
        assert {c["name"] for c in insp.get_columns(name)} == set(table.columns.keys()), name
    engine.dispose()


def test_migrations_ship_inside_the_package():
    from importlib import resources

    root = resources.files("sipviewer.db")
    assert root.joinpath("env.py").is_file()
    assert any(p.name.endswith(".py") and p.name[0].isdigit()
               for p in root.joinpath("versions").iterdir())
