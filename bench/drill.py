"""The concurrency drill: one importer and four searchers on one archive at once, each
command a real `sipviewer` process.

    python bench/drill.py [--seconds 60] [--volumes 12]

The archive starts with the bundled sample; the importer adds generated volumes one after
another; four searchers run `sipviewer search … --json` in loops meanwhile. Passes when no
command failed, every total a searcher saw equals the total after some prefix of the
imports in a fresh sequential import (no impossible totals), and every import reported
success and is in the archive. Prints the figures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = ("园区", "发展", "2020", "苏州工业园区", "")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sipviewer", *args], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})


def make_volumes(folder: Path, count: int, chars: int) -> list[Path]:
    from sipviewer.ingest.synthetic import generate_volume

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for k in range(count):
        p = folder / f"drill-{1990 + k}.txt"
        if not p.exists():
            p.write_text(generate_volume(500 + k, target_chars=chars, edition_year=1990 + k).text,
                         encoding="utf-8")
        out.append(p)
    return out


def expected_totals(base: Path, volumes: list[Path]) -> list[dict[str, int]]:
    """Totals of every query after 0, 1, … imports, from a fresh sequential import."""
    from sipviewer.core.archive import Archive
    from sipviewer.core.paths import SAMPLE_EDITION, SAMPLE_TITLE, sample_path

    states = []
    with Archive.open(base) as arc:
        arc.import_files([sample_path()], title=SAMPLE_TITLE, year=SAMPLE_EDITION)
        states.append({q: arc.search(q, limit=0).total for q in QUERIES})
        for v in volumes:
            arc.import_files([v])
            states.append({q: arc.search(q, limit=0).total for q in QUERIES})
    return states


def run_drill(work: Path, volumes: list[Path], seconds: float, searchers: int = 4) -> dict:  # type: ignore[type-arg]
    from sipviewer.core.paths import SAMPLE_EDITION, SAMPLE_TITLE, sample_path

    states = expected_totals(work / "sequential", volumes)
    archive = work / "drill"
    first = _cli("import", str(sample_path()), "--title", SAMPLE_TITLE, "--year",
                 str(SAMPLE_EDITION), "--archive", str(archive), "--quiet")
    assert first.returncode == 0, first.stderr
    imports: list[dict] = []  # type: ignore[type-arg]
    searches: list[dict] = []  # type: ignore[type-arg]
    done = threading.Event()
    started = time.monotonic()

    def importer() -> None:
        try:
            for v in volumes:
                t0 = time.monotonic()
                r = _cli("import", str(v), "--archive", str(archive), "--quiet")
                imports.append({"file": v.name, "rc": r.returncode, "out": r.stdout,
                                "err": r.stderr, "s": time.monotonic() - t0})
        finally:
            done.set()

    def searcher(k: int) -> None:
        n = 0
        while not done.is_set() or time.monotonic() - started < seconds:
            q = QUERIES[(k + n) % len(QUERIES)]
            n += 1
            t0 = time.monotonic()
            r = _cli("search", q, "--json", "--limit", "0", "--archive", str(archive))
            total = None
            if r.returncode == 0:
                try:
                    total = json.loads(r.stdout)["total"]
                except (ValueError, KeyError):
                    total = None
            searches.append({"q": q, "rc": r.returncode, "total": total, "err": r.stderr,
                             "s": time.monotonic() - t0})

    threads = [threading.Thread(target=importer)]
    threads += [threading.Thread(target=searcher, args=(k,)) for k in range(searchers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    allowed = {q: {s[q] for s in states} for q in QUERIES}
    errors = [s for s in searches if s["rc"] != 0 or s["total"] is None]
    impossible = [s for s in searches if s["total"] is not None
                  and s["total"] not in allowed[s["q"]]]
    failed_imports = [i for i in imports if i["rc"] != 0 or "imported" not in i["out"]]
    final = {q: json.loads(_cli("search", q, "--json", "--limit", "0", "--archive",
                                str(archive)).stdout)["total"] for q in QUERIES}
    check = _cli("check", "--archive", str(archive))
    return {"seconds": time.monotonic() - started, "searches": len(searches),
            "imports": len(imports), "errors": errors, "impossible": impossible,
            "failed_imports": failed_imports, "final_matches": final == states[len(volumes)],
            "check_ok": check.returncode == 0, "check": check.stdout + check.stderr,
            "search_s": sorted(s["s"] for s in searches),
            "import_s": [i["s"] for i in imports]}


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--volumes", type=int, default=12)
    ap.add_argument("--chars", type=int, default=40000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="sipviewer-drill-") as tmp:
        work = Path(tmp)
        volumes = make_volumes(work / "volumes", args.volumes, args.chars)
        r = run_drill(work, volumes, args.seconds)
    times = r["search_s"]
    print(f"drill: {r['seconds']:.0f} s, 1 importer + 4 searchers, each command a process")
    print(f"  imports: {r['imports']} ({len(r['failed_imports'])} failed), "
          f"{min(r['import_s']):.1f}–{max(r['import_s']):.1f} s each")
    print(f"  searches: {r['searches']}, errors {len(r['errors'])}, impossible totals "
          f"{len(r['impossible'])}; p50 {times[len(times) // 2]:.1f} s, max {times[-1]:.1f} s "
          f"per search process")
    print(f"  final totals equal a fresh sequential import's: {r['final_matches']}; "
          f"check: {'ok' if r['check_ok'] else r['check']}")
    for e in (r["errors"] + r["impossible"])[:5]:
        print(f"  e.g. {e['q']!r}: rc {e['rc']}, total {e['total']}, {e['err'][-300:]}")
    for i in r["failed_imports"][:5]:
        print(f"  failed import {i['file']}: rc {i['rc']} {i['err'][-300:]}")


if __name__ == "__main__":
    main()
