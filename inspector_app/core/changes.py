"""What a service call changed, so each view refreshes only if it is concerned."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    case_keys: frozenset[str] = field(default_factory=frozenset)
    answers: bool = False
    profile: bool = False
    status: bool = False
    team: bool = False
    cases: bool = False  # cases added or allocation changed

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            case_keys=self.case_keys | other.case_keys,
            answers=self.answers or other.answers,
            profile=self.profile or other.profile,
            status=self.status or other.status,
            team=self.team or other.team,
            cases=self.cases or other.cases,
        )
