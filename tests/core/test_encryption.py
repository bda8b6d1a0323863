"""Encryption at rest: encrypted masters and fieldwork files, passphrases only from files,
wrong passphrases refused cleanly, and no plaintext copy on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspector_app.cli.main import build_parser, run_cli
from inspector_app.core.errors import PassphraseNeeded, WrongPassphrase
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.files.merge_copy import snapshot_path
from inspector_app.core.merge import checks as merge_checks
from inspector_app.core.storage.connection import SQLITE_MAGIC


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = run_cli([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _secret(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _is_plain_sqlite(path: Path) -> bool:
    return path.read_bytes()[:16] == SQLITE_MAGIC


@pytest.fixture
def encrypted_setup(tmp_path: Path, capsys: pytest.CaptureFixture[str], sample_csv: Path) -> dict:
    keys = {
        "master": _secret(tmp_path, "master.key", "lead's long passphrase"),
        "daniel": _secret(tmp_path, "daniel.key", "daniel's own passphrase"),
        "priya": _secret(tmp_path, "priya.key", "priya's own passphrase"),
    }
    master = tmp_path / "master.inspection"
    pf = ("--passphrase-file", keys["master"])
    assert (
        cli(
            capsys,
            "new",
            master,
            "--title",
            "T",
            "--organisation",
            "Merseyside",
            "--lead",
            "Helen Ashworth",
            "--encrypt",
            *pf,
        )[0]
        == 0
    )
    for name in ("Daniel Okafor", "Priya Raman"):
        assert cli(capsys, "team", "add", master, name, *pf)[0] == 0
    assert cli(capsys, "import-sample", master, sample_csv, *pf)[0] == 0
    assert cli(capsys, "allocate", master, "--auto", *pf)[0] == 0
    files = {}
    for who, name in (("daniel", "Daniel Okafor"), ("priya", "Priya Raman")):
        files[who] = tmp_path / f"{who}.inspection"
        code, out, err = cli(
            capsys,
            "export-fieldwork",
            master,
            "--inspector",
            name,
            "-o",
            files[who],
            "--passphrase-file",
            keys[who],
            "--master-passphrase-file",
            keys["master"],
        )
        assert code == 0, err
        assert "encrypted" in out
    return {"master": master, "keys": keys, "files": files, "tmp": tmp_path}


def test_encrypted_files_do_not_start_with_the_sqlite_header(encrypted_setup: dict) -> None:
    assert not _is_plain_sqlite(encrypted_setup["master"])
    for path in encrypted_setup["files"].values():
        assert not _is_plain_sqlite(path)
        assert b"Merseyside" not in path.read_bytes()


def test_open_needs_the_right_passphrase(encrypted_setup: dict) -> None:
    master = encrypted_setup["master"]
    with pytest.raises(PassphraseNeeded, match="needs its passphrase"):
        InspectionFile.open(master)
    with pytest.raises(WrongPassphrase, match="wrong passphrase or not an inspection file"):
        InspectionFile.open(master, passphrase="not the passphrase")
    with InspectionFile.open(master, passphrase="lead's long passphrase") as file:
        assert file.encrypted and file.inspection.organisation == "Merseyside"


def test_cli_errors_for_missing_or_wrong_passphrase(
    encrypted_setup: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    master = encrypted_setup["master"]
    code, _, err = cli(capsys, "status", master)
    assert code == 1 and "needs its passphrase" in err
    wrong = _secret(encrypted_setup["tmp"], "wrong.key", "a wrong passphrase")
    code, _, err = cli(capsys, "status", master, "--passphrase-file", wrong)
    assert code == 1 and "wrong passphrase or not an inspection file" in err
    assert len(err.strip().splitlines()) == 1
    empty = _secret(encrypted_setup["tmp"], "empty.key", "")
    code, _, err = cli(capsys, "status", master, "--passphrase-file", empty)
    assert code == 1 and "passphrase file is empty" in err


def test_merge_reads_encrypted_sources_in_order(
    encrypted_setup: dict, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    keys, files, master = (
        encrypted_setup["keys"],
        encrypted_setup["files"],
        encrypted_setup["master"],
    )
    for who in ("daniel", "priya"):
        with InspectionFile.open(files[who], passphrase=keys[who].read_text().strip()) as file:
            from inspector_app.core.cases.answers import set_answer
            from inspector_app.core.cases.status import case_summaries

            case = case_summaries(file)[0]
            set_answer(file, case.key, "B1.1", "yes", "seen")

    copies_seen = []
    real_check = merge_checks.check_copy

    def spy(master_file, source, copy, passphrase=None):
        checked = real_check(master_file, source, copy, passphrase)
        copies_seen.append(_is_plain_sqlite(checked.copy))
        return checked

    monkeypatch.setattr("inspector_app.core.merge.run.check_copy", spy)
    code, out, err = cli(
        capsys,
        "merge",
        master,
        files["daniel"],
        files["priya"],
        "--passphrase-file",
        keys["master"],
        "--source-passphrase-file",
        keys["daniel"],
        "--source-passphrase-file",
        keys["priya"],
        "--json",
    )
    assert code == 0, err
    report = json.loads(out)
    assert [s["new_revisions"] for s in report["sources"]] == [1, 1]
    assert copies_seen == [False, False]  # the private copies stayed encrypted
    assert not _is_plain_sqlite(snapshot_path(master))  # and so did the undo copy

    code, _, err = cli(
        capsys,
        "merge",
        master,
        files["priya"],
        "--passphrase-file",
        keys["master"],
        "--source-passphrase-file",
        keys["daniel"],
    )
    assert code == 1 and "wrong passphrase" in err


def test_passphrase_command_sets_changes_and_removes(
    encrypted_setup: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    path, keys, tmp = (
        encrypted_setup["files"]["daniel"],
        encrypted_setup["keys"],
        encrypted_setup["tmp"],
    )
    newer = _secret(tmp, "newer.key", "a brand new passphrase")
    code, out, _ = cli(
        capsys,
        "passphrase",
        path,
        "--passphrase-file",
        keys["daniel"],
        "--new-passphrase-file",
        newer,
    )
    assert code == 0 and "changed" in out
    assert cli(capsys, "status", path, "--passphrase-file", keys["daniel"])[0] == 1
    assert cli(capsys, "status", path, "--passphrase-file", newer)[0] == 0
    code, out, _ = cli(capsys, "passphrase", path, "--passphrase-file", newer, "--remove")
    assert code == 0 and _is_plain_sqlite(path)
    assert cli(capsys, "status", path)[0] == 0
    short = _secret(tmp, "short.key", "short")
    code, _, err = cli(capsys, "passphrase", path, "--new-passphrase-file", short)
    assert code == 1 and "at least 8 characters" in err
    code, out, _ = cli(capsys, "passphrase", path, "--new-passphrase-file", newer)
    assert code == 0 and not _is_plain_sqlite(path)
    assert sorted(p.name for p in tmp.iterdir() if p.name.startswith(".")) == []


def test_no_command_takes_a_passphrase_as_a_plain_argument() -> None:
    parser = build_parser()
    options: list[str] = []
    for action in parser._subparsers._group_actions:
        for sub in action.choices.values():
            for act in sub._actions:
                options += list(act.option_strings)
                if getattr(act, "choices", None) and isinstance(act.choices, dict):
                    for subsub in act.choices.values():
                        options += [o for a in subsub._actions for o in a.option_strings]
    passphrase_options = {o for o in options if "passphrase" in o}
    assert passphrase_options and all(o.endswith("-file") for o in passphrase_options)


def test_encrypted_new_needs_both_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(
        capsys, "new", tmp_path / "x.inspection", "--title", "T", "--organisation", "O", "--encrypt"
    )
    assert code == 2 and "go together" in err
    assert not (tmp_path / "x.inspection").exists()
