"""How Prep writes a duration: the one rule behind every m:ss on a page or in an export."""

from __future__ import annotations


def clock(seconds: int) -> str:
    """Whole seconds as m:ss, or h:mm:ss past an hour (negative counts as 0)."""
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
