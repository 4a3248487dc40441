"""Pinyin search figures on the generated archive (the one bench/search.py builds): the time
to make the pinyin table once, and Latin-letter queries beside literal Chinese queries
(the anchor) in the same run.

    python bench/pinyin.py [VOLUMES]     # default 30

The table is made on the first pinyin query (or, in the kiosk, right after opening, on a
worker); after that a pinyin query adds its candidate check to the literal search.
"""

from __future__ import annotations

import sys
import time

from common import OUT, Timer, rss_mb, summary, volumes

from sipviewer.core.archive import Archive

PINYIN = ["qhcs", "szgyyq", "yuanqu", "zhongguo", "jjfz", "xinwen", "yq", "gongye", "jsxs",
          "shengchan", "qiye", "fazhan", "gg", "zx", "chuangxin"]
LITERAL = ["黔货出山", "苏州工业园区", "园区", "中国", "经济发展", "新闻", "园", "工业", "建设",
           "生产", "企业", "发展", "改革", "中心", "创新"]


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    target = OUT / f"archive-pinyin-{n}"
    if not (target / "archive.sqlite").exists():
        arc = Archive.open(target)
        for p in volumes(n):
            arc.import_files([p])
        arc.close()
    arc = Archive.open(target, read_only=True)
    index = arc.index
    records = len(index.store)
    index.store.texts()  # loaded as the viewer's background preload would
    with Timer() as build:
        arc.search("qh", limit=1)
    print(f"{n} volumes, {records} records; pinyin table made in {build.seconds * 1000:.0f} ms "
          f"(first pinyin query, includes the search itself); RSS {rss_mb():.0f} MB")
    for label, queries in (("literal (anchor)", LITERAL), ("pinyin", PINYIN)):
        times = []
        for _ in range(3):
            for q in queries:
                started = time.perf_counter()
                arc.search(q, limit=20)
                times.append((time.perf_counter() - started) * 1000)
        print(f"{label:17s} search: {summary(times)}")
    arc.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
