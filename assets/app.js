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
      // Signing out on purpose (maybe on a shared phone): leave no drafts behind.
      window.skillsDrafts.clearAll();
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

  // Messages that must be seen (the crisis prompt after a hard entry) are
  // scrolled into view and focused when they appear.
  function revealNewAlerts() {
    document.querySelectorAll("[data-reveal-on-show]:not([data-revealed])").forEach(function (el) {
      el.setAttribute("data-revealed", "true");
      el.scrollIntoView({ block: "start" });
      el.focus({ preventScroll: true });
    });
  }

  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      detectTimeZone();
      restoreDrafts();
      revealNewAlerts();
    });
  }).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["data-draft-owner"],
  });
  document.addEventListener("DOMContentLoaded", function () {
    detectTimeZone();
    restoreDrafts();
  });

  /* Drafts: a form with data-draft keeps everything typed in localStorage,
   * under skills.draft.<owner>.<name>, from the first keystroke until the server
   * confirms the save (window.skillsDrafts.confirm, called by the handler). The
   * owner is a per-user namespace from the server, so another person signing in
   * on the same phone never sees someone else's draft. */
  var DRAFT_PREFIX = "skills.draft.";
  var PENDING_OWNER = "pending";
  var SAVED_HERE = "Kept on this phone until it is saved.";
  var RESTORED = "We kept what you were writing.";
  var WAITING = "You're offline. Your entry is safe on this phone and will be saved " +
    "when you're back online.";

  function draftKey(form, owner) {
    var name = form.getAttribute("data-draft");
    return name ? DRAFT_PREFIX + (owner || PENDING_OWNER) + "." + name : null;
  }

  function newIdempotencyKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function ensureIdempotencyKey(form) {
    var input = form.querySelector('input[name="idempotency_key"]');
    if (input && !input.value) input.value = newIdempotencyKey();
    return input ? input.value : "";
  }

  function readFields(form) {
    var values = {};
    form.querySelectorAll("input, textarea, select").forEach(function (el) {
      if (!el.name || el.type === "submit" || el.type === "button") return;
      if (el.type === "checkbox") {
        values[el.name] = el.checked ? "on" : "";
      } else if (el.type === "radio") {
        if (el.checked) values[el.name] = el.value;
        else if (!(el.name in values)) values[el.name] = "";
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function writeFields(form, values) {
    form.querySelectorAll("input, textarea, select").forEach(function (el) {
      if (!el.name || !(el.name in values)) return;
      if (el.type === "checkbox") el.checked = values[el.name] === "on";
      else if (el.type === "radio") el.checked = values[el.name] === el.value;
      else el.value = values[el.name];
    });
  }

  function draftStatus(form, message) {
    var slot = form.querySelector("[data-draft-status]");
    if (slot) slot.textContent = message || "";
  }

  function readDraft(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function saveDraft(form) {
    var key = draftKey(form, form.getAttribute("data-draft-owner"));
    if (!key) return;
    ensureIdempotencyKey(form);
    try {
      localStorage.setItem(key, JSON.stringify({ values: readFields(form), at: Date.now() }));
    } catch (e) {
      draftStatus(form, "This phone's storage is full, so this draft is not kept. " +
        "Please save soon.");
    }
  }

  function restoreDrafts() {
    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      var owner = form.getAttribute("data-draft-owner");
      if (!owner) return; // the server has not said who is signed in yet
      var key = draftKey(form, owner);
      if (form.dataset.restoredKey === key) return;
      form.dataset.restoredKey = key;
      var pendingKey = draftKey(form, PENDING_OWNER);
      var pending = readDraft(pendingKey);
      if (pending) {
        // Typed before the page knew who was signed in: it belongs to this user.
        try {
          localStorage.setItem(key, JSON.stringify(pending));
          localStorage.removeItem(pendingKey);
        } catch (e) { /* keep it where it is */ }
      }
      var draft = readDraft(key);
      if (draft && draft.values) {
        writeFields(form, draft.values);
        draftStatus(form, RESTORED);
      }
    });
  }

  function formsNamed(name) {
    return Array.prototype.filter.call(document.querySelectorAll("form[data-draft]"),
      function (form) { return form.getAttribute("data-draft") === name; });
  }

  function removeDraftsNamed(name, idempotencyKey) {
    var suffix = "." + name;
    for (var i = localStorage.length - 1; i >= 0; i--) {
      var key = localStorage.key(i);
      if (!key || key.indexOf(DRAFT_PREFIX) !== 0 || key.slice(-suffix.length) !== suffix) continue;
      var draft = readDraft(key);
      var draftKeyValue = draft && draft.values && draft.values.idempotency_key;
      // A draft begun after this save (a new key) is someone's new work: keep it.
      if (!idempotencyKey || !draftKeyValue || draftKeyValue === idempotencyKey) {
        localStorage.removeItem(key);
      }
    }
  }

  window.skillsDrafts = {
    /* The server saved the entry with this idempotency key: forget its draft. */
    confirm: function (name, idempotencyKey) {
      removeDraftsNamed(name, idempotencyKey);
      formsNamed(name).forEach(function (form) {
        var input = form.querySelector('input[name="idempotency_key"]');
        if (input && (!idempotencyKey || input.value === idempotencyKey)) {
          form.reset();
          input.value = "";
          draftStatus(form, "");
        }
        delete form.dataset.pending;
      });
    },
    /* The server answered without saving (a message explains why): keep the draft. */
    notSaved: function (name) {
      formsNamed(name).forEach(function (form) {
        delete form.dataset.pending;
        draftStatus(form, "Not saved yet. What you typed is still here.");
      });
    },
    /* The patient chose to drop this device's version. */
    discard: function (name) {
      removeDraftsNamed(name, null);
      formsNamed(name).forEach(function (form) {
        form.reset();
        draftStatus(form, "");
      });
    },
    /* Sign-out on a shared phone: remove every draft kept here. */
    clearAll: function () {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var key = localStorage.key(i);
        if (key && key.indexOf(DRAFT_PREFIX) === 0) localStorage.removeItem(key);
      }
    },
  };

  function onDraftInput(event) {
    var form = event.target && event.target.form;
    if (form && form.hasAttribute("data-draft")) {
      saveDraft(form);
      draftStatus(form, SAVED_HERE);
    }
  }
  document.addEventListener("input", onDraftInput, true);
  document.addEventListener("change", onDraftInput, true);

  /* Text far over a field's limit would never reach the server (the websocket
   * drops messages over 1 MB): say so here, before sending, and keep the text. */
  function tooLong(form) {
    var found = null;
    form.querySelectorAll("[data-max-chars]").forEach(function (field) {
      var max = Number(field.getAttribute("data-max-chars"));
      var length = Array.from(field.value).length; // code points, as the server counts
      var slot = document.getElementById(field.name + "-client-error");
      if (length > max) {
        if (slot) {
          slot.textContent = "Your " + (field.getAttribute("data-label") || "text") +
            " is too long: please keep it to " + max.toLocaleString("en-US") +
            " characters (it has " + length.toLocaleString("en-US") + ").";
        }
        field.setAttribute("aria-invalid", "true");
        if (!found) found = field;
      } else if (field.getAttribute("aria-invalid") === "true") {
        field.removeAttribute("aria-invalid");
        if (slot) slot.textContent = "";
      }
    });
    return found;
  }

  // Runs before React's own submit handler reads the form: the key is in place.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-draft")) return;
    saveDraft(form);
    var invalid = tooLong(form);
    if (invalid) {
      event.preventDefault();
      event.stopImmediatePropagation();
      invalid.focus();
      return;
    }
    form.dataset.pending = "1";
    draftStatus(form, navigator.onLine ? "Saving…" : WAITING);
  }, true);

  window.addEventListener("offline", function () {
    document.querySelectorAll("form[data-draft][data-pending]").forEach(function (form) {
      draftStatus(form, WAITING);
    });
  });

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var clear = target && target.closest("[data-clear]");
    if (clear && clear.form) {
      clear.form.querySelectorAll('input[name="' + CSS.escape(clear.dataset.clear) + '"]')
        .forEach(function (input) { input.checked = false; });
      saveDraft(clear.form);
      return;
    }
    var tag = target && target.closest("[data-add-tag]");
    if (tag && tag.form) {
      var field = tag.form.querySelector('[name="' + CSS.escape(tag.dataset.target) + '"]');
      if (!field) return;
      var parts = field.value.split(",").map(function (p) { return p.trim(); })
        .filter(Boolean);
      if (parts.indexOf(tag.dataset.addTag) === -1) parts.push(tag.dataset.addTag);
      field.value = parts.join(", ");
      saveDraft(tag.form);
    }
  });

  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js").catch(function () { /* not fatal */ });
    });
  }
})();
