"""How exactly the parser reads generated whole volumes: articles, photos, tables, characters.

    python bench/parser_exact.py [--seeds N] [--first S] [--chars C] [--show K] [--parser FILE]

Volumes from seeds S … S+N-1 (never those of the tests, 0–99), of about C characters each,
with every layout case of the generator (titles mid-page, articles without a title line,
running heads, tables over page breaks, captions between rows, …). Prints the items, how
many came back exact, and the characters lost (the ledger check), and the first K misses.
``--parser FILE`` measures another parser module's ``parse_text`` (an earlier version:
``git show REV:sipviewer/ingest/parser.py > old_parser.py``).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sipviewer.ingest.exactness import Score, score
from sipviewer.ingest.parser import parse_text
from sipviewer.ingest.synthetic import generate_volume


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=200)
    ap.add_argument("--first", type=int, default=10_000)
    ap.add_argument("--chars", type=int, default=40_000)
    ap.add_argument("--show", type=int, default=10)
    ap.add_argument("--parser", help="a parser module file to measure instead")
    args = ap.parse_args()
    parse = parse_text
    if args.parser:
        import importlib.util

        spec = importlib.util.spec_from_file_location("other_parser", args.parser)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["other_parser"] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
        parse = module.parse_text
    total = Score()
    uncertain = 0
    failed = 0
    t0 = time.perf_counter()
    for seed in range(args.first, args.first + args.seeds):
        vol = generate_volume(seed, target_chars=args.chars, title_page_articles=seed % 3)
        try:
            doc = parse(vol.text, f"seed-{seed}")
        except Exception as exc:  # a crash counts every item as wrong
            failed += 1
            total.add(Score(items={"article": len(vol.articles), "photo": len(vol.photos),
                                   "table": len(vol.tables)},
                            misses=[f"seed {seed}: {type(exc).__name__}: {exc}"]))
            continue
        if not doc.ledger and doc.uncertain and hasattr(doc.uncertain[0], "dest"):
            # an earlier parser passes its ledger where the uncertain list now stands
            doc = dataclasses.replace(doc, ledger=doc.uncertain, uncertain=())
        uncertain += len(doc.uncertain)
        total.add(score(vol, doc, f"seed {seed}"))
    secs = time.perf_counter() - t0
    print(f"seeds {args.first}…{args.first + args.seeds - 1}, ~{args.chars} characters each "
          f"({secs:.0f} s), crashes {failed}")
    for kind in ("article", "photo", "table"):
        n, ok = total.items[kind], total.exact[kind]
        print(f"  {kind + 's':9} {ok:6} / {n:6} exact  ({100 * ok / max(1, n):.2f} %)")
    print(f"  all       {total.total_exact:6} / {total.total:6} exact  "
          f"({100 * total.total_exact / max(1, total.total):.2f} %)")
    print(f"  characters lost: {total.lost_chars}; uncertain decisions reported: {uncertain}")
    for miss in total.misses[:args.show]:
        print("   ", miss[:300])


if __name__ == "__main__":
    main()
