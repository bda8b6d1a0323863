"""User-facing text goes through the translation layer (inspector_app.core.i18n for the command
line and the report, Qt's tr() for the screens), so a Welsh edition is a catalogue, not a
rewrite: messages are literals a catalogue can hold, the screens' constants (column headers,
file filters, states' names) are marked for the catalogue and translated where shown, a
catalogue really changes what is printed, and without one English is exactly as written."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo

from inspector_app.core import i18n
from inspector_app.core.plural import counted

PACKAGE = Path(__file__).resolve().parents[2] / "inspector_app"
# Where every message must be a literal: the command line and the report's own words, and
# the screens (Qt's lupdate, like pybabel, reads literals only).
CHECKED = sorted(
    [
        *(PACKAGE / "cli").glob("*.py"),
        *(
            PACKAGE / "core" / "report" / f"{name}.py"
            for name in ("text", "press_release", "pdf", "docx", "data")
        ),
    ]
)
SCREENS = sorted((PACKAGE / "gui").rglob("*.py"))
# The functions whose arguments a catalogue extracts, and which of them are the message(s);
# the same keywords babel.cfg's command passes to `pybabel extract`.
MESSAGE_ARGUMENTS = {
    "_": (0,),
    "N_": (0,),
    "ngettext": (0, 1),
    "counted": (1, 2),
    "tr": (0,),
    "translate": (0, 1),
    "QT_TRANSLATE_NOOP": (0, 1),
}
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "counted": (2, 3), "noun_for": (2, 3)}
WELSH = "cy"


QT_CALLS = {("self", "tr"), ("QCoreApplication", "translate")}


def _calls(tree: ast.AST) -> Iterator[tuple[str, ast.Call]]:
    """Each call by its function's name: `_(...)`; `self.tr(...)` as "tr" and
    `QCoreApplication.translate(...)` as "translate"."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Name):
            yield function.id, node
        elif (
            isinstance(function, ast.Attribute)
            and isinstance(function.value, ast.Name)
            and (function.value.id, function.attr) in QT_CALLS
        ):
            yield function.attr, node


def _is_literal(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def non_literal_messages(path: Path, marked: frozenset[str] = frozenset()) -> list[str]:
    """Where a module passes something other than a string literal as a message (an f-string,
    a variable, a concatenation): a catalogue cannot hold those. The one exception is Qt's
    `translate(context, NAME...)` of a constant in `marked` (the names of the constants marked
    QT_TRANSLATE_NOOP where they are defined, which is where lupdate reads them)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for name, call in _calls(tree):
        if name == "counted" and len(call.args) < 3:
            found.append(f"{path.name}:{call.lineno}: counted() without its literal pair")
            continue
        if name == "translate" and len(call.args) > 1 and not _is_literal(call.args[1]):
            if not _references(call.args[1], tree) & marked:
                found.append(f"{path.name}:{call.lineno}: translate() of an unmarked constant")
            continue
        for index in MESSAGE_ARGUMENTS.get(name, ()):
            if index < len(call.args) and not _is_literal(call.args[index]):
                found.append(f"{path.name}:{call.lineno}: {name}() of {ast.unparse(call)[:60]}")
        if (
            name == "translated"
            and call.args
            and (_is_literal(call.args[0]) or isinstance(call.args[0], ast.JoinedStr | ast.Call))
        ):
            found.append(f"{path.name}:{call.lineno}: translated() takes a constant marked N_")
    return found


def translated_at_import(path: Path) -> list[str]:
    """Messages translated when the module is imported, before any language is chosen."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    inside = {
        id(node)
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        for node in ast.walk(function)
    }
    return [
        f"{path.name}:{call.lineno}: {name}() at import"
        for name, call in _calls(tree)
        if name in ("_", "ngettext", "translated") and id(call) not in inside
    ]


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_every_message_is_a_literal_a_catalogue_can_hold(path: Path) -> None:
    assert non_literal_messages(path) == []
    assert translated_at_import(path) == []


@pytest.mark.parametrize("path", SCREENS, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_every_message_on_the_screens_is_a_literal(path: Path) -> None:
    assert non_literal_messages(path, frozenset(c.name for c in screen_constants())) == []


def test_the_check_finds_a_message_made_at_the_call(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text(
        "def f(name, n):\n"
        "    print(_(f'Wrote {name}'))\n"
        "    print(ngettext(name, 'files', n))\n"
        "    print(counted(n, 'file'))\n"
        "    print(self.tr(name))\n"
        "HELP = _('at import')\n",
        encoding="utf-8",
    )
    assert len(non_literal_messages(module)) == 4
    assert translated_at_import(module) == ["bad.py:6: _() at import"]


def test_pybabel_extracts_the_command_line_and_report_messages() -> None:
    """What `pybabel extract` collects with the keywords babel.cfg names: plain messages,
    constants marked N_, and both forms of a counted phrase."""
    messages = {
        message
        for path in CHECKED
        for _line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords=KEYWORDS
        )
    }
    assert "create a master inspection file" in messages  # a command's help
    assert "Foreword" in messages  # a report heading, marked N_
    assert ("{n} case", "{n} cases") in messages  # a counted phrase
    assert len(messages) > 400


# -- the screens' constants -------------------------------------------------------------------
# A string a module or class of the screens keeps (a column header, a file filter, a state's
# name) is read before any translator is installed: it is marked where it is defined with
# QT_TRANSLATE_NOOP(context, "..."), the context being the class's name for a class attribute
# and the module's for a module constant (gui/translation.py), and translated where it is
# shown with QCoreApplication.translate(context, NAME...).

# Module and class constants of the screens that read as words but are not for a catalogue,
# by module and name, with why.
NOT_MESSAGES = {
    ("about_dialog.py", "APP_NAME"): "the product's name, the same in every language",
    ("main_window.py", "APP_TITLE"): "the product's name, the same in every language",
    ("settings.py", "ORGANISATION"): "the settings' folder, never shown",
    ("settings.py", "APPLICATION"): "the settings' folder, never shown",
    ("question_row.py", "SEGMENTED_STYLE"): "a style sheet",
    ("wrapping_tabs.py", "STYLE"): "a style sheet",
    ("dialogs.py", "LOCAL_COPY"): "the code of a choice, never shown",
    ("merge_window.py", "NOTHING_NEW"): "the code of a row's state, never shown",
    ("error_reporting.py", "where"): "where the error happened, for the log",
}
_WORDS = re.compile(r"[^\W\d_]{2,}\s+\(?[^\W\d_]{2,}|^[A-Z][a-z]{2,}$")


@dataclass(frozen=True)
class Constant:
    """A constant of the screens marked QT_TRANSLATE_NOOP: where, its name and its owner (the
    class it is an attribute of, None for a module constant), and the contexts it is marked
    in."""

    module: str
    name: str
    owner: str | None
    contexts: frozenset[str]


def _definitions(tree: ast.Module) -> Iterator[tuple[str | None, ast.stmt]]:
    """The statements run at import, with the class each is in (None: the module's)."""
    for node in tree.body:
        yield None, node
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                yield node.name, item


def _targets(node: ast.stmt) -> list[str]:
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    return [n.id for t in targets if t is not None for n in ast.walk(t) if isinstance(n, ast.Name)]


def _marks(node: ast.AST) -> list[ast.Call]:
    return [
        n
        for n in ast.walk(node)
        if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "QT_TRANSLATE_NOOP"
    ]


def _strings_outside_marks(node: ast.AST) -> Iterator[ast.Constant]:
    """The string literals of `node`, but those inside QT_TRANSLATE_NOOP and a dict's keys."""
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "QT_TRANSLATE_NOOP":
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    for name, value in ast.iter_fields(node):
        children = value if isinstance(value, list) else [value]
        for child in children:
            if isinstance(child, ast.AST) and not (isinstance(node, ast.Dict) and name == "keys"):
                yield from _strings_outside_marks(child)


def marked_constants(path: Path) -> tuple[list[Constant], list[str]]:
    """The constants `path` marks for the catalogue, and what is wrong with its marks and its
    constants: a mark in a context not its own, a mark outside a constant (in a function,
    where it is no use), or a constant that reads as words and is not marked."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    constants, problems = [], []
    placed: set[int] = set()
    for owner, node in _definitions(tree):
        defaults: list[tuple[str, ast.expr]] = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args
            positional = [*arguments.posonlyargs, *arguments.args]
            defaults += zip(
                [a.arg for a in positional[len(positional) - len(arguments.defaults) :]],
                arguments.defaults,
                strict=True,
            )
            defaults += [
                (a.arg, d)
                for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
                if d
            ]
        elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            defaults += [(name, node.value) for name in _targets(node)]
        own_context = owner or path.stem
        for name, value in defaults:
            if name == "__all__":
                continue
            marks = _marks(value)
            placed.update(id(mark) for mark in marks)
            contexts = {m.args[0].value for m in marks if m.args and _is_literal(m.args[0])}
            problems += [
                f"{path.name}:{value.lineno}: {name} marked in {context!r}, not {own_context!r}"
                for context in sorted(contexts - {own_context})
            ]
            if marks:
                constants.append(Constant(path.name, name, owner, frozenset(contexts)))
            if (path.name, name) in NOT_MESSAGES:
                continue
            problems += [
                f"{path.name}:{string.lineno}: {name} = {string.value[:40]!r} is not marked"
                for string in _strings_outside_marks(value)
                if _WORDS.search(string.value)
            ]
    problems += [
        f"{path.name}:{mark.lineno}: QT_TRANSLATE_NOOP outside a module or class constant"
        for mark in _marks(tree)
        if id(mark) not in placed
    ]
    return constants, problems


@cache
def screen_constants() -> tuple[Constant, ...]:
    return tuple(c for path in SCREENS for c in marked_constants(path)[0])


def _references(expression: ast.expr, tree: ast.AST) -> set[str]:
    """The names `expression` reads (`HEADERS` of `self.HEADERS[section]`), with those of the
    sequence a comprehension or loop around it takes its variable from (`WIDGET_KEYS` of
    `translate(context, row.keys) for row in WIDGET_KEYS`)."""
    names = {n.id for n in ast.walk(expression) if isinstance(n, ast.Name)}
    names |= {n.attr for n in ast.walk(expression) if isinstance(n, ast.Attribute)}
    for node in ast.walk(tree):
        loops: list[ast.comprehension] | list[ast.For]
        if isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
            loops = node.generators
        elif isinstance(node, ast.For):
            loops = [node]
        else:
            continue
        if not any(expression is n for n in ast.walk(node)):
            continue
        for loop in loops:
            variables = {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}
            if variables & names:
                names |= {n.id for n in ast.walk(loop.iter) if isinstance(n, ast.Name)}
                names |= {n.attr for n in ast.walk(loop.iter) if isinstance(n, ast.Attribute)}
    return names


@dataclass(frozen=True)
class Translation:
    """A `QCoreApplication.translate(context, NAME...)` of a constant: the names its message
    reads, its context (None when worked out as it runs) and the class it is in."""

    names: frozenset[str]
    context: str | None
    inside: str | None


def constant_translations(path: Path) -> list[Translation]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for owner, node in _definitions(tree):
        if isinstance(node, ast.ClassDef):
            continue  # its methods are visited with their class
        for called, call in _calls(node):
            if called != "translate" or len(call.args) < 2 or _is_literal(call.args[1]):
                continue
            context = call.args[0].value if _is_literal(call.args[0]) else None
            found.append(Translation(frozenset(_references(call.args[1], node)), context, owner))
    return found


def _bases(paths: list[Path]) -> dict[str, set[str]]:
    """Each class of the screens with the names of its base classes."""
    classes: dict[str, set[str]] = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                classes.setdefault(node.name, set()).update(
                    b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
                )
    return classes


def _ancestors(name: str, bases: Mapping[str, set[str]]) -> set[str]:
    found, todo = set(), [name]
    while todo:
        for base in bases.get(todo.pop(), ()):
            if base not in found:
                found.add(base)
                todo.append(base)
    return found


def untranslated_constants(paths: list[Path]) -> list[str]:
    """The marked constants that no `translate` shows: one is shown when a translate reads it
    in the context it is marked in, or in a context worked out as it runs (the class that set
    the headers) inside a class it inherits from (HeaderedTableModel)."""
    bases = _bases(paths)
    translations = [t for path in paths for t in constant_translations(path)]
    missing = []
    for path in paths:
        for constant in marked_constants(path)[0]:
            inherited = _ancestors(constant.owner, bases) if constant.owner else set()
            if not any(
                constant.name in t.names
                and (
                    t.context in constant.contexts or (t.context is None and t.inside in inherited)
                )
                for t in translations
            ):
                missing.append(f"{constant.module}: {constant.name} is never translated")
    return missing


@pytest.mark.parametrize("path", SCREENS, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_every_constant_on_the_screens_is_marked_for_the_catalogue(path: Path) -> None:
    assert marked_constants(path)[1] == []


def test_every_marked_constant_is_translated_where_it_is_shown() -> None:
    assert screen_constants(), "no constant of the screens is marked QT_TRANSLATE_NOOP"
    assert untranslated_constants(SCREENS) == []


def test_the_check_finds_a_constant_left_in_english(tmp_path: Path) -> None:
    shown = tmp_path / "shown.py"
    shown.write_text(
        "TITLE = 'Save the report'\n"  # not marked
        "CODES = {'not started': 1}\n"  # a key, not words shown
        "NOTE = QT_TRANSLATE_NOOP('shown', 'Kept as written')\n"  # marked, never translated
        "FILTER = QT_TRANSLATE_NOOP('other', 'Text files (*.txt)')\n"  # not its context
        "class Model(HeaderedTableModel):\n"
        "    HEADERS = (QT_TRANSLATE_NOOP('Model', 'Person'), 'Role')\n"
        "def show(label, title='Nothing to show'):\n"
        "    label.setText(QCoreApplication.translate('shown', FILTER))\n"
        "    label.setToolTip(QT_TRANSLATE_NOOP('shown', 'Too late'))\n",
        encoding="utf-8",
    )
    table = tmp_path / "table.py"
    table.write_text(
        "class HeaderedTableModel:\n"
        "    def headerData(self, section):\n"
        "        return QCoreApplication.translate(owner(self), self.HEADERS[section])\n",
        encoding="utf-8",
    )
    constants, problems = marked_constants(shown)
    assert [c.name for c in constants] == ["NOTE", "FILTER", "HEADERS"]
    assert [problem.split(": ", 1)[1] for problem in problems] == [
        "TITLE = 'Save the report' is not marked",
        "FILTER marked in 'other', not 'shown'",
        "HEADERS = 'Role' is not marked",
        "title = 'Nothing to show' is not marked",
        "QT_TRANSLATE_NOOP outside a module or class constant",
    ]
    assert untranslated_constants([shown, table]) == [
        "shown.py: NOTE is never translated",
        "shown.py: FILTER is never translated",  # translated, but in another context
    ]
    assert non_literal_messages(shown, frozenset({"FILTER"})) == []
    assert non_literal_messages(shown) == [
        "shown.py:8: translate() of an unmarked constant",
    ]


# -- a fake Welsh catalogue ----------------------------------------------------------------


def _welsh(*pairs: tuple[str | tuple[str, str], str | tuple[str, ...]]) -> Catalog:
    catalog = Catalog(locale=WELSH, domain=i18n.DOMAIN)
    for message, translation in pairs:
        catalog.add(message, translation)
    return catalog


@pytest.fixture
def welsh_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """resources/locale stood in for by a folder of the test's own, with Welsh chosen; the
    process's language is put back afterwards."""
    monkeypatch.setattr(i18n, "locale_folder", lambda: tmp_path)
    monkeypatch.setenv(i18n.LANGUAGE_VARIABLE, WELSH)
    i18n.translator.cache_clear()
    i18n.set_language(None)
    yield tmp_path
    monkeypatch.delenv(i18n.LANGUAGE_VARIABLE, raising=False)
    i18n.translator.cache_clear()
    i18n.set_language(None)


def _write_mo(folder: Path, catalog: Catalog) -> None:
    target = folder / WELSH / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    target.parent.mkdir(parents=True)
    with open(target, "wb") as handle:
        write_mo(handle, catalog)
    i18n.translator.cache_clear()
    i18n.set_language(None)


def test_a_catalogue_changes_what_the_command_line_prints(
    welsh_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from inspector_app.cli.main import run_cli

    cases = ("{n} achos",) * 6  # Welsh has six plural forms
    _write_mo(
        welsh_folder,
        _welsh(
            ("create a master inspection file", "creu prif ffeil arolygu"),
            (("{n} case", "{n} cases"), cases),
        ),
    )
    assert run_cli(["--help"]) == 0
    printed = capsys.readouterr().out
    assert "creu prif ffeil arolygu" in printed
    assert "create a master inspection file" not in printed
    assert counted(2, "{n} case", "{n} cases") == "2 achos"


def test_the_report_speaks_its_own_language_whatever_the_process_speaks(
    welsh_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The language is part of the report data: a Welsh report is Welsh in an English
    process, and the process's words stay its own while a report is rendered."""
    from inspector_app.core.report.data import ReportData
    from inspector_app.core.report.press_release import render_press_release

    _write_mo(welsh_folder, _welsh(("Notes to editors:", "Nodiadau i olygyddion:")))
    monkeypatch.delenv(i18n.LANGUAGE_VARIABLE)
    i18n.set_language(None)
    english = _press_release_data(ReportData, i18n.ENGLISH)
    welsh = _press_release_data(ReportData, WELSH)
    assert "Nodiadau i olygyddion:" in render_press_release(welsh)
    assert "Notes to editors:" in render_press_release(english)
    assert i18n._("Notes to editors:") == "Notes to editors:"


def test_a_qt_catalogue_changes_a_label_on_the_screen(
    welsh_folder: Path, qapp: object, tmp_path: Path
) -> None:
    from PySide6.QtCore import QCoreApplication

    from inspector_app.gui.app import install_translators
    from inspector_app.gui.welcome import WelcomePage

    _write_qm(
        welsh_folder / f"inspector_{WELSH}.qm",
        {"WelcomePage": {"What would you like to do?": "Beth hoffech chi ei wneud?"}},
        tmp_path,
    )
    installed = install_translators(qapp)
    try:
        assert installed, "inspector_cy.qm was not installed"
        assert WelcomePage().question.text() == "Beth hoffech chi ei wneud?"
    finally:
        for translator in installed:
            QCoreApplication.removeTranslator(translator)  # type: ignore[arg-type]
    assert WelcomePage().question.text() == "What would you like to do?"


def test_a_qt_catalogue_changes_a_menu_a_column_header_and_a_marked_constant(
    welsh_folder: Path, qapp: object, qtbot: object, tmp_path: Path
) -> None:
    """The main window's menus (`tr` in MainMenus), a table's column headers (marked in the
    model's class, translated by HeaderedTableModel) and the keyboard reference's keys (a
    module constant) all speak the catalogue; the constants themselves stay English."""
    from PySide6.QtCore import QCoreApplication, Qt

    from inspector_app.gui.actions import WIDGET_KEYS
    from inspector_app.gui.app import install_translators
    from inspector_app.gui.dashboard_view import DashboardModel
    from inspector_app.gui.main_window import MainWindow
    from inspector_app.gui.models import CaseListModel

    _write_qm(
        welsh_folder / f"inspector_{WELSH}.qm",
        {
            "MainMenus": {"&File": "&Ffeil", "&Help": "&Cymorth"},
            "DashboardModel": {"Person": "Unigolyn"},
            "CaseListModel": {"Status": "Statws"},
            "actions": {"Delete": "Dileu"},
        },
        tmp_path,
    )
    installed = install_translators(qapp)
    try:
        assert installed, "inspector_cy.qm was not installed"
        window = MainWindow()
        qtbot.addWidget(window)  # type: ignore[attr-defined]
        menus = [action.text() for action in window.menuBar().actions()]
        assert menus[0] == "&Ffeil" and menus[-1] == "&Cymorth"
        assert "&Edit" in menus  # not in the catalogue: English as written
        header = Qt.Orientation.Horizontal
        assert DashboardModel().headerData(DashboardModel.COL_PERSON, header) == "Unigolyn"
        assert DashboardModel().headerData(DashboardModel.COL_ROLE, header) == "Role"
        assert CaseListModel().headerData(CaseListModel.COL_STATUS, header) == "Statws"
        keys = [row.keys for row in window.actions_registry.reference()]
        assert keys[1] == "Dileu"
        assert DashboardModel.HEADERS[0] == "Person" and WIDGET_KEYS[1].keys == "Delete"
    finally:
        for translator in installed:
            QCoreApplication.removeTranslator(translator)  # type: ignore[arg-type]
    assert DashboardModel().headerData(DashboardModel.COL_PERSON, header) == "Person"


# -- English without a catalogue -------------------------------------------------------------


def test_without_a_catalogue_english_is_as_written(
    welsh_folder: Path, capsys: pytest.CaptureFixture[str], qapp: object
) -> None:
    """Welsh chosen but no catalogue installed (the state today): every word is the English
    it was written in, the counted phrases keep their English plural rule, and the screens
    install no translator."""
    from inspector_app.cli.main import run_cli
    from inspector_app.core.report.data import ReportData
    from inspector_app.core.report.press_release import render_press_release
    from inspector_app.gui.app import install_translators

    assert i18n.language() == WELSH
    assert run_cli(["--help"]) == 0
    welsh_help = capsys.readouterr().out
    assert "create a master inspection file" in welsh_help
    assert [counted(n, "{n} case", "{n} cases") for n in (0, 1, 2)] == [
        "0 cases",
        "1 case",
        "2 cases",
    ]
    release = render_press_release(_press_release_data(ReportData, WELSH))
    assert release == render_press_release(_press_release_data(ReportData, i18n.ENGLISH))
    assert install_translators(qapp, "xx") == []
    i18n.set_language(i18n.ENGLISH)
    assert run_cli(["--help"]) == 0
    assert capsys.readouterr().out == welsh_help


# -- helpers -----------------------------------------------------------------------------------


def _press_release_data(report_data: type, language: str) -> object:
    """A small hand-made report: the press release needs only these fields."""
    from dataclasses import MISSING, fields

    values: dict[str, object] = {}
    for field in fields(report_data):
        if field.default is MISSING and field.default_factory is MISSING:
            values[field.name] = _blank(field.type)
    values.update(
        title="Inspection of adult offending work in Merseyside",
        organisation="Merseyside",
        programme="Inspection of Adult Offending Work",
        inspectorate="HM Inspectorate of Probation",
        inspectorate_short="HMI Probation",
        chief_inspector="Alex Morgan",
        chief_inspector_title="Chief Inspector of Probation",
        judgement="good",
        headline="working well",
        sample_size=40,
        fieldwork_dates="2 to 6 November 2026",
        work_phrase="work with adults who had offended",
        press_contact="the press office",
        language=language,
    )
    return report_data(**values)


def _blank(annotation: object) -> object:
    text = str(annotation)
    if text.startswith("tuple"):
        return ()
    if text == "bool":
        return False
    if text.startswith("int"):
        return 0
    return ""


def _write_qm(target: Path, contexts: dict[str, dict[str, str]], work: Path) -> None:
    """A Qt catalogue compiled from a .ts file by lrelease, as `pyside6-lrelease` would: the
    translation of each source text, by context."""
    body = "".join(
        f"<context><name>{escape(context)}</name>"
        + "".join(
            f"<message><source>{escape(source)}</source>"
            f"<translation>{escape(translation)}</translation></message>"
            for source, translation in words.items()
        )
        + "</context>"
        for context, words in contexts.items()
    )
    ts = work / "fake.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS>'
        f'<TS version="2.1" language="{WELSH}">{body}</TS>',
        encoding="utf-8",
    )
    subprocess.run([_lrelease(), str(ts), "-qm", str(target)], check=True, capture_output=True)


def _lrelease() -> str:
    import PySide6

    shipped = Path(PySide6.__file__).parent / "lrelease"
    found = shipped if shipped.exists() else shutil.which("pyside6-lrelease")
    assert found, "lrelease (shipped with PySide6) is needed to compile a Qt catalogue"
    return str(found)
