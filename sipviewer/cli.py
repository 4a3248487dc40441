"""The command line. Built on the core only; the viewer is imported lazily.

Exit status: 0 on success, 2 for bad input (one line on stderr naming the problem),
1 when ``check`` finds problems it did not repair.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

from sipviewer import __version__
from sipviewer.core.paths import default_archive_dir
from sipviewer.model.errors import InputError, SipviewerError


def _archive_dir(args: argparse.Namespace) -> Path:
    return Path(args.archive).expanduser() if args.archive else default_archive_dir()


_LINE_OPEN = [False]  # a progress line waits for its end: an error starts a new line


def _err(message: str) -> None:
    if _LINE_OPEN[0]:
        print(file=sys.stderr)
        _LINE_OPEN[0] = False
    print(f"sipviewer: {message}", file=sys.stderr, flush=True)


def _progress_printer(enabled: bool):  # type: ignore[no-untyped-def]
    last = [0.0]

    def progress(done: int, total: int, message: str) -> None:
        if not enabled or not total:
            return
        now = time.monotonic()
        if done in (0, total) or now - last[0] > 0.5:
            last[0] = now
            pct = f"{100 * done // total}%" if total else ""
            print(f"\r{message} {pct}   ", end="" if done < total else "\n", file=sys.stderr,
                  flush=True)
            _LINE_OPEN[0] = done < total

    return progress


def _json_default(obj: object) -> str:
    return obj.isoformat() if hasattr(obj, "isoformat") else str(obj)


def _print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1, default=_json_default)
    sys.stdout.write("\n")


def cmd_parse(args: argparse.Namespace) -> int:
    from sipviewer.ingest.parser import parse_file
    from sipviewer.model.files import MAX_TEXT_BYTES, regular_file

    regular_file(args.file, MAX_TEXT_BYTES, "text file")  # no FIFO, no /dev/zero
    doc = parse_file(args.file, year=args.year)
    if args.json:
        _print_json(doc.to_json())
        return 0
    if args.report:
        from sipviewer.model.uncertain import uncertain_report

        print(uncertain_report(doc.uncertain, args.file))
        return 0
    print(f"{args.file}: {doc.encoding}, {_n(len(doc.sections), 'section')}, "
          f"{_n(len(doc.articles), 'article')}, {_n(len(doc.photos), 'photo')}, "
          f"{_n(len(doc.tables), 'table')}")
    for section in doc.sections:
        print(f"【{section.title}】")
        for art in section.articles:
            sign = art.attribution or (f"原载… {art.source_note[:20]}…" if art.source_note else "")
            print(f"  {art.title}  （{sign}） pages {art.pages[0]}–{art.pages[1]}, "
                  f"{_n(len(art.paragraphs), 'paragraph')}, {_n(len(art.photos), 'photo')}, "
                  f"{_n(len(art.tables), 'table')}")
    return 0


def _say(message: str) -> None:
    _err(message)


def _refuse_writes(args: argparse.Namespace, what: str) -> None:
    if getattr(args, "read_only", False):
        from sipviewer.model.errors import ArchiveError

        raise ArchiveError(f"{what} writes to the archive: refused (--read-only)")


def cmd_import(args: argparse.Namespace) -> int:
    from sipviewer.core.archive import Archive

    _refuse_writes(args, "import")
    path = _archive_dir(args)
    progress = _progress_printer(not args.quiet)
    new_folder = not (path / "archive.sqlite").exists()
    fresh = new_folder and (not path.exists() or not any(path.iterdir()))
    try:
        with Archive.open(path, progress=progress, on_wait=_say, preload=False) as archive:
            outcomes = archive.import_files(args.files, replace=args.replace,
                                            title=args.title, year=args.year,
                                            progress=progress)
    except BaseException:
        if fresh:  # a failed first import leaves no empty archive behind
            import shutil

            shutil.rmtree(path, ignore_errors=True)
        raise
    for o in outcomes:
        what = {"imported": "imported", "replaced": "replaced", "unchanged": "unchanged (already "
                "in the archive)"}[o.status]
        print(f"{o.path}: {what}: 《{o.title}》{o.edition_year or ''} — {_n(o.articles, 'article')}, "
              f"{_n(o.photos, 'photo')}, {_n(o.tables, 'table')}"
              + (f", {_n(o.events, 'event')}" if o.events else ""))
    print(f"archive: {path}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from sipviewer.core.archive import Archive

    path = _archive_dir(args)
    with Archive.open(path, create=False, read_only=True,
                      progress=_progress_printer(not args.json)) as archive:
        filters = archive.make_filters(date_from=args.date_from, date_to=args.date_to,
                                       departments=args.department or (),
                                       kinds=[args.kind] if args.kind else (),
                                       volumes=args.volume or (), tags=args.tag or ())
        results = archive.search(args.query, filters, limit=args.limit, sort=args.sort)
        opened = archive.open_report
        unknown = [d for d in args.department or () if not archive.departments_named(d)]
    for name in unknown:
        _err(f"note: no department in this archive is named {name!r} or has it in a name "
             "or alias; nothing matches it")
    if opened and opened.index_action == "rebuilt" and not args.json:
        _err(f"note: the archive's search index is {opened.index.state}; this search used a "
             "temporary one (sipviewer check --repair rebuilds it)")
    if args.json:
        _print_json(results.to_json())
        return 0
    print(f"{results.total} hits ({results.elapsed_ms:.1f} ms)")
    for h in results.hits:
        when = ""
        if h.date_start:
            when = h.date_start.isoformat() + (f"–{h.date_end.isoformat()}"
                                               if h.date_end and h.date_end != h.date_start else "")
        snippet = h.snippet.replace("<mark>", "【").replace("</mark>", "】")
        print(f"[{h.kind} {h.id}] {h.title[:40]}  {h.volume} {when} {h.department or ''}")
        print(f"    {_unescape(snippet)}")
    if results.total:
        for name, counts in results.facets.items():
            shown = ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])[:8])
            print(f"  {name}: {shown}")
    return 0


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def cmd_check(args: argparse.Namespace) -> int:
    from sipviewer.core.archive import Archive

    if args.repair:
        _refuse_writes(args, "check --repair")
    path = _archive_dir(args)
    progress = _progress_printer(True)
    healed = _heal_index_link(path) if args.repair else None
    with Archive.open(path, create=False, read_only=not args.repair, progress=progress,
                      on_wait=_say) as archive:
        report = archive.check(repair=args.repair, progress=progress)
        opened = archive.open_report
    if healed:
        print(f"repaired: {healed}")
    if opened and opened.index_action != "none":
        print(f"on opening: search index was {opened.index.state} ({opened.index.detail}); "
              f"{opened.index_action} it")
    for p in report.problems:
        print(f"problem: {p}")
    for r in report.repaired:
        print(f"repaired: {r}")
    print(f"{report.records} records in the database, {report.index_records} in the index")
    for c in report.cannot_fix:
        print(f"cannot fix: {c}")
    if not report.problems:
        print("ok")
        return 0
    return 0 if report.repaired and not report.cannot_fix else 1


def _heal_index_link(path: Path) -> str | None:
    """A dangling ``index`` link (its target gone): removed so the index is rebuilt."""
    link = path / "index"
    if link.is_symlink() and not link.exists():
        target = os.readlink(link)
        link.unlink()
        return f"removed the dangling index link (to {target}); the index is rebuilt"
    return None


def cmd_backup(args: argparse.Namespace) -> int:
    from sipviewer.core.archive import backup_archive

    path = _archive_dir(args)
    target = backup_archive(path, Path(args.dest).expanduser())
    print(f"backup written: {target}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from sipviewer.core.archive import Archive

    path = _archive_dir(args)
    out = Path(args.output)
    with Archive.open(path, create=False, read_only=True) as archive:
        if args.what == "photos":
            from sipviewer.core.export import export_catalogue

            photos = _photos_for(archive, args)
            images = Path(args.images) if args.images else None
            records, written = export_catalogue(photos, args.format, out, images)
            print(f"{records} photos written to {out}"
                  + (f"; {written} images with their records to {images}" if images else ""))
        else:
            if args.format == "dc":
                raise InputError(out, "a table exports as csv or json")
            table = archive.table(args.table_id)
            if args.format == "json":
                out.write_text(json.dumps({"number": table.number, "title": table.title,
                                           "columns": list(table.columns),
                                           "rows": [list(r) for r in table.rows],
                                           "attribution": table.attribution},
                                          ensure_ascii=False, indent=1), encoding="utf-8")
            else:
                with open(out, "w", newline="", encoding="utf-8-sig") as fh:
                    w = csv.writer(fh)
                    w.writerow(table.columns)
                    w.writerows(table.rows)
            print(f"表{table.number} {table.title}: {len(table.rows)} rows written to {out}")
    return 0


# -- photos (cataloguing) -----------------------------------------------------------------------
def _read_only(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "read_only", False))


def _photos_for(archive, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The photos a query and the filters of a command name, in the gallery's order."""
    has_image = True if getattr(args, "has_image", False) else (
        False if getattr(args, "no_image", False) else None)
    filters = archive.make_filters(date_from=args.date_from, date_to=args.date_to,
                                   departments=args.department or (),
                                   volumes=args.volume or (), tags=args.tag or (),
                                   has_image=has_image)
    return archive.photos_matching(args.query or "", filters)


def _n(count: int, noun: str) -> str:
    """``1 photo``, ``2 photos``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _photo_ids(text: str) -> list[int]:
    ids = []
    for part in text.split(","):
        if not part.strip().isdigit():
            raise InputError("photo id", f"{part.strip()!r} is not a photo id (use 12 or 12,13,14)")
        ids.append(int(part))
    return ids


def cmd_photos(args: argparse.Namespace) -> int:
    from sipviewer.core.archive import Archive

    path = _archive_dir(args)
    with Archive.open(path, create=False, read_only=_read_only(args)) as archive:
        return int(_PHOTO_COMMANDS[args.action](archive, args))


def _photos_list(archive, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from sipviewer.core.catalogue_values import date_zh
    from sipviewer.core.export import photo_json

    photos = _photos_for(archive, args)
    if args.json:
        _print_json({"total": len(photos), "photos": [photo_json(p) for p in photos]})
        return 0
    print(_n(len(photos), "photo"))
    for p in photos:
        extra = " ".join(x for x in (date_zh(p.date_start, p.date_end, p.date_precision),
                                     p.credit or "", " ".join(f"#{t}" for t in p.tags),
                                     "[图]" if p.image_path else "") if x)
        print(f"[{p.id}] {p.caption[:50]}  {extra}")
    return 0


def _photos_attach(archive, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    cat = archive.catalogue
    if args.folder:
        if args.id or args.image:
            raise InputError("attach", "give either ID IMAGE or --folder DIR, not both")
        plan = cat.plan_folder(args.folder, args.map)
        if args.json and args.dry_run:
            _print_json(plan.to_json())
            return 0
        for m in plan.matches:
            print(f"{m.file.name} → [{m.photo_id}] {m.caption[:40]}  ({m.how})")
        for f, why in plan.unmatched_files:
            print(f"{f.name}: not matched ({why})")
        print(f"{len(plan.matches)} matched, {len(plan.unmatched_files)} not matched; "
              f"{plan.photos_without} photos would still have no image")
        if args.dry_run:
            print("dry run: nothing changed")
            return 0
        outcome = cat.attach_plan(plan, _progress_printer(True))
        for f, why in plan.unreadable + outcome.failed:
            print(f"{f.name}: not attached ({why})", file=sys.stderr)
        _say_attached(outcome)
        return 2 if plan.unreadable or outcome.failed else 0
    else:
        if args.id is None or args.image is None or args.map or args.dry_run:
            raise InputError("attach", "use: photos attach ID IMAGE, or photos attach --folder "
                             "DIR [--map FILE.csv] [--dry-run]")
        outcome = cat.attach([(_photo_ids(args.id)[0], args.image)])
    _say_attached(outcome)
    return 0


def _say_attached(outcome) -> None:  # type: ignore[no-untyped-def]
    result = outcome.result
    print(f"change {result.change_set}: {_n(len(result.photo_ids), 'photo')} got an image"
          if result.change_set else "nothing changed (the same images were attached already)"
          if not outcome.failed else "nothing attached")
    for pid, taken in outcome.offers:
        print(f"photo {pid}: the image says it was taken {taken.isoformat()}; to use it: "
              f"sipviewer photos edit {pid} --date {taken.isoformat()}")


def _photos_edit(archive, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from sipviewer.core.catalogue import Edit

    values = {name: getattr(args, name) for name in
              ("caption", "title", "date", "credit", "credit_kind", "department", "location",
               "notes", "rights") if getattr(args, name) is not None}
    edit = Edit(values, add_tags=tuple(args.add_tag or ()),
                remove_tags=tuple(args.remove_tag or ()))
    if edit.is_empty:
        raise InputError("edit", "nothing to change: give --caption, --date, --add-tag, …")
    result = archive.catalogue.edit(_photo_ids(args.ids), edit)
    if result.change_set is None:
        print("nothing changed (the photos already had these values)")
        return 0
    print(f"change {result.change_set}: {_n(len(result.changes), 'field change')} on "
          f"{_n(len(result.photo_ids), 'photo')}")
    return 0


def _photos_history(archive, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    pid = _photo_ids(args.id)[0]
    entries = archive.catalogue.history(pid)
    if args.json:
        _print_json({"photo": pid, "changes": [e.to_json() for e in entries]})
        return 0
    for e in entries:
        print(f"change {e.change_set} {e.at:%Y-%m-%d %H:%M} {e.user} {e.action}: {e.field}: "
              f"{e.old!s} → {e.new!s}")
    if not entries:
        print(f"photo {pid}: no changes yet")
    return 0


def _photos_revert(archive, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    result = archive.catalogue.revert(args.change, force=args.force)
    for c in result.conflicts:
        print(f"photo {c.photo_id}: {c.field} was changed again later ({c.old}); kept "
              "(--force to revert it too)")
    if result.change_set is None:
        print(f"change {args.change}: nothing to revert")
    else:
        print(f"change {result.change_set}: reverted change {args.change} "
              f"({_n(len(result.changes), 'field change')})")
    return 0


_PHOTO_COMMANDS = {"list": _photos_list, "attach": _photos_attach, "edit": _photos_edit,
                   "history": _photos_history, "revert": _photos_revert}


def _no_display() -> bool:
    import os

    return sys.platform.startswith("linux") and not any(
        os.environ.get(k) for k in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def cmd_open(args: argparse.Namespace) -> int:
    """No subcommand: the viewer (without a display or Qt: build the archive and say so)."""
    reason = "no display (the viewer needs a graphical session)" if _no_display() else None
    if reason is None:
        try:
            from sipviewer.ui.app import run
        except ImportError as exc:
            reason = f"the viewer is not installed ({exc})"
    if reason is None:
        # the one place the process may end itself: the window closed while background work
        # (a long index rebuild) runs on; it is derived and redone at the next start
        return run(args, leave=os._exit)
    from sipviewer.core.archive import open_default

    path = _archive_dir(args)
    archive, outcomes = open_default(path, _progress_printer(True))
    with archive:
        stats = archive.stats()
    made = "built from the bundled sample" if outcomes else "opened"
    counts = ", ".join(_n(stats[k], k[:-1]) for k in ("volumes", "articles", "photos", "tables"))
    print(f"default archive {made}: {path} ({counts})")
    print(f"sipviewer: {reason}", file=sys.stderr)
    return 0


def _photo_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="date_from", metavar="DATE")
    p.add_argument("--to", dest="date_to", metavar="DATE")
    p.add_argument("--department", action="append", metavar="NAME")
    p.add_argument("--volume", action="append", metavar="V")
    p.add_argument("--tag", action="append", metavar="T")
    p.add_argument("--has-image", action="store_true")
    p.add_argument("--no-image", action="store_true")


def cmd_kiosk_pin(args: argparse.Namespace) -> int:
    """Read a PIN (twice at a terminal, once from a pipe) and print its hash as a TOML line."""
    import getpass

    from sipviewer.core.kioskconfig import hash_pin

    if sys.stdin.isatty():
        pin = getpass.getpass("PIN (4–12 digits): ")
        if getpass.getpass("again: ") != pin:
            raise InputError("PIN", "the two entries differ")
    else:
        pin = sys.stdin.readline().strip()
    print(f'admin_pin = "{hash_pin(pin)}"')
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sipviewer", description="Offline viewer and catalogue for local yearbook archives.")
    parser.add_argument("--version", action="version", version=f"sipviewer {__version__}")
    parser.add_argument("--archive", metavar="DIR", help="archive folder (default: the user's)")
    parser.add_argument("--kiosk", action="store_true", help="full screen, touch, read-only")
    parser.add_argument("--idle-reset", type=int, metavar="SECONDS",
                        help="kiosk: go home after this long untouched (default 120)")
    parser.add_argument("--config", metavar="FILE", help="kiosk configuration (TOML or JSON)")
    parser.add_argument("--lang", choices=["zh", "en"], help="interface language")
    parser.add_argument("--read-only", action="store_true",
                        help="never write to the archive (writes are refused)")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("parse", help="print the parsed structure of a yearbook text")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.add_argument("--report", action="store_true",
                   help="list the decisions the parser was not sure of, page by page")
    p.add_argument("--year", type=int, help="edition year when the text does not give one")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("import", help="parse and add volumes (idempotent by checksum)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--archive", metavar="DIR", default=argparse.SUPPRESS)
    p.add_argument("--replace", action="store_true", help="replace a changed volume")
    p.add_argument("--title", help="volume title when the text does not give one")
    p.add_argument("--year", type=int, help="edition year when the text does not give one")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("search", help="search the archive")
    p.add_argument("query", nargs="?", default="")
    p.add_argument("--archive", metavar="DIR", default=argparse.SUPPRESS)
    p.add_argument("--from", dest="date_from", metavar="DATE")
    p.add_argument("--to", dest="date_to", metavar="DATE")
    p.add_argument("--department", action="append", metavar="NAME")
    p.add_argument("--kind", choices=["article", "photo", "table", "event"])
    p.add_argument("--volume", action="append", metavar="V")
    p.add_argument("--tag", action="append", metavar="T")
    p.add_argument("--sort", choices=["relevance", "date", "-date", "volume"],
                   default="relevance", help="best first (default), by date old → new "
                   "(-date: new → old) or in volume order")
    p.add_argument("--limit", type=int, default=20, help="hits to show (0: all)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("kiosk-pin", help="print the admin_pin line for the kiosk configuration")
    p.set_defaults(func=cmd_kiosk_pin)

    p = sub.add_parser("check", help="verify database, index and image files")
    p.add_argument("--archive", metavar="DIR", default=argparse.SUPPRESS)
    p.add_argument("--repair", action="store_true")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("backup", help="a consistent copy of the archive's database")
    p.add_argument("dest", metavar="DEST", help="a file, or a folder to put it in")
    p.add_argument("--archive", metavar="DIR", default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("export", help="photo catalogue or a table out (CSV / JSON / Dublin Core)")
    p.add_argument("what", choices=["photos", "table"])
    p.add_argument("query", nargs="?", default="", help="photos: a search query")
    p.add_argument("--table-id", type=int, help="the table to export (with 'table')")
    p.add_argument("--archive", metavar="DIR", default=argparse.SUPPRESS)
    _photo_filters(p)
    p.add_argument("--format", choices=["csv", "json", "dc"], default="csv")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--images", metavar="DIR", help="photos: also write each image with its "
                   "record embedded (XMP, IPTC)")
    p.set_defaults(func=cmd_export)

    photos = sub.add_parser("photos", help="catalogue photos: list, attach, edit, history, revert")
    psub = photos.add_subparsers(dest="action", required=True)
    p = psub.add_parser("list", help="photos a query and filters match")
    p.add_argument("query", nargs="?", default="")
    _photo_filters(p)
    p.add_argument("--json", action="store_true")
    p = psub.add_parser("attach", help="attach an image, or a folder of images")
    p.add_argument("id", nargs="?", metavar="ID")
    p.add_argument("image", nargs="?", metavar="IMAGE")
    p.add_argument("--folder", metavar="DIR")
    p.add_argument("--map", metavar="FILE.csv", help="file,photo_id or file,caption rows")
    p.add_argument("--dry-run", action="store_true", help="show the matches, change nothing")
    p.add_argument("--json", action="store_true")
    p = psub.add_parser("edit", help="change fields of one or more photos (one change)")
    p.add_argument("ids", metavar="ID[,ID...]")
    for name in ("caption", "title", "date", "credit", "department", "location", "notes",
                 "rights"):
        p.add_argument(f"--{name}")
    p.add_argument("--credit-kind", choices=["supplied", "photographer"])
    p.add_argument("--add-tag", action="append", metavar="T")
    p.add_argument("--remove-tag", action="append", metavar="T")
    p = psub.add_parser("history", help="the changes of a photo")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true")
    p = psub.add_parser("revert", help="undo a change (later edits of a field are kept)")
    p.add_argument("change", type=int, metavar="CHANGE")
    p.add_argument("--force", action="store_true", help="revert fields edited again later too")
    for p in psub.choices.values():
        p.add_argument("--archive", metavar="DIR", default=argparse.SUPPRESS)
    photos.set_defaults(func=cmd_photos)
    return parser


def _joined_sort(argv: list[str]) -> list[str]:
    """``--sort -date`` as ``--sort=-date`` (argparse would read ``-date`` as an option)."""
    out: list[str] = []
    for arg in argv:
        if arg == "-date" and out and out[-1] == "--sort":
            out[-1] = "--sort=-date"
        else:
            out.append(arg)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(_joined_sort(list(sys.argv[1:] if argv is None else argv)))
    if getattr(args, "what", None) == "table" and not args.table_id:
        parser.error("export table needs --table-id")
    from sipviewer.core.logs import setup_logging, write_error

    setup_logging()
    try:
        if args.command is None:
            return cmd_open(args)
        return int(args.func(args))
    except SipviewerError as exc:
        _err(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        print("sipviewer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # the machine failed (disk full, permissions): one line
        from sipviewer.model.errors import describe_os_error

        _err(str(describe_os_error(exc, exc.filename or "sipviewer")))
        return 1
    except Exception as exc:  # a bug: say so in one line, keep the details in the log
        import traceback

        from sipviewer.storage.db import describe_failure

        if type(exc).__module__.startswith(("sqlalchemy", "sqlite3")):
            failure = describe_failure(exc, _archive_dir(args) / "archive.sqlite")
            _err(str(failure))
            return failure.exit_code
        log = write_error(traceback.format_exc())
        where = f"; details in {log}" if log else ""
        first = str(exc).splitlines()[0] if str(exc) else ""
        _err(f"internal error ({type(exc).__name__}: {first}){where}")
        return 1
