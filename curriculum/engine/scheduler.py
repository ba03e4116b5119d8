"""Plan generation: a role's template -> dated plan items (plain Python, no Django).

``generate_plan(PlanRequest) -> PlanResult``. The rules, each proven by the property tests
in ``tests/curriculum/test_engine_properties.py``:

Capacity
    ``weekly_minutes`` is spread evenly over the available weekdays (the remainder of the
    division goes to the earliest weekdays, so a week sums to exactly ``weekly_minutes``);
    a day off has no room; ``reserved`` minutes (fixed events, forecast review load) and
    the minutes of ``fixed`` items on a day are taken off that day's room, never below 0.
    The engine never puts more than a day's room on it, with one exception: a week-3 peer
    mock when no day of its week has room for it (see below). A module longer than the room left
    on a day is split into sessions of at least ``MIN_SESSION`` minutes (or the whole
    module if it is shorter), and a split never leaves a tail shorter than that. Mocks are
    kept whole on the first day with room for them unless no such day exists.

Order
    Modules are laid out in template order (week 1 first, template order within a week), so
    the theme weeks are in order and every prerequisite ends on a date *on or before* the
    first session of its dependant (``<=``: both can share a day, prerequisite first in the
    day's list). The content guarantees that prerequisites come earlier in the template.
    When a plan has room, each theme week starts no earlier than its window (week ``w``
    opens at day ``7 * (w - 1)`` of a 28-day plan, proportionally sooner in a shorter one),
    which keeps the pacing of the four-week plan instead of cramming everything up front.

Week 3's peer mocks (the promise of the plan)
    The template's peer mocks (mock modules completed by ``peer`` reports: the two peer ML
    system design mocks) are *anchored* to their theme week: whenever that week of the plan
    holds a study day (:func:`theme_week_days`), each is placed whole on a study day inside
    it, in order, on distinct days when the week has enough of them. Other work moves out of
    their way first: when a mock's prerequisites cannot end inside the week, the least
    essential module laid out before them is dropped (reason :data:`SHRUNK`), the coding
    block included; when no day of the week has room for a mock, it goes on the week's day
    with the most room and may exceed that day's room (at the lowest hours the two mocks
    cost more than the week's budget, since they are the point of the week). A peer mock
    the caller passes in as ``fixed`` (booked) covers its module wherever it is: the site
    only passes bookings that fall inside the week (``curriculum.plans``). A plan whose week
    has no study day places the mocks like any other module, and the page says why.

Compression (interview sooner than the plan needs)
    Modules are admitted most essential first: the template's ``protected`` modules (the
    coding block and the two peer ML system design mocks, with what they need), then by
    ``priority``; within a priority level the areas take turns, so that compression thins
    every area instead of starving the last weeks (no area starves another). Whenever the admitted modules cannot all be placed, the
    least essential admitted module goes; protected modules go only once nothing else is
    left to drop, i.e. only when even they cannot fit on their own. Afterwards, dropped
    modules that still fit are added back, most essential first; a protected module that
    does not fit may take the place of less essential admitted work (which is then added
    back in turn if it still fits), since a shrink for week 3's mocks only drops work laid
    out before them. Every template module ends
    up done, scheduled, or in ``unscheduled`` with a reason: ``"no room before the
    interview"`` or ``"prerequisite <slug> not scheduled"``.

Stretching (interview later than 28 days after the plan's anchor)
    The core keeps its four-week pacing; from the day after its last session until the
    interview, each available day holds review blocks rotated across the role's areas
    (each area at most once a day, the rotation carrying over to the next day).

Determinism
    Same inputs, same plan: sets are only used for membership, orders are explicit.

Re-planning
    ``replan()`` generates from ``today`` with the modules done and the minutes already spent
    (``partial``), keeping ``fixed`` items, and pacing from the original start (``anchor``);
    ``diff_plans()`` says which modules moved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import NamedTuple

from curriculum.engine.content import Content

MIN_SESSION = 20
"""Shortest session the engine creates (a shorter module is scheduled whole)."""

MIN_DAY_MINUTES = 24
"""The least room a study day may have (the weekly minutes over the study days): less than
this and a 45-minute module cannot be split into sessions of at least ``MIN_SESSION``, so
week 3's peer mocks could lose what they need. Onboarding refuses less."""

ATOMIC_KINDS = frozenset({"mock"})
"""Kinds placed whole on the first day with room for them; split only when no day before
the interview has that much room (a mock in two halves is not a mock)."""

CORE_DAYS = 28
"""Length of the standard plan; longer plans are stretched with review blocks."""

NO_ROOM = "no room before the interview"
SHRUNK = "no room once week 3's two peer mocks were kept"
"""Reason for a module dropped so that the anchored peer mocks stay in their week."""


def prerequisite_reason(slug: str) -> str:
    return f"prerequisite {slug} not scheduled"


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class FixedItem:
    """A plan item that must stay where it is, e.g. a booked peer mock that counts for a
    module, or a session the learner pinned. It is returned as is (``fixed=True``), its
    minutes are taken from its day's room (do not also pass them in ``reserved``), and the
    module's dependants are placed on or after its date. A mock module is covered by its
    fixed item; for other kinds, fixed sessions cover their minutes and whatever is left of
    the module (``minutes - partial - fixed minutes``, if at least ``MIN_SESSION``) is
    scheduled after the last fixed session, numbered after it."""

    module: str
    date: date
    minutes: int
    session_index: int = 1
    session_count: int = 1


@dataclass(frozen=True)
class PlanRequest:
    """Everything plan generation depends on.

    ``start`` is the first day of the plan, ``interview`` the interview day (the plan covers
    ``start .. interview - 1``). ``weekdays`` uses ``date.weekday()`` numbers (0 = Monday).
    ``reserved`` maps a date to minutes already taken that day. ``done`` lists completed
    module slugs; ``partial`` maps a module to minutes already spent on it (its remaining
    minutes are scheduled, at least one short session). ``anchor`` is the start of the
    original plan when re-planning (pacing and the 28-day boundary are measured from it);
    it defaults to ``start``.
    """

    content: Content
    role: str
    start: date
    interview: date
    weekly_minutes: int
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    days_off: frozenset[date] = frozenset()
    reserved: Mapping[date, int] = field(default_factory=dict)
    done: frozenset[str] = frozenset()
    partial: Mapping[str, int] = field(default_factory=dict)
    fixed: tuple[FixedItem, ...] = ()
    anchor: date | None = None


class ScheduledItem(NamedTuple):
    """One dated session of a module. ``week`` is the theme week (1-4) of the module;
    ``occurrence`` numbers the repeated review blocks of a module (1 for core modules);
    ``fixed`` marks items passed in as :class:`FixedItem`.

    An immutable record like the dataclasses here, but a NamedTuple: a plan creates
    dozens of them and a frozen dataclass costs several times more to build."""

    module: str
    date: date
    minutes: int
    session_index: int
    session_count: int
    week: int
    area: str
    kind: str
    occurrence: int = 1
    fixed: bool = False


@dataclass(frozen=True)
class PlanResult:
    items: tuple[ScheduledItem, ...]
    unscheduled: tuple[tuple[str, str], ...]

    def scheduled_modules(self) -> tuple[str, ...]:
        """Module slugs with at least one item, in order of first appearance."""
        seen: dict[str, None] = {}
        for item in self.items:
            seen.setdefault(item.module, None)
        return tuple(seen)

    def minutes_by_area(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for item in self.items:
            totals[item.area] = totals.get(item.area, 0) + item.minutes
        return totals


@dataclass(frozen=True, slots=True)
class Move:
    """A module whose first session moved; ``None`` means absent from that plan."""

    module: str
    old_date: date | None
    new_date: date | None


@dataclass(frozen=True)
class Replan:
    result: PlanResult
    moves: tuple[Move, ...]


# --------------------------------------------------------------------------- role data


@dataclass(frozen=True, slots=True)
class _Core:
    slug: str
    minutes: int
    week: int
    area: str
    kind: str
    prereqs: tuple[int, ...]  # template indexes
    prereq_slugs: tuple[str, ...]
    key: tuple[int, ...]  # essential order: lower = more essential
    atomic: bool
    anchored: bool  # a peer mock kept inside its theme week


def is_peer_mock(module) -> bool:
    """A mock completed by peer mock reports (an anchored module, see the docstring)."""
    rule = module.completion
    return module.kind == "mock" and "peer" in getattr(rule, "tags", ())


@dataclass(frozen=True, slots=True)
class _RoleData:
    core: tuple[_Core, ...]
    essential: tuple[int, ...]  # template indexes, most essential first
    reviews: tuple[tuple[str, int, int, str, str], ...]  # slug, minutes, week, area, kind
    slugs: frozenset[str]


def _role_data(content: Content, role: str) -> _RoleData:
    cache = content._plan_cache
    data = cache.get(role)
    if data is not None:
        return data
    try:
        template = content.template(role)
    except KeyError:
        raise ValueError(f"unknown role {role!r}") from None
    slugs = template.modules
    index = {slug: i for i, slug in enumerate(slugs)}
    protected = set(template.protected)
    # Essential order: protected first, then by priority; within a priority level the areas
    # take turns (each area's first module before any area's second), so that compression
    # thins every area rather than starving the later weeks. A module never ranks before
    # its prerequisites.
    core: list[_Core] = []
    turns: dict[tuple[int, int, str], int] = {}
    for i, slug in enumerate(slugs):
        m = content.module(slug)
        prereq_slugs = tuple(p for p in m.prerequisites if p in index)
        tier = 0 if slug in protected else 1
        turn = turns.get((tier, m.priority, m.area), 0)
        turns[(tier, m.priority, m.area)] = turn + 1
        rank = (tier, m.priority, turn)
        for p in prereq_slugs:
            rank = max(rank, core[index[p]].key[:3])
        core.append(
            _Core(
                slug=slug,
                minutes=m.minutes,
                week=m.week,
                area=m.area,
                kind=m.kind,
                prereqs=tuple(index[p] for p in prereq_slugs),
                prereq_slugs=prereq_slugs,
                key=(*rank, i),
                atomic=m.kind in ATOMIC_KINDS,
                anchored=is_peer_mock(m),
            )
        )
    essential = tuple(sorted(range(len(core)), key=lambda i: core[i].key))
    reviews = tuple(
        (s, content.module(s).minutes, content.module(s).week, content.module(s).area, "review")
        for s in template.review
    )
    data = _RoleData(tuple(core), essential, reviews, frozenset(slugs))
    cache[role] = data
    return data


# --------------------------------------------------------------------------- engine


def day_capacities(
    start: date,
    days: int,
    weekly_minutes: int,
    weekdays: Iterable[int],
    days_off: frozenset[date] | set[date] = frozenset(),
    reserved: Mapping[date, int] | None = None,
) -> list[int]:
    """Room per day (index 0 = ``start``) before any plan item is placed."""
    available = sorted(set(weekdays))
    per_weekday = [0] * 7
    if available:
        base, extra = divmod(max(0, weekly_minutes), len(available))
        for n, wd in enumerate(available):
            per_weekday[wd] = base + (1 if n < extra else 0)
    reserved = reserved or {}
    first = start.weekday()
    room = [0] * max(0, days)
    check_off = bool(days_off)
    check_reserved = bool(reserved)
    for i in range(len(room)):
        cap = per_weekday[(first + i) % 7]
        if not cap:
            continue
        if check_off or check_reserved:
            d = start + timedelta(days=i)
            if check_off and d in days_off:
                continue
            if check_reserved:
                cap -= reserved.get(d, 0)
        if cap > 0:
            room[i] = cap
    return room


def _validate(request: PlanRequest) -> None:
    if not isinstance(request.weekly_minutes, int) or request.weekly_minutes < 0:
        raise ValueError("weekly_minutes must be a non-negative integer")
    for wd in request.weekdays:
        if not isinstance(wd, int) or not 0 <= wd <= 6:
            raise ValueError(f"weekday {wd!r} is not 0..6")
    for item in request.fixed:
        if item.module not in request.content.modules_by_slug:
            raise ValueError(f"fixed item for unknown module {item.module!r}")
        if item.minutes < 0:
            raise ValueError("fixed item minutes must not be negative")


def _week_bounds(anchor_offset: int, span: int, week: int, horizon: int) -> tuple[int, int]:
    """Theme week ``week`` as plan-day indexes ``[lo, hi)`` (week ``w`` of a 28-day plan is
    days ``7(w-1) .. 7w-1`` from the anchor, proportionally shorter in a shorter plan),
    clipped to the plan's days."""
    lo = anchor_offset + ((week - 1) * span) // 4
    hi = anchor_offset + (week * span) // 4
    return min(max(0, lo), horizon), min(max(0, hi), horizon)


def theme_week_range(anchor: date, interview: date, week: int = 3) -> tuple[date, date]:
    """Theme week ``week`` of a plan that started on ``anchor``: ``(first day, day after
    its last)``; days 15-21 for week 3 of a 28-day (or longer) plan, proportionally earlier
    in a shorter one, empty (first == end) in a plan of under four days."""
    total = (interview - anchor).days
    span = min(total, CORE_DAYS) if total > 0 else 0
    return (
        anchor + timedelta(days=((week - 1) * span) // 4),
        anchor + timedelta(days=(week * span) // 4),
    )


def theme_week_days(request: PlanRequest, week: int = 3) -> tuple[date, ...]:
    """The study days (an available weekday, not a day off) of theme week ``week`` of the
    plan from ``request.start`` on: where the anchored peer mocks of that week go. Empty
    when the plan is too short to have such a week (or it is over)."""
    start = request.start
    horizon = max(0, (request.interview - start).days)
    anchor = request.anchor or start
    total_days = (request.interview - anchor).days
    span = min(total_days, CORE_DAYS) if total_days > 0 else 0
    lo, hi = _week_bounds((anchor - start).days, span, week, horizon)
    base = day_capacities(
        start, horizon, request.weekly_minutes, request.weekdays, request.days_off
    )
    return tuple(start + timedelta(days=d) for d in range(lo, hi) if base[d] > 0)


def _reserve_anchored(
    order: Sequence[int],
    core: tuple[_Core, ...],
    remaining: Sequence[int],
    earliest: Sequence[int],
    anchors: Mapping[int, tuple[int, int]],
    study: Sequence[bool],
    room: list[int],
    force: int = 0,
) -> dict[int, int] | None:
    """Days for the anchored modules of ``order``, taken off ``room`` before anything else
    is laid out (so other work flows around them): the last study days of their week with
    room for them, one each and in order, counted back from the week's end; a day without
    enough room (the latest) only when no day has it (the day is then over its room, and
    keeps none for other work unless ``force``: then what it had stays for the mock's
    prerequisites). ``force`` 2 also puts the whole chain on the week's last study day,
    leaving the days before it to what the chain needs. ``None`` if a module has no study day of its week left at all."""
    days: dict[int, int] = {}
    for week, (lo, hi) in anchors.items():
        chain = [i for i in order if core[i].anchored and core[i].week == week]
        upper = hi
        for idx in reversed(chain):
            left = remaining[idx]
            first = max(lo, earliest[idx])
            candidates = [d for d in range(first, upper) if study[d]]
            if force > 1:
                candidates = [d for d in range(first, hi) if study[d]][-1:]
            if not candidates:
                # Not a day each: share the next one's day.
                candidates = [d for d in range(first, min(hi, upper + 1)) if study[d]]
            if not candidates:
                return None
            fits = [d for d in candidates if room[d] >= left]
            day = fits[-1] if fits else candidates[-1]
            if fits or not force:
                room[day] = max(0, room[day] - left)
            days[idx] = day
            upper = day
    return days


def _pack(
    order: Sequence[int],
    core: tuple[_Core, ...],
    remaining: Sequence[int],
    earliest: Sequence[int],
    windows: Sequence[int] | None,
    room0: list[int],
    n: int,
    anchors: Mapping[int, tuple[int, int]] | None = None,
    study: Sequence[bool] = (),
    force: int = 0,
) -> tuple[list[list[tuple[int, int]]] | None, list[int], int | None]:
    """Place ``order`` (template indexes, ascending) one after another, the anchored modules
    first on the days :func:`_reserve_anchored` gives them (``anchors`` maps a week to its
    ``[lo, hi)`` day indexes).

    Returns ``(sessions per module in order, room left, None)``; ``(None, ..., None)`` if a
    module does not fit before the interview; ``(None, ..., idx)`` if a prerequisite of the
    anchored module ``idx`` ends after its day; ``(None, ..., -1)`` if an anchored module
    has no study day of its week left."""
    room = room0.copy()
    out: list[list[tuple[int, int]]] = []
    ends: dict[int, int] = {}
    cursor = 0
    reserved: dict[int, int] = {}
    if anchors:
        got = _reserve_anchored(order, core, remaining, earliest, anchors, study, room, force)
        if got is None:
            return None, room, -1
        reserved = got
    for idx in order:
        c = core[idx]
        left = remaining[idx]
        if idx in reserved:
            day = reserved[idx]
            for p in c.prereqs:
                if ends.get(p, -1) > day:
                    return None, room, idx
            out.append([(day, left)])
            ends[idx] = day
            continue
        day = cursor
        if earliest[idx] > day:
            day = earliest[idx]
        if windows is not None and windows[c.week] > day:
            day = windows[c.week]
        if reserved:
            for p in c.prereqs:
                if p in reserved and reserved[p] > day:
                    day = reserved[p]
        smallest = MIN_SESSION if left > MIN_SESSION else left
        sessions: list[tuple[int, int]] = []
        if c.atomic:
            whole = day
            while whole < n and room[whole] < left:
                whole += 1
            if whole < n:
                day = whole
        while True:
            if day >= n:
                return None, room, None
            r = room[day]
            if r >= left:
                sessions.append((day, left))
                room[day] = r - left
                break
            if r >= smallest:
                take = r
                if left - take < smallest:
                    take = left - smallest
                if take >= smallest:
                    sessions.append((day, take))
                    room[day] = r - take
                    left -= take
            day += 1
        cursor = day
        ends[idx] = day
        out.append(sessions)
    return out, room, None


def generate_plan(request: PlanRequest) -> PlanResult:
    """Generate the dated plan for ``request`` (see the module docstring for the rules)."""
    _validate(request)
    content = request.content
    data = _role_data(content, request.role)
    core = data.core
    start = request.start
    n = (request.interview - start).days
    horizon = max(0, n)
    anchor = request.anchor or start
    anchor_offset = (anchor - start).days  # <= 0 when re-planning
    total_days = (request.interview - anchor).days
    done = request.done
    partial = request.partial
    modules_by_slug = content.modules_by_slug

    room = day_capacities(
        start,
        horizon,
        request.weekly_minutes,
        request.weekdays,
        request.days_off,
        request.reserved,
    )

    items: list[ScheduledItem] = []
    # Fixed items: kept verbatim, their minutes come off their day, their module is covered.
    fixed_day: dict[str, int] = {}
    fixed_minutes: dict[str, int] = {}
    fixed_index: dict[str, int] = {}
    for f in sorted(request.fixed, key=lambda f: (f.date, f.module, f.session_index)):
        i = (f.date - start).days
        if 0 <= i < horizon:
            room[i] = max(0, room[i] - f.minutes)
        prev = fixed_day.get(f.module)
        fixed_day[f.module] = i if prev is None else max(prev, i)
        fixed_minutes[f.module] = fixed_minutes.get(f.module, 0) + f.minutes
        fixed_index[f.module] = max(fixed_index.get(f.module, 0), f.session_index)
        m = modules_by_slug[f.module]
        items.append(
            ScheduledItem(
                f.module,
                f.date,
                f.minutes,
                f.session_index,
                f.session_count,
                m.week,
                m.area,
                m.kind,
                1,
                True,
            )
        )

    # Pending core modules, their remaining minutes and earliest day (after fixed prereqs).
    count = len(core)
    pending: list[int] = []
    remaining = [0] * count
    earliest = [0] * count
    offset = [0] * count
    for idx, c in enumerate(core):
        if c.slug in done:
            continue
        spent = partial.get(c.slug, 0)
        e = 0
        if c.slug in fixed_day:
            # Fixed sessions cover their minutes; a mock is covered by its booking. What is
            # left of a longer module (at least one short session's worth) follows them.
            if c.atomic:
                continue
            left = c.minutes - spent - fixed_minutes[c.slug]
            if left < MIN_SESSION:
                continue
            e = max(0, fixed_day[c.slug] + 1)
            offset[idx] = fixed_index[c.slug]
        else:
            left = c.minutes
            if spent > 0:
                left = max(min(MIN_SESSION, c.minutes), c.minutes - spent)
        remaining[idx] = left
        for p in c.prereq_slugs:
            if p in fixed_day and p not in done and fixed_day[p] > e:
                e = fixed_day[p]
        earliest[idx] = e
        pending.append(idx)
    pending_set = set(pending)

    # Theme-week windows, measured from the anchor and clipped to the plan's start.
    span = min(total_days, CORE_DAYS) if total_days > 0 else 0
    windows = [0] * 5
    for w in range(1, 5):
        windows[w] = max(0, anchor_offset + ((w - 1) * span) // 4)

    # Anchored peer mocks: kept inside their theme week when it has a study day; they and
    # what they need are the most essential modules of all.
    anchors: dict[int, tuple[int, int]] = {}
    study: list[bool] = []
    closure: set[int] = set()
    anchored_minutes = 0
    if any(core[idx].anchored for idx in pending):
        study = [
            cap > 0
            for cap in day_capacities(
                start, horizon, request.weekly_minutes, request.weekdays, request.days_off
            )
        ]
        for idx in pending:
            c = core[idx]
            if not c.anchored:
                continue
            if c.week not in anchors:
                lo, hi = _week_bounds(anchor_offset, span, c.week, horizon)
                anchors[c.week] = (lo, hi) if any(study[lo:hi]) else (0, 0)
            if anchors[c.week][1] == 0:
                continue
            anchored_minutes += remaining[idx]
            stack = [idx]
            while stack:
                j = stack.pop()
                if j in closure or j not in pending_set:
                    continue
                closure.add(j)
                stack.extend(core[j].prereqs)
        anchors = {w: b for w, b in anchors.items() if b[1] > 0}

    def rank(idx: int) -> tuple[int, ...]:
        return (0 if idx in closure else 1, *core[idx].key)

    essential = sorted(data.essential, key=rank) if closure else data.essential

    force = 0  # how hard the anchored mocks hold their week (see _reserve_anchored)

    def solve(admitted_set: set[int]):
        order = sorted(admitted_set)
        bounds = anchors if closure else None
        placed, left_room, fail = _pack(
            order, core, remaining, earliest, windows, room, horizon, bounds, study, force
        )
        if placed is None:
            placed, left_room, fail = _pack(
                order, core, remaining, earliest, None, room, horizon, bounds, study, force
            )
        return order, placed, left_room, fail

    # Admission by budget, most essential first (a module needs its pending prereqs admitted).
    budget = sum(room)
    admitted: set[int] = set()
    shrunk: set[int] = set()  # dropped so that the anchored mocks stay in their week
    for idx in essential:
        if idx not in pending_set:
            continue
        if any(p in pending_set and p not in admitted for p in core[idx].prereqs):
            continue
        if idx not in closure and remaining[idx] > budget:
            if remaining[idx] <= budget + anchored_minutes:
                shrunk.add(idx)
            continue
        admitted.add(idx)
        budget -= remaining[idx]

    order, placed, left_room, fail = solve(admitted)
    rejected = len(admitted) < len(pending)
    while placed is None:
        rejected = True
        if fail is not None and fail >= 0:
            # An anchored mock's prerequisites end too late: drop work laid out before it.
            candidates = [i for i in admitted if i < fail and i not in closure]
        elif fail is None:
            candidates = [i for i in admitted if i not in closure]
        else:
            candidates = []
        if not candidates:
            if closure and fail is not None and fail >= 0 and force < 2:
                # Nothing left to move: a mock over its day leaves that day's room to what
                # it needs; then the mocks share the week's last day.
                force += 1
                order, placed, left_room, fail = solve(admitted)
                continue
            if closure:
                # Even alone they cannot keep the week: plan them like any other module.
                closure = set()
                order, placed, left_room, fail = solve(admitted)
                continue
            candidates = list(admitted)
        victim = max(candidates, key=rank)
        if fail is not None:
            shrunk.add(victim)
        admitted.discard(victim)
        # Its dependants go with it (they rank after it, so only an anchored shrink, which
        # picks among the modules laid out first, can leave one behind).
        for idx in order:
            if idx in admitted and any(
                p in pending_set and p not in admitted for p in core[idx].prereqs
            ):
                admitted.discard(idx)
        order, placed, left_room, fail = solve(admitted)

    if rejected:
        # Add back what still fits, most essential first. A protected module that does not
        # fit may take the place of less essential work admitted meanwhile (a shrink for the
        # anchored mocks only drops work laid out before them, so work laid out after them
        # can hold the room a protected module needs): that work is then added back in
        # turn, if it still fits.
        protected = {i for i in pending_set if core[i].key[0] == 0}  # the template's
        for idx in essential:
            if idx not in pending_set or idx in admitted:
                continue
            if any(p in pending_set and p not in admitted for p in core[idx].prereqs):
                continue
            if remaining[idx] <= sum(left_room):
                trial = admitted | {idx}
                t_order, t_placed, t_room, _ = solve(trial)
                if t_placed is not None:
                    admitted, order, placed, left_room = trial, t_order, t_placed, t_room
                    continue
            if idx not in protected:
                continue
            behind = {
                i
                for i in admitted
                if i not in closure and i not in protected and rank(i) > rank(idx)
            }
            if not behind:
                continue
            trial = (admitted - behind) | {idx}
            if any(p in pending_set and p not in trial for i in trial for p in core[i].prereqs):
                continue
            t_order, t_placed, t_room, _ = solve(trial)
            if t_placed is None:
                continue
            admitted, order, placed, left_room = trial, t_order, t_placed, t_room
            for back in sorted(behind, key=rank):
                if any(p in pending_set and p not in admitted for p in core[back].prereqs):
                    continue
                if remaining[back] > sum(left_room):
                    continue
                trial = admitted | {back}
                t_order, t_placed, t_room, _ = solve(trial)
                if t_placed is not None:
                    admitted, order, placed, left_room = trial, t_order, t_placed, t_room

    last_day = -1
    for idx, sessions in zip(order, placed, strict=True):
        c = core[idx]
        first = offset[idx]
        total = first + len(sessions)
        for s, (day, minutes) in enumerate(sessions, first + 1):
            items.append(
                ScheduledItem(
                    c.slug,
                    start + timedelta(days=day),
                    minutes,
                    s,
                    total,
                    c.week,
                    c.area,
                    c.kind,
                )
            )
        if sessions[-1][0] > last_day:
            last_day = sessions[-1][0]

    # Stretch: review blocks from the day after the core until the interview.
    reviews = data.reviews
    if total_days > CORE_DAYS and reviews:
        k = len(reviews)
        pointer = 0
        occurrences = [0] * k
        for day in range(last_day + 1, horizon):
            r = left_room[day]
            today = 0
            while r >= MIN_SESSION and today < k:
                j = pointer % k
                slug, minutes, week, area, kind = reviews[j]
                take = minutes if minutes <= r else r
                pointer += 1
                today += 1
                occurrences[j] += 1
                r -= take
                items.append(
                    ScheduledItem(
                        slug,
                        start + timedelta(days=day),
                        take,
                        1,
                        1,
                        week,
                        area,
                        kind,
                        occurrences[j],
                    )
                )
            left_room[day] = r

    items.sort(key=_item_date)

    unscheduled: list[tuple[str, str]] = []
    missing = pending_set - admitted
    for idx in sorted(missing):
        c = core[idx]
        reason = SHRUNK if idx in shrunk else NO_ROOM
        for p in c.prereqs:
            if p in missing:
                reason = prerequisite_reason(core[p].slug)
                break
        unscheduled.append((c.slug, reason))
    return PlanResult(tuple(items), tuple(unscheduled))


def _item_date(item: ScheduledItem) -> date:
    return item.date


# --------------------------------------------------------------------------- re-planning


def diff_plans(
    old_items: Iterable[ScheduledItem],
    new_items: Iterable[ScheduledItem],
    *,
    include_review: bool = False,
) -> tuple[Move, ...]:
    """What moved between two plans, one :class:`Move` per module whose first session
    date changed (``None`` when a module is absent from one side). Review blocks are
    ignored unless ``include_review`` (they are re-generated, not moved)."""

    def first_dates(items: Iterable[ScheduledItem]) -> dict[str, date]:
        firsts: dict[str, date] = {}
        for item in items:
            if item.kind == "review" and not include_review:
                continue
            current = firsts.get(item.module)
            if current is None or item.date < current:
                firsts[item.module] = item.date
        return firsts

    old = first_dates(old_items)
    new = first_dates(new_items)
    moves = [
        Move(slug, old.get(slug), new.get(slug))
        for slug in set(old) | set(new)
        if old.get(slug) != new.get(slug)
    ]
    moves.sort(key=lambda m: (m.new_date or date.max, m.old_date or date.max, m.module))
    return tuple(moves)


def replan(
    request: PlanRequest,
    *,
    today: date,
    done: Iterable[str] = (),
    partial: Mapping[str, int] | None = None,
    fixed: Iterable[FixedItem] = (),
    old_items: Iterable[ScheduledItem] = (),
) -> Replan:
    """Re-plan from ``today``: missed items roll forward, done modules drop out, fixed
    items stay. ``request`` is the request the current plan came from (its ``anchor`` or
    ``start`` becomes the anchor, so the theme-week pacing is kept). ``old_items`` are the
    current plan's items; the moves compare them with the new plan, leaving out modules
    that are now done."""
    done_set = frozenset(done) | request.done
    new_request = replace(
        request,
        start=today,
        done=done_set,
        partial=dict(partial or {}),
        fixed=tuple(fixed),
        anchor=request.anchor or request.start,
    )
    result = generate_plan(new_request)
    old = [item for item in old_items if item.module not in done_set]
    return Replan(result, diff_plans(old, result.items))
