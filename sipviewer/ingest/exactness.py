"""How exactly a parse matches a generated volume's manifest (the oracle of the tests).

An article is exact when its title, attribution, source note, first and last page, section
and paragraphs are; a photo when its caption, credit and kind, dates and page are; a table
when its number, title, header, every cell, attribution and page are. Parsed articles are
paired with expected ones by title, in order; an unpaired article's photos and tables count
as wrong.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sipviewer.ingest.accounting import accounting_problems
from sipviewer.ingest.synthetic import ExpectedArticle, ExpectedPhoto, ExpectedTable, Volume
from sipviewer.model.textutil import non_space
from sipviewer.model.types import ParsedArticle, ParsedDocument, ParsedPhoto, ParsedTable


@dataclass
class Score:
    items: dict[str, int] = field(default_factory=lambda: {"article": 0, "photo": 0, "table": 0})
    exact: dict[str, int] = field(default_factory=lambda: {"article": 0, "photo": 0, "table": 0})
    lost_chars: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for k in self.items:
            self.items[k] += other.items[k]
            self.exact[k] += other.exact[k]
        self.lost_chars += other.lost_chars
        self.misses += other.misses

    @property
    def total(self) -> int:
        return sum(self.items.values())

    @property
    def total_exact(self) -> int:
        return sum(self.exact.values())


def article_facts(a: ExpectedArticle | ParsedArticle, section: str) -> tuple[Any, ...]:
    return (a.title, a.attribution, a.source_note, tuple(a.pages), section, tuple(a.paragraphs))


def photo_facts(p: ExpectedPhoto | ParsedPhoto) -> tuple[Any, ...]:
    return (p.caption, p.credit, p.credit_kind, p.date_start, p.date_end, p.date_precision, p.page)


def table_facts(t: ExpectedTable | ParsedTable) -> tuple[Any, ...]:
    return (t.number, t.title, tuple(t.columns), tuple(tuple(r) for r in t.rows), t.attribution,
            t.page)


def score(volume: Volume, doc: ParsedDocument, name: str = "") -> Score:
    out = Score()
    parsed = [(s.title, a) for s in doc.sections for a in s.articles]
    used: set[int] = set()
    start = 0
    for want in volume.articles:
        out.items["article"] += 1
        out.items["photo"] += len(want.photos)
        out.items["table"] += len(want.tables)
        k = next((j for j in range(start, len(parsed)) if j not in used
                  and parsed[j][1].title == want.title), None)
        if k is None:
            out.misses.append(f"{name}: article {want.title!r} not found")
            continue
        used.add(k)
        start = k + 1
        section, got = parsed[k]
        if article_facts(got, section) == article_facts(want, want.section):
            out.exact["article"] += 1
        else:
            out.misses.append(f"{name}: article {want.title!r}: {article_facts(want, want.section)[:5]}"
                              f" != {article_facts(got, section)[:5]}")
        for j, wp in enumerate(want.photos):
            gp = got.photos[j] if j < len(got.photos) else None
            if gp is not None and photo_facts(gp) == photo_facts(wp):
                out.exact["photo"] += 1
            else:
                out.misses.append(f"{name}: photo {photo_facts(wp)} != "
                                  f"{photo_facts(gp) if gp else None}")
        for j, wt in enumerate(want.tables):
            gt = got.tables[j] if j < len(got.tables) else None
            if gt is not None and table_facts(gt) == table_facts(wt):
                out.exact["table"] += 1
            else:
                out.misses.append(f"{name}: table {wt.number} {wt.title!r} p{wt.page} differs")
    problems = accounting_problems(doc, volume.text)
    given = Counter(non_space(volume.text.replace("\r", "")))
    booked = Counter(non_space("".join(e.text for e in doc.ledger)))
    out.lost_chars = sum((given - booked).values())
    out.misses += [f"{name}: {p}" for p in problems]
    return out
