"""Phones that drop and restore their connection, the new socket racing the old one's close.

Starts the app as an operator would (`reflex run --env prod --backend-only`),
once on SQLite with one worker and once on PostgreSQL + Redis with several
workers, signs up a handful of patients (each with a unique display name) and
opens two tabs per patient over real websockets (python-socketio, the
patient's session cookie, each tab its own Reflex client token, hydrating in
the CONNECT packet as the browser does). Each tab then, hundreds of times in
all:

- maybe writes a quick check-in (a "draft" with its own idempotency key and a
  note naming the tab) and sends it, sometimes dropping the connection before
  the answer comes;
- drops its connection in one of seven ways: `race` (a new socket with the same
  client token is opened, then the old one says goodbye), `race-abort` (new
  socket first, then the old one's TCP connection is cut without a disconnect
  packet), `vanish` (new socket first; the old one goes silent and stays open,
  a phone in a tunnel), `abort` (cut, then reconnect), `clean`, and
  `duplicate` (a copy of the tab, same token, connects at the same moment as
  the tab reconnects: reflex-dev/reflex #6877, #6879, #6881) and `intruder`
  (the same with another patient's phone holding the tab's token);
- on the new socket, adopts a `new_token` if the server hands one out (as
  Reflex's frontend does: upstream reflex-dev/reflex #6345) and, when the
  hydrate shows who is signed in, sends its unconfirmed draft again, with the
  same key, as assets/app.js does.

Checked afterwards, in the database and in every frame each tab received:

- saves: each one acknowledged (a frame carrying its key) is stored exactly once,
  for its patient; none is doubled (no note stored twice); every draft is
  confirmed in the end.
- drafts: every hydrate names this tab's patient and the draft namespace
  (`SessionState.draft_owner`) the phone keeps the patient's drafts under; a
  draft is lost when the phone was told it was saved and it is not stored, or
  when a hydrate points the phone at another (or no) namespace.
- frames: no frame carries another patient's display name or draft namespace,
  another tab's client token or idempotency key, and Today's list never shows
  an entry of someone else.

Usage (from the repository root):
    .venv/bin/python benchmarks/reconnects.py [--cycles 150] [--patients 6] [--sqlite-only]

Exits 1 with a message naming each loss or leak; 0 when none was found.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, NamedTuple

import aiohttp
import reflex as rx
import socketio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from benchmarks.contention import close_client, sign_up  # noqa: E402
from benchmarks.harness import DEFAULT_POSTGRES_URL, postgres_schema  # noqa: E402
from benchmarks.live_server import LiveServer  # noqa: E402
from skills_app.core import db  # noqa: E402
from skills_app.core.settings import SESSION_COOKIE  # noqa: E402
from skills_app.state.journal import CheckInState  # noqa: E402
from skills_app.state.session import SessionState, draft_owner  # noqa: E402

HYDRATE = f"{rx.State.get_full_name()}.hydrate_and_load"
SAVE_CHECKIN = f"{CheckInState.get_full_name()}.save_checkin"
SESSION_STATE = SessionState.get_full_name()
PAGE = "/today/"
MODES = ("race", "race-abort", "vanish", "abort", "clean", "duplicate", "intruder")
RACES = frozenset({"race", "race-abort", "vanish"})
ANSWER_SECONDS = 20
HYDRATE_SECONDS = 40


def _router_data() -> dict[str, Any]:
    return {"pathname": PAGE, "asPath": PAGE, "query": {}}


@dataclass
class Counts:
    """What one run did and what it found; `problems` names each loss or leak."""

    connections_dropped: int = 0
    drops_by_mode: Counter = field(default_factory=Counter)
    races: int = 0
    duplicates: int = 0
    intruders: int = 0
    new_tokens: int = 0
    saves_sent: int = 0
    resends: int = 0
    saves_acknowledged: int = 0
    saves_stored: int = 0
    saves_missing: int = 0
    saves_doubled: int = 0
    saves_unconfirmed: int = 0
    hydrates_checked: int = 0
    hydrates_missing: int = 0
    hydrate_seconds: list[float] = field(default_factory=list)
    drafts_checked: int = 0
    drafts_lost: int = 0
    frames_checked: int = 0
    foreign_frames: int = 0
    inherited_frames: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        modes = ", ".join(f"{mode} {self.drops_by_mode[mode]}" for mode in MODES)
        return [
            f"connections dropped  {self.connections_dropped}  ({modes})",
            f"races (new socket before the old one closed)  {self.races}; duplicated tabs "
            f"connecting with the same token at once  {self.duplicates}; another "
            f"patient's phone with the tab's token at once  {self.intruders}; "
            f"new client tokens handed out  {self.new_tokens}",
            f"saves sent  {self.saves_sent} (+ {self.resends} resends of unconfirmed drafts); "
            f"acknowledged  {self.saves_acknowledged}; stored  {self.saves_stored}; "
            f"missing  {self.saves_missing}; doubled  {self.saves_doubled}; "
            f"never confirmed  {self.saves_unconfirmed}",
            f"hydrates checked  {self.hydrates_checked}; missing  {self.hydrates_missing}; "
            f"slowest  {max(self.hydrate_seconds, default=0):.2f} s, over 2 s  "
            f"{sum(s > 2 for s in self.hydrate_seconds)}; drafts checked  "
            f"{self.drafts_checked}; drafts lost  {self.drafts_lost}",
            f"frames checked  {self.frames_checked}; foreign frames  {self.foreign_frames}; "
            f"frames of a duplicated tab showing its original's save from before the copy  "
            f"{self.inherited_frames}",
        ]


@dataclass
class Draft:
    key: str
    note: str
    acknowledged: bool = False


@dataclass
class Person:
    name: str
    cookie: str
    user_id: int = 0
    draft_owner: str = ""


class NoHydrate(Exception):
    """A tab got no hydrate on three sockets in a row: it stops (already counted)."""


class Connection:
    """One socket of a tab, recording every frame it receives."""

    def __init__(self, tab: Tab) -> None:
        self.tab = tab
        self.client = socketio.AsyncClient(reconnection=False)
        self.hydrated = asyncio.Event()
        self.silent = False
        self.frames = 0
        self.new_token = ""
        self.client.on("event", self._on_event, namespace="/_event")
        self.client.on("new_token", self._on_new_token, namespace="/_event")

    async def _on_event(self, data: dict) -> None:
        frame = json.dumps(data)
        self.frames += 1
        self.tab.frames.append(frame)
        self.tab.saw(data, frame)
        if self._hydrate_of(data) is not None:
            self.hydrated.set()

    async def _on_new_token(self, token: str) -> None:
        # What Reflex's frontend does (state.js): the tab is this token from now on.
        self.tab.token = self.new_token = token
        self.tab.tokens.append(token)
        self.tab.counts.new_tokens += 1

    @staticmethod
    def _hydrate_of(data: dict) -> dict | None:
        session = (data.get("delta") or {}).get(SESSION_STATE) or {}
        return session if any(k.startswith("draft_owner") for k in session) else None

    async def open(self) -> None:
        boot = {"name": HYDRATE, "payload": {}, "router_data": _router_data()}
        await self.client.connect(
            f"{self.tab.url}?token={self.tab.token}",
            headers={"Origin": self.tab.url,
                     "Cookie": f"{SESSION_COOKIE}={self.tab.person.cookie}"},
            auth={"event": boot}, socketio_path="/_event", namespaces=["/_event"],
            transports=["websocket"], wait_timeout=ANSWER_SECONDS)

    async def emit(self, name: str, payload: dict) -> None:
        with contextlib.suppress(socketio.exceptions.BadNamespaceError):
            await self.client.emit("event", {"name": name, "payload": payload,
                                             "router_data": _router_data()}, namespace="/_event")

    def cut(self) -> None:
        """Close the TCP connection under the socket: no disconnect packet, no close frame."""
        ws = getattr(self.client.eio, "ws", None)
        connection = getattr(ws, "_conn", None)
        if connection is not None and connection.transport is not None:
            connection.transport.abort()

    def go_silent(self) -> None:
        """Stop reading and answering pings, the TCP connection left open."""
        self.silent = True
        for name in ("read_loop_task", "write_loop_task"):
            task = getattr(self.client.eio, name, None)
            if task is not None:
                task.cancel()

    async def close(self) -> None:
        if not self.silent:
            await close_client(self.client)
            return
        # Its loops are gone, so a goodbye would wait for them: cut it instead.
        self.cut()
        http = getattr(self.client.eio, "http", None)
        if http is not None and not http.closed:
            await http.close()


class Tab:
    """One browser tab of a patient: a client token (sessionStorage) and a draft (localStorage)."""

    def __init__(self, url: str, person: Person, label: str, counts: Counts) -> None:
        self.url, self.person, self.label, self.counts = url, person, label, counts
        self.token = str(uuid.uuid4())
        self.tokens = [self.token]
        self.keys: list[str] = []
        self.frames: list[str] = []
        self.entry_ids_shown: set[int] = set()
        self.acknowledged: set[str] = set()
        self.draft: Draft | None = None
        self.drafts: list[Draft] = []
        self.answered = asyncio.Event()
        self.connection: Connection | None = None
        self.zombies: list[Connection] = []
        self.twins: list[Tab] = []
        self.mode = "first connect"
        self.inherited: frozenset[str] = frozenset()
        # The other patients (one of them may connect with this tab's token).
        self.others: list[Person] = []

    def saw(self, data: dict, frame: str) -> None:
        for key in self.keys:
            if key in frame:
                self.acknowledged.add(key)
        if self.draft is not None and self.draft.key in self.acknowledged:
            # assets/app.js drops the draft as soon as the page shows it was saved.
            self.draft.acknowledged = True
            self.draft = None
            self.answered.set()
        for state in (data.get("delta") or {}).values():
            for name, rows in state.items():
                if name.startswith("today_entries") and isinstance(rows, list):
                    self.entry_ids_shown.update(int(row["id"]) for row in rows)
        hydrate = Connection._hydrate_of(data)
        if hydrate is not None:
            self._check_hydrate(hydrate)

    def _check_hydrate(self, session: dict) -> None:
        self.counts.hydrates_checked += 1
        self.counts.drafts_checked += self.draft is not None
        owner = next(v for k, v in session.items() if k.startswith("draft_owner"))
        name = next((v for k, v in session.items() if k.startswith("display_name")), None)
        if owner != self.person.draft_owner:
            self.counts.drafts_lost += 1
            self.counts.problems.append(
                f"{self.label}: a hydrate gave the draft namespace {owner!r}, not "
                f"{self.person.draft_owner!r}: the phone would not show this patient's drafts")
        if name != self.person.name:
            self.counts.problems.append(f"{self.label}: a hydrate named {name!r}")

    async def connect(self) -> Connection:
        """A new socket, once its hydrate has come (a phone without one shows nothing
        it can use: the draft fields stay disabled). One that never comes is counted,
        and the phone tries again."""
        for _attempt in range(3):
            connection = Connection(self)
            token = self.token
            await connection.open()
            started = time.monotonic()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(connection.hydrated.wait(), HYDRATE_SECONDS)
                self.counts.hydrate_seconds.append(time.monotonic() - started)
                return connection
            self.counts.hydrates_missing += 1
            self.counts.problems.append(
                f"{self.label}: no hydrate within {HYDRATE_SECONDS} s on a new socket "
                f"with token {token} ({self.mode}; {connection.frames} frames; new token "
                f"{connection.new_token or 'none'})")
            await connection.close()
        raise NoHydrate(f"{self.label}: no hydrate in 3 attempts")

    def new_draft(self, n: int) -> Draft:
        draft = Draft(str(uuid.uuid4()), f"{self.label} check-in {n}")
        self.keys.append(draft.key)
        self.drafts.append(draft)
        self.draft = draft
        return draft

    async def send_draft(self, resend: bool = False) -> None:
        if self.draft is None or self.connection is None:
            return
        self.answered.clear()
        if resend:
            self.counts.resends += 1
        else:
            self.counts.saves_sent += 1
        await self.connection.emit(SAVE_CHECKIN, {"form_data": {
            "idempotency_key": self.draft.key, "mood": "6", "note": self.draft.note}})

    async def wait_answer(self, seconds: float) -> bool:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.answered.wait(), seconds)
        return self.draft is None

    async def drop_and_restore(self, mode: str) -> None:
        old = self.connection
        assert old is not None
        self.counts.connections_dropped += 1
        self.counts.drops_by_mode[mode] += 1
        self.mode = mode
        self.counts.races += mode in RACES
        if mode in ("duplicate", "intruder"):
            self.counts.duplicates += mode == "duplicate"
            self.counts.intruders += mode == "intruder"
            intruder = self.others[len(self.twins) % len(self.others)] \
                if mode == "intruder" else None
            await self._reconnect_with_twin(old, intruder)
        elif mode in ("abort", "clean"):
            old.cut() if mode == "abort" else await old.client.disconnect()
            await old.close()
            self.connection = await self.connect()
        else:
            self.connection = await self.connect()
            if mode == "race":
                await old.close()
            elif mode == "race-abort":
                old.cut()
                await old.close()
            else:
                old.go_silent()
                self.zombies.append(old)
        # assets/app.js: an unconfirmed draft is sent again once the owner is known.
        await self.send_draft(resend=True)

    async def _reconnect_with_twin(self, old: Connection, intruder: Person | None) -> None:
        """The tab reconnects while another socket with its token connects at the same
        moment, saves once and is closed: two sockets claiming one token
        (reflex-dev/reflex #6877, #6879). Without `intruder` the other is a copy of
        the tab (a duplicated browser tab, its sessionStorage token included); with
        one, another patient's phone holding this tab's token."""
        await old.client.disconnect()
        await old.close()
        twins = self.twins
        kind = "copy" if intruder is None else "intruder"
        twin = Tab(self.url, intruder or self.person, f"{self.label} {kind} {len(twins)}",
                   self.counts)
        twin.token, twin.tokens = self.token, [self.token]
        if intruder is None:
            # What the original had saved so far is in the state the copy starts from.
            twin.inherited = frozenset(self.keys)
        twins.append(twin)
        self.connection, twin.connection = await asyncio.gather(self.connect(), twin.connect())
        twin.new_draft(0)
        await twin.send_draft()
        await twin.settle()
        await twin.close()

    async def settle(self) -> None:
        """The phone keeps sending its draft until it is confirmed."""
        for _ in range(3):
            if await self.wait_answer(ANSWER_SECONDS):
                return
            await self.send_draft(resend=True)

    async def close(self) -> None:
        for connection in [*self.zombies, *([self.connection] if self.connection else [])]:
            await connection.close()


async def _run_tab(tab: Tab, cycles: int, rng: random.Random, modes: tuple[str, ...]) -> None:
    with contextlib.suppress(NoHydrate):
        await _drive_tab(tab, cycles, rng, modes)


async def _drive_tab(tab: Tab, cycles: int, rng: random.Random,
                     modes: tuple[str, ...]) -> None:
    tab.connection = await tab.connect()
    for n in range(cycles):
        if tab.draft is None and rng.random() < 0.6:
            tab.new_draft(n)
            await tab.send_draft()
            if rng.random() < 0.5:
                await tab.wait_answer(ANSWER_SECONDS)
            else:
                await asyncio.sleep(rng.choice((0, 0, 0.002, 0.01)))  # the drop crosses it
        await tab.drop_and_restore(rng.choice(modes))
        await asyncio.sleep(rng.random() * 0.05)
    await tab.settle()


class Stored(NamedTuple):
    """What the database holds after the run."""

    by_key: dict[str, tuple[int, str]]  # idempotency key: (user id, note)
    notes: Counter  # note: how many entries carry it
    owners: dict[int, int]  # entry id: user id


def _rows(database_url: str, query: str) -> list[Any]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(query)).all())
    finally:
        engine.dispose()


def _stored(database_url: str, keys: list[str]) -> Stored:
    rows = _rows(database_url, "SELECT id, user_id, idempotency_key, note FROM journal_entry")
    wanted = set(keys)
    return Stored({row.idempotency_key: (row.user_id, row.note) for row in rows
                   if row.idempotency_key in wanted},
                  Counter(row.note for row in rows), {row.id: row.user_id for row in rows})


def _user_ids(database_url: str, names: list[str]) -> dict[str, int]:
    rows = _rows(database_url, "SELECT id, display_name FROM user_account")
    return {row.display_name: row.id for row in rows if row.display_name in names}


def check_saves(counts: Counts, tabs: list[Tab], stored: Stored) -> None:
    """Each draft: acknowledged and stored once, for its patient; Today's lists: own entries."""
    for tab in tabs:
        for draft in tab.drafts:
            row = stored.by_key.get(draft.key)
            counts.saves_acknowledged += draft.acknowledged
            counts.saves_stored += row is not None
            if row is not None and row[0] != tab.person.user_id:
                counts.problems.append(f"{tab.label}: save {draft.key} stored for user {row[0]}")
            if draft.acknowledged and row is None:
                counts.saves_missing += 1
                counts.drafts_lost += 1
                counts.problems.append(f"{tab.label}: save {draft.key} was acknowledged "
                                       "(the phone dropped its draft) but is not stored")
            if not draft.acknowledged:
                counts.saves_unconfirmed += 1
                counts.problems.append(f"{tab.label}: save {draft.key} never confirmed")
            if stored.notes[draft.note] > 1:
                counts.saves_doubled += 1
                counts.problems.append(f"{tab.label}: {draft.note!r} stored "
                                       f"{stored.notes[draft.note]} times")
        for entry_id in tab.entry_ids_shown:
            if stored.owners.get(entry_id) != tab.person.user_id:
                counts.problems.append(f"{tab.label}: Today's list showed entry {entry_id} "
                                       f"of user {stored.owners.get(entry_id)}")


def check_frames(counts: Counts, tabs: list[Tab], persons: list[Person]) -> None:
    """No frame a tab received carries another patient's name or draft namespace, or
    another tab's token or save key (except what a duplicated tab started from)."""
    for tab in tabs:
        foreign = [marker for other in persons if other is not tab.person
                   for marker in (other.name, other.draft_owner)]
        # A duplicated tab starts with its original's token: that one is both's.
        foreign += [marker for other in tabs if other is not tab
                    for marker in (*other.keys, *(t for t in other.tokens
                                                  if t not in tab.tokens))]
        foreign = [marker for marker in foreign if marker not in tab.inherited]
        for frame in tab.frames:
            counts.frames_checked += 1
            counts.inherited_frames += any(key in frame for key in tab.inherited)
            leaked = [marker for marker in foreign if marker in frame]
            if leaked:
                counts.foreign_frames += 1
                counts.problems.append(f"{tab.label}: a frame carried {leaked[:3]}")


async def drive(url: str, database_url: str, *, patients: int, tabs_per_patient: int,
                cycles: int, seed: int = 2026, modes: tuple[str, ...] = MODES) -> Counts:
    """The scenario against a running server at `url` whose database is `database_url`."""
    counts = Counts()
    rng = random.Random(seed)
    async with aiohttp.ClientSession() as http:
        persons = [Person(f"Reconnect Patient {n} {uuid.uuid4().hex[:8]}", "")
                   for n in range(patients)]
        for person in persons:
            _email, person.cookie = await sign_up(http, url, person.name)
    ids = _user_ids(database_url, [person.name for person in persons])
    for person in persons:
        person.user_id = ids[person.name]
        person.draft_owner = draft_owner(SimpleNamespace(user_id=person.user_id))
    tabs = [Tab(url, person, f"patient {p} tab {t}", counts)
            for p, person in enumerate(persons) for t in range(tabs_per_patient)]
    if len(persons) < 2:
        modes = tuple(mode for mode in modes if mode != "intruder")
    for tab in tabs:
        tab.others = [person for person in persons if person is not tab.person]
    try:
        await asyncio.gather(*(_run_tab(tab, cycles, random.Random(rng.random()), modes)
                               for tab in tabs))
    finally:
        await asyncio.gather(*(tab.close() for tab in tabs))
        # The cut connections' aiohttp responses are let go of while the loop runs.
        gc.collect()
        await asyncio.sleep(0.1)
    every_tab = [*tabs, *(twin for tab in tabs for twin in tab.twins)]
    check_saves(counts, every_tab, _stored(database_url,
                                           [key for tab in every_tab for key in tab.keys]))
    check_frames(counts, every_tab, persons)
    return counts


# --- the two profiles ------------------------------------------------------------------------

@contextlib.contextmanager
def sqlite_server(port: int, folder: Path) -> Iterator[tuple[str, str]]:
    database_url = f"sqlite:///{folder / 'reconnects.db'}"
    server = LiveServer(port, folder / "sqlite-server.log", {
        "REFLEX_REDIS_URL": None, "REFLEX_DB_URL": database_url,
        "SKILLS_SIGNUPS_PER_ADDRESS_HOUR": "100000"})
    try:
        yield server.url, database_url
    finally:
        server.stop()


@contextlib.contextmanager
def postgres_redis_server(port: int, folder: Path, postgres_url: str, redis_url: str,
                          workers: int) -> Iterator[tuple[str, str]]:
    admin = db.make_engine(postgres_url)
    try:
        with postgres_schema(admin, postgres_url) as (_schema, database_url):
            server = LiveServer(port, folder / "postgres-server.log", {
                "REFLEX_DB_URL": database_url, "REFLEX_REDIS_URL": redis_url,
                "GRANIAN_WORKERS": str(workers), "SKILLS_SIGNUPS_PER_ADDRESS_HOUR": "100000"})
            try:
                yield server.url, database_url
            finally:
                server.stop()
    finally:
        admin.dispose()


def _run_profile(label: str, server: contextlib.AbstractContextManager[tuple[str, str]],
                 args: argparse.Namespace) -> Counts:
    print(f"\n{label}: starting the server ...", flush=True)
    with server as (url, database_url):
        started = time.monotonic()
        counts = asyncio.run(drive(url, database_url, patients=args.patients,
                                   tabs_per_patient=args.tabs, cycles=args.cycles,
                                   seed=args.seed, modes=tuple(args.modes)))
        took = time.monotonic() - started
    print(f"{label}: {args.patients} patients x {args.tabs} tabs x {args.cycles} cycles "
          f"in {took:.1f} s")
    for line in counts.lines():
        print(f"  {line}")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=6)
    parser.add_argument("--tabs", type=int, default=2, help="tabs per patient")
    parser.add_argument("--cycles", type=int, default=100,
                        help="drops per tab (each a reconnect)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--port", type=int, default=3163)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES),
                        help="ways of dropping a connection to choose from (default: all)")
    parser.add_argument("--keep-logs", metavar="FOLDER", help="keep the servers' logs there")
    args = parser.parse_args(argv)
    runs: list[tuple[str, Counts]] = []
    with contextlib.ExitStack() as stack:
        folder = Path(args.keep_logs or stack.enter_context(
            tempfile.TemporaryDirectory(prefix="skills-reconnects-")))
        folder.mkdir(parents=True, exist_ok=True)
        runs.append(("sqlite, 1 worker",
                     _run_profile("sqlite, 1 worker", sqlite_server(args.port, folder), args)))
        if not args.sqlite_only:
            label = f"postgresql + redis, {args.workers} workers"
            runs.append((label, _run_profile(label, postgres_redis_server(
                args.port + 1, folder, args.postgres_url, args.redis_url, args.workers),
                args)))
    failed = [(label, counts) for label, counts in runs if not counts.clean]
    if not failed:
        print("\nno acknowledged save missing or doubled, no draft lost, no foreign frame")
        return 0
    for label, counts in failed:
        print(f"\nFAILED on {label}: {len(counts.problems)} problems, the first:", file=sys.stderr)
        for problem in counts.problems[:20]:
            print(f"  {problem}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
