/* Skills Practice: page behaviour that must not wait for the websocket.
 *
 * - Auth forms (form[data-auth]) post JSON to /auth/* and the server sets an
 *   HttpOnly cookie; a full page load follows so the websocket reconnects with it.
 * - Sign-out buttons ([data-auth-action]).
 * - Show/hide password toggles, time zone detection, service worker registration.
 * Loaded once from <head>; it works by event delegation, so it also covers
 * pages rendered later by client-side navigation.
 */
/* The words scripts show come from the page, in its language (#page-text,
 * from skills_app/text/words/*.py SCRIPT_TEXT): skillsText("key", {time: "4:23 PM"}).
 * An unknown key gives "" rather than English written here. */
window.skillsText = function (key, params) {
  var node = document.getElementById("page-text");
  var table = {};
  try { table = JSON.parse((node && node.getAttribute("data-text")) || "{}"); } catch (e) {}
  var message = table[key] || "";
  Object.keys(params || {}).forEach(function (name) {
    message = message.split("{" + name + "}").join(String(params[name]));
  });
  return message;
};
window.skillsLanguage = function () {
  var node = document.getElementById("page-text");
  return (node && node.getAttribute("data-language")) || document.documentElement.lang || "en";
};

(function () {
  "use strict";
  if (window.__skillsApp) return;
  window.__skillsApp = true;

  /* The words of this script, in the language of the page (text/words/account.py). */
  function words(key, params) { return window.skillsText("account." + key, params); }

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
    // The server answers in the language of this page.
    var sent = Object.assign({}, body || {}, { page_language: window.skillsLanguage() });
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(sent),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    });
  }
  // assets/push.js posts the same way.
  window.skillsPostJSON = postJSON;

  /* Sign-out ends the session on the server first; only then are this person's
   * drafts removed (someone else may use this phone next). Unsent entries are
   * never dropped without asking. */
  function signOut(action, confirmed) {
    if (action.dataset.busy) return;
    var owner = currentOwner();
    var unsent = owner ? window.skillsDrafts.unsent(owner) : [];
    if (unsent.length && !confirmed) {
      askAboutUnsent(action, unsent);
      return;
    }
    action.dataset.busy = "1";
    postJSON("/auth/" + action.dataset.authAction, {}).then(function (result) {
      if (!result.ok) {
        delete action.dataset.busy;
        setStatus("sign-out",
                  (result.data.errors && result.data.errors.form) || words("failed"));
        return;
      }
      if (owner) window.skillsDrafts.clearOwner(owner);
      forgetSlotHeights();
      // Reminders stop on this browser too (assets/push.js; the server's row went
      // with the session).
      var forget = window.skillsPush ? window.skillsPush.forget() : Promise.resolve();
      forget.then(function () { goTo(result.data.next || "/signin/"); });
    }, function () {
      delete action.dataset.busy;
      setStatus("sign-out", words("offline"));
    });
  }

  var DRAFT_PAGES = [
    [/^checkin$/, function () { return "/today/"; }],
    [/^diary-new$/, function () { return "/journal/new/"; }],
    [/^diary-edit-([0-9]+)$/, function (m) { return "/journal/edit/?id=" + m[1]; }],
    [/^practice-([a-z0-9-]+)$/, function (m) { return "/practice/do/?id=" + m[1]; }],
    [/^measure-([a-z0-9]+)$/, function (m) { return "/measures/take/?id=" + m[1]; }],
    [/^safety-plan$/, function () { return "/safety-plan/"; }],
    [/^relapse-plan$/, function () { return "/relapse-plan/"; }],
    [/^safety-start-[0-9]$/, function () { return "/safety-plan/"; }],
  ];

  function pageOfDraft(name) {
    for (var i = 0; i < DRAFT_PAGES.length; i++) {
      var match = DRAFT_PAGES[i][0].exec(name);
      if (match) return DRAFT_PAGES[i][1](match);
    }
    return null;
  }

  function askAboutUnsent(action, unsent) {
    var previousFocus = document.activeElement;
    var backdrop = document.createElement("div");
    backdrop.className = "dialog-backdrop";
    backdrop.id = "unsent-backdrop";
    var dialog = document.createElement("div");
    dialog.className = "dialog card stack";
    dialog.setAttribute("role", "alertdialog");
    dialog.setAttribute("aria-modal", "true");
    dialog.setAttribute("aria-labelledby", "unsent-title");
    dialog.setAttribute("aria-describedby", "unsent-text");
    dialog.id = "unsent-dialog";
    var title = document.createElement("h2");
    title.id = "unsent-title";
    title.className = "dialog-title";
    var count = new Intl.PluralRules(window.skillsLanguage()).select(unsent.length);
    title.textContent = words(count === "one" ? "unsent_title_one" : "unsent_title_other",
                              { n: new Intl.NumberFormat(window.skillsLanguage())
                                .format(unsent.length) });
    var text = document.createElement("p");
    text.id = "unsent-text";
    text.textContent = words("unsent_text");
    var row = document.createElement("div");
    row.className = "button-row";
    var save = document.createElement("button");
    save.type = "button";
    save.className = "primary-button";
    save.textContent = words(unsent.length === 1 ? "save_it_first" : "save_them_first");
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "secondary-button danger";
    discard.textContent = words("sign_out_discard");
    row.append(save, discard);
    dialog.append(title, text, row);
    backdrop.append(dialog);
    // Inside the theme root, so the dialog gets the app's colours and buttons.
    (document.querySelector(".radix-themes") || document.body).append(backdrop);
    save.focus();

    function close() {
      backdrop.remove();
      document.removeEventListener("keydown", onKey, true);
      if (previousFocus && previousFocus.focus) previousFocus.focus();
    }
    function onKey(event) {
      if (event.key === "Escape") { event.preventDefault(); close(); }
      if (event.key === "Tab") {
        // Keep focus inside the dialog.
        var first = save, last = discard;
        if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
        else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
      }
    }
    document.addEventListener("keydown", onKey, true);
    save.addEventListener("click", function () {
      close();
      var target = pageOfDraft(unsent[0]);
      if (target && target !== window.location.pathname + window.location.search) {
        window.location.assign(target);
      }
    });
    discard.addEventListener("click", function () {
      close();
      signOut(action, true);
    });
  }

  function goTo(next) {
    // A new identity gets a new Reflex client token, so no state carries over.
    try { sessionStorage.removeItem("token"); } catch (e) { /* private mode */ }
    // Nor a safety plan kept for offline reading (assets/safety.js).
    if (window.skillsSafety) window.skillsSafety.forget();
    // Nor the copies of the pages this person saw (offline-first pages, below).
    forgetPages();
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
      showErrors(form, result.data.errors || { form: words("failed") });
      delete form.dataset.busy;
      setBusy(button, false);
    }, function () {
      setStatus(form.id, words("offline"));
      delete form.dataset.busy;
      setBusy(button, false);
    });
  });

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var action = target && target.closest("[data-auth-action]");
    if (action) {
      event.preventDefault();
      signOut(action, false);
      return;
    }
    var reveal = target && target.closest("[data-reveal]");
    if (reveal) {
      var input = document.getElementById(reveal.dataset.reveal);
      if (!input) return;
      var show = input.type === "password";
      input.type = show ? "text" : "password";
      reveal.textContent = words(show ? "hide" : "show");
      reveal.setAttribute("aria-pressed", show ? "true" : "false");
    }
  });

  /* Asked of the phone once, and only on a page with a zone picker: a new
   * Intl.DateTimeFormat costs tens of milliseconds on a slow phone, and this
   * runs after every change of the page. */
  var phoneZone = null;
  function detectTimeZone() {
    var selects = document.querySelectorAll("select[data-detect-time-zone]:not([data-detected])");
    if (!selects.length) return;
    if (phoneZone === null) {
      phoneZone = "";
      try { phoneZone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { /* old */ }
    }
    var zone = phoneZone;
    selects.forEach(function (select) {
      if (select.value || select.dataset.detected) return;
      select.dataset.detected = "1";
      // A phone may name its zone by an old alias (Chromium: "Asia/Calcutta").
      var aliases = {};
      try { aliases = JSON.parse(select.getAttribute("data-zone-aliases") || "{}"); } catch (e) {}
      var wanted = aliases[zone] || zone;
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === wanted) { select.value = wanted; return; }
      }
    });
  }

  // Messages that must be seen (the crisis prompt after a hard entry) are
  // scrolled into view and focused when they appear.
  function revealNewAlerts() {
    var shown = document.querySelectorAll("[data-reveal-on-show]:not([data-revealed])");
    shown.forEach(function (el, index) {
      el.setAttribute("data-revealed", "true");
      // Several at once (a crisis prompt above a saved entry): the first, in page
      // order, is the one that matters most.
      // A risk prompt on screen (assets/safety.js) keeps the patient's attention.
      if (index === 0 && !document.querySelector("#risk-prompt:not([hidden])")) {
        el.scrollIntoView({ block: "start" });
        el.focus({ preventScroll: true });
      }
    });
  }

  /* Cards drawn from the server's answer (Today's card from the therapist, the saved
   * safety or relapse plan) sit in a slot marked data-hold-height="<name>". Until the
   * server has answered (data-loaded), the slot keeps the height its card had the
   * last time this phone showed it (none: nothing kept), so nothing under it jumps
   * when it arrives. Offline the server never answers: nothing is held. */
  var SLOT_HEIGHT = "skills.slot-height.";
  function holdSlots() {
    document.querySelectorAll("[data-hold-height]").forEach(function (slot) {
      var key = SLOT_HEIGHT + slot.getAttribute("data-hold-height");
      try {
        if (slot.getAttribute("data-loaded") === "true") {
          slot.style.minHeight = "";
          var card = slot.firstElementChild;
          var height = card ? String(card.offsetHeight) : null;
          if (localStorage.getItem(key) !== height) {
            if (height) localStorage.setItem(key, height); else localStorage.removeItem(key);
          }
          return;
        }
        var kept = Number(localStorage.getItem(key) || 0);
        if (kept > 0 && kept < 4000 && navigator.onLine) slot.style.minHeight = kept + "px";
        else slot.style.minHeight = "";
      } catch (e) { /* private mode: nothing kept */ }
    });
  }
  function forgetSlotHeights() {
    try {
      Object.keys(localStorage).forEach(function (key) {
        if (key.indexOf(SLOT_HEIGHT) === 0) localStorage.removeItem(key);
      });
    } catch (e) { /* private mode */ }
  }

  var pending = false;
  new MutationObserver(function () {
    // At once, in the same turn as the update that shows "Saved at": a patient
    // who leaves right after seeing it leaves no stale draft behind.
    confirmSavedDrafts();
    showConnection();
    holdSlots();
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      detectTimeZone();
      restoreDrafts();
      applyPageSections();
      showFlowScreens();
      revealNewAlerts();
    });
  }).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true,
    attributeFilter: ["data-draft-owner", "data-saved-key", "data-loaded"],
  });
  document.addEventListener("DOMContentLoaded", function () {
    holdSlots();
    detectTimeZone();
    restoreDrafts();
  });

  /* The connection in the app's own words. Offline is either the phone saying
   * so, or Reflex failing to reach the server (its hidden #connection-lost
   * marker). Back online, entries that were waiting are sent; the banner says
   * "saved" once the server has confirmed them. */
  var wasOffline = false;
  var waitingToSend = 0;
  // Saves the one queue (below) sent before the page itself was back.
  var savedBeforeBack = false;
  var hideBanner = null;

  function isOffline() {
    return !navigator.onLine || Boolean(document.getElementById("connection-lost"));
  }

  function setBanner(text, back) {
    var banner = document.getElementById("connection-banner");
    if (!banner) return;
    if (hideBanner) { clearTimeout(hideBanner); hideBanner = null; }
    if (banner.textContent !== text) banner.textContent = text;
    banner.classList.toggle("back", Boolean(back));
    banner.hidden = !text;
    if (back && text !== words("back_sending")) {
      hideBanner = setTimeout(function () { banner.hidden = true; }, 6000);
    }
  }

  function showConnection() {
    document.documentElement.classList.toggle("is-offline", isOffline());
    if (isOffline()) {
      wasOffline = true;
      setBanner(words("offline_line"), false);
      return;
    }
    if (!wasOffline) return;
    wasOffline = false;
    if (savedBeforeBack) {
      savedBeforeBack = false;
      setBanner(words("back_saved"), true);
      return;
    }
    waitingToSend = document.querySelectorAll("form[data-draft][data-pending]").length;
    setBanner(waitingToSend ? words("back_sending") : words("back_line"), true);
  }

  function sentAfterReconnect() {
    if (waitingToSend && !isOffline()) {
      waitingToSend = 0;
      setBanner(words("back_saved"), true);
    }
  }

  window.addEventListener("offline", showConnection);
  window.addEventListener("online", showConnection);
  document.addEventListener("DOMContentLoaded", showConnection);

  /* Drafts: a form with data-draft keeps everything typed in localStorage,
   * under skills.draft.<owner>.<name>, from the first keystroke until the server
   * confirms the save: the handler puts the saved entry's idempotency key in the
   * form's data-saved-key, in the same update that shows "Saved at".
   * The owner is a per-user namespace from the server (data-draft-owner on the
   * app shell or the form). Until it is known the form is disabled by the page
   * and nothing is stored: a draft always belongs to exactly one person.
   *
   * A submitted draft is marked pending. A save the server has not answered
   * after a few seconds is sent again with the same idempotency key (a resend
   * of the same entry is stored once); a pending draft found after a reload is
   * sent again as soon as the page is back. */
  var DRAFT_PREFIX = "skills.draft.";
  var RESEND_AFTER_MS = [5000, 10000, 20000, 30000];
  // Hidden bookkeeping fields: a draft made only of these holds nothing typed.
  var BOOKKEEPING = { idempotency_key: true, version: true, written_at: true,
    exercise_id: true, step: true, started_at: true, questionnaire: true, today: true };

  function ownerOf(element) {
    var holder = element && element.closest("[data-draft-owner]");
    return holder ? holder.getAttribute("data-draft-owner") || "" : "";
  }

  function currentOwner() {
    var holders = document.querySelectorAll("[data-draft-owner]");
    for (var i = 0; i < holders.length; i++) {
      var owner = holders[i].getAttribute("data-draft-owner");
      if (owner) return owner;
    }
    return "";
  }

  function draftKey(form, owner) {
    var name = form.getAttribute("data-draft");
    return name && owner ? DRAFT_PREFIX + owner + "." + name : null;
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

  function hiddenField(form, name) {
    return form.querySelector('input[name="' + name + '"]');
  }

  function ensureIdempotencyKey(form) {
    var input = hiddenField(form, "idempotency_key");
    if (input && !input.value) input.value = newIdempotencyKey();
    return input ? input.value : "";
  }

  /* When the entry was written, by this phone's clock: an entry written offline
   * at 23:50 and sent after midnight belongs to the day it was written. */
  function stampWrittenAt(form) {
    var input = hiddenField(form, "written_at");
    if (input && !input.value) input.value = new Date().toISOString();
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

  function hasTypedSomething(draft) {
    if (!draft || !draft.values) return false;
    return Object.keys(draft.values).some(function (name) {
      return !BOOKKEEPING[name] && draft.values[name] !== "";
    });
  }

  function saveDraft(form, pending) {
    var key = draftKey(form, ownerOf(form));
    if (!key) return false; // nobody known yet: the page keeps the form disabled
    ensureIdempotencyKey(form);
    var previous = readDraft(key);
    var draft = { values: readFields(form), at: Date.now(),
      pending: pending === undefined ? Boolean(previous && previous.pending) : pending };
    try {
      localStorage.setItem(key, JSON.stringify(draft));
    } catch (e) {
      draftStatus(form, words("storage_full"));
    }
    return true;
  }

  function setPending(form, pending) {
    var key = draftKey(form, ownerOf(form));
    var draft = key && readDraft(key);
    if (!draft) return;
    draft.pending = pending;
    try { localStorage.setItem(key, JSON.stringify(draft)); } catch (e) { /* kept as it was */ }
  }

  /* Write a draft's values into the fields not written yet: fields can appear
   * after the first restore (the patient's own items arrive with the page's
   * data). Fields whose value comes from the server alone (the names of the
   * patient's own items) are never overwritten. */
  function restoreNewFields(form, values) {
    var done = form._skillsRestored || (form._skillsRestored = {});
    var fresh = {};
    form.querySelectorAll("input, textarea, select").forEach(function (el) {
      if (el.name && !done[el.name] && el.name in values &&
          !el.hasAttribute("data-server-value")) {
        fresh[el.name] = values[el.name];
      }
    });
    writeFields(form, fresh);
    Object.keys(fresh).forEach(function (name) { done[name] = true; });
    return Object.keys(fresh).length > 0;
  }

  function restoreDrafts() {
    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      var key = draftKey(form, ownerOf(form));
      if (!key) return;
      var draft = readDraft(key);
      var values = draft && draft.values;
      if (form.dataset.restoredKey === key) {
        if (values && restoreNewFields(form, values)) openSectionsWithValues(form);
        return;
      }
      form.dataset.restoredKey = key;
      form._skillsRestored = {};
      applySectionMemory(form);
      if (values) restoreNewFields(form, values);
      openSectionsWithValues(form);
      if (!values) return;
      if (draft.pending) {
        // Sent before a reload or a sign-in and never confirmed: send it again.
        draftStatus(form, words("retrying"));
        resend(form);
      } else {
        draftStatus(form, words("restored"));
      }
    });
  }

  /* Sections of a long form (details[data-section]) stay as this person left
   * them, on this phone; a section holding an answer is always open, so nothing
   * restored or entered is hidden. */
  var SECTIONS_PREFIX = "skills.sections.";
  var settingSections = false;

  function sectionMemory(owner) {
    try { return JSON.parse(localStorage.getItem(SECTIONS_PREFIX + owner) || "{}"); }
    catch (e) { return {}; }
  }

  function applySectionMemory(form) {
    var remembered = sectionMemory(ownerOf(form));
    settingSections = true;
    form.querySelectorAll("details[data-section]").forEach(function (section) {
      var key = section.getAttribute("data-section");
      if (key in remembered) section.open = Boolean(remembered[key]);
    });
    settingSections = false;
  }

  /* Folded parts of a page outside any form (the journal's week grid) also stay
   * as this person left them, applied once when each appears. */
  function applyPageSections() {
    document.querySelectorAll("details[data-section]").forEach(function (section) {
      if (section.closest("form")) return;
      var owner = ownerOf(section);
      if (!owner || section.dataset.sectionOwner === owner) return;
      section.dataset.sectionOwner = owner;
      var remembered = sectionMemory(owner);
      var key = section.getAttribute("data-section");
      if (!(key in remembered)) return;
      settingSections = true;
      section.open = Boolean(remembered[key]);
      settingSections = false;
    });
  }

  function hasAnswer(section) {
    return Array.prototype.some.call(section.querySelectorAll("input, textarea, select"),
      function (el) {
        if (el.type === "hidden" || el.type === "submit" || el.type === "button") return false;
        if (el.type === "radio" || el.type === "checkbox") return el.checked;
        return el.value.trim() !== "";
      });
  }

  function openSectionsWithValues(form) {
    settingSections = true;
    form.querySelectorAll("details[data-section]").forEach(function (section) {
      if (!section.open && hasAnswer(section)) section.open = true;
    });
    settingSections = false;
  }

  document.addEventListener("toggle", function (event) {
    var section = event.target;
    if (settingSections || !(section instanceof HTMLDetailsElement) ||
        !section.hasAttribute("data-section")) return;
    var owner = ownerOf(section);
    if (!owner) return;
    var remembered = sectionMemory(owner);
    remembered[section.getAttribute("data-section")] = section.open;
    try { localStorage.setItem(SECTIONS_PREFIX + owner, JSON.stringify(remembered)); }
    catch (e) { /* only a preference */ }
  }, true);

  function confirmSavedDrafts() {
    document.querySelectorAll("form[data-draft][data-saved-key]").forEach(function (form) {
      var key = form.getAttribute("data-saved-key");
      if (!key || form.dataset.confirmedKey === key) return;
      form.dataset.confirmedKey = key;
      window.skillsDrafts.confirm(form.getAttribute("data-draft"), key);
    });
  }

  function formsNamed(name) {
    return Array.prototype.filter.call(document.querySelectorAll("form[data-draft]"),
      function (form) { return form.getAttribute("data-draft") === name; });
  }

  function draftKeysOf(owner) {
    var prefix = DRAFT_PREFIX + owner + ".";
    var keys = [];
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key && key.indexOf(prefix) === 0) keys.push(key);
    }
    return keys;
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

  /* The answer came and nothing was saved: the draft stays, nothing is resent. */
  function keepNotSaved(form, message) {
    delete form.dataset.pending;
    stopResending(form);
    setPending(form, false);
    draftStatus(form, message);
  }

  /* Resending: each submit arms a timer; the server's answer (confirm or
   * notSaved) disarms it. */
  function stopResending(form) {
    if (form._skillsResend) clearTimeout(form._skillsResend);
    form._skillsResend = null;
    form._skillsAttempt = 0;
  }

  function armResend(form) {
    if (form._skillsResend) clearTimeout(form._skillsResend);
    var attempt = form._skillsAttempt || 0;
    var delay = RESEND_AFTER_MS[Math.min(attempt, RESEND_AFTER_MS.length - 1)];
    form._skillsResend = setTimeout(function () {
      form._skillsResend = null;
      if (!form.isConnected || !form.dataset.pending) return;
      form._skillsAttempt = attempt + 1;
      if (!navigator.onLine) { draftStatus(form, words("waiting")); return; } // "online" resends
      draftStatus(form, words("retrying"));
      resend(form);
    }, delay);
  }

  function resend(form) {
    form.dataset.retrying = "1";
    if (form.requestSubmit) form.requestSubmit();
    else form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
  }

  window.skillsDrafts = {
    /* The server saved the entry with this idempotency key: forget its draft. */
    confirm: function (name, idempotencyKey) {
      removeDraftsNamed(name, idempotencyKey);
      formsNamed(name).forEach(function (form) {
        var input = hiddenField(form, "idempotency_key");
        if (input && (!idempotencyKey || input.value === idempotencyKey)) {
          form.reset();
          input.value = "";
          var written = hiddenField(form, "written_at");
          if (written) written.value = "";
          draftStatus(form, "");
        }
        delete form.dataset.pending;
        stopResending(form);
      });
      sentAfterReconnect();
    },
    /* The server answered without saving (a message explains why): keep the draft. */
    notSaved: function (name) {
      formsNamed(name).forEach(function (form) { keepNotSaved(form, words("not_saved")); });
    },
    /* The server refused what was sent (too large or unreadable, with its own
     * message): every form waiting for an answer keeps its draft, not saved. */
    refused: function () {
      document.querySelectorAll("form[data-draft][data-pending]").forEach(function (form) {
        keepNotSaved(form, words("not_saved"));
      });
    },
    /* The patient chose to drop this device's version. */
    discard: function (name) {
      removeDraftsNamed(name, null);
      formsNamed(name).forEach(function (form) {
        form.reset();
        stopResending(form);
        draftStatus(form, "");
      });
    },
    /* Names of this person's drafts that hold something typed and not yet saved. */
    unsent: function (owner) {
      return draftKeysOf(owner).filter(function (key) {
        return hasTypedSomething(readDraft(key));
      }).map(function (key) { return key.slice((DRAFT_PREFIX + owner + ".").length); });
    },
    /* After a confirmed sign-out: remove this person's drafts, nobody else's. */
    clearOwner: function (owner) {
      draftKeysOf(owner).forEach(function (key) { localStorage.removeItem(key); });
    },
  };

  function onDraftInput(event) {
    var form = event.target && event.target.form;
    if (form && form.hasAttribute("data-draft") && saveDraft(form)) {
      draftStatus(form, words("saved_here"));
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
      // A field whose name is on the page twice (the safety plan's guided start) names its slot.
      var slot = document.getElementById(field.getAttribute("data-error-slot") ||
        field.name + "-client-error");
      if (length > max) {
        if (slot) {
          var number = new Intl.NumberFormat(window.skillsLanguage());
          slot.textContent = words("too_long", {
            label: field.getAttribute("data-label") || words("text"),
            high: number.format(max), count: number.format(length)});
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

  // Runs before React's own submit handler reads the form: key and time are in place.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-draft")) return;
    var retrying = Boolean(form.dataset.retrying);
    delete form.dataset.retrying;
    if (!ownerOf(form)) {
      // Not yet known who is signed in: nothing may be sent or stored.
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    var invalid = tooLong(form);
    if (invalid) {
      saveDraft(form);
      event.preventDefault();
      event.stopImmediatePropagation();
      invalid.focus();
      return;
    }
    stampWrittenAt(form);
    saveDraft(form, true);
    form.dataset.pending = "1";
    if (!retrying) form._skillsAttempt = 0;
    if (!navigator.onLine) draftStatus(form, words("waiting"));
    else if (!retrying) draftStatus(form, words("saving"));
    armResend(form);
  }, true);

  /* An event larger than the server accepts (skills_app/core/event_size.py, its
   * limit in #page-text's data-event-max-bytes) is never sent: the server would
   * refuse it, or drop the whole connection when it is larger still. The
   * patient is told here, the draft stays, and the connection is untouched.
   * The whole frame is measured, a little more than the event's arguments the
   * server counts. */
  var EVENT_FRAME = "42/_event,";

  function eventMaxBytes() {
    var node = document.getElementById("page-text");
    return Number(node && node.getAttribute("data-event-max-bytes")) || 0;
  }

  function tooLargeToSend(data) {
    if (typeof data !== "string" || data.lastIndexOf(EVENT_FRAME, 0) !== 0) return false;
    var max = eventMaxBytes();
    // A UTF-16 unit takes at most 3 bytes in UTF-8: most frames need no counting.
    if (!max || data.length * 3 <= max) return false;
    return new TextEncoder().encode(data).length > max;
  }

  function holdBackTooLarge() {
    var message = words("too_large_to_send");
    var pending = document.querySelectorAll("form[data-draft][data-pending]");
    pending.forEach(function (form) { keepNotSaved(form, message); });
    setBanner(message, false);
    hideBanner = setTimeout(function () { setBanner("", false); }, 10000);
  }

  var sendFrame = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (tooLargeToSend(data)) { holdBackTooLarge(); return; }
    return sendFrame.call(this, data);
  };

  window.addEventListener("offline", function () {
    document.querySelectorAll("form[data-draft][data-pending]").forEach(function (form) {
      draftStatus(form, words("waiting"));
    });
  });

  window.addEventListener("online", function () {
    document.querySelectorAll("form[data-draft][data-pending]").forEach(function (form) {
      // Reflex sends its queued event on reconnect; this catches one that was lost.
      form._skillsAttempt = 0;
      armResend(form);
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

  /* Guided exercises (form[data-flow]): every step is a section[data-screen] of
   * one form; one is shown at a time, without a server round trip. The screen
   * shown is the form's hidden "step" field, so the device draft brings the
   * patient back to the same step with the same answers after a reload. */
  function flowScreens(form) {
    return form.querySelectorAll("section[data-screen]");
  }

  function currentScreen(form) {
    var field = hiddenField(form, "step");
    var last = Number(form.getAttribute("data-last-screen") || 0);
    var n = parseInt(field ? field.value : "0", 10);
    return isNaN(n) || n < 0 ? 0 : Math.min(n, last);
  }

  function showScreen(form, n, moved) {
    var field = hiddenField(form, "step");
    if (field) field.value = String(n);
    flowScreens(form).forEach(function (screen) {
      var here = Number(screen.getAttribute("data-screen")) === n;
      if (here) screen.setAttribute("data-current", "true");
      else screen.removeAttribute("data-current");
    });
    form.setAttribute("data-shown-screen", String(n));
    if (n >= 1) {
      // When the first step was shown: the exercise's start.
      var started = hiddenField(form, "started_at");
      if (started && !started.value) started.value = new Date().toISOString();
    }
    if (moved) {
      var title = form.querySelector('section[data-screen="' + n + '"] [tabindex="-1"]');
      window.scrollTo(0, 0);
      if (title) title.focus({ preventScroll: true });
      saveDraft(form);
    }
  }

  function showFlowScreens() {
    document.querySelectorAll("form[data-flow]").forEach(function (form) {
      var n = currentScreen(form);
      var shown = form.querySelector("section[data-screen][data-current]");
      if (form.getAttribute("data-shown-screen") === String(n) && shown) return;
      showScreen(form, n, false);
    });
  }

  function flowNext(form) {
    var n = currentScreen(form);
    var screen = form.querySelector('section[data-screen="' + n + '"]');
    var slot = screen && screen.querySelector(".flow-error");
    var needs = screen && screen.getAttribute("data-required");
    if (needs && !hasAnswer(screen)) {
      if (slot) slot.textContent = needs;
      var first = screen.querySelector("input:not([type=hidden]), textarea");
      if (first) {
        if (first.type !== "radio" && first.type !== "checkbox") {
          first.setAttribute("aria-invalid", "true");
        }
        first.focus();
      }
      return;
    }
    if (slot) slot.textContent = "";
    // tooLong also clears the mark of a text answer that was missing and is now given.
    if (tooLong(form)) return;
    showScreen(form, Math.min(n + 1, Number(form.getAttribute("data-last-screen") || 0)), true);
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var next = target && target.closest("[data-flow-next]");
    var back = target && target.closest("[data-flow-back]");
    var form = (next || back) && (next || back).form;
    if (!form || !form.hasAttribute("data-flow")) return;
    event.preventDefault();
    if (next) flowNext(form);
    else showScreen(form, Math.max(currentScreen(form) - 1, 0), true);
  });

  /* A step that moves on by itself once answered (section[data-auto-next]: the
   * check-ups' questions). Only an answer picked by a tap or a click moves on, a
   * moment later so the choice is seen: arrow keys in a radio group pick as they
   * move, and a keyboard user goes on with Next. */
  var pointerAt = 0;
  document.addEventListener("pointerdown", function () { pointerAt = Date.now(); }, true);
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!(field instanceof HTMLInputElement) || field.type !== "radio" || !field.form ||
        !field.form.hasAttribute("data-flow") || Date.now() - pointerAt > 1500) return;
    var screen = field.closest("section[data-auto-next]");
    if (!screen || !screen.hasAttribute("data-current")) return;
    var form = field.form;
    window.setTimeout(function () {
      if (screen.hasAttribute("data-current") && field.checked) flowNext(form);
    }, 250);
  });

  // Enter in a one-line answer goes to the next step; it never finishes the exercise.
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || !(field instanceof HTMLInputElement) || !field.form ||
        !field.form.hasAttribute("data-flow") || field.type === "submit") return;
    if (currentScreen(field.form) === Number(field.form.getAttribute("data-last-screen"))) return;
    event.preventDefault();
    flowNext(field.form);
  }, true);

  /* Copy and Share of a built message (the DEAR MAN script). Share uses the
   * phone's share sheet where there is one, and copies otherwise. */
  function copyStatus(text) {
    var slot = document.getElementById("copy-status");
    if (slot) slot.textContent = text;
  }

  function copyByHand(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    area.remove();
    return done;
  }
  // The practice history's Copy buttons use it too.
  window.skillsCopyByHand = copyByHand;

  function copyText(text) {
    var copied = function () { copyStatus(words("copied_paste")); };
    var byHand = function () {
      if (copyByHand(text)) copied();
      else copyStatus(words("copy_failed"));
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(copied, byHand);
    } else {
      byHand();
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var copy = target && target.closest("[data-copy]");
    var share = target && target.closest("[data-share]");
    var source = document.getElementById((copy || share || {}).getAttribute ?
      (copy || share).getAttribute(copy ? "data-copy" : "data-share") : "");
    if (!source) return;
    var text = source.textContent || "";
    if (copy || typeof navigator.share !== "function") { copyText(text); return; }
    copyStatus("");
    navigator.share({ text: text }).then(function () {
      copyStatus(words("shared"));
    }, function (error) {
      // Closing the share sheet is a choice, not a failure.
      if (!error || error.name !== "AbortError") copyText(text);
    });
  });

  /* Offline-first pages (issue 22). While connected, each page of a signed-in
   * patient keeps a copy of what it shows (#main's HTML) on this phone, for
   * that person only: localStorage "skills.page.<owner>.<path>", one person's
   * copies at a time (the owner in "skills.page-owner"), removed at sign-out and
   * account deletion like the safety plan's copy (goTo). Opened or reloaded
   * with no connection (the service worker serves the page itself), the page
   * shows that copy under its last-updated line; its forms keep
   * drafts and queue their saves as on the live page. Pages that work offline
   * by themselves (the timers, help, the plans' own copy) are left as they
   * are; screens that need the server say so plainly, and a page with no copy
   * yet says it fills in once back online: never a blank screen. */
  var PAGE_PREFIX = "skills.page.";
  var PAGE_OWNER = "skills.page-owner";
  var PAGE_MAX_CHARS = 400000;
  var PAGES_KEPT = 40;
  var COPY_AFTER_MS = 1200;
  // Paths without the language prefix.
  var SELF_OFFLINE = /^\/(help|safety-plan|relapse-plan|mindfulness(\/(breathe|timer|guided)(\/.*)?)?)\/?$/;
  var NEEDS_SERVER = /^\/(sharing|your-data|account|journal\/card)(\/|$)/;
  // Attributes of the live page's bookkeeping that a copy must not carry.
  var LIVE_ONLY = ["data-pending", "data-restored-key", "data-retrying", "data-busy",
    "data-confirmed-key", "data-revealed", "data-shown-screen", "aria-invalid"];
  var servedPath = null;
  var copyTimer = null;

  function pagePath() {
    var path = window.location.pathname;
    if (path.slice(-1) !== "/") path += "/";
    return path + window.location.search;
  }

  function plainPath() {
    var prefix = "/" + window.skillsLanguage();
    var path = window.location.pathname;
    if (path === prefix || path.indexOf(prefix + "/") === 0) path = path.slice(prefix.length) || "/";
    return path;
  }

  function keptOwner() {
    try { return localStorage.getItem(PAGE_OWNER) || ""; } catch (e) { return ""; }
  }

  function pageKeys(owner) {
    var keys = [];
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key && key.indexOf(PAGE_PREFIX) === 0 && (!owner || key.indexOf(PAGE_PREFIX + owner + ".") === 0)) {
        keys.push(key);
      }
    }
    return keys;
  }

  function forgetPages() {
    try {
      pageKeys("").forEach(function (key) { localStorage.removeItem(key); });
      localStorage.removeItem(PAGE_OWNER);
    } catch (e) { /* private mode: nothing kept */ }
  }

  function patientShell() { return document.querySelector(".app.patient"); }

  function copyablePage() {
    var path = plainPath();
    return Boolean(patientShell()) && !SELF_OFFLINE.test(path) && !NEEDS_SERVER.test(path);
  }

  /* Reflex styles some elements through generated classes ("css-1o17lpq") whose
   * rules are added to the document when the element is drawn: the copy keeps
   * the rules of its own classes, so it looks as it did. */
  function generatedStyles(root) {
    var used = {};
    root.querySelectorAll("[class]").forEach(function (el) {
      (el.getAttribute("class") || "").split(/\s+/).forEach(function (name) {
        if (/^css-[a-z0-9]+$/.test(name)) used[name] = true;
      });
    });
    var rules = [];
    Array.prototype.forEach.call(document.styleSheets, function (sheet) {
      var owner = sheet.ownerNode;
      if (!owner || !owner.hasAttribute || !owner.hasAttribute("data-emotion")) return;
      var list;
      try { list = sheet.cssRules; } catch (e) { return; }
      Array.prototype.forEach.call(list, function (rule) {
        var found = /\.(css-[a-z0-9]+)/.exec(rule.cssText);
        if (found && used[found[1]]) rules.push(rule.cssText);
      });
    });
    return rules;
  }

  function keepPageCopy() {
    copyTimer = null;
    var main = document.getElementById("main");
    var owner = currentOwner();
    if (!main || main.hidden || !owner || isOffline() || !copyablePage()) return;
    var copy = main.cloneNode(true);
    copy.querySelectorAll("*").forEach(function (el) {
      LIVE_ONLY.forEach(function (name) { el.removeAttribute(name); });
    });
    // A crisis prompt belongs to the entry just saved, not to the page's copy.
    copy.querySelectorAll("#risk-prompt").forEach(function (el) { el.hidden = true; });
    var html = copy.innerHTML;
    if (html.length > PAGE_MAX_CHARS) return;
    try {
      if (keptOwner() !== owner) { forgetPages(); localStorage.setItem(PAGE_OWNER, owner); }
      var key = PAGE_PREFIX + owner + "." + pagePath();
      var previous = readDraft(key);
      // An exercise's copy keeps its form: a finished one shows "saved" instead.
      if (previous && previous.html.indexOf("data-draft=") !== -1 && html.indexOf("data-draft=") === -1) return;
      localStorage.setItem(key, JSON.stringify({ html: html, css: generatedStyles(copy),
        at: Date.now(), className: main.className }));
      var keys = pageKeys(owner);
      if (keys.length > PAGES_KEPT) {
        keys.map(function (k) { return [k, (readDraft(k) || {}).at || 0]; })
          .sort(function (a, b) { return a[1] - b[1]; })
          .slice(0, keys.length - PAGES_KEPT)
          .forEach(function (pair) { localStorage.removeItem(pair[0]); });
      }
    } catch (e) { /* storage full: the page keeps its older copy */ }
  }

  function copiedAt(at) {
    var when = new Date(at);
    var options = { hour: "numeric", minute: "2-digit" };
    if (when.toDateString() !== new Date().toDateString()) {
      options.weekday = "short"; options.month = "short"; options.day = "numeric";
    }
    return new Intl.DateTimeFormat(window.skillsLanguage(), options).format(when);
  }

  // A copy's ids, and what points at them, get a prefix: the live page stays in
  // the document (hidden), and an id is on a page once.
  var ID_REFERENCES = ["for", "aria-labelledby", "aria-describedby", "aria-controls",
    "data-error-slot", "data-copy-from", "data-copy", "data-share"];
  function renameIds(root) {
    root.querySelectorAll("[id]").forEach(function (el) { el.id = "copy-" + el.id; });
    ID_REFERENCES.forEach(function (name) {
      root.querySelectorAll("[" + name + "]").forEach(function (el) {
        el.setAttribute(name, el.getAttribute(name).split(" ").map(function (id) {
          return id ? "copy-" + id : id;
        }).join(" "));
      });
    });
  }

  // Shown in place of the live page's main (hidden), it is the page's main landmark.
  function copyHolder(main, className) {
    var holder = document.createElement(className === "page-copy-none" ? "div" : "main");
    holder.id = "page-copy";
    holder.className = className || main.className;
    holder.setAttribute("data-draft-owner", keptOwner());
    holder.setAttribute("data-copy-of", pagePath());
    return holder;
  }

  function note(text) {
    var line = document.createElement("p");
    line.className = "page-copy-note";
    line.setAttribute("role", "status");
    line.textContent = text;
    return line;
  }

  function drawPageCopy(main) {
    var path = plainPath();
    var holder, copy = null;
    if (NEEDS_SERVER.test(path) || document.querySelector(".app.therapist")) {
      holder = copyHolder(main);
      var heading = main.querySelector("h1");
      if (heading) holder.append(heading.cloneNode(true));
      holder.append(note(words("page_needs_network")));
      main.hidden = true;
    } else {
      var owner = keptOwner();
      copy = owner && readDraft(PAGE_PREFIX + owner + "." + pagePath());
      if (!copy || !copy.html) {
        // Nothing kept: what the page has in itself stays, with a plain word.
        holder = copyHolder(main, "page-copy-none");
        var said = note(words("page_copy_none"));
        said.id = "page-copy-said";
        // Above the live page's main: a landmark of its own, named by what it says.
        holder.setAttribute("role", "region");
        holder.setAttribute("aria-labelledby", said.id);
        holder.append(said);
        main.before(holder);
        return;
      }
      holder = copyHolder(main, copy.className);
      holder.innerHTML = copy.html;
      renameIds(holder);
      var line = note(words("page_copy_at", { time: copiedAt(copy.at) }));
      var title = holder.querySelector("h1");
      if (title) title.after(line); else holder.prepend(line);
      main.hidden = true;
    }
    main.after(holder);
    if (copy && copy.css && copy.css.length) {
      // Rule by rule (CSSOM), as Reflex adds them: a style sheet's text would be inline style.
      var styles = document.createElement("style");
      holder.prepend(styles); // in the document now: it has a sheet
      copy.css.forEach(function (rule) {
        try { styles.sheet.insertRule(rule, styles.sheet.cssRules.length); } catch (e) { /* skip */ }
      });
    }
    restoreDrafts();
    showFlowScreens();
  }

  function removePageCopy() {
    var holder = document.getElementById("page-copy");
    if (holder) holder.remove();
    var main = document.getElementById("main");
    if (main && main.hidden) main.hidden = false;
  }

  /* On every change of the page: connected, the page is the server's (its copy
   * is refreshed once it settles); not connected and not filled by the server
   * since it opened, the copy is shown. */
  function followPage() {
    var main = document.getElementById("main");
    if (!main) return;
    var path = pagePath();
    if (!isOffline()) {
      if (document.getElementById("page-copy")) removePageCopy();
      if (currentOwner()) {
        servedPath = path;
        if (copyablePage()) {
          // At most one copy per COPY_AFTER_MS; a change after it schedules the next.
          if (!copyTimer) copyTimer = setTimeout(keepPageCopy, COPY_AFTER_MS);
        }
      }
      return;
    }
    var shown = document.getElementById("page-copy");
    if (shown && shown.getAttribute("data-copy-of") !== path) { removePageCopy(); shown = null; }
    if (shown || servedPath === path || SELF_OFFLINE.test(plainPath())) return;
    if (!patientShell() && !document.querySelector(".app.therapist")) return;
    drawPageCopy(main);
  }

  // A form of a copy has no live page behind it: its save goes to the queue.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.closest("#page-copy")) return;
    event.preventDefault();
    stopResending(form);
    if (form.hasAttribute("data-draft") && form.dataset.pending) {
      draftStatus(form, words("waiting"));
      askForSync();
      sendQueue();
    }
  }, true);

  /* One queue: every pending draft of this person (a check-in, a diary card,
   * an exercise, a check-up, whichever screen it was made on) is sent as soon
   * as the network is back, from whichever page is open, to /auth/outbox; the
   * server stores each once by its idempotency key (a form still on screen may
   * send it too: the same key is the same row). The timers' finished sessions
   * (timer.js's outbox) go the same way. Edits and plans carry a version and
   * are sent by their own page. */
  var QUEUED = /^(checkin|diary-new|practice-[a-z0-9-]+|measure-[a-z0-9]+)$/;
  var sendingQueue = false;

  function queuedDrafts(owner) {
    var prefix = DRAFT_PREFIX + owner + ".";
    return draftKeysOf(owner).map(function (key) {
      return { name: key.slice(prefix.length), key: key, draft: readDraft(key) };
    }).filter(function (item) {
      return QUEUED.test(item.name) && item.draft && item.draft.pending && item.draft.values &&
        item.draft.values.idempotency_key && hasTypedSomething(item.draft);
    }).map(function (item) {
      return { name: item.name, values: item.draft.values,
        saved: function (key) { window.skillsDrafts.confirm(item.name, key); },
        refused: function () {
          // Nothing saved (its own form says why when opened): kept, not resent.
          var draft = readDraft(item.key);
          if (draft) {
            draft.pending = false;
            try { localStorage.setItem(item.key, JSON.stringify(draft)); } catch (e) { /* kept */ }
          }
          formsNamed(item.name).forEach(function (form) { keepNotSaved(form, words("not_saved")); });
        } };
    });
  }

  // The mindfulness timers' finished sessions (assets/timer.js keeps their outbox).
  function queuedSessions(owner) {
    var box = [];
    try { box = JSON.parse(localStorage.getItem("skills.mindful.outbox." + owner) || "[]"); }
    catch (e) { box = []; }
    var timers = window.skillsMindful;
    if (!timers || !Array.isArray(box)) return [];
    return box.filter(function (entry) {
      return entry && entry.record && entry.record.idempotency_key;
    }).map(function (entry) {
      var key = entry.record.idempotency_key;
      return { name: "mindful", values: { session: JSON.stringify(entry.record) },
        saved: function () { timers.logged(key); },
        refused: function () { timers.refused(key); } };
    });
  }

  function sendQueue() {
    if (sendingQueue || !navigator.onLine) return;
    var owner = currentOwner() || keptOwner();
    if (!owner) return;
    var items = queuedDrafts(owner).concat(queuedSessions(owner));
    if (!items.length) return;
    sendingQueue = true;
    var saved = 0;
    (function next(i) {
      if (i >= items.length) {
        sendingQueue = false;
        // Said once the page is back too (its "Back online" would hide it).
        if (saved && wasOffline) savedBeforeBack = true;
        else if (saved) setBanner(words("back_saved"), true);
        return;
      }
      var item = items[i];
      postJSON("/auth/outbox", { owner: owner, name: item.name, values: item.values })
        .then(function (result) {
          if (result.ok) {
            saved += 1;
            item.saved(result.data.saved);
          } else if (result.status === 400) {
            item.refused();
          } else {
            sendingQueue = false; // signed out, another person, or trouble on our side: later
            return;
          }
          next(i + 1);
        }, function () { sendingQueue = false; });
    })(0);
  }
  window.skillsQueue = { send: sendQueue };

  function askForSync() {
    // Background Sync, where the browser has it: the worker wakes an open page to send.
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register("skills-queue");
    }).catch(function () { /* the online event sends it */ });
  }

  var warmed = false;
  function warmPages() {
    var shell = patientShell();
    if (warmed || !shell || !currentOwner() || !("serviceWorker" in navigator)) return;
    warmed = true;
    var paths = [];
    try { paths = JSON.parse(shell.getAttribute("data-offline-pages") || "[]"); } catch (e) {}
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage({ type: "warm", paths: paths });
    });
  }

  new MutationObserver(function () {
    followPage();
    warmPages();
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true,
    attributeFilter: ["data-draft-owner"] });
  document.addEventListener("DOMContentLoaded", followPage);
  window.addEventListener("offline", followPage);
  window.addEventListener("online", function () { followPage(); sendQueue(); });
  window.addEventListener("load", sendQueue);
  // A pending save also leaves when the server comes back without the phone noticing.
  setInterval(function () { if (!isOffline()) sendQueue(); }, 15000);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "send-queue") sendQueue();
    });
  }

  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js").catch(function () { /* not fatal */ });
    });
  }
})();

// Copy buttons (practice history's messages): the text of the element named by
// data-copy-from goes to the clipboard, in the page itself (no server round
// trip); "Copied" is said in the button's status line. Without the Clipboard
// API (older phones, some in-app browsers), a hidden text box and execCommand;
// if that fails too, the text is selected for the patient to copy.
(function () {
  function say(button, text) {
    var status = document.getElementById(button.dataset.copyStatus || "");
    if (status) status.textContent = text;
  }
  function selectText(source) {
    var range = document.createRange();
    range.selectNodeContents(source);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var button = target && target.closest("[data-copy-from]");
    if (!button) return;
    var source = document.getElementById(button.dataset.copyFrom);
    if (!source) return;
    var text = source.textContent;
    var notCopied = function () {
      if (window.skillsCopyByHand(text)) { say(button, window.skillsText("account.copied")); return; }
      selectText(source);
      say(button, window.skillsText("account.selected"));
    };
    say(button, "");
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () {
        say(button, window.skillsText("account.copied"));
      },
                                               notCopied);
    } else {
      notCopied();
    }
  });
})();

/* Practice tab: the search box filters the exercise cards already on the page
 * (name, "when" line, module and situation words), so it works offline too. */
(function () {
  "use strict";

  function words(text) {
    // "can't" and "cant" are the same word; other marks separate words.
    return text.toLowerCase().replace(/['\u2019]/g, "").split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  function filterPractice(input) {
    var wanted = words(input.value);
    var root = input.closest("main") || document;
    var shown = 0;
    root.querySelectorAll("[data-search]").forEach(function (card) {
      var have = words(card.getAttribute("data-search")).join(" ");
      var match = wanted.every(function (word) { return have.indexOf(word) !== -1; });
      card.hidden = !match;
      if (match) shown += 1;
    });
    root.querySelectorAll("[data-search-group]").forEach(function (group) {
      group.hidden = !group.querySelector("[data-search]:not([hidden])");
    });
    var none = document.getElementById("practice-no-match");
    if (none) none.hidden = shown > 0;
  }

  document.addEventListener("input", function (event) {
    if (event.target && event.target.id === "practice-search") filterPractice(event.target);
  });
})();
