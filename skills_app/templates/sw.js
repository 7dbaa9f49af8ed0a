/* Skills Practice service worker (served by skills_app/pwa.py).
 *
 * VERSION is a hash of everything precached, filled in by the server: when the
 * crisis numbers, the offline page or a precached file change, the browser
 * sees a new service worker, installs it and drops the old caches.
 *
 * - Never touches the live channels (/_event, /_upload, /ping, /_health) or /auth/.
 * - Pages: network first; offline, the cached help page for /help/, a
 *   mindfulness timer page as last seen, and the offline page (crisis
 *   resources) for everything else.
 * - Hashed build assets (/assets/...): cache first, they never change.
 * - Other static files (icons, styles, scripts): served from cache, refreshed
 *   in the background.
 */
"use strict";

const VERSION = "{{version}}";
const SHELL_CACHE = "skills-shell-" + VERSION;
const ASSET_CACHE = "skills-assets-" + VERSION;
const OFFLINE_URL = "/offline.html";
const PRECACHE = [OFFLINE_URL, "/help/", {{precached_assets}}];
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

function isHelp(path) { return path === "/help" || path === "/help/"; }

// The mindfulness timers' pages hold no one's data (the page fills in over the
// websocket), so a timer opened once can be reloaded offline and go on.
function isTimerPage(path) { return path.startsWith("/mindfulness/"); }

async function networkFirstPage(request, path) {
  try {
    const response = await fetch(request);
    if ((isHelp(path) || isTimerPage(path)) && response.ok && !response.redirected) {
      const cache = await caches.open(SHELL_CACHE);
      cache.put(isHelp(path) ? "/help/" : path, response.clone());
    }
    return response;
  } catch (error) {
    const cache = await caches.open(SHELL_CACHE);
    return (isHelp(path) && (await cache.match("/help/"))) ||
      (isTimerPage(path) && (await cache.match(path))) || (await cache.match(OFFLINE_URL));
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
