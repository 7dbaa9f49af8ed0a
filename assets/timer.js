/* Skills Practice: the mindfulness timers (breathing pacer, meditation timer,
 * guided practices), in plain JavaScript so they never wait for the server.
 *
 * Time comes from fixed moments, never from counted ticks: a run keeps the real
 * time it was created, its preparation and length, and every pause. Whatever
 * the browser did meanwhile (the websocket dropped, the tab was hidden and its
 * timers throttled, the screen was off, the page was reloaded), the time shown
 * is recomputed from Date.now(). The run lives in localStorage under
 * skills.mindful.run; one timeout is armed for the next bell or the end, so a
 * bell rings on its moment while the page is awake.
 *
 * A finished session goes into its person's outbox (skills.mindful.outbox.<owner>)
 * with a client-made idempotency key, and is sent through the page's hidden log form
 * (#mindful-log-form, a Reflex form) whenever the page is online, again every
 * few seconds until the server confirms it (window.skillsMindful.logged): a
 * resend is stored once. The server checks everything it is sent.
 *
 * Pages: an element #mindful[data-kind=pacer|timer|guided] holding a setup
 * form (form[data-mindful-setup]), a running view (#mindful-run) and a
 * finished view (#mindful-done). skills_app/pages/mindfulness.py lays them out.
 *
 * Words come from the page, in its language (window.skillsText, "mind.*" keys
 * of skills_app/text/words/mind.py); a time of day is written in the time zone
 * of the account (data-time-zone on the patient shell), never the phone clock,
 * the way `clock` in skills_app/text/formats.py writes it, so the timer and the
 * journal agree.
 */
(function () {
  "use strict";
  if (window.skillsMindful) return;

  var RUN_KEY = "skills.mindful.run";
  // One outbox per person (skills.mindful.outbox.<owner>), so deleting an
  // account, which removes the keys holding its owner id, takes it too.
  var OUTBOX_PREFIX = "skills.mindful.outbox.";
  var RESEND_MS = 5000;
  var LATE_BELL_MS = 5000; // a bell more than this late (a sleeping phone) stays silent
  var TIMER_MINUTES = [1, 120];
  var PACER_MINUTES = [1, 20];
  var PACER_BREATHS = [1, 100];
  var PHASE_MAX = 20;
  // The Babel/CLDR locale behind each of the app's languages (text/formats.py).
  var LOCALES = { en: "en-US", es: "es-US" };

  function words(key, params) {
    return window.skillsText ? window.skillsText("mind." + key, params) : "";
  }

  function language() {
    return window.skillsLanguage ? window.skillsLanguage() : "en";
  }

  // "one" or "other" for n, by the page language's plural rules.
  function plural(n) {
    try { return new Intl.PluralRules(LOCALES[language()] || language()).select(n); }
    catch (e) { return n === 1 ? "one" : "other"; }
  }

  var run = null; // the current run, as stored
  var eventTimer = null;
  var frame = null;
  var wakeLock = null;
  var lastSent = {}; // idempotency key -> when it was last sent
  var lastAnnouncedMinute = null;
  var lastPhase = null;

  // --- storage ---

  function load(key, fallback) {
    try {
      var text = localStorage.getItem(key);
      return text ? JSON.parse(text) : fallback;
    } catch (e) { return fallback; }
  }

  function store(key, value) {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* private mode: the run still goes on in memory */ }
  }

  function saveRun() { store(RUN_KEY, run); }

  function outboxKey(who) { return OUTBOX_PREFIX + (who || "unknown"); }

  function outboxKeys() {
    var keys = [];
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var key = localStorage.key(i);
        if (key && key.indexOf(OUTBOX_PREFIX) === 0) keys.push(key);
      }
    } catch (e) { /* no storage */ }
    return keys;
  }

  /* Every session on this phone not yet confirmed by the server, whoever's. */
  function waitingEntries() {
    return outboxKeys().reduce(function (all, key) { return all.concat(load(key, [])); }, []);
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); })
      .join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) +
      "-" + h.slice(20);
  }

  function owner() {
    var holder = document.querySelector("[data-draft-owner]");
    return holder ? holder.getAttribute("data-draft-owner") || "" : "";
  }

  // --- time: everything from fixed moments ---

  function pausedBefore(activeMs) {
    // Pauses made before this point of the practice (during preparation too).
    var total = 0;
    run.pauses.forEach(function (p) { if (p.at < activeMs) total += p.ms; });
    return total;
  }

  /* Practice time (ms, pauses left out) at the real moment `now`; negative while
   * preparing. */
  function activeAt(now) {
    var total = 0;
    run.pauses.forEach(function (p) { total += p.ms; });
    var current = run.pausedSince !== null ? now - run.pausedSince : 0;
    return now - run.createdAt - run.prepMs - total - current;
  }

  /* The real moment at which the practice reaches `activeMs` (no pause to come). */
  function realAt(activeMs) {
    return run.createdAt + run.prepMs + activeMs + pausedBefore(activeMs);
  }

  // --- what the practice is at a moment ---

  function pacerCycleMs() {
    return run.phases.reduce(function (sum, p) { return sum + p[1] * 1000; }, 0);
  }

  function pacerPhase(activeMs) {
    var phases = run.phases.filter(function (p) { return p[1] > 0; });
    var cycle = pacerCycleMs();
    var inCycle = ((activeMs % cycle) + cycle) % cycle;
    var start = 0;
    for (var i = 0; i < phases.length; i++) {
      var length = phases[i][1] * 1000;
      if (inCycle < start + length) {
        return { index: Math.floor(activeMs / cycle) * phases.length + i, kind: phases[i][0],
          intoMs: inCycle - start, ms: length, size: sizeAfter(phases, i) };
      }
      start += length;
    }
    return { index: 0, kind: phases[0][0], intoMs: 0, ms: phases[0][1] * 1000,
      size: sizeAfter(phases, 0) };
  }

  /* How big the breathing shape is at the end of phase i: a hold keeps the size
   * the breath before it left. */
  function sizeAfter(phases, i) {
    for (var k = 0; k < phases.length; k++) {
      var kind = phases[(i - k + phases.length) % phases.length][0];
      if (kind === "in") return "big";
      if (kind === "more") return "full";
      if (kind === "out") return "small";
    }
    return "small";
  }

  function guidedStep(activeMs) {
    var start = 0;
    for (var i = 0; i < run.steps.length; i++) {
      var length = run.steps[i] * 1000;
      if (activeMs < start + length || i === run.steps.length - 1) {
        return { index: i, leftMs: start + length - activeMs };
      }
      start += length;
    }
    return { index: 0, leftMs: 0 };
  }

  /* The bells of a run, in practice time: [{t, sound, what}], sorted. */
  function bellsOf(plan) {
    var bells = [];
    var sound = plan.sound;
    if (sound && sound !== "silent") {
      if (plan.startBell) bells.push({ t: 0, sound: sound, what: "start" });
      (plan.intervals || []).forEach(function (s) {
        bells.push({ t: s * 1000, sound: sound, what: "interval" });
      });
      if (plan.betweenSteps && plan.steps) {
        var at = 0;
        plan.steps.slice(0, -1).forEach(function (s) {
          at += s * 1000;
          bells.push({ t: at, sound: "chime", what: "step" });
        });
      }
      if (plan.endBell) bells.push({ t: plan.lengthMs, sound: sound, what: "end" });
    }
    return bells.sort(function (a, b) { return a.t - b.t; });
  }

  // --- sound ---

  var audioContext = null;
  var decoded = {};
  var decoding = {};

  function audio() {
    if (!audioContext) {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (Context) {
        try { audioContext = new Context(); } catch (e) { audioContext = null; }
      }
    }
    return audioContext;
  }

  /* Fetch and decode a bell (from the service worker's cache when offline). */
  function prepare(sound) {
    if (!sound || sound === "silent" || decoded[sound] || decoding[sound]) return;
    var context = audio();
    if (!context) return;
    decoding[sound] = fetch("/sounds/" + sound + ".wav").then(function (response) {
      if (!response.ok) throw new Error("no-bell");
      return response.arrayBuffer();
    }).then(function (bytes) {
      return new Promise(function (resolve, reject) {
        context.decodeAudioData(bytes, resolve, reject);
      });
    }).then(function (buffer) { decoded[sound] = buffer; }, function () {
      delete decoding[sound];
    });
  }

  /* Called from a tap: phones only let a page make sound after one. */
  function unlockAudio(sounds) {
    var context = audio();
    if (context && context.state === "suspended") context.resume().catch(function () {});
    sounds.forEach(prepare);
  }

  function ring(sound) {
    if (!sound || sound === "silent") return;
    var context = audio();
    if (!context) return;
    var play = function (buffer) {
      var source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(context.destination);
      source.start(0);
    };
    if (decoded[sound]) { play(decoded[sound]); return; }
    prepare(sound);
    if (decoding[sound]) decoding[sound].then(function () { if (decoded[sound]) play(decoded[sound]); });
  }

  // --- the screen stays on while a run goes on ---

  function keepAwake(on) {
    if (on && !wakeLock && navigator.wakeLock && document.visibilityState === "visible") {
      navigator.wakeLock.request("screen").then(function (lock) {
        wakeLock = lock;
        lock.addEventListener("release", function () { if (wakeLock === lock) wakeLock = null; });
      }, function () { /* not allowed here: the timer still runs */ });
    } else if (!on && wakeLock) {
      wakeLock.release().catch(function () {});
      wakeLock = null;
    }
  }

  // --- running ---

  function isRunning() { return run && !run.done; }

  function finish(endedAt, early) {
    var active = Math.max(0, Math.min(activeAt(endedAt), run.lengthMs));
    run.done = { endedAt: endedAt, seconds: Math.round(active / 1000), early: early };
    run.pausedSince = null;
    saveRun();
    keepAwake(false);
    if (run.done.seconds >= 1) {
      var box = outboxKey(run.owner || owner());
      var outbox = load(box, []);
      outbox.push({
        record: {
          idempotency_key: run.key,
          practice: run.practice,
          started_at: new Date(realAt(0)).toISOString(),
          ended_at: new Date(endedAt).toISOString(),
          seconds: run.done.seconds,
          ended_early: early,
        },
      });
      store(box, outbox);
    }
    announce(words(early ? "ended" : "finished"));
    flush(true);
  }

  /* Ring what is due, finish at the end, and arm the timeout for what comes next. */
  function tick() {
    if (eventTimer) { clearTimeout(eventTimer); eventTimer = null; }
    if (!isRunning()) return;
    var now = Date.now();
    if (run.pausedSince !== null) return;
    var active = activeAt(now);
    var bells = bellsOf(run);
    while (run.rung < bells.length && bells[run.rung].t <= active) {
      var bell = bells[run.rung];
      run.rung += 1;
      if (now - realAt(bell.t) <= LATE_BELL_MS) ring(bell.sound);
    }
    if (active >= run.lengthMs) {
      saveRun();
      finish(realAt(run.lengthMs), false);
      render();
      return;
    }
    saveRun();
    var next = run.lengthMs;
    if (run.rung < bells.length) next = Math.min(next, bells[run.rung].t);
    if (active < 0) next = Math.min(next, 0);
    eventTimer = setTimeout(tick, Math.max(0, realAt(next) - now));
  }

  function start(plan) {
    unlockAudio([plan.sound, plan.betweenSteps ? "chime" : "silent"]);
    var now = Date.now();
    run = {
      v: 1, key: newKey(), owner: owner(), page: location.pathname, kind: plan.kind,
      practice: plan.practice, title: plan.title, createdAt: now, prepMs: plan.prepMs || 0,
      lengthMs: plan.lengthMs, pauses: [], pausedSince: null, rung: 0, done: null,
      sound: plan.sound, startBell: plan.startBell, endBell: plan.endBell,
      intervals: plan.intervals || [], betweenSteps: Boolean(plan.betweenSteps),
      steps: plan.steps || null, phases: plan.phases || null, vibrate: Boolean(plan.vibrate),
    };
    lastAnnouncedMinute = null;
    lastPhase = null;
    saveRun();
    keepAwake(true);
    announce(words(run.prepMs ? "get_ready_said" : "started"));
    tick();
    loop();
    var pause = document.getElementById("mindful-pause");
    if (pause) pause.focus();
  }

  function pauseOrResume() {
    if (!isRunning()) return;
    var now = Date.now();
    var shape = document.getElementById("mindful-shape");
    if (run.pausedSince === null) {
      run.pausedSince = now;
      keepAwake(false);
      announce(words("paused"));
      if (shape) {
        // The shape stops where it is, and goes on from there.
        shape.style.transform = window.getComputedStyle(shape).transform;
        shape.style.transitionDuration = "0ms";
      }
    } else {
      run.pauses.push({ at: activeAt(run.pausedSince), ms: now - run.pausedSince });
      run.pausedSince = null;
      lastPhase = null;
      keepAwake(true);
      announce(words("going_on"));
    }
    saveRun();
    tick();
    render();
  }

  function endNow() {
    if (!isRunning()) return;
    var now = Date.now();
    finish(run.pausedSince !== null ? run.pausedSince : now, true);
    render();
  }

  function clearRun() {
    run = null;
    saveRun();
    if (eventTimer) clearTimeout(eventTimer);
    eventTimer = null;
    keepAwake(false);
    render();
  }

  // --- showing it ---

  function clock(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  /* The time of day of `ms` in the time zone of the account, in the page language:
   * what formats.clock writes for the same moment ("4:45 PM", "4:45 p.m."). */
  function timeOfDay(ms) {
    var holder = document.querySelector("[data-time-zone]");
    var zone = holder ? holder.getAttribute("data-time-zone") : "";
    var options = { hour: "numeric", minute: "2-digit" };
    if (zone) options.timeZone = zone;
    var locale = LOCALES[language()] || language();
    try {
      return new Intl.DateTimeFormat(locale, options).format(new Date(ms));
    } catch (e) { // a zone this browser does not know: its own clock rather than nothing
      delete options.timeZone;
      return new Intl.DateTimeFormat(locale, options).format(new Date(ms));
    }
  }

  function set(id, text) {
    var el = document.getElementById(id);
    if (el && el.textContent !== text) el.textContent = text;
  }

  function show(el, visible) {
    if (el && el.hidden === visible) el.hidden = !visible;
  }

  function announce(text) {
    var el = document.getElementById("mindful-announce");
    if (el) el.textContent = text;
  }

  function minutesLeftLine(minutes) {
    return plural(minutes) === "one" ? words("minute_left") :
      words("minutes_left", { n: minutes });
  }

  function renderRunning(root) {
    var now = run.pausedSince !== null ? run.pausedSince : Date.now();
    var active = activeAt(now);
    var remaining = run.lengthMs - Math.max(active, 0);
    var preparing = active < 0;
    set("mindful-remaining", preparing ? clock(-active) : clock(remaining));
    set("mindful-remaining-label", preparing ? words("get_ready") :
      words(run.pausedSince !== null ? "paused_left" : "time_left"));
    set("mindful-pause", words(run.pausedSince !== null ? "resume" : "pause"));
    root.classList.toggle("paused", run.pausedSince !== null);
    // Screen readers hear the time at whole minutes only (and the steps' words).
    var minutesLeft = Math.ceil(remaining / 60000);
    if (lastAnnouncedMinute === null) lastAnnouncedMinute = minutesLeft; // the start is said
    if (!preparing && remaining > 0 && remaining % 60000 > 59000 &&
        minutesLeft !== lastAnnouncedMinute) {
      lastAnnouncedMinute = minutesLeft;
      announce(minutesLeftLine(minutesLeft));
    }
    if (run.kind === "timer") renderNextBell(active, preparing);
    if (run.kind === "pacer") renderPacer(active, preparing);
    if (run.kind === "guided") renderGuided(active, preparing);
  }

  function renderNextBell(active, preparing) {
    var next = null;
    (run.intervals || []).forEach(function (s) {
      if (next === null && s * 1000 > active) next = s * 1000;
    });
    set("mindful-next", preparing || next === null || run.sound === "silent" ? "" :
      words("next_bell", { time: clock(next - active) }));
  }

  function renderPacer(active, preparing) {
    var shape = document.getElementById("mindful-shape");
    if (preparing) {
      set("mindful-word", words("get_ready"));
      set("mindful-count", "");
      return;
    }
    var phase = pacerPhase(active);
    set("mindful-word", words(phase.kind));
    set("mindful-count", String(Math.min(Math.floor(phase.intoMs / 1000) + 1,
      Math.ceil(phase.ms / 1000))));
    if (shape && (lastPhase !== phase.index || shape.dataset.phase !== phase.kind)) {
      var fresh = lastPhase !== phase.index;
      lastPhase = phase.index;
      // The shape grows while breathing in and shrinks while breathing out, over
      // what is left of the phase (all of it, unless the page just came back).
      shape.style.transitionDuration = Math.max(0, phase.ms - phase.intoMs) + "ms";
      // The shape was just shown (or redrawn): settle its current size first, so
      // the change below is a transition and not a jump.
      void window.getComputedStyle(shape).transform;
      shape.style.transform = "";
      shape.dataset.phase = phase.kind;
      shape.dataset.size = phase.size;
      if (fresh && run.vibrate && navigator.vibrate && run.pausedSince === null) {
        try { navigator.vibrate(40); } catch (e) { /* not supported */ }
      }
    }
  }

  function renderGuided(active, preparing) {
    var count = run.steps.length;
    if (preparing) {
      set("mindful-step", words("get_ready"));
      return;
    }
    var step = guidedStep(active);
    set("mindful-step", words("step_of", { step: step.index + 1, count: count }));
    document.querySelectorAll("[data-guided-step]").forEach(function (el) {
      show(el, Number(el.getAttribute("data-guided-step")) === step.index);
    });
  }

  function renderDone() {
    var done = run.done;
    set("mindful-finished-at", words(done.early ? "ended_at" : "finished_at",
      { time: timeOfDay(done.endedAt) }));
    var minutes = Math.round(done.seconds / 60);
    var short = done.seconds < 60;
    var n = short ? done.seconds : minutes;
    var key = (short ? "second" : "minute") + (plural(n) === "one" ? "" : "s");
    set("mindful-summary", words(key, { n: n, what: run.title }));
    var waiting = waitingEntries().some(function (entry) {
      return entry.record.idempotency_key === run.key;
    });
    set("mindful-log-status", words(done.seconds < 1 ? "too_short" :
      run.refused ? "not_added" : waiting ? (isOffline() ? "kept" : "adding") : "added"));
  }

  function render() {
    var root = document.getElementById("mindful");
    if (!root) return;
    // Someone else's run on a shared phone is not shown to the next person.
    var me = owner();
    if (run && run.owner && me && run.owner !== me) return;
    var mine = run && run.page === location.pathname;
    var elsewhere = document.getElementById("mindful-elsewhere");
    if (elsewhere) {
      show(elsewhere, Boolean(run && !mine && !run.done));
      var link = elsewhere.querySelector("a");
      if (link && run && link.getAttribute("href") !== run.page) link.setAttribute("href", run.page);
    }
    var state = !mine ? "setup" : run.done ? "done" : "running";
    if (root.getAttribute("data-state") !== state) root.setAttribute("data-state", state);
    show(document.getElementById("mindful-setup"), state === "setup");
    show(document.getElementById("mindful-run"), state === "running");
    show(document.getElementById("mindful-done"), state === "done");
    if (state === "running") renderRunning(root);
    if (state === "done") renderDone();
  }

  function loop() {
    if (frame) cancelAnimationFrame(frame);
    frame = null;
    render();
    if (isRunning() && document.visibilityState === "visible") {
      frame = requestAnimationFrame(loop);
    }
  }

  // --- the setup forms ---

  function number(text) {
    var t = String(text == null ? "" : text).trim();
    if (!t || t.length > 12) return NaN;
    var n = Number(t);
    return isFinite(n) ? n : NaN;
  }

  function wholeNumber(form, name, low, high, what) {
    var field = form.elements[name];
    var n = number(field && field.value);
    if (isNaN(n) || Math.floor(n) !== n || n < low || n > high) {
      throw { field: field, message: words("whole_number", { what: words(what), low: low,
        high: high }) };
    }
    return n;
  }

  function phaseSeconds(form, name) {
    var field = form.elements[name];
    var t = field ? field.value.trim() : "";
    if (!t) return 0;
    var n = number(t);
    if (isNaN(n) || n < 0 || n > PHASE_MAX || (n * 2) % 1) {
      throw { field: field, message: words("phase_seconds", { high: PHASE_MAX }) };
    }
    return n;
  }

  function value(form, name) {
    var field = form.elements[name];
    if (!field) return "";
    if (field.type === "checkbox") return field.checked;
    return field.value;
  }

  function pacerPlan(form) {
    var chosen = value(form, "pattern");
    var phases;
    var practice = "breathe." + chosen;
    var title = words("paced_breathing");
    if (chosen === "custom") {
      phases = [["in", phaseSeconds(form, "in")], ["hold", phaseSeconds(form, "hold_in")],
        ["out", phaseSeconds(form, "out")], ["hold", phaseSeconds(form, "hold_out")]];
      if (!phases[0][1] || !phases[2][1]) {
        throw { field: form.elements["in"], message: words("breath_too_short") };
      }
    } else {
      var option = form.querySelector('input[name="pattern"]:checked');
      phases = JSON.parse(option.getAttribute("data-phases"));
    }
    var cycleMs = phases.reduce(function (sum, p) { return sum + p[1] * 1000; }, 0);
    var cycles;
    if (value(form, "length_mode") === "breaths") {
      cycles = wholeNumber(form, "breaths", PACER_BREATHS[0], PACER_BREATHS[1], "breaths_word");
    } else {
      var minutes = wholeNumber(form, "minutes", PACER_MINUTES[0], PACER_MINUTES[1],
        "minutes_word");
      cycles = Math.max(1, Math.ceil(minutes * 60000 / cycleMs - 1e-9));
    }
    return { kind: "pacer", practice: practice, title: title, phases: phases,
      lengthMs: cycles * cycleMs, sound: value(form, "sound") || "silent", startBell: false,
      endBell: true, vibrate: value(form, "vibrate") };
  }

  function timerPlan(form) {
    var minutes = wholeNumber(form, "minutes", TIMER_MINUTES[0], TIMER_MINUTES[1],
      "minutes_word");
    var intervals = [];
    var mode = value(form, "interval_mode");
    if (mode === "every") {
      var every = wholeNumber(form, "interval_every", 1, minutes, "minutes_between_bells");
      for (var m = every; m < minutes; m += every) intervals.push(m * 60);
    } else if (mode === "at") {
      var field = form.elements.interval_at;
      var parts = field.value.split(",").map(function (p) { return p.trim(); })
        .filter(Boolean);
      if (!parts.length || parts.length > 20 || minutes < 2) {
        throw { field: field, message: words(minutes < 2 ? "no_room_for_bells" : "list_bells") };
      }
      parts.forEach(function (p) {
        var n = number(p);
        if (isNaN(n) || Math.floor(n) !== n || n < 1 || n > minutes - 1) {
          throw { field: field, message: words("whole_number", {
            what: words("minutes_for_each_bell"), low: 1, high: minutes - 1 }) };
        }
        if (intervals.indexOf(n * 60) === -1) intervals.push(n * 60);
      });
      intervals.sort(function (a, b) { return a - b; });
    }
    return { kind: "timer", practice: "timer", title: words("meditation"),
      lengthMs: minutes * 60000,
      prepMs: Number(value(form, "prep")) * 1000 || 0, sound: value(form, "sound") || "silent",
      startBell: value(form, "start_bell"), endBell: value(form, "end_bell"),
      intervals: intervals };
  }

  function guidedPlan(form, root) {
    var steps = JSON.parse(root.getAttribute("data-steps"));
    var sound = value(form, "sound") || "silent";
    return { kind: "guided", practice: root.getAttribute("data-practice"),
      title: root.getAttribute("data-title"), steps: steps,
      lengthMs: steps.reduce(function (a, b) { return a + b; }, 0) * 1000, sound: sound,
      startBell: false, endBell: true, betweenSteps: value(form, "between_bell") };
  }

  function showSetupError(form, error) {
    var slot = form.querySelector("[data-setup-error]");
    form.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
    });
    if (slot) slot.textContent = error ? error.message : "";
    if (error && error.field) {
      // A setting folded away is shown before it is pointed at.
      var fold = error.field.closest("details");
      if (fold) fold.open = true;
      error.field.setAttribute("aria-invalid", "true");
      error.field.focus();
    }
  }

  /* The last settings of each kind of practice (how long, which bells: nothing about
   * the person), so the next one starts with one tap. Kept across sign-outs. */
  var SETTINGS_PREFIX = "skills.mindful.settings.";

  function rememberSettings(form, kind) {
    var kept = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.type === "submit" || field.type === "button") return;
      if (field.type === "radio") { if (field.checked) kept[field.name] = field.value; }
      else if (field.type === "checkbox") kept[field.name] = field.checked;
      else kept[field.name] = field.value;
    });
    store(SETTINGS_PREFIX + kind, kept);
  }

  function restoreSettings() {
    var form = document.getElementById("mindful-setup");
    var root = document.getElementById("mindful");
    if (!form || !root || form.dataset.restored) return;
    form.dataset.restored = "1";
    var kept = load(SETTINGS_PREFIX + root.getAttribute("data-kind"), null);
    if (!kept || typeof kept !== "object") return;
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || !Object.prototype.hasOwnProperty.call(kept, field.name)) return;
      var value = kept[field.name];
      if (field.type === "radio") field.checked = field.value === value;
      else if (field.type === "checkbox") field.checked = value === true;
      else if (typeof value === "string" && value.length <= 40) {
        if (field.tagName !== "SELECT" ||
            field.querySelector('option[value="' + CSS.escape(value) + '"]')) field.value = value;
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-mindful-setup")) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    var root = document.getElementById("mindful");
    var kind = root ? root.getAttribute("data-kind") : "";
    var plan;
    try {
      plan = kind === "pacer" ? pacerPlan(form) : kind === "timer" ? timerPlan(form)
        : guidedPlan(form, root);
    } catch (error) {
      if (!error || !error.message) throw error;
      showSetupError(form, error);
      return;
    }
    showSetupError(form, null);
    rememberSettings(form, kind);
    // One practice at a time: one still running elsewhere ends here, and is logged.
    if (isRunning()) finish(run.pausedSince !== null ? run.pausedSince : Date.now(), true);
    start(plan);
  }, true);

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    if (target.closest("#mindful-pause")) pauseOrResume();
    else if (target.closest("#mindful-stop")) endNow();
    else if (target.closest("#mindful-again")) clearRun();
    else if (target.closest("[data-hear-bell]")) {
      var form = target.closest("form");
      var sound = form && form.elements.sound ? form.elements.sound.value : "";
      unlockAudio([sound]);
      ring(sound);
    }
  });

  // The custom pattern's fields apply when "Your own pattern" is picked.
  document.addEventListener("focusin", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var custom = target && target.closest("[data-custom-pattern]");
    if (!custom) return;
    var radio = custom.form && custom.form.querySelector('input[name="pattern"][value="custom"]');
    if (radio && !radio.checked) radio.checked = true;
  });

  // --- the log: sent once the page is online, resent until confirmed ---

  function isOffline() {
    return !navigator.onLine || Boolean(document.getElementById("connection-lost"));
  }

  function flush(now) {
    var me = owner();
    var form = document.getElementById("mindful-log-form");
    var field = form && form.querySelector('input[name="session"]');
    if (!me || !field || isOffline()) return;
    // A session run before the page knew who is signed in is theirs.
    var unknown = load(outboxKey(""), []);
    if (unknown.length) {
      store(outboxKey(me), load(outboxKey(me), []).concat(unknown));
      store(outboxKey(""), null);
    }
    load(outboxKey(me), []).forEach(function (entry) {
      var key = entry.record.idempotency_key;
      if (!now && lastSent[key] && Date.now() - lastSent[key] < RESEND_MS) return;
      lastSent[key] = Date.now();
      field.value = JSON.stringify(entry.record);
      if (form.requestSubmit) form.requestSubmit();
      else form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
    });
  }

  function drop(key, refused) {
    outboxKeys().forEach(function (box) {
      var left = load(box, []).filter(function (entry) {
        return entry.record.idempotency_key !== key;
      });
      store(box, left.length ? left : null);
    });
    delete lastSent[key];
    if (refused && run && run.key === key) {
      run.refused = true;
      saveRun();
    }
    render();
  }

  window.skillsMindful = {
    /* The server stored (or already had) the session with this key. */
    logged: function (key) { drop(key, false); },
    /* The server refused it with a message on the page: sending it again would not help. */
    refused: function (key) { drop(key, true); },
    flush: function () { flush(true); },
    waiting: function () { return waitingEntries().length; },
  };

  // --- coming back: a reload, a woken phone, a shown tab ---

  function resume() {
    run = load(RUN_KEY, null);
    if (run && run.v !== 1) run = null;
    if (isRunning()) {
      tick();
      if (isRunning() && run.pausedSince === null) keepAwake(true);
    }
    loop();
    flush(false);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "visible") return;
    if (isRunning()) {
      tick();
      if (isRunning() && run.pausedSince === null) keepAwake(true);
    }
    loop();
  });
  window.addEventListener("online", function () { flush(true); render(); });
  window.addEventListener("offline", render);
  window.addEventListener("storage", function (event) {
    if (event.key === RUN_KEY) resume();
  });
  // Pages rendered later (client-side navigation), the server naming the owner,
  // or the connection coming back: look again.
  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    // A microtask, not a timeout: it runs however the page's timers are throttled.
    Promise.resolve().then(function () {
      pending = false;
      render();
      flush(false);
    });
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true,
    attributeFilter: ["data-draft-owner"] });
  setInterval(function () {
    if (outboxKeys().length) flush(false);
  }, 1000);
  /* A link from the patient's homework names the minutes their therapist asked for
   * (/mindfulness/timer/?minutes=10): put them in the timer's field, once per page. */
  function minutesFromLink() {
    restoreSettings(); // first: minutes from the link win over the last ones
    var field = document.getElementById("mindful-minutes");
    if (!field || field.dataset.fromLink) return;
    field.dataset.fromLink = "1";
    var asked = new URLSearchParams(location.search).get("minutes") || "";
    var n = /^[0-9]{1,3}$/.test(asked) ? Number(asked) : NaN;
    if (n >= TIMER_MINUTES[0] && n <= TIMER_MINUTES[1]) field.value = String(n);
  }
  new MutationObserver(minutesFromLink).observe(document.documentElement,
    { childList: true, subtree: true });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", resume);
    document.addEventListener("DOMContentLoaded", minutesFromLink);
  } else {
    resume();
    minutesFromLink();
  }
})();
