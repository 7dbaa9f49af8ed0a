"""The /push routes in-process: only the caller's own session's subscriptions, behind
the same Origin, JSON and size checks as the auth routes."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel import select
from starlette.applications import Starlette

from skills_app import push_routes
from skills_app.core import db, push
from skills_app.core.models import PushSubscription
from skills_app.core.settings import SESSION_COOKIE, allowed_origins
from skills_app.text.problems import say
from tests.conftest import Account
from tests.push_service import Subscriber

FCM = "https://fcm.googleapis.com/fcm/send/route-test"


async def _post(path: str, body: object, token: str | None = None,
                **headers: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=Starlette(routes=push_routes.routes))
    cookies = {SESSION_COOKIE: token} if token else {}
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost",
                                 cookies=cookies) as client:
        return await client.post(path, headers={"Origin": allowed_origins()[0], **headers},
                                 json=body)


def _rows() -> list[PushSubscription]:
    with db.read() as session:
        return list(session.execute(select(PushSubscription)).scalars())


async def test_a_patient_turns_reminders_on_and_off_for_this_device(alice: Account) -> None:
    subscription = Subscriber(FCM).subscription()
    answer = await _post("/push/subscribe", {"subscription": subscription}, alice.token)
    assert answer.status_code == 200 and answer.json() == {"on": True}
    (row,) = _rows()
    assert (row.user_id, row.auth_session_id) == (alice.identity.user_id,
                                                 alice.identity.session_id)
    status = await _post("/push/status", {"endpoint": FCM}, alice.token)
    assert status.json() == {"on": True}
    off = await _post("/push/unsubscribe", {"endpoint": FCM}, alice.token)
    assert off.json() == {"on": False} and _rows() == []
    assert (await _post("/push/status", {"endpoint": FCM}, alice.token)).json() == {"on": False}


async def test_another_patients_device_cannot_be_taken_seen_or_turned_off(
        alice: Account, bob: Account) -> None:
    subscription = Subscriber(FCM).subscription()
    await _post("/push/subscribe", {"subscription": subscription}, alice.token)
    taken = await _post("/push/subscribe", {"subscription": subscription}, bob.token)
    assert taken.status_code == 409
    assert taken.json()["errors"]["form"] == say(push.SUBSCRIPTION_TAKEN)
    assert (await _post("/push/status", {"endpoint": FCM}, bob.token)).json() == {"on": False}
    await _post("/push/unsubscribe", {"endpoint": FCM}, bob.token)
    assert [row.user_id for row in _rows()] == [alice.identity.user_id]


async def test_bad_subscriptions_get_a_kind_message(alice: Account) -> None:
    forged = Subscriber("https://evil.example/push").subscription()
    answer = await _post("/push/subscribe", {"subscription": forged}, alice.token)
    assert answer.status_code == 400
    assert answer.json()["errors"]["form"] == say(push.NOT_A_PUSH_SERVICE)
    short = {**Subscriber(FCM).subscription(), "keys": {"p256dh": "AAAA", "auth": "AAAA"}}
    answer = await _post("/push/subscribe", {"subscription": short}, alice.token)
    assert answer.json()["errors"]["form"] == say(push.SUBSCRIPTION_SHAPE)
    spanish = await _post("/push/subscribe", {"subscription": short, "page_language": "es"},
                          alice.token)
    assert spanish.json()["errors"]["form"] != say(push.SUBSCRIPTION_SHAPE)
    assert _rows() == []


async def test_nobody_signed_in_and_therapists_are_refused(database: str,
                                                         carol: Account) -> None:
    subscription = {"subscription": Subscriber(FCM).subscription()}
    assert (await _post("/push/subscribe", subscription)).status_code == 401
    assert (await _post("/push/subscribe", subscription, "forged-token")).status_code == 401
    assert (await _post("/push/subscribe", subscription, carol.token)).status_code == 403
    assert _rows() == []


@pytest.mark.parametrize(("headers", "status"), [
    ({"Origin": "https://evil.example"}, 403),
    ({"Content-Type": "text/plain"}, 415),
])
async def test_the_csrf_checks_apply(alice: Account, headers: dict, status: int) -> None:
    subscription = {"subscription": Subscriber(FCM).subscription()}
    assert (await _post("/push/subscribe", subscription, alice.token,
                        **headers)).status_code == status
    assert _rows() == []


async def test_a_large_body_is_refused(alice: Account) -> None:
    body = {"subscription": Subscriber(FCM).subscription(), "padding": "x" * 5000}
    assert (await _post("/push/subscribe", body, alice.token)).status_code == 413


async def test_the_public_key_is_served(database: str,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SKILLS_VAPID_PRIVATE_KEY", raising=False)
    push.vapid_keys.cache_clear()
    transport = httpx.ASGITransport(app=Starlette(routes=push_routes.routes))
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        answer = await client.get("/push/key")
    assert answer.json() == {"key": push.public_key()}
    push.vapid_keys.cache_clear()
