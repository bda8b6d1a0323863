"""User-facing text goes through the translation layer (inspector_app.core.i18n for the command
line and the report, Qt's tr() for the screens), so a Welsh edition is a catalogue, not a
rewrite: messages are literals a catalogue can hold, a catalogue really changes what is
printed, and without one English is exactly as written."""

from __future__ import annotations

import ast
import shutil
import subprocess
from collections.abc import Iterator
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


def non_literal_messages(path: Path) -> list[str]:
    """Where a module passes something other than a string literal as a message (an f-string,
    a variable, a concatenation): a catalogue cannot hold those."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for name, call in _calls(tree):
        if name == "counted" and len(call.args) < 3:
            found.append(f"{path.name}:{call.lineno}: counted() without its literal pair")
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
    assert non_literal_messages(path) == []


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
        "WelcomePage",
        {"What would you like to do?": "Beth hoffech chi ei wneud?"},
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


def _write_qm(target: Path, context: str, words: dict[str, str], work: Path) -> None:
    """A Qt catalogue compiled from a .ts file by lrelease, as `pyside6-lrelease` would."""
    messages = "".join(
        f"<message><source>{escape(source)}</source>"
        f"<translation>{escape(translation)}</translation></message>"
        for source, translation in words.items()
    )
    ts = work / "fake.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS>'
        f'<TS version="2.1" language="{WELSH}"><context><name>{context}</name>'
        f"{messages}</context></TS>",
        encoding="utf-8",
    )
    subprocess.run([_lrelease(), str(ts), "-qm", str(target)], check=True, capture_output=True)


def _lrelease() -> str:
    import PySide6

    shipped = Path(PySide6.__file__).parent / "lrelease"
    found = shipped if shipped.exists() else shutil.which("pyside6-lrelease")
    assert found, "lrelease (shipped with PySide6) is needed to compile a Qt catalogue"
    return str(found)
