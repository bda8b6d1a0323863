"""Compare on both engines: every figure beside the lowest, highest, average and count of the
published inspections, each checked against a recount made here from the published rows (and
the published question figures against a recount from the published answers)."""

from __future__ import annotations

import dataclasses
import statistics
from collections import defaultdict
from pathlib import Path

import sqlalchemy as sa

from inspector_app.core.framework import load_builtin
from inspector_app.core.store.compare import COLUMNS, compare
from inspector_app.core.store.engine import Store
from inspector_app.core.store.publication import CRITERION, QUESTION
from inspector_app.core.store.publish import publish
from tests.store.helpers import read_publication
from tests.store.synthetic import synthetic_publication


def published_percents(
    store: Store, framework_id: str, version: str, year: int | None = None
) -> dict[tuple[str, str], list[int]]:
    """Every published percentage of the framework version, by (level, code), read plainly."""
    query = (
        "SELECT f.level, f.code, f.percent FROM published_figure f"
        " JOIN published_inspection i ON i.id = f.inspection_id"
        " WHERE i.framework_id = :framework AND i.framework_version = :version"
        " AND (:year IS NULL OR i.fieldwork_year = :year)"
    )
    found: dict[tuple[str, str], list[int]] = defaultdict(list)
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.text(query).bindparams(sa.bindparam("year", type_=sa.Integer)),
            {"framework": framework_id, "version": version, "year": year},
        )
        for level, code, percent in rows:
            if percent is not None:
                found[(level, code)].append(percent)
    return found


def test_compare_figures_equal_a_recount_from_the_published_rows(
    store: Store, demo_masters: list[Path]
) -> None:
    framework = load_builtin("iaow-2013")
    for path in demo_masters:
        publish(store, read_publication(path))
    for seed in range(5):
        publish(store, synthetic_publication(framework, seed, cases=15, year=2025 + seed % 2))
    this = read_publication(demo_masters[0])

    comparison = compare(store, this)

    assert comparison.inspections == 8
    assert comparison.includes_this and comparison.published_is_current
    percents = published_percents(store, this.framework_id, this.framework_version)
    assert len(comparison.rows) == len(this.figures)
    for row, figure in zip(comparison.rows, this.figures, strict=True):
        assert (row.level, row.code, row.percent) == (figure.level, figure.code, figure.percent)
        scores = percents.get((row.level, row.code), [])
        assert row.count == len(scores)
        assert row.lowest == (min(scores) if scores else None)
        assert row.highest == (max(scores) if scores else None)
        if scores:
            assert row.average is not None
            assert abs(row.average - statistics.fmean(scores)) < 1e-9
        else:
            assert row.average is None


def test_the_year_limits_the_group(store: Store) -> None:
    framework = load_builtin("iaow-2013")
    for seed in range(6):
        publish(store, synthetic_publication(framework, seed, cases=10, year=2024 + seed % 3))
    this = synthetic_publication(framework, 99, cases=10, year=2025)

    everyone = compare(store, this)
    of_2025 = compare(store, this, year=2025)

    assert (everyone.inspections, of_2025.inspections) == (6, 2)
    assert not of_2025.includes_this
    percents = published_percents(store, framework.id, framework.version, 2025)
    overall = of_2025.rows[0]
    assert overall.level == "overall"
    assert overall.count == len(percents[("overall", "overall")]) == 2
    assert overall.lowest == min(percents[("overall", "overall")])


def test_published_question_figures_equal_a_recount_from_the_published_answers(
    store: Store, demo_masters: list[Path]
) -> None:
    framework = load_builtin("iaow-2013")
    for path in demo_masters:
        publish(store, read_publication(path))
    sufficient = {q.code: q.sufficient_value for q in framework.questions() if q.scored}
    insufficient = {q.code: q.insufficient_value for q in framework.questions() if q.scored}
    recount: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    with store.engine.connect() as conn:
        answers = conn.execute(
            sa.text(
                "SELECT a.inspection_id, a.question, a.value FROM published_answer a"
                " JOIN published_case c ON c.inspection_id = a.inspection_id"
                " AND c.sample_no = a.sample_no WHERE c.complete"
            )
        ).all()
        figures = conn.execute(
            sa.text(
                "SELECT inspection_id, level, code, sufficient, insufficient, percent"
                " FROM published_figure"
            )
        ).all()
    for inspection_id, code, value in answers:
        if code in sufficient and value == sufficient[code]:
            recount[(inspection_id, code)][0] += 1
        elif code in insufficient and value == insufficient[code]:
            recount[(inspection_id, code)][1] += 1
    by_figure = {(r[0], r[1], r[2]): r[3:] for r in figures}
    questions = [key for key in by_figure if key[1] == QUESTION]
    assert questions
    for inspection_id, _, code in questions:
        counted = tuple(recount.get((inspection_id, code), [0, 0]))
        assert by_figure[(inspection_id, QUESTION, code)][:2] == counted, code
    for criterion in framework.criteria():
        for inspection_id in {key[0] for key in by_figure}:
            pooled = [
                recount.get((inspection_id, code), [0, 0])
                for code in criterion.questions
                if code in sufficient
            ]
            total = (sum(p[0] for p in pooled), sum(p[1] for p in pooled))
            assert by_figure[(inspection_id, CRITERION, criterion.code)][:2] == total


def test_a_master_changed_since_it_was_published_is_told(
    store: Store, demo_masters: list[Path]
) -> None:
    publication = read_publication(demo_masters[0])
    publish(store, publication)
    later = dataclasses.replace(publication, report_final=not publication.report_final)

    comparison = compare(store, later)

    assert comparison.includes_this and not comparison.published_is_current


def test_ratings_are_published_for_a_framework_that_rates(store: Store) -> None:
    framework = load_builtin("case-supervision-2018")
    publication = synthetic_publication(framework, 5, cases=30)
    assert publication.overall_rating is not None
    publish(store, publication)
    with store.engine.connect() as conn:
        rated: dict[str, str | None] = dict(
            conn.execute(
                sa.text("SELECT code, rating FROM published_figure WHERE level = 'criterion'")
            ).all()
        )
        overall = conn.execute(
            sa.text("SELECT overall_rating, overall_score FROM published_inspection")
        ).one()
    assert rated == {f.code: f.rating for f in publication.figures if f.level == CRITERION}
    assert all(rated.values())
    assert tuple(overall) == (publication.overall_rating, publication.overall_score)


def test_the_comparison_is_plain_data_for_json_and_csv(store: Store) -> None:
    framework = load_builtin("iaow-2013")
    publish(store, synthetic_publication(framework, 1, cases=8))
    comparison = compare(store, synthetic_publication(framework, 2, cases=8))
    data = comparison.to_json()
    assert data["inspections"] == 1
    rows = data["rows"]
    assert isinstance(rows, list) and rows
    assert list(rows[0]) == list(COLUMNS)
    assert all(len(row.values()) == len(COLUMNS) for row in comparison.rows)
