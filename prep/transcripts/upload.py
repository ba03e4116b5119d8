"""Check an uploaded transcript file and read it (``formats``) with line-numbered errors.

The reading itself is ``prep.transcripts.formats`` (shared with the reference client);
this module adds the upload's limits: size, encoding, cue and speaker counts, times a
database can hold and text it can store.
"""

from __future__ import annotations

from prep.lib.text import unstorable_reason

from .formats import FORMATS, Cue, FormatError, detect, read

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_CUES = 20_000
MAX_TEXT = 10_000
MAX_SPEAKERS = 20
MAX_MS = 10**11  # about three years of media time: the capture API's limit

__all__ = ["FORMATS", "MAX_UPLOAD_BYTES", "UploadError", "parse_upload"]


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


def parse_upload(name: str, data: bytes) -> list[Cue]:
    """Cues of an uploaded file, numbered from seq 0 in file order, or UploadError."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError([f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."])
    content = _decode(data)
    try:
        cues = read(content, detect(name, content))
    except FormatError as exc:
        raise UploadError(exc.errors) from exc
    if not cues:
        raise UploadError(["No cues were found in the file."])
    if len(cues) > MAX_CUES:
        raise UploadError([f"At most {MAX_CUES} cues per file."])
    _check_cues(cues)
    if len({c.speaker for c in cues}) > MAX_SPEAKERS:
        raise UploadError([f"At most {MAX_SPEAKERS} different speakers."])
    return [
        cue
        if len(cue.speaker) <= 100
        else Cue(cue.seq, cue.speaker[:100], cue.text, cue.start_ms, cue.end_ms)
        for cue in cues
    ]


def _check_cues(cues: list[Cue]) -> None:
    """Times a database can hold and text it can store, whatever the format said."""
    errors = []
    for cue in cues:
        if len(cue.text) > MAX_TEXT:
            errors.append(f"Cue {cue.seq + 1}: a cue holds at most {MAX_TEXT} characters.")
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
