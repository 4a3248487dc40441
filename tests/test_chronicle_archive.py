"""大事记 events in the archive: stored, searchable as kind ``event``, filtered by date overlap
and by the departments their text names; the oracle is the generator's manifest."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from sipviewer.core.archive import Archive
from sipviewer.ingest.synthetic_chronicle import generate_chronicle

DATA = Path(__file__).parent / "data"
YEAR = 2020  # the events' year: the edition of 2021 covers it


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sipviewer", *args], capture_output=True,
                          text=True, check=False)


def overlapping(events, lo: date, hi: date) -> Counter:
    return Counter((e.text, e.date_start, e.date_end) for e in events
                   if e.date_start <= hi and e.date_end >= lo)


def found(results) -> Counter:
    return Counter((h.title, h.date_start, h.date_end) for h in results.hits)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    section = generate_chronicle(2021, year=YEAR, months=12)
    folder = tmp_path_factory.mktemp("chron")
    text = folder / "dashiji.txt"
    text.write_text(section.text, encoding="utf-8")
    arc = Archive.open(folder / "arc")
    arc.import_files([text], year=YEAR + 1)
    yield section, arc, text
    arc.close()


def test_every_event_is_stored_with_its_dates_and_text(generated):
    section, arc, _ = generated
    (node,) = arc.tree()
    (sec,) = node.sections
    assert (sec.title, sec.events, sec.articles) == ("大事记", len(section.events), ())
    got = [(e.date_start, e.date_end, e.text, e.page) for e in arc.events(sec.id)]
    assert got == [(e.date_start, e.date_end, e.text, e.page) for e in section.events]
    assert arc.event(arc.events(sec.id)[-1].id).text == section.events[-1].text


def test_date_filter_returns_exactly_the_overlapping_events(generated):
    section, arc, _ = generated
    rng = random.Random(7)
    windows = [(date(YEAR, 1, 1), date(YEAR, 12, 31))]
    for _ in range(40):
        lo = date(YEAR, 1, 1) + timedelta(days=rng.randint(0, 364))
        windows.append((lo, lo + timedelta(days=rng.choice([0, 0, 1, 3, 10, 45]))))
    for e in section.events[:10]:  # edges: a range's first and last day
        windows += [(e.date_start, e.date_start), (e.date_end, e.date_end)]
    for lo, hi in windows:
        filters = arc.make_filters(date_from=lo.isoformat(), date_to=hi.isoformat(),
                                   kinds=["event"])
        assert found(arc.search("", filters, limit=0)) == overlapping(section.events, lo, hi), \
            (lo, hi)


def test_search_command_on_a_text_imported_with_year(generated, tmp_path):
    section, _, text = generated
    arc = tmp_path / "cli-arc"
    done = cli("import", str(text), "--archive", str(arc), "--year", str(YEAR + 1), "--quiet")
    assert done.returncode == 0, done.stderr
    for lo, hi in (("2020-03-01", "2020-03-31"), ("2020-06-30", "2020-07-02"), ("2020", "2020")):
        out = cli("search", "", "--archive", str(arc), "--kind", "event", "--from", lo,
                  "--to", hi, "--limit", "0", "--json")
        assert out.returncode == 0, out.stderr
        data = json.loads(out.stdout)
        got = Counter((h["title"], h["date_start"], h["date_end"]) for h in data["hits"])
        want = overlapping(section.events, date.fromisoformat(lo if "-" in lo else lo + "-01-01"),
                           date.fromisoformat(hi if "-" in hi else hi + "-12-31"))
        assert got == Counter((t, a.isoformat(), b.isoformat()) for t, a, b in want.elements())
        assert data["total"] == sum(want.values())
        assert set(data["facets"]["kind"]) <= {"event"}


def test_text_search_and_departments_named_in_events(tmp_path):
    arc = Archive.open(tmp_path / "arc")
    try:
        arc.import_files([DATA / "dashiji-2020.txt"], year=2021)
        hits = arc.search("复工复产", arc.make_filters(kinds=["event"])).hits
        assert [(h.kind, h.date_start, h.department) for h in hits] == [
            ("event", date(2020, 2, 10), "园区经发委")]
        # an alias finds the same events; the full official name in a text counts too
        by_alias = arc.search("", arc.make_filters(departments=["苏州工业园区合作发展局"],
                                                   kinds=["event"]))
        assert [h.title for h in by_alias.hits] == ["苏州工业园区合作发展局与对口帮扶地区签订年度合作协议。"]
        assert by_alias.hits[0].department == "园区合作发展局"
        facets = arc.search("", arc.make_filters(kinds=["event"]), limit=0).facets
        assert facets["kind"] == {"event": 17}
        assert facets["department"]["园区社会事业局"] == 1
        assert facets["year"] == {"2020": 17}
        event = arc.event(hits[0].id)
        assert event.departments == ("园区经发委",) and event.page == 2
        assert arc.check().ok
    finally:
        arc.close()


def test_replacing_a_volume_replaces_its_events(tmp_path):
    first = generate_chronicle(1, year=YEAR, months=3)
    second = generate_chronicle(2, year=YEAR, months=2)
    path = tmp_path / "v.txt"
    arc = Archive.open(tmp_path / "arc")
    try:
        path.write_text(first.text, encoding="utf-8")
        arc.import_files([path], year=YEAR + 1)
        path.write_text(second.text, encoding="utf-8")
        arc.import_files([path], year=YEAR + 1, replace=True)
        sec = arc.tree()[0].sections[0]
        assert [e.text for e in arc.events(sec.id)] == [e.text for e in second.events]
        total = arc.search("", arc.make_filters(kinds=["event"]), limit=0).total
        assert total == len(second.events)
    finally:
        arc.close()


def test_this_day_in_the_archives_years(tmp_path):
    arc = Archive.open(tmp_path / "arc")
    try:
        older = tmp_path / "older.txt"
        older.write_text(" 大\u2003 事\u2003 记\n\n3月\n\n4—6日\u2003园区举办春季招聘会。\n\n"
                         "5日\u2003园区召开工作会议。\n", encoding="utf-8")
        arc.import_files([older], title="旧卷", year=2016)
        arc.import_files([DATA / "dashiji-2020.txt"], year=2021)
        got = [(e.date_start, e.text[:6]) for e in arc.events_on_day(3, 5)]
        assert got == [(date(2015, 3, 4), "园区举办春季"), (date(2015, 3, 5), "园区召开工作"),
                       (date(2020, 3, 5), "园区召开优化"), (date(2020, 3, 5), "独墅湖图书馆")]
        assert arc.events_on_day(2, 29) == []
    finally:
        arc.close()


def test_an_archive_of_the_first_schema_upgrades_and_the_migration_reverts(tmp_path):
    from alembic import command
    from sqlalchemy import inspect

    from sipviewer.storage import db

    path = tmp_path / "arc" / "archive.sqlite"
    path.parent.mkdir()
    engine = db.open_engine(path)
    cfg = db.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    assert "events" not in inspect(engine).get_table_names()
    engine.dispose()
    with Archive.open(tmp_path / "arc") as arc:  # upgrades (after a backup), then imports
        assert arc.open_report.backup is not None
        arc.import_files([DATA / "dashiji-2020.txt"], year=2021)
        assert len(arc.events(arc.tree()[0].sections[0].id)) == 17
    engine = db.open_engine(path)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    assert not {"events", "event_departments"} & set(inspect(engine).get_table_names())
    engine.dispose()
