"""What a service call changed, so each view refreshes only if it is concerned."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class Changes:
    case_keys: frozenset[str] = field(default_factory=frozenset)
    answers: bool = False
    profile: bool = False
    status: bool = False
    team: bool = False
    cases: bool = False  # cases added or allocation changed
    narrative: bool = False  # the report's words, settings or practice examples
    conflicts: bool = False  # a conflict opened or was settled
    all_cases: bool = False  # any case may have changed, not only `case_keys`
    review: bool = False  # review notes, replies or their addressed flags (of `case_keys`)

    @classmethod
    def everything(cls) -> Changes:
        """Another connection wrote to the file (a merge): anything may have changed, and
        every view reads again what it shows."""
        return cls(
            answers=True,
            profile=True,
            status=True,
            team=True,
            cases=True,
            narrative=True,
            conflicts=True,
            all_cases=True,
            review=True,
        )

    def concerns_case(self, case_key: str | None) -> bool:
        return case_key is not None and (self.all_cases or case_key in self.case_keys)

    def __or__(self, other: Changes) -> Changes:
        flags = {
            f.name: getattr(self, f.name) or getattr(other, f.name)
            for f in fields(self)
            if f.name != "case_keys"
        }
        return Changes(case_keys=self.case_keys | other.case_keys, **flags)
