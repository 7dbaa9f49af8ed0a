/* Skills Practice: Progress and Your data, in the page.
 *
 * - The download button ([data-export]) posts to /auth/export and saves the ZIP
 *   the server answers with (the session cookie says whose; nothing else is sent).
 * - The delete form (form[data-delete-account]) posts the password to
 *   /auth/delete-account. Once the server confirms, everything this person has
 *   on the phone (drafts, remembered sections, any feature's key or record that
 *   carries their owner id) is removed, the Reflex tab token too, and the
 *   goodbye page opens.
 * - A link to /journal/#week-grid opens the diary-card grid there.
 * Loaded once from <head>; event delegation covers pages rendered later.
 */
(function () {
  "use strict";
  if (window.__skillsProgress) return;
  window.__skillsProgress = true;

  // Words come from the page, in its language (skills_app/text/words/mind.py).
  function words(key, params) {
    return window.skillsText ? window.skillsText("progress." + key, params) : "";
  }
  // The page's language prefix ("/es" on a Spanish page, "" in English).
  function here(path) {
    var language = window.skillsLanguage ? window.skillsLanguage() : "en";
    return window.location.pathname.indexOf("/" + language + "/") === 0 ?
      "/" + language + path : path;
  }

  function say(id, message) {
    var el = document.getElementById(id);
    if (el) el.textContent = message || "";
  }

  function post(path, body) {
    // The server answers in this page's language: no Referer tells it
    // (Referrer-Policy: no-referrer), so the page says it, as app.js does.
    var sent = Object.assign({}, body || {}, { page_language: window.skillsLanguage() });
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(sent),
    });
  }

  function leave(next) {
    try { sessionStorage.removeItem("token"); } catch (e) { /* private mode */ }
    window.location.assign(next);
  }

  function currentOwner() {
    var shell = document.querySelector("[data-draft-owner]");
    return shell ? shell.getAttribute("data-draft-owner") : "";
  }

  /* Everything this person has on the phone: each feature keys its data by the
   * owner id (skills.draft.<owner>.<name>, skills.sections.<owner>) or marks its
   * records with it ({"owner": ...}: a timer's run, queued sessions). Keys named
   * for them go; a record marked for them goes, or leaves its list; others stay. */
  function forgetOwner(owner) {
    if (!owner) return;
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var key = localStorage.key(i);
        if (!key || key.indexOf("skills.") !== 0) continue;
        if (key.indexOf(owner) !== -1) { localStorage.removeItem(key); continue; }
        var value = null;
        try { value = JSON.parse(localStorage.getItem(key)); } catch (e) { continue; }
        if (Array.isArray(value)) {
          var kept = value.filter(function (item) { return !(item && item.owner === owner); });
          if (kept.length !== value.length) localStorage.setItem(key, JSON.stringify(kept));
        } else if (value && value.owner === owner) {
          localStorage.removeItem(key);
        }
      }
    } catch (e) { /* storage unavailable: nothing kept */ }
  }
  window.skillsForgetOwner = forgetOwner;

  function fileName(response) {
    var match = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
    return match ? match[1] : "skills-practice-my-data.zip";
  }

  function exportData(button) {
    if (button.dataset.busy) return;
    button.dataset.busy = "1";
    button.setAttribute("aria-disabled", "true");
    say("export-status", words("preparing"));
    post("/auth/export", {}).then(function (response) {
      if (response.status === 401) { leave(here("/signin/") + "?next=/your-data/"); return null; }
      if (!response.ok) { say("export-status", words("failed")); return null; }
      var name = fileName(response);
      return response.blob().then(function (blob) {
        var url = URL.createObjectURL(blob);
        var link = document.createElement("a");
        link.href = url;
        link.download = name;
        link.hidden = true;
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
        say("export-status", words("downloading", { name: name }));
      });
    }, function () {
      say("export-status", words("offline"));
    }).then(function () {
      delete button.dataset.busy;
      button.removeAttribute("aria-disabled");
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var button = target && target.closest("[data-export]");
    if (button) {
      event.preventDefault();
      exportData(button);
    }
  });

  function showError(form, errors) {
    var password = form.querySelector('[name="password"]');
    var slot = document.getElementById("password-error");
    say("delete-account-status", errors.form || "");
    if (slot) slot.textContent = errors.password || "";
    if (password && errors.password) {
      password.setAttribute("aria-invalid", "true");
      password.focus();
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-delete-account")) return;
    event.preventDefault();
    if (form.dataset.busy) return;
    var button = form.querySelector('[type="submit"]');
    var password = form.querySelector('[name="password"]');
    showError(form, {});
    if (password) password.removeAttribute("aria-invalid");
    var owner = currentOwner();
    form.dataset.busy = "1";
    if (button) {
      button.dataset.idleLabel = button.textContent;
      button.textContent = button.dataset.busyLabel || button.textContent;
    }
    function idle() {
      delete form.dataset.busy;
      if (button) button.textContent = button.dataset.idleLabel || button.textContent;
    }
    post("/auth/delete-account", { password: password ? password.value : "" })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.ok) {
            forgetOwner(owner);
            leave(data.next || here("/goodbye/"));
            return;
          }
          if (response.status === 401) { leave(data.next || here("/signin/")); return; }
          idle();
          showError(form, data.errors || { form: words("failed") });
        });
      }, function () {
        idle();
        showError(form, { form: words("offline") });
      });
  });

  /* The link to the diary card lands on the journal with #week-grid: open it. */
  function openLinkedGrid() {
    if (window.location.hash !== "#week-grid") return;
    var grid = document.getElementById("week-grid");
    if (!grid || grid.dataset.openedFromLink) return;
    grid.dataset.openedFromLink = "1";
    grid.open = true;
    grid.scrollIntoView({ block: "start" });
  }
  new MutationObserver(openLinkedGrid).observe(document.documentElement,
    { childList: true, subtree: true });
  window.addEventListener("hashchange", openLinkedGrid);
})();
