"""A 大事记 section that is not laid out as a chronology is read as articles.

Layout facts: a chronology is month headings (``3月``) and entries that start with a day
(``5日``, ``12—14日``) or ``△``, each a line or a few; a section written as articles is titles,
paragraphs, captions, tables and signatures, whatever its name. Read with the chronology's
rules, such a section became one undated event of the whole section (tens of thousands of
characters). The generator writes the same volume with a section named 大事记; its manifest
is the oracle.
"""

from __future__ import annotations

import pytest

from sipviewer.ingest.accounting import accounting_problems
from sipviewer.ingest.assemble import chronicle_reader
from sipviewer.ingest.chronicle import MAX_MEAN_ENTRY, reads_as_chronicle
from sipviewer.ingest.exactness import score
from sipviewer.ingest.layout import split_pages
from sipviewer.ingest.parser import parse_text
from sipviewer.ingest.synthetic import generate_volume
from sipviewer.ingest.synthetic_chronicle import generate_chronicle

pytestmark = pytest.mark.skipif(chronicle_reader() is None,
                                reason="the chronicle reader is not installed yet")

NAMES = ["专记", "大事记", "特载"]


@pytest.mark.parametrize(("seed", "title_page"), [(301, 0), (302, 1), (303, 2), (304, 0)])
def test_a_dashiji_written_as_articles_comes_back_as_its_articles(seed, title_page):
    vol = generate_volume(seed, target_chars=40000, section_names=NAMES,
                          title_page_articles=title_page)
    doc = parse_text(vol.text, f"seed-{seed}")
    result = score(vol, doc, f"seed {seed}")
    assert result.misses == []
    assert result.total_exact == result.total and result.lost_chars == 0
    assert [s.title for s in doc.sections] == NAMES
    section = doc.sections[1]
    assert section.events == ()
    assert [a.title for a in section.articles] == [a.title for a in vol.sections[1].articles]
    first_page = vol.sections[1].articles[0].pages[0]
    assert [(u.page, u.text) for u in doc.uncertain if u.kind == "section"] == [
        (first_page, "大事记")]


def test_a_real_chronology_beside_it_is_still_read_as_events():
    vol = generate_volume(305, target_chars=40000, section_names=NAMES, edition_year=2021)
    pages = len(split_pages(vol.text.rstrip("\n")))
    chron = generate_chronicle(306, year=2020, first_page=pages + 1)
    text = vol.text.rstrip("\n") + "\n" + chron.text
    doc = parse_text(text, "two-dashiji")
    assert [s.title for s in doc.sections] == [*NAMES, "大事记"]
    assert doc.sections[1].events == () and len(doc.sections[1].articles) == 5
    got = [(e.date_start, e.date_end, e.text, e.page) for e in doc.sections[3].events]
    assert got == [(e.date_start, e.date_end, e.text, e.page) for e in chron.events]
    assert accounting_problems(doc, text) == []
    # no event is anything like a section's worth of text
    assert max(len(e.text) for s in doc.sections for e in s.events) < MAX_MEAN_ENTRY


def test_the_layout_rule_on_chronologies_and_on_articles():
    for seed in range(310, 330):
        lines = generate_chronicle(seed).text.split("\n")
        assert reads_as_chronicle(lines), seed
    prose = [ln for ln in generate_volume(331, target_chars=20000).text.split("\n")]
    assert not reads_as_chronicle(prose)
    # a month and a dated line that happen to stand in prose do not make it a chronology
    assert not reads_as_chronicle(["3月", "5日 园区召开工作会议。", *prose])
    assert not reads_as_chronicle([])
