"""Reminders on this phone, in Chromium: the control, the service worker's push and
notificationclick handlers, and sign-out.

Headless Chromium cannot reach a real push service (FCM), and there is no network
here anyway, so `PushManager.prototype.subscribe` / `getSubscription` are replaced
by an init script: they hand back a subscription whose endpoint is the local push
service of tests/push_service.py and whose keys belong to a `Subscriber` this test
holds. Everything else is real: the permission (granted by Playwright only for the
test that taps "Turn on"), the page's script, the /push routes, the server's row,
core/push.py encrypting and signing for the local push service, which checks the
VAPID signature and decrypts the message with the subscriber's keys. That
decrypted message is then handed to the service worker's push handler with the
DevTools protocol (ServiceWorker.deliverPushMessage), as the phone's push service
would, and the notification it shows is read with registration.getNotifications().
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
from playwright.async_api import Browser, BrowserContext, CDPSession, Page, Worker, expect
from sqlmodel import select

from skills_app.core import db, notify, push, reminders
from skills_app.core.clock import utcnow
from skills_app.core.models import (
    DeliveryStatus,
    PushSubscription,
    ReminderDelivery,
    ReminderKind,
    User,
)
from tests.browser.conftest import APP_DB_URL, BASE_URL, new_phone_context, sign_up
from tests.browser.test_accessibility import SMALL_TARGETS, axe_violations
from tests.push_service import LocalPushService, Subscriber

pytestmark = pytest.mark.asyncio(loop_scope="session")
SHOTS = "/work/brief/shots"

# The browser's push subscription, replaced (see the module's docstring). It lives in
# localStorage so a reload finds it, as the browser's own would.
STUB_PUSH = """
(() => {
  const given = %s;
  const KEY = "__test_push_subscription";
  window.__pushCalls = { subscribe: 0, permission: 0, keys: [] };
  const asked = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = function () {
    window.__pushCalls.permission += 1;
    return asked();
  };
  function made(json) {
    return {
      endpoint: json.endpoint,
      expirationTime: null,
      toJSON() { return json; },
      unsubscribe() { localStorage.removeItem(KEY); return Promise.resolve(true); },
    };
  }
  PushManager.prototype.getSubscription = function () {
    const kept = localStorage.getItem(KEY);
    return Promise.resolve(kept ? made(JSON.parse(kept)) : null);
  };
  PushManager.prototype.subscribe = function (options) {
    window.__pushCalls.subscribe += 1;
    window.__pushCalls.keys.push(btoa(String.fromCharCode(...new Uint8Array(
      options.applicationServerKey))).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, ""));
    localStorage.setItem(KEY, JSON.stringify(given));
    return Promise.resolve(made(given));
  };
})();
"""


@pytest.fixture
def service(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalPushService]:
    """The local push service, and this process using the test server's database
    (so core/push.py signs with the server's own key and sees its rows)."""
    monkeypatch.setenv("SKILLS_PUSH_ALLOW_LOCAL", "1")
    monkeypatch.setenv("REFLEX_DB_URL", APP_DB_URL[0])
    monkeypatch.delenv("SKILLS_VAPID_PRIVATE_KEY", raising=False)
    engine = db.make_engine(APP_DB_URL[0])
    db.use_engine(engine)
    push.vapid_keys.cache_clear()
    found = LocalPushService()
    try:
        yield found
    finally:
        found.close()
        push.vapid_keys.cache_clear()
        db.use_engine(None)
        engine.dispose()


def _sent_reminder(user_id: int) -> int:
    """A practice reminder the scheduler sent this patient a moment ago (its id)."""
    now = utcnow()
    with db.transaction() as session:
        delivery = ReminderDelivery(user_id=user_id, kind=ReminderKind.PRACTICE, due_at=now,
                                    status=DeliveryStatus.SENT, channel="push",
                                    next_attempt_at=now, sent_at=now)
        session.add(delivery)
        session.flush()
        return delivery.id


def _rows(email: str) -> list[PushSubscription]:
    with db.read() as session:
        user = session.execute(select(User).where(User.email == email)).scalar_one()
        return list(session.execute(select(PushSubscription).where(
            PushSubscription.user_id == user.id)).scalars())


async def _phone(browser: Browser, subscription: dict | None = None, *,
                 allow: bool = False, **options: object) -> BrowserContext:
    context = await new_phone_context(browser, timezone_id="America/Chicago", **options)
    if allow:
        await context.grant_permissions(["notifications"], origin=BASE_URL)
    if subscription is not None:
        await context.add_init_script(STUB_PUSH % json.dumps(subscription))
    return context


async def _shoot(page: Page, name: str) -> None:
    """The phone's screen with the control in the middle of it (for a person to look at)."""
    await page.locator("#push-control").evaluate(
        "(section) => section.scrollIntoView({block: 'center'})")
    await page.screenshot(path=f"{SHOTS}/{name}.png")


async def _reminders_page(page: Page) -> None:
    await page.goto("/account/reminders/")
    await page.evaluate("navigator.serviceWorker.ready")
    await page.wait_for_function("navigator.serviceWorker.controller !== null")


async def _allowed_phone_on_reminders(browser: Browser, service: LocalPushService) -> tuple[
        BrowserContext, Page, str, Subscriber]:
    """A new patient on Account, on a phone that allows notifications."""
    phone = service.subscriber("ok")
    context = await _phone(browser, phone.subscription(), allow=True)
    page = await context.new_page()
    email = await sign_up(page)
    await _reminders_page(page)
    return context, page, email, phone


async def _worker(context: BrowserContext) -> Worker:
    for _ in range(50):
        workers = [w for w in context.service_workers if w.url.endswith("/sw.js")]
        if workers:
            return workers[0]
        await asyncio.sleep(0.1)
    raise AssertionError("no service worker")


async def _registration_id(cdp: CDPSession) -> str:
    found: list[str] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: found.extend(
        r["registrationId"] for r in event["registrations"]
        if r["scopeURL"].startswith(BASE_URL) and not r["isDeleted"]))
    await cdp.send("ServiceWorker.enable")
    for _ in range(50):
        if found:
            return found[-1]
        await asyncio.sleep(0.1)
    raise AssertionError("no service worker registration")


NOTIFICATIONS = """async () => (await (await navigator.serviceWorker.ready).getNotifications())
  .map((n) => ({title: n.title, body: n.body, tag: n.tag, data: n.data,
                actions: n.actions.map((a) => a.action)}))"""

async def _shown(page: Page, count: int) -> list[dict]:
    """The notifications the worker shows, once there are `count` of them."""
    for _ in range(100):
        shown = await page.evaluate(NOTIFICATIONS)
        if len(shown) == count:
            return shown
        await asyncio.sleep(0.1)
    raise AssertionError(f"{len(shown)} notifications shown, not {count}")


# A notificationclick as the phone dispatches it when the person taps: the worker's
# own handler runs on the notification it showed. Synthetic (no real tap exists in
# headless Chromium), so the browser grants no user activation: a window the app has
# open is navigated (needs none); opening a new window is not exercised here.
CLICK = """async (action) => {
  const [notification] = await self.registration.getNotifications();
  const event = new NotificationEvent("notificationclick", {notification, action});
  let done = Promise.resolve();
  event.waitUntil = (promise) => { done = promise; };
  self.dispatchEvent(event);
  await done;
}"""


async def test_turning_on_then_a_reminder_shows_and_a_tap_opens_its_screen(
        browser: Browser, service: LocalPushService) -> None:
    context, page, email, phone = await _allowed_phone_on_reminders(browser, service)
    state = page.locator("#push-state")
    await expect(state).to_have_text("Reminders are off on this phone.")
    await expect(page.get_by_role("button", name="Turn on reminders on this phone")).to_be_visible()
    await _shoot(page, "push-account-off")

    await page.get_by_role("button", name="Turn on reminders on this phone").click()
    await expect(state).to_have_text("Reminders are on for this phone.")
    await expect(page.get_by_role("button", name="Turn off")).to_be_visible()
    await _shoot(page, "push-account-on")
    calls = await page.evaluate("window.__pushCalls")
    assert calls["permission"] == 1 and calls["subscribe"] == 1
    assert calls["keys"] == [push.public_key()]  # the page subscribed with the server's key
    (row,) = _rows(email)
    assert row.endpoint == phone.endpoint and row.auth_session_id is not None
    # A reload finds it on.
    await page.reload()
    await expect(state).to_have_text("Reminders are on for this phone.")

    # The server sends a reminder: signed, encrypted, checked and decrypted on the way.
    delivery = _sent_reminder(row.user_id)
    title, body = notify.WORDINGS["practice"]
    notice = notify.Notice(delivery_id=delivery, user_id=row.user_id, title=title, body=body,
                           url="/practice/", tag=f"reminder-{delivery}")
    assert await asyncio.to_thread(push.send, notice) is notify.SendResult.SENT
    (received,) = service.received
    assert received.payload == {"title": "Time for your practice",
                                "body": "Open Skills Practice when you have a minute.",
                                "url": "/practice/", "tag": f"reminder-{delivery}",
                                "delivery": delivery}

    # The phone's push service hands the message to the service worker.
    cdp = await context.new_cdp_session(page)
    registration = await _registration_id(cdp)
    await cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": BASE_URL, "registrationId": registration,
        "data": json.dumps(received.payload)})
    (shown,) = await _shown(page, 1)
    assert shown == {"title": "Time for your practice",
                     "body": "Open Skills Practice when you have a minute.",
                     "tag": f"reminder-{delivery}",
                     "data": {"url": "/practice/", "delivery": delivery},
                     "actions": ["snooze-30", "snooze-60"]}

    # "Remind me in 30 min": the worker asks the server (POST /reminders/snooze, with
    # the session cookie), which puts the same reminder in 30 minutes; nothing opens.
    worker = await _worker(context)
    await worker.evaluate(CLICK, "snooze-30")
    (snoozed,) = [d for d in reminders.deliveries_of(row.user_id) if d.snoozed]
    assert snoozed.kind == ReminderKind.PRACTICE and snoozed.status == DeliveryStatus.PENDING
    assert 29 <= (snoozed.due_at - utcnow()).total_seconds() / 60 <= 30
    assert page.url.endswith("/account/reminders/")

    # A tap on the notification takes the open window to the reminder's screen.
    await cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": BASE_URL, "registrationId": registration,
        "data": json.dumps(received.payload)})
    await _shown(page, 1)
    await worker.evaluate(CLICK, "")
    await page.wait_for_url("**/practice/")
    assert await page.evaluate(NOTIFICATIONS) == []
    await context.close()


async def test_turn_off_and_sign_out_stop_reminders_on_this_phone(
        browser: Browser, service: LocalPushService) -> None:
    context, page, email, phone = await _allowed_phone_on_reminders(browser, service)
    turn_on = page.get_by_role("button", name="Turn on reminders on this phone")
    await turn_on.click()
    state = page.locator("#push-state")
    await expect(state).to_have_text("Reminders are on for this phone.")
    await page.get_by_role("button", name="Turn off").click()
    await expect(state).to_have_text("Reminders are off on this phone.")
    await expect(page.locator("#push-hint")).to_contain_text("You can turn them on again")
    assert _rows(email) == []
    assert await page.evaluate("localStorage.getItem('__test_push_subscription')") is None

    await turn_on.click()
    await expect(state).to_have_text("Reminders are on for this phone.")
    assert len(_rows(email)) == 1
    await page.goto("/account/")  # where Sign out is
    await page.locator("#sign-out").click()
    await page.wait_for_url("**/signin/")
    # The server's row went with the session, and the browser unsubscribed.
    assert _rows(email) == []
    assert await page.evaluate("localStorage.getItem('__test_push_subscription')") is None
    await context.close()


async def test_nothing_is_asked_when_the_page_loads(browser: Browser,
                                                    service: LocalPushService) -> None:
    context = await _phone(browser, service.subscriber("ok").subscription())
    page = await context.new_page()
    await sign_up(page)
    await _reminders_page(page)
    await expect(page.locator("#push-state")).to_have_text("Reminders are off on this phone.")
    await page.reload()
    await expect(page.locator("#push-state")).to_have_text("Reminders are off on this phone.")
    assert await page.evaluate("window.__pushCalls") == {"subscribe": 0, "permission": 0,
                                                         "keys": []}
    assert await page.evaluate("Notification.permission") == "default"
    await context.close()


async def test_blocked_notifications_say_how_to_allow_them(browser: Browser,
                                                           service: LocalPushService) -> None:
    context = await _phone(browser, service.subscriber("ok").subscription())
    await context.add_init_script(
        "Notification.requestPermission = () => Promise.resolve('denied');")
    page = await context.new_page()
    await sign_up(page)
    await _reminders_page(page)
    await page.get_by_role("button", name="Turn on reminders on this phone").click()
    hint = page.locator("#push-hint")
    await expect(hint).to_contain_text("set it to Allow")
    await expect(page.locator("#push-state")).to_have_text("Reminders are off on this phone.")
    await context.close()


IPHONE_SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
                 "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")


async def test_an_iphone_outside_the_home_screen_app_gets_the_steps(browser: Browser) -> None:
    """Safari in a tab on iOS has no PushManager: only the Home Screen app gets Web Push."""
    context = await _phone(browser, user_agent=IPHONE_SAFARI)
    await context.add_init_script("delete window.PushManager;")
    page = await context.new_page()
    await sign_up(page)
    await page.goto("/account/reminders/")
    await expect(page.locator("#push-state")).to_have_text("Reminders are off on this phone.")
    assert await page.locator("#push-hint").is_hidden()  # said at the tap, not before
    await page.get_by_role("button", name="Turn on reminders on this phone").click()
    hint = page.locator("#push-hint")
    await expect(hint).to_contain_text(
        "On an iPhone, reminders come only from the app on your Home Screen")
    await expect(hint).to_contain_text("iOS 16.4")
    await expect(hint.locator("li")).to_have_count(4)
    await expect(hint).to_be_focused()
    await _shoot(page, "push-iphone-hint")
    assert await axe_violations(page) == []
    assert await page.evaluate(SMALL_TARGETS) == []
    await context.close()


async def test_reminders_control_in_dark_mode(browser: Browser) -> None:
    context = await _phone(browser, color_scheme="dark")
    page = await context.new_page()
    await sign_up(page)
    await page.goto("/account/reminders/")
    await expect(page.locator("#push-state")).to_have_text("Reminders are off on this phone.")
    # Measured in one step: the page may draw the control again as its settings arrive.
    await page.wait_for_function("""() => {
        const button = document.getElementById('push-turn-on');
        const box = button && !button.hidden && button.getBoundingClientRect();
        return box && box.height >= 44 && box.width >= 44;
    }""")
    await page.get_by_role("button", name="Turn on reminders on this phone").click()
    await expect(page.locator("#push-hint")).to_be_visible()  # headless: blocked
    await _shoot(page, "push-account-dark")
    assert await axe_violations(page) == []
    await context.close()

