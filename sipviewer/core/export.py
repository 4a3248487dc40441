"""Exports of catalogue data to files: the photo catalogue as CSV or JSON.

Used by the command line and the viewer alike. A file is written completely or not at all
(a temporary file beside the target, renamed into place), and every failure is an
`ExportError` naming the file and the problem, so nothing is reported as exported that was
not.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from sipviewer.model.errors import ExportError
from sipviewer.model.types import PhotoView

FORMATS = ("csv", "json")


def photo_rows(photos: Iterable[PhotoView]) -> list[dict[str, object]]:
    """One row per photo: the catalogue fields as plain text and numbers."""
    return [{"id": p.id, "volume": p.volume_label, "article": p.article_title,
             "caption": p.caption,
             "date_start": p.date_start.isoformat() if p.date_start else "",
             "date_end": p.date_end.isoformat() if p.date_end else "",
             "date_precision": p.date_precision, "credit": p.credit or "",
             "credit_kind": p.credit_kind or "", "department": p.department or "",
             "page": p.page, "tags": ";".join(p.tags), "notes": p.notes or "",
             "image": p.image_path or ""} for p in photos]


def format_for(path: str | Path, default: str = "csv") -> str:
    """The format a file name asks for (``.json`` → json, ``.csv`` → csv)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else default


def write_rows(out: str | Path, rows: Sequence[dict[str, object]], fmt: str) -> None:
    """Write ``rows`` to ``out`` as CSV (UTF-8 with a BOM: Excel reads it) or JSON, all or
    nothing; `ExportError` if it cannot be written."""
    out = Path(out)
    if fmt not in FORMATS:
        raise ExportError(f"{out}: unknown format {fmt!r} (use csv or json)")
    if out.is_dir():
        raise ExportError(f"{out}: is a folder, not a file")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    except OSError as exc:
        raise ExportError(f"{out}: cannot write here ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8-sig" if fmt == "csv" else "utf-8") \
                as fh:
            if fmt == "json":
                json.dump(list(rows), fh, ensure_ascii=False, indent=1)
            elif rows:
                writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"{out}: cannot write ({exc.strerror or exc})") from None


def export_photos(photos: Sequence[PhotoView], out: str | Path, fmt: str | None = None) -> int:
    """Write the catalogue of ``photos`` to ``out``; the number written."""
    write_rows(out, photo_rows(photos), fmt or format_for(out))
    return len(photos)
