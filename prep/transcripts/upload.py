"""Parse an uploaded transcript file (WebVTT, SRT or the API's JSON) with line-numbered errors.

The cue-level parsing is capture's reference client's (``prep.capture.client``: timestamps,
``<v Speaker>`` voices and ``Speaker:`` prefixes, the JSON shapes); this module walks the
file line by line around it so that every error names the line it is on.
"""

from __future__ import annotations

import json

from prep.capture import client as capture_client
from prep.capture.client import Cue, TranscriptFileError
from prep.lib.text import unstorable_reason

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_CUES = 20_000
MAX_TEXT = 10_000
MAX_SPEAKERS = 20
MAX_MS = 10**11  # about three years of media time: the capture API's limit
FORMATS = ("vtt", "srt", "json")
_VTT_NON_CUE = ("NOTE", "STYLE", "REGION")


class UploadError(ValueError):
    """The file cannot be used; ``errors`` are messages that name a line where they can."""

    def __init__(self, errors: list[str]):
        self.errors = errors[:20]
        super().__init__("; ".join(self.errors))


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UploadError([f"Line {line}: not UTF-8 text."]) from exc


def detect_format(name: str, content: str) -> str:
    lowered = name.lower()
    for fmt in FORMATS:
        if lowered.endswith("." + fmt):
            return fmt
    stripped = content.lstrip()
    if stripped.startswith(("{", "[")):
        return "json"
    if stripped.startswith("WEBVTT"):
        return "vtt"
    if "-->" in content:
        return "srt"
    raise UploadError(["Not a WebVTT, SRT or JSON transcript (use .vtt, .srt or .json)."])


def _timed(content: str, fmt: str) -> list[Cue]:
    lines = content.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    errors: list[str] = []
    if fmt == "vtt" and not lines[0].startswith("WEBVTT"):
        raise UploadError(["Line 1: a WebVTT file starts with 'WEBVTT'."])
    blocks: list[tuple[int, list[str]]] = []  # (first line number, lines)
    current: list[str] = []
    start_line = 1
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not current:
                start_line = number
            current.append(line)
        elif current:
            blocks.append((start_line, current))
            current = []
    if current:
        blocks.append((start_line, current))
    cues: list[Cue] = []
    for first, block in blocks:
        if fmt == "vtt" and (
            (first == 1 and block[0].startswith("WEBVTT")) or block[0].startswith(_VTT_NON_CUE)
        ):
            continue
        arrow = next((i for i, line in enumerate(block) if "-->" in line), None)
        if arrow is None or arrow > 1:
            errors.append(
                f"Line {first}: expected a cue with a timing line 'start --> end' "
                f"(found {block[0][:60]!r})."
            )
            continue
        number = first + arrow
        start_text, _, rest = block[arrow].partition("-->")
        end_text = rest.strip().split()[0] if rest.strip() else ""
        try:
            start, end = capture_client._ms(start_text), capture_client._ms(end_text)
        except (TranscriptFileError, ValueError, OverflowError):
            errors.append(
                f"Line {number}: bad timing {block[arrow].strip()[:60]!r} "
                "(use 00:01:02.345 --> 00:01:04.000)."
            )
            continue
        if end < start:
            errors.append(f"Line {number}: the cue ends before it starts.")
            continue
        speaker, text = capture_client._speaker_and_text(block[arrow + 1 :], "Speaker")
        if len(text) > MAX_TEXT:
            errors.append(f"Line {number + 1}: a cue holds at most {MAX_TEXT} characters.")
            continue
        if text:
            cues.append(Cue(len(cues), speaker[:100], text, start, end))
        if len(errors) >= 20:
            break
    if errors:
        raise UploadError(errors)
    return cues


def _json(content: str) -> list[Cue]:
    try:
        json.loads(content)
    except RecursionError as exc:
        raise UploadError(["The JSON is nested too deeply to be a transcript."]) from exc
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        where = f"Line {line}: " if line else ""
        raise UploadError([f"{where}not valid JSON ({getattr(exc, 'msg', exc)})."]) from exc
    try:
        cues = capture_client._parse_json(content)
    except TranscriptFileError as exc:
        raise UploadError([str(exc)]) from exc
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise UploadError(["A segment's time is not a usable number of seconds."]) from exc
    for cue in cues:
        if len(cue.text) > MAX_TEXT:
            raise UploadError([f"Segment {cue.seq}: at most {MAX_TEXT} characters."])
    return [Cue(c.seq, c.speaker[:100], c.text, c.start_ms, c.end_ms) for c in cues]


def parse_upload(name: str, data: bytes) -> list[Cue]:
    """Cues of an uploaded file, numbered from seq 0 in file order, or UploadError."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError([f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."])
    content = _decode(data)
    fmt = detect_format(name, content)
    cues = _json(content) if fmt == "json" else _timed(content, fmt)
    if not cues:
        raise UploadError(["No cues with text were found in the file."])
    _check_cues(cues)
    if len(cues) > MAX_CUES:
        raise UploadError([f"At most {MAX_CUES} cues per file."])
    if len({c.speaker for c in cues}) > MAX_SPEAKERS:
        raise UploadError([f"At most {MAX_SPEAKERS} different speakers."])
    return cues


def _check_cues(cues: list[Cue]) -> None:
    """Times a database can hold and text it can store, whatever the format said."""
    errors = []
    for cue in cues:
        if not (0 <= cue.start_ms <= MAX_MS and 0 <= cue.end_ms <= MAX_MS):
            errors.append(f"Cue {cue.seq + 1}: its time is out of range (at most about 3 years).")
        for what, text in (("speaker", cue.speaker), ("text", cue.text)):
            reason = unstorable_reason(text)
            if reason:
                errors.append(f"Cue {cue.seq + 1}: the {what} contains {reason}.")
        if len(errors) >= 20:
            break
    if errors:
        raise UploadError(errors)
