"""Search figures on the 30-volume generated archive (run parse_import.py first, or this
builds it): ~200 queries timed through the index, a plain in-memory scan and SQLite FTS5.

    python bench/search.py

Targets (issue): search p95 ≤ 0.5 × the scan's p95 and max ≤ 30 ms; snippets ≤ 5 ms more;
index build ≤ 15 s; index ≤ 1 × the UTF-8 text; RSS ≤ 400 MB; open to first query ≤ 0.5 s;
a photo edit searchable ≤ 1 s after saving.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import time

from common import OUT, ROOT, Timer, pct, rss_mb, summary, volumes

from sipviewer.core.archive import Archive
from sipviewer.search.index import Filters
from sipviewer.search.normalize import normalize
from sipviewer.search.query import parse_query


def build_archive():  # type: ignore[no-untyped-def]
    target = OUT / "archive-bench"
    if not (target / "archive.sqlite").exists():
        arc = Archive.open(target)
        for p in volumes(30):
            arc.import_files([p])
        arc.close()
    return target


def make_queries(store: dict, seed: int = 7) -> list[tuple[str, Filters]]:
    rng = random.Random(seed)
    recs = sorted(store.values(), key=lambda r: r.rid)
    texts = [r.norm_text.replace("\n", "") for r in recs]

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


def scan(records: list, query: str, f: Filters) -> list[str]:
    """The baseline: a plain substring scan over the normalised texts in memory."""
    terms = [normalize(t) for t in query.split()]
    out = []
    for r in records:
        if f.kinds and r.kind not in f.kinds:
            continue
        if f.departments and not set(r.depts) & set(f.departments):
            continue
        if (f.date_from or f.date_to) and not (r.start and r.end and r.start <= f.date_to
                                               and r.end >= f.date_from):
            continue
        text = r.norm_text
        if all(t in text for t in terms):
            out.append(r.rid)
    return out


def fts5(records: list, queries: list[tuple[str, Filters]]) -> tuple[float, list[float], int]:
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE t USING fts5(rid UNINDEXED, body, tokenize='trigram')")
    with Timer() as tb:
        con.executemany("INSERT INTO t VALUES (?, ?)", [(r.rid, r.norm_text) for r in records])
        con.commit()
    pages = con.execute("PRAGMA page_count").fetchone()[0] * con.execute(
        "PRAGMA page_size").fetchone()[0]
    times = []
    for q, _ in queries:
        terms = [normalize(t) for t in q.split()]
        where, args = [], []
        for t in terms:
            if len(t) >= 3:
                where.append("t MATCH ?")
                args.append('"' + t.replace('"', '""') + '"')
            else:
                where.append("instr(body, ?) > 0")
                args.append(t)
        sql = " AND ".join(where)
        start = time.perf_counter()
        con.execute(f"SELECT count(*) FROM t WHERE {sql}", args).fetchone()
        con.execute(f"SELECT rid FROM t WHERE {sql} LIMIT 20", args).fetchall()
        times.append((time.perf_counter() - start) * 1000)
    return tb.seconds, times, pages


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="skip the rebuild and FTS5 figures")
    args = ap.parse_args()
    target = build_archive()
    # a fresh process as a user's: import, open, first query; then the whole query mix and
    # the memory it takes (texts loaded, caches filled)
    code = ("import time, resource, sys; t0=time.perf_counter()\n"
            "from sipviewer.core.archive import Archive\n"
            "from sipviewer.search.query import parse_query\n"
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
    records = list(arc.index.store.values())
    text_bytes = sum(len(r.norm_text.encode("utf-8")) for r in records)
    chars = sum(len(r.norm_text) for r in records)
    print(f"archive: {len(records)} records, {chars / 1e6:.1f} M characters "
          f"({text_bytes / 1e6:.0f} MB UTF-8)")
    print(f"new process: imports {imports} s, open the archive and index + first query "
          f"{first} s; RSS after the query mix with all texts loaded {rss} MB")

    if not args.quick:
        with Timer() as t_build:
            arc.rebuild_index()
        print(f"full index build (records from the database + index): {t_build.seconds:.1f} s")
    sizes = arc.index.size_bytes()
    print(f"index {sizes['whoosh'] / 1e6:.0f} MB = {sizes['whoosh'] / text_bytes:.2f}× the "
          f"text; stored normalised texts {sizes['store'] / 1e6:.0f} MB")

    queries = make_queries(arc.index.store)
    aliases = arc.dept_aliases()
    for q, f in queries[:20]:  # warm the interpreter, not the caches of these queries
        arc.index.search(parse_query(q + "甲"), f, 20, aliases)
    search_ms, snippet_ms, scan_ms = [], [], []
    mismatches = 0
    for q, f in queries:
        parsed = parse_query(q)
        start = time.perf_counter()
        out = arc.index.search(parsed, f, 20, aliases)
        search_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        arc.describe_hits(out.hits, list(out.terms))
        snippet_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        expected = scan(records, q, f)
        scan_ms.append((time.perf_counter() - start) * 1000)
        if out.total != len(expected):
            mismatches += 1
    slowest = sorted(zip(search_ms, queries), key=lambda x: -x[0])[:5]
    print("slowest: " + "; ".join(f"{q!r} {f.kinds or ''}{f.departments or ''} {ms:.0f} ms"
                                   for ms, (q, f) in slowest))
    print(f"{len(queries)} queries, top 20 + exact total + facets:")
    print(f"  index  {summary(search_ms)}")
    print(f"  scan   {summary(scan_ms)}")
    print(f"  snippets for the 20 visible hits: {summary(snippet_ms)}")
    ratio = pct(search_ms, 0.95) / pct(scan_ms, 0.95)
    print(f"  index p95 / scan p95 = {ratio:.2f} (target ≤ 0.5); totals differing from the "
          f"scan: {mismatches}")
    if args.quick:
        arc.close()
        return
    fts_build, fts_ms, fts_bytes = fts5(records, queries)
    print(f"  FTS5 trigram (+instr for 1–2 chars): build {fts_build:.1f} s, "
          f"{fts_bytes / text_bytes:.1f}× the text, {summary(fts_ms)}; "
          f"index p95 / FTS5 p95 = {pct(search_ms, 0.95) / pct(fts_ms, 0.95):.2f}")
    pid = arc.photo_ids()[0]
    start = time.perf_counter()
    arc.update_photo(pid, caption="编辑测试独一无二的说明文字")
    found = arc.search("独一无二的说明").total
    print(f"photo edit saved and searchable: {(time.perf_counter() - start) * 1000:.0f} ms "
          f"(found {found})")
    arc.update_photo(pid, caption="编辑测试的说明")
    print(f"(peak RSS of this benchmark process, with the scan and FTS5 copies: "
          f"{rss_mb():.0f} MB)")
    arc.close()


if __name__ == "__main__":
    main()
