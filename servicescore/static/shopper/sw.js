/* ServiceScore shopper service worker: keeps the shopper's pages, scorecards and this app's files so a visit
   can be opened, filled and submitted with no network. Pages come from the network when there is one (and
   refresh the copy), from the cache when not. Writes never pass through here: the page script keeps them in
   IndexedDB and syncs them itself, so nothing is lost when the worker is replaced. */
"use strict";
const CACHE = "servicescore-shopper-v1";
const SHELL = ["/visits", "/static/app.css", "/static/shopper/shopper.css", "/static/shopper/visits.js",
               "/static/icon.svg", "/static/shopper/manifest.webmanifest"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

function cacheable(url) {
  return url.origin === self.location.origin &&
    (url.pathname === "/visits" || url.pathname.startsWith("/visits/") || url.pathname.startsWith("/static/"));
}

/* Only install makes the cache. Logging out deletes it, and the logout page's own fetches, still passing through
   this worker until the page leaves, must not make it again (caches.open would): the page first says "forget",
   and from then on this worker keeps nothing. */
let forgetting = false;
async function keptCache() {
  const kept = await caches.has(CACHE);
  return kept && !forgetting ? caches.open(CACHE) : null;
}

async function fromNetworkElseCache(request) {
  const cache = await keptCache();
  const key = new URL(request.url);
  key.search = "";  // "?sent=1" and "?lang=" variants share one copy
  try {
    const response = await fetch(request);
    if (cache && response.ok && !response.redirected) await cache.put(key.href, response.clone());
    return response;
  } catch (error) {
    const copy = cache && await cache.match(key.href);
    if (copy) return copy;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || !cacheable(url) || url.pathname === "/visits/sw.js") return;
  event.respondWith(fromNetworkElseCache(event.request));
});

/* The list page sends the addresses of every open assignment's pages, so they work offline before first use. */
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "forget") {
    forgetting = true;
    if (event.ports[0]) event.ports[0].postMessage("forgotten");
    return;
  }
  if (!event.data || event.data.type !== "precache") return;
  event.waitUntil((async () => {
    const cache = await keptCache();
    let stored = 0;
    for (const path of cache ? event.data.urls : []) {
      try {
        const response = await fetch(path, {credentials: "same-origin"});
        if (response.ok && !response.redirected) { await cache.put(new URL(path, self.location.origin).href, response); stored += 1; }
      } catch (error) { /* offline already: keep what the cache has */ }
    }
    if (event.source) event.source.postMessage({type: "precached", stored});
  })());
});
