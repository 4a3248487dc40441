"""The archive's writes as operations: each runs on the one writer and returns its result
together with the change it made (`OpResult`, `OpChanges`), from which views refresh.

The viewer runs every change to an archive through these (its writer queue); the command line
may call the `Archive` methods directly (it has nothing to refresh).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from sipviewer.core.archive import Archive
from sipviewer.model.ops import OpChanges, OpResult
from sipviewer.model.types import PhotoView
from sipviewer.storage.importer import ImportOutcome

Progress = Callable[[int, int, str], None]


def import_files(archive: Archive, paths: Iterable[str | Path], *, replace: bool = False,
                 progress: Progress | None = None, separate_process: bool = False
                 ) -> OpResult[list[ImportOutcome]]:
    """Import yearbook texts (all or nothing); unchanged files change nothing. With
    ``separate_process`` the work is done by a child process (`Archive.import_in_child`):
    the viewer's way, which keeps its GUI thread's interpreter lock free."""
    run = archive.import_in_child if separate_process else archive.import_files
    outcomes = run(paths, replace=replace, progress=progress)
    added = tuple(o.volume_id for o in outcomes if o.status in ("imported", "replaced"))
    replaced = tuple(o.volume_id for o in outcomes if o.status == "replaced")  # (and removed)
    return OpResult(outcomes, OpChanges(contents=bool(added), search=bool(added),
                                        volumes_added=added, volumes_removed=replaced))


def update_photo(archive: Archive, photo_id: int, *, caption: str | None = None,
                 credit: str | None = None, credit_kind: str | None = None,
                 date_start: date | None = None, date_end: date | None = None,
                 date_precision: str | None = None, notes: str | None = None,
                 tags: Iterable[str] | None = None,
                 expected_revision: int | None = None) -> OpResult[PhotoView]:
    """Change a photo's catalogue fields (kept in its history)."""
    before = archive.photo(photo_id).revision
    view = archive.update_photo(photo_id, caption=caption, credit=credit,
                                credit_kind=credit_kind, date_start=date_start,
                                date_end=date_end, date_precision=date_precision, notes=notes,
                                tags=tags, expected_revision=expected_revision)
    changed = view.revision != before
    return OpResult(view, OpChanges(search=changed,
                                    photos=frozenset({photo_id}) if changed else frozenset()))


def rebuild_index(archive: Archive, progress: Progress | None = None) -> OpResult[None]:
    """Rebuild the search index from the database."""
    archive.rebuild_index(progress)
    return OpResult(None, OpChanges(search=True))
