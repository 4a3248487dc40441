"""Chinese by default, English through Qt's translation system."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from sipviewer.ui.common import install_translator, t

ROOT = Path(__file__).resolve().parents[2]


def test_every_interface_string_has_an_english_translation():
    spec = importlib.util.spec_from_file_location("mt", ROOT / "packaging" / "make_translations.py")
    mt = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mt)
    missing = [s for s in mt.strings() if s not in mt.ENGLISH]
    assert missing == []
    compiled = (ROOT / "resources" / "i18n" / "sipviewer_en.ts").read_text(encoding="utf-8")
    assert compiled.count("<message>") == len(mt.strings()), "run packaging/make_translations.py"


def test_chinese_by_default_english_on_request(app):
    assert t("检索结果") == "检索结果"
    assert t("{}年").format(2020) == "2020年" and t("第{}页").format(3) == "第3页"
    assert install_translator(app, "en") == "en"
    try:
        assert t("检索结果") == "Results"
        assert t("导出文章为 PDF…") == "Export article as PDF…"
        assert t("{}年").format(2020) == "2020" and t("第{}页").format(3) == "p. 3"
    finally:
        app.removeTranslator(app._sipviewer_translator)
    assert t("检索结果") == "检索结果"


def test_qt_own_buttons_are_chinese_too(app):
    from PySide6.QtWidgets import QDialogButtonBox

    assert install_translator(app, "zh") == "zh"
    try:
        box = QDialogButtonBox()
        assert box.addButton(QDialogButtonBox.StandardButton.Close).text() == "关闭"
        assert box.addButton(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    finally:
        app.removeTranslator(app._sipviewer_qt_translator)


def test_the_core_s_file_errors_are_said_in_chinese(app, tmp_path):
    """What an import of an unusable file raises, as the window's error dialog says it: the
    path, then the problem in Chinese (the core speaks English to scripts and logs)."""
    import re

    from sipviewer.core.archive import Archive
    from sipviewer.model.errors import SipviewerError
    from sipviewer.ui.common import user_message

    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    english = tmp_path / "notes.txt"
    english.write_text("minutes of the meeting\n" * 50, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    folder = tmp_path / "folder"
    folder.mkdir()
    said = []
    with Archive.open(tmp_path / "arc") as arc:
        for path in (binary, english, empty, folder, tmp_path / "missing.txt"):
            try:
                arc.import_files([path])
            except SipviewerError as exc:
                said.append((str(path), user_message(exc)))
    assert len(said) == 5
    for path, text in said:
        assert text.startswith(path + "：") and not re.search("[A-Za-z]{3,}", text[len(path):]), text
