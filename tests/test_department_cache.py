"""The import's department cache gives what looking each name up afresh gives."""

from __future__ import annotations

from sipviewer.core.archive import Archive
from sipviewer.ingest.parser import parse_file
from sipviewer.storage.importer import DepartmentCache


def test_cached_names_are_the_departments_a_fresh_lookup_finds(tmp_path, sample_path):
    doc = parse_file(sample_path)
    names = [art.attribution for art in doc.articles] + \
        [ph.credit for ph in doc.photos]
    # the same names as other hands write them: spaces, book-title marks, the full name
    names += [f" {n} " for n in names if n] + [f"《{n}》" for n in names if n]
    names += ["苏州工业园区管委会", "园区管委会", "  ", "", None, "《》"]
    with Archive.open(tmp_path / "arc") as arc, arc.Session.begin() as session:
        cache = DepartmentCache(session)
        for kind in ("department", "supplier"):
            for name in names * 2:  # the second time from the cache
                got = cache.get(name, kind)
                fresh = DepartmentCache(session).get(name, kind)
                assert (got.id if got else None) == (fresh.id if fresh else None), name
        assert len({d.id for d in cache._seen.values()}) == len(cache.by_name)
