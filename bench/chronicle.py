"""大事记 figures: generated chronology sections read back exactly, and how fast.

    python bench/chronicle.py [--seeds N] [--first S]

For N seeds from S (default 10 000: fresh ones, never used by the tests) it generates a 大事记
section, parses it and compares every event (dates, text, page) with the generator's
manifest, checks that no character is lost, and counts the planted hard cases. The parse
rate is printed beside its anchor, the parse rate of the bundled 专记 sample in the same run.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from sipviewer.core.paths import sample_path
from sipviewer.ingest.accounting import accounting_problems
from sipviewer.ingest.parser import parse_text
from sipviewer.ingest.synthetic_chronicle import generate_chronicle


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=500)
    ap.add_argument("--first", type=int, default=10_000)
    args = ap.parse_args()
    sample = sample_path().read_text(encoding="utf-8")
    parse_text(sample, "sample")  # warm: the width table and regexes are built once
    start = time.perf_counter()
    parse_text(sample, "sample")
    anchor = len(sample) / (time.perf_counter() - start)
    events = exact = chars = lost = 0
    traps: Counter[str] = Counter()
    elapsed = 0.0
    for seed in range(args.first, args.first + args.seeds):
        section = generate_chronicle(seed)
        traps.update(section.traps)
        start = time.perf_counter()
        doc = parse_text(section.text, f"seed{seed}", year=section.year + 1)
        elapsed += time.perf_counter() - start
        chars += len(section.text)
        got = [(e.date_start, e.date_end, e.text, e.page) for s in doc.sections for e in s.events]
        want = [(e.date_start, e.date_end, e.text, e.page) for e in section.events]
        events += len(want)
        exact += sum(g == w for g, w in zip(got, want)) if len(got) == len(want) else 0
        lost += bool(accounting_problems(doc, section.text))
    print(f"{args.seeds} sections, {events} events: {exact} exact "
          f"({100 * exact / max(events, 1):.2f} %), {lost} sections with a character lost")
    print("planted: " + ", ".join(f"{k} {v}" for k, v in sorted(traps.items())))
    print(f"parse rate: 大事记 {chars / elapsed / 1e6:.2f} M chars/s; "
          f"anchor (the 专记 sample, same run) {anchor / 1e6:.2f} M chars/s")


if __name__ == "__main__":
    main()
