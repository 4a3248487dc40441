"""The `search` command's edge cases and sort orders, through the command line's entry point,
and facets that ignore their own filter (departments combine with OR and keep their counts).

Expected figures come from the sample text itself (a plain count), not from the index.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sipviewer.cli import main
from sipviewer.core.archive import Archive


@pytest.fixture(scope="module")
def arc_dir(tmp_path_factory, sample_path):
    path = tmp_path_factory.mktemp("edges") / "arc"
    assert main(["import", str(sample_path), "--archive", str(path), "--title",
                 "苏州工业园区年鉴", "--year", "2021", "--quiet"]) == 0
    return path


def search_json(capsys, arc_dir, *args: str) -> dict:
    capsys.readouterr()
    assert main(["search", *args, "--archive", str(arc_dir), "--json", "--limit", "0"]) == 0
    return json.loads(capsys.readouterr().out)


def records_containing(arc_dir, text: str) -> int:
    """The reference: records whose own text (title, body, caption) holds the term."""
    with Archive.open(arc_dir) as arc:
        return sum(text in rec.norm_text for rec in arc.index.store.values())


def test_a_stray_quote_is_ignored(capsys, arc_dir):
    plain = search_json(capsys, arc_dir, "园区")
    assert plain["total"] == records_containing(arc_dir, "园区") == 15
    for query in ('园区"', '"园区', '园"区', '"园区"'):
        assert search_json(capsys, arc_dir, query)["total"] == 15, query


def test_a_byte_that_is_not_utf8_is_one_clear_line(arc_dir):
    # a real process: its argument bytes are decoded the way a terminal's are
    out = subprocess.run([sys.executable.encode(), b"-m", b"sipviewer", b"search",
                          b"\xff\xe5\x9b\xad", b"--archive", str(arc_dir).encode()],
                         capture_output=True)
    assert out.returncode == 2
    lines = out.stderr.decode("utf-8").strip().splitlines()
    assert len(lines) == 1 and "not valid UTF-8" in lines[0] and "0xFF" in lines[0]
    assert b"Traceback" not in out.stderr and out.stdout == b""


def test_a_surrogate_in_main_argv_is_refused(capsys, arc_dir):
    assert main(["search", "园\udcff区", "--archive", str(arc_dir)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not valid UTF-8" in err


@pytest.mark.parametrize("name", ["", "   "])
def test_an_empty_department_is_refused(capsys, arc_dir, name):
    assert main(["search", "园区", "--department", name, "--archive", str(arc_dir)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "department name is empty" in err


def test_bad_month_gives_the_right_reason(capsys, arc_dir):
    assert main(["search", "园区", "--from", "2020-13", "--archive", str(arc_dir)]) == 2
    err = capsys.readouterr().err
    assert "month" in err and "no such day" not in err


def _dates(hits):
    return [h["date_start"] for h in hits]


def test_sort_by_date_both_ways(capsys, arc_dir):
    old_new = search_json(capsys, arc_dir, "园区", "--sort", "date")["hits"]
    new_old = search_json(capsys, arc_dir, "园区", "--sort", "-date")["hits"]
    dated = [d for d in _dates(old_new) if d]
    assert dated == sorted(dated) and len(set(dated)) > 2
    dated_desc = [d for d in _dates(new_old) if d]
    assert dated_desc == sorted(dated_desc, reverse=True)
    assert {(h["kind"], h["id"]) for h in old_new} == {(h["kind"], h["id"]) for h in new_old}
    # the form with "=" works too, and relevance is the default
    capsys.readouterr()
    assert main(["search", "园区", "--sort=-date", "--archive", str(arc_dir), "--json"]) == 0
    assert _dates(json.loads(capsys.readouterr().out)["hits"])[0] == dated_desc[0]


def test_sort_by_volume_and_relevance(capsys, arc_dir):
    by_volume = search_json(capsys, arc_dir, "园区", "--sort", "volume")["hits"]
    kinds = [h["kind"] for h in by_volume]
    assert kinds == sorted(kinds, key=["article", "photo", "table"].index)
    article_ids = [h["id"] for h in by_volume if h["kind"] == "article"]
    assert article_ids == sorted(article_ids)
    best = search_json(capsys, arc_dir, "园区")["hits"]
    assert best[0]["kind"] != "" and best != by_volume


def test_unknown_sort_is_refused(capsys, arc_dir):
    with pytest.raises(SystemExit) as exc:
        main(["search", "园区", "--sort", "size", "--archive", str(arc_dir)])
    assert exc.value.code == 2


def test_department_facets_keep_their_counts_and_combine_with_or(capsys, arc_dir):
    alone = search_json(capsys, arc_dir, "")
    depts = alone["facets"]["department"]
    news, archive_centre = depts["园区新闻中心"], depts["园区档案管理中心"]
    one = search_json(capsys, arc_dir, "", "--department", "园区新闻中心")
    assert one["total"] == news
    # the other departments are still counted (as if the department filter were unset)
    assert one["facets"]["department"] == depts
    both = search_json(capsys, arc_dir, "", "--department", "园区新闻中心",
                       "--department", "园区档案管理中心")
    assert both["total"] == news + archive_centre
    # facets of other filters still narrow: photos only
    photos = search_json(capsys, arc_dir, "", "--kind", "photo", "--department", "园区新闻中心")
    only_photos = search_json(capsys, arc_dir, "", "--kind", "photo")
    assert photos["facets"]["department"] == only_photos["facets"]["department"] != depts
    assert photos["facets"]["kind"] == one["facets"]["kind"]  # the kind facet ignores kinds
    assert only_photos["facets"]["kind"] == alone["facets"]["kind"]


def test_year_facets_by_kind_ignore_the_date_filter(capsys, arc_dir):
    every = search_json(capsys, arc_dir, "")
    in_2019 = search_json(capsys, arc_dir, "", "--from", "2019", "--to", "2019")
    assert in_2019["total"] == 0
    for kind in ("article", "photo", "table"):
        assert in_2019["facets"][f"year:{kind}"] == every["facets"][f"year:{kind}"]
    assert every["facets"]["year:photo"]["2020"] == sum(
        1 for h in every["hits"] if h["kind"] == "photo" and h["date_start"]
        and h["date_start"].startswith("2020"))


def test_a_department_filter_takes_part_of_a_name_or_alias_as_dept_does(capsys, arc_dir):
    """经济发展委员会 is in an alias of 园区经发委 (苏州工业园区经济发展委员会), not an
    alias itself: the filter finds what the facet counts for 园区经发委, as ``dept:`` does."""
    depts = search_json(capsys, arc_dir, "")["facets"]["department"]
    assert depts["园区经发委"] > 0
    by_part = search_json(capsys, arc_dir, "", "--department", "经济发展委员会")
    assert by_part["total"] == depts["园区经发委"]
    assert search_json(capsys, arc_dir, "dept:经济发展委员会")["total"] == depts["园区经发委"]
    assert search_json(capsys, arc_dir, "", "--department", "新闻中心")["total"] == \
        sum(n for name, n in depts.items() if "新闻中心" in name)


def test_a_department_nothing_matches_is_named_on_stderr(capsys, arc_dir):
    out = search_json(capsys, arc_dir, "园区", "--department", "没有这个部门")
    assert out["total"] == 0
    capsys.readouterr()
    assert main(["search", "园区", "--department", "没有这个部门", "--archive", str(arc_dir)]) == 0
    err = capsys.readouterr().err
    assert "没有这个部门" in err and "no department" in err
