"""Read a text file of unknown encoding: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030
or Big5 (whichever reads as Chinese: Big5 bytes also decode as GB18030, into garbage).

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
        return _chinese_legacy(data, name, utf8_error.start)


# The most frequent characters of Chinese text, written alike in simplified and traditional
# script. Text decoded with the right legacy codec is made of them for a good part (a fifth
# or more of its Han characters); text decoded with the wrong one (Big5 bytes read as GB18030
# or the reverse) almost never contains them.
COMMON_HAN = set(
    "的一是在不了有和人中大为上我以要他时用生到作地于出就分对成可主年同工也能下子产种面"
    "而方后多定行学法所民得十三之进着等部度家力里如水化高自二理起小物现实加量都两体制机"
    "当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重"
    "新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者"
    "最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流"
    "路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据"
    "处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共"
    "权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完"
    "类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越"
    "织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史"
    "感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按"
    "格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞园区苏州"
)
# Below this share of common characters among its Han characters a decoding is garbage.
MIN_COMMON_SHARE = 0.12


def common_share(text: str) -> float:
    """The share of the most frequent Chinese characters among the text's Han characters."""
    han = [ch for ch in text[:200000] if "\u3400" <= ch <= "\u9fff"]
    if not han:
        return 0.0
    return sum(ch in COMMON_HAN for ch in han) / len(han)


def _chinese_legacy(data: bytes, name: object, utf8_bad: int) -> tuple[str, str]:
    """GB18030 (simplified) or Big5 (traditional): the decoding that reads as Chinese."""
    found: list[tuple[float, str, str]] = []
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        found.append((common_share(text), enc, text))
    if not found:
        raise InputError(name, f"cannot decode the text (not UTF-8: invalid byte at offset "
                               f"{utf8_bad}; not GB18030, Big5 or UTF-16 with BOM either)")
    share, enc, text = max(found)
    if share < MIN_COMMON_SHARE and any(ch.isalpha() and not ch.isascii() for ch in text[:2000]):
        raise InputError(name, f"the text decodes as {enc} but does not read as Chinese "
                               "(unknown encoding): save it as UTF-8")
    return _check_text(text, name), enc


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


def volume_checksum(text: str) -> str:
    """A volume's identity: the same text with other line endings or trailing spaces is the same.

    Line endings become ``\\n``, spaces at line ends and blank lines at the end are ignored,
    and a byte-order mark is not part of the text.
    """
    import hashlib

    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    canonical = "\n".join(line.rstrip() for line in text.split("\n")).rstrip("\n")
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
