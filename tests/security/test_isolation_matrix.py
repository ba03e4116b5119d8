"""Every route that takes an object id or a token, generated from the URL configuration.

Charlie (a third user) must get 404 for each of alice's objects. A route the matrix cannot
instantiate fails the test unless it is allow-listed below with a written reason, so a new
route cannot be forgotten.
"""

from __future__ import annotations

import random

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.curriculum.test_progress_seam import onboard
from tests.factories import UserFactory
from tooling.demo import seeders

pytestmark = pytest.mark.django_db

ALLOWED = {
    "account_confirm_email": "allauth: the emailed key is the credential; a wrong key is refused by allauth",
    "account_reset_password_from_key": "allauth: the emailed key is the credential",
    "calendar_feed": "the unguessable token is the credential (a wrong token is 404: tests/curriculum)",
    "booking:peer": "a private invite link: anyone holding it may book its owner's slots, by design",
    "booking:unsubscribe": "one-click unsubscribe: the signed token is the credential",
    "booking:slot_book": "open slots are offered to every verified user; booking one is the feature",
    "mocks:prompt_detail": "prompts are shared catalogue content, not a user's object",
    "mocks:solo_start": "starting a mock on a shared prompt creates the caller's own mock",
    "judge:problem_detail": "judged ML coding problems are shared catalogue content",
    "judge:submission_create": "submitting to a shared problem creates the caller's own submission",
    "judge:hint_reveal": "opening a hint of a shared problem records the caller's own hint view",
    "memory:optimise": "the kind (flashcards, drills) is not an object: it optimises the caller's own",
    "memory:nightly": "the kind is not an object: it sets the caller's own consent",
    "memory:reschedule": "the kind is not an object: it reschedules the caller's own items",
    "memory:restore": "kind and version number are looked up among the caller's own versions",
    "mocks:design_detail": "worked designs are shared catalogue content, not a user's object",
    "behavioral:company_detail": "company profiles are shared catalogue content",
}


def routes():
    def walk(patterns, prefix="", ns=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                namespace = p.namespace or ns
                if namespace == "admin":
                    continue  # staff only: non-staff are sent to the admin login
                yield from walk(p.url_patterns, prefix + str(p.pattern), namespace)
            elif isinstance(p, URLPattern) and p.pattern.converters or "(?P<" in str(p.pattern):
                name = f"{ns}:{p.name}" if ns else p.name
                yield name

    return sorted(set(walk(get_resolver().url_patterns)))


@pytest.fixture
def world(client):
    """Alice with history in every app (the apps' own demo builders) and a peer."""
    from allauth.account.models import EmailAddress

    alice = UserFactory(email="alice@example.com", profile=None)
    onboard(alice)
    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
    rng = random.Random(7)
    for seeder in seeders():
        seeder.func(alice, days=5, rng=rng)
    charlie = UserFactory(email="charlie@example.com", profile=None)
    onboard(charlie, role="applied")
    return alice, charlie


def build(name: str, alice):
    """kwargs for ``name`` pointing at one of alice's objects (None: no builder)."""
    from curriculum.models import PlanItem
    from prep.accounts.models import ApiToken
    from prep.accounts.tokens import api_token_create
    from prep.booking.models import Block, Booking, Window
    from prep.capture.models import CaptureSession
    from prep.drills.models import Attempt, Problem
    from prep.flashcards.models import Card, CardState
    from prep.flashcards.services import card_create, deck_default
    from prep.mocks.models import RubricFeedback, SoloMock
    from prep.transcripts.models import Transcript

    def first(qs, what):
        obj = qs.order_by("pk").first()
        assert obj is not None, f"the world has no {what} for alice (route {name})"
        return obj

    def own_problem():
        from prep.drills.services import problem_create

        problem = Problem.objects.filter(owner=alice).first()
        return problem or problem_create(
            user=alice, title="Alice's own", difficulty="medium", patterns=[]
        )

    def ml_submission():
        from prep.judge.models import MLProblem, Submission

        return Submission.objects.create(
            user=alice, problem=MLProblem.objects.first(), code="x", created_at=alice.date_joined
        )

    def own_card():
        card = Card.objects.filter(owner=alice).first()
        return card or card_create(user=alice, deck=deck_default(user=alice), front="Q", back="A")

    def own_story():
        from prep.behavioral.models import Story

        return Story.objects.filter(user=alice).first() or Story.objects.create(
            user=alice, title="Alice's story", competencies=["impact"]
        )

    def booking():
        return first(
            Booking.objects.filter(host=alice) | Booking.objects.filter(guest=alice), "booking"
        )

    def transcript():
        return first(Transcript.objects.filter(user=alice), "transcript")

    def own_pin():
        from prep.transcripts.models import Pin

        transcript_id = session().transcript_id
        pin = Pin.objects.filter(transcript_id=transcript_id).first()
        return pin or Pin.objects.create(
            transcript_id=transcript_id, kind="note", text="x", at_ms=0
        )

    def session():
        return first(CaptureSession.objects.filter(user=alice), "capture session")

    table = {
        "accounts:api_token_revoke": lambda: {
            "pk": (
                ApiToken.objects.filter(user=alice).first()
                or api_token_create(user=alice, name="t")[0]
            ).pk
        },
        "curriculum:item_action": lambda: {
            "pk": first(PlanItem.objects.filter(user=alice), "plan item").pk,
            "action": "complete",
        },
        "curriculum:item_checklist": lambda: {
            "pk": first(PlanItem.objects.filter(user=alice), "plan item").pk
        },
        "judge:submission_status": lambda: {"pk": ml_submission().pk},
        "drills:problem_detail": lambda: {"pk": own_problem().pk},
        "drills:timer_start": lambda: {"pk": own_problem().pk},
        "drills:timer_discard": lambda: {"pk": own_problem().pk},
        "drills:attempt_create": lambda: {"pk": own_problem().pk},
        "drills:attempt_detail": lambda: {
            "pk": first(Attempt.objects.filter(user=alice), "attempt").pk
        },
        "drills:attempt_delete": lambda: {
            "pk": first(Attempt.objects.filter(user=alice), "attempt").pk
        },
        "flashcards:answer": lambda: {
            "state_id": first(CardState.objects.filter(user=alice), "card state").pk
        },
        "flashcards:card_detail": lambda: {"pk": own_card().pk},
        "flashcards:card_edit": lambda: {"pk": own_card().pk},
        "flashcards:card_delete": lambda: {"pk": own_card().pk},
        "flashcards:card_suspend": lambda: {"pk": own_card().pk},
        "mocks:solo_detail": lambda: {
            "pk": first(SoloMock.objects.filter(user=alice), "solo mock").pk
        },
        "mocks:solo_advance": lambda: {
            "pk": first(SoloMock.objects.filter(user=alice), "solo mock").pk
        },
        "mocks:solo_minutes": lambda: {
            "pk": first(SoloMock.objects.filter(user=alice), "solo mock").pk
        },
        "mocks:note_save": lambda: {
            "pk": first(SoloMock.objects.filter(user=alice), "solo mock").pk,
            "phase": "framing",
        },
        "mocks:solo_score": lambda: {
            "pk": first(SoloMock.objects.filter(user=alice), "solo mock").pk
        },
        "mocks:solo_delete": lambda: {
            "pk": first(SoloMock.objects.filter(user=alice), "solo mock").pk
        },
        "mocks:feedback_detail": lambda: {
            "pk": first(RubricFeedback.objects.filter(subject=alice), "feedback").pk
        },
        "booking:window_delete": lambda: {
            "pk": first(Window.objects.filter(user=alice), "availability window").pk
        },
        "booking:unblock": lambda: {
            "pk": (
                Block.objects.filter(blocker=alice).first()
                or Block.objects.create(blocker=alice, blocked=UserFactory())
            ).pk
        },
        "behavioral:story_edit": lambda: {"pk": own_story().pk},
        "behavioral:story_delete": lambda: {"pk": own_story().pk},
        "behavioral:story_rehearse": lambda: {"pk": own_story().pk},
        "capture:live": lambda: {"pk": session().pk},
        "capture:end": lambda: {"pk": session().pk},
        "capture:consent": lambda: {"booking_id": booking().pk},
        "transcripts:export_file": lambda: {"pk": transcript().pk, "fmt": "vtt"},
        "api-v1:delete_pin": lambda: {"session_id": session().pk, "pin_id": own_pin().pk},
    }
    for route in ("events", "overlay", "overlay_pin", "overlay_undo", "overlay_next_phase"):
        table[f"capture:{route}"] = lambda: {"pk": session().pk}
    table["capture:speech"] = lambda: {"pk": session().pk}
    for route in ("detail", "invite_ics", "cancel", "reschedule", "feedback", "no_show", "block"):
        table[f"booking:{route}"] = lambda: {"pk": booking().pk}
    for route in (
        "detail",
        "export",
        "share",
        "unshare",
        "reanalyse",
        "speakers",
        "delete",
        "speech_delete",
    ):
        table[f"transcripts:{route}"] = lambda: {"pk": transcript().pk}
    for route in ("highlight", "unhighlight", "card_new"):
        table[f"transcripts:{route}"] = lambda: {"pk": transcript().pk, "seq": 0}
    for route in (
        "get_session",
        "post_segments",
        "post_pin",
        "post_phase",
        "get_context",
        "end_session",
        "list_segments",
        "session_events",
    ):
        table[f"api-v1:{route}"] = lambda: {"session_id": session().pk}

    def memory_run():
        from django.utils import timezone

        from prep.memory.models import Optimisation

        run = Optimisation.objects.filter(user=alice).first()
        return run or Optimisation.objects.create(
            user=alice, kind="flashcards", created_at=timezone.now()
        )

    for route in ("run", "adopt"):
        table[f"memory:{route}"] = lambda: {"pk": memory_run().pk}
    builder = table.get(name)
    return builder() if builder else None


# Well-formed bodies, so that the API answers about the object, not about the body.
API_BODIES = {
    "api-v1:post_segments": {
        "segments": [
            {"seq": 0, "speaker": "A", "text": "hi", "start_ms": 0, "end_ms": 1, "final": True}
        ]
    },
    "api-v1:post_pin": {"kind": "question", "text": "Design a feed", "at_ms": 0},
    "api-v1:post_phase": {"phase": "framing", "at_ms": 0},
}


def test_every_object_route_is_404_for_a_third_user(client, world):
    alice, charlie = world
    from prep.accounts.tokens import api_token_create

    _, charlie_token = api_token_create(user=charlie, name="charlie's overlay")
    client.force_login(charlie)
    unbuilt, leaks = [], []
    checked = 0
    for name in routes():
        if name in ALLOWED:
            continue
        kwargs = build(name, alice)
        if kwargs is None:
            unbuilt.append(name)
            continue
        url = reverse(name, kwargs=kwargs)
        headers = (
            {"HTTP_AUTHORIZATION": f"Bearer {charlie_token}"} if name.startswith("api-v1:") else {}
        )
        response = client.get(url, **headers)
        if response.status_code == 405:
            if headers:
                body = API_BODIES.get(name, {})
                response = client.post(url, body, content_type="application/json", **headers)
            else:
                response = client.post(url, {})
        if response.status_code == 405 and headers:
            response = client.delete(url, **headers)
        checked += 1
        if response.status_code != 404:
            leaks.append(f"{name} {url} -> {response.status_code} {response.content[:200]!r}")
    assert not unbuilt, (
        f"routes with no isolation builder (add one, or allow-list with a reason): {unbuilt}"
    )
    assert not leaks, "another user's object answered something other than 404:\n" + "\n".join(
        leaks
    )
    assert checked >= 50
