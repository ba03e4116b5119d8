"""Thin views: load scoped to the user, call a service, render (a partial for htmx)."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from prep.lib.text import strip_unstorable
from prep.memory.fit import retrievability

from . import anki, charts, exchange, memory, review_html, selectors, services
from .forms import AnkiPackageForm, CardForm, DeckForm, ImportForm, StudySettingsForm
from .models import Card, CardState, Deck
from .selectors import Scope

TOPIC_RE = re.compile(r"^[a-z0-9_-]{1,40}$")
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


def _setup(request, state_id: int | None = None):
    """The review scope from ?deck=<slug>&topic=<slug> (an unknown deck is a 404), the
    user's study settings and, for a rating, the user's state ``state_id`` (None if not
    theirs), in one query (two on the user's very first review)."""
    topic = request.GET.get("topic", "").strip()
    if topic and not TOPIC_RE.match(topic):
        raise Http404("No such topic.")
    slug = request.GET.get("deck", "").strip()
    study, deck, state = selectors.review_setup(request.user, slug, state_id)
    if slug and deck is None:
        raise Http404("No such deck.")
    if study is None:
        study = services.study_settings_get(request.user)
        study.fsrs_parameters = services.parameters_of(user=request.user, study=None)
    return Scope(deck=deck, topic=topic), study, state


def interval_label(delta: dt.timedelta) -> str:
    """Anki-style: 1m, 10m, 3h, 4d, 2.5mo, 1.2y."""
    seconds = delta.total_seconds()
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")


def _review_context(
    request,
    scope: Scope,
    *,
    study,
    prefer: CardState | None = None,
    can_undo: bool | None = None,
    notice: str = "",
):
    """The review session: counts, the card to show (``prefer`` after an undo) and its
    four rating buttons, each labelled with the interval it gives."""
    user = request.user
    now = timezone.now()
    tz = timezone.get_current_timezone()
    day = selectors.day_bounds(tz, now)
    if prefer is not None and not prefer.suspended:
        state = prefer
        counts = selectors.queue_counts(user, scope, study=study, now=now, day=day)
    else:
        counts, state = selectors.queue(user, scope, study=study, now=now, day=day)
    context = {"scope": scope, "counts": counts, "state": state, "notice": notice, "study": study}
    if state is not None:
        # Whole milliseconds: the signed token carries the same instant the preview used.
        shown_at = now.replace(microsecond=now.microsecond // 1000 * 1000)
        intervals = services.preview(state, services.scheduler_for(study), shown_at)
        context["token"] = services.showing_token(state, shown_at)
        context["buttons"] = [
            {"rating": r, "name": RATING_NAMES[r], "interval": interval_label(intervals[r])}
            for r in (1, 2, 3, 4)
        ]
    else:
        context["summary"] = selectors.day_summary(user, day[0])
    context["can_undo"] = counts.has_reviews if can_undo is None else can_undo
    return context


def _render_session(request, scope, **kwargs):
    """The review page, or for htmx its session alone (``review_html``: no template)."""
    context = _review_context(request, scope, **kwargs)
    session = review_html.session_html(request, context)
    if request.htmx:
        return HttpResponse(session)
    return render(request, "flashcards/review.html", {**context, "session_html": session})


# --- Home ----------------------------------------------------------------------------------------
@login_required
def index(request):
    now = timezone.now()
    services.states_enrol(user=request.user, now=now)
    _, day_end = selectors.day_bounds(timezone.get_current_timezone(), now)
    decks = selectors.decks_with_counts(request.user, now=now, day_end=day_end)
    return render(
        request,
        "flashcards/index.html",
        {
            "decks": decks,
            "deck_form": DeckForm(),
            "study": services.study_settings_get(request.user),
        },
    )


# --- Review ----------------------------------------------------------------------------------------
@login_required
def review(request):
    scope, study, _ = _setup(request)
    services.states_enrol(user=request.user)
    return _render_session(request, scope, study=study)


@login_required
@require_POST
def answer(request, state_id: int):
    """Rate the card shown and answer with the next one. With a broker, four queries after
    the session's: user with profile; settings, deck and the card's state; the rating's
    conditional write (the state's update and the log's insert: one statement on
    PostgreSQL); the next card with the queue counts. The curriculum hears of the review
    after the commit (``tasks.review_report``)."""
    scope, study, state = _setup(request, state_id)
    if state is None:  # not this user's card: scoped like every lookup
        raise Http404("No such card.")
    notice = ""
    try:
        showing = services.showing_read(request.POST.get("token", ""))
        rating = int(request.POST.get("rating", ""))
        if showing.state_id != state_id:
            raise services.ReviewError("This rating belongs to another card.")
        if rating not in RATING_NAMES:
            raise services.ReviewError("Choose Again, Hard, Good or Easy.")
    except (services.ReviewError, ValueError) as exc:
        notice = str(exc) if isinstance(exc, services.ReviewError) else "Choose a rating."
        return _render_session(request, scope, study=study, notice=notice)
    try:
        outcome = services.card_review(
            user=request.user,
            state_id=state_id,
            seq=showing.seq,
            rating=rating,
            reviewed_at=showing.shown_at,
            study=study,
            state=state,
        )
    except CardState.DoesNotExist as exc:  # not this user's card: scoped like every lookup
        raise Http404("No such card.") from exc
    if outcome.duplicate:
        notice = "That rating was already recorded."
    if not request.htmx:
        return redirect(_review_url(scope))
    return _render_session(request, scope, study=study, can_undo=True, notice=notice)


@login_required
@require_POST
def undo(request):
    scope, study, _ = _setup(request)
    restored = services.review_undo(user=request.user)
    notice = "Undone: the card is back." if restored else "Nothing to undo."
    if not request.htmx:
        messages.info(request, notice)
        return redirect(_review_url(scope))
    return _render_session(request, scope, study=study, prefer=restored, notice=notice)


def _review_url(scope: Scope) -> str:
    url = reverse("flashcards:review")
    return f"{url}?{scope.query()}" if scope.query() else url


# --- Browse and own cards -------------------------------------------------------------------------
STATE_FILTERS = [
    ("", "Any state"),
    ("new", "New"),
    ("learning", "Learning"),
    ("review", "Review"),
    ("relearning", "Relearning"),
    ("suspended", "Suspended"),
]


def _visible_card(request, pk: int) -> Card:
    return get_object_or_404(Card.objects.visible_to(request.user).select_related("deck"), pk=pk)


def _own_card(request, pk: int) -> Card:
    return get_object_or_404(Card.objects.filter(owner=request.user).select_related("deck"), pk=pk)


@login_required
def card_list(request):
    user = request.user
    decks = list(Deck.objects.filter(Q(owner=None) | Q(owner=user)).order_by("owner_id", "title"))
    deck_slug = request.GET.get("deck", "")
    deck = next((d for d in decks if d.slug == deck_slug), None)
    # Navigation parameters take their nearest valid value: text a database cannot store
    # loses those characters, a page out of range is the nearest page.
    q = strip_unstorable(request.GET.get("q", "")).strip()[:200]
    tag = strip_unstorable(request.GET.get("tag", "")).strip()[:60]
    state = request.GET.get("state", "")
    if state not in dict(STATE_FILTERS):
        state = ""
    cards = selectors.cards_browse(user, q=q, deck=deck, tag=tag, state=state)
    page_number = request.GET.get("page", "")
    page_number = max(1, int(page_number)) if page_number.isdigit() else 1
    page = Paginator(cards, 50).get_page(page_number)
    _with_recall(request.user, page.object_list, lambda c: (c.st_stability, c.st_last_review))
    params = request.GET.copy()
    params.pop("page", None)
    template = "flashcards/card_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "page": page,
            "decks": decks,
            "deck": deck,
            "q": q,
            "tag": tag,
            "state": state,
            "state_filters": STATE_FILTERS,
            "query": params.urlencode(),
        },
    )


@login_required
def card_detail(request, pk: int):
    card = _visible_card(request, pk)
    state = CardState.objects.filter(user=request.user, card=card).first()
    if state is not None:
        _with_recall(request.user, [state], lambda s: (s.stability, s.last_review))
    return render(
        request,
        "flashcards/card_detail.html",
        {
            "card": card,
            "state": state,
            "retrievability": getattr(state, "retrievability", None),
            "history": selectors.card_history(request.user, card),
        },
    )


def _with_recall(user, rows, fields) -> None:
    """Set ``row.retrievability`` (percent, now, with the user's parameters) on each row."""
    parameters = services.parameters_of(user=user, study=None)
    now = timezone.now()
    for row in rows:
        stability, last_review = fields(row)
        row.retrievability = None
        if stability and last_review is not None:
            elapsed = (now - last_review).total_seconds() / 86400
            row.retrievability = 100 * retrievability(elapsed, stability, parameters)


@login_required
@require_http_methods(["GET", "POST"])
def card_create(request):
    services.deck_default(user=request.user)
    form = CardForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        card = services.card_create(user=request.user, **form.cleaned_data)
        messages.success(request, "Card added. It is new, and will be shown in your next review.")
        if "add_another" in request.POST:
            return redirect(f"{reverse('flashcards:card_create')}?deck={card.deck_id}")
        return redirect("flashcards:card_detail", pk=card.pk)
    if request.method == "GET" and request.GET.get("deck", "").isdigit():
        form.initial["deck"] = int(request.GET["deck"])
    return render(request, "flashcards/card_form.html", {"form": form, "card": None})


@login_required
@require_http_methods(["GET", "POST"])
def card_edit(request, pk: int):
    card = _own_card(request, pk)
    initial = {
        "deck": card.deck,
        "front": card.front,
        "back": card.back,
        "tags": " ".join(card.tag_list),
    }
    form = CardForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.card_update(card=card, **form.cleaned_data)
        messages.success(request, "Card saved.")
        return redirect("flashcards:card_detail", pk=card.pk)
    return render(request, "flashcards/card_form.html", {"form": form, "card": card})


@login_required
@require_POST
def card_delete(request, pk: int):
    card = _own_card(request, pk)
    services.card_delete(card=card)
    messages.success(request, "Card deleted.")
    return redirect("flashcards:card_list")


@login_required
@require_POST
def card_suspend(request, pk: int):
    card = _visible_card(request, pk)
    state = services.card_state_for(user=request.user, card=card)
    services.card_suspend(state=state, suspended=request.POST.get("suspended") == "1")
    if request.htmx:
        return render(request, "flashcards/_suspend.html", {"card": card, "state": state})
    messages.success(request, "Card suspended." if state.suspended else "Card unsuspended.")
    return redirect("flashcards:card_detail", pk=card.pk)


@login_required
@require_POST
def deck_create(request):
    form = DeckForm(request.POST)
    if form.is_valid():
        deck = services.deck_create(user=request.user, **form.cleaned_data)
        messages.success(request, f"Deck “{deck.title}” created.")
        return redirect(f"{reverse('flashcards:card_create')}?deck={deck.pk}")
    now = timezone.now()
    _, day_end = selectors.day_bounds(timezone.get_current_timezone(), now)
    decks = selectors.decks_with_counts(request.user, now=now, day_end=day_end)
    return render(
        request,
        "flashcards/index.html",
        {"decks": decks, "deck_form": form, "study": services.study_settings_get(request.user)},
        status=400,
    )


# --- Import and export -----------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def import_cards(request):
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        parsed = exchange.parse(upload.read(exchange.MAX_BYTES + 1), filename=upload.name)
        if parsed.errors:
            errors = parsed.errors
        else:
            deck = form.cleaned_data["deck"] or services.deck_create(
                user=request.user, title=form.cleaned_data["new_deck"]
            )
            count = services.cards_import(user=request.user, deck=deck, rows=parsed.rows)
            messages.success(
                request, f"Imported {count} card{'s' if count != 1 else ''} into “{deck.title}”."
            )
            return redirect(f"{reverse('flashcards:card_list')}?deck={deck.slug}")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "flashcards/import.html",
        {"form": form, "errors": errors, "max_errors": 100, "anki_form": AnkiPackageForm()},
        status=status,
    )


@login_required
@require_POST
def import_anki(request):
    """An Anki package: cards with their review history, all or nothing."""
    anki_form = AnkiPackageForm(request.POST, request.FILES)
    errors: list[str] = []
    if anki_form.is_valid():
        upload = anki_form.cleaned_data["package"]
        try:
            cards, reviews = anki.package_import(
                user=request.user,
                data=upload.read(anki.MAX_BYTES + 1),
                title=anki_form.cleaned_data["title"],
            )
        except anki.AnkiError as exc:
            errors = [str(exc)]
        else:
            messages.success(
                request,
                f"Imported {cards} cards with {reviews} reviews from Anki. With 400 reviews or "
                "more you can fit your own parameters on the memory page.",
            )
            return redirect("flashcards:card_list")
    form = ImportForm(user=request.user)
    return render(
        request,
        "flashcards/import.html",
        {"form": form, "anki_form": anki_form, "anki_errors": errors},
        status=400,
    )


@login_required
def export_cards(request):
    slug = request.GET.get("deck", "")
    deck = selectors.deck_for_slug(request.user, slug)
    if deck is None:
        raise Http404("No such deck.")
    fmt = "csv" if request.GET.get("format") == "csv" else "tsv"
    cards = Card.objects.filter(deck=deck).visible_to(request.user).order_by("position", "pk")
    body = exchange.export(cards, separator="," if fmt == "csv" else "\t")
    content_type = "text/csv" if fmt == "csv" else "text/tab-separated-values"
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{deck.slug}.{fmt}"'
    return response


# --- Stats and settings ------------------------------------------------------------------------------
@login_required
def stats(request):
    user = request.user
    slug = request.GET.get("deck", "")
    deck = selectors.deck_for_slug(user, slug) if slug else None
    if slug and deck is None:
        raise Http404("No such deck.")
    decks = list(Deck.objects.filter(Q(owner=None) | Q(owner=user)).order_by("owner_id", "title"))
    tz = timezone.get_current_timezone()
    data = selectors.stats(user, tz=tz, now=timezone.now(), deck=deck)
    days = [d for d, _ in data.future_due]
    due_values = [n for _, n in data.future_due]
    due_values[0] += data.overdue
    future = charts.stacked_bars(
        days, [("due", "bar", due_values)], label="Cards due on each of the next 30 days"
    )
    review_days = [d for d, _ in data.reviews_per_day]
    series = [
        (
            RATING_NAMES[r].lower(),
            f"bar bar--{RATING_NAMES[r].lower()}",
            [c.get(r, 0) for _, c in data.reviews_per_day],
        )
        for r in (1, 2, 3, 4)
    ]
    reviews = charts.stacked_bars(review_days, series, label="Reviews on each of the last 30 days")
    retention = [
        {
            "label": label,
            "passed": p,
            "total": t,
            "percent": selectors.retention_percent(p, t),
            "predicted": predicted,
        }
        for (label, p, t), predicted in zip(data.retention, data.predicted, strict=True)
    ]
    by_state = data.by_state
    state_rows = [
        ("New", by_state["new"], "new"),
        ("Learning", by_state["learning"], "learning"),
        ("Relearning", by_state["relearning"], "relearning"),
        ("Young (interval under 21 days)", by_state["young"], "young"),
        ("Mature (21 days or more)", by_state["mature"], "mature"),
        ("Suspended", by_state["suspended"], "suspended"),
    ]
    total = sum(n for _, n, _ in state_rows)
    return render(
        request,
        "flashcards/stats.html",
        {
            "deck": deck,
            "decks": decks,
            "future": future,
            "overdue": data.overdue,
            "reviews": reviews,
            "retention": retention,
            "state_rows": state_rows,
            "state_total": total,
            "avg_stability": data.avg_stability,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_settings(request):
    study = services.study_settings_get(request.user)
    form = StudySettingsForm(request.POST or None, instance=study)
    if request.method == "POST":
        if form.is_valid():
            services.study_settings_update(user=request.user, **form.cleaned_data)
            messages.success(request, "Review settings saved.")
            return redirect("flashcards:study_settings")
        return render(request, "flashcards/settings.html", {"form": form}, status=400)
    return render(
        request,
        "flashcards/settings.html",
        {"form": form, "workload": _workload(request, study.desired_retention)},
    )


def _workload(request, retention: float) -> dict:
    parameters = services.parameters_of(user=request.user, study=None)
    return memory.workload_for(request.user, retention=retention, parameters=parameters)


@login_required
def workload(request):
    """The workload curve with the retention being considered (htmx partial, as typed)."""
    try:
        retention = round(float(request.GET.get("desired_retention", "")), 2)
    except ValueError:
        retention = services.study_settings_get(request.user).desired_retention
    retention = min(0.97, max(0.70, retention))
    return render(
        request, "flashcards/settings.html#workload", {"workload": _workload(request, retention)}
    )
