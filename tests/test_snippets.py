"""Snippets and highlight positions: right in plain Chinese and where normalisation changes
lengths (spaces, full-width forms, expansions)."""

from __future__ import annotations

import random

import pytest

from sipviewer.search.normalize import normalize
from sipviewer.search.snippets import match_spans, snippet


def _marked(text, terms):
    return [text[s:e] for s, e in match_spans(text, [normalize(t) for t in terms])]


def test_positions_in_plain_chinese():
    assert _marked("苏州工业园区经济发展，园区", ["园区"]) == ["园区", "园区"]


def test_positions_when_normalisation_changes_lengths():
    text = "面积 33.3 ㎡，蘇州 工業園區 Ｎ９５ 口罩"
    assert _marked(text, ["苏州工业园区"]) == ["蘇州 工業園區"]
    assert _marked(text, ["n95"]) == ["Ｎ９５"]
    assert _marked(text, ["m2"]) == ["㎡"]
    assert _marked(text, ["33.3m2"]) == ["33.3 ㎡"]


def test_snippet_window_and_marks():
    body = "甲" * 100 + "经济发展" + "乙" * 100
    out = snippet(["无关", body], ["经济发展"], width=10)
    assert out.startswith("…") and out.endswith("…")
    assert "<mark>经济发展</mark>" in out and len(out) < 60
    assert snippet(["<b>不</b>"], ["不"]) == "&lt;b&gt;<mark>不</mark>&lt;/b&gt;"


def test_snippet_shows_the_place_with_the_most_terms():
    # 园区 alone early on, 园区 and 经济 together later: the snippet shows them together
    body = "园区" + "甲" * 100 + "园区的经济" + "乙" * 100
    out = snippet([body], ["园区", "经济"], width=10)
    assert "<mark>园区</mark>的<mark>经济</mark>" in out
    # a later part with both terms wins over an earlier part with one
    out = snippet(["只有园区", "园区经济都在"], ["园区", "经济"], width=10)
    assert out == "<mark>园区经济</mark>都在"  # adjacent matches are one mark
    # one term: the first match of the first part that has it, as before
    assert snippet(["无", "甲园区乙", "园区"], ["园区"], width=10) == "甲<mark>园区</mark>乙"


# -- against a plain scan: every part normalised whole, every position by itself ---------------
def _reference_spans(part: str, term: str) -> list[tuple[int, int]]:
    """Where ``term`` occurs in ``part``: normalise each character on its own and remember
    where each normalised character came from (the whole part at once when that changes
    nothing position by position)."""
    whole = normalize(part)
    if len(whole) == len(part) and not any(ch.isspace() for ch in part):
        norm, where = whole, list(range(len(part)))
    else:
        pairs = [(i, c) for i, ch in enumerate(part) for c in normalize(ch)]
        norm, where = "".join(c for _, c in pairs), [i for i, _ in pairs]
    covered = sorted({k for s in range(len(norm)) if norm.startswith(term, s)
                      for k in range(where[s], where[s + len(term) - 1] + 1)})
    spans: list[tuple[int, int]] = []
    for k in covered:  # runs of covered characters
        if spans and spans[-1][1] == k:
            spans[-1] = (spans[-1][0], k + 1)
        else:
            spans.append((k, k + 1))
    return spans


def _reference_snippet(parts: list[str], terms: list[str], width: int) -> str:
    import html

    wanted = [t for t in dict.fromkeys(terms) if t]
    counts = [sum(t in normalize(p) for t in wanted) for p in parts]
    most = max(counts, default=0)
    if most:
        part = parts[counts.index(most)]
        per_term = [_reference_spans(part, t) for t in wanted]
        spans = sorted({s for term_spans in per_term for s in term_spans})
        merged: list[tuple[int, int]] = []
        for s, e in spans:
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
        if merged:
            windows = []
            for s, e in merged:
                lo = max(0, s - width // 2)
                hi = min(len(part), max(e, lo + 2 * width))
                lo = max(0, min(lo, hi - 2 * width))
                windows.append((sum(any(a >= lo and b <= hi for a, b in term_spans)
                                    for term_spans in per_term), lo, hi))
            best = max(w[0] for w in windows)
            _, lo, hi = next(w for w in windows if w[0] == best)
            out, pos = [], lo
            for s, e in merged:
                s, e = max(s, lo), min(e, hi)
                if s < e:
                    out += [html.escape(part[pos:s]), "<mark>", html.escape(part[s:e]), "</mark>"]
                    pos = e
            out.append(html.escape(part[pos:hi]))
            return ("…" if lo else "") + "".join(out) + ("…" if hi < len(part) else "")
    first = next((p for p in parts if p), "")
    return html.escape(first[:2 * width]) + ("…" if len(first) > 2 * width else "")


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    from sipviewer.core.archive import Archive
    from sipviewer.ingest.synthetic import generate_volume
    from tests.conftest import SAMPLE

    root = tmp_path_factory.mktemp("snippets")
    vol = root / "vol.txt"
    vol.write_text(generate_volume(21, target_chars=40000, edition_year=2003).text,
                   encoding="utf-8")
    arc = Archive.open(root / "arc")
    arc.import_files([SAMPLE], title="苏州工业园区年鉴", year=2021)
    arc.import_files([vol])
    arc.index.store.texts()  # read, as the viewer's background preload does
    yield arc
    arc.close()


def _queries(arc) -> list[str]:
    rng = random.Random(5)
    texts = sorted(rec.norm_text.replace("\n", "") for rec in arc.index.store.values())
    out = ["园区", "苏州工业园区", "蘇州 工業園區", "Ｎ９５", "biobay", "2020年", "%", "园 区 经济",
           "经发委", "ye", "的"]
    for n in (1, 2, 3, 5, 8):
        for _ in range(12):
            t = rng.choice(texts)
            i = rng.randrange(max(1, len(t) - n))
            out.append(t[i:i + n])
    for _ in range(15):  # two or three terms
        t = rng.choice(texts)
        out.append(" ".join(t[i:i + 2] for i in sorted(rng.sample(range(max(3, len(t) - 2)), 2))))
    return [q for q in out if q.strip()]


def test_search_snippets_equal_a_plain_scan(archive):
    from sipviewer.search.query import parse_query

    checked = 0
    for q in _queries(archive):
        terms = parse_query(q).highlight_terms()
        res = archive.search(q, limit=20)
        sources = archive.reader.hit_sources(
            {p: [h.id for h in res.hits if h.rid[0] == p] for p in "apte"})
        for hit in res.hits:
            parts = list(sources[hit.rid].parts)
            assert hit.snippet == _reference_snippet(parts, terms, 36), (q, hit.rid)
            checked += 1
    assert checked > 800


def test_stored_forms_line_up_with_the_parts(archive):
    from sipviewer.search.snippets import stored_norms

    store = archive.index.store
    ids: dict[str, list[int]] = {"a": [], "p": [], "t": [], "e": []}
    for rid in store:
        ids[rid[0]].append(int(rid[2:]))
    sources = archive.reader.hit_sources(ids)
    assert len(sources) == len(store)
    for rid, src in sources.items():
        assert stored_norms(src.kind, src.parts, store[rid].norm_text) == \
            [normalize(p) for p in src.parts], rid


def test_snippets_of_an_older_state_fall_back_to_the_parts():
    # the normalised forms given do not hold the term: the parts themselves are read
    parts = ["甲乙丙", "园区经济"]
    assert snippet(parts, ["园区"], norms=["园区", "无关"]) == "<mark>园区</mark>经济"


def test_map_positions_equal_one_character_at_a_time():
    from sipviewer.search.normalize import normalize_with_map
    from tests.conftest import SAMPLE

    texts = [SAMPLE.read_text(encoding="utf-8")[:20000], "ﬁ ㎡ Ｎ９５\t蘇州\u3000a\u0301 ½ ﷺ"]
    for text in texts:
        pairs = [(i, c) for i, ch in enumerate(text) for c in normalize(ch)]
        assert normalize_with_map(text) == ("".join(c for _, c in pairs), [i for i, _ in pairs])


def test_a_term_ending_at_the_windows_edge_is_inside():
    # width 10: the window at the first match is characters 0–20, and 经济 ends at 20
    body = "园区" + "甲" * 16 + "经济" + "乙" * 50 + "园区经济" + "丙" * 50
    out = snippet([body], ["园区", "经济"], width=10)
    assert out == "<mark>园区</mark>" + "甲" * 16 + "<mark>经济</mark>…"
    assert out == _reference_snippet([body], ["园区", "经济"], 10)
