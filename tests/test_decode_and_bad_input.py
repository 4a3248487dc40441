"""Encodings are detected; bad input is one clear error naming the file, never a traceback."""

from __future__ import annotations

import codecs
import re

import pytest

from sipviewer.ingest.parser import parse_file
from sipviewer.model.errors import InputError, ParseError


@pytest.mark.parametrize(("encoding", "prefix", "reported"), [
    ("utf-8", b"", "utf-8"),
    ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
    ("gb18030", b"", "gb18030"),
    ("gbk", b"", "gb18030"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
])
def test_encodings_detected(tmp_path, sample_text, sample_doc, encoding, prefix, reported):
    text = sample_text
    if encoding == "gbk":  # GBK has no U+FFFD nor the typographic spaces: use plain spaces
        text = re.sub(r"[^\S\n]", " ", text.replace("\ufffd", ""))
    path = tmp_path / f"sample-{encoding}.txt"
    path.write_bytes(prefix + text.encode(encoding))
    doc = parse_file(path)
    assert doc.encoding == reported
    assert [a.title for a in doc.articles] == [a.title for a in sample_doc.articles]
    assert len(doc.photos) == 10 and len(doc.tables[0].rows) == 22


def test_crlf_line_endings(tmp_path, sample_text, sample_doc):
    path = tmp_path / "crlf.txt"
    path.write_bytes(sample_text.replace("\n", "\r\n").encode("utf-8"))
    doc = parse_file(path)
    assert [a.paragraphs for a in doc.articles] == [a.paragraphs for a in sample_doc.articles]


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty"),
    (b"   \n\n  ", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    (bytes([0x80, 0xFF, 0x81, 0x30, 0xFE]) * 20 + b"\xff", "cannot decode"),
    (codecs.BOM_UTF16_LE + b"\x00\xd8\x41\x00", "cannot decode as utf-16"),
    ("这是一段普通的文字，没有任何年鉴的结构。\n第二行也是普通文字。\n".encode(), "no yearbook structure"),
])
def test_bad_input_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        parse_file(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        parse_file(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="folder"):
        parse_file(tmp_path)


def test_structure_error_is_a_parse_error(tmp_path):
    path = tmp_path / "prose.txt"
    path.write_text("只有一行。", encoding="utf-8")
    with pytest.raises(ParseError):
        parse_file(path)
