"""Through the command line: the uncertain-decision report, volume identity, encodings, refusals."""

from __future__ import annotations

import json

import pytest

from sipviewer.cli import main
from sipviewer.ingest.synthetic import generate_volume

# A small volume with planted ambiguities (each a layout the rules cannot settle alone):
# page 3 begins an article with no title line and no running head, page 4 has a credit with
# no caption, the table's row numbers skip (1, 2, 4) and it has no source line, and the
# last article ends with no signature; a caption on page 2 lost its credit.
PLANTED = """ 苏州工业园区年鉴（2019）

 专\u2003 记

园区科技创新发展情况

全年新认定高新技术企业46家，累计达到310家，研发投入占地区生产总值比重3.1%。

2019年5月8日，园区举办科技创新大会
在金鸡湖国际会议中心

园区新增市级以上研发机构21家。\ufffd （园区科技局）
 全年新增就业岗位2.1万个，城镇登记失业率控制在2%以内，

社会保障全面并轨。\ufffd （园区社会事业局）
 \ufffd （园区新闻中心\u2003 供稿）

园区开放合作再上新台阶

全年实际使用外资12.3亿美元，增长8.1%。

\u2003\u2003 表1\u2003 园区开放合作主要指标

序\u2003 号 指标名称 2018年 2019年

1 实际使用外资（亿美元） 11.2 12.3

2 进出口总额（亿美元） 800 852

4 新设外资项目（个） 140 151
"""


def _write(tmp_path, name, text, encoding="utf-8", newline="\n"):
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def test_report_lists_planted_ambiguities_page_by_page(tmp_path, capsys):
    path = _write(tmp_path, "planted.txt", PLANTED)
    assert main(["parse", str(path), "--report"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith(f"{path}: ") and "uncertain decision" in lines[0]
    assert "page 3" in lines and "page 4" in lines
    assert "[title]" in out and "left untitled" in out  # page 3: no title line, no head
    assert "[caption]" in out  # page 4: a credit with no caption
    assert "lines set like a caption but with no credit" in out  # page 2
    assert "row number 4 where 3 was due" in out
    assert "no source line" in out
    assert "[attribution]" in out and "no signature" in out
    pages = [int(ln.split()[1]) for ln in lines if ln.startswith("page ")]
    assert pages == sorted(pages)


def test_json_carries_the_uncertain_decisions(tmp_path, capsys):
    path = _write(tmp_path, "planted.txt", PLANTED)
    assert main(["parse", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    kinds = {(u["page"], u["kind"]) for u in data["uncertain"]}
    assert {(3, "title"), (4, "caption"), (4, "table")} <= kinds
    assert all(set(u) == {"page", "kind", "text", "decision"} for u in data["uncertain"])
    assert data["volume"]["title"] == "苏州工业园区年鉴"


def test_the_sample_has_no_uncertain_decision(sample_path, capsys):
    assert main(["parse", str(sample_path), "--report"]) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith(": 0 uncertain decisions")


def test_crlf_and_trailing_spaces_copy_is_unchanged(tmp_path, sample_text, capsys):
    arc = str(tmp_path / "arc")
    a = _write(tmp_path, "a.txt", sample_text)
    b = _write(tmp_path, "b.txt", "\n".join(ln + "  " for ln in sample_text.split("\n")),
               newline="\r\n")
    assert main(["import", str(a), "--archive", arc, "--quiet"]) == 0
    assert "imported" in capsys.readouterr().out
    assert main(["import", str(b), "--archive", arc, "--quiet"]) == 0
    assert "unchanged" in capsys.readouterr().out


def test_big5_is_read_as_big5(tmp_path, capsys):
    text = generate_volume(5, target_chars=6000).text
    traditional = text.translate(str.maketrans("园区苏州发展经济业务", "園區蘇州發展經濟業務"))
    plain = "".join(ch for ch in traditional if _big5_ok(ch))
    path = _write(tmp_path, "big5.txt", plain, encoding="big5")
    assert main(["parse", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["encoding"] == "big5"
    assert "園區" in json.dumps(data, ensure_ascii=False)


def _big5_ok(ch: str) -> bool:
    try:
        ch.encode("big5")
    except UnicodeEncodeError:
        return False
    return True


def test_garbage_in_a_legacy_encoding_is_refused(tmp_path, capsys):
    path = tmp_path / "odd.txt"
    path.write_bytes("Ελληνικό κείμενο, όχι κινέζικο.\n".encode("iso-8859-7") * 20)
    assert main(["parse", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(path) in err[0]


@pytest.mark.parametrize(("text", "message"), [
    (" The Suzhou Industrial Park yearbook\n\nA plain English text.\n (Department)\n", "no Chinese"),
    ("园区经济发展情况\n\n全年实现地区生产总值2907亿元。（园区经发委）\n", "no page layout"),
])
def test_text_without_yearbook_structure_is_refused(tmp_path, capsys, text, message):
    path = _write(tmp_path, "plain.txt", text)
    assert main(["parse", str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and str(path) in err[0] and message in err[0]
    assert main(["import", str(path), "--archive", str(tmp_path / "arc"), "--quiet"]) == 2


def test_volume_title_from_text_else_option_else_file_name(tmp_path, sample_path, capsys):
    arc = str(tmp_path / "arc")
    vol = generate_volume(9, target_chars=6000, title_page_articles=0, volume_title="吴江年鉴",
                          edition_year=2012)
    named = _write(tmp_path, "named.txt", vol.text)
    assert main(["import", str(named), "--archive", arc, "--quiet", "--title", "别的"]) == 0
    assert "《吴江年鉴》2012" in capsys.readouterr().out
    assert main(["import", str(sample_path), "--archive", arc, "--quiet", "--title", "园区年鉴"]) == 0
    assert "《园区年鉴》" in capsys.readouterr().out
    copy = _write(tmp_path, "专记选.txt", sample_path.read_text(encoding="utf-8") + "\n补记。\n")
    assert main(["import", str(copy), "--archive", arc, "--quiet"]) == 0
    assert "《专记选》" in capsys.readouterr().out


def test_volume_title_from_a_page_head_when_there_is_no_title_page(tmp_path, capsys):
    # no title page: the volume names itself on top of a later page
    text = PLANTED.split("\n", 2)[2].replace(
        "\n 全年新增就业岗位", "\n 苏州工业园区年鉴（2019）\n\n全年新增就业岗位")
    path = _write(tmp_path, "no-title-page.txt", text)
    assert main(["parse", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["volume"] == {"title": "苏州工业园区年鉴", "edition_year": 2019, "covered_year": 2018}
    assert any(d["kind"] == "page_head" and "2019" in d["text"] for d in data["dropped"])
    arc = str(tmp_path / "arc")
    assert main(["import", str(path), "--archive", arc, "--quiet", "--title", "别的"]) == 0
    assert "《苏州工业园区年鉴》2019" in capsys.readouterr().out
