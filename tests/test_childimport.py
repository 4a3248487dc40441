"""Imports run by a child process (the viewer's way): the archive that asked sees the new
volume at once, searches equal a plain scan of its texts, and a bad file, a killed child or
an archive closed meanwhile change nothing."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import numpy as np
import pytest

from sipviewer.core.archive import Archive
from sipviewer.core.catalogue_values import Edit
from sipviewer.ingest.synthetic import generate_volume
from sipviewer.model.errors import ArchiveError, InputError
from sipviewer.search.index import _PIECE, SORTS, Filters, _log_entry, _Snapshot
from sipviewer.storage.reader import DB_NAME
from tests.test_postarrays import _queries, _scan


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    vol = tmp_path_factory.mktemp("vol") / "generated-2005.txt"
    vol.write_text(generate_volume(5, target_chars=150_000, edition_year=2005).text,
                   encoding="utf-8")
    return vol


@pytest.fixture()
def archive(tmp_path, sample_path):
    """An archive holding the sample, open as a viewer has it (index and texts loaded)."""
    with Archive.open(tmp_path / "arc") as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
        arc.index.store.texts()
        yield arc


def _state(arc: Archive) -> tuple:
    stats = arc.stats()
    return (stats["volumes"], stats["articles"], arc.db_generation(), arc.index.generation,
            len(arc.index.store))


def test_a_child_import_is_searchable_here_at_once(archive, generated):
    store = archive.index.store
    [outcome] = archive.import_in_child([generated])
    assert outcome.status == "imported" and outcome.articles > 0
    assert archive.stats()["volumes"] == 2
    assert [v.title for v in archive.volumes()].count("苏州工业园区年鉴") == 2
    # an addition: the texts and records in memory were kept and extended, not read again
    assert archive.index.store is store
    texts = dict(archive.index.store.texts())
    assert archive.index.doc_count == len(texts) == archive.reader.record_count()
    new_texts = [t for rid, t in texts.items() if archive.index.store.meta[rid].volume_id
                 == outcome.volume_id]
    assert new_texts
    for query in _queries(dict(enumerate(new_texts))):
        assert archive.search(query).total == _scan(texts, query), query


def test_the_same_as_an_import_in_this_process(archive, generated, tmp_path, sample_path):
    archive.import_in_child([generated])
    with Archive.open(tmp_path / "ref") as ref:
        ref.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
        ref.import_files([generated])
        assert archive.stats() == ref.stats()
        texts = dict(ref.index.store.texts())
        assert sorted(archive.index.store.texts().values()) == sorted(texts.values())
        for query in _queries(texts, 30):
            assert archive.search(query).total == ref.search(query).total, query


def test_a_replacement_loads_the_index_again(archive, generated, tmp_path):
    archive.import_in_child([generated])
    changed = tmp_path / generated.name
    text = generated.read_text(encoding="utf-8")
    changed.write_text(text.replace("发展", "推进"), encoding="utf-8")  # same volume, new text
    store = archive.index.store
    [outcome] = archive.import_in_child([changed], replace=True)
    assert outcome.status == "replaced"
    assert archive.index.store is not store  # documents were deleted: not a plain addition
    texts = dict(archive.index.store.texts())
    assert archive.index.doc_count == len(texts) == archive.reader.record_count()
    for query in ("推进", "发展", "园区", "苏州工业园区"):
        assert archive.search(query).total == _scan(texts, query), query


def test_a_bad_file_names_itself_and_changes_nothing(archive, tmp_path):
    before = _state(archive)
    bad = tmp_path / "notes.txt"
    bad.write_bytes(b"\x00\x01\x02 not a yearbook" * 100)
    with pytest.raises(InputError) as caught:
        archive.import_in_child([bad])
    assert str(bad) in str(caught.value)
    assert _state(archive) == before


def test_a_killed_child_changes_nothing(archive, generated):
    before = _state(archive)

    def kill(done: int, total: int, text: str) -> None:
        for child in list(archive._children):
            child.process.kill()

    with pytest.raises(ArchiveError, match="ended unexpectedly"):
        archive.import_in_child([generated], progress=kill)
    assert _state(archive) == before
    [outcome] = archive.import_in_child([generated])  # the writer lock went with the child
    assert outcome.status == "imported"


def test_closing_the_archive_stops_its_child_import(tmp_path, sample_path, generated):
    arc = Archive.open(tmp_path / "arc")
    arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
    started = threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            arc.import_in_child([generated], progress=lambda *_: started.set())
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    assert started.wait(60)
    children = list(arc._children)
    arc.close()
    worker.join(60)
    assert not worker.is_alive()
    assert all(not child.process.is_alive() for child in children)
    assert len(errors) == 1 and "stopped" in str(errors[0])
    with Archive.open(tmp_path / "arc") as again:
        assert again.stats()["volumes"] == 1
        assert again.check().problems == ()


def _same(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.array_equal(a, b)) and np.asarray(a).dtype == np.asarray(b).dtype
    return a == b


def test_the_extended_snapshot_equals_one_made_from_scratch(archive, generated):
    """What `refresh` keeps of the loaded snapshot after an addition, attribute by attribute
    against a snapshot built from nothing (a new attribute that it does not handle fails)."""
    archive.import_in_child([generated])
    index = archive.index
    extended = index._snap
    fresh = _Snapshot(index._ix.reader(), index.store, index._docmap(), index._arrays.get)
    assert set(vars(extended)) == set(vars(fresh))
    skip = {"reader", "sources", "_lock", "facets"}
    for name, value in vars(fresh).items():
        if name not in skip:
            assert _same(getattr(extended, name), value), name
    assert [s[0] for s in extended.sources] == [s[0] for s in fresh.sources]
    assert set(vars(extended.facets)) == set(vars(fresh.facets))
    for name, value in vars(fresh.facets).items():
        assert _same(getattr(extended.facets, name), value), name


def test_a_change_log_line_read_in_steps_equals_json(archive, generated):
    """Every line of a real store log, read by `_log_entry`, equals ``json.loads``; so do
    lines of other shapes; a damaged line is refused."""
    archive.import_in_child([generated])
    index = archive.index
    lines = (index.path / index.store.log_name).read_bytes().splitlines()
    assert lines and max(map(len, lines)) > _PIECE  # a volume's line: read in pieces
    for line in lines:
        assert _log_entry(line) == json.loads(line)
    for other in (b'{"generation":3,"removed":["a:1"],"added":[]}', b'{"x":"\xe5\x9b\xad"}',
                  b'{"generation":4,"removed":[],"added":[["a:2",1],["a:3","],["]]}'):
        assert _log_entry(other) == json.loads(other)
    with pytest.raises(ValueError):
        _log_entry(b'{"generation":4,"removed":[],"added":[["a:2",1]["a:3"]]}')


def test_every_photo_read_without_the_index_equals_the_indexs_answer(archive, generated):
    """No query and no filter: the photos in reading order straight from the database, the
    same as the index gives for a filter that lets every photo through."""
    archive.import_in_child([generated])
    last, first = archive.photo_ids()[-1], archive.photo_ids()[0]  # dated against the order
    archive.catalogue.edit([last], Edit({"date": "2001-05-01"}))
    archive.catalogue.edit([first], Edit({"date": "2030-05-01"}))
    volumes = tuple(v.id for v in archive.volumes())
    for sort in SORTS:
        plain = archive.photos_matching("", None, sort)
        through_index = archive.photos_matching("", Filters(volumes=volumes), sort)
        assert plain == through_index and len(plain) == archive.stats()["photos"], sort
    with sqlite3.connect(archive.path / DB_NAME) as db:  # reading order, a row at a time
        order = [pid for (pid,) in db.execute(
            "SELECT id FROM photos ORDER BY volume_id, article_id, ord")]
    assert [p.id for p in archive.photos_matching("", None, "relevance")] == order
    assert [p.id for p in archive.photos_matching("", None, "date")][0] == last
    assert archive.photo_ids() == order
