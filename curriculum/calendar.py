"""The private iCalendar feed of a plan and its booked sessions (icalendar package)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .models import FixedEvent, Plan, PlanItem


def item_uid(plan: Plan, slug: str, session_index: int) -> str:
    """Stable across re-plans, so a moved item updates the event instead of duplicating it."""
    return f"prep-plan-{plan.user_id}-{slug}-{session_index}@prep"


def plan_feed(plan: Plan) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Prep//Interview plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Prep plan")
    cal.add("x-wr-timezone", plan.timezone)
    stamp = timezone.now()
    items = (
        PlanItem.objects.filter(plan=plan)
        .exclude(status=PlanItem.Status.SKIPPED)
        .select_related("module")
    )
    for item in items:
        event = Event()
        event.add("uid", item_uid(plan, item.module.slug, item.session_index))
        title = item.module.title
        if item.session_count > 1:
            title += f" ({item.session_index}/{item.session_count})"
        prefix = "✓ " if item.status == PlanItem.Status.DONE else ""
        event.add("summary", f"{prefix}{title} · {item.minutes} min")
        event.add("dtstart", item.date)
        event.add("dtend", item.date + dt.timedelta(days=1))
        event.add("dtstamp", stamp)
        event.add("description", item.module.description)
        event.add("transp", "TRANSPARENT")
        event.add("url", f"{settings.SITE_URL}/plan/?week={item.date.isoformat()}")
        cal.add_component(event)
    for fixed in FixedEvent.objects.filter(user=plan.user_id):
        event = Event()
        event.add("uid", f"prep-fixed-{plan.user_id}-{fixed.key}@prep")
        event.add("summary", fixed.title or "Booked session")
        event.add("dtstart", fixed.starts_at)
        event.add("dtend", fixed.ends_at)
        event.add("dtstamp", stamp)
        if fixed.url:
            event.add("url", fixed.url)
        cal.add_component(event)
    return cal.to_ical()
