"""The curriculum engine core: content, plan generation and completion rules.

Plain Python (no Django import) so that it is fast and testable on its own. The public API:

- :func:`load_content` / :func:`parse_content` -> :class:`Content` (raises :class:`ContentError`)
- :func:`generate_plan` (:class:`PlanRequest` -> :class:`PlanResult`), :func:`replan`,
  :func:`diff_plans`
- :func:`evaluate` (a module's completion rule against :class:`Event` reports)
"""

from curriculum.engine.content import (
    ChecklistRule,
    Content,
    ContentError,
    EventsRule,
    Module,
    Role,
    Template,
    TemplateWeek,
    Theme,
    load_content,
    parse_content,
)
from curriculum.engine.rules import Event, evaluate
from curriculum.engine.scheduler import (
    FixedItem,
    Move,
    PlanRequest,
    PlanResult,
    Replan,
    ScheduledItem,
    diff_plans,
    generate_plan,
    replan,
)

__all__ = [
    "ChecklistRule",
    "Content",
    "ContentError",
    "Event",
    "EventsRule",
    "FixedItem",
    "Module",
    "Move",
    "PlanRequest",
    "PlanResult",
    "Replan",
    "Role",
    "ScheduledItem",
    "Template",
    "TemplateWeek",
    "Theme",
    "diff_plans",
    "evaluate",
    "generate_plan",
    "load_content",
    "parse_content",
    "replan",
]
