"""Files given by the user: checked before a byte is read. Pure standard library."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sipviewer.model.errors import InputError

MAX_TEXT_BYTES = 64 * 1024 * 1024  # a yearbook volume's text is 1–3 MB


def regular_file(path: str | Path, limit: int, what: str = "file") -> int:
    """The size of ``path`` if it is a regular file of at most ``limit`` bytes; otherwise
    `InputError`, before anything is read (a FIFO would block for ever, /dev/zero never
    ends)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(path, f"is a folder, not {_a(what)}")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(path, f"not a regular {what} (a device or a pipe)")
    if st.st_size > limit:
        raise InputError(path, f"too large for {_a(what)} ({st.st_size / 1e6:.0f} MB, at most "
                               f"{limit / 1e6:.0f} MB)")
    return st.st_size


def _a(noun: str) -> str:
    """``noun`` with its indefinite article (a text file, an image file)."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"
