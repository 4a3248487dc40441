"""What a record's searchable text is: the one definition the index and the snippets share.

A record (article, photo, table) is searched as a title and body pieces, each piece apart.
The index normalises exactly these (`sipviewer.search.records.make_record`); a search hit's
snippet is cut from exactly these (`SearchText.snippet_parts`). The storage layer reads the
columns and hands them to these functions, for the index and for hits alike, so the two can
never drift apart (a test compares them on every record).
"""

from collections.abc import Iterable
from typing import Any, NamedTuple


class SearchText(NamedTuple):
    kind: str  # article | photo | table | event
    title: str
    body: tuple[str, ...]

    @property
    def snippet_parts(self) -> tuple[str, ...]:
        """The texts a snippet may come from, in order of preference: a photo is its caption
        first; an article or table its body first (a match in the title shows there)."""
        if self.kind == "photo":
            return (self.title, *self.body)
        return (*self.body, self.title)


def article_text(title: str, paragraphs: Iterable[str], attribution: str | None,
                 source_note: str | None) -> SearchText:
    return SearchText("article", title, (*paragraphs, attribution or "", source_note or ""))


def photo_text(caption: str, credit: str | None, tags: Iterable[str],
               notes: str | None) -> SearchText:
    return SearchText("photo", caption, (credit or "", *sorted(tags), notes or ""))


def table_text(title: str, columns: Iterable[str], cells: Iterable[str],
               attribution: str | None) -> SearchText:
    """``cells`` in reading order (row by row, column by column)."""
    return SearchText("table", title, (*columns, *cells, attribution or ""))


def event_text(text: str) -> SearchText:
    """A 大事记 entry is searched as its text, a body with no title: an entry can be long (a
    section read without dates is one), and titles are indexed twice (for ``title:``)."""
    return SearchText("event", "", (text,))


def parsed_texts(sections: Iterable[Any]) -> list[SearchText]:
    """The texts of parsed sections' records, kind by kind (articles, photos, tables,
    events), each kind in the order of the text: the order an import writes them and the
    database gives them back for indexing."""
    kinds: dict[str, list[SearchText]] = {"article": [], "photo": [], "table": [], "event": []}
    for sec in sections:
        for art in sec.articles:
            kinds["article"].append(article_text(art.title, art.paragraphs, art.attribution,
                                                 art.source_note))
            kinds["photo"] += [photo_text(ph.caption, ph.credit, (), None) for ph in art.photos]
            kinds["table"] += [table_text(tb.title, tb.columns,
                                          [c for row in tb.rows for c in row], tb.attribution)
                               for tb in art.tables]
        kinds["event"] += [event_text(ev.text) for ev in sec.events]
    return [text for texts in kinds.values() for text in texts]
