"""A photo's catalogue record written into a copy of its image as XMP and IPTC, with pyexiv2
(libexiv2: it rewrites the metadata segments only, never the pixels; Pillow would re-encode
a JPEG). No Qt. Text is UTF-8 both ways, so Chinese survives.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from sipviewer.model.errors import InputError

# formats exiv2 writes XMP into; IPTC only into JPEG and TIFF
XMP_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp"}
IPTC_SUFFIXES = {".jpg", ".jpeg", ".tif", ".tiff"}
# IPTC IIM field lengths in bytes (the standard's maxima); XMP keeps the whole text
IPTC_LIMITS = {"Caption": 2000, "ObjectName": 64, "Keywords": 64, "Credit": 32, "Byline": 32,
               "SubLocation": 32, "Source": 32, "Copyright": 128}
UTF8 = "\x1b%G"  # ISO 2022 escape: the IPTC record is UTF-8


@dataclass(frozen=True)
class ImageRecord:
    """What goes into the image (IPTC Core / Dublin Core names)."""

    caption: str
    title: str | None = None
    date_created: str | None = None  # ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)
    credit: str | None = None
    photographer: str | None = None
    keywords: tuple[str, ...] = ()
    location: str | None = None
    source: str | None = None
    rights: str | None = None
    identifier: str | None = None


BRACKETS = {"（": "）", "(": ")", "《": "》", "[": "]", "【": "】", "“": "”", "「": "」"}


def _cut(text: str, limit: int) -> str:
    """At most ``limit`` UTF-8 bytes, never half a character; a bracket the cut would leave
    open goes with what follows it (``年鉴（2021…`` → ``年鉴``), and so does a trailing
    separator. The XMP fields keep the whole text."""
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return text
    whole = raw[:limit].decode("utf-8", "ignore")
    cut, opened = whole, []
    for i, ch in enumerate(cut):
        if ch in BRACKETS:
            opened.append(i)
        elif opened and ch == BRACKETS[cut[opened[-1]]]:
            opened.pop()
    if opened:
        cut = cut[:opened[0]]
    return cut.rstrip(" ,，、;；:：-—_·/") or whole


def _lang(text: str) -> dict[str, str]:
    return {'lang="x-default"': text}


def _fields(record: ImageRecord) -> tuple[dict[str, object], dict[str, object]]:
    """The XMP and IPTC values of a record (IPTC cut to its byte limits)."""
    xmp: dict[str, object] = {"Xmp.dc.description": _lang(record.caption),
                              "Xmp.dc.subject": list(record.keywords)}
    iptc: dict[str, object] = {"Iptc.Envelope.CharacterSet": UTF8,
                               "Iptc.Application2.Caption": _cut(record.caption, 2000),
                               "Iptc.Application2.Keywords": [_cut(k, 64)
                                                              for k in record.keywords]}
    # (value, XMP keys, IPTC key, IPTC byte limit)
    plain = [(record.credit, ("Xmp.photoshop.Credit",), "Credit", 32),
             (record.location, ("Xmp.Iptc4xmpCore.Location",), "SubLocation", 32),
             (record.source, ("Xmp.dc.source", "Xmp.photoshop.Source"), "Source", 32),
             (record.identifier, ("Xmp.dc.identifier",), None, 0)]
    for value, keys, tag, limit in plain:
        if value:
            xmp.update(dict.fromkeys(keys, value))
            if tag:
                iptc[f"Iptc.Application2.{tag}"] = _cut(value, limit)
    if record.title:
        xmp["Xmp.dc.title"] = _lang(record.title)
        iptc["Iptc.Application2.ObjectName"] = _cut(record.title, 64)
    if record.rights:
        xmp["Xmp.dc.rights"] = _lang(record.rights)
        iptc["Iptc.Application2.Copyright"] = _cut(record.rights, 128)
    if record.photographer:
        xmp["Xmp.dc.creator"] = [record.photographer]
        iptc["Iptc.Application2.Byline"] = [_cut(record.photographer, 32)]
    if record.date_created:
        xmp["Xmp.photoshop.DateCreated"] = record.date_created
        if len(record.date_created) == 10:  # IPTC takes whole days only
            iptc["Iptc.Application2.DateCreated"] = record.date_created
    if not record.keywords:
        del xmp["Xmp.dc.subject"], iptc["Iptc.Application2.Keywords"]
    return xmp, iptc


def embed(src: Path, dst: Path, record: ImageRecord) -> bool:
    """Copy ``src`` to ``dst`` and write ``record`` into the copy; False when the format takes
    no metadata (the copy is then plain). The pixels are never decoded or written."""
    import pyexiv2

    tmp = dst.with_name(dst.name + ".part")
    shutil.copyfile(src, tmp)
    suffix = dst.suffix.lower()
    if suffix not in XMP_SUFFIXES:
        os.replace(tmp, dst)
        return False
    xmp, iptc = _fields(record)
    try:
        with pyexiv2.Image(str(tmp)) as img:
            img.modify_xmp(xmp)
            if suffix in IPTC_SUFFIXES:
                img.modify_iptc(iptc)
    except Exception as exc:  # exiv2 raises its own RuntimeError for files it cannot write
        tmp.unlink(missing_ok=True)
        raise InputError(src, f"cannot write metadata into the image ({exc})") from None
    os.replace(tmp, dst)
    return True


def read(path: Path) -> tuple[dict[str, object], dict[str, object]]:
    """(XMP, IPTC) of an image, as pyexiv2 reads them (tests and `check` use this)."""
    import pyexiv2

    with pyexiv2.Image(str(path)) as img:
        return img.read_xmp(), img.read_iptc()
