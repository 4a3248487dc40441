"""Search figures on the generated archive (made by parse_import.py, or built here): the
index rebuild beside SQLite FTS5's trigram build of the same text, and ~200 queries through
`Archive.search` (top 20 with snippets, exact total, facets) beside a tight plain scan of the
same normalised text in memory and tantivy (a Rust engine; a bench-only extra, skipped when
not installed) answering the same queries with n-grams plus a verify step. Every total is
checked against the scan's count of what the product promises: the literal matches, plus for
a query of Latin letters the records found by pinyin (counted by a plain scan, untimed).

    python bench/search.py [--volumes N] [--quick]
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence

from common import OUT, ROOT, Timer, figure, pct, rss_mb, summary, volumes

from sipviewer.core.archive import Archive
from sipviewer.core.paths import sample_path
from sipviewer.search.index import Filters
from sipviewer.search.normalize import normalize
from sipviewer.search.pinyin import pinyin_query, readings


def build_archive(n: int = 30):  # type: ignore[no-untyped-def]
    """The sample and ``n`` generated volumes: parse_import.py's archive when it holds as
    many, else one of this script's own (kept per count, so 6 and 30 do not overwrite)."""
    for target in (OUT / "archive-bench", OUT / f"archive-search-{n}"):
        if (target / "archive.sqlite").exists():
            with Archive.open(target) as arc:
                if len(arc.volumes()) == n + 1:
                    return target
    target = OUT / f"archive-search-{n}"
    shutil.rmtree(target, ignore_errors=True)
    with Archive.open(target) as arc:
        arc.import_files([sample_path()], title="苏州工业园区年鉴", year=2021)
        arc.import_files(volumes(n))
    return target


def make_queries(store: dict, seed: int = 7) -> list[tuple[str, Filters]]:
    rng = random.Random(seed)
    recs = sorted(store.values(), key=lambda r: r.rid)
    texts = _Flat(recs)  # (a copy of every text would stay in the measured process's heap)

    def sub(n: int) -> str:
        t = rng.choice(texts)
        i = rng.randrange(max(1, len(t) - n))
        return t[i:i + n]

    qs: list[str] = []
    qs += [sub(1) for _ in range(40)]
    qs += [sub(2) for _ in range(40)]
    qs += [sub(4) for _ in range(35)]
    qs += [sub(rng.randint(6, 10)) for _ in range(30)]
    qs += ["2020", "24", "6.5", "100%", "5万", "49项", "1.5万", "2019年", "30%", "113.39"]
    qs += ["biobay", "n95", "kn95", "pm2.5", "sgs", "pct", "bmw", "ye", "b村", "5g"]
    qs += [f"{sub(2)} {sub(3)}" for _ in range(15)]
    rare = []
    for r in rng.sample(recs, 10):  # a string found in only a few records
        t = r.norm_text.replace("\n", "")
        i = rng.randrange(max(1, len(t) - 12))
        rare.append(t[i:i + 12])
    qs += rare
    qs += ["不存在的字符串甲乙", "量子纠缠计算", "zzqx", "火星基地", "乙丙丁戊己",
           "无此词条目", "蓝鲸", "冰川融化速度", "qwerty", "量子隧穿"]
    filters = [Filters(), Filters(kinds=("photo",)), Filters(departments=("园区新闻中心",)),
               Filters(date_from=__import__("datetime").date(2005, 1, 1),
                       date_to=__import__("datetime").date(2010, 12, 31)),
               Filters(kinds=("article",), departments=("园区经发委",))]
    out = []
    for k, q in enumerate(qs):
        out.append((q, filters[k % len(filters)] if k % 3 == 0 else Filters()))
    return out


class _Flat(Sequence):  # type: ignore[type-arg]
    """Each record's text without its separators, made when picked (`random.choice` reads
    only the length and the item it picks: the same queries as from a list)."""

    def __init__(self, recs: list) -> None:  # type: ignore[type-arg]
        self.recs = recs

    def __len__(self) -> int:
        return len(self.recs)

    def __getitem__(self, i):  # type: ignore[no-untyped-def, override]
        return self.recs[i].norm_text.replace("\n", "")


class Scan:
    """The anchor: a tight plain substring scan over the normalised texts in memory (the
    same answer the index must give: every term a substring, filters applied)."""

    def __init__(self, records: list) -> None:  # type: ignore[type-arg]
        self.records = records
        self.texts = [r.norm_text for r in records]
        self._readings: dict[str, list[tuple[tuple[str, ...], ...]]] = {}

    def pool(self, f: Filters) -> list[str]:
        if f.is_empty:
            return self.texts
        out = []
        for r in self.records:
            if f.kinds and r.kind not in f.kinds:
                continue
            if f.departments and not set(r.depts) & set(f.departments):
                continue
            if (f.date_from or f.date_to) and not (r.start and r.end and r.start <= f.date_to
                                                   and r.end >= f.date_from):
                continue
            out.append(r.norm_text)
        return out

    def count(self, query: str, f: Filters) -> int:
        terms = [normalize(t) for t in query.split()]
        texts = self.pool(f)
        if len(terms) == 1:
            term = terms[0]
            return sum(1 for text in texts if term in text)
        return sum(1 for text in texts if all(t in text for t in terms))

    def promised(self, query: str, f: Filters) -> tuple[int, int]:
        """(every record the product promises for the query, those only pinyin finds): the
        literal matches, and for a query of Latin letters also the records whose title,
        departments or photo credit, tags and notes it spells in pinyin (`search.pinyin`:
        each character a syllable or its initial, zh/ch/sh also two letters, the last any
        beginning of a syllable), every text on its own. Not timed: the anchor is `count`."""
        terms = [normalize(t) for t in query.split()]
        letters = pinyin_query("".join(terms))
        extra = 0
        for r in self.records:
            if not _allowed(r, f) or all(t in r.norm_text for t in terms):
                continue
            if letters is not None and any(_spells_somewhere(chars, letters)
                                           for chars in self.pinyin_texts(r)):
                extra += 1
        return self.count(query, f) + extra, extra

    def pinyin_texts(self, r) -> list[tuple[tuple[str, ...], ...]]:  # type: ignore[no-untyped-def]
        found = self._readings.get(r.rid)
        if found is None:
            extra = r.norm_text.split("\n")[1:] if r.kind == "photo" else []
            found = self._readings[r.rid] = [readings(t) for t in (r.norm_title, *r.depts, *extra)
                                             if t]
        return found


def _spells(chars: tuple[tuple[str, ...], ...], i: int, letters: str) -> bool:
    if i >= len(chars):
        return False
    for r in chars[i]:
        if r.startswith(letters):
            return True
        for typed in {r, r[0], r[:2] if r[:2] in ("zh", "ch", "sh") else r}:
            if len(typed) < len(letters) and letters.startswith(typed) \
                    and _spells(chars, i + 1, letters[len(typed):]):
                return True
    return False


def _spells_somewhere(chars: tuple[tuple[str, ...], ...], letters: str) -> bool:
    return any(_spells(chars, i, letters) for i in range(len(chars)))


class Tantivy:
    """tantivy with 1–2 character n-grams: a term of one or two characters is one posting
    list; a longer term the AND of its pairs, each candidate then checked against its text;
    BM25 ranks; filters applied to the candidates. Exact totals, like ours."""

    def __init__(self, records: list) -> None:  # type: ignore[type-arg]
        import tantivy

        self.tantivy = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_integer_field("doc", stored=True, indexed=False)
        builder.add_text_field("body", stored=False, tokenizer_name="ngram12",
                               index_option="freq")
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema)
        self.index.register_tokenizer("ngram12", tantivy.TextAnalyzerBuilder(
            tantivy.Tokenizer.ngram(min_gram=1, max_gram=2, prefix_only=False)).build())
        self.records = records
        with Timer() as t:
            writer = self.index.writer(heap_size=200_000_000, num_threads=1)
            for k, r in enumerate(records):
                doc = tantivy.Document(doc=k)
                for part in r.norm_text.split("\n"):  # values apart: no pair spans two
                    doc.add_text("body", part)
                writer.add_document(doc)
            writer.commit()
            writer.wait_merging_threads()
        self.build_seconds = t.seconds
        self.index.reload()
        self.searcher = self.index.searcher()
        # document address → record, read once (the stored field per hit is slow to fetch)
        everything = self.searcher.search(tantivy.Query.all_query(), limit=len(records))
        self.record_of = {(a.segment_ord, a.doc): self.searcher.doc(a)["doc"][0]
                          for _, a in everything.hits}

    def _term_query(self, text: str):  # type: ignore[no-untyped-def]
        t = self.tantivy
        if len(text) <= 2:
            return t.Query.term_query(self.schema, "body", text)
        pairs = sorted({text[i:i + 2] for i in range(len(text) - 1)})
        return t.Query.boolean_query([(t.Occur.Must, t.Query.term_query(self.schema, "body", p))
                                      for p in pairs])

    def search(self, query: str, f: Filters) -> int:
        terms = [normalize(t) for t in query.split()]
        recs = self.records
        hits: dict[int, float] | None = None
        for term in terms:
            found: dict[int, float] = {}
            result = self.searcher.search(self._term_query(term), limit=max(1, len(recs)))
            record_of = self.record_of
            for score, address in result.hits:
                k = record_of[address.segment_ord, address.doc]
                if len(term) <= 2 or term in recs[k].norm_text:
                    found[k] = max(score, found.get(k, 0.0))
            hits = found if hits is None else {k: v + found[k] for k, v in hits.items()
                                               if k in found}
        assert hits is not None
        if not f.is_empty:
            hits = {k: v for k, v in hits.items() if _allowed(recs[k], f)}
        top = sorted(hits.items(), key=lambda kv: -kv[1])[:20]
        del top
        return len(hits)


def _allowed(r, f: Filters) -> bool:  # type: ignore[no-untyped-def]
    if f.kinds and r.kind not in f.kinds:
        return False
    if f.departments and not set(r.depts) & set(f.departments):
        return False
    return not ((f.date_from or f.date_to) and not (r.start and r.end and r.start <= f.date_to
                                                     and r.end >= f.date_from))


def fts5_build(records: list) -> float:  # type: ignore[type-arg]
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE t USING fts5(rid UNINDEXED, body, tokenize='trigram')")
    with Timer() as tb:
        con.executemany("INSERT INTO t VALUES (?, ?)", [(r.rid, r.norm_text) for r in records])
        con.commit()
    con.close()
    return tb.seconds


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--volumes", type=int, default=30)
    ap.add_argument("--quick", action="store_true", help="skip the rebuild and tantivy")
    args = ap.parse_args()
    target = build_archive(args.volumes)
    # a fresh process as a user's: import, open, first query; then the whole query mix and
    # the memory it takes (texts loaded, caches filled)
    code = ("import time, resource, sys; t0=time.perf_counter()\n"
            "from sipviewer.core.archive import Archive\n"
            "t1=time.perf_counter()\n"
            f"a=Archive.open({str(target)!r}); a.search('园区')\n"
            "t2=time.perf_counter()\n"
            "for q in sys.stdin.read().split('\\n'):\n"
            "    a.search(q)\n"
            "a.index.store.texts()\n"
            "print(round(t1-t0, 2), round(t2-t1, 2), "
            "round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024))")
    probe = Archive.open(target)
    mix = "\n".join(q for q, _ in make_queries(probe.index.store))
    probe.close()
    fresh = subprocess.run([sys.executable, "-c", code], input=mix, capture_output=True,
                           text=True, cwd=ROOT).stdout.split()
    imports, first, rss = fresh if len(fresh) == 3 else ("?", "?", "?")
    arc = Archive.open(target)
    records = sorted(arc.index.store.values(), key=lambda r: r.rid)
    text_bytes = sum(len(r.norm_text.encode("utf-8")) for r in records)
    chars = sum(len(r.norm_text) for r in records)
    print(f"archive: {len(records)} records, {chars / 1e6:.1f} M characters "
          f"({text_bytes / 1e6:.0f} MB UTF-8)")
    print(f"new process (no viewer): imports {imports} s, open the archive and index + first "
          f"query {first} s; RSS after the query mix with all texts loaded {rss} MB")

    if not args.quick:
        with Timer() as t_build:
            arc.rebuild_index()
        fts = fts5_build(records)
        figure("index rebuild (records from the database + index)", t_build.seconds, "s", fts,
               "FTS5 trigram build", "≤ 1.5×")
    sizes = arc.index.size_bytes()
    print(f"index {sizes['whoosh'] / 1e6:.0f} MB = {sizes['whoosh'] / text_bytes:.2f}× the "
          f"text in {len(arc.index.segmap)} segments (each posting list is read from every "
          f"one); stored normalised texts {sizes['store'] / 1e6:.0f} MB")

    queries = make_queries(arc.index.store)
    scanner = Scan(records)
    engine = None
    if not args.quick:
        try:
            engine = Tantivy(records)
            print(f"tantivy (1–2-grams, one thread) built in {engine.build_seconds:.1f} s")
        except ImportError:
            print("tantivy not installed (pip install tantivy): its figures are skipped")
    for q, f in queries[:20]:  # warm the interpreter, not the caches of these queries
        arc.search(q + "甲", f)
    # the pinyin table is made once per state of the index, as the kiosk does right after
    # opening (its own figure here, not one of the queries')
    with Timer() as t_pinyin:
        arc.search("qh", limit=1)
    print(f"pinyin table made (with the query qh) in {t_pinyin.seconds * 1000:.0f} ms")
    search_ms, scan_ms, tantivy_ms = [], [], []
    mismatches = tantivy_mismatches = with_pinyin = 0
    for q, f in queries:
        start = time.perf_counter()
        out = arc.search(q, f, limit=20)
        search_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        literal = scanner.count(q, f)
        scan_ms.append((time.perf_counter() - start) * 1000)
        promised, by_pinyin = scanner.promised(q, f)
        with_pinyin += by_pinyin > 0
        if out.total != promised:
            mismatches += 1
            print(f"  total differs: {q!r} ours {out.total}, scan {promised} "
                  f"({by_pinyin} by pinyin)")
        if engine is not None:
            start = time.perf_counter()
            got = engine.search(q, f)
            tantivy_ms.append((time.perf_counter() - start) * 1000)
            tantivy_mismatches += got != literal  # tantivy matches literally only
    slowest = sorted(zip(search_ms, queries), key=lambda x: -x[0])[:5]
    print("slowest: " + "; ".join(f"{q!r} {f.kinds or ''}{f.departments or ''} {ms:.0f} ms"
                                   for ms, (q, f) in slowest))
    print(f"{len(queries)} queries through Archive.search (top 20 with snippets, exact total, "
          "facets):")
    print(f"  ours     {summary(search_ms)}")
    print(f"  scan     {summary(scan_ms)}")
    if tantivy_ms:
        print(f"  tantivy  {summary(tantivy_ms)}  (literal totals differing from the scan's: "
              f"{tantivy_mismatches})")
    print(f"  ({with_pinyin} queries of Latin letters also find records by pinyin; the scan "
          "counts those too, untimed)")
    figure("search p95", pct(search_ms, 0.95), "ms", pct(scan_ms, 0.95), "tight scan p95",
           "≤ 0.35×")
    figure("search max", max(search_ms), "ms", max(scan_ms), "tight scan max", "≤ 0.7×")
    if tantivy_ms:
        figure("tantivy p95 (the bar to beat)", pct(tantivy_ms, 0.95), "ms",
               pct(scan_ms, 0.95), "tight scan p95", "ours ≤ tantivy")
        figure("search p95 vs tantivy", pct(search_ms, 0.95), "ms", pct(tantivy_ms, 0.95),
               "tantivy p95", "(report)")
    figure("benchmark queries whose total differs from the scan (literal + pinyin)", mismatches,
           "", None, None, "0")
    pid = arc.photo_ids()[0]
    start = time.perf_counter()
    arc.update_photo(pid, caption="编辑测试独一无二的说明文字")
    found = arc.search("独一无二的说明").total
    elapsed = time.perf_counter() - start
    figure(f"photo edit saved and searchable (found {found})", elapsed * 1000, "ms", None, None,
           "≤ 1000 ms")
    arc.update_photo(pid, caption="编辑测试的说明")
    print(f"(peak RSS of this benchmark process, with the scan and tantivy copies: "
          f"{rss_mb():.0f} MB)")
    arc.close()


if __name__ == "__main__":
    main()
