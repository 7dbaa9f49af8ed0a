/* Safety: risk prompts decided on the phone, and the safety plan's offline copy.
 *
 * Risk prompts. The page carries every prompt, hidden (#risk-prompt, from
 * skills_app/components/risk.py), with the table of cases of core/risk.py as
 * JSON in its data-risk-cases. When a form marked data-risk-form is submitted,
 * the prompts its values call for are shown at once, before and without the
 * server, so the right help shows offline too. The server stores the flag and
 * the event when the entry arrives. Other pages call
 * window.skillsSafety.showRisk({phq9_item9: 1}).
 *
 * Which day. "Call 911 now" is for an act logged for today. The form says which
 * day the entry is for (data-entry-day: an edited entry's stored day; a new
 * one is for the day of its written_at stamp, or now) and in which time zone
 * the patient's days run (data-time-zone, the account's, as the server counts
 * them). The day of the tap on Save goes into the form's hidden "today" field,
 * so the server logs the prompts on the day the page decided them.
 *
 * The safety plan's copy. localStorage "skills.safetyplan.<owner>" holds the
 * patient's plan (<owner> is the per-user draft namespace from the server, as
 * in app.js). There is at most one: it is written from the server's copy
 * (data-safety-plan-copy on Today, the help page and the plan page), removed
 * when the server says there is none, when another person's pages open, at
 * sign-in and at sign-out. The offline page and the help page draw it
 * (data-safety-plan-copy-view), with textContent only.
 *
 * Words. Everything this script writes comes from the page, in its language
 * (#page-text, from skills_app/text/words/safety.py): the risk prompts are in
 * the page already (built per language), and the plan's copy carries its own
 * titles. The offline page has no app.js, so `say` reads #page-text itself there.
 */
(function () {
  "use strict";

  var COPY_PREFIX = "skills.safetyplan.";
  var ISO_DAY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
  // Only for the numeric parts of a day ("2026-03-04"): never shown to anyone.
  var DIGITS_LOCALE = "en-US";

  function say(key, params) {
    if (window.skillsText) return window.skillsText(key, params);
    var node = document.getElementById("page-text");
    var table = {};
    try { table = JSON.parse((node && node.getAttribute("data-text")) || "{}"); } catch (e) {}
    var message = table[key] || "";
    Object.keys(params || {}).forEach(function (name) {
      message = message.split("{" + name + "}").join(String(params[name]));
    });
    return message;
  }

  /* --- the table ------------------------------------------------------------ */

  function table() {
    var holder = document.querySelector("[data-risk-cases]");
    if (!holder) return null;
    try { return JSON.parse(holder.getAttribute("data-risk-cases")); } catch (e) { return null; }
  }

  // As core/risk.py reads a form value: ticks are 1, digits their number, the rest 0.
  function asNumber(value) {
    if (value === true || value === "on" || value === "true" || value === "yes") return 1;
    if (typeof value === "number" && isFinite(value) && Math.floor(value) === value) return value;
    if (typeof value === "string" && /^\s*[0-9]+\s*$/.test(value)) return parseInt(value, 10);
    return 0;
  }

  // As core/risk.py's logged_for_earlier_day: both days "YYYY-MM-DD", the entry's first.
  function earlierDay(values) {
    var entry = values.entry_day, today = values.today;
    return typeof entry === "string" && typeof today === "string" &&
      ISO_DAY.test(entry) && ISO_DAY.test(today) && entry < today;
  }

  function route(values, cases) {
    cases = cases || table();
    if (!cases) return [];
    var hit = {};
    var earlier = earlierDay(values);
    cases.cases.forEach(function (c) {
      if (c.day !== "any" && (c.day === "earlier") !== earlier) return;
      var value = asNumber(values[c.field]);
      if (value >= c.low && (c.high === null || value <= c.high)) hit[c.prompt] = true;
    });
    var any = function (prompts) { return prompts.some(function (p) { return hit[p]; }); };
    cases.together.forEach(function (t) {
      if (any(t.when) && any(t.with)) hit[t.prompt] = true;
    });
    return cases.order.filter(function (prompt) {
      if (!hit[prompt]) return false;
      return !(cases.coveredBy[prompt] || []).some(function (stronger) { return hit[stronger]; });
    });
  }

  /* The patient's local day ("YYYY-MM-DD") at a moment, in their account's time
   * zone (the phone's own when the zone is unknown): as core/dates.local_date_of. */
  function localDay(moment, zone) {
    var options = { year: "numeric", month: "2-digit", day: "2-digit" };
    var format;
    try {
      format = new Intl.DateTimeFormat(DIGITS_LOCALE, zone ?
        Object.assign({ timeZone: zone }, options) : options);
    } catch (e) {
      format = new Intl.DateTimeFormat(DIGITS_LOCALE, options);
    }
    var parts = {};
    format.formatToParts(moment).forEach(function (part) { parts[part.type] = part.value; });
    return parts.year + "-" + parts.month + "-" + parts.day;
  }

  // Which day the entry is for, and which day it is now (see "Which day" above).
  function formDays(form, now) {
    var zone = form.getAttribute("data-time-zone") || "";
    var written = form.querySelector('input[name="written_at"]');
    var writtenAt = written && written.value ? new Date(written.value) : null;
    var today = localDay(now, zone);
    var entryDay = form.getAttribute("data-entry-day") ||
      localDay(writtenAt && !isNaN(writtenAt.getTime()) ? writtenAt : now, zone);
    return { entry_day: entryDay, today: today };
  }

  function formValues(form) {
    var values = {};
    new FormData(form).forEach(function (value, key) { values[key] = value; });
    var days = formDays(form, new Date());
    var todayField = form.querySelector('input[name="today"]');
    if (todayField) todayField.value = days.today;
    values.entry_day = days.entry_day;
    values.today = days.today;
    return values;
  }

  /* --- the prompts ----------------------------------------------------------- */

  /* The prompt of the page the patient sees: offline, a page may be shown from
   * the copy this phone kept (assets/app.js), whose ids are prefixed "copy-",
   * with the live page hidden behind it. */
  function riskBox(near) {
    var copy = near && near.closest ? near.closest("#page-copy") : null;
    return copy ? copy.querySelector("#copy-risk-prompt") : document.getElementById("risk-prompt");
  }

  function showRisk(values, form) {
    var box = riskBox(form);
    var cases = table();
    if (!box || !cases) return [];
    var prompts = route(values, cases);
    var shown = {};
    prompts.forEach(function (prompt) {
      shown[prompt] = true;
      // Acting on an urge leads with 911 and Poison Control, then everything the crisis prompt has.
      (cases.includes[prompt] || []).forEach(function (held) { shown[held] = true; });
    });
    box.querySelectorAll("[data-risk-part]").forEach(function (part) {
      part.hidden = !shown[part.getAttribute("data-risk-part")];
    });
    box.hidden = prompts.length === 0;
    box.setAttribute("data-risk-shown", prompts.join(" "));
    // Every prompt, quiet ones too, is brought into view: after Save the form folds
    // away, and help the patient never sees is no help.
    if (prompts.length) {
      box.scrollIntoView({ block: "start" });
      box.focus({ preventScroll: true });
    }
    return prompts;
  }

  // Capture on window: runs before React's submit handler and before app.js may
  // hold the form back (not signed in yet, text too long), so the help shows
  // whatever happens next; app.js's automatic resends (data-retrying) are skipped.
  window.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-risk-form") &&
        !form.dataset.retrying) {
      showRisk(formValues(form), form);
    }
  }, true);

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (target && target.closest("[data-risk-dismiss]")) {
      var box = riskBox(target);
      if (box) box.hidden = true;
    }
    if (target && target.closest("[data-print]")) window.print();
  });

  /* --- the safety plan's copy on this phone --------------------------------- */

  function copyKeys() {
    var keys = [];
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var key = localStorage.key(i);
        if (key && key.indexOf(COPY_PREFIX) === 0) keys.push(key);
      }
    } catch (e) { /* storage blocked */ }
    return keys;
  }

  function forget(except) {
    copyKeys().forEach(function (key) {
      if (key !== except) localStorage.removeItem(key);
    });
  }

  function readCopy() {
    var keys = copyKeys();
    if (keys.length !== 1) return null;
    try { return JSON.parse(localStorage.getItem(keys[0])); } catch (e) { return null; }
  }

  // Who is signed in, as far as this page knows: the app shell's draft owner, or
  // the owner the server put on the plan's copy (the help page has no shell of its own).
  function currentOwner() {
    var holders = document.querySelectorAll("[data-draft-owner], [data-safety-plan-copy]");
    for (var i = 0; i < holders.length; i++) {
      var owner = holders[i].getAttribute("data-draft-owner") ||
        holders[i].getAttribute("data-owner");
      if (owner) return owner;
    }
    return "";
  }

  function syncCopy() {
    var owner = currentOwner();
    // Someone else's pages: their plan is never shown to this person.
    if (owner) forget(COPY_PREFIX + owner);
    var marker = document.querySelector("[data-safety-plan-copy]");
    if (!marker) return;
    var value = marker.getAttribute("data-safety-plan-copy") || "";
    var markerOwner = marker.getAttribute("data-owner") || "";
    if (!value || !markerOwner || (owner && owner !== markerOwner)) return;
    var key = COPY_PREFIX + markerOwner;
    if (value === "none") {
      forget();
      return;
    }
    if (marker.dataset.storedValue === value) return;
    try {
      var plan = JSON.parse(value);
      forget(key);
      localStorage.setItem(key, JSON.stringify({ owner: markerOwner, plan: plan }));
      marker.dataset.storedValue = value;
    } catch (e) { /* storage full or bad JSON: nothing kept */ }
  }

  function element(tag, text, className) {
    var el = document.createElement(tag);
    if (text) el.textContent = text;
    if (className) el.className = className;
    return el;
  }

  function link(text, href, className, label) {
    var a = element("a", text, className);
    a.href = href;
    if (label) a.setAttribute("aria-label", label);
    return a;
  }

  function drawPlan(view, plan) {
    view.textContent = "";
    view.appendChild(element("h2", plan.title || say("safety.plan_title")));
    view.appendChild(element("p", say("safety.kept_offline"), "muted"));
    (plan.sections || []).forEach(function (section) {
      view.appendChild(element("h3", section.title));
      var list = element("ul", "", section.contacts ? "plan-contacts" : "plan-lines");
      (section.lines || []).forEach(function (line) { list.appendChild(element("li", line)); });
      (section.contacts || []).forEach(function (contact) {
        var item = element("li", "", "contact");
        item.appendChild(element("span", contact.name, "contact-name"));
        if (contact.phone) {
          item.appendChild(element("span", " " + contact.phone + " ", "contact-phone"));
          var actions = element("span", "", "contact-actions");
          if (contact.tel) {
            actions.appendChild(link(say("safety.call"), contact.tel, "action crisis-action",
              say("safety.call_name", { name: contact.name })));
          }
          if (contact.sms) {
            actions.appendChild(link(say("safety.text"), contact.sms,
              "action crisis-action secondary", say("safety.text_name", { name: contact.name })));
          }
          item.appendChild(actions);
        }
        list.appendChild(item);
      });
      view.appendChild(list);
    });
  }

  // A page that will learn who is signed in (it has the server's marker) draws the
  // copy only once it knows, so nobody else's plan shows even for a moment. Offline,
  // or when the server does not answer in 3 seconds, the copy on this phone is drawn.
  var pageOpenedAt = Date.now();
  var WAIT_FOR_OWNER_MS = 3000;

  function mayDraw(owner) {
    if (owner || !navigator.onLine) return true;
    if (!document.querySelector("[data-safety-plan-copy]")) return true;
    if (Date.now() - pageOpenedAt >= WAIT_FOR_OWNER_MS) return true;
    setTimeout(refreshSoon, WAIT_FOR_OWNER_MS - (Date.now() - pageOpenedAt) + 20);
    return false;
  }

  function drawCopies() {
    var stored = readCopy();
    var owner = currentOwner();
    var mine = stored && stored.plan && (!owner || stored.owner === owner) &&
      mayDraw(owner) ? stored : null;
    document.querySelectorAll("[data-safety-plan-copy-view]").forEach(function (view) {
      var drawn = mine ? JSON.stringify(mine) : "";
      if (view.dataset.drawn === drawn) return;
      view.dataset.drawn = drawn;
      if (mine) {
        drawPlan(view, mine.plan);
        view.hidden = false;
      } else {
        view.textContent = "";
        view.hidden = true;
      }
    });
  }

  /* A plan form with a draft kept on this phone opens, so the draft is seen. */
  function openPlanDrafts() {
    var owner = currentOwner();
    if (!owner) return;
    document.querySelectorAll("details#plan-edit:not([data-draft-checked])").forEach(
      function (details) {
        var form = details.querySelector("form[data-draft]");
        if (!form) return;
        details.setAttribute("data-draft-checked", "true");
        var draft = null;
        try {
          draft = JSON.parse(localStorage.getItem(
            "skills.draft." + owner + "." + form.getAttribute("data-draft")) || "null");
        } catch (e) { draft = null; }
        if (draft && draft.values) details.open = true;
      });
  }

  function refresh() {
    syncCopy();
    drawCopies();
    openPlanDrafts();
  }

  var queued = false;
  function refreshSoon() {
    if (queued) return;
    queued = true;
    requestAnimationFrame(function () { queued = false; refresh(); });
  }

  new MutationObserver(refreshSoon).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true,
    attributeFilter: ["data-draft-owner", "data-safety-plan-copy", "data-owner"],
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refresh);
  } else {
    refresh();
  }

  window.skillsSafety = {
    route: route,
    localDay: localDay,
    showRisk: showRisk,
    /* Sign-in and sign-out (app.js): no plan of anyone stays on this phone. */
    forget: function () { forget(); drawCopies(); },
    /* After a save: the form folds away and the plan, as read, is in view. */
    planSaved: function () {
      var details = document.getElementById("plan-edit");
      if (details) details.open = false;
      var read = document.getElementById("plan-read") || document.getElementById("main");
      if (read) read.scrollIntoView({ block: "start" });
    },
  };
})();
