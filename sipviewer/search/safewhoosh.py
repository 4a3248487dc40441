"""Whoosh without code execution from index files.

Stock Whoosh keeps its table of contents (the schema and the segment list) as a pickle in
``_MAIN_N.toc`` and unpickles small pieces of data inside its files (hash table extras,
inlined postings, postings block tuples, compound file directories). An archive is data that
people copy and share, so a crafted index file must not be able to run code:

* the table of contents is never read from disk: `SafeIndex` gets its schema from
  `grams.make_schema` and its segments from the archive's JSON manifest (`toc_to_json` /
  `toc_from_json`); the writer's commit hands the new segment list back instead of writing
  a ``.toc`` file;
* every other unpickling inside Whoosh goes through `data_loads`, which builds only plain
  data (numbers, strings, bytes, tuples, lists, dicts, sets) and refuses any class or
  function reference — the only way a pickle can run code.

`install()` (called on import) points Whoosh's modules at `data_loads`.
"""

from __future__ import annotations

import io
import pickle
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3Segment
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, FileIndex
from whoosh.writing import SegmentWriter

from sipviewer.search import grams


def _latin1(text: str, encoding: str = "latin1") -> bytes:
    """How protocol 2 spells bytes: only this one encoding, nothing looked up by name."""
    if encoding not in ("latin1", "latin-1") or not isinstance(text, str):
        raise pickle.UnpicklingError("index data asks for another encoding: refused")
    return text.encode("latin1")


def _from_data(kind: type) -> Any:
    """``bytes``/``bytearray`` from data only: ``bytes(10**12)`` would be a crafted index's way
    to exhaust memory."""
    def make(*args: Any) -> Any:
        if any(isinstance(a, int) for a in args):
            raise pickle.UnpicklingError("index data asks for a buffer by size: refused")
        return kind(*args)
    return make


_bytes, _bytearray = _from_data(bytes), _from_data(bytearray)
# the only names a pickle in an index may use: constructors of plain values
_PLAIN = {("builtins", "bytes"): _bytes, ("__builtin__", "bytes"): _bytes,
          ("builtins", "bytearray"): _bytearray, ("__builtin__", "bytearray"): _bytearray,
          ("builtins", "set"): set, ("__builtin__", "set"): set,
          ("builtins", "frozenset"): frozenset, ("__builtin__", "frozenset"): frozenset,
          ("_codecs", "encode"): _latin1}


class _DataOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        found = _PLAIN.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"index data refers to {module}.{name}: refused")
        return found


def data_loads(data: bytes) -> Any:
    """Unpickle plain data only (no class, no function: nothing that can run code)."""
    return _DataOnly(io.BytesIO(data)).load()


def data_load(fh: Any) -> Any:
    return _DataOnly(fh).load()


def install() -> None:
    import whoosh.codec.whoosh3 as w3
    import whoosh.columns as columns
    import whoosh.filedb.structfile as structfile

    w3.loads = data_loads  # type: ignore[assignment]
    columns.loads = data_loads  # type: ignore[attr-defined]
    structfile.load_pickle = data_load  # type: ignore[assignment]


install()


def _codec_json(codec: W3Codec) -> dict[str, int]:
    return {"blocklimit": codec._blocklimit, "compression": codec._compression,
            "inlinelimit": codec._inlinelimit}


def toc_to_json(segments: list[W3Segment]) -> list[dict[str, Any]]:
    return [{"id": s.segid, "docs": s.doc_count_all(), "deleted": sorted(s.deleted_docs()),
             "compound": bool(s.compound), "codec": _codec_json(s.codec())}
            for s in segments]


def toc_from_json(items: list[dict[str, Any]]) -> list[W3Segment]:
    segments = []
    for item in items:
        codec = item["codec"]
        seg = W3Segment(W3Codec(int(codec["blocklimit"]), int(codec["compression"]),
                                int(codec["inlinelimit"])),
                        grams.INDEX_NAME, int(item["docs"]), str(item["id"]),
                        {int(d) for d in item["deleted"]} or None)
        if not seg.segid.isalnum():
            raise ValueError("a segment id is not a plain name")
        seg.compound = bool(item["compound"])
        segments.append(seg)
    return segments


class SafeIndex(FileIndex):
    """A Whoosh index whose table of contents lives in memory (from and to our manifest)."""

    def __init__(self, folder: str, segments: list[W3Segment], generation: int) -> None:
        # FileIndex.__init__ would read the pickled table of contents: not called
        self.storage = FileStorage(folder)
        self.indexname = grams.INDEX_NAME
        self._schema = grams.make_schema()
        self._toc = TOC(self._schema, list(segments), generation)

    def _read_toc(self) -> TOC:
        return self._toc

    def latest_generation(self) -> int:
        return int(self._toc.generation)

    def writer(self, **kwargs: Any) -> SegmentWriter:  # type: ignore[override]
        return _Writer(self, **kwargs)

    def commit_segments(self, segments: list[W3Segment]) -> None:
        """The new segment list after a write (the caller records it in the manifest)."""
        self._toc = TOC(self._schema, list(segments), self._toc.generation + 1)

    def refresh(self) -> SafeIndex:
        return self

    def up_to_date(self) -> bool:
        return True


class _Writer(SegmentWriter):
    def _commit_toc(self, segments: list[W3Segment]) -> None:
        self._ix_safe.commit_segments(segments)

    def __init__(self, ix: SafeIndex, **kwargs: Any) -> None:
        self._ix_safe = ix
        super().__init__(ix, **kwargs)
