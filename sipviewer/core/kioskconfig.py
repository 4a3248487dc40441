"""The kiosk's configuration: which archive, when to reset, the administrator's PIN, language.

A TOML (``kiosk.toml``) or JSON (``kiosk.json``) file in the user configuration folder, or
the file given with ``--config``::

    archive = "/srv/yearbooks/archive"   # default: the user's default archive
    idle_reset = 120                      # seconds without a touch before going home
    language = "zh"                       # zh | en
    admin_pin = "pbkdf2_sha256$200000$…$…"  # `sipviewer kiosk-pin` prints this line

Only a hash of the PIN is kept (PBKDF2-HMAC-SHA256 with a random salt). Options given on
the command line win over the file. A file that cannot be used raises `InputError` naming
the file and the problem; the kiosk never writes this file.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from platformdirs import user_config_dir

from sipviewer.model.errors import InputError

DEFAULT_IDLE_RESET = 120  # seconds
MIN_IDLE_RESET = 5
PIN_ITERATIONS = 200_000  # about 0.1 s per check on a small terminal: slow to guess
LANGUAGES = ("zh", "en")
_KEYS = {"archive", "idle_reset", "language", "admin_pin"}


@dataclass(frozen=True)
class KioskConfig:
    archive: Path | None = None
    idle_reset: int = DEFAULT_IDLE_RESET
    language: str = "zh"
    admin_pin: str | None = None  # a hash from `hash_pin`; None: the kiosk cannot be left

    def with_overrides(self, *, archive: str | None = None,
                       idle_reset: int | None = None) -> KioskConfig:
        """The command line's options over the file's."""
        out = self
        if archive:
            out = replace(out, archive=Path(archive).expanduser())
        if idle_reset is not None:
            if idle_reset < MIN_IDLE_RESET:
                raise InputError("--idle-reset", f"must be at least {MIN_IDLE_RESET} seconds")
            out = replace(out, idle_reset=idle_reset)
        return out


def default_config_path() -> Path:
    """``kiosk.toml`` (or an existing ``kiosk.json``) in the user configuration folder."""
    folder = Path(os.environ.get("SIPVIEWER_CONFIG_DIR") or user_config_dir("sipviewer",
                                                                             appauthor=False))
    json_path = folder / "kiosk.json"
    return json_path if json_path.exists() else folder / "kiosk.toml"


def load_config(path: str | Path | None = None) -> KioskConfig:
    """Read the configuration; no file at the default place means the defaults."""
    explicit = path is not None
    file = Path(path).expanduser() if explicit else default_config_path()  # type: ignore[arg-type]
    if not file.exists():
        if explicit:
            raise InputError(file, "no such configuration file")
        return KioskConfig()
    try:
        raw = file.read_bytes()
        if file.suffix.lower() == ".json":
            data = json.loads(raw.decode("utf-8"))
        else:
            data = tomllib.loads(raw.decode("utf-8"))
    except OSError as exc:
        raise InputError(file, f"cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(file, "is not UTF-8 text") from None
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(file, f"is not valid {file.suffix.lstrip('.').upper() or 'TOML'} "
                               f"({exc})") from None
    return _validated(file, data)


def _validated(file: Path, data: object) -> KioskConfig:
    """The settings of a parsed file, each checked (one clear line for the first problem)."""
    if not isinstance(data, dict):
        raise InputError(file, "must hold a table of settings")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise InputError(file, f"unknown setting {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})")
    idle = data.get("idle_reset", DEFAULT_IDLE_RESET)
    if not isinstance(idle, int) or isinstance(idle, bool) or idle < MIN_IDLE_RESET:
        raise InputError(file, f"idle_reset must be a whole number of seconds ≥ {MIN_IDLE_RESET}")
    language = data.get("language", "zh")
    if language not in LANGUAGES:
        raise InputError(file, f"language must be one of {', '.join(LANGUAGES)}")
    pin = data.get("admin_pin")
    if pin is not None and (not isinstance(pin, str) or not _parse_hash(pin)):
        raise InputError(file, "admin_pin must be a hash printed by `sipviewer kiosk-pin`")
    archive = data.get("archive")
    if archive is not None and not isinstance(archive, str):
        raise InputError(file, "archive must be a folder path")
    return KioskConfig(Path(archive).expanduser() if archive else None, idle, language, pin)


def hash_pin(pin: str, *, salt: bytes | None = None, iterations: int = PIN_ITERATIONS) -> str:
    """``pbkdf2_sha256$ITERATIONS$SALT$HASH`` (hex) of a PIN of 4 to 12 digits."""
    if not (pin.isdigit() and pin.isascii() and 4 <= len(pin) <= 12):
        raise InputError("PIN", "must be 4 to 12 digits")
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


def _parse_hash(stored: str) -> tuple[int, bytes, bytes] | None:
    parts = stored.split("$")
    if len(parts) != 4 or parts[0] != "pbkdf2_sha256":
        return None
    try:
        iterations, salt, digest = int(parts[1]), bytes.fromhex(parts[2]), bytes.fromhex(parts[3])
    except ValueError:
        return None
    if iterations < 1000 or not salt or len(digest) != 32:
        return None
    return iterations, salt, digest


def verify_pin(pin: str, stored: str | None) -> bool:
    """Whether ``pin`` matches the stored hash (compared in constant time)."""
    parsed = _parse_hash(stored) if stored else None
    if parsed is None or not pin.isascii():
        return False
    iterations, salt, digest = parsed
    tried = hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), salt, iterations)
    return hmac.compare_digest(tried, digest)
