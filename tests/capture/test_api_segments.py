"""The segment rules of prep/capture/README.md, through the HTTP API."""

from __future__ import annotations

import pytest

from prep.transcripts.models import Segment

from .conftest import API, seg

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.capture.urls")]


def stored(session_id):
    return list(
        Segment.objects.filter(transcript__capture_session=session_id)
        .order_by("seq")
        .values_list("seq", "text", "final")
    )


def test_a_clean_batch_is_new_and_contiguous(api, session_id):
    response = api.segments(session_id, [seg(i) for i in range(5)])
    assert response.status_code == 200
    assert response.json() == {
        "new": 5,
        "duplicate": 0,
        "replaced": 0,
        "stale": 0,
        "last_contiguous_seq": 4,
    }


def test_an_identical_resend_is_duplicate_and_changes_nothing(api, session_id):
    api.segments(session_id, [seg(i) for i in range(3)])
    response = api.segments(session_id, [seg(i) for i in range(3)])
    assert response.json()["duplicate"] == 3
    assert response.json()["new"] == 0
    assert len(stored(session_id)) == 3


def test_interim_is_replaced_by_a_later_interim_then_by_the_final(api, session_id):
    api.segments(session_id, [seg(0, "hel", final=False)])
    r = api.segments(session_id, [seg(0, "hello wor", final=False)])
    assert r.json()["replaced"] == 1
    r = api.segments(session_id, [seg(0, "hello world")])
    assert r.json()["replaced"] == 1
    assert stored(session_id) == [(0, "hello world", True)]


def test_an_interim_after_its_final_is_stale_and_ignored(api, session_id):
    api.segments(session_id, [seg(0, "hello world")])
    r = api.segments(session_id, [seg(0, "hello", final=False)])
    assert r.json()["stale"] == 1
    assert stored(session_id) == [(0, "hello world", True)]


def test_a_conflicting_final_refuses_the_whole_batch(api, session_id):
    api.segments(session_id, [seg(0, "first")])
    response = api.segments(session_id, [seg(1), seg(0, "different"), seg(2)])
    assert response.status_code == 409
    body = response.json()
    assert body["seqs"] == [0]
    assert "0" in body["detail"]
    assert stored(session_id) == [(0, "first", True)]  # seq 1 and 2 not stored either


def test_conflicting_finals_inside_one_batch_are_refused(api, session_id):
    response = api.segments(session_id, [seg(3, "a"), seg(3, "b")])
    assert response.status_code == 409
    assert response.json()["seqs"] == [3]
    assert stored(session_id) == []


def test_out_of_order_batches_track_the_highest_contiguous_seq(api, session_id):
    assert api.segments(session_id, [seg(5), seg(6)]).json()["last_contiguous_seq"] == -1
    assert api.segments(session_id, [seg(0), seg(1)]).json()["last_contiguous_seq"] == 1
    assert api.segments(session_id, [seg(3), seg(2)]).json()["last_contiguous_seq"] == 3
    assert api.segments(session_id, [seg(4)]).json()["last_contiguous_seq"] == 6
    assert api.get(f"{API}/{session_id}").json()["last_contiguous_seq"] == 6


def test_after_end_exact_resends_answer_200_and_anything_new_409(api, session_id):
    api.segments(session_id, [seg(0), seg(1, "x", final=False)])
    assert api.post(f"{API}/{session_id}/end").status_code == 202
    again = api.segments(session_id, [seg(0)])
    assert again.status_code == 200
    assert again.json()["duplicate"] == 1
    assert api.segments(session_id, [seg(2)]).status_code == 409
    finishing = api.segments(session_id, [seg(1, "x y")])  # would replace an interim
    assert finishing.status_code == 409
    assert finishing.json()["seqs"] == [1]
    # The interim left without its final was dropped at the end; its resend is stale.
    assert stored(session_id) == [(0, "segment 0", True)]
    late = api.segments(session_id, [seg(1, "x", final=False)])
    assert late.status_code == 200 and late.json()["stale"] == 1
    assert stored(session_id) == [(0, "segment 0", True)]


def test_end_is_idempotent_and_marks_the_transcript_ready(
    api, session_id, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = api.post(f"{API}/{session_id}/end")
        second = api.post(f"{API}/{session_id}/end")
    # once each: the "ended" event published, post-processing enqueued
    assert len(callbacks) == 2
    assert first.status_code == second.status_code == 202
    assert first.json()["status"] == "ended"
    assert api.get(f"{API}/{session_id}").json()["transcript_status"] == "ready"


@pytest.mark.parametrize(
    "bad",
    [
        {"segments": []},
        {"segments": [seg(-1)]},
        {"segments": [{**seg(0), "end_ms": -5}]},
        {"segments": [{**seg(0), "start_ms": 5000, "end_ms": 10}]},
        {"segments": [{**seg(0), "text": "x" * 10_001}]},
        {"segments": [{**seg(0), "speaker": ""}]},
        {"segments": [{k: v for k, v in seg(0).items() if k != "final"}]},
        {"segments": [seg(i) for i in range(501)]},
        {"segments": "nope"},
        [1, 2, 3],
    ],
)
def test_malformed_batches_are_422_and_store_nothing(api, session_id, bad):
    response = api.post(f"{API}/{session_id}/segments", bad)
    assert response.status_code == 422, response.content
    assert "detail" in response.json()
    assert stored(session_id) == []


def test_text_of_exactly_the_limit_is_accepted(api, session_id):
    assert api.segments(session_id, [seg(0, "x" * 10_000)]).status_code == 200


def test_a_body_that_is_not_json_is_400(api, session_id):
    response = api.post(f"{API}/{session_id}/segments", raw="{not json")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_a_body_over_one_megabyte_is_413(api, session_id):
    big = [seg(i, "y" * 9_000) for i in range(120)]  # about 1.1 MB
    response = api.segments(session_id, big)
    assert response.status_code == 413
    assert response.json()["detail"]
    assert stored(session_id) == []


def _forget_rate_counts():
    """This test's tokens start their minute with nothing counted. Only their keys: the cache
    (Redis in CI) is shared with the other test processes, and clearing it all would drop
    their cached sessions mid-test (an extra query where a query count is pinned)."""
    import time

    from django.core.cache import cache

    from prep.accounts.models import ApiToken

    window = int(time.time() // 60)
    prefixes = ApiToken.objects.values_list("prefix", flat=True)
    cache.delete_many(
        [f"capture:rate:{p}:{w}" for p in prefixes for w in (window - 1, window, window + 1)]
    )


def test_the_rate_limit_answers_429_with_retry_after(api, session_id, settings):
    _forget_rate_counts()
    settings.PREP_CAPTURE_RATE_PER_MINUTE = 3
    codes = [api.get(f"{API}/{session_id}/context").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429]
    response = api.get(f"{API}/{session_id}/context")
    assert int(response["Retry-After"]) >= 1
    assert response.json()["detail"]
    _forget_rate_counts()
