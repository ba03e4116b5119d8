"""Plan pages: thin views over curriculum.plans (rules) and curriculum.selectors (reads)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from curriculum.roles import ROLES_BY_SLUG

from . import calendar, plans, selectors
from .forms import ChecklistForm, DayOffForm, WeekForm
from .models import Plan, PlanItem


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# The weeks whose previous and next weeks are dates too: a ?week= beyond them shows the
# nearest of them (a navigation parameter takes its nearest valid value).
FIRST_WEEK = _monday(dt.date.min) + dt.timedelta(days=7)
LAST_WEEK = _monday(dt.date.max) - dt.timedelta(days=7)


def _week_start(day: dt.date) -> dt.date:
    return min(max(_monday(day), FIRST_WEEK), LAST_WEEK)


def _week_context(request, plan: Plan, *, week_start: dt.date, today: dt.date) -> dict:
    week = selectors.week_page(plan, start=week_start, today=today)
    return {
        "plan": plan,
        "today": today,
        "days": week.days,
        "week_start": week_start,
        "prev_week": week_start - dt.timedelta(days=7),
        "next_week": week_start + dt.timedelta(days=7),
        "this_week": _monday(today),
        "areas": week.areas,
        "totals": week.totals,
        "streak": week.streak,
        "streak_rule": selectors.STREAK_RULE,
        "days_left": (plan.interview - today).days,
        "week3": week.week3,
        "role_name": ROLES_BY_SLUG[plan.role].name if plan.role in ROLES_BY_SLUG else plan.role,
    }


def _plan_or_redirect(request):
    plan = plans.plan_for_reading(request.user)
    if plan is None:
        messages.info(request, "Tell Prep about your interview first; your plan is built from it.")
    return plan


@login_required
@require_GET
def plan(request):
    plan = _plan_or_redirect(request)
    if plan is None:
        return redirect("accounts:onboarding")
    today = plans.local_today(plan)
    form = WeekForm(request.GET)
    # Opens on the week of the next day with work (a Sunday sign-up sees the coming week).
    upcoming = selectors.next_work_day(plan, today=today)
    week_start = _monday(upcoming[0] if upcoming else today)
    if form.is_valid() and form.cleaned_data["week"]:
        week_start = _week_start(form.cleaned_data["week"])
    elif not form.is_valid():
        messages.error(request, "That week is not a date (use YYYY-MM-DD); showing this week.")
    context = _week_context(request, plan, week_start=week_start, today=today)
    context["upcoming"] = upcoming
    template = "curriculum/plan.html"
    if request.htmx and not request.htmx.boosted:
        template += "#plan-body"
    return render(request, template, context)


@login_required
@require_GET
def plan_all(request):
    plan = _plan_or_redirect(request)
    if plan is None:
        return redirect("accounts:onboarding")
    today = plans.local_today(plan)
    return render(
        request,
        "curriculum/plan_all.html",
        {
            "plan": plan,
            "today": today,
            "weeks": selectors.plan_all_items(plan, today=today),
            "totals": selectors.plan_totals(plan),
        },
    )


def _render_item(request, item: PlanItem):
    today = plans.local_today(item.plan)
    return render(
        request,
        "curriculum/_item.html",
        {"view": selectors.item_view(item, today=today), "oob_messages": True},
    )


def _week_of(request, plan: Plan, today: dt.date) -> dt.date:
    form = WeekForm(request.POST)
    if form.is_valid() and form.cleaned_data["week"]:
        return _week_start(form.cleaned_data["week"])
    return _monday(today)


def _render_plan_body(request, plan: Plan):
    today = plans.local_today(plan)
    context = _week_context(request, plan, week_start=_week_of(request, plan, today), today=today)
    if request.htmx:
        return render(request, "curriculum/plan.html#plan-body", context)
    return redirect(f"{reverse('curriculum:plan')}?week={context['week_start'].isoformat()}")


ITEM_ACTIONS = {
    "complete": (plans.item_complete, "Done — nice work."),
    "reopen": (plans.item_reopen, "Marked as still to do."),
    "skip": (plans.item_skip, "Skipped; it will not be re-planned."),
}


@login_required
@require_POST
def item_action(request, pk: int, action: str):
    item = get_object_or_404(
        PlanItem.objects.for_user(request.user).select_related("module", "plan"), pk=pk
    )
    if action == "snooze":
        try:
            plans.item_snooze(item=item)
            messages.success(request, f"“{item.module.title}” moved to the next day with room.")
        except plans.PlanError as exc:
            messages.error(request, str(exc))
        item.plan.refresh_from_db()
        return _render_plan_body(request, item.plan)
    if action not in ITEM_ACTIONS:
        raise Http404("Unknown action")
    service, message = ITEM_ACTIONS[action]
    service(item=item)
    if not request.htmx:
        messages.success(request, message)
        return redirect("curriculum:plan")
    return _render_item(request, item)


@login_required
@require_POST
def item_checklist(request, pk: int):
    item = get_object_or_404(
        PlanItem.objects.for_user(request.user).select_related("module", "plan"), pk=pk
    )
    form = ChecklistForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That checklist entry does not exist.")
    else:
        try:
            plans.checklist_tick(
                item=item, index=form.cleaned_data["index"], ticked=form.cleaned_data["ticked"]
            )
        except plans.PlanError as exc:
            messages.error(request, str(exc))
    item.refresh_from_db()
    if not request.htmx:
        return redirect("curriculum:plan")
    return _render_item(request, item)


@login_required
@require_POST
def day_off(request):
    plan = get_object_or_404(Plan, user=request.user)
    form = DayOffForm(request.POST)
    if form.is_valid():
        try:
            plans.day_off_set(
                request.user, day=form.cleaned_data["date"], off=form.cleaned_data["off"]
            )
        except plans.PlanError as exc:
            messages.error(request, str(exc))
        else:
            plan.refresh_from_db()
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return _render_plan_body(request, plan)


@login_required
@require_POST
def notice_dismiss(request):
    Plan.objects.filter(user=request.user).update(notice={})
    if request.htmx:
        return HttpResponse("")
    return redirect("curriculum:plan")


@login_required
@require_POST
def calendar_regenerate(request):
    plan = get_object_or_404(Plan, user=request.user)
    plans.calendar_token_regenerate(plan=plan)
    messages.success(request, "A new calendar link was made; the old one no longer works.")
    return redirect("curriculum:plan_all")


@require_GET
def calendar_feed(request, token: str):
    plan = get_object_or_404(Plan.objects.select_related("user"), calendar_token=token)
    body = calendar.plan_feed(plan)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="prep-plan.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
