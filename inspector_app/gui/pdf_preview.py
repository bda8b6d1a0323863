"""An in-app preview of a generated report (Qt PDF: QPdfDocument + QPdfView) with page
navigation and zoom, and printing it through the system print dialog.

Printing renders each page with QPdfDocument.render into the printer's painter, so what prints
is exactly the PDF that was written, page for page; one page per turn of the event loop, so
the window stays live while a long report is sent.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QPointF, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui.style import css_color, muted_text
from inspector_app.gui.translation import QT_TRANSLATE_NOOP

# The zoom's fitting choices: each is its own item's data, and its words (translated) the
# item's text.
FIT_WIDTH = QT_TRANSLATE_NOOP("pdf_preview", "Fit width")
FIT_PAGE = QT_TRANSLATE_NOOP("pdf_preview", "Fit page")
ZOOM_STEPS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
MAX_PRINT_DPI = 300  # enough for text on paper; higher only makes the page images huge


class PrintDialog:
    """The system print dialog for a document of `page_count` pages; the printer to print
    on, or None if the user cancelled."""

    @classmethod
    def ask(cls, parent: QWidget | None, page_count: int) -> QPrinter | None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(QCoreApplication.translate("PrintDialog", "Print the report"))
        dialog.setAccessibleName(QCoreApplication.translate("PrintDialog", "Print the report"))
        dialog.setMinMax(1, max(1, page_count))
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return printer


def pages_to_print(printer: QPrinter, page_count: int) -> range:
    """The 0-based pages the user chose in the print dialog (all by default)."""
    if (
        printer.printRange() == QPrinter.PrintRange.PageRange
        and printer.fromPage() > 0
        and page_count
    ):
        first = max(1, printer.fromPage())
        last = min(page_count, printer.toPage() or page_count)
        return range(first - 1, last)
    return range(page_count)


class PrintJob(QObject):
    """Prints the chosen pages of `document` one page per turn of the event loop: the window
    stays responsive, shows which page is being sent and can stop between pages. Each page
    is rendered at the printer's resolution (at most MAX_PRINT_DPI) and fitted to the
    printable area. (QPdfDocument and the printer stay on the UI thread, like every widget.)"""

    progressed = Signal(int, int)  # pages sent, pages to send
    finished = Signal(int, bool)  # pages sent, cancelled
    failed = Signal(str)

    def __init__(
        self, document: QPdfDocument, printer: QPrinter, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.document, self.printer = document, printer
        self.pages = list(pages_to_print(printer, document.pageCount()))
        self.sent = 0
        self._painter = QPainter()
        self._cancelled = False
        self.aborted = False  # the printer discarded what was already sent

    def start(self) -> None:
        """Begin printing; raises OSError if the printer cannot be started."""
        if not self._painter.begin(self.printer):
            raise OSError(self.tr("the printer could not be started"))
        QTimer.singleShot(0, self._next_page)

    def cancel(self) -> None:
        """Stop before the next page (the system is asked to drop what it has, too)."""
        self._cancelled = True

    def _next_page(self) -> None:
        if self._cancelled:
            self.aborted = self.printer.abort()
            self._end()
            self.finished.emit(self.sent, True)
            return
        try:
            if self.sent:
                self.printer.newPage()
            self._draw(self.pages[self.sent])
        except Exception as exc:  # a driver error ends the job with a message, not a crash
            self._end()
            self.failed.emit(str(exc) or type(exc).__name__)
            return
        self.sent += 1
        self.progressed.emit(self.sent, len(self.pages))
        if self.sent < len(self.pages):
            QTimer.singleShot(0, self._next_page)
        else:
            self._end()
            self.finished.emit(self.sent, False)

    def _draw(self, page: int) -> None:
        dpi = min(self.printer.resolution(), MAX_PRINT_DPI)
        points = self.document.pagePointSize(page)
        pixels = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
        image = self.document.render(page, pixels)
        area = self._painter.viewport()
        fitted = pixels.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
        left = area.x() + (area.width() - fitted.width()) // 2
        self._painter.drawImage(QRect(left, area.y(), fitted.width(), fitted.height()), image)

    def _end(self) -> None:
        if self._painter.isActive():
            self._painter.end()


class PdfPreview(QWidget):
    """The generated PDF, with page navigation (the page box, Previous / Next) and zoom."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Report preview"))
        self.path: Path | None = None
        self.document = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setAccessibleName(self.tr("Report pages"))
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.navigator = self.view.pageNavigator()
        self.navigator.currentPageChanged.connect(self._page_changed)

        self.previous_button = QPushButton(self.tr("◀ Previous"))
        self.previous_button.setAccessibleName(self.tr("Previous page"))
        self.previous_button.setToolTip(self.tr("Previous page (Alt+Page Up)"))
        self.previous_button.setAutoDefault(False)
        self.previous_button.clicked.connect(lambda: self.go_to(self.current_page() - 1))
        self.page_box = QSpinBox()
        self.page_box.setAccessibleName(self.tr("Page number"))
        self.page_box.setKeyboardTracking(False)
        self.page_box.setRange(0, 0)
        self.page_box.valueChanged.connect(lambda value: self.go_to(value - 1))
        self.page_total = QLabel(self.tr("of 0"))
        self.page_total.setAccessibleName(self.tr("Number of pages"))
        self.next_button = QPushButton(self.tr("Next ▶"))
        self.next_button.setAccessibleName(self.tr("Next page"))
        self.next_button.setToolTip(self.tr("Next page (Alt+Page Down)"))
        self.next_button.setAutoDefault(False)
        self.next_button.clicked.connect(lambda: self.go_to(self.current_page() + 1))

        self.zoom_out_button = QPushButton("−")
        self.zoom_out_button.setAccessibleName(self.tr("Zoom out"))
        self.zoom_out_button.setToolTip(self.tr("Zoom out (Ctrl+Minus)"))
        self.zoom_out_button.setAutoDefault(False)
        self.zoom_out_button.clicked.connect(lambda: self.step_zoom(-1))
        self.zoom_combo = QComboBox()
        self.zoom_combo.setAccessibleName(self.tr("Zoom"))
        for fit in (FIT_WIDTH, FIT_PAGE):
            self.zoom_combo.addItem(QCoreApplication.translate("pdf_preview", fit), fit)
        for factor in ZOOM_STEPS:
            self.zoom_combo.addItem(f"{round(factor * 100)}%", factor)
        self.zoom_combo.currentIndexChanged.connect(self._zoom_chosen)
        self.zoom_in_button = QPushButton("+")
        self.zoom_in_button.setAccessibleName(self.tr("Zoom in"))
        self.zoom_in_button.setToolTip(self.tr("Zoom in (Ctrl+Plus)"))
        self.zoom_in_button.setAutoDefault(False)
        self.zoom_in_button.clicked.connect(lambda: self.step_zoom(+1))
        for button in (self.zoom_in_button, self.zoom_out_button):
            button.setFixedWidth(button.sizeHint().height() + 8)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        page_label = QLabel(self.tr("Page"))
        bar.addWidget(self.previous_button)
        bar.addWidget(page_label)
        bar.addWidget(self.page_box)
        bar.addWidget(self.page_total)
        bar.addWidget(self.next_button)
        bar.addStretch(1)
        zoom_label = QLabel(self.tr("&Zoom"))
        zoom_label.setBuddy(self.zoom_combo)
        bar.addWidget(zoom_label)
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_combo)
        bar.addWidget(self.zoom_in_button)
        self.toolbar = QWidget()
        self.toolbar.setLayout(bar)

        self.empty = QLabel(
            self.tr("No report generated yet.\nPress Generate PDF to write one and see it here.")
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(f"color: {css_color(muted_text(self))};")
        self.empty.setAccessibleName(self.tr("No preview"))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.stack, 1)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (
            (QKeySequence.StandardKey.ZoomIn, lambda: self.step_zoom(+1)),
            ("Ctrl+=", lambda: self.step_zoom(+1)),
            (QKeySequence.StandardKey.ZoomOut, lambda: self.step_zoom(-1)),
            ("Alt+PgUp", lambda: self.go_to(self.current_page() - 1)),
            ("Alt+PgDown", lambda: self.go_to(self.current_page() + 1)),
        ):
            QShortcut(QKeySequence(keys), self, slot, context=context)
        self._update_controls()

    # -- the document ----------------------------------------------------------------------

    def load(self, path: Path | str) -> int:
        """Show the PDF at `path`; returns its page count (0 if it could not be read)."""
        self.close_document()
        error = self.document.load(str(path))
        if error != QPdfDocument.Error.None_ or self.document.pageCount() == 0:
            self.document.close()
            self._update_controls()
            return 0
        self.path = Path(path)
        self.stack.setCurrentWidget(self.view)
        self._update_controls()
        self.go_to(0)
        return self.document.pageCount()

    def close_document(self) -> None:
        """Let go of the file (before it is written again)."""
        self.document.close()
        self.path = None
        self.stack.setCurrentWidget(self.empty)
        self._update_controls()

    def page_count(self) -> int:
        return self.document.pageCount() if self.path is not None else 0

    def current_page(self) -> int:
        return self.navigator.currentPage()

    def go_to(self, page: int) -> None:
        count = self.page_count()
        if not count:
            return
        page = max(0, min(page, count - 1))
        if page != self.navigator.currentPage() or page == 0:
            self.navigator.jump(page, QPointF(), self.navigator.currentZoom())
        self._page_changed(page)

    # -- zoom ------------------------------------------------------------------------------

    def _zoom_chosen(self, _index: int) -> None:
        choice = self.zoom_combo.currentData()
        if choice == FIT_WIDTH:
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        elif choice == FIT_PAGE:
            self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        else:
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(float(choice))

    def step_zoom(self, direction: int) -> None:
        current = self.view.zoomFactor() if self.view.zoomMode() == QPdfView.ZoomMode.Custom else 1
        steps = list(ZOOM_STEPS)
        if direction > 0:
            target = next((s for s in steps if s > current + 1e-6), steps[-1])
        else:
            target = next((s for s in reversed(steps) if s < current - 1e-6), steps[0])
        self.zoom_combo.setCurrentIndex(self.zoom_combo.findData(target))

    # -- state -----------------------------------------------------------------------------

    def _page_changed(self, page: int) -> None:
        count = self.page_count()
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1 if count else 0)
        self.page_box.blockSignals(False)
        self.previous_button.setEnabled(count > 0 and page > 0)
        self.next_button.setEnabled(count > 0 and page < count - 1)
        self.page_box.setAccessibleDescription(
            self.tr("Page {value} of {count}").format(value=page + 1, count=count) if count else ""
        )

    def _update_controls(self) -> None:
        count = self.page_count()
        self.page_box.setRange(1 if count else 0, count)
        self.page_total.setText(self.tr("of {count}").format(count=count))
        self.page_total.setAccessibleName(self.tr("{count} pages").format(count=count))
        for widget in (
            self.page_box,
            self.zoom_combo,
            self.zoom_in_button,
            self.zoom_out_button,
        ):
            widget.setEnabled(count > 0)
        self._page_changed(self.current_page() if count else 0)
