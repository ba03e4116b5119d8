"""CSV/TSV in the format Anki's "Notes in Plain Text" import and export use.

A file is rows of ``front, back[, tags]`` (tags space-separated), optionally preceded by
Anki's header lines (``#separator:tab``, ``#html:true``, ``#tags column:3``). Fields
with the separator, quotes or newlines are double-quoted, quotes doubled (RFC 4180).
Parsing is all-or-nothing: every malformed line is reported and nothing is returned.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

MAX_BYTES = 1_000_000
MAX_ROWS = 5_000
MAX_FIELD = 20_000
SEPARATORS = {
    "tab": "\t",
    "comma": ",",
    "semicolon": ";",
    "pipe": "|",
    "colon": ":",
    "space": " ",
}


@dataclass(frozen=True)
class Row:
    line: int
    front: str
    back: str
    tags: str


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    separator: str = ","


def _separator_from(value: str) -> str | None:
    value = value.strip()
    if value.lower() in SEPARATORS:
        return SEPARATORS[value.lower()]
    if len(value) == 1:
        return value
    return None


def parse(data: bytes, *, filename: str = "") -> Parsed:
    """Parse an uploaded file; ``errors`` lists every problem by line number."""
    result = Parsed()
    if len(data) > MAX_BYTES:
        result.errors.append(
            f"The file is {len(data):,} bytes; the limit is {MAX_BYTES:,} bytes (1 MB)."
        )
        return result
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        result.errors.append(
            f"The file is not UTF-8 text (byte {exc.start + 1} cannot be decoded). "
            "Export it from Anki or your spreadsheet as UTF-8."
        )
        return result
    if "\x00" in text:
        result.errors.append("The file contains NUL bytes: it is not a text file.")
        return result

    lines = text.splitlines(keepends=True)
    separator: str | None = None
    tags_column = 3
    header = 0
    for raw in lines:
        if not raw.startswith("#"):
            break
        header += 1
        key, _, value = raw[1:].strip().partition(":")
        key = key.strip().lower()
        if key == "separator":
            separator = _separator_from(value)
            if separator is None:
                result.errors.append(f"Line {header}: unknown separator {value.strip()!r}.")
        elif key == "tags column":
            try:
                tags_column = int(value)
            except ValueError:
                result.errors.append(f"Line {header}: 'tags column' must be a number.")
            else:
                if tags_column < 3:
                    result.errors.append(
                        f"Line {header}: the tags column must come after front and back (3 or more)."
                    )
    body = "".join(lines[header:])
    if separator is None:
        lower = filename.lower()
        first = next((line for line in lines[header:] if line.strip()), "")
        if lower.endswith((".tsv", ".txt", ".tab")) or "\t" in first:
            separator = "\t"
        else:
            separator = ","
    result.separator = separator
    if result.errors:
        return result

    reader = csv.reader(io.StringIO(body, newline=""), delimiter=separator, strict=True)
    start_line = 1
    try:
        for record in reader:
            line = header + start_line
            start_line = reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if len(result.rows) + 1 > MAX_ROWS:
                result.errors.append(f"Line {line}: more than {MAX_ROWS:,} cards in one file.")
                break
            _check_record(record, line=line, tags_column=tags_column, result=result)
    except csv.Error as exc:
        line = header + reader.line_num
        result.errors.append(f"Line {line}: {_csv_message(exc)}")
    if not result.rows and not result.errors:
        result.errors.append("The file has no cards: expected lines of front, back and tags.")
    if result.errors:
        result.rows = []
    return result


def _csv_message(exc: csv.Error) -> str:
    message = str(exc)
    if "EOF" in message or "end of data" in message:
        return "a quoted field is never closed (a missing closing double quote)."
    if "expected" in message and "after" in message:
        return 'a double quote inside a field must be doubled ("") or the field quoted.'
    return f"cannot be read as CSV ({message})."


def _check_record(record: list[str], *, line: int, tags_column: int, result: Parsed) -> None:
    count = len(record)
    if count < 2:
        result.errors.append(
            f"Line {line}: expected front and back separated by "
            f"{_name(result.separator)}, found 1 column."
        )
        return
    if count > max(3, tags_column):
        result.errors.append(
            f"Line {line}: expected at most {max(3, tags_column)} columns "
            f"(front, back, tags), found {count}."
        )
        return
    front, back = record[0].strip(), record[1].strip()
    tags = record[tags_column - 1].strip() if count >= tags_column else ""
    problems = []
    if not front:
        problems.append("the front is empty")
    if not back:
        problems.append("the back is empty")
    for name, value in (("front", front), ("back", back), ("tags", tags)):
        if len(value) > MAX_FIELD:
            problems.append(f"the {name} is longer than {MAX_FIELD:,} characters")
    if len(tags) > 500:
        problems.append("the tags are longer than 500 characters")
    if problems:
        result.errors.append(f"Line {line}: {'; '.join(problems)}.")
        return
    result.rows.append(Row(line=line, front=front, back=back, tags=tags))


def _name(separator: str) -> str:
    for name, char in SEPARATORS.items():
        if char == separator:
            return f"a {name}"
    return repr(separator)


def export(cards, *, separator: str = "\t") -> str:
    """Cards as an Anki-importable text file (HTML fields, tags in column 3)."""
    buffer = io.StringIO(newline="")
    name = next((n for n, c in SEPARATORS.items() if c == separator), "tab")
    buffer.write(f"#separator:{name}\n#html:true\n#tags column:3\n")
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\n")
    for card in cards:
        back = card.back_html
        if card.changes_html:
            back += "<h4>What would change the answer</h4>" + card.changes_html
        if card.source_html:
            back += "<h4>Source</h4>" + card.source_html
        writer.writerow([card.front_html.strip(), back.strip(), " ".join(card.tag_list)])
    return buffer.getvalue()
