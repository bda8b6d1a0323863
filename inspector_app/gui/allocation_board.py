"""The Allocation tab of the set-up screen: one column per person with the cases they read
first against their capacity ("7 of 8", and in words when they are over it), and the cases no
one has yet. Cases move by drag and drop, or by keyboard: M (move to), S (second reader),
Ctrl+Left/Right (to the neighbouring person), C (the person's capacity)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from inspector_app.app.team_board import BoardCase, Person, TeamBoard
from inspector_app.core.plural import counted
from inspector_app.gui.style import attention, char_width, css_color, heading_font, muted_text

SAMPLE_ROLE = Qt.ItemDataRole.UserRole
READER_ROLES = ("inspector", "assessor")
NOBODY = ""  # the column of cases no one reads yet


class CaseColumn(QListWidget):
    """One person's cases. Dropping cases from another column asks for them to be moved here."""

    dropped = Signal(list, str)  # sample numbers, the person's name
    menuRequested = Signal(str, QPoint)  # "move" or "second", where
    stepRequested = Signal(int)  # -1 or +1: to the neighbouring column
    capacityRequested = Signal(str)  # the person's name

    def __init__(self, person: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person = person
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setWordWrap(True)
        self.setSpacing(2)
        self.setAlternatingRowColors(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.customContextMenuRequested.connect(lambda pos: self.menuRequested.emit("", pos))

    def sample_numbers(self) -> list[int]:
        """The chosen cases this column reads first (second reads are shown, never moved)."""
        return sorted(
            int(item.data(SAMPLE_ROLE))
            for item in self.selectedItems()
            if item.data(SAMPLE_ROLE) is not None
        )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if isinstance(event.source(), CaseColumn) and event.source() is not self:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if isinstance(event.source(), CaseColumn) and event.source() is not self:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        source = event.source()
        if not isinstance(source, CaseColumn) or source is self or not self.person:
            event.ignore()
            return
        numbers = source.sample_numbers()
        # Copy, not move: the board is drawn again from the file once the move is saved.
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        if numbers:
            self.dropped.emit(numbers, self.person)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        plain = mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        here = self.visualItemRect(self.currentItem()).bottomLeft() if self.currentItem() else None
        if plain and key == Qt.Key.Key_M:
            self.menuRequested.emit("move", here or QPoint(0, 0))
        elif plain and key == Qt.Key.Key_S:
            self.menuRequested.emit("second", here or QPoint(0, 0))
        elif plain and key == Qt.Key.Key_C and self.person:
            self.capacityRequested.emit(self.person)
        elif mods == Qt.KeyboardModifier.ControlModifier and key in (
            Qt.Key.Key_Left,
            Qt.Key.Key_Right,
        ):
            self.stepRequested.emit(-1 if key == Qt.Key.Key_Left else +1)
        else:
            super().keyPressEvent(event)


class AllocationBoard(QWidget):
    """Requests moves; the set-up screen makes them and draws the board again."""

    moveRequested = Signal(list, str)  # sample numbers, to whom (first reader)
    secondReaderRequested = Signal(int, str)  # sample number, who ("" for nobody)
    capacityRequested = Signal(str)  # whose capacity to set
    shareOutRequested = Signal()  # the cases no one reads, balanced within the capacities

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Allocation"))
        self.board: TeamBoard | None = None
        self.columns: dict[str, CaseColumn] = {}
        self.details: dict[str, QLabel] = {}  # what each column's heading says of its cases
        self.intro = QLabel(
            self.tr(
                "Drag cases between people, or choose a case and press M to move it, S "
                "to give it a second reader, Ctrl+Left or Ctrl+Right to pass it to the "
                "neighbouring person, C to set the person's capacity."
            )
        )
        self.intro.setWordWrap(True)
        self.intro.setStyleSheet(f"color: {css_color(muted_text(self))};")
        self.share_button = QPushButton(self.tr("S&hare out the cases not allocated"))
        self.share_button.setToolTip(
            self.tr(
                "Give every case no one reads yet a first reader, balancing the number "
                "and mix of cases within each person's capacity"
            )
        )
        self.share_button.clicked.connect(self.shareOutRequested)
        top = QHBoxLayout()
        top.addWidget(self.intro, 1)
        top.addWidget(self.share_button)
        self.host = QWidget()
        self.row = QHBoxLayout(self.host)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setWidget(self.host)
        self.scroller.setAccessibleName(self.tr("People and their cases"))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scroller, 1)

    def readers(self) -> list[Person]:
        """Everyone who reads cases: inspectors and assessors, and a lead who has some."""
        if self.board is None:
            return []
        return [
            p
            for p in self.board.people
            if p.role in READER_ROLES or p.first_reads or p.second_reads
        ]

    def set_board(self, board: TeamBoard) -> None:
        focused = next((n for n, c in self.columns.items() if c.hasFocus()), None)
        chosen = self.columns[focused].sample_numbers() if focused in self.columns else []
        self.board = board
        while self.row.count():
            item = self.row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.columns = {}
        self.details = {}
        self.share_button.setEnabled(bool(board.unallocated))
        groups: list[tuple[str, str, str, tuple[BoardCase, ...], tuple[BoardCase, ...], int]] = []
        if board.unallocated:
            groups.append((NOBODY, self.tr("Not allocated"), "", board.unallocated, (), 0))
        for person in self.readers():
            second = (
                f", {counted(len(person.second_reads), '{n} second read', '{n} second reads')}"
                if person.second_reads
                else ""
            )
            groups.append(
                (
                    person.name,
                    person.name,
                    f"{self.load_text(person)}{second}" + (f"\n{person.mix}" if person.mix else ""),
                    person.first_reads,
                    person.second_reads,
                    person.over_capacity,
                )
            )
        for name, title, summary, cases, seconds, over in groups:
            self.row.addWidget(self._column(name, title, summary, cases, seconds, over))
        self.row.addStretch(1)
        if focused is not None and focused in self.columns:
            self._select(self.columns[focused], chosen)

    def load_text(self, person: Person) -> str:
        """The cases a person reads first against their capacity: "7 of 8 cases", or with
        the words "over capacity" when they have more (never told by colour alone)."""
        cases = len(person.first_reads)
        if person.capacity is None:
            return counted(cases, "{n} case", "{n} cases")
        text = counted(person.capacity, "{cases} of {n} case", "{cases} of {n} cases", cases=cases)
        if person.over_capacity:
            text += self.tr(": {over} over capacity").format(over=person.over_capacity)
        return text

    def _column(
        self,
        name: str,
        title: str,
        summary: str,
        cases: tuple[BoardCase, ...],
        seconds: tuple[BoardCase, ...],
        over: int = 0,
    ) -> QWidget:
        box = QWidget()
        box.setMinimumWidth(round(char_width(self) * 30))
        box.setMaximumWidth(round(char_width(self) * 42))
        heading = QLabel(title)
        heading.setFont(heading_font(self.font(), 1.05))
        heading.setWordWrap(True)
        detail = QLabel(("⚠ " if over else "") + summary)
        detail.setWordWrap(True)
        colour = attention(self) if over else muted_text(self)
        detail.setStyleSheet(
            f"color: {css_color(colour)};" + (" font-weight: bold;" if over else "")
        )
        detail.setAccessibleName(self.tr("About {title}'s cases").format(title=title))
        column = CaseColumn(name)
        column.setAccessibleName(
            self.tr("Cases of {title}").format(title=title)
            if name
            else self.tr("Cases not allocated")
        )
        column.setAccessibleDescription(summary)
        self.details[name] = detail
        heading.setBuddy(column)
        for case in cases:
            kind, _, rest = case.description.partition(" · ")
            lines = [f"{case.label}  {kind}".rstrip(), rest.replace(" · ", " RoSH · ", 1)]
            if case.second_reader:
                lines.append(
                    self.tr("second reader: {second_reader}").format(
                        second_reader=case.second_reader
                    )
                )
            item = QListWidgetItem("\n".join(line for line in lines if line))
            item.setData(SAMPLE_ROLE, case.sample_no)
            item.setToolTip(f"{case.label}: {case.description} · {case.status}")
            column.addItem(item)
        for case in seconds:  # shown for the whole picture; moved from the first reader's side
            item = QListWidgetItem(
                self.tr("{label}  second read\nfirst reader: {first_reader}").format(
                    label=case.label, first_reader=case.first_reader
                )
            )
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setForeground(muted_text(self))
            item.setToolTip(
                self.tr(
                    "{title} reads {label} a second time; change it from "
                    "{first_reader}'s column (S)"
                ).format(title=title, label=case.label, first_reader=case.first_reader)
            )
            column.addItem(item)
        column.dropped.connect(self.moveRequested)
        column.menuRequested.connect(lambda kind, pos, c=column: self._menu(c, kind, pos))
        column.stepRequested.connect(lambda step, c=column: self._step(c, step))
        column.capacityRequested.connect(self.capacityRequested)
        self.columns[name] = column
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.addWidget(heading)
        layout.addWidget(detail)
        layout.addWidget(column, 1)
        return box

    def column_of(self, name: str) -> CaseColumn:
        return self.columns[name]

    def _select(self, column: CaseColumn, numbers: list[int]) -> None:
        column.setFocus()
        first = None
        for row in range(column.count()):
            item = column.item(row)
            number = item.data(SAMPLE_ROLE) if item is not None else None
            if item is not None and number is not None and int(number) in numbers:
                item.setSelected(True)
                first = first if first is not None else row
        if first is not None:
            column.setCurrentRow(first, column.selectionModel().SelectionFlag.Select)
        elif column.count():
            column.setCurrentRow(0)

    def _people_names(self) -> list[str]:
        return [p.name for p in self.readers()]

    def _menu(self, column: CaseColumn, kind: str, pos: QPoint) -> None:
        numbers = column.sample_numbers()
        if self.board is None:
            return
        menu = QMenu(self)
        if kind == "" and column.person:
            action = menu.addAction(self.tr("Ca&pacity of {name}…").format(name=column.person))
            action.triggered.connect(
                lambda _c=False, n=column.person: self.capacityRequested.emit(n)
            )
        if not numbers:
            if not menu.isEmpty():
                self.show_menu(menu, column.viewport().mapToGlobal(pos))
            return
        if kind in ("", "move"):
            moves = menu if kind == "move" else menu.addMenu(self.tr("&Move to"))
            for name in self._people_names():
                if name != column.person:
                    action = moves.addAction(name)
                    action.triggered.connect(
                        lambda _c=False, n=name: self.moveRequested.emit(numbers, n)
                    )
        if kind in ("", "second") and len(numbers) == 1:
            case = self.board.case(numbers[0])
            seconds = menu if kind == "second" else menu.addMenu(self.tr("&Second reader"))
            for name in self._people_names():
                if name not in (case.first_reader, case.second_reader):
                    action = seconds.addAction(name)
                    action.triggered.connect(
                        lambda _c=False, n=name: self.secondReaderRequested.emit(numbers[0], n)
                    )
            if case.second_reader:
                seconds.addSeparator()
                action = seconds.addAction(
                    self.tr("No second reader (not {second_reader})").format(
                        second_reader=case.second_reader
                    )
                )
                action.triggered.connect(
                    lambda _c=False: self.secondReaderRequested.emit(numbers[0], "")
                )
        if not menu.isEmpty():
            self.show_menu(menu, column.viewport().mapToGlobal(pos))

    def show_menu(self, menu: QMenu, at: QPoint) -> None:
        """Shows the menu where the case is, and waits for a choice."""
        menu.exec(at)

    def _step(self, column: CaseColumn, step: int) -> None:
        names = self._people_names()
        numbers = column.sample_numbers()
        if not numbers:
            return
        if column.person in names:
            index = names.index(column.person) + step
        else:  # the column of cases no one reads: Right goes to the first person
            index = 0 if step > 0 else -1
        if 0 <= index < len(names):
            self.moveRequested.emit(numbers, names[index])
