"""Make resources/fonts/NotoSansSC-Subset.otf from the Noto Sans CJK collection.

    pip install fonttools noto-cjk-sans-otc
    python packaging/make_font_subset.py

Takes the Simplified Chinese face ("Noto Sans CJK SC") of the collection and keeps ASCII,
Latin-1, punctuation and every character of GB2312 and Big5 (so traditional characters a
user types into the search box render too) plus every character of the bundled sample.
The result (about 9 MB) ships with sipviewer so Chinese renders on machines with no CJK font.
Noto fonts are under the SIL Open Font License 1.1 (resources/fonts/OFL.txt).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parent.parent


def charset() -> set[int]:
    cps: set[int] = set(range(0x20, 0x7F)) | set(range(0xA0, 0x180))
    cps |= set(range(0x2000, 0x2070)) | set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
    cps |= set(range(0x2460, 0x24FF)) | set(range(0x2150, 0x218A))  # ①, Ⅲ
    for enc in ("gb2312", "big5"):
        for cp in range(0x2E80, 0xA000):
            try:
                chr(cp).encode(enc)
            except UnicodeEncodeError:
                continue
            cps.add(cp)
    sample = ROOT / "resources" / "sample" / "sip-yearbook-2021-zhuanji.txt"
    cps |= {ord(c) for c in sample.read_text(encoding="utf-8")}
    return cps


def add_format_12(face) -> None:  # type: ignore[no-untyped-def]
    """Add 32-bit cmap subtables: Qt misreads some characters from a large format 4 table."""
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    mapping = face.getBestCmap()
    table = face["cmap"]
    for platform, encoding in ((0, 4), (3, 10)):
        sub = CmapSubtable.newSubtable(12)
        sub.platformID, sub.platEncID, sub.language = platform, encoding, 0
        sub.cmap = dict(mapping)
        table.tables.append(sub)


def main() -> None:
    import noto_cjk_sans_otc

    ttc = Path(noto_cjk_sans_otc.__file__).parent / "NotoSansCJK-Regular.ttc"
    coll = TTCollection(str(ttc))
    face = next(f for f in coll.fonts
                if f["name"].getDebugName(1) == "Noto Sans CJK SC")
    options = subset.Options()  # the default layout features: no regional alternates
    options.name_IDs = ["*"]
    options.notdef_outline = True
    sub = subset.Subsetter(options)
    sub.populate(unicodes=charset())
    sub.subset(face)
    add_format_12(face)
    out = ROOT / "resources" / "fonts" / "NotoSansSC-Subset.otf"
    face.save(str(out))
    print(f"{out}: {out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    sys.exit(main())
