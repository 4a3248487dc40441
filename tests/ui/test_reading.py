"""The reader as staff use it all day: Ctrl+Home / Ctrl+End, zoom that keeps the place, a
comfortable measure on wide screens, no sideways scroll bar; print preview and PDFs with
metadata, a running header and page numbers; placeholders drawn sharply for paper."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QImage, QPainter, QTextDocument
from PySide6.QtTest import QTest

from sipviewer.core.archive import Archive


@pytest.fixture(scope="module")
def longest(sample_archive_dir):
    with Archive.open(sample_archive_dir) as arc:
        arts = [arc.article(a.id) for v in arc.tree() for s in v.sections for a in s.articles]
    return max(arts, key=lambda a: sum(map(len, a.paragraphs)))


@pytest.fixture
def reader(app, qtbot, longest):
    from sipviewer.ui.reader import ReaderView

    view = ReaderView()
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    view.show_article(longest)
    qtbot.wait(10)
    return view


def test_ctrl_end_and_ctrl_home(reader):
    bar = reader.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    QTest.keyClick(reader, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert bar.value() == bar.maximum()
    QTest.keyClick(reader, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert bar.value() == 0


def _line_at_top(reader) -> str:
    pos = reader.top_position()
    block = reader.document().findBlock(pos)
    return block.text()[max(0, pos - block.position()):][:6]


def test_zoom_keeps_the_reading_position(reader, qtbot):
    bar = reader.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    qtbot.wait(10)
    before_pos = reader.top_position()
    block = reader.document().findBlock(before_pos).blockNumber()
    for steps in (3, -5, 0):
        reader.zoom(steps)
        qtbot.wait(10)
        after = reader.top_position()
        # the same paragraph, within a line of where reading was
        assert reader.document().findBlock(after).blockNumber() == block
        assert abs(after - before_pos) <= 60
    assert bar.value() > 0


def test_a_comfortable_measure_on_a_wide_screen(reader, qtbot):
    from sipviewer.ui.reader import MARGIN, MEASURE_CHARS

    reader.resize(1800, 700)
    qtbot.wait(10)
    char = reader.fontMetrics().horizontalAdvance("中")
    assert reader.line_width() <= MEASURE_CHARS * char + 2
    layout = reader.document().documentLayout()
    widest = max(layout.blockBoundingRect(reader.document().findBlockByNumber(n)).width()
                 for n in range(reader.document().blockCount()))
    assert widest <= (MEASURE_CHARS + 1) * char
    reader.zoom(4)  # larger text: the measure grows with it (still about 40 characters)
    qtbot.wait(10)
    char = reader.fontMetrics().horizontalAdvance("中")
    assert reader.line_width() == pytest.approx(MEASURE_CHARS * char, abs=2)
    reader.resize(600, 700)  # narrow: the page's whole width
    qtbot.wait(10)
    assert reader.line_width() == reader.viewport().width() - 2 * MARGIN


def test_no_sideways_scroll_bar_when_narrow(reader, qtbot):
    for width in (360, 520, 900):
        reader.resize(width, 500)
        qtbot.wait(10)
        assert not reader.horizontalScrollBar().isVisible()
        assert reader.document().size().width() <= reader.viewport().width() + 1


def test_placeholders_for_paper_are_drawn_at_print_resolution(reader):
    from sipviewer.ui.reader import FIGURE_WIDTH, PLACEHOLDER, PRINT_SCALE

    doc = reader.print_document()
    image = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(PLACEHOLDER))
    assert isinstance(image, QImage) and image.width() == FIGURE_WIDTH * PRINT_SCALE
    # the frame's text is drawn at that resolution: many grey levels along its strokes
    greys = {image.pixelColor(x, y).name() for x in range(image.width() // 3, 2 * image.width() // 3)
             for y in range(image.height() // 2 - 30, image.height() // 2 + 30)}
    assert len(greys) > 10


def _pages(reader, tmp_path):
    """Each printed page painted onto an image at 150 dpi, as the printer gets it."""
    from PySide6.QtPrintSupport import QPrinter

    from sipviewer.ui.reader import PrintedArticle, PrintMeta

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "layout.pdf"))
    printer.setResolution(150)
    printed = PrintedArticle(reader.print_document(), PrintMeta.of(reader.article))
    body, scale, band, height = printed._layout(printer)
    pages = printed.doc.pageCount()
    images = []
    for k in range(pages):
        img = QImage(int(body.width() * scale), int(height), QImage.Format.Format_RGB32)
        img.setDotsPerMeterX(round(150 / 0.0254))
        img.setDotsPerMeterY(round(150 / 0.0254))
        img.fill(QColor("white"))
        painter = QPainter(img)
        printed.paint_page(painter, k, pages, body, scale, band, height)
        painter.end()
        images.append(img)
    return printed, images, band


def _inked(img: QImage, top: int, bottom: int) -> int:
    return sum(1 for y in range(max(0, top), min(img.height(), bottom), 2)
               for x in range(0, img.width(), 3) if img.pixelColor(x, y).lightness() < 200)


def test_every_page_has_a_running_header_and_a_page_number(reader, tmp_path):
    printed, images, band = _pages(reader, tmp_path)
    assert len(images) >= 2
    art = reader.article
    assert printed.meta.header() == f"苏州工业园区年鉴 · 2021卷 · {art.title}"
    assert printed.meta.footer(2, 3) == "第 2 页，共 3 页"
    for img in images:
        assert _inked(img, 0, int(band * 0.8)) > 20  # header text and rule
        assert _inked(img, img.height() - int(band * 0.8), img.height()) > 5  # page number


def _xmp(pdf: bytes) -> str:
    m = re.search(rb"<x:xmpmeta.*?</x:xmpmeta>", pdf, re.S)
    assert m
    return m.group(0).decode("utf-8")


def test_pdf_has_title_and_author_metadata(app, qtbot, tmp_path, sample_archive_dir, settings):
    from sipviewer.ui.mainwindow import MainWindow
    from sipviewer.ui.tasks import SyncRunner

    with Archive.open(sample_archive_dir) as arc:
        win = MainWindow(arc, runner=SyncRunner(), settings=settings)
        qtbot.addWidget(win)
        win.show()
        arts = [a.id for v in arc.tree() for s in v.sections for a in s.articles]
        signed = next(arc.article(a) for a in arts if arc.article(a).attribution)
        win.reading.open_article(signed.id)
        out = tmp_path / "a.pdf"
        pages = win.reading.export_pdf(str(out))
        data = out.read_bytes()
        assert data[:4] == b"%PDF" and pages >= 1
        assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) == pages
        xmp = _xmp(data)
        assert f">{signed.title}<" in xmp.replace("\n", "")
        assert f">{signed.attribution}<" in xmp.replace("\n", "")
        # the preview shows the same pages, with its own window title
        dialog = win.reading.print_preview()
        qtbot.wait(50)
        from PySide6.QtPrintSupport import QPrintPreviewWidget

        preview = dialog.findChild(QPrintPreviewWidget)
        assert dialog.isVisible() and preview.pageCount() == pages
        assert signed.title in dialog.windowTitle()
        dialog.close()
        win.close()


def _figures(view):
    """Each image's (left, width) in the page, and the text column's (left, width)."""
    from PySide6.QtGui import QTextCursor

    doc, images, column = view.document(), [], None
    block = doc.begin()
    while block.isValid():
        if column is None and len(block.text()) > 60:  # a paragraph of body text
            rect = doc.documentLayout().blockBoundingRect(block)
            column = (rect.x(), rect.width())
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.charFormat().isImageFormat():
                cursor = QTextCursor(doc)
                cursor.setPosition(frag.position())
                images.append((view.cursorRect(cursor).x(),
                               frag.charFormat().toImageFormat().width()))
            it += 1
        block = block.next()
    return images, column


@pytest.mark.parametrize("width", [1280 - 355, 600])
def test_photos_are_centred_in_the_text_column_and_never_wider(app, qtbot, sample_archive_dir,
                                                                width):
    """The first article has four photos, one with a caption of two lines: each centred
    under the text, none past its right edge (wide window with side margins, narrow one)."""
    from sipviewer.ui.reader import ReaderView

    with Archive.open(sample_archive_dir) as arc:
        art = arc.article(arc.tree()[0].sections[0].articles[0].id)
    assert len(art.photos) == 4
    view = ReaderView()
    qtbot.addWidget(view)
    view.resize(width, 700)
    view.show()
    view.show_article(art)
    qtbot.wait(10)
    images, column = _figures(view)
    assert len(images) == 4 and column is not None
    left, span = column
    for x, w in images:
        assert x >= left - 1 and x + w <= left + span + 1, (x, w, column)
        assert abs((x - left) - (left + span - x - w)) <= 3, (x, w, column)  # centred


def test_a_signature_after_the_last_table_is_shown_once_at_the_end(app, qtbot,
                                                                    sample_archive_dir):
    """The source prints （园区经发委） once, after table 1 (the parser gives it to the
    article and to the table): the reader shows it once, after the table."""
    from sipviewer.ui.reader import ReaderView

    with Archive.open(sample_archive_dir) as arc:
        art = next(arc.article(a.id) for v in arc.tree() for s in v.sections
                   for a in s.articles if a.tables)
    assert art.attribution == "园区经发委" and art.tables[0].attribution == "园区经发委"
    view = ReaderView()
    qtbot.addWidget(view)
    view.show_article(art)
    text = view.document().toPlainText()
    assert text.count("（园区经发委）") == 1
    assert text.index("（园区经发委）") > text.index(art.tables[0].rows[-1][-1])
    assert text.rstrip().endswith("（园区经发委）")
