"""The parser's uncertain decisions as a report, page by page (``parse --report``, the viewer)."""

from __future__ import annotations

from collections.abc import Iterable

from sipviewer.model.types import Uncertain


def uncertain_report(items: Iterable[Uncertain], name: str) -> str:
    """``name: N uncertain decisions``, then each page's decisions: ``[kind] text — decision``."""
    listed = sorted(items, key=lambda u: u.page)
    out = [f"{name}: {len(listed)} uncertain decision{'s' if len(listed) != 1 else ''}"]
    page = None
    for u in listed:
        if u.page != page:
            page = u.page
            out.append(f"page {page}")
        out.append(f"  [{u.kind}] {u.text} — {u.decision}")
    return "\n".join(out)
