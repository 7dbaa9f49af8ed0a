"""Web Push from the app's own server (RFC 8030 delivery, RFC 8291 encryption,
RFC 8292 VAPID), the "push" channel of `core.notify`.

- The VAPID key pair: `SKILLS_VAPID_PRIVATE_KEY` (the raw 32-byte P-256 private
  key, base64url, as `vapid --gen` or web-push's `generate-vapid-keys` print it)
  when set; else made on first start and kept in the `deployment_key` table, with
  the deployment's data and never in the repository. Several workers starting
  together each try `INSERT ... ON CONFLICT DO NOTHING` and then read the row
  back, so they all sign with the one key that won. Changing the key makes every
  phone's subscription useless (the push service checks the key it was made with).
- `SKILLS_PUSH_CONTACT`: the `sub` claim the push services may write to (a
  `mailto:` or `https:` URL). Default: the first https origin of
  `SKILLS_ALLOWED_ORIGINS`, else `mailto:skills-practice@localhost`, which
  Apple's service refuses: set it in production.
- Subscriptions (`save_subscription`): only https endpoints of the real push
  services (`PUSH_SERVICE_HOSTS`); `SKILLS_PUSH_ALLOW_LOCAL=1` also allows
  http://127.0.0.1 (tests only). One row per device, tied to the caller's
  signed-in browser (`auth_session`), so signing out there removes it.
- `send(notice)`: encrypts the content-free payload (title, body, url, tag,
  delivery id) and posts it to each of the patient's devices with a short
  timeout. 404/410: that device is gone and its row deleted; timeout, 5xx and
  429: RETRY (the scheduler backs off); no device: NOWHERE. Blocking, run by the
  scheduler in a worker thread.

Endpoints are capability URLs: they never reach a log (the row's id does).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
import re
import threading
from dataclasses import dataclass
from functools import cache
from time import monotonic
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid
from pywebpush import WebPushException, webpush
from sqlalchemy import delete, func, select, update

from skills_app.core import db, deployment_keys, notify
from skills_app.core.clock import utcnow
from skills_app.core.models import PushSubscription
from skills_app.core.problems import Problem
from skills_app.core.settings import allowed_origins
from skills_app.text import _
from skills_app.text import language as speaking

logger = logging.getLogger("skills_app.push")

VAPID_KEY_NAME = "vapid_private_key"
# Hosts of the browsers' push services (Chrome/Android/Edge on Android: FCM;
# Firefox: Mozilla autopush; Edge on Windows: WNS; Safari and iOS: Apple).
PUSH_SERVICE_HOSTS = ("fcm.googleapis.com", "updates.push.services.mozilla.com",
                      "web.push.apple.com")
PUSH_SERVICE_SUFFIXES = (".notify.windows.com",)
ENDPOINT_MAX = 1024  # push_subscription.endpoint
P256DH_MAX = 128
AUTH_MAX = 64
P256DH_BYTES = 65  # an uncompressed P-256 point
AUTH_BYTES = 16
# A phone, a tablet, a laptop, with room for a reinstall or two: past this the
# oldest device is dropped, so an endless loop of subscriptions stays small.
DEVICES_PER_PATIENT = 10
# (connect, read) seconds for one device. With DEVICES_PER_PATIENT devices, one
# notice takes at most a couple of minutes, in the scheduler's thread.
POST_TIMEOUT = (3.05, 7)
# All of a patient's devices together, under the scheduler's 20 s for one reminder
# (reminders.SEND_TIMEOUT_SECONDS): a device whose full wait would not fit is left
# for the next try.
SEND_BUDGET_SECONDS = 15.0
# A reminder that the phone could not take within an hour (switched off, no
# signal) is no use later: the push service drops it then.
TTL_SECONDS = 3600

SUBSCRIPTION_SHAPE = Problem("push_subscription_shape")
NOT_A_PUSH_SERVICE = Problem("push_not_a_push_service")
SUBSCRIPTION_TAKEN = Problem("push_subscription_taken")

GONE = frozenset({404, 410})


# --- the deployment's VAPID key ------------------------------------------------------

def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(value: str) -> bytes:
    """Strict base64url (padding optional); ValueError on anything else."""
    if not re.fullmatch(r"[A-Za-z0-9_-]*={0,2}", value):
        raise ValueError(value)
    stripped = value.rstrip("=")
    try:
        return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))
    except binascii.Error as error:
        raise ValueError(value) from error


def new_private_key() -> str:
    """A fresh VAPID private key: the raw 32-byte scalar, base64url."""
    key = ec.generate_private_key(ec.SECP256R1())
    return _b64url(key.private_numbers().private_value.to_bytes(32, "big"))


def stored_private_key() -> str:
    """The deployment's key from `deployment_key`, made there on first call."""
    return deployment_keys.get_or_make(VAPID_KEY_NAME, new_private_key)


@dataclass(frozen=True)
class VapidKeys:
    signer: Vapid
    public_key: str  # base64url uncompressed point: the page's applicationServerKey


def _keys_from(private_raw: str) -> VapidKeys:
    try:
        raw = _b64url_decode(private_raw.strip())
        if len(raw) != 32:
            raise ValueError("not 32 bytes")
        signer = Vapid.from_raw(_b64url(raw).encode())
    except ValueError:
        # `from None`: the cause would quote the key itself.
        raise ValueError("SKILLS_VAPID_PRIVATE_KEY must be a raw P-256 private key "
                         "(32 bytes, base64url)") from None
    point = signer.public_key.public_bytes(serialization.Encoding.X962,
                                           serialization.PublicFormat.UncompressedPoint)
    return VapidKeys(signer=signer, public_key=_b64url(point))


@cache
def vapid_keys() -> VapidKeys:
    """This deployment's VAPID keys (the environment's, else the stored ones)."""
    configured = os.environ.get("SKILLS_VAPID_PRIVATE_KEY", "").strip()
    return _keys_from(configured or stored_private_key())


def public_key() -> str:
    return vapid_keys().public_key


def contact() -> str:
    """The VAPID `sub` claim (see the module's docstring)."""
    configured = os.environ.get("SKILLS_PUSH_CONTACT", "").strip()
    if re.match(r"^(mailto:[^@\s]+@[^@\s]+|https://\S+)$", configured):
        return configured
    if configured:
        # Never stop a reminder over it: the default goes out, and the log says why.
        logger.warning("SKILLS_PUSH_CONTACT must be a mailto: or https: URL; using the default")
    https = [origin for origin in allowed_origins() if origin.startswith("https://")]
    return https[0] if https else "mailto:skills-practice@localhost"


# --- subscriptions ---------------------------------------------------------------------

def local_push_allowed() -> bool:
    return os.environ.get("SKILLS_PUSH_ALLOW_LOCAL", "") == "1"


def is_push_service(endpoint: str) -> bool:
    """An https URL of a browser's push service (or, in tests, of 127.0.0.1)."""
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if parts.username or parts.password or not parts.path.startswith("/"):
        return False
    if local_push_allowed() and parts.scheme == "http" and host == "127.0.0.1":
        return True
    if parts.scheme != "https" or port not in (None, 443):
        return False
    return host in PUSH_SERVICE_HOSTS or host.endswith(PUSH_SERVICE_SUFFIXES)


@dataclass(frozen=True)
class Subscription:
    endpoint: str
    p256dh: str
    auth: str


def _key_of(keys: dict, name: str, limit: int, size: int) -> str | None:
    value = keys.get(name)
    if not isinstance(value, str) or not 0 < len(value) <= limit:
        return None
    try:
        raw = _b64url_decode(value)
    except ValueError:
        return None
    return _b64url(raw) if len(raw) == size else None


def parse_subscription(raw: object) -> tuple[Subscription | None, Problem | None]:
    """A browser's `PushSubscription.toJSON()` checked: its endpoint a push service's,
    `p256dh` a P-256 point and `auth` 16 bytes (both base64url)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("keys"), dict):
        return None, SUBSCRIPTION_SHAPE
    endpoint = raw.get("endpoint")
    if not isinstance(endpoint, str) or not 0 < len(endpoint) <= ENDPOINT_MAX:
        return None, SUBSCRIPTION_SHAPE
    if not is_push_service(endpoint):
        return None, NOT_A_PUSH_SERVICE
    p256dh = _key_of(raw["keys"], "p256dh", P256DH_MAX, P256DH_BYTES)
    auth = _key_of(raw["keys"], "auth", AUTH_MAX, AUTH_BYTES)
    if p256dh is None or auth is None:
        return None, SUBSCRIPTION_SHAPE
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _b64url_decode(p256dh))
    except ValueError:
        return None, SUBSCRIPTION_SHAPE  # 65 bytes, but not a point on the curve
    return Subscription(endpoint, p256dh, auth), None


def save_subscription(user_id: int, session_id: int, raw: object) -> Problem | None:
    """Keep this device's subscription for the caller, tied to their signed-in
    browser; None when saved. An endpoint kept for someone else is refused: the
    page always asks the browser for a fresh subscription, so that one is forged
    or left over from another person on a shared phone."""
    subscription, problem = parse_subscription(raw)
    if subscription is None:
        return problem
    with db.transaction() as session:
        existing = session.execute(select(PushSubscription).where(
            PushSubscription.endpoint == subscription.endpoint)).scalar_one_or_none()
        if existing is not None and existing.user_id != user_id:
            return SUBSCRIPTION_TAKEN
        row = existing or PushSubscription(user_id=user_id, endpoint=subscription.endpoint,
                                           p256dh="", auth="")
        row.p256dh, row.auth, row.auth_session_id = (subscription.p256dh, subscription.auth,
                                                     session_id)
        session.add(row)
        session.flush()
        beyond_cap = session.execute(
            select(PushSubscription.id).where(PushSubscription.user_id == user_id)
            .order_by(PushSubscription.created_at.desc(), PushSubscription.id.desc())
            .offset(DEVICES_PER_PATIENT)).scalars().all()
        if beyond_cap:
            session.execute(delete(PushSubscription).where(
                PushSubscription.id.in_(beyond_cap)))
    return None


def remove_subscription(user_id: int, endpoint: object) -> bool:
    """"Turn off" on this device: only the caller's own row goes."""
    if not isinstance(endpoint, str) or len(endpoint) > ENDPOINT_MAX:
        return False
    with db.transaction() as session:
        return bool(session.execute(delete(PushSubscription).where(
            PushSubscription.user_id == user_id,
            PushSubscription.endpoint == endpoint)).rowcount)


def is_subscribed(user_id: int, endpoint: object) -> bool:
    """Whether this device's endpoint is kept for the caller (the page's on/off)."""
    if not isinstance(endpoint, str) or len(endpoint) > ENDPOINT_MAX:
        return False
    with db.read() as session:
        return session.execute(select(func.count()).select_from(PushSubscription).where(
            PushSubscription.user_id == user_id,
            PushSubscription.endpoint == endpoint)).scalar_one() > 0


def devices(user_id: int) -> list[PushSubscription]:
    """The patient's devices, the ones that last took a reminder first."""
    with db.read() as session:
        return list(session.execute(select(PushSubscription).where(
            PushSubscription.user_id == user_id).order_by(
            PushSubscription.last_sent_at.desc().nulls_last(), PushSubscription.id)).scalars())


# --- sending ---------------------------------------------------------------------------

def payload(notice: notify.Notice) -> str:
    """What the phone's service worker receives: the words to show and where a tap
    goes. Nothing else: the reminder's kind never leaves the server."""
    with speaking(notice.language):
        title, body = _(notice.title), _(notice.body)
    return json.dumps({"title": title, "body": body, "url": notice.url, "tag": notice.tag,
                       "delivery": notice.delivery_id}, ensure_ascii=False,
                      separators=(",", ":"))


def topic(tag: str) -> str:
    """RFC 8030 Topic (at most 32 base64url characters): a resend of the same
    reminder replaces one the push service still holds."""
    return _b64url(hashlib.sha256(tag.encode()).digest())[:32]


class _Outcome:
    SENT, RETRY, GONE, REFUSED = "sent", "retry", "gone", "refused"


_connections = threading.local()


def _http() -> requests.Session:
    """This thread's connections: the next reminder to the same push service (most go
    to FCM) reuses one instead of a new TLS handshake."""
    if not hasattr(_connections, "session"):
        _connections.session = requests.Session()
    return _connections.session


def _post(device: PushSubscription, data: str, headers: dict[str, str]) -> str:
    keys = vapid_keys()
    try:
        webpush({"endpoint": device.endpoint,
                 "keys": {"p256dh": device.p256dh, "auth": device.auth}},
                data=data, vapid_private_key=keys.signer,
                vapid_claims={"sub": contact()}, timeout=POST_TIMEOUT, ttl=TTL_SECONDS,
                headers=headers, requests_session=_http())
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        logger.info("push to device %s answered %s", device.id, status)
        if status in GONE:
            return _Outcome.GONE
        if status is None or status == 429 or status >= 500:
            return _Outcome.RETRY
        return _Outcome.REFUSED
    except requests.RequestException as error:
        logger.info("push to device %s failed: %s", device.id, type(error).__name__)
        return _Outcome.RETRY
    return _Outcome.SENT


def send(notice: notify.Notice) -> notify.SendResult:
    """Post the notice to every device of the patient (blocking; see the module)."""
    targets = devices(notice.user_id)
    if not targets:
        return notify.SendResult.NOWHERE
    data = payload(notice)
    headers = {"Topic": topic(notice.tag), "Urgency": "normal"}
    deadline = monotonic() + SEND_BUDGET_SECONDS
    outcomes = {}
    for device in targets:
        fits = monotonic() + sum(POST_TIMEOUT) <= deadline
        outcomes[device.id] = _post(device, data, headers) if fits else _Outcome.RETRY
    gone = [device_id for device_id, outcome in outcomes.items() if outcome == _Outcome.GONE]
    sent = [device_id for device_id, outcome in outcomes.items() if outcome == _Outcome.SENT]
    if gone or sent:
        with db.transaction() as session:
            if gone:
                session.execute(delete(PushSubscription).where(PushSubscription.id.in_(gone)))
            if sent:
                session.execute(update(PushSubscription).where(PushSubscription.id.in_(sent))
                                .values(last_sent_at=utcnow()))
    if sent:
        return notify.SendResult.SENT
    if _Outcome.RETRY in outcomes.values():
        return notify.SendResult.RETRY
    return notify.SendResult.NOWHERE


notify.register("push", send)
