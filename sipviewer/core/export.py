"""Exports of the photo catalogue: CSV (UTF-8 with a BOM, Omeka-style Dublin Core columns),
JSON, and Dublin Core XML (``oai_dc``), for the photos a query, filters or a selection name;
optionally each photo's image with its record embedded as XMP and IPTC. No Qt.

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
from collections.abc import Callable, Sequence
from pathlib import Path
from xml.etree import ElementTree as ET

from sipviewer.core.catalogue_values import date_zh, format_date
from sipviewer.model.errors import ExportError, InputError
from sipviewer.model.types import PhotoView

FORMATS = ("csv", "json", "dc")
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# Omeka S maps ``dcterms:`` columns to Dublin Core properties by name; several values in one
# cell are split at MULTI. Fields without a Dublin Core term follow under their own names.
MULTI = ";"
CSV_COLUMNS = ("dcterms:identifier", "dcterms:title", "dcterms:description", "dcterms:date",
               "dcterms:creator", "dcterms:contributor", "dcterms:subject", "dcterms:spatial",
               "dcterms:rights", "dcterms:source", "dcterms:isPartOf", "dcterms:type",
               "date_precision", "credit_kind", "department", "notes", "page", "image")
Progress = Callable[[int, int, str], None]


def source_text(p: PhotoView) -> str:
    """Where the photo is printed: 《volume》 page, article."""
    return f"{p.volume_label} 第{p.page}页 《{p.article_title}》"


def image_name(p: PhotoView, exported: bool = False) -> str | None:
    """The image's file name: in the archive, or as exported beside the records."""
    if not p.image_path:
        return None
    return exported_name(p) if exported else Path(p.image_path).name


def exported_name(p: PhotoView) -> str:
    """The name an exported image gets (by photo id; the archive's is its content hash)."""
    return f"photo-{p.id}{Path(p.image_path or '').suffix}"


def photo_json(p: PhotoView, exported: bool = False) -> dict[str, object]:
    """The record the command line prints and exports (``photos list --json``)."""
    return {"id": p.id, "caption": p.caption, "title": p.title,
            "date_start": p.date_start.isoformat() if p.date_start else None,
            "date_end": p.date_end.isoformat() if p.date_end else None,
            "date_precision": p.date_precision, "credit": p.credit,
            "credit_kind": p.credit_kind, "department": p.department, "tags": list(p.tags),
            "location": p.location, "notes": p.notes, "rights": p.rights,
            "image": image_name(p, exported), "image_name": p.image_name, "volume": p.volume_label,
            "article_id": p.article_id, "article": p.article_title, "page": p.page,
            "source": source_text(p)}


def _csv_row(p: PhotoView, exported: bool = False) -> dict[str, object]:
    photographer = p.credit if p.credit_kind == "photographer" else ""
    supplier = p.credit if p.credit_kind != "photographer" and p.credit else ""
    return dict(zip(CSV_COLUMNS, (
        p.id, p.title or p.caption, p.caption,
        format_date(p.date_start, p.date_end, p.date_precision) or "", photographer, supplier,
        MULTI.join(p.tags), p.location or "", p.rights or "", source_text(p), p.volume_label,
        "StillImage", p.date_precision, p.credit_kind or "", p.department or "", p.notes or "",
        p.page, image_name(p, exported) or "")))


def write_csv(path: Path, photos: Sequence[PhotoView], exported: bool = False) -> None:
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:  # BOM: Excel reads UTF-8
        w = csv.DictWriter(fh, fieldnames=list(CSV_COLUMNS))
        w.writeheader()
        w.writerows(_csv_row(p, exported) for p in photos)


def write_json(path: Path, photos: Sequence[PhotoView], exported: bool = False) -> None:
    """A list of records, each as ``photos list --json`` prints it."""
    data = [photo_json(p, exported) for p in photos]
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def dc_element(p: PhotoView) -> ET.Element:
    """One ``oai_dc:dc`` record (simple Dublin Core, the OAI-PMH format)."""
    rec = ET.Element(f"{{{OAI_DC}}}dc", {
        f"{{{XSI}}}schemaLocation": f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"})

    def add(name: str, value: object) -> None:
        if value not in (None, ""):
            ET.SubElement(rec, f"{{{DC}}}{name}").text = str(value)

    add("identifier", f"sipviewer:photo:{p.id}")
    add("title", p.title or p.caption)
    add("description", p.caption)
    add("date", format_date(p.date_start, p.date_end, p.date_precision))
    if p.credit:
        add("creator" if p.credit_kind == "photographer" else "contributor", p.credit)
    for tag in p.tags:
        add("subject", tag)
    add("coverage", p.location)
    add("rights", p.rights)
    add("source", source_text(p))
    add("type", "StillImage")
    if p.image_path:
        suffix = Path(p.image_path).suffix.lower().lstrip(".")
        add("format", {"jpg": "image/jpeg", "tif": "image/tiff"}.get(suffix, f"image/{suffix}"))
    add("language", "zh-Hans")
    return rec


def write_dc(path: Path, photos: Sequence[PhotoView], exported: bool = False) -> None:
    ET.register_namespace("oai_dc", OAI_DC)
    ET.register_namespace("dc", DC)
    ET.register_namespace("xsi", XSI)
    root = ET.Element("records")
    for p in photos:
        root.append(dc_element(p))
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def write_images(folder: Path, photos: Sequence[PhotoView], progress: Progress | None = None
                 ) -> tuple[int, int]:
    """Each photo's image into ``folder`` (named by photo id) with its record embedded;
    (written, without an image). The originals in the archive are never touched."""
    from sipviewer.media.xmp import ImageRecord, embed

    folder.mkdir(parents=True, exist_ok=True)
    written = skipped = 0
    for k, p in enumerate(photos):
        if progress:
            progress(k, len(photos), "writing images")
        if not p.image_path:
            skipped += 1
            continue
        src = Path(p.image_path)
        record = ImageRecord(
            caption=p.caption, title=p.title,
            date_created=format_date(p.date_start, p.date_end, p.date_precision
                                     ) if p.date_precision in ("day", "month", "year") else
            (p.date_start.isoformat() if p.date_start else None),
            credit=p.credit, photographer=p.credit if p.credit_kind == "photographer" else None,
            keywords=p.tags, location=p.location, source=source_text(p), rights=p.rights,
            identifier=f"sipviewer:photo:{p.id}")
        embed(src, folder / exported_name(p), record)
        written += 1
    if progress:
        progress(len(photos), len(photos), "writing images")
    return written, skipped


def format_for(path: str | Path, default: str = "csv") -> str:
    """The format a file name asks for (``.json`` → json, ``.xml`` → dc, else csv)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return {"json": "json", "xml": "dc", "csv": "csv"}.get(suffix, default)


def write_records(out: str | Path, photos: Sequence[PhotoView], fmt: str,
                  exported: bool = False) -> None:
    """The records of ``photos`` in ``out``, all or nothing; `ExportError` on failure.
    ``exported``: the images are exported beside them (named `exported_name`). The file gets
    the mode any new file gets here (the umask), not the temporary file's private 0600."""
    out = Path(out)
    if fmt not in FORMATS:
        raise ExportError(f"{out}: unknown format {fmt!r} (use csv, json or dc)")
    if out.is_dir():
        raise ExportError(f"{out}: is a folder, not a file")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    except OSError as exc:
        raise ExportError(f"{out}: cannot write here ({exc.strerror or exc})") from None
    os.close(fd)
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        {"csv": write_csv, "json": write_json, "dc": write_dc}[fmt](Path(tmp), photos, exported)
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"{out}: cannot write ({exc.strerror or exc})") from None


def _umask() -> int:
    try:  # read without changing it (os.umask sets it, for every thread)
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def export_photos(photos: Sequence[PhotoView], out: str | Path, fmt: str | None = None) -> int:
    """Write the catalogue of ``photos`` to ``out`` (the viewer's export); the number written."""
    write_records(out, photos, fmt or format_for(out))
    return len(photos)


def export_catalogue(photos: Sequence[PhotoView], fmt: str, out: Path,
                     images: Path | None = None, progress: Progress | None = None
                     ) -> tuple[int, int]:
    """The command line's export: the records, and with ``images`` each photo's image with
    its record embedded; (records, images written)."""
    if images is not None and images.exists() and not images.is_dir():
        raise InputError(images, "is a file, not a folder")
    write_records(out, photos, fmt, exported=images is not None)
    written = write_images(images, photos, progress)[0] if images is not None else 0
    return len(photos), written


__all__ = ["CSV_COLUMNS", "FORMATS", "date_zh", "export_catalogue", "export_photos", "photo_json",
           "source_text"]
