"""Web Push (core/push.py): the deployment's VAPID key, what a subscription must be,
whose it is, and sending to a push service on 127.0.0.1 that checks the VAPID
signature and decrypts the message (tests/push_service.py)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlmodel import select

from skills_app.core import auth, db, notify, personal_data, push
from skills_app.core.models import DeploymentKey, PushSubscription
from skills_app.text import _
from tests.conftest import Account
from tests.push_service import LocalPushService, Subscriber, b64url

FCM = "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91bH"


def _notice(user: Account, delivery_id: int = 7, tag: str = "reminder-7") -> notify.Notice:
    title, body = notify.WORDINGS["practice"]
    return notify.Notice(delivery_id=delivery_id, user_id=user.identity.user_id, title=title,
                         body=body, url="/practice/", tag=tag)


def _subscribe(user: Account, subscriber: Subscriber) -> None:
    assert push.save_subscription(user.identity.user_id, user.identity.session_id,
                                  subscriber.subscription()) is None


def _rows() -> list[PushSubscription]:
    with db.read() as session:
        return list(session.execute(select(PushSubscription)).scalars())


# --- the key -------------------------------------------------------------------------

def _vapid_rows() -> list[DeploymentKey]:
    with db.read() as session:
        return list(session.execute(select(DeploymentKey)).scalars())


def _two_workers_start_together() -> list[str]:
    barrier = threading.Barrier(2)
    found: list[str] = []

    def worker() -> None:
        barrier.wait()
        found.append(push.stored_private_key())

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return found


def test_the_key_is_made_once_and_every_worker_uses_it(database: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SKILLS_VAPID_PRIVATE_KEY", raising=False)
    push.vapid_keys.cache_clear()
    found = _two_workers_start_together()
    assert len(set(found)) == 1 and len(_vapid_rows()) == 1
    first = push.public_key()
    push.vapid_keys.cache_clear()  # a restart
    assert push.public_key() == first
    assert len(push.public_key()) == 87  # 65 bytes, base64url: the page's applicationServerKey
    push.vapid_keys.cache_clear()


def test_workers_on_postgresql_agree_on_one_key(postgres_database: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SKILLS_VAPID_PRIVATE_KEY", raising=False)
    monkeypatch.setenv("REFLEX_DB_URL", postgres_database)
    found = _two_workers_start_together()
    assert len(set(found)) == 1 and len(_vapid_rows()) == 1


def test_a_key_from_the_environment_is_used_and_nothing_is_stored(
        database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    configured = push.new_private_key()
    monkeypatch.setenv("SKILLS_VAPID_PRIVATE_KEY", configured)
    push.vapid_keys.cache_clear()
    try:
        assert push.vapid_keys().public_key == push._keys_from(configured).public_key
        assert _vapid_rows() == []
        monkeypatch.setenv("SKILLS_VAPID_PRIVATE_KEY", "not a key")
        push.vapid_keys.cache_clear()
        with pytest.raises(ValueError, match="SKILLS_VAPID_PRIVATE_KEY"):
            push.vapid_keys()
    finally:
        push.vapid_keys.cache_clear()


def test_the_contact_is_a_mailto_or_https_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SKILLS_PUSH_CONTACT", raising=False)
    monkeypatch.setenv("SKILLS_ALLOWED_ORIGINS", "https://skills.example.org")
    assert push.contact() == "https://skills.example.org"
    monkeypatch.setenv("SKILLS_PUSH_CONTACT", "mailto:ops@example.org")
    assert push.contact() == "mailto:ops@example.org"
    monkeypatch.setenv("SKILLS_PUSH_CONTACT", "ops at example")
    assert push.contact() == "https://skills.example.org"


# --- what a subscription must be --------------------------------------------------------

def _valid(endpoint: str = FCM) -> dict:
    return Subscriber(endpoint).subscription()


@pytest.mark.parametrize("endpoint", [
    FCM,
    "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABk",
    "https://wns2-par02p.notify.windows.com/w/?token=BQYAAAD",
    "https://web.push.apple.com/QGuQyavXutnMgDV",
])
def test_the_browsers_push_services_are_accepted(endpoint: str) -> None:
    subscription, problem = push.parse_subscription(_valid(endpoint))
    assert problem is None and subscription.endpoint == endpoint


@pytest.mark.parametrize("endpoint", [
    "https://evil.example/fcm/send/x",
    "https://fcm.googleapis.com.evil.example/fcm/send/x",
    "https://evilnotify.windows.com/w/",
    "https://me@fcm.googleapis.com/fcm/send/x",
    "https://fcm.googleapis.com:8443/fcm/send/x",
    "http://fcm.googleapis.com/fcm/send/x",
    "http://127.0.0.1:9999/ok/x",  # only with SKILLS_PUSH_ALLOW_LOCAL=1 (tests)
    "javascript:alert(1)",
    "https://fcm.googleapis.com:notaport/x",
])
def test_forged_endpoints_are_refused(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SKILLS_PUSH_ALLOW_LOCAL", raising=False)
    assert push.parse_subscription(_valid(endpoint)) == (None, push.NOT_A_PUSH_SERVICE)


def test_a_local_push_service_needs_the_test_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLS_PUSH_ALLOW_LOCAL", "1")
    assert push.parse_subscription(_valid("http://127.0.0.1:9999/ok/x"))[1] is None
    assert push.parse_subscription(_valid("http://10.0.0.1:9999/ok/x"))[1] is not None


def _with_keys(**keys: object) -> dict:
    raw = _valid()
    raw["keys"] = {**raw["keys"], **keys}
    return raw


@pytest.mark.parametrize("raw", [
    None, [], "text", {"endpoint": FCM}, {"endpoint": FCM, "keys": "x"},
    {**_valid(), "endpoint": FCM + "a" * 1024},
    {**_valid(), "endpoint": 42},
    _with_keys(p256dh=b64url(b"\x04" + b"\x01" * 63)),  # short
    _with_keys(p256dh=b64url(b"\x04" + b"\x01" * 65)),  # long
    _with_keys(p256dh=b64url(b"\x04" + b"\x00" * 64)),  # 65 bytes, not on the curve
    _with_keys(p256dh="A" * 4000),  # oversized
    _with_keys(p256dh="not base64url!"),
    _with_keys(p256dh=None),
    _with_keys(auth=b64url(b"\x01" * 15)),
    _with_keys(auth=b64url(b"\x01" * 17)),
    _with_keys(auth="A" * 500),
    _with_keys(auth=16),
])
def test_bad_subscriptions_are_refused(raw: object) -> None:
    assert push.parse_subscription(raw) == (None, push.SUBSCRIPTION_SHAPE)


# --- whose it is -------------------------------------------------------------------------

def test_a_subscription_is_kept_per_device_and_tied_to_the_session(alice: Account) -> None:
    raw = _valid()
    assert push.save_subscription(alice.identity.user_id, alice.identity.session_id, raw) is None
    # The same phone again (a reload, a new key): still one row.
    raw["keys"]["auth"] = b64url(b"\x02" * 16)
    assert push.save_subscription(alice.identity.user_id, alice.identity.session_id, raw) is None
    (row,) = _rows()
    assert (row.user_id, row.auth_session_id, row.endpoint, row.auth) == (
        alice.identity.user_id, alice.identity.session_id, FCM, raw["keys"]["auth"])
    assert push.is_subscribed(alice.identity.user_id, FCM)


def test_another_users_endpoint_is_refused(alice: Account, bob: Account) -> None:
    raw = _valid()
    assert push.save_subscription(alice.identity.user_id, alice.identity.session_id, raw) is None
    assert push.save_subscription(bob.identity.user_id, bob.identity.session_id,
                                  raw) == push.SUBSCRIPTION_TAKEN
    (row,) = _rows()
    assert row.user_id == alice.identity.user_id
    # Nor can bob see it, or turn it off.
    assert not push.is_subscribed(bob.identity.user_id, FCM)
    assert not push.remove_subscription(bob.identity.user_id, FCM)
    assert push.remove_subscription(alice.identity.user_id, FCM)
    assert _rows() == []


def test_a_patient_keeps_at_most_ten_devices(alice: Account) -> None:
    for number in range(push.DEVICES_PER_PATIENT + 2):
        assert push.save_subscription(alice.identity.user_id, alice.identity.session_id,
                                      _valid(f"{FCM}{number}")) is None
    endpoints = {row.endpoint for row in _rows()}
    assert len(endpoints) == push.DEVICES_PER_PATIENT
    assert f"{FCM}0" not in endpoints and f"{FCM}11" in endpoints


def test_signing_out_removes_that_devices_subscription(alice: Account) -> None:
    other = auth.sign_in({"email": alice.email, "password": alice.password}, address="10.0.0.2")
    push.save_subscription(alice.identity.user_id, alice.identity.session_id, _valid(FCM + "1"))
    push.save_subscription(alice.identity.user_id, other.identity.session_id, _valid(FCM + "2"))
    auth.sign_out(alice.token)
    assert [row.endpoint for row in _rows()] == [FCM + "2"]
    auth.sign_out_everywhere(alice.identity.user_id)
    assert _rows() == []


def test_deleting_the_account_removes_every_subscription(alice: Account, bob: Account) -> None:
    push.save_subscription(alice.identity.user_id, alice.identity.session_id, _valid(FCM + "1"))
    push.save_subscription(bob.identity.user_id, bob.identity.session_id, _valid(FCM + "2"))
    assert auth.delete_account(alice.identity, {"password": alice.password},
                               address="10.0.0.9", erase=personal_data.erase) == {}
    assert [row.user_id for row in _rows()] == [bob.identity.user_id]


# --- sending --------------------------------------------------------------------------------

def test_the_sender_is_registered_for_the_push_channel() -> None:
    assert notify.SENDERS["push"] is push.send


def test_a_reminder_reaches_the_phone_signed_and_encrypted(
        alice: Account, push_service: LocalPushService) -> None:
    phone = push_service.subscriber("ok")
    _subscribe(alice, phone)
    assert push.send(_notice(alice)) is notify.SendResult.SENT
    (received,) = push_service.received
    assert push_service.refused == []
    # Signed by this deployment's key, for this push service, for at most a day.
    assert received.vapid_public_key == push.public_key()
    assert received.claims["aud"] == push_service.origin
    assert received.claims["sub"] == push.contact()
    # Decrypted with the phone's own keys: the words to show and where a tap goes, only.
    assert received.payload == {"title": "Time for your practice",
                                "body": "Open Skills Practice when you have a minute.",
                                "url": "/practice/", "tag": "reminder-7", "delivery": 7}
    assert received.headers["ttl"] == str(push.TTL_SECONDS)
    assert received.headers["urgency"] == "normal"
    assert received.headers["topic"] == push.topic("reminder-7")
    assert len(received.headers["topic"]) <= 32
    (row,) = _rows()
    assert row.last_sent_at is not None


def test_a_reminder_is_in_the_patients_language(alice: Account,
                                                push_service: LocalPushService) -> None:
    phone = push_service.subscriber("ok")
    _subscribe(alice, phone)
    notice = _notice(alice)
    spanish = notify.Notice(**{**notice.__dict__, "language": "es"})
    assert push.send(spanish) is notify.SendResult.SENT
    from skills_app import text
    with text.language("es"):
        assert push_service.received[0].payload["title"] == _(notify.WORDINGS["practice"][0])
    assert push_service.received[0].payload["title"] != "Time for your practice"


def test_a_resend_of_the_same_reminder_has_the_same_topic() -> None:
    assert push.topic("reminder-7") == push.topic("reminder-7") != push.topic("reminder-8")


@pytest.mark.parametrize("answer", ["gone404", "gone410"])
def test_a_device_the_service_says_is_gone_is_forgotten(
        alice: Account, push_service: LocalPushService, answer: str) -> None:
    gone, kept = push_service.subscriber(answer), push_service.subscriber("ok")
    _subscribe(alice, gone)
    _subscribe(alice, kept)
    assert push.send(_notice(alice)) is notify.SendResult.SENT
    assert [row.endpoint for row in _rows()] == [kept.endpoint]
    # Its only device gone: nowhere to send, and nothing left to try.
    _subscribe(alice, push_service.subscriber(answer))
    push.remove_subscription(alice.identity.user_id, kept.endpoint)
    assert push.send(_notice(alice)) is notify.SendResult.NOWHERE
    assert _rows() == []


@pytest.mark.parametrize("answer", ["error500", "busy429", "slow"])
def test_a_service_in_trouble_means_try_again_later(
        alice: Account, push_service: LocalPushService, answer: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(push, "POST_TIMEOUT", (1, 0.5))
    push_service.slow_seconds = 2
    _subscribe(alice, push_service.subscriber(answer))
    started = time.monotonic()
    assert push.send(_notice(alice)) is notify.SendResult.RETRY
    assert time.monotonic() - started < 1.5  # never waits longer than its timeout
    assert len(_rows()) == 1  # kept for the next try


def test_many_slow_devices_stay_within_the_budget_for_one_reminder(
        alice: Account, push_service: LocalPushService,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(push, "POST_TIMEOUT", (1, 0.5))
    # Each device may take 1.5 s (each slow one gives up after 0.5 s): room for two.
    monkeypatch.setattr(push, "SEND_BUDGET_SECONDS", 2.2)
    push_service.slow_seconds = 2
    for _device in range(5):
        _subscribe(alice, push_service.subscriber("slow"))
    started = time.monotonic()
    assert push.send(_notice(alice)) is notify.SendResult.RETRY
    assert time.monotonic() - started < 2.2
    assert push_service.arrived <= 2  # the others wait for the next try
    assert len(_rows()) == 5


def test_the_device_that_last_took_a_reminder_goes_first(
        alice: Account, push_service: LocalPushService) -> None:
    old, recent = push_service.subscriber("ok"), push_service.subscriber("ok")
    _subscribe(alice, old)
    _subscribe(alice, recent)
    push.remove_subscription(alice.identity.user_id, old.endpoint)
    assert push.send(_notice(alice)) is notify.SendResult.SENT  # only `recent` took it
    _subscribe(alice, old)
    assert [device.endpoint for device in push.devices(alice.identity.user_id)] == [
        recent.endpoint, old.endpoint]


def test_a_service_that_does_not_answer_at_all_means_try_again(
        alice: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLS_PUSH_ALLOW_LOCAL", "1")
    service = LocalPushService()
    phone = service.subscriber("ok")
    service.close()  # nobody listens on that port now
    _subscribe(alice, phone)
    assert push.send(_notice(alice)) is notify.SendResult.RETRY


def test_no_device_means_nowhere(alice: Account) -> None:
    assert push.send(_notice(alice)) is notify.SendResult.NOWHERE


def test_a_forged_signature_is_refused_by_the_local_service(
        alice: Account, push_service: LocalPushService) -> None:
    """The local service really checks: a JWT signed by another key is refused."""
    from tests.push_service import VapidRefused, check_vapid

    keys = push.vapid_keys()
    header = keys.signer.sign({"sub": "mailto:a@example.org", "aud": push_service.origin,
                               "exp": int(time.time()) + 600})["Authorization"]
    claims, key = check_vapid(header, push_service.origin)
    assert key == keys.public_key
    other = push._keys_from(push.new_private_key()).public_key
    token = header.split("t=")[1].split(",")[0]
    with pytest.raises(VapidRefused, match="signature"):
        check_vapid(f"vapid t={token},k={other}", push_service.origin)
    with pytest.raises(VapidRefused, match="aud"):
        check_vapid(header, "http://127.0.0.1:1")
