from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prep.lib.escaping import escape as _e

from . import designs, selectors, services
from .forms import DurationsForm, PromptFilterForm, SelfScoreForm
from .models import SCORE_LABELS, MockKind, Prompt, Rubric, SoloMock
from .templatetags.mocks_tags import score_cells


def _role(request) -> str | None:
    profile = getattr(request, "profile", None)
    return getattr(profile, "role", None)


def _own_mock(request, pk: int) -> SoloMock:
    return get_object_or_404(
        SoloMock.objects.for_user(request.user).select_related("prompt"), pk=pk
    )


@login_required
@require_GET
def prompt_list(request):
    form = PromptFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    prompts = list(selectors.prompt_list(user=request.user, kind=kind or None))
    groups: dict[str, list[Prompt]] = {}
    for prompt in prompts:
        groups.setdefault(prompt.kind, []).append(prompt)
    kind_labels = dict(MockKind.choices)
    context = {
        "form": form,
        "kind": kind,
        "kinds": MockKind.choices,
        "groups": [(k, kind_labels[k], groups[k]) for k in MockKind.values if k in groups],
        "open_mocks": list(selectors.open_mocks(user=request.user)),
        "plan_progress": selectors.plan_progress(
            user=request.user, role=_role(request), kind=kind or None
        ),
    }
    return render(request, "mocks/prompt_list.html", context)


@login_required
@require_GET
def prompt_detail(request, slug):
    prompt = get_object_or_404(Prompt.objects.active(), slug=slug)
    rubric = get_object_or_404(Rubric, kind=prompt.kind)
    mocks = list(selectors.mocks_on_prompt(user=request.user, prompt=prompt))
    form = DurationsForm(phases=rubric.phases, minutes=rubric.default_minutes)
    return render(request, "mocks/prompt_detail.html", _prompt_context(prompt, rubric, mocks, form))


def _prompt_context(prompt, rubric, mocks, form):
    return {
        "prompt": prompt,
        "rubric": rubric,
        "mocks": mocks,
        "form": form,
        # Interviewer notes stay hidden until the user has finished a mock on this prompt.
        "notes_unlocked": any(m.is_completed for m in mocks),
        "score_labels": [(str(k), label) for k, label in SCORE_LABELS.items()],
        "total_minutes": sum(p["minutes"] for p in rubric.phases),
    }


@login_required
@require_POST
def solo_start(request, slug):
    prompt = get_object_or_404(Prompt.objects.active(), slug=slug)
    rubric = get_object_or_404(Rubric, kind=prompt.kind)
    form = DurationsForm(request.POST, phases=rubric.phases, minutes=rubric.default_minutes)
    if form.is_valid():
        try:
            mock = services.solo_mock_start(
                user=request.user, prompt=prompt, minutes=form.minutes()
            )
        except services.MockError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("mocks:solo_detail", pk=mock.pk)
    mocks = list(selectors.mocks_on_prompt(user=request.user, prompt=prompt))
    return render(
        request,
        "mocks/prompt_detail.html",
        _prompt_context(prompt, rubric, mocks, form),
        status=400,
    )


def _timer_context(mock: SoloMock, form: DurationsForm | None = None) -> dict:
    now = timezone.now()
    ahead = mock.phases[mock.phase_index :] if mock.is_running else []
    return {
        "mock": mock,
        "phase": mock.current_phase,
        "rows": mock.phase_rows(now),
        "now_ms": int(now.timestamp() * 1000),
        "phase_started_ms": int(mock.phase_started_at.timestamp() * 1000),
        "started_ms": int(mock.started_at.timestamp() * 1000),
        "total_seconds": int((now - mock.started_at).total_seconds()),
        "planned_seconds": mock.planned_seconds(mock.current_phase["slug"])
        if mock.current_phase
        else 0,
        "total_planned_minutes": sum(int(v) for v in mock.minutes.values()),
        "next_phase": mock.phases[mock.phase_index + 1]
        if mock.is_running and not mock.is_last_phase
        else None,
        "durations_form": form or DurationsForm(phases=ahead, minutes=mock.minutes),
    }


@login_required
@require_GET
def solo_detail(request, pk):
    mock = _own_mock(request, pk)
    if mock.status == SoloMock.Status.SCORING:
        return redirect("mocks:solo_score", pk=mock.pk)
    notes = selectors.solo_mock_notes(mock=mock)
    if mock.is_running:
        context = _timer_context(mock)
        context["note_rows"] = [
            {**row, "text": notes.get(row["slug"], "")} for row in context["rows"]
        ]
        return render(request, "mocks/solo_run.html", context)
    return render(request, "mocks/solo_report.html", _report_context(request, mock, notes))


def _scored_dimensions(rubric, feedback) -> list[dict]:
    """Each rubric dimension with the feedback's score on it and the signal that score
    stands for (no score, no signal)."""
    scores = {s.dimension: s for s in feedback.scores.all()} if feedback else {}
    return [
        {
            **dim,
            "score": scores.get(dim["slug"]),
            "signal": dim["signals"].get(str(scores[dim["slug"]].score))
            if dim["slug"] in scores
            else "",
        }
        for dim in rubric.dimensions
    ]


def _report_context(request, mock, notes):
    rubric = Rubric.objects.get(kind=mock.kind)
    feedback = selectors.solo_self_score(mock=mock)
    dims = _scored_dimensions(rubric, feedback)
    covered = set(mock.checklist_covered)
    return {
        "mock": mock,
        "prompt": mock.prompt,
        "rubric": rubric,
        "feedback": feedback,
        "dims": dims,
        "checklist": [
            {"text": text, "covered": i in covered} for i, text in enumerate(mock.prompt.checklist)
        ],
        "covered_count": len(covered),
        "rows": [{**row, "text": notes.get(row["slug"], "")} for row in mock.phase_rows()],
        "plan_progress": selectors.plan_progress(
            user=request.user, role=_role(request), kind=mock.kind
        ),
    }


@login_required
@require_POST
def solo_advance(request, pk):
    mock = _own_mock(request, pk)
    # The note typed just before the click (its autosave may not have gone out yet).
    if mock.is_running and "note" in request.POST and mock.current_phase:
        try:
            services.phase_note_save(
                mock=mock, phase=mock.current_phase["slug"], text=request.POST["note"]
            )
        except services.MockError as exc:
            messages.error(request, str(exc))
            return redirect("mocks:solo_detail", pk=mock.pk)
    try:
        from_index = int(request.POST.get("phase_index", ""))
    except ValueError:
        messages.error(request, "That click was for a phase that is no longer current.")
        return redirect("mocks:solo_detail", pk=mock.pk)
    if request.POST.get("action") == "finish":
        mock = services.solo_mock_finish(mock=mock)
    else:
        mock = services.solo_mock_advance(mock=mock, from_index=from_index)
    if mock.status == SoloMock.Status.SCORING:
        return redirect("mocks:solo_score", pk=mock.pk)
    return redirect("mocks:solo_detail", pk=mock.pk)


@login_required
@require_POST
def solo_minutes(request, pk):
    mock = _own_mock(request, pk)
    ahead = mock.phases[mock.phase_index :] if mock.is_running else []
    form = DurationsForm(request.POST, phases=ahead, minutes=mock.minutes)
    status = 200
    if form.is_valid():
        try:
            mock = services.solo_mock_set_minutes(mock=mock, minutes=form.minutes())
        except services.MockError as exc:
            form.add_error(None, str(exc))
            status = 400
        else:
            form = None
            if not request.htmx:
                messages.success(request, "Durations updated.")
                return redirect("mocks:solo_detail", pk=mock.pk)
    else:
        status = 400
    if not mock.is_running:
        return redirect("mocks:solo_detail", pk=mock.pk)
    template = "mocks/solo_run.html#timer" if request.htmx else "mocks/solo_run.html"
    context = _timer_context(mock, form)
    notes = selectors.solo_mock_notes(mock=mock)
    context["note_rows"] = [{**row, "text": notes.get(row["slug"], "")} for row in context["rows"]]
    return render(request, template, context, status=status)


@login_required
@require_POST
def note_save(request, pk, phase):
    mock = _own_mock(request, pk)
    text = request.POST.get("text", "")
    try:
        note = services.phase_note_save(mock=mock, phase=phase, text=text)
    except services.MockError as exc:
        if not any(p["slug"] == phase for p in mock.phases):
            raise Http404("No such phase.") from exc
        return render(request, "mocks/_note_status.html", {"error": str(exc)}, status=422)
    if not request.htmx:
        return redirect("mocks:solo_detail", pk=mock.pk)
    return render(request, "mocks/_note_status.html", {"note": note})


@login_required
@require_http_methods(["GET", "POST"])
def solo_score(request, pk):
    mock = _own_mock(request, pk)
    if mock.is_running:
        messages.info(request, "Finish the timer before scoring.")
        return redirect("mocks:solo_detail", pk=mock.pk)
    rubric = get_object_or_404(Rubric, kind=mock.kind)
    existing = selectors.solo_self_score(mock=mock)
    initial = {"checklist": [str(i) for i in mock.checklist_covered]}
    if existing:
        initial["notes"] = existing.notes
        for s in existing.scores.all():
            initial[f"score_{s.dimension}"] = str(s.score)
            initial[f"comment_{s.dimension}"] = s.comment
    form = SelfScoreForm(
        request.POST or None, rubric=rubric, checklist=mock.prompt.checklist, initial=initial
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.solo_mock_complete(
                    mock=mock,
                    scores=form.scores(),
                    comments=form.comments(),
                    notes=form.cleaned_data["notes"],
                    checklist_covered=form.cleaned_data["checklist"],
                )
            except services.FeedbackError as exc:
                form.add_service_errors(exc.message_dict)
            except services.MockError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Mock completed and scored.")
                return redirect("mocks:solo_detail", pk=mock.pk)
        status = 400
    notes = selectors.solo_mock_notes(mock=mock)
    return render(
        request,
        "mocks/solo_score.html",
        {
            "mock": mock,
            "prompt": mock.prompt,
            "rubric": rubric,
            "form": form,
            "rows": [{**row, "text": notes.get(row["slug"], "")} for row in mock.phase_rows()],
        },
        status=status,
    )


@login_required
@require_POST
def solo_delete(request, pk):
    mock = _own_mock(request, pk)
    services.solo_mock_delete(mock=mock)
    messages.success(request, "Mock deleted.")
    return redirect("mocks:prompt_list")


def _url_with_pk(name: str):
    """``reverse(name, args=[pk])`` for many pks, reversed once: a page of rows links each
    row, and the resolver's reverse per row cost more than the row's other markup."""
    sentinel = "918273645546372819"
    head, tail = reverse(name, args=[int(sentinel)]).split(sentinel)
    return lambda pk: f"{head}{pk}{tail}"


def _history_rows(rows: list[dict]) -> None:
    """Each history row's ``<tr>`` (``row["html"]``), written here rather than by the template
    engine a hundred times a page: its day as the ``date:"j M Y"`` filter shows it (local
    time), its link, self or peer, its score cells and mean (unlocalized, as the table is)."""
    solo, peer = _url_with_pk("mocks:solo_detail"), _url_with_pk("mocks:feedback_detail")
    months = {m: str(name).title() for m, name in MONTHS_3.items()}
    tz = timezone.get_current_timezone()  # what localtime() looks up again for every row
    for row in rows:
        day = row["created_at"].astimezone(tz)
        if row["solo_mock_id"]:
            url, title = solo(row["solo_mock_id"]), _e(row["title"])
        else:
            url, title = peer(row["pk"]), "Peer mock"
        badge = "neutral" if row["is_self_score"] else "info"
        who = "self" if row["is_self_score"] else "peer"
        mean = "—" if row["mean"] is None else _e(row["mean"])
        row["html"] = mark_safe(  # noqa: S308 - every value is escaped
            "<tr>\n"
            f'              <td class="nowrap">{day.day} {months[day.month]} {day.year}</td>\n'
            "              <td>\n"
            f'                <a href="{_e(url)}">{title}</a>\n'
            f'                <span class="badge badge--{badge}">{who}</span>\n'
            "              </td>\n"
            f"              {score_cells(row['cells'])}\n"
            f'              <td class="num"><strong>{mean}</strong></td>\n'
            "            </tr>"
        )


@login_required
@require_GET
def history(request):
    received = selectors.feedback_received(user=request.user)
    counts = selectors.history_kinds(user=request.user, received=received)
    kind = request.GET.get("kind", "")
    if kind not in MockKind.values:
        kind = max(counts, key=counts.get) if counts else MockKind.ML_SYSTEM_DESIGN
    table = selectors.score_history(user=request.user, kind=kind, received=received)
    _history_rows(table["rows"])
    return render(
        request,
        "mocks/history.html",
        {
            "kind": kind,
            "kind_label": dict(MockKind.choices)[kind],
            "tabs": [(k, label, counts.get(k, 0)) for k, label in MockKind.choices],
            **table,
        },
    )


@login_required
@require_GET
def feedback_detail(request, pk):
    feedback = get_object_or_404(selectors.feedback_for_user(user=request.user), pk=pk)
    if feedback.solo_mock_id and feedback.solo_mock.user_id == request.user.pk:
        return redirect("mocks:solo_detail", pk=feedback.solo_mock_id)
    rubric = get_object_or_404(Rubric, kind=feedback.kind)
    dims = _scored_dimensions(rubric, feedback)
    return render(
        request,
        "mocks/feedback_detail.html",
        {"feedback": feedback, "rubric": rubric, "dims": dims},
    )


@login_required
@require_GET
def design_list(request):
    """The worked designs: study material, readable at any time (no mock needed)."""
    return render(request, "mocks/design_list.html", {"designs": designs.designs()})


@login_required
@require_GET
def design_detail(request, slug):
    design = designs.design(slug)
    if design is None:
        raise Http404("No such worked design")
    return render(request, "mocks/design_detail.html", {"design": design})
