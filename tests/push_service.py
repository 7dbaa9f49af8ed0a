"""A push service on 127.0.0.1 for the tests, in place of FCM / autopush / WNS / Apple.

It takes what a real one takes (RFC 8030 POST) and checks what a real one
checks: the VAPID header (RFC 8292: an ES256 JWT in `Authorization: vapid
t=...,k=...`, signed by the key `k`, `aud` the endpoint's origin, `exp` in the
future and at most 24 hours away, a `sub`), then decrypts the body as the
phone would (RFC 8291 aes128gcm, with the test subscriber's private key and
auth secret). The first segment of an endpoint's path says how it answers:
`ok` 201, `gone404` 404, `gone410` 410, `error500` 500, `busy429` 429, `slow`
201 after `slow_seconds`.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

ANSWERS = {"ok": 201, "gone404": 404, "gone410": 410, "error500": 500, "busy429": 429,
           "slow": 201}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Subscriber:
    """A phone's side of a subscription: its ECDH key pair and auth secret."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    def subscription(self) -> dict:
        """As the browser's `PushSubscription.toJSON()` gives it."""
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": self.endpoint, "expirationTime": None,
                "keys": {"p256dh": b64url(point), "auth": b64url(self.auth_secret)}}


@dataclass
class Received:
    path: str
    headers: dict[str, str]  # names in lower case
    claims: dict
    vapid_public_key: str
    payload: dict | None  # decrypted, when the endpoint belongs to a known subscriber
    answered: int


class VapidRefused(Exception):
    pass


def check_vapid(authorization: str, endpoint_origin: str) -> tuple[dict, str]:
    """The JWT's claims and the signer's public key, or VapidRefused (RFC 8292)."""
    scheme, _, params = authorization.partition(" ")
    if scheme.lower() != "vapid":
        raise VapidRefused(f"scheme {scheme!r}")
    parts = dict(part.strip().split("=", 1) for part in params.split(","))
    token, key = parts["t"], parts["k"]
    header_b64, claims_b64, signature_b64 = token.split(".")
    header = json.loads(unb64url(header_b64))
    if header.get("alg") != "ES256":
        raise VapidRefused(f"alg {header.get('alg')!r}")
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
    signature = unb64url(signature_b64)
    if len(signature) != 64:
        raise VapidRefused("signature is not r||s")
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"),
                               int.from_bytes(signature[32:], "big"))
    try:
        public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise VapidRefused("bad signature") from None
    claims = json.loads(unb64url(claims_b64))
    now = time.time()
    if claims.get("aud") != endpoint_origin:
        raise VapidRefused(f"aud {claims.get('aud')!r}")
    if not now < claims.get("exp", 0) <= now + 24 * 3600:
        raise VapidRefused("exp")
    if not claims.get("sub"):
        raise VapidRefused("sub")
    return claims, key


class LocalPushService:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.arrived = 0  # POSTs begun (a slow one is in `received` only once answered)
        self.refused: list[str] = []
        self.subscribers: dict[str, Subscriber] = {}
        self.slow_seconds = 2.0
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                service._take(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def subscriber(self, answer: str = "ok") -> Subscriber:
        found = Subscriber(f"{self.origin}/{answer}/{uuid.uuid4().hex}")
        self.subscribers[found.endpoint] = found
        return found

    def _take(self, request: BaseHTTPRequestHandler) -> None:
        self.arrived += 1
        body = request.rfile.read(int(request.headers.get("Content-Length", "0")))
        answer = ANSWERS.get(request.path.split("/")[1], 404)
        endpoint = self.origin + request.path
        try:
            claims, key = check_vapid(request.headers.get("Authorization", ""), self.origin)
        except (VapidRefused, KeyError, ValueError) as error:
            self.refused.append(str(error))
            request.send_response(401)
            request.end_headers()
            return
        subscriber = self.subscribers.get(endpoint)
        payload = None
        if subscriber is not None and body:
            assert request.headers.get("Content-Encoding") == "aes128gcm"
            payload = json.loads(http_ece.decrypt(body, private_key=subscriber.private_key,
                                                  auth_secret=subscriber.auth_secret,
                                                  version="aes128gcm"))
        if request.path.startswith("/slow/"):
            time.sleep(self.slow_seconds)
        headers = {name.lower(): value for name, value in request.headers.items()}
        self.received.append(Received(request.path, headers, claims, key, payload, answer))
        try:
            request.send_response(answer)
            request.send_header("Content-Length", "0")
            request.end_headers()
        except OSError:
            pass  # the sender gave up waiting (the slow answer)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def push_service(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalPushService]:
    """The local push service, with the app allowed to use it and a fresh VAPID key."""
    from skills_app.core import push

    monkeypatch.setenv("SKILLS_PUSH_ALLOW_LOCAL", "1")
    monkeypatch.delenv("SKILLS_VAPID_PRIVATE_KEY", raising=False)
    push.vapid_keys.cache_clear()
    service = LocalPushService()
    try:
        yield service
    finally:
        service.close()
        push.vapid_keys.cache_clear()
