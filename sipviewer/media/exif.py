"""EXIF facts of an attached image, read with Pillow (no Qt): when it was taken and how it is
turned. They are offered to the librarian, never written over the catalogue."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PIL import Image

_DATE_TAGS = (0x9003, 0x9004, 0x0132)  # DateTimeOriginal, DateTimeDigitized, DateTime
_EXIF_IFD = 0x8769
_ORIENTATION = 0x0112


def read_exif(path: Path) -> tuple[date | None, int | None]:
    """(the date the picture was taken, the EXIF orientation 1–8), each None when absent."""
    try:
        with Image.open(path) as im:
            exif = im.getexif()
    except Exception:  # an image without readable EXIF has none to offer
        return None, None
    orientation = exif.get(_ORIENTATION)
    values = dict(exif.get_ifd(_EXIF_IFD)) if exif else {}
    values.update(exif)
    taken = None
    for tag in _DATE_TAGS:
        raw = values.get(tag)
        if isinstance(raw, bytes):
            raw = raw.decode("ascii", "replace")
        if isinstance(raw, str):
            try:
                taken = datetime.strptime(raw.strip()[:19], "%Y:%m:%d %H:%M:%S").date()
                break
            except ValueError:
                continue
    return taken, orientation if isinstance(orientation, int) and 1 <= orientation <= 8 else None
