"""Transcript files in and out: WebVTT, SRT, JSON and meeting tools' plain text.

One reader for everything that turns a file into cues — the upload page
(``upload.parse_upload``) and the reference client ``prep-capture`` both use it — and the
writers of the per-transcript exports. Standard library only (no Django), so the
reference client can import it and overlay authors can read it.

Reading rules (each error names its line):

- **WebVTT**: header ``WEBVTT``; ``NOTE``/``STYLE``/``REGION`` blocks skipped; a cue's
  identifier line is optional; ``<v Name>`` (Microsoft Teams) or a ``Name: `` prefix (Zoom)
  gives the speaker; other tags are removed and character references (``&lt;`` ``&amp;``
  ``&gt;`` ``&nbsp;`` …) are decoded. A cue with no text is kept as an empty cue, so the
  numbering of every cue after it stays the file's.
- **SRT**: numbered blocks; ``Name: `` prefix for the speaker; ``<b> <i> <u> <font>`` tags
  removed; no character references (SRT has none).
- **JSON**: ``{"segments": [...]}`` or a list; each item ``speaker``, ``text`` and either
  ``start_ms``/``end_ms`` or ``start``/``end`` in seconds.
- **Plain text** (meeting tools): paragraphs headed by a speaker and a timestamp —
  ``[Name] 00:01:23`` (Zoom's saved transcript), ``Name   1:23`` (Microsoft Teams'
  transcript as text), or ``Name: text`` under a ``00:05:00`` timestamp line (Google Meet's
  transcript document). A cue ends where the next one starts. Clock times (a first
  timestamp of an hour or more) are made relative to the first one.

Cue text keeps its spaces (a leading space is not stripped); the lines of a multi-line cue
are joined with one space. Writers produce what the reader reads back to the same cues,
so export → import → export is byte-identical (the JSON export is lossless; WebVTT and SRT
fold line breaks into spaces, and SRT, which has no escaping, writes ``-->`` as ``->``).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

FORMATS = ("vtt", "srt", "json", "txt")
EXPORT_FORMATS = ("vtt", "srt", "json")
DEFAULT_SPEAKER = "Speaker"
MAX_ERRORS = 20


@dataclass(frozen=True)
class Cue:
    seq: int
    speaker: str
    text: str
    start_ms: int
    end_ms: int

    def as_segment(self, *, final: bool = True, text: str | None = None) -> dict:
        return {
            "seq": self.seq,
            "speaker": self.speaker,
            "text": self.text if text is None else text,
            "start_ms": self.start_ms,
            "end_ms": self.end_ms,
            "final": final,
        }


class FormatError(ValueError):
    """The file cannot be read; ``errors`` name a line where they can."""

    def __init__(self, errors: list[str] | str):
        self.errors = ([errors] if isinstance(errors, str) else list(errors))[:MAX_ERRORS]
        super().__init__("; ".join(self.errors))


# --- Timestamps ---------------------------------------------------------------------------
_TIME = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2})[.,](\d{1,3})")
_CLOCK = re.compile(r"(?:(\d{1,2}):)?(\d{1,2}):(\d{2})")


def parse_time(stamp: str) -> int:
    """Milliseconds of a cue timestamp: ``01:02:03.456``, ``02:03,4`` … (ValueError if bad)."""
    match = _TIME.fullmatch(stamp.strip())
    if not match:
        raise ValueError(f"Bad timestamp {stamp!r}")
    hours, minutes, seconds, frac = match.groups()
    frac = (frac + "00")[:3]
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(frac)


def _clock_ms(stamp: str) -> int:
    hours, minutes, seconds = _CLOCK.fullmatch(stamp).groups()
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000


def format_time(ms: int, sep: str = ".") -> str:
    hours, rest = divmod(int(ms), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, frac = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{sep}{frac:03d}"


# --- Speakers and cue text ----------------------------------------------------------------
_VOICE = re.compile(r"^<v(?:\.[^ \t>]*)?[ \t]+([^>]*)>(.*?)(?:</v>)?$", re.S)
#: "Name: text" — a name starts with a letter and holds no colon or angle bracket.
_PREFIX = re.compile(r"^([^\W\d_][^:<>\n]{0,99}?):[ \t](.*)$", re.S)
_PREFIX_EMPTY = re.compile(r"^([^\W\d_][^:<>\n]{0,99}?):$")
_VTT_TAGS = re.compile(r"<[^>]*>")
_SRT_TAGS = re.compile(r"</?(?:b|i|u|font)\b[^>]*>", re.I)


def _split_prefix(text: str, default: str) -> tuple[str, str]:
    prefix = _PREFIX.match(text)
    if prefix:
        return prefix.group(1).strip(), prefix.group(2)
    empty = _PREFIX_EMPTY.match(text)
    if empty:
        return empty.group(1).strip(), ""
    return default, text


def _vtt_speaker_and_text(lines: list[str], default: str) -> tuple[str, str]:
    raw = " ".join(lines)
    voice = _VOICE.match(raw)
    if voice:
        speaker = html.unescape(voice.group(1)).strip() or default
        return speaker, html.unescape(_VTT_TAGS.sub("", voice.group(2)))
    text = html.unescape(_VTT_TAGS.sub("", raw))
    return _split_prefix(text, default)


def _srt_speaker_and_text(lines: list[str], default: str) -> tuple[str, str]:
    return _split_prefix(_SRT_TAGS.sub("", " ".join(lines)), default)


# --- Detecting the format -----------------------------------------------------------------
def detect(name: str, content: str) -> str:
    """ "vtt", "srt", "json" or "txt" from the file name, else from the content."""
    lowered = name.lower()
    for fmt in FORMATS:
        if lowered.endswith("." + fmt):
            return fmt
    stripped = content.lstrip("\ufeff \t\r\n")
    if stripped.startswith(("{", "[")):
        return "json"
    if stripped.startswith("WEBVTT"):
        return "vtt"
    if "-->" in content:
        return "srt"
    raise FormatError(
        ["Not a WebVTT, SRT, JSON or meeting transcript (use .vtt, .srt, .json or .txt)."]
    )


def _lines(content: str) -> list[str]:
    return content.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """(first line number, lines) of every run of non-blank lines."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 1
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


# --- Reading ------------------------------------------------------------------------------
def _read_timed(content: str, fmt: str, default: str) -> list[Cue]:
    lines = _lines(content)
    if fmt == "vtt" and not lines[0].startswith("WEBVTT"):
        raise FormatError(["Line 1: a WebVTT file starts with 'WEBVTT'."])
    errors: list[str] = []
    cues: list[Cue] = []
    for first, block in _blocks(lines):
        if fmt == "vtt" and (
            (first == 1 and block[0].startswith("WEBVTT"))
            or block[0].startswith(("NOTE", "STYLE", "REGION"))
        ):
            continue
        arrow = next((i for i, line in enumerate(block) if "-->" in line), None)
        if arrow is None or arrow > 1:
            errors.append(
                f"Line {first}: expected a cue with a timing line 'start --> end' "
                f"(found {block[0][:60]!r})."
            )
        else:
            number = first + arrow
            start_text, _, rest = block[arrow].partition("-->")
            end_text = rest.strip().split()[0] if rest.strip() else ""
            try:
                start, end = parse_time(start_text), parse_time(end_text)
            except ValueError:
                errors.append(
                    f"Line {number}: bad timing {block[arrow].strip()[:60]!r} "
                    "(use 00:01:02.345 --> 00:01:04.000)."
                )
                continue
            if end < start:
                errors.append(f"Line {number}: the cue ends before it starts.")
                continue
            body = block[arrow + 1 :]
            if fmt == "vtt":
                speaker, text = _vtt_speaker_and_text(body, default)
            else:
                speaker, text = _srt_speaker_and_text(body, default)
            cues.append(Cue(len(cues), speaker, text, start, end))
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise FormatError(errors)
    return cues


def _read_json(content: str, default: str) -> list[Cue]:
    try:
        data = json.loads(content)
    except RecursionError as exc:
        raise FormatError(["The JSON is nested too deeply to be a transcript."]) from exc
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        where = f"Line {line}: " if line else ""
        raise FormatError([f"{where}not valid JSON ({getattr(exc, 'msg', exc)})."]) from exc
    items = data.get("segments") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise FormatError(['JSON: expected a list or {"segments": [...]}.'])
    cues: list[Cue] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise FormatError([f"JSON: segment {index} is not an object."])
        try:
            if "start_ms" in item:
                start = int(item["start_ms"])
                end = int(item.get("end_ms", item["start_ms"]))
            else:
                start = round(float(item.get("start", 0)) * 1000)
                end = round(float(item.get("end", item.get("start", 0))) * 1000)
        except (TypeError, ValueError, OverflowError) as exc:
            raise FormatError([f"JSON: segment {index} has a bad time: {exc}."]) from exc
        if start < 0 or end < start:
            raise FormatError([f"JSON: segment {index} ends before it starts."])
        text = item.get("text", "")
        if not isinstance(text, str):
            raise FormatError([f"JSON: segment {index}: text must be a string."])
        speaker = str(item.get("speaker") or default)
        cues.append(Cue(len(cues), speaker, text, start, end))
    return cues


_ZOOM_HEAD = re.compile(r"^\[([^\]]{1,100})\][ \t]+(\d{1,2}:\d{2}(?::\d{2})?)[ \t]*(.*)$")
_TEAMS_HEAD = re.compile(r"^(\S[^:\t]{0,99}?)[ \t]+(\d{1,2}:\d{2}(?::\d{2})?)$")
_STAMP_LINE = re.compile(r"^(\d{1,2}:\d{2}(?::\d{2})?)$")
#: The words per minute used to end the last paragraph of a plain-text transcript.
_MS_PER_WORD = 400


def _read_text(content: str, default: str) -> list[Cue]:
    """Meeting tools' plain text: a speaker and a timestamp per paragraph (see the module)."""
    entries: list[list] = []  # [speaker, start_ms, [text parts]]
    clock: int | None = None
    current: list | None = None
    for number, raw in enumerate(_lines(content), start=1):
        line = raw.strip()
        if not line:
            current = None if current is None or current[2] else current
            continue
        head = _ZOOM_HEAD.match(line)
        if head:
            clock = _clock_ms(head.group(2))
            current = [head.group(1).strip(), clock, [head.group(3)] if head.group(3) else []]
            entries.append(current)
            continue
        stamp = _STAMP_LINE.match(line)
        if stamp:
            clock = _clock_ms(stamp.group(1))
            current = None
            continue
        head = _TEAMS_HEAD.match(line)
        if head and current is None:
            clock = _clock_ms(head.group(2))
            current = [head.group(1).strip(), clock, []]
            entries.append(current)
            continue
        prefix = _PREFIX.match(line)
        if prefix and clock is not None and (current is None or current[2]):
            current = [prefix.group(1).strip(), clock, [prefix.group(2)]]
            entries.append(current)
            continue
        if current is not None:
            current[2].append(line)
        elif entries or clock is not None:
            raise FormatError(
                [f"Line {number}: expected a speaker and a timestamp (found {line[:60]!r})."]
            )
        # else: a title line before the transcript starts (Google Meet's document title)
    if not entries:
        raise FormatError(
            [
                "No paragraph with a speaker and a timestamp was found "
                "('[Name] 00:01:23', 'Name   1:23', or 'Name: …' under a '00:01:23' line)."
            ]
        )
    offset = entries[0][1] if entries[0][1] >= 3_600_000 else 0
    cues: list[Cue] = []
    for index, (speaker, start, parts) in enumerate(entries):
        start -= offset
        text = " ".join(parts)
        if index + 1 < len(entries) and entries[index + 1][1] - offset > start:
            end = entries[index + 1][1] - offset
        else:
            end = start + max(1000, _MS_PER_WORD * len(text.split()))
        cues.append(Cue(index, speaker or default, text, max(start, 0), max(end, 0)))
    return cues


def read(content: str, fmt: str, *, default_speaker: str = DEFAULT_SPEAKER) -> list[Cue]:
    """Cues of ``content`` in ``fmt``, numbered from seq 0 in file order (FormatError)."""
    if fmt == "json":
        return _read_json(content, default_speaker)
    if fmt == "txt":
        return _read_text(content, default_speaker)
    if fmt in ("vtt", "srt"):
        return _read_timed(content, fmt, default_speaker)
    raise FormatError([f"Unknown format {fmt!r}."])


def read_file(path: str | Path, *, default_speaker: str = DEFAULT_SPEAKER) -> list[Cue]:
    """Cues of a transcript file (format from its name, else its content)."""
    path = Path(path)
    content = path.read_text(encoding="utf-8-sig")
    cues = read(content, detect(path.name, content), default_speaker=default_speaker)
    if not cues:
        raise FormatError([f"{path.name}: no cues found."])
    return cues


# --- Writing ------------------------------------------------------------------------------
def _one_line(text: str) -> str:
    return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_vtt(cues) -> str:
    """WebVTT with ``<v Speaker>`` voices; ``&``, ``<`` and ``>`` written as references."""
    out = ["WEBVTT", ""]
    for index, cue in enumerate(cues, start=1):
        out.append(str(index))
        out.append(f"{format_time(cue.start_ms)} --> {format_time(cue.end_ms)}")
        out.append(f"<v {_vtt_escape(_one_line(cue.speaker))}>{_vtt_escape(_one_line(cue.text))}")
        out.append("")
    return "\n".join(out)


def write_srt(cues) -> str:
    """SRT with ``Speaker: `` prefixes (SRT has no escaping: ``-->`` is written ``->``)."""
    out = []
    for index, cue in enumerate(cues, start=1):
        text = _one_line(cue.text).replace("-->", "->")
        out.append(str(index))
        out.append(f"{format_time(cue.start_ms, ',')} --> {format_time(cue.end_ms, ',')}")
        out.append(f"{_one_line(cue.speaker)}: {text}")
        out.append("")
    return "\n".join(out)


def write_json(cues) -> str:
    """``{"segments": [{speaker, text, start_ms, end_ms}]}``: lossless, in seq order."""
    segments = [
        {"speaker": c.speaker, "text": c.text, "start_ms": c.start_ms, "end_ms": c.end_ms}
        for c in cues
    ]
    return json.dumps({"segments": segments}, ensure_ascii=False, indent=1) + "\n"


WRITERS = {"vtt": write_vtt, "srt": write_srt, "json": write_json}
CONTENT_TYPES = {
    "vtt": "text/vtt; charset=utf-8",
    "srt": "application/x-subrip; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


def write(fmt: str, cues) -> str:
    return WRITERS[fmt](cues)
