"""The review session's markup (prep/flashcards/review_html.py) is the template's it
replaced (review_session_reference.html), byte for byte, in every branch: a new, learning,
review and relearning card; catalogue and own cards; with and without the optional
sections; a scope of a deck, a topic, both or neither; a notice; undo or not; the summary
with reviews, with none, and with the daily new-card limit reached; hostile text in every
value that is not sanitised card HTML; with and without a form token."""

import itertools
from pathlib import Path

import pytest
from django.template import Context, engines

from prep.flashcards.models import Card, CardState, Deck
from prep.flashcards.review_html import render_session
from prep.flashcards.selectors import DaySummary, QueueCounts, Scope

REFERENCE = engines["django"].from_string(
    (Path(__file__).parent / "review_session_reference.html").read_text()
)
HOSTILE = '<script>alert("x")</script>&\''


def _reference(context: dict, csrf: str) -> str:
    context = dict(context)
    if csrf:
        context["csrf_token"] = csrf
    out = REFERENCE.template.render(Context(context, autoescape=True))
    assert out.startswith("\n\n")  # the file's two comment lines
    return out[2:]


def _state(kind: int, *, owned: bool, extras: bool, topic: str) -> CardState:
    deck = Deck(pk=3, owner_id=5 if owned else None, slug="d", title=HOSTILE)
    card = Card(
        pk=11,
        deck=deck,
        owner_id=5 if owned else None,
        topic=topic,
        front_html="<p>front <b>x</b></p>",
        back_html="<p>back</p>",
        changes_html="<p>changes</p>" if extras else "",
        source_html="<p>source</p>" if extras else "",
    )
    state = CardState(pk=42, user_id=5, card=card, deck=deck, state=kind, reps=3)
    return state


def _counts(**extra) -> QueueCounts:
    fields = dict(new=3, learning=12, review=1234, learn_ahead=14, new_available=9)
    fields.update(extra)
    return QueueCounts(**fields)


def _scopes():
    deck = Deck(pk=3, owner_id=None, slug="ml-basics", title="ML")
    return [Scope(), Scope(deck=deck), Scope(topic="my-topic"), Scope(deck=deck, topic="t_1")]


BUTTONS = [
    {"rating": 1, "name": "Again", "interval": "1m"},
    {"rating": 2, "name": "Hard", "interval": HOSTILE},
    {"rating": 3, "name": "Good", "interval": "2.5mo"},
    {"rating": 4, "name": "Easy", "interval": "1.2y"},
]


@pytest.mark.parametrize("csrf", ["", "tok-" + HOSTILE])
def test_a_card_renders_as_the_template_did(csrf):
    cases = itertools.product((0, 1, 2, 3), (False, True), (False, True), ("", HOSTILE))
    for (kind, owned, extras, topic), scope, notice, undo in itertools.product(
        cases, _scopes(), ("", HOSTILE), (False, True)
    ):
        context = {
            "scope": scope,
            "counts": _counts(),
            "state": _state(kind, owned=owned, extras=extras, topic=topic),
            "notice": notice,
            "study": None,
            "token": "abc:" + HOSTILE,
            "buttons": BUTTONS,
            "can_undo": undo,
        }
        assert render_session(context, csrf=csrf) == _reference(context, csrf), (
            kind, owned, extras, topic, scope, notice, undo,
        )  # fmt: skip


class _Study:
    new_per_day = 20


@pytest.mark.parametrize("csrf", ["", "tok"])
def test_the_summary_renders_as_the_template_did(csrf):
    summaries = [
        DaySummary(reviews=0, again=0, hard=0, good=0, easy=0, seconds=0, new=0),
        DaySummary(reviews=37, again=3, hard=4, good=25, easy=5, seconds=1234567, new=8),
        DaySummary(reviews=1, again=1, hard=0, good=0, easy=0, seconds=9, new=1),
    ]
    counts = [_counts(), _counts(new=0, new_available=5), _counts(new=0, new_available=0)]
    for summary, count, scope, notice, undo in itertools.product(
        summaries, counts, _scopes(), ("", HOSTILE), (False, True)
    ):
        context = {
            "scope": scope,
            "counts": count,
            "state": None,
            "notice": notice,
            "study": _Study(),
            "summary": summary,
            "can_undo": undo,
        }
        assert render_session(context, csrf=csrf) == _reference(context, csrf), (
            summary, count, scope, notice, undo,
        )  # fmt: skip


def test_every_value_is_escaped():
    # The title, topic, notice, token, an interval and the two forms' CSRF inputs.
    context = {
        "scope": Scope(topic="t"),
        "counts": _counts(),
        "state": _state(1, owned=True, extras=True, topic=HOSTILE),
        "notice": HOSTILE,
        "study": None,
        "token": HOSTILE,
        "buttons": BUTTONS,
        "can_undo": True,
    }
    html = render_session(context, csrf=HOSTILE)
    assert "<script>" not in html
    assert (
        html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#x27;") == 7
    )  # title, topic, notice, token, interval, two tokens
    assert "<p>front <b>x</b></p>" in html  # the card's own (sanitised) HTML stays markup


def test_the_form_token_is_asked_for_only_when_a_form_shows():
    # Asking for it (django.middleware.csrf.get_token) sets the CSRF cookie on the response,
    # as the template's {% csrf_token %} did only where it rendered.
    from django.test import RequestFactory

    from prep.flashcards.review_html import session_html

    summary = DaySummary(reviews=0, again=0, hard=0, good=0, easy=0, seconds=0, new=0)
    bare = {"scope": Scope(), "counts": _counts(), "state": None, "study": _Study()}
    request = RequestFactory().get("/")
    html = session_html(request, {**bare, "summary": summary, "can_undo": False})
    assert "csrfmiddlewaretoken" not in html
    assert "CSRF_COOKIE_NEEDS_UPDATE" not in request.META
    html = session_html(request, {**bare, "summary": summary, "can_undo": True})
    assert html.count('name="csrfmiddlewaretoken"') == 1
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]
    request = RequestFactory().get("/")
    card = _state(2, owned=False, extras=False, topic="")
    html = session_html(
        request, {**bare, "state": card, "token": "t", "buttons": BUTTONS, "can_undo": False}
    )
    assert html.count('name="csrfmiddlewaretoken"') == 1
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]
