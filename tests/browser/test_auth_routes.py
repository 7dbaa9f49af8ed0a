"""The /auth routes over plain HTTP: CSRF defences, cookie flags, kind errors, clean logs."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request

import pytest

from tests.browser.conftest import BASE_URL, PORT, STRONG_PASSWORD, unique_email

pytestmark = pytest.mark.asyncio(loop_scope="session")


def post(path: str, body: object, *, origin: str | None = BASE_URL,
         content_type: str = "application/json", cookie: str = "") -> tuple[int, dict, dict]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8", "surrogatepass")
    headers = {"Content-Type": content_type}
    if origin:
        headers["Origin"] = origin
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(f"{BASE_URL}{path}", data=data, method="POST",
                                     headers=headers)
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310 (local test server)
            return response.status, dict(response.headers), json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"{}")


def sign_up_body(**overrides: object) -> dict:
    body = {"display_name": "Robin", "email": unique_email(), "password": STRONG_PASSWORD,
            "role": "patient", "time_zone": "America/Denver"}
    body.update(overrides)
    return body


def cookie_attributes(set_cookie: str) -> tuple[str, str, dict[str, str]]:
    """Name, value and attributes (lower-cased names) of one Set-Cookie header."""
    pair, *attributes = [part.strip() for part in set_cookie.split(";")]
    name, value = pair.split("=", 1)
    parsed = {}
    for attribute in attributes:
        key, _, attribute_value = attribute.partition("=")
        parsed[key.lower()] = attribute_value
    return name, value, parsed


async def test_the_session_cookie_is_host_only_httponly_secure_and_strict(
        app_server: str) -> None:
    status, headers, body = post("/auth/signup", sign_up_body())
    assert status == 200 and body == {"next": "/today/"}
    name, token, attributes = cookie_attributes(headers["set-cookie"])
    # __Host-: browsers keep it only with Secure, Path=/ and no Domain.
    assert name == "__Host-sp_session"
    assert attributes["path"] == "/" and "secure" in attributes and "domain" not in attributes
    assert "httponly" in attributes and attributes["samesite"].lower() == "strict"
    assert len(token) >= 43 and token not in json.dumps(body)

    status, headers, _ = post("/auth/logout", {}, cookie=f"{name}={token}")
    name, value, attributes = cookie_attributes(headers["set-cookie"])
    # The deletion must carry the same prefix rules, or the browser ignores it.
    assert name == "__Host-sp_session" and value in ("", '""')
    assert attributes["path"] == "/" and "secure" in attributes and "domain" not in attributes
    assert attributes["max-age"] == "0"


async def test_a_malformed_cookie_beside_the_session_is_ignored(app_server: str) -> None:
    body = sign_up_body()
    _, headers, _ = post("/auth/signup", body)
    session = headers["set-cookie"].split(";")[0]
    status, _, answer = post("/auth/password", {}, cookie=f'no-equals-sign; {session}; a="b')
    assert status == 400 and "current_password" in answer["errors"]  # signed in, form empty


@pytest.mark.parametrize(("origin", "content_type", "raw", "status"), [
    ("https://evil.example", "application/json", None, 403),
    (None, "application/json", None, 403),
    (BASE_URL, "application/x-www-form-urlencoded", b"email=a%40b.co&password=x", 415),
    (BASE_URL, "text/plain", None, 415),
    (BASE_URL, "application/json", b"[1, 2]", 400),
    (BASE_URL, "application/json", b"{not json", 400),
    (BASE_URL, "application/json", b'{"display_name": "' + b"x" * 20_000 + b'"}', 413),
])
async def test_requests_that_are_not_from_our_forms_are_refused(
        app_server: str, origin: str | None, content_type: str, raw: bytes | None,
        status: int) -> None:
    body = raw if raw is not None else sign_up_body()
    code, headers, answer = post("/auth/signup", body, origin=origin, content_type=content_type)
    assert code == status
    assert "set-cookie" not in {key.lower() for key in headers}
    assert set(answer) == {"errors"} and answer["errors"]["form"]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("time_zone", "Mars/Olympus_Mons", "don't recognise that time zone"),
    ("time_zone", 42, "as text"),
    ("display_name", None, "Please enter your name"),
    ("display_name", "<img src=x onerror=alert(1)>" * 10, "too long"),
    ("email", ["a@b.co"], "as text"),
    ("password", "nul \x00 inside a long passphrase", "character we can't use"),
    ("password", "lone \ud83d surrogate inside a passphrase", "character we can't use"),
    ("role", "admin", "patient or a therapist"),
])
async def test_bad_sign_up_fields_get_a_message_and_nothing_is_saved(
        app_server: str, field: str, value: object, message: str) -> None:
    body = sign_up_body(**{field: value})
    status, _, answer = post("/auth/signup", body)
    assert status == 400 and message in answer["errors"][field]
    # Nothing was saved: the same email can still sign up.
    body[field] = sign_up_body()[field]
    assert post("/auth/signup", body)[0] == 200


async def test_sign_in_returns_only_to_a_page_of_ours(app_server: str) -> None:
    body = sign_up_body()
    post("/auth/signup", body)
    for unsafe in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"):
        status, _, answer = post("/auth/login", {"email": body["email"],
                                                 "password": STRONG_PASSWORD, "next": unsafe})
        assert status == 200 and answer["next"] == "/today/"
    status, _, answer = post("/auth/login", {"email": body["email"], "password": STRONG_PASSWORD,
                                             "next": "/journal/"})
    assert answer["next"] == "/journal/"


def raw_post(headers: str, body_parts: list[bytes]) -> bytes:
    """POST /auth/signup over a bare socket and return the answer's head.

    The body is sent as given and never finished: a server that waits for the
    whole body before answering times out here.
    """
    head = (f"POST /auth/signup HTTP/1.1\r\nHost: localhost:{PORT}\r\nOrigin: {BASE_URL}\r\n"
            f"Content-Type: application/json\r\n{headers}\r\n").encode()
    with socket.create_connection(("localhost", PORT), timeout=10) as connection:
        connection.sendall(head)
        for part in body_parts:
            connection.sendall(part)
        answer = b""
        while b"\r\n\r\n" not in answer:
            received = connection.recv(4096)
            if not received:
                break
            answer += received
    return answer


def chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


async def test_a_declared_length_over_the_cap_is_refused_before_the_body(app_server: str) -> None:
    answer = raw_post("Content-Length: 10000000\r\n", [b'{"display_name": "'])
    assert answer.startswith(b"HTTP/1.1 413")


async def test_a_chunked_body_over_the_cap_is_refused_without_reading_it_all(
        app_server: str) -> None:
    # 24 KB sent of a body that never ends.
    answer = raw_post("Transfer-Encoding: chunked\r\n", [chunk(b" " * 8192)] * 3)
    assert answer.startswith(b"HTTP/1.1 413")


async def test_a_chunked_body_under_the_cap_is_read(app_server: str) -> None:
    body = json.dumps(sign_up_body()).encode()
    answer = raw_post("Transfer-Encoding: chunked\r\n",
                      [chunk(body[:20]), chunk(body[20:]), b"0\r\n\r\n"])
    assert answer.startswith(b"HTTP/1.1 200")


async def test_signing_in_again_ends_the_session_the_cookie_held(app_server: str) -> None:
    body = sign_up_body()
    _, headers, _ = post("/auth/signup", body)
    old_cookie = headers["set-cookie"].split(";")[0]
    status, headers, _ = post("/auth/login", {"email": body["email"],
                                              "password": STRONG_PASSWORD}, cookie=old_cookie)
    new_cookie = headers["set-cookie"].split(";")[0]
    assert status == 200 and new_cookie != old_cookie
    # The replaced token no longer opens anything; the new one does.
    status, _, answer = post("/auth/password", {}, cookie=old_cookie)
    assert status == 401 and answer["next"] == "/signin/"
    assert post("/auth/password", {}, cookie=new_cookie)[0] == 400
