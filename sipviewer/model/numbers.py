"""Numbers in table cells: ``72.40%`` → 72.40 %, ``113.39`` → 113.39, ``30—32`` → 30..32."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = re.compile(
    r"^(?P<a>[-+]?\d+(?:,\d{3})*(?:\.\d+)?)(?:\s*[—–~\-～至]\s*(?P<b>\d+(?:\.\d+)?))?"
    r"\s*(?P<unit>(?:%|‰)?[\u4e00-\u9fff]{0,4})$"
)


@dataclass(frozen=True)
class CellNumber:
    value: float
    upper: float | None
    unit: str | None


def parse_cell_number(text: str) -> CellNumber | None:
    """The number a cell prints, or None for text cells (``完成``, ``高于地区生产总值增幅``)."""
    m = _NUMBER.match(text.strip())
    if not m:
        return None
    value = float(m.group("a").replace(",", ""))
    upper = float(m.group("b")) if m.group("b") else None
    return CellNumber(value, upper, m.group("unit") or None)
