/* The control that turns on reminders on this phone (skills_app/components/push.py).
 *
 * - On load: shows whether this phone gets reminders (its subscription is kept
 *   for the signed-in patient: POST /push/status). Nothing is asked on load.
 * - Turn on: only now the browser asks for permission; then a fresh push
 *   subscription (any older one of this browser is dropped first, so a shared
 *   phone never reuses someone else's) is sent to /push/subscribe.
 *   An iPhone outside the Home Screen app has no PushManager: the steps to add
 *   it are shown instead. Blocked notifications: how to allow them again.
 * - Turn off: the server forgets this phone, then the browser unsubscribes.
 * - window.skillsPush.forget(): at sign-out (assets/app.js) this browser's
 *   subscription goes too (the server's row goes with the session).
 * The words come from the page (text/words/push.py): skillsText("push.<key>").
 */
(function () {
  "use strict";
  if (window.__skillsPush) return;
  window.__skillsPush = true;

  function say(key) { return window.skillsText("push." + key); }
  function byId(id) { return document.getElementById(id); }

  function canPush() {
    return "serviceWorker" in navigator && "PushManager" in window && typeof window.Notification === "function";
  }

  function isAppleMobile() {
    var agent = navigator.userAgent || "";
    // iPadOS presents itself as a Mac with a touch screen.
    return /iPhone|iPad|iPod/.test(agent) ||
      (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
  }

  function post(path, body) { return window.skillsPostJSON(path, body); }

  function show(on) {
    var state = byId("push-state");
    if (state) state.textContent = say(on ? "on" : "off");
    var turnOn = byId("push-turn-on");
    var turnOff = byId("push-turn-off");
    if (turnOn) turnOn.hidden = on;
    if (turnOff) turnOff.hidden = !on;
  }

  function clearHint() {
    var hint = byId("push-hint");
    if (!hint) return;
    hint.textContent = "";
    hint.hidden = true;
  }

  function hint(parts) {
    var box = byId("push-hint");
    if (!box) return;
    box.textContent = "";
    parts.forEach(function (part) { box.appendChild(part); });
    box.hidden = false;
    box.focus({ preventScroll: false });
  }

  function line(words, tag) {
    var node = document.createElement(tag || "p");
    node.textContent = words;
    return node;
  }

  function iphoneSteps() {
    var steps = document.createElement("ol");
    steps.className = "push-steps";
    ["iphone_step_share", "iphone_step_add", "iphone_step_open", "iphone_step_turn_on"]
      .forEach(function (key) { steps.appendChild(line(say(key), "li")); });
    var title = line("", "p");
    title.appendChild(line(say("iphone_title"), "strong"));
    return [title, line(say("iphone_needs")), steps];
  }

  function setBusy(button, busy) {
    if (!button) return;
    if (busy) {
      button.setAttribute("aria-disabled", "true");
      button.dataset.busy = "1";
    } else {
      button.removeAttribute("aria-disabled");
      delete button.dataset.busy;
    }
  }

  function registration() { return navigator.serviceWorker.ready; }

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4))
      .replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function freshSubscription() {
    return fetch("/push/key", { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        return registration().then(function (reg) {
          return reg.pushManager.getSubscription().then(function (old) {
            return old ? old.unsubscribe() : null;
          }).then(function () {
            return reg.pushManager.subscribe({
              userVisibleOnly: true, applicationServerKey: keyBytes(answer.key),
            });
          });
        });
      });
  }

  function subscribe(button) {
    return freshSubscription().then(function (subscription) {
      return post("/push/subscribe", { subscription: subscription.toJSON() })
        .then(function (result) {
          if (result.ok) { show(true); return; }
          subscription.unsubscribe();
          if (result.status === 401 && result.data.next) {
            window.location.assign(result.data.next);
            return;
          }
          show(false);
          hint([line((result.data.errors && result.data.errors.form) || say("failed"))]);
        });
    }).catch(function () {
      show(false);
      hint([line(navigator.onLine === false ? say("offline") : say("failed"))]);
    }).then(function () { setBusy(button, false); });
  }

  function turnOn(button) {
    clearHint();
    if (!canPush()) {
      hint(isAppleMobile() ? iphoneSteps() : [line(say("unsupported"))]);
      return;
    }
    if (Notification.permission === "denied") {
      hint([line(say("denied"))]);
      return;
    }
    setBusy(button, true);
    // Asked here, in the tap itself: browsers allow the question only after a gesture.
    Promise.resolve(Notification.requestPermission()).then(function (permission) {
      if (permission !== "granted") {
        setBusy(button, false);
        hint([line(say(permission === "denied" ? "denied" : "dismissed"))]);
        return undefined;
      }
      return subscribe(button);
    }, function () {
      setBusy(button, false);
      hint([line(say("failed"))]);
    });
  }

  function turnOff(button) {
    clearHint();
    setBusy(button, true);
    registration().then(function (reg) { return reg.pushManager.getSubscription(); })
      .then(function (subscription) {
        if (!subscription) return true;
        return post("/push/unsubscribe", { endpoint: subscription.endpoint })
          .then(function (result) {
            if (!result.ok) return false;
            return subscription.unsubscribe().then(function () { return true; });
          });
      })
      .then(function (done) {
        setBusy(button, false);
        if (done) {
          show(false);
          hint([line(say("turned_off"))]);
        } else {
          hint([line(say("failed"))]);
        }
      }, function () {
        setBusy(button, false);
        hint([line(say("offline"))]);
      });
  }

  function refresh() {
    var control = byId("push-control");
    if (!control || control.dataset.pushReady) return;
    control.dataset.pushReady = "1";
    if (!canPush()) { show(false); return; }
    registration().then(function (reg) { return reg.pushManager.getSubscription(); })
      .then(function (subscription) {
        if (!subscription) { show(false); return; }
        return post("/push/status", { endpoint: subscription.endpoint }).then(function (result) {
          show(Boolean(result.ok && result.data.on));
        });
      })
      .catch(function () { show(false); });
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var button = target && target.closest("[data-push-action]");
    if (!button || button.dataset.busy) return;
    event.preventDefault();
    if (button.dataset.pushAction === "on") turnOn(button); else turnOff(button);
  });

  new MutationObserver(refresh).observe(document.documentElement,
    { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", refresh);

  window.skillsPush = {
    // At sign-out: this browser stops taking reminders for the person leaving.
    // Never holds the sign-out up for more than a second.
    forget: function () {
      if (!canPush()) return Promise.resolve();
      var gone = navigator.serviceWorker.getRegistration().then(function (reg) {
        return reg ? reg.pushManager.getSubscription() : null;
      }).then(function (subscription) {
        return subscription ? subscription.unsubscribe() : null;
      }).catch(function () { return null; });
      return Promise.race([gone, new Promise(function (resolve) { setTimeout(resolve, 1000); })]);
    },
  };
})();
