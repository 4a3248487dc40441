"""Shared fixtures. Qt runs offscreen so the suite needs no display."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _private_default_archive(tmp_path_factory, monkeypatch):
    """No test touches the user's real default archive."""
    monkeypatch.setenv("SIPVIEWER_ARCHIVE", str(tmp_path_factory.getbasetemp() / "default-archive"))
    monkeypatch.setenv("SIPVIEWER_LOG_DIR", str(tmp_path_factory.getbasetemp() / "logs"))

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "sample" / "sip-yearbook-2021-zhuanji.txt"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_doc():
    from sipviewer.ingest.parser import parse_file

    return parse_file(SAMPLE)

# Property tests draw the same examples on every run, so a suite that passed passes again;
# fresh seeds are for the benches (bench/parser_exact.py, bench/chronicle.py).
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("suite", derandomize=True)
_hypothesis_settings.load_profile("suite")
