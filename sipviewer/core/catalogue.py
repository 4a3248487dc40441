"""The photo catalogue: edits, change sets, history, revert, attaching images. No Qt.

Fields are named after Dublin Core / IPTC Core: ``caption`` (description), ``title``,
``date`` (an interval with a precision), ``credit`` and ``credit_kind`` (供稿 supplied / 摄
photographer), ``department``, ``location``, ``tags`` (keywords), ``notes``, ``rights``,
``image`` (the attached file, content-addressed in the archive's ``images/``); ``source``
(volume, page, article) is read-only.

Every write is one `ChangeSet` (who, when, what) with one `PhotoChange` row per photo and
field, written in one transaction: a batch of a thousand photos is applied whole or not at
all, even when the process is killed halfway. Values in the history are text: dates in ISO
8601 (``2020``, ``2020-02``, ``2020-01-29``, ``2020-01-08/2020-01-19``: the form carries the
precision), tags as a JSON list. Bad input raises `InputError` before anything is written.

Thread use: `Catalogue` methods that write must be called from one writer at a time (the
archive's write lock serialises them); reads may come from any thread.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, selectinload

from sipviewer.core.catalogue_values import (  # re-exported: the facade's types
    CREDIT_KINDS,
    EDITABLE,
    IMAGE_SUFFIXES,
    MAX_TEXT,
    TEXT_FIELDS,
    AttachOutcome,
    ChangeResult,
    ChangeSetInfo,
    DateValue,
    Edit,
    FieldChange,
    HistoryEntry,
    ImageCheck,
    Match,
    MatchPlan,
    Progress,
    _tags_of,
    _tags_text,
    cataloguer,
    clean_tag,
    format_date,
    parse_date,
)
from sipviewer.model.errors import InputError, NotFoundError
from sipviewer.model.types import PhotoView
from sipviewer.search.normalize import normalize
from sipviewer.storage.db import dbapi
from sipviewer.storage.importer import DepartmentCache, bump_generation
from sipviewer.storage.models import ChangeSet, Department, Photo, PhotoChange, PhotoTag

if TYPE_CHECKING:
    from sipviewer.core.archive import Archive

# -- the facade -------------------------------------------------------------------------------
class Catalogue:
    """Cataloguing through an open `Archive` (its sessions, write lock, index and reader)."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.user = cataloguer()

    # -- reading ------------------------------------------------------------------------------
    def history(self, photo_id: int) -> list[HistoryEntry]:
        """Every change to a photo, oldest first (read in plain SQL like every other read)."""
        return [HistoryEntry(cs, when, user, action, photo_id, field, old, new)
                for cs, when, user, action, field, old, new
                in self.archive.reader.photo_changes(photo_id)]

    def change_set(self, change_set_id: int) -> ChangeSetInfo:
        with self.archive.Session() as s:
            cs = s.get(ChangeSet, change_set_id)
            if cs is None:
                raise NotFoundError(f"no change set {change_set_id}")
            changes = s.scalars(select(PhotoChange).where(PhotoChange.change_set_id == cs.id)
                                .order_by(PhotoChange.id)).all()
            return ChangeSetInfo(cs.id, cs.created_at, cs.user, cs.action, cs.summary,
                                 cs.reverts_id, tuple(FieldChange(c.photo_id, c.field,
                                                                  c.old_value, c.new_value)
                                                      for c in changes))

    def change_sets(self, limit: int = 50) -> list[ChangeSetInfo]:
        """The latest change sets, newest first (their changes left out: see `change_set`)."""
        with self.archive.Session() as s:
            return [ChangeSetInfo(cs.id, cs.created_at, cs.user, cs.action, cs.summary,
                                  cs.reverts_id, ())
                    for cs in s.scalars(select(ChangeSet).order_by(ChangeSet.id.desc())
                                        .limit(limit))]

    def vocabulary(self) -> dict[str, list[str]]:
        """Values in use, for completion: tags, departments, photographers, locations."""
        with self.archive.Session() as s:
            tags = sorted(set(s.scalars(select(PhotoTag.tag))))
            depts = sorted(set(s.scalars(select(Department.name)
                                         .where(Department.kind != "photographer"))))
            photographers = sorted({c for c in s.scalars(
                select(Photo.credit).where(Photo.credit_kind == "photographer")) if c})
            locations = sorted({c for c in s.scalars(select(Photo.location)) if c})
        return {"tags": tags, "departments": depts, "photographers": photographers,
                "locations": locations}

    def photo_ids_where(self, *, tags: Sequence[str] = (), has_image: bool | None = None
                        ) -> set[int]:
        """Photos carrying every tag given (compared normalised) and with / without an image."""
        with self.archive.Session() as s:
            stmt = select(Photo.id)
            if has_image is not None:
                stmt = stmt.where(Photo.image_sha256.is_not(None) if has_image
                                  else Photo.image_sha256.is_(None))
            ids = set(s.scalars(stmt))
            if tags:
                by_tag: dict[str, set[int]] = {}
                for pid, tag in s.execute(select(PhotoTag.photo_id, PhotoTag.tag)):
                    by_tag.setdefault(normalize(tag), set()).add(pid)
                for t in tags:
                    ids &= by_tag.get(normalize(t), set())
        return ids

    def photo_ids_tagged_like(self, text: str) -> set[int]:
        """Photos with a tag containing ``text`` (normalised): the ``tag:`` query field."""
        with self.archive.Session() as s:
            return {pid for pid, tag in s.execute(select(PhotoTag.photo_id, PhotoTag.tag))
                    if text in normalize(tag)}

    # -- editing ------------------------------------------------------------------------------
    def edit(self, photo_ids: Sequence[int], edit: Edit, summary: str = "") -> ChangeResult:
        """Apply ``edit`` to every photo in one change set and one transaction."""
        self.archive._check_writable()
        ids = list(dict.fromkeys(int(i) for i in photo_ids))
        if not ids:
            raise InputError("photos", "no photo given")
        values = self._validated(edit)
        add = [clean_tag(t) for t in edit.add_tags if t.strip()]
        remove = [clean_tag(t) for t in edit.remove_tags if t.strip()]
        set_tags = ([clean_tag(t) for t in edit.set_tags if t.strip()]
                    if edit.set_tags is not None else None)

        def work(s: Session, cs: ChangeSet) -> list[FieldChange]:
            photos = self._load(s, ids)
            depts = _Departments(s)
            out: list[FieldChange] = []
            for pid in ids:
                p = photos[pid]
                for name, value in values.items():
                    out += self._set(p, name, value, depts)
                if set_tags is not None or add or remove:
                    old = {t.tag for t in p.tags}
                    new = set(set_tags) if set_tags is not None else set(old)
                    new = (new | set(add)) - set(remove)
                    out += self._set_tags(p, new)
            return out

        return self._write("edit", summary or _summary(values, add, remove, len(ids)), work)

    def _validated(self, edit: Edit) -> dict[str, object]:
        out: dict[str, object] = {}
        for name, value in edit.values.items():
            if name not in EDITABLE or name == "tags":
                raise InputError(name, f"not a field that can be edited (fields: "
                                 f"{', '.join(f for f in EDITABLE if f != 'tags')})")
            text = (value or "").strip()
            if len(text) > MAX_TEXT:
                raise InputError(name, f"too long ({len(text)} characters; at most {MAX_TEXT})")
            if name == "caption" and not text:
                raise InputError("caption", "the caption cannot be empty")
            if name == "date":
                out[name] = parse_date(text)
            elif name == "credit_kind":
                if text and text not in CREDIT_KINDS:
                    raise InputError("credit kind", f"{text!r}: use supplied (供稿) or "
                                     "photographer (摄)")
                out[name] = CREDIT_KINDS.get(text)
            else:
                out[name] = text or None
        return out

    @staticmethod
    def _load(s: Session, ids: list[int]) -> dict[int, Photo]:
        photos: dict[int, Photo] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for p in s.scalars(select(Photo).where(Photo.id.in_(chunk))
                               .options(selectinload(Photo.tags))):
                photos[p.id] = p
        missing = [i for i in ids if i not in photos]
        if missing:
            raise NotFoundError(f"no photo {missing[0]}"
                                + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))
        return photos

    def _set(self, p: Photo, name: str, value: object, depts: _Departments) -> list[FieldChange]:
        old = _value_text(p, name, depts)
        if name == "date":
            assert isinstance(value, DateValue)
            new = value.iso()
            if new != old:
                p.date_start, p.date_end, p.date_precision = value.start, value.end, value.precision
        elif name == "department":
            new = depts.canonical(value) if isinstance(value, str) else None
            if new != old:
                p.department_id = depts.id_of(new, "department")
        else:
            new = value if value is None else str(value)
            if new != old:
                setattr(p, name, new)
                if name == "credit" and new is not None:
                    # the credit names who supplied the photo: its department follows
                    kind = "photographer" if p.credit_kind == "photographer" else "supplier"
                    dept_old = _value_text(p, "department", depts)
                    dept_new = depts.canonical(new)
                    if dept_new != dept_old:
                        p.department_id = depts.id_of(dept_new, kind)
                        return [FieldChange(p.id, name, old, new),
                                FieldChange(p.id, "department", dept_old, dept_new)]
        return [FieldChange(p.id, name, old, new)] if new != old else []

    @staticmethod
    def _set_tags(p: Photo, new: set[str]) -> list[FieldChange]:
        old = {t.tag for t in p.tags}
        if new == old:
            return []
        keep = [t for t in p.tags if t.tag in new]
        p.tags = keep + [PhotoTag(tag=t) for t in sorted(new - old)]
        return [FieldChange(p.id, "tags", _tags_text(old), _tags_text(new))]

    def _write(self, action: str, summary: str,
               work: Callable[[Session, ChangeSet], list[FieldChange]],
               reverts: int | None = None, conflicts: list[FieldChange] | None = None
               ) -> ChangeResult:
        """One change set in one transaction under the archive's writer lock, committed
        together with the changed photos' index records (see `Archive._commit_together`)."""
        from sipviewer.search.records import make_records

        archive = self.archive

        def change(s: Session):  # type: ignore[no-untyped-def]
            cs_id, touched, changes, _generation = self._write_in(s, action, summary, work,
                                                                  reverts)
            s.flush()
            records = make_records(archive.reader.raw_records(
                rids=[f"p:{pid}" for pid in touched], conn=dbapi(s)))
            return (cs_id, changes), records, []

        try:
            with archive._writing():
                cs_id, changes = archive._commit_together(change)
        except _NothingChanged:
            return ChangeResult(None, (), tuple(conflicts or ()))
        return ChangeResult(cs_id, tuple(changes), tuple(conflicts or ()))

    def _write_in(self, s: Session, action: str, summary: str,
                  work: Callable[[Session, ChangeSet], list[FieldChange]], reverts: int | None
                  ) -> tuple[int, list[int], list[FieldChange], int]:
        now = datetime.now()
        cs = ChangeSet(created_at=now, user=self.user, action=action, summary=summary,
                       reverts_id=reverts)
        s.add(cs)
        s.flush()
        changes = work(s, cs)
        if not changes:
            raise _NothingChanged
        touched = list(dict.fromkeys(c.photo_id for c in changes))
        s.flush()  # the photos' own changes first; then plain bulk statements
        for i in range(0, len(touched), 500):
            s.execute(update(Photo).where(Photo.id.in_(touched[i:i + 500]))
                      .values(revision=Photo.revision + 1, updated_at=now)
                      .execution_options(synchronize_session=False))
        s.execute(insert(PhotoChange), [
            {"photo_id": c.photo_id, "change_set_id": cs.id, "changed_at": now,
             "field": c.field, "old_value": c.old, "new_value": c.new} for c in changes])
        generation = bump_generation(s)
        return cs.id, touched, changes, generation

    # -- reverting ----------------------------------------------------------------------------
    def revert(self, change_set_id: int, *, force: bool = False) -> ChangeResult:
        """Undo a change set in a new one. A field edited again since keeps its later value
        (listed in ``conflicts``) unless ``force``; tags are undone as the tags added and
        removed, so later tags stay."""
        self.archive._check_writable()
        target = self.change_set(change_set_id)
        kept: list[FieldChange] = []

        def work(s: Session, cs: ChangeSet) -> list[FieldChange]:
            kept.clear()
            photos = self._load(s, list(target.photo_ids)) if target.photo_ids else {}
            depts = _Departments(s)
            out: list[FieldChange] = []
            for c in reversed(target.changes):
                p = photos[c.photo_id]
                if c.field == "tags":
                    added = _tags_of(c.new) - _tags_of(c.old)
                    removed = _tags_of(c.old) - _tags_of(c.new)
                    now_tags = {t.tag for t in p.tags}
                    out += self._set_tags(p, (now_tags - added) | removed)
                    continue
                current = _value_text(p, c.field, depts)
                if current == c.old:
                    continue
                if current != c.new and not force:
                    kept.append(FieldChange(c.photo_id, c.field, current, c.old))
                    continue
                out += self._restore(p, c.field, c.old, depts)
            return out

        return self._write("revert", f"撤销 #{change_set_id}", work, reverts=change_set_id,
                           conflicts=kept)

    def _restore(self, p: Photo, name: str, value: str | None, depts: _Departments
                 ) -> list[FieldChange]:
        old = _value_text(p, name, depts)
        if name == "date":
            d = parse_date(value)
            p.date_start, p.date_end, p.date_precision = d.start, d.end, d.precision
        elif name == "department":
            p.department_id = depts.id_of(value, "department")
        elif name == "image":
            if value:
                stem, dot, ext = value.partition(".")
                p.image_sha256, p.image_ext = stem, (dot + ext) if dot else None
            else:
                p.image_sha256 = p.image_ext = None
        elif name == "credit_kind" or name in TEXT_FIELDS or name == "image_name":
            setattr(p, name, value)
        else:
            return []
        return [FieldChange(p.id, name, old, value)]

    # -- attaching ----------------------------------------------------------------------------
    def check_image(self, path: str | Path) -> ImageCheck:
        """Check a file fully (format, complete decode, pixel limit) and read its EXIF; its
        digest is taken when it is copied in."""
        from sipviewer.media.exif import read_exif
        from sipviewer.media.images import check_image

        src = Path(path)
        ext = check_image(src)
        taken, orientation = read_exif(src)
        return ImageCheck(src, "", ext, taken, orientation)

    def attach(self, pairs: Sequence[tuple[int, str | Path]], progress: Progress | None = None
               ) -> AttachOutcome:
        """Attach files to photos in one change set: every file is checked and copied first
        (content-addressed), then the photos change in one transaction. A file that fails
        its check raises `InputError` and nothing changes."""
        self.archive._check_writable()
        checked: list[tuple[int, ImageCheck]] = []
        for k, (pid, path) in enumerate(pairs):
            if progress:
                progress(k, len(pairs), f"checking {Path(path).name}")
            checked.append((int(pid), self.check_image(path)))
        return self._attach_checked(checked, progress)

    def _attach_checked(self, checked: list[tuple[int, ImageCheck]],
                        progress: Progress | None = None) -> AttachOutcome:
        images = self.archive.path / "images"
        with self.archive._writing():  # no other writer adds images meanwhile
            before = set(os.listdir(images)) if images.is_dir() else set()
            try:
                return self._store_and_attach(checked, images, progress)
            except BaseException:
                # the write failed: the files copied in for it belong to no photo
                for name in (set(os.listdir(images)) - before) if images.is_dir() else ():
                    if not name.startswith("."):
                        (images / name).unlink(missing_ok=True)
                raise

    def _store_and_attach(self, checked: list[tuple[int, ImageCheck]], images: Path,
                          progress: Progress | None) -> AttachOutcome:
        from sipviewer.media.images import store_image
        from sipviewer.model.errors import describe_os_error

        stored: list[tuple[int, ImageCheck]] = []
        for k, (pid, im) in enumerate(checked):
            if progress:
                progress(k, len(checked), f"copying {im.path.name}")
            try:  # content-addressed: the digest is of what was copied
                digest = store_image(im.path, images, im.ext)
            except OSError as exc:
                raise describe_os_error(exc, im.path) from None
            stored.append((pid, replace(im, sha256=digest)))
        checked = stored
        offers: list[tuple[int, date]] = []

        def work(s: Session, cs: ChangeSet) -> list[FieldChange]:
            photos = self._load(s, list(dict.fromkeys(pid for pid, _ in checked)))
            out: list[FieldChange] = []
            offers.clear()
            for pid, im in checked:
                p = photos[pid]
                old = _image_text(p)
                new = f"{im.sha256}{im.ext}"
                if old != new:
                    p.image_sha256, p.image_ext = im.sha256, im.ext
                    out.append(FieldChange(pid, "image", old, new))
                if p.image_name != im.path.name:
                    out.append(FieldChange(pid, "image_name", p.image_name, im.path.name))
                    p.image_name = im.path.name
                if im.exif_date and p.date_start is None:
                    offers.append((pid, im.exif_date))
            return out

        n = len(checked)
        summary = f"附加图片 {checked[0][1].path.name}" if n == 1 else f"附加 {n} 张图片"
        result = self._write("attach", summary, work)
        if progress:
            progress(n, n, "done")
        return AttachOutcome(result, tuple(offers))

    def plan_folder(self, folder: str | Path, mapping: str | Path | None = None) -> MatchPlan:
        """Match the image files of a folder to photos (nothing changes): by a CSV
        (``file,photo_id`` or ``file,caption``), else by a photo id in the file name
        (``123.jpg``, ``photo-123.jpg``), else by caption text in the file name."""
        root = Path(folder)
        if not root.is_dir():
            raise InputError(root, "not a folder")
        files = sorted(f for f in root.iterdir()
                       if f.is_file() and f.suffix.lower() in IMAGE_SUFFIXES)
        return self.plan_files(files, mapping, root)

    def plan_files(self, files: Sequence[Path], mapping: str | Path | None = None,
                   root: Path | None = None) -> MatchPlan:
        """Like `plan_folder` for some files (dropped on the gallery, say); a CSV's names are
        looked up in ``root`` (default: the first file's folder)."""
        files = [Path(f) for f in files]
        root = root or (files[0].parent if files else Path("."))
        photos = self.archive.reader.photos(self.archive.photo_ids())
        index = _PhotoIndex(photos)
        bad = _unreadable(files)  # checked now: a bad file never claims a photo
        if mapping is not None:
            matches, unmatched = index.by_csv(files, root, _read_map(Path(mapping)))
            bad.update(_unreadable([m.file for m in matches if m.file not in bad
                                    and m.file not in files]))
            unmatched += [(m.file, bad[m.file]) for m in matches if m.file in bad]
            matches = [m for m in matches if m.file not in bad]
        else:
            matches, unmatched = index.by_name([f for f in files if f not in bad])
            unmatched = [(f, why) for f, why in bad.items()] + unmatched
        seen: dict[int, Path] = {}
        unique: list[Match] = []
        for m in matches:
            if m.photo_id in seen:
                unmatched.append((m.file, f"photo {m.photo_id} already matched by "
                                  f"{seen[m.photo_id].name}"))
            else:
                seen[m.photo_id] = m.file
                unique.append(m)
        without = sum(1 for p in photos if p.image_path is None and p.id not in seen)
        return MatchPlan(root, tuple(unique), tuple(unmatched), without,
                         tuple(bad.items()))

    def attach_plan(self, plan: MatchPlan, progress: Progress | None = None) -> AttachOutcome:
        """Attach a previewed plan's matches in one change set. Files that fail their check
        are left out and reported (the rest are attached)."""
        self.archive._check_writable()
        good: list[tuple[int, ImageCheck]] = []
        failed: list[tuple[Path, str]] = []
        for k, m in enumerate(plan.matches):
            if progress:
                progress(k, len(plan.matches), f"checking {m.file.name}")
            try:
                good.append((m.photo_id, self.check_image(m.file)))
            except InputError as exc:
                failed.append((m.file, exc.problem))
        if not good:
            return AttachOutcome(ChangeResult(None), (), tuple(failed))
        out = self._attach_checked(good, progress)
        return AttachOutcome(out.result, out.offers, tuple(failed))


# -- helpers ----------------------------------------------------------------------------------
def _unreadable(files: Sequence[Path]) -> dict[Path, str]:
    """The files that are no readable image, with the reason (the full check of attaching)."""
    from sipviewer.media.images import check_image

    bad: dict[Path, str] = {}
    for f in files:
        try:
            check_image(f)
        except InputError as exc:
            bad[f] = exc.problem
    return bad


_ID_NAME = re.compile(r"(?:p|photo|photo[-_ ]|图片|图)?[-_ ]?(\d+)", re.I)


class _PhotoIndex:
    """Photos by id and by normalised caption, for matching file names and CSV rows."""

    def __init__(self, photos: Sequence[PhotoView]) -> None:
        self.by_id = {p.id: p for p in photos}
        self.captions = [(normalize(p.caption), p) for p in photos]

    def _caption(self, f: Path, text: str, how: str, exact_first: bool,
                 matches: list[Match], unmatched: list[tuple[Path, str]]) -> None:
        found = _caption_match(normalize(text), self.captions, exact_first=exact_first)
        if isinstance(found, str):
            unmatched.append((f, found))
        else:
            assert isinstance(found, PhotoView)
            matches.append(Match(f, found.id, found.caption, how))

    def by_csv(self, files: list[Path], root: Path, rows: list[tuple[str, str]]
               ) -> tuple[list[Match], list[tuple[Path, str]]]:
        matches: list[Match] = []
        unmatched: list[tuple[Path, str]] = []
        for name, key in rows:
            f = root / name
            if not f.is_file():
                unmatched.append((f, "listed in the CSV but not in the folder"))
            elif not key.isdigit():
                self._caption(f, key, "csv", True, matches, unmatched)
            elif int(key) in self.by_id:
                p = self.by_id[int(key)]
                matches.append(Match(f, p.id, p.caption, "csv"))
            else:
                unmatched.append((f, f"no photo {key}"))
        listed = {name for name, _ in rows}
        unmatched += [(f, "not in the CSV") for f in files if f.name not in listed]
        return matches, unmatched

    def by_name(self, files: list[Path]) -> tuple[list[Match], list[tuple[Path, str]]]:
        """A photo id in the file name (``123.jpg``, ``photo-123.jpg``), else its caption."""
        matches: list[Match] = []
        unmatched: list[tuple[Path, str]] = []
        for f in files:
            m = _ID_NAME.fullmatch(f.stem)
            if m and int(m.group(1)) in self.by_id:
                p = self.by_id[int(m.group(1))]
                matches.append(Match(f, p.id, p.caption, "id"))
            else:
                self._caption(f, f.stem, "caption", False, matches, unmatched)
        return matches, unmatched


class _NothingChanged(Exception):
    """Raised inside the transaction to roll back an empty change set."""


class _Departments:
    """Department names ↔ ids inside one session (unknown names are created on use)."""

    def __init__(self, s: Session) -> None:
        self.cache = DepartmentCache(s)
        self.names = {d.id: d.name for d in self.cache.by_name.values()}

    @staticmethod
    def canonical(name: str | None) -> str | None:
        from sipviewer.model.departments import canonical, clean_name

        if not name or not clean_name(name):
            return None
        return canonical(name)

    def name_of(self, dept_id: int | None) -> str | None:
        return self.names.get(dept_id) if dept_id is not None else None

    def id_of(self, name: str | None, kind: str) -> int | None:
        dept = self.cache.get(name, kind)
        if dept is None:
            return None
        self.names[dept.id] = dept.name
        return dept.id


def _image_text(p: Photo) -> str | None:
    return f"{p.image_sha256}{p.image_ext or ''}" if p.image_sha256 else None


def _value_text(p: Photo, name: str, depts: _Departments) -> str | None:
    if name == "date":
        return format_date(p.date_start, p.date_end, p.date_precision)
    if name == "department":
        return depts.name_of(p.department_id)
    if name == "tags":
        return _tags_text(t.tag for t in p.tags)
    if name == "image":
        return _image_text(p)
    return getattr(p, name)


def _summary(values: dict[str, object], add: list[str], remove: list[str], n: int) -> str:
    parts = [f"{name}" for name in values]
    parts += [f"+{t}" for t in add] + [f"-{t}" for t in remove]
    return f"{', '.join(parts)} ({n} 张)" if n > 1 else ", ".join(parts)


def _read_map(path: Path) -> list[tuple[str, str]]:
    """``file,photo_id`` or ``file,caption`` rows (a header row is recognised and skipped)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text") from None
    rows = [r for r in csv.reader(text.splitlines()) if r and any(c.strip() for c in r)]
    if rows and rows[0][0].strip().lower() in ("file", "filename", "文件", "文件名"):
        rows = rows[1:]
    out = []
    for n, r in enumerate(rows, 1):
        if len(r) < 2 or not r[0].strip() or not r[1].strip():
            raise InputError(path, f"row {n}: expected file,photo_id or file,caption")
        out.append((r[0].strip(), r[1].strip()))
    return out


def _caption_match(text: str, captions: Sequence[tuple[str, PhotoView]], exact_first: bool
                   ) -> PhotoView | str:
    """The one photo whose caption is ``text`` (or contains it / is contained in it)."""
    if len(text) < 4:
        return "no photo id or caption in the name"
    exact = [p for cap, p in captions if cap == text]
    if len(exact) == 1:
        return exact[0]
    near = [p for cap, p in captions if text in cap or (len(cap) >= 4 and cap in text)]
    if len(near) == 1:
        return near[0]
    if not near and not exact:
        return "no photo's caption matches"
    return f"{len(near or exact)} photos' captions match; name it in a CSV"
