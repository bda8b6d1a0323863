"""The New Inspection wizard, walked with the keyboard only, checked on disk through the core."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from inspector_app.app.new_inspection import Member, Plan, create_inspection
from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.cases.status import file_status
from inspector_app.core.cases.team import list_members
from inspector_app.core.errors import InspectorError, PassphraseNeeded
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.narrative.parts import load_narrative
from inspector_app.gui.wizard import NewInspectionWizard
from tests.gui_app.conftest import alt, focused, press, type_text

Key = Qt.Key
MASTER_PASSPHRASE = "mersey-2026-master"
PRIYA_PASSPHRASE = "priya's own passphrase"
DANIEL_PASSPHRASE = "daniel-on-site"
UNENCRYPTED_REASON = "held only on the service's encrypted laptops"


def fill_inspection_page(wiz: NewInspectionWizard, *, encrypt: bool) -> None:
    page = wiz.inspection_page
    assert wiz.currentId() == wiz.PAGE_INSPECTION
    assert focused() is page.organisation
    type_text("Merseyside")
    assert page.title.text() == "Inspection of Adult Offending Work: Merseyside"
    alt("s")
    assert focused() is page.start
    type_text("02112026")
    alt("d")
    assert focused() is page.end
    type_text("30102026")  # before the start: refused, in words
    press(Key.Key_Return)
    assert wiz.currentId() == wiz.PAGE_INSPECTION
    assert "cannot end before it starts" in page.dates_message.text()  # beside the dates
    assert page.dates_message.text().startswith("Problem")  # not by colour alone
    assert focused() is page.end
    type_text("06112026")  # the day is chosen: the date is typed over it
    assert page.end.date().toString(Qt.DateFormat.ISODate) == "2026-11-06"
    assert not page.dates_message.isVisible()
    assert page.encrypt.isChecked()  # encrypted unless the lead says why not
    if encrypt:
        alt("a")
        type_text(MASTER_PASSPHRASE)
        alt("p")
        type_text("not the same")
        press(Key.Key_Return)
        assert wiz.currentId() == wiz.PAGE_INSPECTION
        assert "not the same" in page.message.text()
        assert focused() is page.repeat
        type_text(MASTER_PASSPHRASE)  # over what was there
    else:
        leave_unencrypted(wiz)
    press(Key.Key_Return)
    assert wiz.currentId() == wiz.PAGE_TEAM


def leave_unencrypted(wiz: NewInspectionWizard) -> None:
    """Untick encryption: the passphrase gives way to a reason, which is required."""
    page = wiz.inspection_page
    alt("y")
    assert focused() is page.encrypt and not page.encrypt.isChecked()
    assert page.reason.isVisible() and not page.passphrase.isVisible()
    press(Key.Key_Tab)  # the hidden passphrase fields are passed over
    assert focused() is page.reason
    press(Key.Key_Return)  # no reason: refused, in words, the keyboard on the reason
    assert wiz.currentId() == wiz.PAGE_INSPECTION
    assert "reason for not encrypting" in page.message.text()
    assert focused() is page.reason
    alt("y")  # ticked again: the passphrase, and no reason asked
    assert page.passphrase.isVisible() and not page.reason.isVisible()
    alt("y")
    alt("e")
    assert focused() is page.reason
    type_text(UNENCRYPTED_REASON)


def fill_team_page(wiz: NewInspectionWizard) -> None:
    page = wiz.team_page
    assert focused() is page.name
    press(Key.Key_Return)  # nobody yet: Next refuses and says why
    assert wiz.currentId() == wiz.PAGE_TEAM
    assert "lead" in page.message.text()
    type_text("Helen Ashworth")  # the first person is proposed as the lead
    press(Key.Key_Return)
    type_text("Daniel Okafor")  # then inspectors
    press(Key.Key_Return)
    type_text("Sam Mistake")
    press(Key.Key_Return)
    type_text("Priya Raman")
    press(Key.Key_Tab)
    assert focused() is page.role
    press(Key.Key_Down)  # Inspector -> Local assessor
    press(Key.Key_Tab)
    assert focused() is page.add_button
    press(Key.Key_Space)
    assert [(m.name, m.role) for m in page.members] == [
        ("Helen Ashworth", "lead"),
        ("Daniel Okafor", "inspector"),
        ("Sam Mistake", "inspector"),
        ("Priya Raman", "assessor"),
    ]
    # A second lead is refused with a message naming the lead.
    type_text("Another Lead")
    alt("r")
    press(Key.Key_Up)
    alt("a")
    assert "Helen Ashworth is already the lead" in page.message.text()
    page.name.clear()
    # Remove Sam with the keyboard: into the table, down to Sam, Delete.
    page.table.setFocus()
    page.table.selectRow(2)
    press(Key.Key_Delete)
    assert [m.name for m in page.members] == ["Helen Ashworth", "Daniel Okafor", "Priya Raman"]
    assert "3 people" in page.counts.text()
    press(Key.Key_Return)
    assert wiz.currentId() == wiz.PAGE_SAMPLE


def read_sample_file(qtbot, wiz: NewInspectionWizard, path: Path) -> None:
    page = wiz.sample_page
    assert focused() is page.path
    type_text(str(path))
    press(Key.Key_Return)  # checks the file (off the UI thread)
    qtbot.waitUntil(lambda: page.result is not None, timeout=10000)
    assert wiz.currentId() == wiz.PAGE_SAMPLE


def at_the_sample_step(qtbot, wiz: NewInspectionWizard, path: Path) -> None:
    """The inspection (left unencrypted) and the team entered, `path` read as the sample."""
    fill_inspection_page(wiz, encrypt=False)
    fill_team_page(wiz)
    read_sample_file(qtbot, wiz, path)


def walk_to_allocation(qtbot, wiz: NewInspectionWizard) -> dict[str, int]:
    qtbot.waitUntil(lambda: wiz.currentId() == wiz.PAGE_ALLOCATION)
    page = wiz.allocation_page
    qtbot.waitUntil(lambda: page.allocation is not None, timeout=15000)
    return dict(page.allocation or {})


def test_keyboard_walk_creates_master_and_fieldwork_files(
    qtbot, wizard: NewInspectionWizard, good_sample: Path, out_folder: Path, tmp_path: Path
) -> None:
    wiz = wizard
    fill_inspection_page(wiz, encrypt=True)
    fill_team_page(wiz)

    read_sample_file(qtbot, wiz, good_sample)
    page = wiz.sample_page
    assert "all 30 cases can be imported" in page.summary.text()
    assert not page.problems_view.isVisible()
    press(Key.Key_Return)  # clean and checked: Enter goes on

    allocation = walk_to_allocation(qtbot, wiz)
    assert allocation == {"Daniel Okafor": 15, "Priya Raman": 15}
    assert [row[:3] for row in wiz.allocation_page.model.rows] == [
        ("Daniel Okafor", "Inspector", "15"),
        ("Priya Raman", "Local assessor", "15"),
    ]
    # Then each person's mix of sentence types, a column each.
    preview = wiz.allocation_page.preview
    assert preview is not None
    assert wiz.allocation_page.model.headers[3:] == preview.values
    assert sum(preview.mix["Daniel Okafor"].values()) == 15
    assert "30 cases shared between 2 people" in wiz.allocation_page.summary.text()
    # Enter in a number box applies it, and stays on the page (it pressed Next past it).
    page = wiz.allocation_page
    page.capacity_person.setCurrentText("Daniel Okafor")
    page.capacity.setFocus()
    page.capacity.selectAll()
    type_text("10")
    press(Key.Key_Return)
    assert wiz.currentId() == wiz.PAGE_ALLOCATION
    assert page.capacities == {"Daniel Okafor": 10}
    qtbot.waitUntil(lambda: (page.allocation or {}).get("Daniel Okafor") == 10, timeout=15000)
    assert page.capacity_apply.accessibleName() == "Set the person's capacity"
    page.capacity.setFocus()
    page.capacity.selectAll()
    type_text("15")
    press(Key.Key_Return)
    qtbot.waitUntil(lambda: page.allocation == allocation, timeout=15000)
    # Back changes nothing on disk; forward again shows the same preview.
    alt("b")
    assert wiz.currentId() == wiz.PAGE_SAMPLE
    press(Key.Key_Return)
    assert walk_to_allocation(qtbot, wiz) == allocation
    assert list(tmp_path.rglob("*.inspection")) == []  # nothing written yet
    press(Key.Key_Return)

    fieldwork = wiz.fieldwork_page
    assert wiz.currentId() == wiz.PAGE_FIELDWORK
    assert list(fieldwork.passphrases) == ["Daniel Okafor", "Priya Raman"]
    assert "(one each: the master is encrypted)" in fieldwork.passphrase_heading.text()
    daniel_edit = fieldwork.passphrases["Daniel Okafor"]
    assert daniel_edit.accessibleName() == "Passphrase for Daniel Okafor's file"  # required
    press(Key.Key_Return)  # no folder yet
    assert "Choose the folder" in fieldwork.message.text()
    assert focused() is fieldwork.folder
    type_text(str(out_folder))
    press(Key.Key_Tab)  # Choose…
    press(Key.Key_Tab)  # identifying details
    press(Key.Key_Tab)
    assert focused() is fieldwork.passphrases["Daniel Okafor"]
    type_text("short")
    press(Key.Key_Return)
    assert "at least 8 characters" in fieldwork.message.text()
    assert focused() is fieldwork.passphrases["Daniel Okafor"]
    type_text(DANIEL_PASSPHRASE)
    press(Key.Key_Return)
    # The master is encrypted: Priya's file may not be left plain.
    assert "Priya Raman's file needs a passphrase" in fieldwork.message.text()
    assert focused() is fieldwork.passphrases["Priya Raman"]
    type_text(PRIYA_PASSPHRASE)
    press(Key.Key_Return)

    save = wiz.save_page
    assert wiz.currentId() == wiz.PAGE_SAVE
    assert focused() is save.path
    assert save.path.text().endswith("Merseyside-master.inspection")  # a suggestion
    assert "Priya Raman" in save.summary.text()
    master = tmp_path / "Merseyside-master.inspection"
    type_text(str(tmp_path / "Merseyside-master"))  # the suggestion is selected: replaced
    press(Key.Key_Return)  # Create the inspection
    qtbot.waitUntil(lambda: wiz.currentId() == wiz.PAGE_DONE, timeout=30000)

    done = wiz.done_page
    assert str(master) in done.master.text()
    written = {row[0]: row for row in done.model.rows}
    assert set(written) == {"Daniel Okafor", "Priya Raman"}
    assert written["Daniel Okafor"][3].startswith("Yes")
    assert written["Priya Raman"][3].startswith("Yes")
    assert written["Priya Raman"][2] == "Merseyside-fieldwork-Priya-Raman.inspection"
    assert not wiz.button(wiz.WizardButton.BackButton).isVisible()
    press(Key.Key_Return)  # Finish
    assert wiz.result() == wiz.DialogCode.Accepted
    assert wiz.created_path() == master

    # The master, through the core: encrypted, the team, 30 cases shared as previewed.
    with pytest.raises(PassphraseNeeded):
        InspectionFile.open(master)
    with InspectionFile.open(master, passphrase=MASTER_PASSPHRASE) as file:
        assert file.is_master
        info = file.inspection
        assert info.title == "Inspection of Adult Offending Work: Merseyside"
        assert info.organisation == "Merseyside"
        assert (info.fieldwork_start, info.fieldwork_end) == ("2026-11-02", "2026-11-06")
        members = {(m.name, m.role, m.cases) for m in list_members(file)}
        assert members == {
            ("Helen Ashworth", "lead", 0),
            ("Daniel Okafor", "inspector", 15),
            ("Priya Raman", "assessor", 15),
        }
        status = file_status(file)
        assert len(status.cases) == 30
        assert Counter(c.assessor for c in status.cases) == allocation
        # Each person's mix of sentence types is the one the preview showed.
        for name, mix in preview.mix.items():
            cases = [c for c in load_cases(file) if c.first_reader == name]
            assert Counter(str(c.profile["sentence_type"]) for c in cases) == Counter(mix)

    # One fieldwork file each, Daniel's with his own passphrase, with only his cases.
    files = sorted(out_folder.glob("*.inspection"))
    assert len(files) == 2
    daniel = next(p for p in files if "Daniel" in p.name)
    priya = next(p for p in files if "Priya" in p.name)
    with pytest.raises(PassphraseNeeded):
        InspectionFile.open(daniel, readonly=True)
    with InspectionFile.open(daniel, readonly=True, passphrase=DANIEL_PASSPHRASE) as file:
        assert not file.is_master
        assert file.role.owner_name == "Daniel Okafor"
        assert {c.assessor for c in file_status(file).cases} == {"Daniel Okafor"}
        assert len(file_status(file).cases) == 15
    with pytest.raises(PassphraseNeeded):
        InspectionFile.open(priya, readonly=True)
    with InspectionFile.open(priya, readonly=True, passphrase=PRIYA_PASSPHRASE) as file:
        assert file.role.owner_name == "Priya Raman"
        assert len(file_status(file).cases) == 15


def test_bad_sample_shows_every_problem_and_imports_only_valid_rows(
    qtbot, wizard: NewInspectionWizard, bad_sample: Path, out_folder: Path, tmp_path: Path
) -> None:
    wiz = wizard
    fill_inspection_page(wiz, encrypt=False)
    fill_team_page(wiz)
    read_sample_file(qtbot, wiz, bad_sample)

    page = wiz.sample_page
    assert page.panel.tabs.tabText(page.tab_problems) == "&Problems (3)"
    assert page.problems_model.rows == [
        (
            "4",
            "rosh",
            "Unknown value 'Extreme' for RoSH level (expected Low, Medium, High or Very high); map it to an allowed value, or exclude its rows.",
        ),
        ("6", "sample_no", "Sample number 2 is already used on row 3."),
        (
            "8",
            "tier",
            "Unknown value 'seven' for Tier (expected 1, 2, 3 or 4); map it to an allowed value, or exclude its rows.",
        ),
    ]
    summary = page.summary.text()
    assert "30 rows read" in summary
    assert "27 rows can be imported" in summary
    assert "3 rows have problems" in summary
    assert page.accept_valid.isVisible()
    assert not page.accept_valid.isChecked()

    # The unknown values wait for the lead's decision; Next is disabled until then.
    assert {row.spelling for row in page.session.undecided()} == {"Extreme", "seven"}
    assert not wiz.button(wiz.WizardButton.NextButton).isEnabled()

    press(Key.Key_Return)  # the file has problems: Enter checks it again, nothing else
    qtbot.waitUntil(lambda: page.result is not None, timeout=10000)
    alt("i")  # Import only the valid rows ...
    assert focused() is page.accept_valid
    press(Key.Key_Space) if not page.accept_valid.isChecked() else None
    assert page.accept_valid.isChecked()
    # ... which leaves 3 rows out: that needs the lead's confirmation and reason.
    assert page.exclusion.isVisible()
    assert "3 rows of 30 will be left out" in page.exclusion.heading.text()
    assert not wiz.button(wiz.WizardButton.NextButton).isEnabled()
    alt("o")
    assert focused() is page.exclusion.confirm and page.exclusion.confirm.isChecked()
    assert not wiz.button(wiz.WizardButton.NextButton).isEnabled()  # no reason yet
    alt("s")
    assert focused() is page.exclusion.reason
    type_text("values the trust could not explain")
    assert wiz.button(wiz.WizardButton.NextButton).isEnabled()
    press(Key.Key_Return)  # ... and go on
    allocation = walk_to_allocation(qtbot, wiz)
    assert allocation == {"Daniel Okafor": 14, "Priya Raman": 13}
    press(Key.Key_Return)

    assert wiz.currentId() == wiz.PAGE_FIELDWORK
    alt("w")  # no fieldwork files now
    assert not wiz.fieldwork_page.write.isChecked()
    press(Key.Key_Return)
    master = tmp_path / "Merseyside.inspection"
    type_text(str(master))
    press(Key.Key_Return)
    qtbot.waitUntil(lambda: wiz.currentId() == wiz.PAGE_DONE, timeout=30000)
    assert "27 cases imported, 3 rows left out" in wiz.done_page.master.text()
    assert not wiz.done_page.view.isVisible()
    press(Key.Key_Return)
    assert wiz.created_path() == master
    assert list(out_folder.iterdir()) == []
    with InspectionFile.open(master) as file:
        assert load_narrative(file).unencrypted_reason == UNENCRYPTED_REASON
        status = file_status(file)
        assert len(status.cases) == 27
        assert {c.sample_no for c in status.cases}.isdisjoint({3, 5, 7})
        assert Counter(c.assessor for c in status.cases) == allocation


def test_a_failed_step_writes_nothing_and_keeps_the_wizard_open(
    qtbot, wizard: NewInspectionWizard, good_sample: Path, out_folder: Path, tmp_path: Path
) -> None:
    wiz = wizard
    fill_inspection_page(wiz, encrypt=False)
    fill_team_page(wiz)
    read_sample_file(qtbot, wiz, good_sample)
    press(Key.Key_Return)
    walk_to_allocation(qtbot, wiz)
    press(Key.Key_Return)
    alt("o")
    type_text(str(out_folder))
    # The master is not encrypted: the fieldwork files' passphrases are optional.
    assert wiz.fieldwork_page.passphrase_heading.text() == "Passphrases (optional)"
    assert wiz.fieldwork_page.passphrases["Priya Raman"].accessibleName().endswith("(optional)")
    press(Key.Key_Return)
    assert wiz.currentId() == wiz.PAGE_SAVE
    # Priya's file is already in the folder (say, from an earlier attempt by hand).
    clash = out_folder / "Merseyside-fieldwork-Priya-Raman.inspection"
    clash.write_bytes(b"not ours")
    master = tmp_path / "Merseyside-master.inspection"
    type_text(str(master))
    press(Key.Key_Return)
    qtbot.waitUntil(lambda: wiz.save_page.message.isVisible(), timeout=30000)

    assert wiz.currentId() == wiz.PAGE_SAVE
    assert wiz.isVisible()
    message = wiz.save_page.message.text()
    assert "already exists" in message and "Nothing was written" in message
    assert not master.exists()
    assert sorted(p.name for p in out_folder.iterdir()) == [clash.name]  # Daniel's removed
    assert wiz.button(wiz.WizardButton.CommitButton).isEnabled()

    clash.unlink()  # put right, and try again
    wiz.save_page.path.setFocus()
    press(Key.Key_Return)
    qtbot.waitUntil(lambda: wiz.currentId() == wiz.PAGE_DONE, timeout=30000)
    assert master.exists()
    assert len(list(out_folder.glob("*.inspection"))) == 2


def test_sample_later_skips_allocation_and_fieldwork(
    qtbot, wizard: NewInspectionWizard, tmp_path: Path
) -> None:
    wiz = wizard
    fill_inspection_page(wiz, encrypt=False)
    fill_team_page(wiz)
    alt("l")
    assert wiz.sample_page.later.isChecked()
    press(Key.Key_Return)
    assert wiz.currentId() == wiz.PAGE_SAVE
    assert "No sample yet" in wiz.save_page.summary.text()
    assert f"not encrypted, recording the reason: “{UNENCRYPTED_REASON}”" in (
        wiz.save_page.summary.text()
    )
    type_text(str(tmp_path / "later.inspection"))
    press(Key.Key_Return)
    qtbot.waitUntil(lambda: wiz.currentId() == wiz.PAGE_DONE, timeout=30000)
    assert "Not encrypted (your reason is recorded in it)" in wiz.done_page.master.text()
    with InspectionFile.open(tmp_path / "later.inspection") as file:  # no passphrase asked
        assert not file.encrypted
        assert load_narrative(file).unencrypted_reason == UNENCRYPTED_REASON
        assert len(list_members(file)) == 3
        assert file_status(file).cases == ()


def test_the_master_is_encrypted_by_default(wizard: NewInspectionWizard) -> None:
    page = wizard.inspection_page
    assert page.encrypt.isChecked()
    assert page.passphrase.isVisible() and page.repeat.isVisible()
    assert not page.reason.isVisible() and not page.reason_note.isVisible()
    plan = wizard.plan()
    assert plan.passphrase == "" and plan.unencrypted_reason is None


def test_leaving_the_master_unencrypted_needs_a_reason(wizard: NewInspectionWizard) -> None:
    wiz = wizard
    page = wiz.inspection_page
    page.organisation.setText("Merseyside")
    page.encrypt.setChecked(False)
    assert page.reason.isVisible() and not page.passphrase.isVisible()
    assert page.reason.accessibleName() == "Reason for not encrypting"
    assert "offenders' data" in page.reason_note.text()
    assert "recorded in the inspection" in page.reason_note.text()
    for refused, says in (
        ("", "Give the reason for not encrypting the master file, or encrypt it."),
        ("   ", "Give the reason for not encrypting the master file, or encrypt it."),
        ("agreed\x07with IT", "The reason for not encrypting holds a control character"),
    ):
        page.reason.setText(refused)
        wiz.next()
        assert wiz.currentId() == wiz.PAGE_INSPECTION
        assert page.message.isVisible()
        assert page.message.text().startswith(f"Problem: {says}")
        assert "\n" not in page.message.text()  # one line
        assert focused() is page.reason
    page.reason.setText(f"  {UNENCRYPTED_REASON} ")
    assert wiz.plan().unencrypted_reason == UNENCRYPTED_REASON
    assert wiz.plan().passphrase is None
    wiz.next()
    assert wiz.currentId() == wiz.PAGE_TEAM
    assert not page.message.isVisible()


def test_ticking_encryption_again_drops_the_reason(wizard: NewInspectionWizard) -> None:
    page = wizard.inspection_page
    page.encrypt.setChecked(False)
    page.reason.setText(UNENCRYPTED_REASON)
    page.encrypt.setChecked(True)
    assert page.passphrase.isVisible() and not page.reason.isVisible()
    page.passphrase.setText(MASTER_PASSPHRASE)
    page.repeat.setText(MASTER_PASSPHRASE)
    plan = wizard.plan()
    assert (plan.passphrase, plan.unencrypted_reason) == (MASTER_PASSPHRASE, None)


def _plan(tmp_path: Path, **changes: object) -> Plan:
    values: dict[str, object] = {
        "title": "Inspection of Adult Offending Work: Sefton",
        "organisation": "Sefton",
        "programme": "Inspection of Adult Offending Work",
        "framework_id": "iaow-2013",
        "fieldwork_start": "2026-11-02",
        "fieldwork_end": "2026-11-06",
        "passphrase": None,
        "unencrypted_reason": UNENCRYPTED_REASON,
        "team": (Member("Helen Ashworth", "lead"), Member("Daniel Okafor", "inspector")),
        "master": tmp_path / "sefton.inspection",
    }
    values.update(changes)
    return Plan(**values)  # type: ignore[arg-type]


def test_create_inspection_records_why_the_master_is_not_encrypted(tmp_path: Path) -> None:
    created = create_inspection(_plan(tmp_path))
    assert not created.encrypted
    with InspectionFile.open(created.master) as file:
        assert load_narrative(file).unencrypted_reason == UNENCRYPTED_REASON


def test_create_inspection_refuses_an_unencrypted_master_without_a_reason(
    tmp_path: Path,
) -> None:
    for reason in (None, " "):
        with pytest.raises(InspectorError, match="needs a reason"):
            create_inspection(_plan(tmp_path, unencrypted_reason=reason))
        assert list(tmp_path.iterdir()) == []  # refused before anything was written


def test_an_encrypted_master_records_no_reason(tmp_path: Path) -> None:
    plan = _plan(tmp_path, passphrase=MASTER_PASSPHRASE, unencrypted_reason="ignored")
    created = create_inspection(plan)
    assert created.encrypted
    with InspectionFile.open(created.master, passphrase=MASTER_PASSPHRASE) as file:
        narrative = load_narrative(file)
        assert narrative.unencrypted_reason == ""
        assert not narrative.has("unencrypted_reason")


def test_unreadable_sample_is_reported_by_name(qtbot, wizard, tmp_path: Path) -> None:
    wiz = wizard
    fill_inspection_page(wiz, encrypt=False)
    fill_team_page(wiz)
    missing = tmp_path / "nowhere.csv"
    type_text(str(missing))
    press(Key.Key_Return)
    page = wiz.sample_page
    qtbot.waitUntil(lambda: page.message.isVisible(), timeout=10000)
    assert "nowhere.csv" in page.message.text()
    assert "does not exist" in page.message.text()
    press(Key.Key_Return)
    assert wiz.currentId() == wiz.PAGE_SAMPLE


def test_ask_returns_none_when_cancelled(qtbot, monkeypatch) -> None:
    cancelled: list[NewInspectionWizard] = []

    def cancel_when_shown(tries: int = 0) -> None:
        """Esc on the wizard once it is on screen (on a busy machine it takes longer to come
        up; an exception here would leave the wizard open and the test hanging)."""
        shown = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, NewInspectionWizard) and w.isVisible()
        ]
        if shown:
            cancelled.append(shown[0])
            QTest.keyClick(shown[0].focusWidget() or shown[0], Key.Key_Escape)
        elif tries < 250:
            QTimer.singleShot(20, lambda: cancel_when_shown(tries + 1))

    QTimer.singleShot(0, cancel_when_shown)
    assert NewInspectionWizard.ask(None) is None
    assert len(cancelled) == 1  # it was shown, and Esc closed it


def test_create_inspection_removes_the_master_when_the_sample_fails(tmp_path: Path) -> None:
    plan = _plan(tmp_path, sample=tmp_path / "gone.csv")
    with pytest.raises(InspectorError, match=r"gone\.csv"):
        create_inspection(plan)
    assert list(tmp_path.iterdir()) == []


def test_the_wizard_offers_every_framework_and_the_chosen_one_sets_the_programme(
    wizard: NewInspectionWizard,
) -> None:
    page = wizard.inspection_page
    ids = [page.framework.itemData(i) for i in range(page.framework.count())]
    assert {"iaow-2013", "case-supervision-2018"} <= set(ids)
    page.organisation.setText("Northshire")
    page.framework.setCurrentIndex(ids.index("case-supervision-2018"))
    assert page.programme.text() == "Inspection of probation services"
    assert page.title.text() == "Inspection of probation services: Northshire"
    page.programme.setText("Thematic inspection")  # the lead's own words are kept
    page.programme.textEdited.emit("Thematic inspection")
    page.framework.setCurrentIndex(ids.index("iaow-2013"))
    assert page.programme.text() == "Thematic inspection"


def test_an_installed_framework_is_offered_and_used(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector_app.app.frameworks import install_framework
    from inspector_app.core.framework import builtin_frameworks

    monkeypatch.setenv("INSPECTOR_APP_HOME", str(tmp_path / "home"))
    text = builtin_frameworks()["case-supervision-2018"].read_text(encoding="utf-8")
    mine = tmp_path / "northshire.toml"
    mine.write_text(text.replace('id = "case-supervision-2018"', 'id = "northshire-2027"'), "utf-8")
    install_framework(mine)
    created = create_inspection(_plan(tmp_path, framework_id="northshire-2027"))
    with InspectionFile.open(created.master) as file:
        assert file.framework.id == "northshire-2027"
    wizard = NewInspectionWizard()
    qtbot.addWidget(wizard)
    page = wizard.inspection_page
    labels = [page.framework.itemText(i) for i in range(page.framework.count())]
    assert "Case supervision standards (version 1.0), installed" in labels


def test_esc_asks_before_it_throws_away_what_was_entered(
    wizard: NewInspectionWizard, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One Esc after the inspection, the team and a mapped sample threw all of it away."""
    from inspector_app.gui.wizard import window as wizard_window

    wiz = wizard
    asked: list[bool] = []
    answers = iter([False, True])  # keep working, then leave

    def confirm(parent: object) -> bool:
        asked.append(True)
        return next(answers)

    monkeypatch.setattr(wizard_window, "_confirm_leaving", confirm)
    wiz.inspection_page.organisation.setText("Merseyside")
    press(Key.Key_Escape)
    assert asked == [True] and wiz.isVisible()  # kept
    press(Key.Key_Escape)
    assert asked == [True, True] and not wiz.isVisible()  # left


def test_esc_on_an_untouched_wizard_closes_it_without_asking(
    wizard: NewInspectionWizard, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector_app.gui.wizard import window as wizard_window

    monkeypatch.setattr(wizard_window, "_confirm_leaving", lambda parent: pytest.fail("asked"))
    press(Key.Key_Escape)
    assert not wizard.isVisible()


def test_the_allocation_shows_each_persons_cases_and_a_move_past_a_capacity(
    qtbot, wizard: NewInspectionWizard, good_sample: Path
) -> None:
    wiz = wizard
    at_the_sample_step(qtbot, wiz, good_sample)
    press(Key.Key_Return)
    walk_to_allocation(qtbot, wiz)
    page = wiz.allocation_page
    preview = page.preview
    assert preview is not None
    daniel = sorted(n for n, who in preview.assignments.items() if who == "Daniel Okafor")
    assert page.cases_of.text() == "Daniel Okafor's cases: " + ", ".join(map(str, daniel))
    page.view.selectRow(1)
    assert page.cases_of.text().startswith("Priya Raman's cases: ")

    page.capacity_person.setCurrentText("Daniel Okafor")
    page.capacity.setValue(10)
    page.capacity.setFocus()
    press(Key.Key_Return)
    qtbot.waitUntil(lambda: (page.allocation or {}).get("Daniel Okafor") == 10, timeout=15000)
    assert not page.message.isVisible()  # the plan keeps within it
    priya = next(n for n, who in page.preview.assignments.items() if who == "Priya Raman")
    page.move_case.setValue(priya)
    page.move_to.setCurrentText("Daniel Okafor")
    page.move_case.setFocus()
    press(Key.Key_Return)
    qtbot.waitUntil(lambda: (page.allocation or {}).get("Daniel Okafor") == 11, timeout=15000)
    assert page.message.isVisible()
    assert "Daniel Okafor has 11 cases, over the 10 set as their capacity." in page.message.text()
    assert not page.message.text().startswith("Problem")  # a note: the lead may mean it
    assert wiz.button(wiz.WizardButton.NextButton).isEnabled()
