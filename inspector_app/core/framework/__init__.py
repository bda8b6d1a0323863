"""The question framework: frozen model, TOML loader and the applicability evaluator.

Callers import from here, so the split into modules stays an internal matter.
"""

from inspector_app.core.framework.applicability import (
    applicability,
    applicable_questions,
    applies,
    explain,
)
from inspector_app.core.framework.loader import (
    builtin_frameworks,
    frameworks_dir,
    load_builtin,
    load_framework,
    load_framework_text,
    resources_dir,
)
from inspector_app.core.framework.model import (
    All,
    AnswerTest,
    Any,
    Condition,
    Criterion,
    FieldTest,
    Framework,
    HeadlineRules,
    Not,
    Question,
    Scale,
    ScaleOption,
    Section,
    Stage,
    WordingBand,
    WordingFraction,
    gate_questions,
)

__all__ = [
    "All",
    "AnswerTest",
    "Any",
    "Condition",
    "Criterion",
    "FieldTest",
    "Framework",
    "HeadlineRules",
    "Not",
    "Question",
    "Scale",
    "ScaleOption",
    "Section",
    "Stage",
    "WordingBand",
    "WordingFraction",
    "applicability",
    "applicable_questions",
    "applies",
    "builtin_frameworks",
    "explain",
    "frameworks_dir",
    "gate_questions",
    "load_builtin",
    "load_framework",
    "load_framework_text",
    "resources_dir",
]
