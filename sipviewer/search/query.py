"""The query language: substring terms, AND by default, ``OR``, ``-term``, quotes, fields.

``园区 经济``        both substrings
``"园区 经济"``      the phrase (whitespace is ignored, so: the substring 园区经济)
``园区 OR 新区``     either
``-疫情``            not containing
``title:自贸``       in the title (article title, photo caption, table title)
``caption:体温``     in a photo caption
``dept:经发委``      credited to / signed by a department whose name or alias contains it
``tag:防疫``         a photo with a tag containing it (resolved by the archive's catalogue)

Every term is normalised like the indexed text. A malformed query raises `QueryError` with
a message for the user; it never raises anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sipviewer.model.errors import QueryError
from sipviewer.search.normalize import normalize

FIELDS = ("title", "caption", "dept", "tag")
MAX_QUERY = 500
_TOKEN = re.compile(r'(-?)(?:(\w+):)?("([^"]*)"|"([^"]*)$|(\S+))')


@dataclass(frozen=True)
class Term:
    text: str  # normalised
    field: str | None = None  # None = anywhere; title | caption | dept | tag
    negated: bool = False


@dataclass(frozen=True)
class Query:
    """A conjunction of clauses; each clause is a disjunction of terms."""

    clauses: tuple[tuple[Term, ...], ...] = field(default_factory=tuple)
    negations: tuple[Term, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.clauses and not self.negations

    def highlight_terms(self) -> list[str]:
        """Normalised texts to mark in snippets and the reader (positive, non-dept terms)."""
        out = {t.text for clause in self.clauses for t in clause if t.field != "dept"}
        return sorted(out, key=len, reverse=True)


def check_text(text: str, what: str) -> None:
    """Refuse text that is not text: command-line bytes that are not UTF-8 arrive as lone
    surrogates (Python's surrogateescape) and could be neither matched nor printed."""
    bad = next((ch for ch in text if "\ud800" <= ch <= "\udfff"), None)
    if bad is not None:
        byte = ord(bad) - 0xDC00 if ord(bad) >= 0xDC80 else None
        shown = f" (byte 0x{byte:02X})" if byte is not None else ""
        raise QueryError(f"{what} is not valid UTF-8 text{shown}: type it again or check the "
                         "terminal's encoding")


def parse_query(text: str) -> Query:
    if len(text) > MAX_QUERY:
        raise QueryError(f"the query is too long ({len(text)} characters; at most {MAX_QUERY})")
    check_text(text, "the query")
    terms: list[Term | str] = []  # "OR" markers between terms
    for m in _TOKEN.finditer(text.strip()):
        neg, fname, _, quoted, open_quoted, bare = m.groups()
        raw = quoted if quoted is not None else open_quoted if open_quoted is not None else bare
        if bare is not None:  # a stray quote inside or after a word (园区") is no phrase
            raw = bare.replace('"', "")
        if fname is None and bare and bare.endswith(":") and bare[:-1].lower() in FIELDS:
            fname, raw = bare[:-1], ""
        if fname is None and not neg and raw == "OR" and quoted is None:
            terms.append("OR")
            continue
        if fname is not None and fname.lower() not in FIELDS:
            # not a field we know: the colon is part of the text (e.g. 时间:2020)
            raw = f"{fname}:{raw}"
            fname = None
        norm = normalize(raw)
        if fname is not None and not norm:
            raise QueryError(f"“{fname}:” needs a word after it, e.g. {fname}:园区")
        if not norm:
            continue
        terms.append(Term(norm, fname.lower() if fname else None, bool(neg)))
    clauses: list[list[Term]] = []
    negations: list[Term] = []
    join_next = False
    for item in terms:
        if item == "OR":
            join_next = bool(clauses)
            continue
        assert isinstance(item, Term)
        if item.negated:
            negations.append(item)
            join_next = False
        elif join_next and clauses:
            clauses[-1].append(item)
            join_next = False
        else:
            clauses.append([item])
    return Query(tuple(tuple(c) for c in clauses), tuple(negations))
