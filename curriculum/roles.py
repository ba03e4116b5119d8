"""The role types Prep plans for, defined once.

Plain Python (no Django import) so the engine core, onboarding and the content
loader all read the same list. The content files in ``curriculum/content`` hold
the longer descriptions and each role's round mix; the slugs here are the
contract (ARCHITECTURE.md, vocabulary) and the content is validated against them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RoleType:
    slug: str
    name: str
    summary: str


ROLE_TYPES: tuple[RoleType, ...] = (
    RoleType(
        slug="research",
        name="Research scientist",
        summary=(
            "Mathematical reasoning, theory and deep discussion of two or three papers; "
            "a lower competitive-programming bar."
        ),
    ),
    RoleType(
        slug="mle",
        name="ML engineer",
        summary=(
            "Coding rounds at the software-engineering bar (LeetCode medium) plus ML system design."
        ),
    ),
    RoleType(
        slug="applied",
        name="Applied scientist",
        summary=(
            "Business-case rounds (propose an ML solution to a product problem) "
            "beside ML fundamentals and system design."
        ),
    ),
)

ROLE_SLUGS: tuple[str, ...] = tuple(r.slug for r in ROLE_TYPES)
ROLES_BY_SLUG: dict[str, RoleType] = {r.slug: r for r in ROLE_TYPES}
ROLE_CHOICES: list[tuple[str, str]] = [(r.slug, r.name) for r in ROLE_TYPES]

AREAS: tuple[str, ...] = (
    "coding",
    "ml_fundamentals",
    "ml_system_design",
    "behavioral",
    "research",
    "business_case",
    "ml_coding",
)

AREA_NAMES: dict[str, str] = {
    "coding": "Coding",
    "ml_fundamentals": "ML fundamentals",
    "ml_system_design": "ML system design",
    "behavioral": "Behavioural",
    "research": "Research",
    "business_case": "Business case",
    "ml_coding": "ML coding",
}

PROGRESS_KINDS: tuple[str, ...] = (
    "drill_attempted",
    "drill_solved",
    "card_reviewed",
    "mock_completed",
    "checklist_done",
    "ml_problem_attempted",
    "ml_problem_solved",
)
