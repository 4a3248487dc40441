"""Known departments, suppliers and newspapers with their aliases.

Filters work on canonical names; any alias (the full official name, a short form) finds
the same records. Unknown names are added to the archive as they appear.
"""

from __future__ import annotations

import re

# canonical name: (kind, aliases)
KNOWN: dict[str, tuple[str, tuple[str, ...]]] = {
    "园区经发委": ("department", ("苏州工业园区经济发展委员会", "园区经济发展委员会", "经发委")),
    "园区合作发展局": ("department", ("苏州工业园区合作发展局",)),
    "园区新冠肺炎疫情防控指挥部办公室": (
        "department", ("苏州工业园区新冠肺炎疫情防控指挥部办公室", "园区疫情防控指挥部办公室")),
    "园区科技局": ("department", ("苏州工业园区科技和信息化局", "园区科技和信息化局")),
    "园区社会事业局": ("department", ("苏州工业园区社会事业局",)),
    "园区规建委": ("department", ("苏州工业园区规划建设委员会", "园区规划建设委员会")),
    "园区商务局": ("department", ("苏州工业园区商务局",)),
    "园区国土环保局": ("department", ("苏州工业园区国土环保局",)),
    "园区党政办": ("department", ("苏州工业园区党政办公室", "园区党政办公室")),
    "园区教育局": ("department", ("苏州工业园区教育局",)),
    "园区文体旅局": ("department", ("苏州工业园区文体旅游局", "园区文体旅游局")),
    "园区新闻中心": ("supplier", ("苏州工业园区新闻中心",)),
    "园区档案管理中心": ("supplier", ("苏州工业园区档案管理中心", "园区档案馆")),
    "园区融媒体中心": ("supplier", ("苏州工业园区融媒体中心",)),
    "园区宣传部": ("supplier", ("苏州工业园区党工委宣传部",)),
    "园区摄影家协会": ("supplier", ("苏州工业园区摄影家协会",)),
    "深圳特区报": ("newspaper", ("《深圳特区报》",)),
}

_SPACES = re.compile(r"\s+")


def clean_name(name: str) -> str:
    return _SPACES.sub("", name).strip("《》")


def canonical(name: str) -> str:
    """The canonical form of a department name (itself when unknown)."""
    name = clean_name(name)
    if name in KNOWN:
        return name
    for canon, (_, aliases) in KNOWN.items():
        if name in (clean_name(a) for a in aliases):
            return canon
    if name.startswith("苏州工业园区") and "园区" + name[6:] in KNOWN:
        return "园区" + name[6:]
    return name
