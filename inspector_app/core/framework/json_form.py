"""A framework as plain JSON-ready data, with conditions in the same shape as the TOML."""

from __future__ import annotations

from inspector_app.core.framework import (
    All,
    AnswerTest,
    Any,
    Condition,
    FieldTest,
    Framework,
    Not,
)


def condition_to_json(condition: Condition | None) -> dict[str, object] | None:
    if condition is None:
        return None
    if isinstance(condition, All):
        return {"all": [condition_to_json(c) for c in condition.items]}
    if isinstance(condition, Any):
        return {"any": [condition_to_json(c) for c in condition.items]}
    if isinstance(condition, Not):
        return {"not": condition_to_json(condition.item)}
    value = list(condition.value) if isinstance(condition.value, tuple) else condition.value
    if isinstance(condition, FieldTest):
        return {"field": condition.field, condition.op: value}
    if isinstance(condition, AnswerTest):
        return {"answer": condition.question, condition.op: value}
    raise TypeError(f"unknown condition {condition!r}")


def framework_to_json(framework: Framework) -> dict[str, object]:
    return {
        "id": framework.id,
        "version": framework.version,
        "title": framework.title,
        "programme": framework.programme,
        "scales": {
            scale_id: {
                "label": scale.label,
                "kind": scale.kind,
                "options": [
                    {"value": o.value, "label": o.label, "key": o.key} for o in scale.options
                ],
                "positive": scale.positive,
                "negative": scale.negative,
                "excluded": list(scale.excluded),
            }
            for scale_id, scale in framework.scales.items()
        },
        "sections": [
            {
                "code": section.code,
                "title": section.title,
                "criterion": section.criterion,
                "questions": [
                    {
                        "code": q.code,
                        "text": q.text,
                        "guidance": q.guidance,
                        "scale": q.scale,
                        "scored": q.scored,
                        "polarity": q.polarity,
                        "note_required": list(q.note_required),
                        "applies_if": condition_to_json(q.applies_if),
                        "finding": q.finding,
                    }
                    for q in section.questions
                ],
            }
            for section in framework.sections
        ],
    }
