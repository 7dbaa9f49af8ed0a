/* Skills Practice service worker (served by skills_app/pwa.py).
 *
 * VERSION is a hash of everything precached, filled in by the server: when the
 * crisis numbers, the offline page or a precached file change, the browser
 * sees a new service worker, installs it and drops the old caches.
 *
 * - Never touches the live channels (/_event, /_upload, /ping, /_health) or /auth/.
 * - Pages: network first; offline, the cached help page for /help/ (and
 *   /es/help/...), a mindfulness timer page as last seen, and the offline page
 *   (crisis resources) for everything else.
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

// The mindfulness timers' pages hold no one's data (the page fills in over the
// websocket), so a timer opened once can be reloaded offline and go on.
function isTimerPage(path) { return withoutLanguage(path).startsWith("/mindfulness/"); }

function isOfflinePage(path) { return withoutLanguage(path) === "/offline.html"; }

async function networkFirstPage(request, path) {
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) {
      const cache = await caches.open(SHELL_CACHE);
      const finalPath = new URL(response.url || request.url).pathname;
      // The language the person reads in: a page whose address names one.
      const language = languageOfPath(finalPath);
      if (!isOfflinePage(finalPath)) await rememberLanguage(cache, language || SOURCE);
      if (isHelp(path)) cache.put((language || SOURCE).help, response.clone());
      else if (isTimerPage(path)) cache.put(path, response.clone());
    }
    return response;
  } catch (error) {
    const cache = await caches.open(SHELL_CACHE);
    const language = await languageFor(cache, path);
    return (isHelp(path) && (await cache.match(language.help))) ||
      (isTimerPage(path) && (await cache.match(path))) || (await cache.match(language.offline)) ||
      (await cache.match(SOURCE.offline));
  }
}

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
