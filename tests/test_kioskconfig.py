"""The kiosk configuration (no Qt): TOML and JSON files, defaults, command-line overrides,
bad files as one clear line, the PIN kept only as a salted hash."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sipviewer.core.kioskconfig import (
    DEFAULT_IDLE_RESET,
    KioskConfig,
    default_config_path,
    hash_pin,
    load_config,
    verify_pin,
)
from sipviewer.model.errors import InputError


def test_toml_and_json_files(tmp_path):
    pin = hash_pin("1234", iterations=1000)
    toml = tmp_path / "kiosk.toml"
    toml.write_text(f'archive = "{tmp_path}"\nidle_reset = 60\nlanguage = "en"\n'
                    f'admin_pin = "{pin}"\n', encoding="utf-8")
    cfg = load_config(toml)
    assert cfg == KioskConfig(tmp_path, 60, "en", pin)
    js = tmp_path / "kiosk.json"
    js.write_text(json.dumps({"idle_reset": 30}), encoding="utf-8")
    assert load_config(js) == KioskConfig(idle_reset=30)


def test_the_user_config_folder_is_the_default(tmp_path, monkeypatch):
    monkeypatch.setenv("SIPVIEWER_CONFIG_DIR", str(tmp_path))
    assert default_config_path() == tmp_path / "kiosk.toml"
    assert load_config() == KioskConfig()  # no file: the defaults
    assert KioskConfig().idle_reset == DEFAULT_IDLE_RESET == 120
    (tmp_path / "kiosk.toml").write_text("idle_reset = 45\n", encoding="utf-8")
    assert load_config().idle_reset == 45


def test_the_command_line_wins(tmp_path):
    cfg = KioskConfig(archive=Path("/a"), idle_reset=60)
    assert cfg.with_overrides(archive=str(tmp_path), idle_reset=10) == \
        KioskConfig(tmp_path, 10)
    assert cfg.with_overrides() == cfg
    with pytest.raises(InputError, match="--idle-reset: must be at least 5"):
        cfg.with_overrides(idle_reset=1)


@pytest.mark.parametrize(("text", "problem"), [
    ('idle_reset = "soon"', "idle_reset must be a whole number of seconds ≥ 5"),
    ("idle_reset = 2", "idle_reset must be a whole number of seconds ≥ 5"),
    ('language = "fr"', "language must be one of zh, en"),
    ('admin_pin = "1234"', "admin_pin must be a hash printed by `sipviewer kiosk-pin`"),
    ('colour = "red"', "unknown setting 'colour'"),
    ("idle_reset = = 3", "is not valid TOML"),
])
def test_bad_files_name_the_file_and_the_problem(tmp_path, text, problem):
    f = tmp_path / "kiosk.toml"
    f.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_config(f)
    assert str(err.value).startswith(f"{f}: {problem}")


def test_a_missing_given_file_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no such configuration file"):
        load_config(tmp_path / "nope.toml")


def test_pins_are_salted_hashes():
    a, b = hash_pin("2468"), hash_pin("2468")
    assert a != b and "2468" not in a  # a random salt each time
    assert verify_pin("2468", a) and verify_pin("2468", b)
    assert not verify_pin("2469", a) and not verify_pin("", a)
    assert not verify_pin("2468", None) and not verify_pin("2468", "garbage")
    with pytest.raises(InputError):
        hash_pin("12ab")
    with pytest.raises(InputError):
        hash_pin("123")


def test_kiosk_pin_command_prints_a_line_the_config_accepts(tmp_path):
    out = subprocess.run([sys.executable, "-m", "sipviewer", "kiosk-pin"], input="97531\n",
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    line = out.stdout.strip()
    assert line.startswith('admin_pin = "pbkdf2_sha256$')
    f = tmp_path / "kiosk.toml"
    f.write_text(line + "\n", encoding="utf-8")
    assert verify_pin("97531", load_config(f).admin_pin)
