"""API additions for live overlays: list sessions, read segments back, remove a pin, the
context's ETag, and interims at the end of a session."""

from __future__ import annotations

import pytest

from prep.transcripts.models import Segment

from .conftest import API, seg

pytestmark = pytest.mark.django_db


def test_sessions_are_listed_newest_first_a_page_at_a_time(api, charlie_api):
    ids = [api.create(title=f"Mock {i}").json()["id"] for i in range(5)]
    first = api.get(f"{API}?limit=2").json()
    assert [s["id"] for s in first["sessions"]] == ids[::-1][:2]
    assert first["sessions"][0]["title"] == "Mock 4"
    second = api.get(f"{API}?limit=2&before={first['next_before']}").json()
    assert [s["id"] for s in second["sessions"]] == ids[::-1][2:4]
    last = api.get(f"{API}?limit=2&before={second['next_before']}").json()
    assert [s["id"] for s in last["sessions"]] == ids[:1]
    assert last["next_before"] is None
    assert charlie_api.get(API).json() == {"sessions": [], "next_before": None}


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "before=0", "limit=x", "before=-5"])
def test_bad_paging_is_422(api, query):
    response = api.get(f"{API}?{query}")
    assert response.status_code == 422
    assert "detail" in response.json()


def test_segments_are_read_back_after_a_seq(api, session_id, charlie_api):
    api.segments(session_id, [seg(0), seg(1), seg(2), seg(3, "so far", final=False)])
    page = api.get(f"{API}/{session_id}/segments?after=0&limit=2").json()
    assert [s["seq"] for s in page["segments"]] == [1, 2]
    assert page["next_after"] == 2
    assert page["last_contiguous_seq"] == 2
    rest = api.get(f"{API}/{session_id}/segments?after=2").json()
    assert rest["segments"] == [
        {
            "seq": 3,
            "speaker": "A",
            "text": "so far",
            "start_ms": 3000,
            "end_ms": 3900,
            "final": False,
        }
    ]
    assert rest["next_after"] is None
    assert charlie_api.get(f"{API}/{session_id}/segments").status_code == 404
    assert api.get(f"{API}/{session_id}/segments?after=-2").status_code == 422


def test_a_pin_can_be_removed_while_recording(api, session_id, charlie_api, client):
    pin = api.post(f"{API}/{session_id}/pins", {"kind": "metric", "text": "NDCG@10", "at_ms": 5})
    pin_id = pin.json()["id"]
    url = f"{API}/{session_id}/pins/{pin_id}"
    assert client.delete(url, headers=charlie_api._headers()).status_code == 404
    assert client.delete(url, headers=api._headers()).status_code == 204
    assert api.get(f"{API}/{session_id}/context").json()["pins"] == {}
    assert client.delete(url, headers=api._headers()).status_code == 404
    again = api.post(f"{API}/{session_id}/pins", {"kind": "metric", "text": "MRR", "at_ms": 6})
    api.post(f"{API}/{session_id}/end")
    ended = client.delete(f"{API}/{session_id}/pins/{again.json()['id']}", headers=api._headers())
    assert ended.status_code == 409
    assert "detail" in ended.json()


def test_the_context_has_an_etag_and_answers_304_until_it_changes(api, session_id):
    first = api.get(f"{API}/{session_id}/context")
    etag = first["ETag"]
    assert etag.startswith('"') and first.json()["last_event_id"] == 0
    same = api.get(f"{API}/{session_id}/context", headers={"If-None-Match": etag})
    assert same.status_code == 304
    assert same.content == b""
    assert same["ETag"] == etag
    weak = api.get(f"{API}/{session_id}/context", headers={"If-None-Match": f'"x", W/{etag}'})
    assert weak.status_code == 304
    api.post(f"{API}/{session_id}/pins", {"kind": "constraint", "text": "cheap", "at_ms": 1})
    changed = api.get(f"{API}/{session_id}/context", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["last_event_id"] == 1


def test_the_context_costs_two_queries_with_its_cursor(api, session_id, django_assert_num_queries):
    api.segments(session_id, [seg(0)])
    with django_assert_num_queries(2):  # the token, the session with its transcript and cursor
        api.get(f"{API}/{session_id}/context")


def test_interims_left_at_the_end_are_dropped_and_never_shown_as_said(
    api, session_id, client, alice
):
    api.segments(session_id, [seg(0, "the final words"), seg(1, "half a thou", final=False)])
    api.post(f"{API}/{session_id}/end")
    assert list(Segment.objects.values_list("seq", flat=True)) == [0]
    session = api.get(f"{API}/{session_id}").json()
    assert session["counts"] == {"segments": 1, "final": 1, "pins": 0, "phases": 0}
    client.force_login(alice)
    from prep.capture.models import CaptureSession

    transcript_id = CaptureSession.objects.get(pk=session_id).transcript_id
    page = client.get(f"/transcripts/{transcript_id}/").content.decode()
    assert "the final words" in page and "half a thou" not in page
