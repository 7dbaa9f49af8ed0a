/* Skills Practice: page behaviour that must not wait for the websocket.
 *
 * - Auth forms (form[data-auth]) post JSON to /auth/* and the server sets an
 *   HttpOnly cookie; a full page load follows so the websocket reconnects with it.
 * - Sign-out buttons ([data-auth-action]).
 * - Show/hide password toggles, time zone detection, service worker registration.
 * Loaded once from <head>; it works by event delegation, so it also covers
 * pages rendered later by client-side navigation.
 */
(function () {
  "use strict";
  if (window.__skillsApp) return;
  window.__skillsApp = true;

  var OFFLINE = "We couldn't reach Skills Practice. Check your connection and try again. " +
    "What you typed is still here.";
  var FAILED = "Something went wrong on our side. What you typed is still here; please try again.";

  function statusFor(id) { return document.getElementById(id + "-status"); }

  function setStatus(id, message) {
    var el = statusFor(id);
    if (el) el.textContent = message || "";
  }

  function clearErrors(form) {
    form.querySelectorAll(".field-error").forEach(function (el) { el.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
    });
    setStatus(form.id, "");
  }

  function showErrors(form, errors) {
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var message = String(errors[name]);
      var slot = document.getElementById(name + "-error");
      var input = form.querySelector('[name="' + CSS.escape(name) + '"]');
      if (name === "form" || !slot) { setStatus(form.id, message); } else { slot.textContent = message; }
      if (input) {
        input.setAttribute("aria-invalid", "true");
        if (!first) first = input;
      }
    });
    if (first) first.focus();
  }

  function postJSON(path, body) {
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    });
  }

  function goTo(next) {
    // A new identity gets a new Reflex client token, so no state carries over.
    try { sessionStorage.removeItem("token"); } catch (e) { /* private mode */ }
    window.location.assign(next || "/");
  }

  function setBusy(button, busy) {
    if (!button) return;
    if (busy) {
      button.dataset.idleLabel = button.textContent;
      button.textContent = button.dataset.busyLabel || button.textContent;
      button.setAttribute("aria-disabled", "true");
    } else {
      button.textContent = button.dataset.idleLabel || button.textContent;
      button.removeAttribute("aria-disabled");
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.auth) return;
    event.preventDefault();
    if (form.dataset.busy) return; // a double tap sends once
    clearErrors(form);
    var body = {};
    new FormData(form).forEach(function (value, key) { body[key] = value; });
    if (form.dataset.auth === "login") {
      body.next = new URLSearchParams(window.location.search).get("next") || "";
    }
    var button = form.querySelector('[type="submit"]');
    form.dataset.busy = "1";
    setBusy(button, true);
    postJSON("/auth/" + form.dataset.auth, body).then(function (result) {
      if (result.ok) { goTo(result.data.next); return; }
      if (result.status === 401 && result.data.next) { goTo(result.data.next); return; }
      showErrors(form, result.data.errors || { form: FAILED });
      delete form.dataset.busy;
      setBusy(button, false);
    }, function () {
      setStatus(form.id, OFFLINE);
      delete form.dataset.busy;
      setBusy(button, false);
    });
  });

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var action = target && target.closest("[data-auth-action]");
    if (action) {
      if (action.dataset.busy) return;
      action.dataset.busy = "1";
      postJSON("/auth/" + action.dataset.authAction, {}).then(function (result) {
        goTo(result.data.next || "/signin/");
      }, function () {
        delete action.dataset.busy;
        setStatus("sign-out", OFFLINE);
      });
      return;
    }
    var reveal = target && target.closest("[data-reveal]");
    if (reveal) {
      var input = document.getElementById(reveal.dataset.reveal);
      if (!input) return;
      var show = input.type === "password";
      input.type = show ? "text" : "password";
      reveal.textContent = show ? "Hide" : "Show";
      reveal.setAttribute("aria-pressed", show ? "true" : "false");
    }
  });

  function detectTimeZone() {
    var zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { /* old */ }
    document.querySelectorAll("select[data-detect-time-zone]").forEach(function (select) {
      if (select.value || select.dataset.detected) return;
      select.dataset.detected = "1";
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === zone) { select.value = zone; return; }
      }
    });
  }

  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; detectTimeZone(); });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", detectTimeZone);

  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js").catch(function () { /* not fatal */ });
    });
  }
})();
