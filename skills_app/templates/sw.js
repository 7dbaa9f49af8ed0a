/* Skills Practice service worker (served by skills_app/pwa.py).
 *
 * VERSION is a hash of everything precached, filled in by the server: when the
 * crisis numbers, the offline page or a precached file change, the browser
 * sees a new service worker, installs it and drops the old caches.
 *
 * - Never touches the live channels (/_event, /_upload, /ping, /_health) or /auth/.
 * - Pages: network first with a short wait (PAGE_WAIT_MS); every page that
 *   answered is kept, by its path, so a page opened once opens and reloads
 *   with no network (Reflex's pages are static HTML and hashed scripts: the
 *   cached page starts, and assets/app.js fills it from the phone's own copy
 *   of what it last showed). No cached copy, or the start, sign-in and
 *   sign-up pages (they need the server): the help page for /help/, else the
 *   offline page (crisis resources and the phone's copy of the safety plan).
 * - Signed in, a page asks the worker to keep the patient's pages (and the
 *   scripts they load) before they are ever opened: a "warm" message.
 * - Languages: every language's offline and help pages are precached. Offline,
 *   a page shows the help or offline page of its own language (/es/... is
 *   Spanish); a page whose address has no language (the start page, a
 *   sign-in) gets the language of the last page this phone opened, else the
 *   browser's own first language the app speaks.
 * - Hashed build assets (/assets/...): cache first, they never change.
 * - Other static files (icons, styles, scripts): served from cache, refreshed
 *   in the background.
 */
"use strict";

const VERSION = "{{version}}";
const SHELL_CACHE = "skills-shell-" + VERSION;
const ASSET_CACHE = "skills-assets-" + VERSION;
// Each language: its code, its address prefix ("" or "/es") and its offline and help pages.
const LANGUAGES = {{languages}};
const SOURCE = LANGUAGES[0];
// Where the language of the last page opened is kept (a tiny entry of the shell cache).
const LAST_LANGUAGE = "/__skills-last-language";
const PAGES = [];
LANGUAGES.forEach((language) => { PAGES.push(language.offline, language.help); });
const PRECACHE = [...PAGES, {{precached_assets}}];
// How long a page waits for the network before its cached copy is shown.
const PAGE_WAIT_MS = 3000;
const NEVER = ["/_event", "/_upload", "/ping", "/_health", "/auth/", "/reports/"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys
        .filter((key) => key !== SHELL_CACHE && key !== ASSET_CACHE)
        .map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

// The language whose prefix starts the path, or null for a path without one.
function languageOfPath(path) {
  return LANGUAGES.find((language) => language.prefix &&
    (path === language.prefix || path.startsWith(language.prefix + "/"))) || null;
}

function withoutLanguage(path) {
  const language = languageOfPath(path);
  return language ? path.slice(language.prefix.length) || "/" : path;
}

// The browser's first language the app speaks (as text.from_accept_language).
function browserLanguage() {
  const asked = (self.navigator && self.navigator.languages) || [];
  for (const tag of asked) {
    const found = LANGUAGES.find((language) => language.code === tag.split("-")[0].toLowerCase());
    if (found) return found;
  }
  return SOURCE;
}

async function rememberLanguage(cache, language) {
  await cache.put(LAST_LANGUAGE, new Response(language.code));
}

// The language to show a page in when there is no network.
async function languageFor(cache, path) {
  const own = languageOfPath(path);
  if (own) return own;
  const remembered = await cache.match(LAST_LANGUAGE);
  const code = remembered ? await remembered.text() : "";
  return LANGUAGES.find((language) => language.code === code) || browserLanguage();
}

function isHelp(path) {
  const plain = withoutLanguage(path);
  return plain === "/help" || plain === "/help/";
}

function isOfflinePage(path) { return withoutLanguage(path) === "/offline.html"; }

// The start page and the sign-in and sign-up pages need the server to do
// anything: offline they get the offline page (crisis resources, the plan).
function isKept(path) {
  return !/^\/((signin|signup|join|goodbye|inactive)\/?)?$/.test(withoutLanguage(path));
}

// Pages are kept by path ("/practice/do/" for every exercise: the page is the
// same, what it shows comes later), with and without the closing slash.
function pageKey(path) { return path.endsWith("/") ? path : path + "/"; }

async function keepPage(cache, path, response) {
  if (isOfflinePage(path) || !isKept(path)) return;
  if (isHelp(path)) {
    const language = languageOfPath(path) || SOURCE;
    await cache.put(language.help, response);
  } else {
    await cache.put(pageKey(path), response);
  }
}

async function cachedPage(cache, path) {
  if (isHelp(path)) return cache.match((languageOfPath(path) || SOURCE).help);
  return isKept(path) ? cache.match(pageKey(path)) : undefined;
}

async function offlineAnswer(cache, path) {
  const language = await languageFor(cache, path);
  return (await cachedPage(cache, path)) || (await cache.match(language.offline)) ||
    (await cache.match(SOURCE.offline));
}

function wait(ms) { return new Promise((resolve) => { setTimeout(resolve, ms); }); }

async function networkFirstPage(request, path) {
  const cache = await caches.open(SHELL_CACHE);
  const network = fetch(request).then(async (response) => {
    if (response.ok && !response.redirected) {
      const finalPath = new URL(response.url || request.url).pathname;
      // The language the person reads in: a page whose address names one.
      if (!isOfflinePage(finalPath)) await rememberLanguage(cache, languageOfPath(finalPath) || SOURCE);
      await keepPage(cache, path, response.clone());
    }
    return response;
  });
  const cached = await cachedPage(cache, path);
  if (!cached) {
    try { return await network; } catch (error) { return offlineAnswer(cache, path); }
  }
  // A slow network (one bar, a basement) does not keep the patient waiting.
  return Promise.race([
    network.catch(() => cached),
    wait(PAGE_WAIT_MS).then(() => cached),
  ]);
}

// Scripts and styles a page loads (Reflex's hashed build files), kept with it.
function assetsOf(html) {
  const found = new Set();
  for (const match of html.matchAll(/["'](\/assets\/[^"'?#\s]+)["']/g)) found.add(match[1]);
  return [...found];
}

/* Keep pages before they are opened (the patient's pages, asked for by
 * assets/app.js once signed in), each with the scripts it loads. One at a
 * time: the phone has other work. A page kept already is not asked again. */
async function warm(paths) {
  const cache = await caches.open(SHELL_CACHE);
  for (const path of paths) {
    if (typeof path !== "string" || !path.startsWith("/") || path.startsWith("//")) continue;
    if (await cachedPage(cache, path)) continue;
    try {
      const response = await fetch(path, { credentials: "same-origin" });
      if (!response.ok || response.redirected) continue;
      const html = await response.clone().text();
      await keepPage(cache, path, response);
      for (const asset of assetsOf(html)) {
        await cacheFirst(new Request(asset)).catch(() => undefined);
      }
    } catch (error) {
      return; // offline again: the next page load asks once more
    }
  }
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "warm" && Array.isArray(data.paths)) {
    event.waitUntil(warm(data.paths.slice(0, 100)));
  }
});

async function cacheFirst(request) {
  const cache = await caches.open(ASSET_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}

async function staleWhileRevalidate(request) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(request);
  const refresh = fetch(request).then((response) => {
    if (response.ok) cache.put(request, response.clone());
    return response;
  });
  if (cached) {
    refresh.catch(() => undefined);
    return cached;
  }
  return refresh;
}

// Background Sync: the queue of saves made offline lives in the pages' storage
// (assets/app.js), so the worker wakes the open pages to send it.
self.addEventListener("sync", (event) => {
  if (event.tag !== "skills-queue") return;
  event.waitUntil(self.clients.matchAll({ type: "window" }).then((pages) => {
    pages.forEach((page) => page.postMessage({ type: "send-queue" }));
  }));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (NEVER.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirstPage(request, url.pathname));
  } else if (url.pathname.startsWith("/assets/")) {
    event.respondWith(cacheFirst(request));
  } else if (PRECACHE.includes(url.pathname) || url.pathname.startsWith("/icons/")) {
    event.respondWith(staleWhileRevalidate(request));
  }
});

/* Reminders (Web Push, skills_app/core/push.py). The message is only what to
 * show and where a tap goes: {title, body, url, tag, delivery}. The buttons are
 * in the language of the last page this phone opened. "Remind me in 30 min" /
 * "in 1 hour" ask the server for the reminder again later (POST
 * /reminders/snooze) without opening the app; a tap on the notification
 * focuses an open window of the app and takes it to the reminder's screen, or
 * opens one. */
const PUSH_WORDS = {{push_words}};
const PUSH_ICON = "/icons/icon-192.png";
const PUSH_HOME = "/today/";
const SNOOZE_MINUTES = { "snooze-30": 30, "snooze-60": 60 };

// A path inside the app, never another site.
function appPath(url) {
  return typeof url === "string" && url.startsWith("/") && !url.startsWith("//") &&
    !url.includes("\\") ? url : PUSH_HOME;
}

async function pushWords() {
  const language = await languageFor(await caches.open(SHELL_CACHE), "/");
  return PUSH_WORDS[language.code] || PUSH_WORDS[SOURCE.code];
}

async function showReminder(data) {
  const words = await pushWords();
  const delivery = Number.isSafeInteger(data.delivery) ? data.delivery : null;
  const text = (value, fallback) => (typeof value === "string" && value ? value.slice(0, 200)
    : fallback);
  await self.registration.showNotification(text(data.title, words.title), {
    body: text(data.body, ""),
    tag: text(data.tag, "skills-reminder"),
    icon: PUSH_ICON,
    badge: PUSH_ICON,
    data: { url: appPath(data.url), delivery },
    actions: delivery === null ? [] : [
      { action: "snooze-30", title: words.snooze_30 },
      { action: "snooze-60", title: words.snooze_60 },
    ],
  });
}

self.addEventListener("push", (event) => {
  let data = {};
  try { data = (event.data && event.data.json()) || {}; } catch (error) { data = {}; }
  event.waitUntil(showReminder(typeof data === "object" ? data : {}));
});

async function openApp(path) {
  const target = new URL(appPath(path), self.location.origin).href;
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
  if (open) {
    // A window this worker does not control cannot be sent elsewhere: then open one.
    const moved = await open.navigate(target).catch(() => null);
    await (moved || open).focus().catch(() => undefined);
    if (moved) return;
  }
  await self.clients.openWindow(target);
}

self.addEventListener("notificationclick", (event) => {
  const notification = event.notification;
  const data = notification.data || {};
  notification.close();
  const minutes = SNOOZE_MINUTES[event.action];
  if (minutes && data.delivery !== null && data.delivery !== undefined) {
    event.waitUntil(fetch("/reminders/snooze", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ delivery: data.delivery, minutes }),
    }).catch(() => undefined));
    return;
  }
  event.waitUntil(openApp(data.url));
});
