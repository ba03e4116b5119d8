"""What the catalogue holds and whether it is checkable: ``manage.py content_report``.

Reads the content files of every app (no database), counts them by kind, area, tag, role
and difficulty, and runs the checks the content must pass: every card has a source a
reader can check, every problem a module names exists and counts toward it, every prompt
has notes for every rubric dimension, every company profile has sources and an "as of"
date, every worked design covers the seven phases, and the catalogue meets its minimum
counts. It lives in tooling because it reads several apps' content on purpose: it checks
content across apps (a module naming a drills problem), which no app may do.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

#: What the catalogue must hold (issue 17); a shortfall fails the ``minimum_counts`` check.
MINIMUMS = {
    ("cards_by_tag", "llm"): 30,
    ("cards_by_tag", "probability"): 25,
    ("cards_by_tag", "classical"): 20,
    ("prompts_by_kind_and_tag", "ml_system_design", "llm"): 5,
    ("worked_designs",): 4,
    ("behavioral_questions",): 40,
    ("company_profiles",): 12,
}
#: A checkable source names a year (a paper, a book) or official documentation.
SOURCE_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b|documentation|user guide|wiki|OWASP", re.I)
DIFFICULTY = ("easy", "medium", "hard")


def _check(failures: list[str]) -> str:
    if not failures:
        return "pass"
    more = f" (and {len(failures) - 3} more)" if len(failures) > 3 else ""
    return "fail: " + "; ".join(failures[:3]) + more


def build_report() -> dict:
    from curriculum.engine.content import EventsRule, load_content
    from prep.behavioral import content as behavioral
    from prep.drills import catalogue as drills
    from prep.flashcards.content import parse_all
    from prep.mocks import designs as design_content
    from prep.mocks import loader as mocks

    curriculum = load_content()
    decks = parse_all()
    bank = drills.parse()
    prompts = mocks.parse()
    designs = design_content.parse_designs()
    questions = behavioral.parse_questions()
    companies = behavioral.parse_companies()

    cards = [card for deck in decks for card in deck.cards]
    cards_by_tag = Counter(tag for card in cards for tag in card.tags)
    prompts_by_kind_and_tag: dict[str, Counter] = defaultdict(Counter)
    for prompt in prompts.prompts:
        prompts_by_kind_and_tag[prompt["kind"]]["all"] += 1
        for tag in prompt["tags"]:
            prompts_by_kind_and_tag[prompt["kind"]][tag] += 1
    problems = bank["problems"]
    problems_by_pattern = Counter(p for item in problems for p in item["patterns"])
    modules = list(curriculum.modules)

    report = {
        "counts_by_kind": {
            "cards": len(cards),
            "prompts": len(prompts.prompts),
            "problems": len(problems),
            "modules": len(modules),
            "worked_designs": len(designs),
            "behavioral_questions": len(questions.questions),
            "company_profiles": len(companies),
        },
        "cards_by_topic": dict(sorted(Counter(card.topic for card in cards).items())),
        "cards_by_tag": dict(sorted(cards_by_tag.items())),
        "prompts_by_kind_and_tag": {
            kind: dict(sorted(tags.items()))
            for kind, tags in sorted(prompts_by_kind_and_tag.items())
        },
        "modules_by_area": dict(sorted(Counter(m.area for m in modules).items())),
        "modules_by_role": dict(sorted(Counter(role for m in modules for role in m.roles).items())),
        "problems_by_difficulty": {
            d: sum(1 for p in problems if p["difficulty"] == d) for d in DIFFICULTY
        },
        "problems_by_pattern": dict(sorted(problems_by_pattern.items())),
        "behavioral_questions_by_competency": dict(
            sorted(Counter(q.competency for q in questions.questions).items())
        ),
        "worked_designs": len(designs),
        "behavioral_questions": len(questions.questions),
        "company_profiles": len(companies),
    }

    checks: dict[str, str] = {}
    checks["cards_have_checkable_sources"] = _check(
        [
            f"card {card.slug!r} ({card.topic}) has no year or official documentation in its source"
            for card in cards
            if not SOURCE_RE.search(card.source)
        ]
    )

    by_slug = {p["slug"]: p for p in problems}
    title_to_slug = {p["title"]: p["slug"] for p in problems}
    failures = []
    for module in modules:
        rule = module.completion
        for slug in module.problems:
            problem = by_slug.get(slug)
            if problem is None:
                failures.append(f"module {module.slug!r} names {slug!r}, not in the bank")
                continue
            tags = {*problem["patterns"], problem["difficulty"]}
            if not isinstance(rule, EventsRule) or not set(rule.tags) <= tags:
                failures.append(
                    f"module {module.slug!r} names {slug!r}, which does not count toward it"
                )
            elif problem["title"] not in module.description:
                failures.append(
                    f"module {module.slug!r} lists {slug!r} but its text does not name it"
                )
        text = module.description
        for slug in module.problems:
            if slug in by_slug:
                text = text.replace(by_slug[slug]["title"], "")
        for title, slug in title_to_slug.items():
            if re.search(rf"(?<![\w-]){re.escape(title)}(?![\w-])", text):
                failures.append(f"module {module.slug!r} names {title!r} without listing {slug!r}")
    checks["module_problems_exist_and_count"] = _check(failures)

    failures = []
    for prompt in prompts.prompts:
        dims = mocks.DIMENSIONS[prompt["kind"]]
        notes = prompt["interviewer_notes"].get("rubric") or {}
        missing = [d for d in dims if not notes.get(d)]
        if missing:
            failures.append(f"prompt {prompt['slug']!r} has no rubric notes for {missing}")
    checks["prompts_have_rubric_notes"] = _check(failures)

    checks["company_profiles_sourced_and_dated"] = _check(
        [
            f"company {c.slug!r} has no source or no as-of date"
            for c in companies
            if not c.sources or not c.as_of
        ]
    )
    checks["worked_designs_cover_seven_phases"] = _check(
        [
            f"design {d.slug!r} misses phases {missing}"
            for d in designs
            if (missing := [p for p in design_content.PHASES if p not in d.phases])
        ]
    )

    failures = []
    for path, minimum in MINIMUMS.items():
        value = report
        for key in path:
            value = value.get(key, 0) if isinstance(value, dict) else 0
        if value < minimum:
            failures.append(f"{'.'.join(path)} is {value}, needs at least {minimum}")
    checks["minimum_counts"] = _check(failures)

    report["checks"] = checks
    return report
