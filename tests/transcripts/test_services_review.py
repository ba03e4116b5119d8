"""Review services: post-processing, upload, sharing, speech deletion, account deletion,
highlights and cards, search."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection

from prep.accounts.data import account_delete
from prep.flashcards.models import Card
from prep.transcripts import analysis, selectors, services
from prep.transcripts.models import (
    SEARCH_INDEX,
    Highlight,
    Segment,
    Transcript,
    TranscriptShare,
)
from prep.transcripts.tasks import transcript_postprocess
from prep.transcripts.upload import MAX_UPLOAD_BYTES, UploadError

from .factories import FIXTURES, booking, transcript

pytestmark = pytest.mark.django_db

VTT = (FIXTURES / "fraud_mock.vtt").read_bytes()


# --- Post-processing ----------------------------------------------------------------------
def test_postprocess_twice_gives_the_same_result(alice):
    t = transcript(alice, n=40, end=False)
    services.transcript_end(transcript=t)
    assert transcript_postprocess.delay(t.pk).get() is True
    t.refresh_from_db()
    first, ready_at = t.analysis, t.ready_at
    assert t.status == Transcript.Status.READY and first["segments"] == 40
    transcript_postprocess.delay(t.pk).get()
    t.refresh_from_db()
    assert t.analysis == first
    assert t.ready_at == ready_at  # the first time it became ready is kept


def test_a_worker_killed_mid_task_leaves_it_reprocessable(alice):
    t = transcript(alice, n=30, end=False)
    services.transcript_end(transcript=t)

    class Killed(BaseException):
        """What SIGKILL looks like from inside: the task never reaches its write."""

    with mock.patch.object(analysis, "analyse", side_effect=Killed), pytest.raises(Killed):
        services.transcript_analyse(transcript_id=t.pk)
    t.refresh_from_db()
    assert t.status == Transcript.Status.PROCESSING and t.analysis == {}
    # Left processing, it is picked up by the sweep (or the redelivered message) and done.
    Transcript.objects.filter(pk=t.pk).update(ended_at=t.ended_at.replace(year=2000))
    assert services.transcripts_reprocess_stuck() == 1
    t.refresh_from_db()
    assert t.status == Transcript.Status.READY and t.analysis["segments"] == 30


def test_a_recording_transcript_is_not_analysed(alice):
    t = transcript(alice, n=5, end=False)
    assert services.transcript_analyse(transcript_id=t.pk) is False
    t.refresh_from_db()
    assert t.status == Transcript.Status.RECORDING and t.analysis == {}


def test_solo_minutes_and_rubric_titles_feed_the_analysis(alice):
    t = transcript(alice, n=8, phases=[("framing", 0), ("metrics", 10_000)])
    assert [p["phase"] for p in t.analysis["phases"]] == ["framing", "metrics"]
    assert t.analysis["phases"][0]["planned_ms"] == 5 * 60_000  # the rubric's default
    titles = {d["slug"]: d["title"] for d in t.analysis["coverage"]["dimensions"]}
    assert titles["serving"] == "Serving (training vs serving latency)"


# --- Upload -------------------------------------------------------------------------------
def test_upload_vtt_is_treated_like_a_capture(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        t = services.transcript_upload(
            user=alice, name="mock.vtt", data=VTT, title="Fraud", kind="ml_system_design"
        )
    t.refresh_from_db()
    assert t.source == Transcript.Source.UPLOADED and t.status == Transcript.Status.READY
    assert t.segment_count == 27 and Segment.objects.filter(transcript=t, user=alice).count() == 27
    assert t.speakers == {"Interviewer": "other", "Candidate": "me"}
    assert t.roles == {"me": "candidate", "other": "interviewer"}
    assert t.analysis["coverage"]["untouched"] == ["iteration"]


def test_upload_srt_and_json(alice):
    srt = b"1\n00:00:01,000 --> 00:00:02,500\nAna: What is the latency budget?\n\n"
    srt += b"2\n00:00:03,000 --> 00:00:05,000\nBen: About fifty milliseconds at p99.\n"
    t = services.transcript_upload(
        user=alice, name="x.srt", data=srt, title="S", kind="ml_system_design", my_label="Ben"
    )
    assert list(t.segments.values_list("speaker", "start_ms")) == [("Ana", 1000), ("Ben", 3000)]
    assert t.speakers == {"Ana": "other", "Ben": "me"}
    body = b'{"segments": [{"seq": 0, "speaker": "A", "text": "hi", "start_ms": 0, "end_ms": 5}]}'
    j = services.transcript_upload(user=alice, name="x.json", data=body, title="J", kind="coding")
    assert j.segments.get().text == "hi" and j.speakers == {}


@pytest.mark.parametrize(
    "name,data,needle",
    [
        ("a.vtt", b"NOT VTT\n\n00:01.000 --> 00:02.000\nhi\n", "Line 1: a WebVTT file starts"),
        (
            "a.vtt",
            b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nok\n\n2\n00:00:0x.000 --> 00:00:03.000\nbad\n",
            "Line 8: bad timing",
        ),
        (
            "a.srt",
            b"1\n00:00:01,000 --> 00:00:02,000\nok\n\njust some words\nwithout a time\n",
            "Line 5: expected a cue",
        ),
        ("a.srt", b"1\n00:00:05,000 --> 00:00:02,000\nbackwards\n", "Line 2: the cue ends before"),
        ("a.json", b'{"segments": [\n  {"text": "a",}\n]}', "Line 2: not valid JSON"),
        ("a.vtt", b"WEBVTT\n\n\xff\xfe\n", "Line 3: not UTF-8"),
        ("a.txt", b"hello there", "No paragraph with a speaker and a timestamp"),
        ("a.doc", b"hello there", "Not a WebVTT, SRT, JSON"),
        ("a.vtt", b"WEBVTT\n", "No cues"),
    ],
)
def test_bad_uploads_name_the_line_and_store_nothing(alice, name, data, needle):
    with pytest.raises(UploadError) as info:
        services.transcript_upload(user=alice, name=name, data=data, title="x", kind="coding")
    assert any(needle in error for error in info.value.errors), info.value.errors
    assert not Transcript.objects.exists() and not Segment.objects.exists()


def test_oversized_upload_stores_nothing(alice):
    data = b"WEBVTT\n\n" + b"x" * MAX_UPLOAD_BYTES
    with pytest.raises(UploadError, match="larger than 2 MB"):
        services.transcript_upload(user=alice, name="big.vtt", data=data, title="x", kind="coding")
    assert not Transcript.objects.exists()


def test_unknown_speaker_name_is_refused(alice):
    with pytest.raises(UploadError, match="No speaker is called 'Zed'"):
        services.transcript_upload(
            user=alice, name="m.vtt", data=VTT, title="x", kind="coding", my_label="Zed"
        )
    assert not Transcript.objects.exists()


def test_speakers_can_be_set_after_an_upload(alice, django_capture_on_commit_callbacks):
    body = b"WEBVTT\n\n00:01.000 --> 00:02.000\n<v A>How would you scale it?\n\n"
    body += b"00:03.000 --> 00:04.000\n<v B>With a cache and a feature store.\n"
    with django_capture_on_commit_callbacks(execute=True):
        t = services.transcript_upload(
            user=alice, name="m.vtt", data=body, title="x", kind="ml_system_design"
        )
    t.refresh_from_db()
    assert t.analysis["roles_known"] is False and t.analysis["questions"] == []
    with django_capture_on_commit_callbacks(execute=True):
        services.transcript_speakers_set(transcript=t, me="B", my_role="candidate")
    t.refresh_from_db()
    assert t.speakers == {"A": "other", "B": "me"}
    assert [q["seq"] for q in t.analysis["questions"]] == [0]


# --- Sharing and speech -------------------------------------------------------------------
def test_share_only_with_the_other_person_of_the_booking(alice, bob, charlie):
    b = booking(alice, bob)
    t = transcript(alice, booking_obj=b)
    share = services.transcript_share(transcript=t, by=alice)
    assert (share.user, share.participant) == (bob, "guest")
    assert services.transcript_share(transcript=t, by=alice) == share  # once
    with pytest.raises(services.ReviewError):
        services.transcript_share(transcript=t, by=bob)  # not the owner
    solo = transcript(alice, title="solo")
    with pytest.raises(services.ReviewError):
        services.transcript_share(transcript=solo, by=alice)
    assert not TranscriptShare.objects.filter(user=charlie).exists()
    assert services.transcript_unshare(transcript=t, by=alice) is True
    assert not TranscriptShare.objects.exists()


def test_reader_deletes_only_their_own_speech(alice, bob, django_capture_on_commit_callbacks):
    b = booking(alice, bob)
    t = transcript(alice, booking_obj=b, n=20)
    share = services.transcript_share(transcript=t, by=alice)
    services.highlight_set(transcript=t, user=alice, seq=0, note="bob asked this")
    with django_capture_on_commit_callbacks(execute=True):
        deleted = services.speech_delete(transcript=t, user=bob, share=share)
    assert deleted == 5  # every fourth segment is the interviewer's (bob, the guest)
    assert set(t.segments.values_list("speaker", flat=True)) == {"Candidate"}
    assert not Highlight.objects.filter(seq=0).exists()
    t.refresh_from_db()
    assert t.erased == ["guest"] and t.segment_count == 15
    assert [s["label"] for s in t.analysis["speakers"]] == ["Candidate"]


def test_owner_deletes_own_speech_and_outsider_cannot(alice, bob, charlie):
    t = transcript(alice, n=8)
    assert services.speech_delete(transcript=t, user=alice) == 6
    with pytest.raises(services.ReviewError):
        services.speech_delete(transcript=t, user=charlie)


def test_account_deletion_keeps_shared_transcripts_without_the_deleted_speech(
    alice, bob, django_capture_on_commit_callbacks
):
    b = booking(alice, bob)
    shared = transcript(alice, booking_obj=b, n=20, title="shared")
    services.transcript_share(transcript=shared, by=alice)
    services.highlight_set(transcript=shared, user=alice, seq=1, note="mine")
    private = transcript(alice, n=8, title="private")
    bobs = transcript(bob, booking_obj=b, n=20, title="bob's own")  # bob is the candidate
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=alice)

    shared.refresh_from_db()
    assert shared.user == bob
    assert set(shared.segments.values_list("speaker", flat=True)) == {"Interviewer"}  # bob
    assert set(shared.segments.values_list("user_id", flat=True)) == {bob.pk}
    assert not Highlight.objects.exists() and not TranscriptShare.objects.exists()
    assert not Transcript.objects.filter(pk=private.pk).exists()
    # bob's own capture of the same booking loses alice's speech (she was the interviewer).
    assert set(bobs.segments.values_list("speaker", flat=True)) == {"Candidate"}
    shared.refresh_from_db()
    assert shared.analysis["segments"] == 5


def test_account_deletion_without_transcripts_is_plain(charlie):
    account_delete(user=charlie)


# --- Highlights and cards -----------------------------------------------------------------
def test_card_from_a_highlight_lands_in_the_users_deck(alice):
    t = transcript(alice, n=10)
    item = services.highlight_set(transcript=t, user=alice, seq=6, note="Say the budget first")
    assert services.question_before(transcript=t, seq=6) == "How would you handle item 4?"
    card = services.card_from_highlight(
        highlight=item, user=alice, front="How would you handle item 4?", back=item.note
    )
    assert card.owner == alice and card.deck.owner == alice and "transcript" in card.tags
    item.refresh_from_db()
    assert item.card_id == card.pk
    assert Card.objects.filter(owner=alice).count() == 1


def test_highlight_rules(alice, bob):
    t = transcript(alice, n=4)
    first = services.highlight_set(transcript=t, user=alice, seq=1)
    again = services.highlight_set(transcript=t, user=alice, seq=1, note="  why  ")
    assert first.pk == again.pk and again.note == "why"
    with pytest.raises(services.ReviewError):
        services.highlight_set(transcript=t, user=alice, seq=99)
    with pytest.raises(services.ReviewError):
        services.highlight_set(transcript=t, user=bob, seq=1)
    with pytest.raises(services.ReviewError):
        services.card_from_highlight(highlight=again, user=bob, front="f", back="b")


# --- Search -------------------------------------------------------------------------------
def _texts(hits):
    return [h["segment"].text for h in hits]


def test_search_sees_own_and_shared_transcripts_only(alice, bob, charlie):
    b = booking(alice, bob)
    t = transcript(alice, booking_obj=b, n=12)
    Segment.objects.filter(transcript=t, seq=3).update(text="We keep a feature store for freshness")
    hits = selectors.search_segments(user=alice, q='"feature store"')
    assert _texts(hits) == ["We keep a feature store for freshness"]
    assert "<mark>feature</mark> <mark>store</mark>" in str(hits[0]["snippet"])
    assert hits[0]["url"].endswith(f"/transcripts/{t.pk}/#seq-3")
    assert selectors.search_segments(user=bob, q='"feature store"') == []
    services.transcript_share(transcript=t, by=alice)
    assert len(selectors.search_segments(user=bob, q='"feature store"')) == 1
    assert selectors.search_segments(user=charlie, q='"feature store"') == []
    assert selectors.search_segments(user=charlie, q="latency budget") == []


def test_search_words_must_all_appear(alice):
    t = transcript(alice, n=6)
    Segment.objects.filter(transcript=t, seq=1).update(text="latency matters a lot")
    Segment.objects.filter(transcript=t, seq=2).update(text="the latency budget is tight")
    assert _texts(selectors.search_segments(user=alice, q="latency budget")) == [
        "the latency budget is tight"
    ]


def test_snippets_are_escaped(alice):
    t = transcript(alice, n=2)
    Segment.objects.filter(transcript=t, seq=1).update(text="<script>x</script> latency")
    (hit,) = selectors.search_segments(user=alice, q="latency")
    assert "<script>" not in str(hit["snippet"]) and "&lt;script&gt;" in str(hit["snippet"])


@pytest.mark.postgres
def test_postgres_search_uses_the_stored_tsvector(alice):
    t = transcript(alice, n=6)
    Segment.objects.filter(transcript=t, seq=2).update(text="Monitoring drifts in the inputs")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search::text FROM transcripts_segment WHERE transcript_id=%s AND seq=2", [t.pk]
        )
        assert "'drift'" in cursor.fetchone()[0]  # the trigger kept it, stemmed
    # Stemming: "monitored drift" finds "Monitoring drifts".
    assert _texts(selectors.search_segments(user=alice, q="monitored drift")) == [
        "Monitoring drifts in the inputs"
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [SEARCH_INDEX])
        assert "gin (user_id, search)" in cursor.fetchone()[0]


def test_demo_seeder_builds_an_analysed_transcript(alice):
    import random

    from tooling.demo import transcripts as demo

    assert "1 uploaded transcript" in demo.seed(alice, days=14, rng=random.Random(3))
    t = Transcript.objects.get(user=alice)
    assert t.status == Transcript.Status.READY and t.analysis["coverage"]["dimensions"]
    assert Highlight.objects.filter(transcript=t).count() == 1


def test_search_excludes_minus_words(alice):
    t = transcript(alice, n=6)
    Segment.objects.filter(transcript=t, seq=1).update(text="latency of the cache")
    Segment.objects.filter(transcript=t, seq=2).update(text="latency of the model")
    assert _texts(selectors.search_segments(user=alice, q="latency -cache")) == [
        "latency of the model"
    ]
