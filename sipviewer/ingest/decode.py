"""Read a text file of unknown encoding: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030.

Anything else (binary data, an empty file, bytes that decode under no candidate) is an
`InputError` naming the file.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from sipviewer.model.errors import InputError

MAX_BYTES = 64 * 1024 * 1024


def decode_bytes(data: bytes, name: object = "<input>") -> tuple[str, str]:
    """Return ``(text, encoding)``; raise `InputError` for unusable bytes."""
    if not data.strip():
        raise InputError(name, "the file is empty")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise InputError(name, f"cannot decode as {enc} (byte-order mark present): "
                                       f"invalid data at byte {exc.start}") from None
            return _check_text(text, name), enc
    if b"\x00" in data[:4096]:
        raise InputError(name, "binary data, not a text file (NUL bytes found)")
    try:
        return _check_text(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return _check_text(data.decode("gb18030"), name), "gb18030"
        except UnicodeDecodeError:
            raise InputError(
                name,
                f"cannot decode the text (not UTF-8: invalid byte at offset {utf8_error.start}; "
                "not GB18030 or UTF-16 with BOM either)",
            ) from None


def _check_text(text: str, name: object) -> str:
    if not text.strip():
        raise InputError(name, "the file is empty")
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if "\x00" in sample or controls > max(8, len(sample) // 100):
        raise InputError(name, "binary data, not a text file (control characters found)")
    return text


def read_text(path: str | Path) -> tuple[str, str]:
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError(p, "is a folder, not a text file")
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputError(p, f"file too large ({size} bytes; at most {MAX_BYTES})")
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(p, "no such file") from None
    except PermissionError:
        raise InputError(p, "permission denied") from None
    except IsADirectoryError:
        raise InputError(p, "is a folder, not a text file") from None
    except OSError as exc:
        raise InputError(p, exc.strerror or str(exc)) from None
    return decode_bytes(data, p)
