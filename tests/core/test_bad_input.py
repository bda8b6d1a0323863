"""Bad input, refused cleanly: every kind a user can cause, through the command line.

Each row makes one bad input, runs the command a user would, and checks a clear one-line
message (or, for input that is odd but legitimate, that it is kept faithfully) and that the
file the command works on is byte-for-byte unchanged when refused.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from inspector_app.cli.main import run_cli
from inspector_app.core.cases.case_data import load_case
from inspector_app.core.cases.team import add_member
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.sample.placement import allocate_auto, import_sample
from tests.conftest import file_hash, write_csv

DANIEL = "Daniel Okafor"
HEADER = ["sample_no", "sentence_type", "rosh", "tier", "alcohol_misuse", "office"]
GOOD_ROW = ["1", "Licence", "High", "3", "yes", "Wirral"]


@dataclass
class World:
    tmp: Path
    master: Path  # a master with team, sample and allocation
    empty: Path  # a master without a sample
    fieldwork: Path  # Daniel's fieldwork file, with one answer
    encrypted: Path  # an encrypted master
    key: Path  # its passphrase file
    code: str  # a question that applies to every case
    alcohol: str  # a question that applies only where alcohol misuse is a factor


@pytest.fixture
def world(tmp_path: Path, sample_csv: Path) -> World:
    with InspectionFile.create(
        tmp_path / "master.inspection", title="T", organisation="O", lead="Helen Ashworth"
    ) as master:
        add_member(master, DANIEL)
        import_sample(master, sample_csv)
        allocate_auto(master)
        code = next(q.code for q in master.framework.questions() if q.scored and not q.applies_if)
        alcohol = next(
            q.code
            for q in master.framework.questions()
            if q.applies_if is not None and "alcohol_misuse" in repr(q.applies_if)
        )
        fieldwork = export_fieldwork(master, DANIEL, tmp_path / "daniel.inspection").path
    with InspectionFile.open(fieldwork) as file:
        from inspector_app.core.cases.answers import set_answer

        set_answer(file, file.case_key_for(1), code, "yes")
    with InspectionFile.create(tmp_path / "empty.inspection", title="T", organisation="O"):
        pass
    key = tmp_path / "key.txt"
    key.write_text("the right passphrase\n")
    with InspectionFile.create(
        tmp_path / "secret.inspection",
        title="T",
        organisation="O",
        passphrase="the right passphrase",
    ):
        pass
    return World(
        tmp_path,
        tmp_path / "master.inspection",
        tmp_path / "empty.inspection",
        fieldwork,
        tmp_path / "secret.inspection",
        key,
        code,
        alcohol,
    )


# -- makers: each returns the argv to run ------------------------------------------------------

Maker = Callable[[World], list[object]]


def sample(content: bytes | list[list[str]], name: str = "sample.csv") -> Maker:
    def make(w: World) -> list[object]:
        path = w.tmp / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            write_csv(path, content)
        return ["import-sample", w.empty, path]

    return make


def answers(rows: list[list[str]] | bytes) -> Maker:
    def make(w: World) -> list[object]:
        path = w.tmp / "answers.csv"
        if isinstance(rows, bytes):
            path.write_bytes(rows)
        else:
            write_csv(
                path,
                [
                    ["case", "question", "answer", "note"],
                    *[[c.format(code=w.code, alcohol=w.alcohol) for c in r] for r in rows],
                ],
            )
        return ["import-answers", w.master, path, "--as", "Helen Ashworth"]

    return make


def opening(make_file: Callable[[Path, World], None]) -> Maker:
    def make(w: World) -> list[object]:
        path = w.tmp / "suspect.inspection"
        make_file(path, w)
        return ["status", path]

    return make


def merging(tamper: Callable[[Path, World], None]) -> Maker:
    def make(w: World) -> list[object]:
        tamper(w.fieldwork, w)
        return ["merge", w.master, w.fieldwork]

    return make


def sql(statement: str) -> Callable[[Path, World], None]:
    def tamper(path: Path, w: World) -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.executescript(statement)
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.close()

    return tamper


def _xlsx_bad_tier(w: World) -> list[object]:
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append(["1", "Licence", "High", "Tier 9", "yes", "x"])
    book.save(w.tmp / "sample.xlsx")
    return ["import-sample", w.empty, w.tmp / "sample.xlsx"]


def _truncated(path: Path, w: World) -> None:
    data = w.master.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _other_app(path: Path, w: World) -> None:
    sql("CREATE TABLE photos (blob BLOB);")(path, w)


def _newer(path: Path, w: World) -> None:
    shutil.copy(w.master, path)
    sql("PRAGMA user_version = 42;")(path, w)


def _other_inspection(path: Path, w: World) -> None:
    with InspectionFile.create(w.tmp / "other.inspection", title="Other", organisation="X") as o:
        add_member(o, DANIEL)
        import_sample(o, w.tmp / "sample.csv") if (w.tmp / "sample.csv").exists() else None
        allocate_auto(o)
        path.unlink()
        export_fieldwork(o, DANIEL, path)


def _leftover_wal(path: Path, w: World) -> None:
    Path(str(path) + "-wal").write_bytes(b"\x37\x7f\x06\x82" + b"\x01" * 60)


def _padded(size: int) -> Callable[[Path, World], None]:
    """Pad a file to `size` bytes without writing them (a sparse file): its header is still
    genuine, only its size gives it away."""

    def tamper(path: Path, w: World) -> None:
        os.truncate(path, size)

    return tamper


def _huge_csv(w: World) -> list[object]:
    path = w.tmp / "sample.csv"
    write_csv(path, [HEADER, GOOD_ROW])
    os.truncate(path, 101_000_000)
    return ["import-sample", w.empty, path]


_MANY_REVISIONS = """
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20001)
INSERT INTO revision (id, record_key, kind, case_key, field, value, note, reason, author, hlc)
SELECT printf('%032x', i), record_key, kind, case_key, field, value, note, reason, author, hlc
FROM n, (SELECT * FROM revision LIMIT 1);
"""


def _passphrase(key_text: str | None) -> Maker:
    def make(w: World) -> list[object]:
        if key_text is None:
            return ["status", w.encrypted]
        key = w.tmp / "given.key"
        key.write_text(key_text)
        return ["status", w.encrypted, "--passphrase-file", key]

    return make


def _export_over_existing(w: World) -> list[object]:
    return ["export-fieldwork", w.master, "--inspector", DANIEL, "-o", w.fieldwork]


def _export_disk_full(w: World) -> list[object]:
    return ["export-fieldwork", w.master, "--inspector", DANIEL, "-o", w.tmp / "new.inspection"]


def _snapshot_into_missing_folder(w: World) -> list[object]:
    return ["snapshot", w.master, "-o", w.tmp / "no-such-stick" / "copy.inspection"]


BAD_ROWS = [
    ["1", "Licence", "Extreme", "3", "yes", "x"],
]

# id -> (make argv, expected message, which world file must stay unchanged)
REFUSED: dict[str, tuple[Maker, str, str]] = {
    "sample-empty-file": (sample(b""), "is empty", "empty"),
    "sample-random-bytes": (sample(os.urandom(2048) + b"\x00"), "not", "empty"),
    "sample-latin-1": (
        sample(
            "sample_no,sentence_type,rosh,tier,office\n1,Licence,High,3,Caf\xe9\n".encode("latin-1")
        ),
        "not UTF-8",
        "empty",
    ),
    "sample-utf-16": (
        sample("sample_no,sentence_type,rosh,tier\n1,Licence,High,3\n".encode("utf-16")),
        "UTF-8",
        "empty",
    ),
    "sample-missing-column": (
        sample([["sample_no", "sentence_type", "tier"], ["1", "Licence", "3"]]),
        "rosh",
        "empty",
    ),
    "sample-unknown-rosh": (sample([HEADER, *BAD_ROWS]), "Extreme", "empty"),
    "sample-duplicate-number": (sample([HEADER, GOOD_ROW, GOOD_ROW]), "row 2", "empty"),
    "sample-bad-flag": (
        sample([HEADER, ["1", "Licence", "High", "3", "maybe", "x"]]),
        "maybe",
        "empty",
    ),
    "sample-bad-tier-xlsx": (_xlsx_bad_tier, "Tier 9", "empty"),
    "sample-not-a-workbook": (
        sample(b"PK\x03\x04 this is not really a workbook", "s.xlsx"),
        "s.xlsx",
        "empty",
    ),
    "sample-directory": (lambda w: ["import-sample", w.empty, w.tmp], "folder", "empty"),
    "sample-wrong-extension": (sample(b"sample_no\n1\n", "sample.txt"), "sample.txt", "empty"),
    "answers-unknown-code": (
        answers([["1", "Z9", "yes", ""]]),
        "unknown question code 'Z9'",
        "master",
    ),
    "answers-invalid-value": (
        answers([["1", "{code}", "perhaps", ""]]),
        "'perhaps' is not an answer",
        "master",
    ),
    "answers-unknown-case": (
        answers([["99", "{code}", "yes", ""]]),
        "no case with sample number 99",
        "master",
    ),
    "answers-10-mb-note": (
        answers([["1", "{code}", "yes", "x" * 10_000_000]]),
        "the limit is 100,000",
        "master",
    ),
    "answers-missing-column": (answers(b"case,note\n1,x\n"), "missing column", "master"),
    "answers-binary": (answers(b"\x00\x01\x02\x03"), "binary", "master"),
    "open-empty": (opening(lambda p, w: p.write_bytes(b"")), "empty", "master"),
    "open-random-bytes": (
        opening(lambda p, w: p.write_bytes(os.urandom(4096))),
        "not an inspection file",
        "master",
    ),
    "open-truncated": (opening(_truncated), "damaged", "master"),
    "open-other-application": (opening(_other_app), "another application", "master"),
    "open-newer-schema": (opening(_newer), "newer version", "master"),
    "open-directory": (lambda w: ["status", w.tmp], "folder", "master"),
    "open-missing": (lambda w: ["status", w.tmp / "gone.inspection"], "no such file", "master"),
    "merge-wrong-inspection": (merging(_other_inspection), "another inspection", "master"),
    "merge-tampered-author": (
        merging(sql("UPDATE revision SET author = 'someone-else';")),
        "other than the file's owner",
        "master",
    ),
    "merge-injected-trigger": (
        merging(
            sql("CREATE TRIGGER t AFTER INSERT ON revision BEGIN DELETE FROM case_record; END;")
        ),
        "trigger 't'",
        "master",
    ),
    "merge-injected-view": (
        merging(sql("CREATE VIEW v AS SELECT * FROM case_identity;")),
        "view 'v'",
        "master",
    ),
    "merge-extra-table": (merging(sql("CREATE TABLE stash (x);")), "table 'stash'", "master"),
    "merge-leftover-journal": (merging(_leftover_wal), "not closed cleanly", "master"),
    "merge-padded-file": (merging(_padded(600_000_000)), "is 600 MB; a fieldwork file", "master"),
    "merge-huge-note": (
        merging(sql("UPDATE revision SET note = printf('%.*c', 100001, 'x');")),
        "is 100,001 characters long; the limit is 100,000",
        "master",
    ),
    "merge-revisions-flood": (
        merging(sql(_MANY_REVISIONS)),
        "one case holds 20,002 revisions; the limit is 20,000",
        "master",
    ),
    "sample-huge-file": (_huge_csv, "is 101 MB; a case list is at most 100 MB", "empty"),
    "passphrase-wrong": (
        _passphrase("not the right one"),
        "wrong passphrase or not an inspection file",
        "encrypted",
    ),
    "passphrase-empty-file": (_passphrase(""), "passphrase file is empty", "encrypted"),
    "passphrase-missing": (_passphrase(None), "needs its passphrase", "encrypted"),
    "export-over-existing": (_export_over_existing, "already exists", "fieldwork"),
    "export-disk-full": (_export_disk_full, "No space left on device", "master"),
    "snapshot-missing-folder": (_snapshot_into_missing_folder, "no such folder", "master"),
}


@pytest.mark.parametrize("kind", list(REFUSED))
def test_bad_input_is_refused_with_a_clear_message(
    world: World, kind: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    make, expected, target_name = REFUSED[kind]
    argv = [str(a) for a in make(world)]
    target = getattr(world, target_name)
    before = file_hash(target)
    if kind == "export-disk-full":

        def no_space(*args: object, **kwargs: object) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr("inspector_app.core.storage.safe_write.os.replace", no_space)
    code = run_cli(argv)
    out, err = capsys.readouterr()
    assert code != 0, f"accepted: {out}"
    first_line = err.splitlines()[0]
    assert first_line.startswith("inspector-app: error: ")
    assert expected in err, err
    assert "Traceback" not in err
    assert file_hash(target) == before
    assert not [p for p in world.tmp.iterdir() if p.name.endswith(".tmp")]


# -- odd but legitimate input is kept faithfully ------------------------------------------------


def test_control_characters_and_right_to_left_text_in_notes_are_kept(world: World, capsys) -> None:
    note = "Line one\tTabbed\x07bell\nשלום עולם — مرحبا \u202eRTL override\u202c end"
    argv = answers([["1", "{code}", "no", note]])(world)
    assert run_cli([str(a) for a in argv]) == 0
    with InspectionFile.open(world.master) as master:
        assert load_case(master, master.case_key_for(1)).answers[world.code].note == note


def test_formula_like_cells_are_kept_as_text_never_evaluated(world: World, capsys) -> None:
    formula = '=HYPERLINK("http://example.invalid","click")'
    row = ["1", "Licence", "High", "3", "yes", formula]
    argv = sample([HEADER, row])(world)
    assert run_cli([str(a) for a in argv]) == 0
    with InspectionFile.open(world.empty) as file:
        assert load_case(file, file.case_key_for(1)).profile["office"] == formula
    argv = answers([["1", "{code}", "yes", formula]])(world)
    assert run_cli([str(a) for a in argv]) == 0
    with InspectionFile.open(world.master) as master:
        assert load_case(master, master.case_key_for(1)).answers[world.code].note == formula


def test_excel_bom_is_handled(world: World, capsys) -> None:
    path = world.tmp / "bom.csv"
    path.write_bytes(
        b"\xef\xbb\xbf" + ",".join(HEADER).encode() + b"\n" + ",".join(GOOD_ROW).encode() + b"\n"
    )
    assert run_cli(["import-sample", str(world.empty), str(path)]) == 0


def test_a_workbook_that_would_unpack_past_the_limit_is_not_unpacked(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector_app.core.sample import table as sample_table

    argv = _xlsx_bad_tier(world)
    monkeypatch.setattr(sample_table, "MAX_XLSX_UNPACKED_BYTES", 2_000)
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("unpacked"))
    assert run_cli([str(a) for a in argv]) != 0
    assert "the workbook unpacks to" in capsys.readouterr().err


def test_the_table_covers_at_least_thirty_kinds() -> None:
    assert len(REFUSED) + 3 >= 30
