"""The review session (counts, the card shown and its rating form, or the day's summary) as
HTML, written in Python rather than a template.

Every rating answers with this fragment (the htmx answer) and the review page wraps it, so
it is on the path of the site's busiest write (answer-and-next-card, held to 15 ms); through
the template engine (some forty variable lookups, seven ``{% url %}`` and two
``{% csrf_token %}`` tags) it cost more than reading the next card. The markup is
``templates/flashcards/review.html``'s former ``session`` partial, byte for byte
(``tests/flashcards/test_review_html.py`` holds it to that template). Every value is escaped
except the card's HTML, which is sanitised when stored (``rendering.render_markdown``).
"""

from __future__ import annotations

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from prep.lib.escaping import escape

_BADGES = {0: "info", 2: "success"}  # any other state (learning, relearning): warning


def _csrf_input(token: str) -> str:
    if not token or token == "NOTPROVIDED":  # as {% csrf_token %} renders without one
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'


def session_html(request, context: dict) -> SafeString:
    """The ``#review-session`` fragment for ``context`` (``views._review_context``'s). The
    form token is asked for only when a form shows (a card, or Undo), as the template's
    ``{% csrf_token %}`` did: asking sets the CSRF cookie on the response."""
    forms = context["state"] is not None or context.get("can_undo")
    return render_session(context, csrf=get_token(request) if forms else "")


def render_session(context: dict, *, csrf: str) -> SafeString:
    """The fragment for ``context`` with the form token ``csrf`` ("" renders the forms
    without a token input, as ``{% csrf_token %}`` does where there is none)."""
    scope, counts, state = context["scope"], context["counts"], context["state"]
    csrf_input = _csrf_input(csrf)
    query = scope.query()
    query = f"?{escape(query)}" if query else ""
    notice = context.get("notice")
    out = [
        '\n<div id="review-session" class="fc-session" data-review>\n'
        '  <p class="fc-counts" aria-label="Cards left today" data-testid="counts">\n'
        '    <span class="fc-count fc-count--new" title="New">New <strong data-testid='
        f'"count-new">{escape(counts.new)}</strong></span>\n'
        '    <span class="fc-count fc-count--learning" title="Learning">Learning <strong '
        f'data-testid="count-learning">{escape(counts.learning)}</strong></span>\n'
        '    <span class="fc-count fc-count--due" title="Due">Due <strong data-testid='
        f'"count-due">{escape(counts.review)}</strong></span>\n'
        "  </p>\n  ",
        f'<p class="alert alert--info" role="status" data-testid="notice">{escape(notice)}</p>'
        if notice
        else "",
        "\n\n  ",
    ]
    if state:
        out.append(_card(state, context, query, csrf_input))
    else:
        out.append(_summary(context))
    out.append("\n\n  ")
    if context.get("can_undo"):
        undo = escape(reverse("flashcards:undo")) + query
        out.append(
            f'\n  <form class="fc-undo" method="post" action="{undo}"\n'
            f'        hx-post="{undo}" hx-target="#review-session" hx-swap="outerHTML" '
            'hx-sync="this:drop">\n'
            f"    {csrf_input}\n"
            '    <button type="submit" class="btn btn--link btn--sm" data-undo '
            'data-testid="undo">Undo last rating <kbd>U</kbd></button>\n'
            "  </form>\n  "
        )
    out.append("\n</div>\n")
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


def _card(state, context: dict, query: str, csrf_input: str) -> str:
    card = state.card
    topic = f" · {escape(card.topic)}" if card.topic else ""
    badge = _BADGES.get(state.state, "warning")
    answer = escape(reverse("flashcards:answer", args=[state.pk])) + query
    out = [
        '\n  <article class="card fc-card" aria-labelledby="fc-front" data-testid="flashcard" '
        f'data-card="{escape(state.card_id)}">\n'
        '    <header class="card__header">\n'
        f'      <span class="small muted">{escape(state.deck.title)}{topic}</span>\n'
        f'      <span class="badge badge--{badge}">{escape(state.get_state_display())}</span>\n'
        "    </header>\n"
        f'    <div class="prose fc-front" id="fc-front" data-testid="front">{card.front_html}'
        "</div>\n"
        '    <details class="fc-reveal" data-reveal>\n'
        '      <summary class="btn btn--primary btn--block">Show answer <kbd>Space</kbd>'
        "</summary>\n"
        '      <div class="fc-back" data-testid="back">\n'
        f'        <div class="prose">{card.back_html}</div>\n        ',
        '<h2 class="fc-subtitle">What would change the answer</h2>'
        f'<div class="prose">{card.changes_html}</div>'
        if card.changes_html
        else "",
        "\n        ",
        f'<h2 class="fc-subtitle">Source</h2><div class="prose small">{card.source_html}</div>'
        if card.source_html
        else "",
        f'\n        <form class="fc-ratings" method="post" action="{answer}"\n'
        f'              hx-post="{answer}" hx-target="#review-session" hx-swap="outerHTML" '
        'hx-sync="this:drop">\n'
        f"          {csrf_input}\n"
        f'          <input type="hidden" name="token" value="{escape(context["token"])}">\n'
        "          ",
    ]
    for b in context["buttons"]:
        rating, name = escape(b["rating"]), escape(b["name"])
        out.append(
            f'\n          <button type="submit" name="rating" value="{rating}" '
            f'class="btn fc-rate fc-rate--{escape(str(b["name"]).lower())}" '
            f'data-rating="{rating}" data-testid="rate-{rating}">\n'
            f'            <span class="fc-rate__name">{name}</span>\n'
            f'            <span class="fc-rate__interval" data-testid="interval-{rating}">'
            f"{escape(b['interval'])}</span>\n"
            f"            <kbd>{rating}</kbd>\n"
            "          </button>\n          "
        )
    detail = escape(reverse("flashcards:card_detail", args=[state.card_id]))
    edit = ""
    if card.owner_id:
        edit = (
            f' · <a href="{escape(reverse("flashcards:card_edit", args=[state.card_id]))}">Edit</a>'
        )
    out.append(
        "\n        </form>\n"
        "      </div>\n"
        "    </details>\n"
        f'    <footer class="card__footer small muted"><a href="{detail}">Card details</a>'
        f"{edit}</footer>\n"
        "  </article>\n  "
    )
    return "".join(out)


def _summary(context: dict) -> str:
    summary, scope, counts = context["summary"], context["scope"], context["counts"]
    out = [
        '\n  <article class="card fc-done" data-testid="summary">\n    <h2 class="card__title">',
        "Done for now" if summary.reviews else "Nothing due",
        "</h2>\n    ",
    ]
    if summary.reviews:
        percent = summary.correct_percent
        out.append(
            '\n    <div class="stats">\n'
            '      <div class="stat"><span class="stat__value" data-testid="summary-reviews">'
            f'{escape(summary.reviews)}</span><span class="stat__label">reviews today</span>'
            "</div>\n"
            f'      <div class="stat"><span class="stat__value">{escape(summary.new)}</span>'
            '<span class="stat__label">new cards seen</span></div>\n'
            '      <div class="stat"><span class="stat__value">'
            f"{f'{escape(percent)}%' if percent is not None else '—'}</span>"
            '<span class="stat__label">not “Again”</span></div>\n'
            f'      <div class="stat"><span class="stat__value">{round(summary.seconds)} s'
            '</span><span class="stat__label">time spent</span></div>\n'
            "    </div>\n"
            f'    <p class="small">Again {escape(summary.again)} · Hard {escape(summary.hard)} · '
            f"Good {escape(summary.good)} · Easy {escape(summary.easy)}</p>\n    "
        )
    else:
        limit = ""
        if counts.new_available and not counts.new:
            limit = (
                f"Today’s new-card limit ({escape(context['study'].new_per_day)}) is reached; "
                f'change it in <a href="{escape(reverse("flashcards:study_settings"))}">'
                "settings</a>."
            )
        selection = " in this selection" if scope.deck or scope.topic else ""
        out.append(f"\n    <p>No cards are due{selection}. {limit}</p>\n    ")
    out.append(
        f'\n    <p class="cluster"><a class="btn btn--secondary" '
        f'href="{escape(reverse("flashcards:stats"))}">Stats</a> <a class="btn btn--link" '
        f'href="{escape(reverse("flashcards:card_create"))}">Add a card</a></p>\n'
        "  </article>\n  "
    )
    return "".join(out)
