"""A volume parsed in two halves at once (`splitparse`) is exactly the whole parse.

The oracle is the parser itself: every section head a text can be cut at is tried, and the
joined result must equal `parse_text`'s (the dataclasses, and the ledger entry by entry),
whether the halves could be joined or the whole text was parsed again.
"""

from __future__ import annotations

import multiprocessing
import os

import pytest

from sipviewer.core.pipeline import Workers, parse_volume
from sipviewer.ingest import splitparse
from sipviewer.ingest.decode import volume_checksum
from sipviewer.ingest.layout import split_pages
from sipviewer.ingest.parser import parse_text
from sipviewer.ingest.synthetic import generate_volume
from sipviewer.ingest.synthetic_chronicle import generate_chronicle


def _here(fn, args):
    """The tail read in this process (the same function a worker runs)."""
    value = fn(*args)
    return lambda: value


_find_cut = splitparse.find_cut  # (the tests put their own cut in its place)


def _cuts(text: str) -> list[splitparse.Cut]:
    out: list[splitparse.Cut] = []
    for k in range(1, 20):
        cut = _find_cut(text, k / 20)
        if cut is not None and cut not in out:
            out.append(cut)
    return out


def count_joins(monkeypatch) -> list[bool]:
    """Whether each split parse from now on was joined (True) or parsed whole (False)."""
    joined: list[bool] = []
    real_join = splitparse.join

    def join(*args):  # type: ignore[no-untyped-def]
        doc = real_join(*args)
        joined.append(doc is not None)
        return doc

    monkeypatch.setattr(splitparse, "join", join)
    return joined


def _every_cut(monkeypatch, text: str, name: str, year: int | None = None) -> list[bool]:
    """Split at each cut the text offers, compare with the whole parse; whether each joined."""
    whole = parse_text(text, name, "utf-8", year)
    monkeypatch.setattr(splitparse, "SPLIT_MIN_CHARS", 0)
    joined = count_joins(monkeypatch)
    for cut in _cuts(text.replace("\r\n", "\n")):
        monkeypatch.setattr(splitparse, "find_cut", lambda _text, _share=0.5, c=cut: c)
        doc = splitparse.parse_split(text, name, "utf-8", year, _here)
        assert doc == whole, (name, cut)
        assert list(doc.ledger) == list(whole.ledger), (name, cut)
    return joined


@pytest.mark.parametrize("seed", [10, 11, 12, 13, 14, 15])
def test_every_cut_of_a_generated_volume_gives_the_whole_parse(monkeypatch, seed):
    vol = generate_volume(seed, target_chars=40000, title_page_articles=seed % 3)
    joined = _every_cut(monkeypatch, vol.text, f"seed-{seed}")
    assert joined  # the generator's volumes have cuts


def test_most_cuts_are_joined_not_parsed_again(monkeypatch):
    joined = []
    for seed in range(20, 30):
        vol = generate_volume(seed, target_chars=40000, title_page_articles=seed % 3)
        joined += _every_cut(monkeypatch, vol.text, f"seed-{seed}")
    assert sum(joined) > len(joined) / 2


def test_the_sample_and_a_crlf_text_split_exactly(monkeypatch, sample_text):
    _every_cut(monkeypatch, sample_text, "sample", 2021)
    vol = generate_volume(12, target_chars=40000)
    assert any(_every_cut(monkeypatch, vol.text.replace("\n", "\r\n"), "crlf"))


def test_a_dashiji_in_either_half_gives_the_whole_parse(monkeypatch):
    names = ["专记", "大事记", "特载", "经济发展"]
    for seed in (301, 302):
        vol = generate_volume(seed, target_chars=40000, section_names=names)
        _every_cut(monkeypatch, vol.text, f"seed-{seed}")
    vol = generate_volume(305, target_chars=40000, section_names=names, edition_year=2021)
    pages = len(split_pages(vol.text.rstrip("\n")))
    chron = generate_chronicle(306, year=2020, first_page=pages + 1)
    _every_cut(monkeypatch, vol.text.rstrip("\n") + "\n" + chron.text, "with-chronology")


def test_a_tail_that_fails_leaves_the_whole_parse(monkeypatch):
    vol = generate_volume(40, target_chars=40000)
    monkeypatch.setattr(splitparse, "SPLIT_MIN_CHARS", 0)

    def broken(fn, args):  # type: ignore[no-untyped-def]
        def result():  # type: ignore[no-untyped-def]
            raise RuntimeError("the tail's process failed")
        return result

    doc = splitparse.parse_split(vol.text, "v", "utf-8", None, broken)
    whole = parse_text(vol.text, "v")
    assert doc == whole and list(doc.ledger) == list(whole.ledger)


def test_a_text_that_is_no_yearbook_raises_as_the_whole_parse_does(monkeypatch):
    from sipviewer.model.errors import ParseError

    monkeypatch.setattr(splitparse, "SPLIT_MIN_CHARS", 0)
    text = "\n".join(f" 专  记\n\nline {k} of English text" for k in range(50))
    with pytest.raises(ParseError) as whole:
        parse_text(text, "english.txt")
    with pytest.raises(ParseError) as split:
        splitparse.parse_split(text, "english.txt", "utf-8", None, _here)
    assert str(split.value) == str(whole.value)


def _die_in_a_worker(value: int) -> int:
    """Ends its own worker process (as a crash would); gives ``value`` in the main one."""
    if multiprocessing.parent_process() is not None:
        os._exit(3)
    return value


def test_a_worker_that_dies_is_worked_around_here():
    workers = Workers(1)
    try:
        assert workers.elsewhere(_die_in_a_worker, (7,))() == 7
        assert not workers.ready()  # the dead pool was dropped
        workers.warm(1)
        workers.executor().submit(os.getpid).result()
        assert workers.ready()
    finally:
        workers.close()


def test_an_import_with_a_helper_reads_the_file_as_without(tmp_path):
    path = tmp_path / "vol.txt"
    path.write_text(generate_volume(50, target_chars=260_000).text, encoding="utf-8")
    workers = Workers(1)
    try:
        workers.warm(1)
        workers.executor().submit(os.getpid).result()
        split = parse_volume(path, helper=workers)
    finally:
        workers.close()
    alone = parse_volume(path)
    assert split[:2] == alone[:2] and split[3:] == alone[3:]
    assert split[2] == alone[2] and split[2].ledger == ()  # (an import keeps no ledger)


def test_a_file_read_with_a_helper_has_the_checksum_of_its_text(tmp_path):
    """The checksum is worked out by the other worker while the halves are read: the same
    as here, whatever the line endings and trailing spaces (a GB 18030 file too)."""
    text = generate_volume(51, target_chars=260_000).text
    plain, crlf, gb = tmp_path / "plain.txt", tmp_path / "crlf.txt", tmp_path / "gb.txt"
    plain.write_text(text, encoding="utf-8")
    crlf.write_bytes(text.replace("\n", "  \r\n").encode("utf-8"))
    gb.write_bytes(text.encode("gb18030"))
    workers = Workers(2)
    try:
        workers.warm()
        workers.executor().submit(os.getpid).result()
        sums = {p.name: parse_volume(p, helper=workers)[1] for p in (plain, crlf, gb)}
    finally:
        workers.close()
    assert set(sums.values()) == {parse_volume(plain)[1]} == {volume_checksum(text)}


def _with_lines_after_cut(seed: int, lines) -> tuple[str, int, str]:  # type: ignore[no-untyped-def]
    """A generated volume with ``lines(head's last title, head's first title)`` put right
    under the section head the text is cut at; (text, the cut's page, the last title)."""
    from sipviewer.ingest.parser import _Reader

    text = generate_volume(seed, target_chars=40000, title_page_articles=2).text
    cut = _find_cut(text, splitparse.SHARE)
    assert cut is not None
    head = _Reader(text, "v", "utf-8", None)
    assert splitparse.read_head(head, cut) and head.article is not None
    first = next(a.title for s in head.sections for a in s.articles if a.title)
    at = text.index("\n", cut.start)
    assert text[at:at + 2] == "\n\n"
    return text[:at + 2] + lines(head.article.title, first) + text[at + 2:], cut.page, \
        head.article.title


def _joined_at(monkeypatch, text: str, page: int) -> bool:
    whole = parse_text(text, "v")
    monkeypatch.setattr(splitparse, "SPLIT_MIN_CHARS", 0)
    cut = next(c for c in _cuts(text) if c.page == page)
    monkeypatch.setattr(splitparse, "find_cut", lambda _text, _share=0.5: cut)
    joined: list[bool] = []
    real_join = splitparse.join
    monkeypatch.setattr(splitparse, "join",
                        lambda *args: joined.append(real_join(*args) is not None) or
                        real_join(*args))
    doc = splitparse.parse_split(text, "v", "utf-8", None, _here)
    assert doc == whole and list(doc.ledger) == list(whole.ledger)
    return joined == [True]


def test_the_previous_title_under_the_head_is_a_running_head_as_in_the_whole(monkeypatch):
    text, page, title = _with_lines_after_cut(12, lambda last, _first: f"{last}\n\n")
    dropped = [d.text for d in parse_text(text, "v").dropped if d.kind == "running_head"]
    assert title in dropped  # (the whole parse drops it: the closed article's title)
    assert not _joined_at(monkeypatch, text, page)


def test_a_photo_before_the_sections_first_article_goes_where_the_whole_puts_it(monkeypatch):
    caption = "园区举办迎新年活动\ufffd\n\ufffd （张海燕\u2003 摄）\n\n"
    text, page, title = _with_lines_after_cut(12, lambda _last, _first: caption)
    owner = next(a for s in parse_text(text, "v").sections for a in s.articles
                 if any(p.caption.startswith("园区举办迎新年活动") for p in a.photos))
    assert owner.title == title  # (the whole parse gives it to the closed article)
    assert not _joined_at(monkeypatch, text, page)


def test_a_title_page_title_the_head_took_is_not_taken_again(monkeypatch):
    text, page, _ = _with_lines_after_cut(12, lambda _last, first: f"{first}\n\n")
    assert not _joined_at(monkeypatch, text, page)
