// followup-gen envelope: serves the encrypted site, decrypting in the browser.
//
// The key (a non-extractable WebCrypto key) lives in this worker's memory,
// handed over by the password page; the open pages of the site keep a copy
// in theirs (session.js) and hand it back when the browser has stopped and
// restarted this worker. Closing the browser forgets it. Only with "remember
// me" is it also kept in IndexedDB, where any page of this origin could use it.
//
// Against other pages of the same origin (every GitHub Pages site of an
// account shares one): nothing is decrypted for a frame, an object or a page
// that is not a top-level page of this site; every page this worker answers
// is sent with Cross-Origin-Opener-Policy (a window another page opened is
// cut off from it) and frame-ancestors 'none'; the key is given only to
// top-level pages of this site, and dropped after the idle time in meta.json.
"use strict";

const ROOT = new URL(self.registration.scope).pathname;
const SITE = self.location.origin + ROOT;
const encoder = new TextEncoder();
const FRAMED = new Set(["iframe", "frame", "object", "embed", "fencedframe"]);
const HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Content-Security-Policy":
    `frame-ancestors 'none'; script-src ${SITE} 'unsafe-inline'; object-src 'none'; base-uri 'self'`,
  "X-Frame-Options": "DENY",
  "X-Robots-Tag": "noindex, nofollow",
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
};

let memoryKey = null; // from the password page or an open page of the site
let unlocked = null; // { key, manifest, idleMs }
let lastActive = Date.now();

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function rememberedKey() {
  return new Promise((resolve) => {
    const request = indexedDB.open("followup-gen", 1);
    request.onupgradeneeded = () => request.result.createObjectStore("keys");
    request.onerror = () => resolve(null);
    request.onsuccess = () => {
      const get = request.result.transaction("keys").objectStore("keys").get(ROOT);
      get.onsuccess = () => resolve(get.result || null);
      get.onerror = () => resolve(null);
    };
  });
}

// A top-level page (or a worker) of this site: the only clients served and trusted.
function ours(client) {
  if (!client || !client.url.startsWith(SITE)) return false;
  return client.type === "worker" || (client.type === "window" && client.frameType === "top-level");
}

function ask(client, message, timeout) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data);
    client.postMessage(message, [channel.port2]);
    setTimeout(() => resolve(null), timeout);
  });
}

// The key from an open page of the site, after the browser stopped this worker.
async function keyFromPages() {
  const pages = (await self.clients.matchAll({ type: "window" })).filter(ours);
  const replies = await Promise.all(pages.map((page) => ask(page, { type: "key?" }, 1500)));
  const found = replies.find((reply) => reply && reply.key);
  return found ? found.key : null;
}

async function open(key, sealed, id) {
  const data = new Uint8Array(sealed);
  const packed = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: data.slice(0, 12), additionalData: encoder.encode(id) }, key, data.slice(12));
  const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).arrayBuffer();
}

async function lock() {
  memoryKey = null;
  unlocked = null;
  for (const client of await self.clients.matchAll({ type: "window" })) {
    if (ours(client)) client.postMessage({ type: "locked" });
  }
}

function idle() {
  return unlocked && unlocked.idleMs > 0 && Date.now() - lastActive > unlocked.idleMs;
}

// A navigation re-reads the manifest, so a republished site shows at once.
async function unlock(fresh) {
  if (idle()) await lock();
  if (unlocked && !fresh) return unlocked;
  const key = memoryKey || (await rememberedKey()) || (await keyFromPages());
  if (!key) return (unlocked = null);
  try {
    const [sealed, meta] = await Promise.all([
      fetch(ROOT + "_enc/manifest.bin", { cache: "no-cache" }).then((r) => r.arrayBuffer()),
      fetch(ROOT + "_enc/meta.json", { cache: "no-cache" }).then((r) => r.json()),
    ]);
    const manifest = JSON.parse(new TextDecoder().decode(await open(key, sealed, "manifest")));
    memoryKey = key;
    return (unlocked = { key, manifest, idleMs: (meta.idle_lock_minutes || 0) * 60000 });
  } catch (error) {
    memoryKey = null;
    return (unlocked = null); // the password changed: ask again
  }
}

function secured(response, status) {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: status || response.status, headers });
}

function refused(text) {
  return new Response(text, { status: 403, headers: { ...HEADERS, "Content-Type": "text/plain" } });
}

async function login() {
  return secured(await fetch(ROOT + "_enc/login.html", { cache: "no-cache" }));
}

async function serve(event, rel) {
  const request = event.request;
  const navigate = request.mode === "navigate";
  if (FRAMED.has(request.destination)) return refused("This site is not shown inside another page.");
  if (!navigate && !ours(await self.clients.get(event.clientId))) return refused("Locked");
  lastActive = Date.now();
  const state = await unlock(navigate);
  if (!state) return navigate ? login() : new Response("Locked", { status: 403 });
  let path = rel === "" || rel.endsWith("/") ? rel + "index.html" : rel;
  if (!state.manifest[path] && state.manifest[path + "/index.html"]) {
    const url = new URL(request.url);
    url.pathname += "/";
    return Response.redirect(url.href, 301);
  }
  let status = 200;
  if (!state.manifest[path]) {
    path = "404.html";
    status = 404;
    if (!state.manifest[path]) return new Response("Not found", { status });
  }
  const [id, type] = state.manifest[path];
  const sealed = await fetch(ROOT + "_enc/" + id + ".bin");
  const body = await open(state.key, await sealed.arrayBuffer(), id);
  return secured(new Response(body, { headers: { "Content-Type": type } }), status);
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || event.request.method !== "GET") return;
  if (!url.pathname.startsWith(ROOT)) return;
  const rel = decodeURIComponent(url.pathname.slice(ROOT.length));
  if (rel === "sw.js" || rel.startsWith("_enc/")) {
    // The envelope itself; a page of it opened as a window gets the headers too.
    if (event.request.mode !== "navigate") return;
    if (FRAMED.has(event.request.destination)) {
      event.respondWith(refused("This site is not shown inside another page."));
    } else {
      event.respondWith(fetch(event.request).then((response) => secured(response)));
    }
    return;
  }
  event.respondWith(serve(event, rel));
});

self.addEventListener("message", (event) => {
  const reply = event.ports[0];
  const data = event.data || {};
  event.waitUntil((async () => {
    if (!ours(event.source)) return; // another site's page: not a word
    if (idle()) await lock();
    if (data.type === "unlock" && data.key) {
      memoryKey = data.key;
      unlocked = null;
      lastActive = Date.now();
      if (reply) reply.postMessage({ ok: true });
    } else if (data.type === "key") {
      // An open page keeps a copy, to hand back if this worker is restarted.
      if (reply) reply.postMessage({ key: memoryKey });
    } else if (data.type === "active") {
      lastActive = Date.now();
    } else if (data.type === "lock") {
      await lock();
      if (reply) reply.postMessage({ ok: true });
    }
  })());
});
