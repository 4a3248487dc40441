"""Exporting the photo catalogue: CSV (UTF-8 with a BOM, Omeka-style Dublin Core columns),
JSON, and Dublin Core XML (``oai_dc``), for the photos a query, filters or a selection name;
optionally each photo's image with its record embedded as XMP and IPTC. No Qt.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from xml.etree import ElementTree as ET

from sipviewer.core.catalogue import date_zh, format_date
from sipviewer.model.errors import InputError
from sipviewer.model.types import PhotoView

FORMATS = ("csv", "json", "dc")
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# Omeka S maps ``dcterms:`` columns to Dublin Core properties by name; several values in one
# cell are split at MULTI. Columns without a Dublin Core term keep our own prefix.
MULTI = ";"
CSV_COLUMNS = ("dcterms:identifier", "dcterms:title", "dcterms:description", "dcterms:date",
               "dcterms:creator", "dcterms:contributor", "dcterms:subject", "dcterms:spatial",
               "dcterms:rights", "dcterms:source", "dcterms:isPartOf", "dcterms:type",
               "sipviewer:date_precision", "sipviewer:credit_kind", "sipviewer:department",
               "sipviewer:notes", "sipviewer:page", "sipviewer:image")
Progress = Callable[[int, int, str], None]


def source_text(p: PhotoView) -> str:
    """Where the photo is printed: 《volume》 page, article."""
    return f"{p.volume_label} 第{p.page}页 《{p.article_title}》"


def image_name(p: PhotoView) -> str | None:
    return Path(p.image_path).name if p.image_path else None


def photo_json(p: PhotoView) -> dict[str, object]:
    """The record the command line prints and exports (``photos list --json``)."""
    return {"id": p.id, "caption": p.caption, "title": p.title,
            "date_start": p.date_start.isoformat() if p.date_start else None,
            "date_end": p.date_end.isoformat() if p.date_end else None,
            "date_precision": p.date_precision, "credit": p.credit,
            "credit_kind": p.credit_kind, "department": p.department, "tags": list(p.tags),
            "location": p.location, "notes": p.notes, "rights": p.rights,
            "image": image_name(p), "image_name": p.image_name, "volume": p.volume_label,
            "article_id": p.article_id, "article": p.article_title, "page": p.page,
            "source": source_text(p)}


def _csv_row(p: PhotoView) -> dict[str, object]:
    photographer = p.credit if p.credit_kind == "photographer" else ""
    supplier = p.credit if p.credit_kind != "photographer" and p.credit else ""
    return dict(zip(CSV_COLUMNS, (
        p.id, p.title or p.caption, p.caption,
        format_date(p.date_start, p.date_end, p.date_precision) or "", photographer, supplier,
        MULTI.join(p.tags), p.location or "", p.rights or "", source_text(p), p.volume_label,
        "StillImage", p.date_precision, p.credit_kind or "", p.department or "", p.notes or "",
        p.page, image_name(p) or "")))


def write_csv(path: Path, photos: Sequence[PhotoView]) -> None:
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:  # BOM: Excel reads UTF-8
        w = csv.DictWriter(fh, fieldnames=list(CSV_COLUMNS))
        w.writeheader()
        w.writerows(_csv_row(p) for p in photos)


def write_json(path: Path, photos: Sequence[PhotoView]) -> None:
    data = {"total": len(photos), "photos": [photo_json(p) for p in photos]}
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


def write_dc(path: Path, photos: Sequence[PhotoView]) -> None:
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
        embed(src, folder / f"photo-{p.id}{src.suffix}", record)
        written += 1
    if progress:
        progress(len(photos), len(photos), "writing images")
    return written, skipped


def export_photos(photos: Sequence[PhotoView], fmt: str, out: Path,
                  images: Path | None = None, progress: Progress | None = None
                  ) -> tuple[int, int]:
    """Write the records (and the images); (records, images written)."""
    if fmt not in FORMATS:
        raise InputError(out, f"unknown format {fmt!r}: use csv, json or dc")
    if not out.parent.is_dir():
        raise InputError(out, "its folder does not exist")
    if images is not None and images.exists() and not images.is_dir():
        raise InputError(images, "is a file, not a folder")
    tmp = out.with_name(out.name + ".part")
    {"csv": write_csv, "json": write_json, "dc": write_dc}[fmt](tmp, photos)
    os.replace(tmp, out)
    written = write_images(images, photos, progress)[0] if images is not None else 0
    return len(photos), written


__all__ = ["CSV_COLUMNS", "FORMATS", "date_zh", "export_photos", "photo_json", "source_text"]
