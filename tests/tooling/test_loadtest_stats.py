"""The load test reads locust's CSV of figures per request name."""

from __future__ import annotations

from tooling.loadtest.__main__ import _by_name, _stats

CSV = """Type,Name,Request Count,Failure Count,50%,95%
GET,dashboard,120,0,21,48
POST,review: answer,3,3,N/A,N/A
,Aggregated,123,3,21,48
"""


def test_a_name_without_a_percentile_is_left_out_not_a_crash(tmp_path):
    path = tmp_path / "run_stats.csv"
    path.write_text(CSV)
    rows = _stats(path)
    assert _by_name(rows) == {"dashboard": (48.0, 120, 0)}
    assert rows["Aggregated"]["Failure Count"] == "3"  # the failures still count
