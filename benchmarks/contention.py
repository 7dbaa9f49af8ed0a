"""Check-in saves under a sign-in storm, and saves against no-op events at saturation.

Starts the app as an operator would on the SQLite default (`reflex run --env
prod`, backend only, one worker, a fresh database in a temporary folder), then
drives it over real websockets and HTTP from this process:

1. quiet:  50 patients each save a check-in once a second; latency per save
           (from sending the event to the answer that confirms it).
2. storm:  the same while 10 clients sign in over and over (argon2 each time).
   Printed: check-in p95 with the storm / p95 without it (target <= 2) and every
   "database is locked" seen (target 0).
3. saturation: 20 clients send events back to back, first no-op events (a
   state change with no database work), then check-in saves. Printed: saves per
   second / no-op events per second (was 0.08-0.10; aim 0.4).

Before measuring, each handler it measures is sent once: one that no longer
answers as expected (renamed, or no longer echoing what it was sent) stops the
run with a message naming it, and so does a phase in which nothing at all was
answered, instead of printing zeros and dividing by them. Every websocket and
HTTP client session is closed before the server stops, whatever happened.

Usage (from the repository root):
    .venv/bin/python benchmarks/contention.py [--seconds 20] [--patients 50] [--signers 10]

It is a measurement, not a test: it exits 0 even when a target is missed, and
1 (with the reason) when a handler it measures does not answer.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import aiohttp
import socketio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.live_server import LiveServer, ServerDidNotStart  # noqa: E402
from skills_app.core.settings import SESSION_COOKIE  # noqa: E402
from skills_app.state.homework_therapist import HomeworkAssignState  # noqa: E402
from skills_app.state.journal import CheckInState  # noqa: E402

PASSWORD = "lanterns drift over quiet harbours"
SAVE_CHECKIN = f"{CheckInState.get_full_name()}.save_checkin"
# A screen var set from the argument, no session lookup, no database: its
# answer carries what was sent. (JournalState.ask_delete was used until it
# began to accept only ids on the screen; from then on it answered nothing
# the benchmark recognised and every no-op timed out.)
NO_OP_STATE, NO_OP_HANDLER = HomeworkAssignState, "find_exercise"
NO_OP = f"{NO_OP_STATE.get_full_name()}.{NO_OP_HANDLER}"
PROBE_TIMEOUT = 15


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


class HandlerSilent(Exception):
    """A handler the benchmark measures sent no answer it recognises."""


def ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / denominator:.2f}" if denominator else "n/a (nothing to divide by)"


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids = (task / "children").read_text().split()
        except OSError:
            continue
        for kid in map(int, kids):
            found += [kid, *_children(kid)]
    return found


class Server(LiveServer):
    """`reflex run --env prod --backend-only` on its own port: by default one worker on
    its own SQLite file in `folder`; with `redis_url`, on `database_url` with Reflex's
    Redis state manager and `workers` workers (benchmarks/load.py)."""

    def __init__(self, port: int, folder: Path, *, database_url: str | None = None,
                 redis_url: str | None = None, workers: int = 1) -> None:
        env = {"REFLEX_REDIS_URL": redis_url,
               "REFLEX_DB_URL": database_url or f"sqlite:///{folder / 'bench.db'}",
               "SKILLS_SIGNUPS_PER_ADDRESS_HOUR": "100000"}
        if redis_url:
            env["GRANIAN_WORKERS"] = str(workers)
        try:
            super().__init__(port, folder / "server.log", env)
        except ServerDidNotStart as failed:
            raise SystemExit(str(failed)) from None

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the server and its worker processes."""
        total = 0.0
        for pid in [self.process.pid, *_children(self.process.pid)]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total


async def sign_up(http: aiohttp.ClientSession, url: str, name: str) -> tuple[str, str]:
    email = f"{name.replace(' ', '-').lower()}-{uuid.uuid4().hex[:8]}@example.org"
    async with http.post(f"{url}/auth/signup", json={
            "display_name": name, "email": email, "password": PASSWORD, "role": "patient",
            "time_zone": "America/Chicago"}, headers={"Origin": url}) as response:
        assert response.status == 200, await response.text()
        cookie = SimpleCookie(response.headers["Set-Cookie"])
    return email, cookie[SESSION_COOKIE].value


@dataclass
class Patient:
    """One phone: a websocket with a signed-in cookie. Any number of events may be in
    flight (benchmarks/load.py sends on a schedule), each waiting for the frame that
    carries its own marker."""

    server: Server
    token: str
    client: socketio.AsyncClient = field(default_factory=lambda: socketio.AsyncClient(
        reconnection=False))
    waiting: dict[str, asyncio.Future] = field(default_factory=dict)
    errors: int = 0

    async def connect(self) -> None:
        @self.client.on("event", namespace="/_event")
        async def _on_event(data: dict) -> None:
            if not self.waiting:
                return
            text = json.dumps(data)
            for expected, future in list(self.waiting.items()):
                if expected in text and not future.done():
                    future.set_result(text)

        await self.client.connect(
            f"{self.server.url}?token={uuid.uuid4()}",
            headers={"Origin": self.server.url, "Cookie": f"{SESSION_COOKIE}={self.token}"},
            socketio_path="/_event", namespaces=["/_event"], transports=["websocket"])

    async def send(self, name: str, payload: dict, expected: str, path: str,
                   timeout: float = 30) -> float:
        """Send one event; seconds until a frame containing `expected` came back
        (NaN after `timeout`, or when the socket is gone)."""
        future = asyncio.get_running_loop().create_future()
        self.waiting[expected] = future
        started = time.perf_counter()
        try:
            await self.client.emit("event", {"name": name, "payload": payload, "router_data": {
                "pathname": path, "asPath": path, "query": {}}}, namespace="/_event")
            await asyncio.wait_for(future, timeout=timeout)
        except (TimeoutError, socketio.exceptions.SocketIOError):
            self.errors += 1
            return float("nan")
        finally:
            self.waiting.pop(expected, None)
        return time.perf_counter() - started

    async def save_checkin(self, timeout: float = 30, key: str | None = None) -> float:
        key = key or str(uuid.uuid4())
        return await self.send(SAVE_CHECKIN, {"form_data": {
            "idempotency_key": key, "mood": "6", "note": ""}}, key, "/today/", timeout)

    async def no_op(self, n: int | str, timeout: float = 30) -> float:
        return await self.send(NO_OP, {"query": f"n{n}"}, f'"n{n}"', "/", timeout)

    async def close(self) -> None:
        await close_client(self.client)


async def close_client(client: socketio.AsyncClient) -> None:
    """Disconnect, and close the aiohttp session under the socket even when
    connecting failed half-way (python-engineio closes it only on disconnect)."""
    with contextlib.suppress(Exception):
        await client.disconnect()
    http = getattr(client.eio, "http", None)
    if http is not None and not http.closed:
        await http.close()


async def probe(patient: Patient) -> None:
    """Send each measured handler once; stop the run, naming it, if one does not answer."""
    for label, name, answer in (("check-in save", SAVE_CHECKIN, patient.save_checkin),
                                ("no-op", NO_OP, lambda timeout: patient.no_op(0, timeout))):
        if math.isnan(await answer(timeout=PROBE_TIMEOUT)):
            raise HandlerSilent(
                f"the {label} handler {name} sent no answer this benchmark recognises "
                f"within {PROBE_TIMEOUT} s. It was renamed, refuses what the benchmark "
                "sends, or no longer echoes it: see the server log below and choose or "
                "fix the handler in benchmarks/contention.py.")


async def check_ins_once_a_second(patients: list[Patient], seconds: float) -> list[float]:
    latencies: list[float] = []

    async def one(patient: Patient, offset: float) -> None:
        await asyncio.sleep(offset)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            tick = time.monotonic()
            latencies.append(await patient.save_checkin())
            await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))

    await asyncio.gather(*(one(p, i / len(patients)) for i, p in enumerate(patients)))
    return latencies


async def sign_in_loop(http: aiohttp.ClientSession, server: Server, email: str,
                       stop: asyncio.Event, counts: dict[str, int]) -> None:
    while not stop.is_set():
        async with http.post(f"{server.url}/auth/login", json={
                "email": email, "password": PASSWORD}, headers={"Origin": server.url}) as response:
            counts["ok" if response.status == 200 else "failed"] += 1
            await response.read()


async def closed_loop(server: Server, patients: list[Patient], seconds: float,
                      kind: str) -> tuple[float, float]:
    """Events per second with every client sending its next event as soon as answered,
    and the server's CPU milliseconds per event."""
    done = 0
    deadline = time.monotonic() + seconds
    cpu_before = server.cpu_seconds()

    async def one(patient: Patient) -> None:
        nonlocal done
        n = 0
        while time.monotonic() < deadline:
            n += 1
            took = await (patient.save_checkin() if kind == "save" else patient.no_op(n))
            done += took == took  # NaN (no answer) is not counted
    started = time.monotonic()
    await asyncio.gather(*(one(patient) for patient in patients))
    if not done:
        name = SAVE_CHECKIN if kind == "save" else NO_OP
        raise HandlerSilent(f"the {kind} handler {name} answered none of the events sent in "
                            f"{seconds:g} s of saturation: the server stopped answering it.")
    rate = done / (time.monotonic() - started)
    return rate, (server.cpu_seconds() - cpu_before) * 1000 / max(done, 1)


async def saturation(server: Server, patients: list[Patient],
                     args: argparse.Namespace) -> None:
    clients = patients[:args.saturation_clients]
    print(f"\n3. saturation: {len(clients)} clients, events back to back, "
          f"{args.seconds:g} s each")
    no_ops, no_op_cpu = await closed_loop(server, clients, args.seconds, "no-op")
    saves, save_cpu = await closed_loop(server, clients, args.seconds, "save")
    print(f"  no-op events/s   {no_ops:8.1f}   server CPU {no_op_cpu:5.2f} ms each")
    print(f"  check-in saves/s {saves:8.1f}   server CPU {save_cpu:5.2f} ms each")
    print(f"  saves / no-ops = {ratio(saves, no_ops)}  (was 0.08-0.10; aim 0.4)")
    print(f"  server CPU per no-op / per save = {ratio(no_op_cpu, save_cpu)}")


def report_latencies(label: str, values: list[float]) -> float:
    answered = [value * 1000 for value in values if value == value]
    if not answered:
        raise HandlerSilent(f"the check-in handler {SAVE_CHECKIN} answered none of the "
                            f"{len(values)} saves of the {label} phase.")
    p95 = percentile(answered, 0.95)
    print(f"  {label:<22} n={len(answered):>5}  p50 {statistics.median(answered):7.1f} ms"
          f"  p95 {p95:7.1f} ms  unanswered {len(values) - len(answered)}")
    return p95


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        server = Server(args.port, Path(folder))
        patients: list[Patient] = []
        try:
            async with aiohttp.ClientSession() as http:
                print(f"server up; signing up {args.patients} patients and {args.signers} "
                      "sign-in accounts ...")
                accounts = [await sign_up(http, server.url, f"p{n}") for n in range(args.patients)]
                signers = [await sign_up(http, server.url, f"s{n}") for n in range(args.signers)]
                patients = [Patient(server, token) for _, token in accounts]
                await asyncio.gather(*(patient.connect() for patient in patients))
                await probe(patients[0])
                for patient in patients:  # the first event also loads the page's state
                    await patient.save_checkin()

                if args.saturation_only:
                    await saturation(server, patients, args)
                    return
                print(f"\n1-2. {args.patients} patients save a check-in once a second, "
                      f"{args.seconds:g} s each phase")
                quiet = await check_ins_once_a_second(patients, args.seconds)
                stop, counts = asyncio.Event(), {"ok": 0, "failed": 0}
                storm = [asyncio.create_task(sign_in_loop(http, server, email, stop, counts))
                         for email, _ in signers]
                await asyncio.sleep(1)
                stormy = await check_ins_once_a_second(patients, args.seconds)
                stop.set()
                await asyncio.gather(*storm)
                quiet_p95 = report_latencies("quiet", quiet)
                storm_p95 = report_latencies(f"with {args.signers} sign-in loops", stormy)
                print(f"  sign-ins during the storm: {counts['ok']} ok "
                      f"({counts['ok'] / (args.seconds + 1):.1f}/s), {counts['failed']} failed")
                locked = server.log().count("database is locked")
                print(f"  check-in p95 storm / quiet = {ratio(storm_p95, quiet_p95)}  "
                      "(target <= 2)")
                print(f"  'database is locked': {locked}  (target 0)")

                await saturation(server, patients, args)
                errors = sum(patient.errors for patient in patients)
                print(f"\nunanswered events in all phases: {errors}")
        except HandlerSilent as silent:
            raise HandlerSilent(f"{silent}\nThe server log ends:\n{server.log()[-2000:]}") \
                from None
        finally:
            await asyncio.gather(*(patient.close() for patient in patients))
            server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--patients", type=int, default=50)
    parser.add_argument("--signers", type=int, default=10)
    parser.add_argument("--saturation-clients", type=int, default=20)
    parser.add_argument("--port", type=int, default=3171)
    parser.add_argument("--saturation-only", action="store_true",
                        help="only step 3 (e.g. to profile the server meanwhile)")
    try:
        asyncio.run(main(parser.parse_args()))
    except HandlerSilent as silent:
        sys.exit(f"contention.py stopped: {silent}")
