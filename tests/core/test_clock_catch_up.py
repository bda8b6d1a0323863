"""A file left open while another connection writes to it (the merge) catches its clock up, so
the lead's next edit is ordered after what came in, even from a laptop whose clock ran ahead."""

from __future__ import annotations

from pathlib import Path

from inspector_app.core.cases.answers import normalise_answer, set_answer
from inspector_app.core.errors import ValidationError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework import Question
from inspector_app.core.revisions import ids
from inspector_app.core.revisions.hlc import HybridClock, wall_ms
from inspector_app.core.revisions.log import Kind, head_revisions, write_revision

AN_HOUR_MS = 3_600_000


def _takes_yes(file: InspectionFile, question: Question) -> bool:
    try:
        return normalise_answer(file.framework, question, "yes") == "yes"
    except ValidationError:
        return False


def _write_from_a_fast_clock(path: Path, case_key: str, code: str) -> str:
    """Another connection writes an answer stamped an hour ahead of this computer's clock."""
    with InspectionFile.open(path) as other:
        fast = HybridClock(other.role.replica_id)
        fast.now = lambda: HybridClock(other.role.replica_id).now() + AN_HOUR_MS
        stamp = fast.tick()
        with other.db.write() as conn:
            write_revision(
                conn,
                record_key=ids.record_key(case_key, Kind.ANSWER, code),
                kind=Kind.ANSWER,
                case_key=case_key,
                field=code,
                value="no",
                note="Written on a laptop whose clock was an hour fast.",
                author=other.author_id(),
                hlc=stamp,
                parents=[],
            )
    return stamp


def test_an_edit_after_catching_up_is_ordered_after_what_another_connection_wrote(
    master: InspectionFile,
) -> None:
    case_key = master.case_key_for(1)
    code = next(q.code for q in master.framework.questions() if _takes_yes(master, q))
    stamp = _write_from_a_fast_clock(Path(master.path), case_key, code)
    assert master.clock.tick() < stamp  # without catching up, the lead's edit would sort first

    master.catch_up()
    set_answer(master, case_key, code, "yes", note="The lead's answer, after the merge.")

    heads = head_revisions(master.db.raw, ids.record_key(case_key, Kind.ANSWER, code))
    assert [head.value for head in heads] == ["yes"]  # one head: the lead's edit replaced it
    assert heads[0].hlc > stamp
    assert wall_ms(heads[0].hlc) >= wall_ms(stamp)
