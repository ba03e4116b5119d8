"""The transcript as a Markdown document (export).

Everything a person typed or said (title, question, pins, speaker labels, text, notes) is
escaped: HTML is written as entities and Markdown's markup characters are backslashed, so
a reader's Markdown viewer shows the text and never runs or renders it.
"""

from __future__ import annotations

import html
import re

from prep.lib.formatting import clock

from .analysis import RoleMap
from .models import Highlight, Segment, Transcript
from .selectors import phase_at


def mmss(ms: int) -> str:
    """Milliseconds of media time as m:ss (prep.lib.formatting.clock)."""
    return clock(int(ms or 0) // 1000)


_MARKUP = re.compile(r"([\\`*_\[\]|])")  # emphasis, code, links, table cells


def _escape(text: str) -> str:
    """One line of plain text, safe inside Markdown: no raw HTML, no markup."""
    text = " ".join(str(text or "").split())
    return _MARKUP.sub(r"\\\1", html.escape(text, quote=False))


def render(transcript: Transcript, *, user, with_highlights: bool) -> str:
    analysis = transcript.analysis or {}
    out = [f"# {_escape(transcript.title)}", ""]
    out.append(f"- Kind: {transcript.kind_label}")
    out.append(f"- Recorded: {transcript.created_at:%Y-%m-%d %H:%M} UTC")
    out.append(f"- Source: {transcript.get_source_display()}")
    if transcript.question:
        out.append(f"- Question: {_escape(transcript.question)}")
    out.append("")
    if any(transcript.pinned.values()):
        out += ["## Framing", ""]
        for kind, entries in transcript.pinned.items():
            for entry in entries:
                out.append(f"- **{_escape(kind)}**: {_escape(entry['text'])}")
        out.append("")
    if analysis.get("speakers"):
        out += ["## Talk time", "", "| Speaker | Role | Talk | Share | WPM | Fillers |"]
        out.append("|---|---|---|---|---|---|")
        for row in analysis["speakers"]:
            out.append(
                f"| {_escape(row['label'])} | {_escape(row['role']) or '—'} | {mmss(row['talk_ms'])} | "
                f"{row['share']}% | {row['wpm']} | {row['fillers']} |"
            )
        out.append("")
    coverage = analysis.get("coverage")
    if coverage:
        out += ["## Rubric coverage", ""]
        for dim in coverage["dimensions"]:
            seqs = ", ".join(f"#{s}" for s in dim["seqs"]) or "no evidence"
            out.append(f"- **{_escape(dim['title'])}**: {_escape(dim['status'])} ({seqs})")
        out.append("")
    highlights = {}
    if with_highlights:
        highlights = {h.seq: h for h in Highlight.objects.filter(transcript=transcript, user=user)}
    role_map = RoleMap(
        speakers=transcript.speakers, roles=transcript.roles, phases=transcript.phases
    )
    out += ["## Conversation", ""]
    phase = None
    rows = (
        Segment.objects.filter(transcript=transcript, final=True)
        .order_by("seq")
        .values_list("seq", "speaker", "text", "start_ms")
        .iterator(chunk_size=2000)
    )
    for seq, speaker, text, start in rows:
        this_phase = phase_at(transcript.phases, start)
        if this_phase != phase:
            phase = this_phase
            out += [f"### {phase.capitalize() if phase else 'Start'}", ""]
        role = role_map.role(speaker, start)
        who = f"{_escape(speaker)} ({role})" if role else _escape(speaker)
        mark = " ★" if seq in highlights else ""
        out.append(f"**[{mmss(start)}] {who}:**{mark} {_escape(text)}  ")
        if seq in highlights and highlights[seq].note:
            out.append(f"> Note: {_escape(highlights[seq].note)}")
        out.append("")
    if transcript.erased:
        out.append(f"_Speech deleted by: {_escape(', '.join(transcript.erased))}._")
    return "\n".join(out) + "\n"
