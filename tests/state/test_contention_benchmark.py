"""benchmarks/contention.py measures handlers that still answer, and says so when one does not.

On a clean clone its no-op handler (JournalState.ask_delete, which began to
accept only ids on the screen) answered nothing recognisable: every no-op timed
out, it printed "no-op events/s 0.0" and divided by zero, and the aiohttp
sessions under the websockets were left open.
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from pathlib import Path

import aiohttp
import pytest
import socketio

from tests.state.conftest import state_for

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "contention.py"


@pytest.fixture(scope="module")
def contention():  # noqa: ANN201 - the benchmark script, loaded as a module
    spec = importlib.util.spec_from_file_location("contention_benchmark", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_the_no_op_event_answers_with_what_it_was_sent(contention) -> None:  # noqa: ANN001
    state = state_for(contention.NO_OP_STATE, None, "/")
    getattr(state, contention.NO_OP_HANDLER)("n7")
    # The benchmark waits for a frame holding '"n7"': the answer's delta has it.
    assert '"n7"' in repr(state.get_delta()).replace("'", '"')


class _SilentPatient:
    """A phone whose events all time out (the benchmark's NaN)."""

    def __init__(self, silent: str) -> None:
        self.silent = silent

    async def save_checkin(self, timeout: float = 30) -> float:
        return float("nan") if self.silent == "save" else 0.01

    async def no_op(self, n: int, timeout: float = 30) -> float:
        return float("nan") if self.silent == "no-op" else 0.01


@pytest.mark.parametrize(("silent", "named"), [("save", "save_checkin"),
                                               ("no-op", "find_exercise")])
def test_a_handler_that_no_longer_answers_stops_the_run_by_name(
        contention, silent: str, named: str) -> None:  # noqa: ANN001
    with pytest.raises(contention.HandlerSilent, match=named):
        asyncio.run(contention.probe(_SilentPatient(silent)))


def test_ratios_never_divide_by_zero(contention) -> None:  # noqa: ANN001
    assert contention.ratio(94.6, 362.3) == "0.26"
    assert contention.ratio(94.6, 0) == "n/a (nothing to divide by)"


def test_closing_a_phone_closes_the_http_session_under_its_socket(contention) -> None:  # noqa: ANN001
    async def half_connected() -> aiohttp.ClientSession:
        patient = contention.Patient(server=None, token="t",
                                     client=socketio.AsyncClient(reconnection=False))
        # What python-engineio leaves behind when a connection fails half-way.
        http = patient.client.eio.http = aiohttp.ClientSession()
        await patient.close()
        return http

    assert asyncio.run(half_connected()).closed
