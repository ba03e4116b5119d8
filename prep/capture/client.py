"""prep-capture: the reference client of the capture API.

Replays a transcript file (WebVTT, SRT, JSON or a meeting tool's text) through the API, in
real time or as fast as possible, in batches, with retries and exponential backoff, and
resumes after a restart from the server's ``last_contiguous_seq``. ``--chaos`` misbehaves on
purpose the way a real overlay on a bad network does: interim versions before finals,
duplicate batches, reordered batches, overlapping resends, and interims after their finals.

    PREP_TOKEN=prep_… prep-capture --server http://127.0.0.1:8000 mock.vtt
    prep-capture --token prep_… --chaos --seed 7 --batch-size 100 mock.srt
    python -m prep.capture.client --session 12 mock.json      # resume session 12

Standard library only (with prep/transcripts/formats.py, the shared file reader), so the
overlay's authors can read it as the protocol's example.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from prep.transcripts.formats import Cue, FormatError, read_file

DEFAULT_SERVER = "http://127.0.0.1:8000"
KINDS = ("ml_system_design", "coding", "behavioral", "research_discussion", "business_case")


# --- Transcript files -----------------------------------------------------------------------
# The one reader of transcript files lives with the transcript document
# (prep/transcripts/formats.py, standard library only); the client replays what it reads.
TranscriptFileError = FormatError


def parse_transcript(path: str | Path, *, default_speaker: str = "Speaker") -> list[Cue]:
    """Cues of a WebVTT, SRT, JSON or meeting-tool text transcript, from seq 0 in file order."""
    path = Path(path)
    try:
        return read_file(path, default_speaker=default_speaker)
    except FormatError as exc:
        raise FormatError([f"{path.name}: {message}" for message in exc.errors]) from exc


# --- The plan of what to send ---------------------------------------------------------------
def clean_plan(cues: list[Cue], batch_size: int) -> list[list[dict]]:
    return [
        [c.as_segment() for c in cues[i : i + batch_size]] for i in range(0, len(cues), batch_size)
    ]


def _interim(cue: Cue, rng: random.Random) -> dict:
    words = cue.text.split()
    cut = rng.randint(1, max(1, len(words) - 1)) if len(words) > 1 else 1
    text = " ".join(words[:cut])
    if text == cue.text:
        text = text + "…"
    return cue.as_segment(final=False, text=text)


def chaos_plan(cues: list[Cue], batch_size: int, rng: random.Random) -> list[list[dict]]:
    """Batches that deliver every final at least once, with deliberate mischief.

    Every batch holds at most ``batch_size`` segments. Interims go before their finals (and
    are replaced), some after them (stale); batches are duplicated, locally reordered, and
    ranges spanning two batches are resent (duplicates).
    """
    clean = clean_plan(cues, batch_size)
    plan: list[list[dict]] = []
    late_interims: list[dict] = []
    for index, batch in enumerate(clean):
        chunk = cues[index * batch_size : index * batch_size + len(batch)]
        early = [_interim(c, rng) for c in chunk if rng.random() < 0.3]
        if early:
            plan.append(early[:batch_size])
        plan.append(list(batch))
        late_interims.extend(_interim(c, rng) for c in chunk if rng.random() < 0.05)
        if rng.random() < 0.3:
            plan.append(list(batch))  # the same batch again
        if index and rng.random() < 0.3:  # an overlapping range across two batches
            start = index * batch_size - batch_size // 2
            plan.append([c.as_segment() for c in cues[start : start + batch_size]])
        if late_interims and rng.random() < 0.5:
            plan.append(late_interims[:batch_size])
            late_interims = late_interims[batch_size:]
    if late_interims:
        plan.append(late_interims[:batch_size])
    # Reorder locally: a batch may overtake up to three others, as retries do.
    for i in range(len(plan) - 1, 0, -1):
        j = max(0, i - rng.randint(0, 3))
        plan[i], plan[j] = plan[j], plan[i]
    for batch in plan:
        rng.shuffle(batch)
    return plan


# --- HTTP -----------------------------------------------------------------------------------
class ApiError(Exception):
    def __init__(self, status: int, body: dict | str):
        self.status = status
        self.body = body
        detail = body.get("detail") if isinstance(body, dict) else body
        super().__init__(f"HTTP {status}: {detail}")


@dataclass
class Stats:
    requests: int = 0
    retries: int = 0
    batches: int = 0
    sent: int = 0
    new: int = 0
    duplicate: int = 0
    replaced: int = 0
    stale: int = 0
    errors_5xx: int = 0
    last_contiguous_seq: int = -1
    seconds: float = 0.0
    session: int | None = None
    latencies_ms: list[float] = field(default_factory=list, repr=False)


class Client:
    RETRY_STATUSES = {429, 500, 502, 503, 504}

    def __init__(
        self,
        server: str,
        token: str,
        *,
        retries: int = 8,
        backoff: float = 0.25,
        max_backoff: float = 20.0,
        timeout: float = 30.0,
        rng: random.Random | None = None,
        stats: Stats | None = None,
        log=None,
    ):
        self.base = server.rstrip("/") + "/api/v1/capture"
        self.token = token
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.timeout = timeout
        self.rng = rng or random.Random()
        self.stats = stats or Stats()
        self.log = log or (lambda message: None)

    def request(self, method: str, path: str, body=None, headers=None) -> tuple[int, dict]:
        """One call with retries: network errors, 429 and 5xx are retried with backoff."""
        data = json.dumps(body).encode() if body is not None else None
        all_headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        if data is not None:
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        attempt = 0
        while True:
            self.stats.requests += 1
            started = time.perf_counter()
            req = urllib.request.Request(self.base + path, data=data, method=method)
            for name, value in all_headers.items():
                req.add_header(name, value)
            retry_after = None
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as response:
                    status, payload = response.status, response.read()
            except urllib.error.HTTPError as exc:
                status, payload = exc.code, exc.read()
                retry_after = exc.headers.get("Retry-After")
            except (urllib.error.URLError, OSError, TimeoutError) as exc:
                status, payload = None, str(exc).encode()
            self.stats.latencies_ms.append((time.perf_counter() - started) * 1000)
            if status is not None and status >= 500:
                self.stats.errors_5xx += 1
            try:
                parsed = json.loads(payload) if payload else {}
            except ValueError:
                parsed = {"detail": payload.decode(errors="replace")[:200]}
            if status is not None and status not in self.RETRY_STATUSES:
                if status >= 400:
                    raise ApiError(status, parsed)
                return status, parsed
            if attempt >= self.retries:
                raise ApiError(status or 0, parsed if status else {"detail": payload.decode()})
            delay = min(self.max_backoff, self.backoff * 2**attempt)
            delay = delay / 2 + self.rng.random() * delay / 2  # jitter
            if retry_after and retry_after.isdigit():
                delay = max(delay, float(retry_after))
            self.log(f"  retry {attempt + 1} in {delay:.2f}s after {status or payload.decode()}")
            self.stats.retries += 1
            attempt += 1
            time.sleep(delay)

    def create_session(self, body: dict, *, idempotency_key: str | None = None) -> dict:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
        return self.request("POST", "/sessions", body, headers)[1]

    def session(self, session_id: int) -> dict:
        return self.request("GET", f"/sessions/{session_id}")[1]

    def send(self, session_id: int, segments: list[dict]) -> dict:
        result = self.request("POST", f"/sessions/{session_id}/segments", {"segments": segments})[1]
        s = self.stats
        s.batches += 1
        s.sent += len(segments)
        for name in ("new", "duplicate", "replaced", "stale"):
            setattr(s, name, getattr(s, name) + result[name])
        s.last_contiguous_seq = result["last_contiguous_seq"]
        return result

    def context(self, session_id: int) -> dict:
        return self.request("GET", f"/sessions/{session_id}/context")[1]

    def end(self, session_id: int) -> dict:
        return self.request("POST", f"/sessions/{session_id}/end", {})[1]


# --- Replay ---------------------------------------------------------------------------------
def replay(
    client: Client,
    cues: list[Cue],
    *,
    session_id: int | None = None,
    create: dict | None = None,
    idempotency_key: str | None = None,
    batch_size: int = 100,
    chaos: bool = False,
    seed: int | None = None,
    realtime: bool = False,
    speed: float = 1.0,
    end: bool = True,
    progress_every: int = 10,
) -> Stats:
    """Send ``cues`` to a session (created if ``session_id`` is None), resuming after the
    server's last_contiguous_seq; returns the counts the server answered."""
    stats = client.stats
    started = time.perf_counter()
    if session_id is None:
        session_id = client.create_session(create or {}, idempotency_key=idempotency_key)["id"]
    stats.session = session_id
    resume_after = client.session(session_id)["last_contiguous_seq"]
    stats.last_contiguous_seq = resume_after
    todo = [c for c in cues if c.seq > resume_after]
    if resume_after >= 0:
        client.log(f"resuming session {session_id} after seq {resume_after}")
    rng = random.Random(seed)
    plan = chaos_plan(todo, batch_size, rng) if chaos else clean_plan(todo, batch_size)
    clock_zero = time.monotonic()
    media_zero = todo[0].start_ms if todo else 0
    for index, batch in enumerate(plan, 1):
        if realtime and batch:
            due = (max(s["end_ms"] for s in batch) - media_zero) / 1000 / max(speed, 1e-6)
            wait = due - (time.monotonic() - clock_zero)
            if wait > 0:
                time.sleep(wait)
        client.send(session_id, batch)
        if progress_every and index % progress_every == 0:
            client.log(
                f"batch {index}/{len(plan)}: new {stats.new}, duplicate {stats.duplicate}, "
                f"replaced {stats.replaced}, stale {stats.stale}, "
                f"contiguous to seq {stats.last_contiguous_seq}"
            )
    if todo:
        # Whatever the order of delivery, every final is in: check before ending.
        final_state = client.session(session_id)
        stats.last_contiguous_seq = final_state["last_contiguous_seq"]
    if end:
        client.end(session_id)
    stats.seconds = time.perf_counter() - started
    return stats


def _default_key(path: Path, create: dict) -> str:
    digest = hashlib.sha256(path.read_bytes())
    digest.update(json.dumps(create, sort_keys=True).encode())
    return "prep-capture-" + digest.hexdigest()[:32]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="prep-capture",
        description="Replay a WebVTT, SRT or JSON transcript through Prep's capture API.",
    )
    p.add_argument("file", help="transcript file (.vtt, .srt or .json)")
    p.add_argument("--server", default=os.environ.get("PREP_SERVER", DEFAULT_SERVER))
    p.add_argument("--token", default=os.environ.get("PREP_TOKEN"), help="or PREP_TOKEN")
    p.add_argument("--session", type=int, help="send to (resume) this session instead")
    p.add_argument("--title", help="title of a new session (default: the file name)")
    p.add_argument("--kind", choices=KINDS, default="ml_system_design")
    p.add_argument("--question", default="", help="the question shown on the overlay")
    p.add_argument("--booking", type=int)
    p.add_argument("--solo-mock", type=int)
    p.add_argument("--idempotency-key", help="default: derived from the file and options")
    p.add_argument("--batch-size", type=int, default=100, help="segments a batch (max 500)")
    pace = p.add_mutually_exclusive_group()
    pace.add_argument("--realtime", action="store_true", help="send at the pace of the media")
    pace.add_argument("--fast", action="store_true", help="as fast as possible (the default)")
    p.add_argument("--speed", type=float, default=1.0, help="with --realtime: 2 = twice as fast")
    p.add_argument("--chaos", action="store_true", help="misbehave on purpose (see --help)")
    p.add_argument("--seed", type=int, help="random seed for --chaos and backoff jitter")
    p.add_argument("--retries", type=int, default=8)
    p.add_argument("--backoff", type=float, default=0.25, help="first retry delay, seconds")
    p.add_argument("--no-end", action="store_true", help="leave the session open")
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not args.token:
        print("prep-capture: a token is needed (--token or PREP_TOKEN)", file=sys.stderr)
        return 2
    if not 1 <= args.batch_size <= 500:
        print("prep-capture: --batch-size must be between 1 and 500", file=sys.stderr)
        return 2
    path = Path(args.file)
    try:
        cues = parse_transcript(path)
    except (OSError, ValueError) as exc:
        print(f"prep-capture: {exc}", file=sys.stderr)
        return 2

    def log(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    create = {
        "title": args.title or path.stem[:200],
        "kind": args.kind,
        "question": args.question,
    }
    if args.booking:
        create["booking"] = args.booking
    if args.solo_mock:
        create["solo_mock"] = args.solo_mock
    client = Client(
        args.server,
        args.token,
        retries=args.retries,
        backoff=args.backoff,
        rng=random.Random(args.seed),
        log=log,
    )
    log(f"{len(cues)} segments from {path.name} → {args.server}")
    try:
        stats = replay(
            client,
            cues,
            session_id=args.session,
            create=create,
            idempotency_key=args.idempotency_key or _default_key(path, create),
            batch_size=args.batch_size,
            chaos=args.chaos,
            seed=args.seed,
            realtime=args.realtime,
            speed=args.speed,
            end=not args.no_end,
        )
    except ApiError as exc:
        print(f"prep-capture: {exc}", file=sys.stderr)
        return 1
    summary = {k: v for k, v in asdict(stats).items() if k != "latencies_ms"}
    if args.json:
        print(json.dumps(summary))
    else:
        rate = stats.new / stats.seconds if stats.seconds else 0.0
        print(
            f"session {stats.session}: {stats.batches} batches, {stats.sent} segments sent — "
            f"new {stats.new}, duplicate {stats.duplicate}, replaced {stats.replaced}, "
            f"stale {stats.stale}; contiguous to seq {stats.last_contiguous_seq}; "
            f"{stats.retries} retries; {stats.seconds:.2f}s ({rate:.0f} new segments/s)"
        )
    expected_last = cues[-1].seq
    if stats.last_contiguous_seq != expected_last:
        print(
            f"prep-capture: the server holds finals up to seq {stats.last_contiguous_seq}, "
            f"expected {expected_last}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
